"""Checking a certificate: ``pixdesk-server verify`` and the public, rate-limited
``GET /v1/certificates/{code}``; the PDF carries the code, the route's URL (in a QR code)
and the score's precision."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
import requests
from PIL import Image
from reportlab.graphics.barcode.qr import QrCodeWidget

from pixdesk.errors import EXIT_OK, EXIT_USAGE
from pixdesk.server import cli, review
from pixdesk.server.certificate import CODE_ALPHABET, issue_certificate
from pixdesk.server.verification import RATE_PER_MINUTE, AddressLimit
from tests.server.conftest import (
    BOTH_DATABASES,
    Record,
    RunningServer,
    Serve,
    enrol_and_record,
    finalised,
)

FIELDS = {"code", "first_name", "last_name", "birth_date", "date", "score", "level",
          "competence_levels"}


def certified(server: RunningServer, record: Record, tmp_path: Path) -> tuple[str, str]:
    """(attempt id, verification code) of a validated, published attempt."""
    pc = enrol_and_record(server, record, right=1.0)
    pc.receipt()
    finalised(server)
    code = issue_certificate(server.state, pc.attempt.attempt_id, tmp_path / "c.pdf",
                             date(2026, 6, 20), server.url)
    return pc.attempt.attempt_id, code


def check(server: RunningServer, code: str) -> requests.Response:
    return requests.get(f"{server.url}/v1/certificates/{code}", timeout=10)


@BOTH_DATABASES
def test_a_code_verifies_with_the_minimum_and_a_forged_one_is_refused(
    serve: Serve, record: Record, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(accept_demo=True)
    attempt_id, code = certified(server, record, tmp_path)
    answer = check(server, code)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert set(found) == FIELDS
    assert (found["first_name"], found["last_name"], found["birth_date"]) == (
        "Léa", "Martin", "2009-03-14")
    assert found["code"] == code and isinstance(found["score"], int)
    assert len(found["competence_levels"]) == 16

    forged = "P-" + ("A" * 12 if code[2:] != "A" * 12 else "B" * 12)
    refused = check(server, forged)
    assert (refused.status_code, refused.json()["error"]) == (404, "certificate.unknown")
    assert "Martin" not in refused.text

    config = server.state.config
    db = ["--data-dir", str(config.data_dir)] + (["--db", config.db_url] if config.db_url
                                                  else [])
    capsys.readouterr()
    assert cli.main(["verify", code.lower(), "--accept-demo", *db]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == found
    assert cli.main(["--lang", "en", "verify", forged, "--accept-demo", *db]) == EXIT_USAGE
    assert "certificate.unknown" in capsys.readouterr().err

    review.decide(server.state, attempt_id, "annul", "fraude établie", "M. Leroy")
    withdrawn = check(server, code)
    assert (withdrawn.status_code, withdrawn.json()["error"]) == (410,
                                                                  "certificate.withdrawn")
    assert "Martin" not in withdrawn.text


def test_the_route_answers_429_past_the_burst(
    serve: Serve, record: Record, tmp_path: Path
) -> None:
    server = serve(accept_demo=True)
    _attempt_id, code = certified(server, record, tmp_path)
    answers = [check(server, code) for _ in range(RATE_PER_MINUTE + 1)]
    assert [a.status_code for a in answers] == [200] * RATE_PER_MINUTE + [429]
    assert answers[-1].json()["error"] == "request.rate_limited"
    assert int(answers[-1].headers["Retry-After"]) >= 1


def test_the_limit_counts_each_address_on_its_own_over_a_minute() -> None:
    limit = AddressLimit(per_minute=2)
    assert [limit.retry_after("a") for _ in range(3)][:2] == [0, 0]
    assert 1 <= limit.retry_after("a") <= 60
    assert limit.retry_after("b") == 0


def test_the_certificate_carries_the_code_the_url_and_the_precision(
    serve: Serve, record: Record, tmp_path: Path
) -> None:
    server = serve(accept_demo=True)
    attempt_id, code = certified(server, record, tmp_path)
    assert re.fullmatch(f"P-[{CODE_ALPHABET}]{{12}}", code)
    [attempt] = review.load_attempts(server.state, attempt_id=attempt_id)
    assert attempt.pix_error is not None and attempt.pix_error > 0
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "c.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert code in text and f"{server.url}/v1/certificates/{code}" in text
    assert f"± {attempt.pix_error} Pix (à 68 %)" in text
    expected = expected_modules(f"{server.url}/v1/certificates/{code}")
    assert qr_modules(tmp_path / "c.pdf", tmp_path, len(expected)) == expected


DPI = 300
QR_LEFT_MM, QR_TOP_MM, QR_SIZE_MM = 210 - 20 - 24, 297 - 10 - 24, 24
"""Where ``certificate.draw`` puts the QR code on the A4 page, from the top left corner."""


def expected_modules(url: str) -> list[list[bool]]:
    widget = QrCodeWidget(url, barLevel="M")
    widget.qr.make()
    return [[bool(m) for m in row] for row in widget.qr.modules]


def qr_modules(pdf: Path, tmp_path: Path, size: int) -> list[list[bool]]:
    """The dark and light modules read back from the rendered page at each module's centre,
    for a code of ``size`` modules a side with reportlab's 4-module quiet zone."""
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(DPI), "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        page = image.convert("L")
    box = QR_SIZE_MM / (size + 8)

    def dark(r: int, c: int) -> bool:
        value = page.getpixel((round((QR_LEFT_MM + (c + 4.5) * box) / 25.4 * DPI),
                               round((QR_TOP_MM + (r + 4.5) * box) / 25.4 * DPI)))
        assert isinstance(value, int)
        return value < 128

    return [[dark(r, c) for c in range(size)] for r in range(size)]
