"""From rehearsals to a published, verifiable certificate, with the documented commands as
processes: three ``pixdesk rehearse`` synced to ``pixdesk-server serve``, the session
finalised through its API route (after two of them), the third arriving late and withheld,
a CSV of the two others, a certificate whose code verifies and a forged code refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import requests

from pixdesk.server.config import ServerConfig, ServerState
from pixdesk.server.review import LATE, load_attempts
from tests.sync.conftest import free_port, wait_for_port

ENV = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", PIXDESK_LANG="fr")
SERVER = str(Path(sys.executable).with_name("pixdesk-server"))
SESSION = "DEMO-0001"


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, env=ENV, timeout=180)


def pixdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pixdesk", *args)


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def rehearse(pc_dir: Path, candidate: str, seed: int) -> None:
    ok(pixdesk("rehearse", "--answers", "correct", "--seed", str(seed), "--candidate",
               candidate, "--data-dir", str(pc_dir)))


def sync(pc_dir: Path) -> None:
    ok(pixdesk("sync", "--once", "--data-dir", str(pc_dir)))


def attempt_of(server_dir: Path, candidate: str) -> str:
    state = ServerState.open(ServerConfig(server_dir, accept_demo=True), load_content=False)
    try:
        return next(a.attempt_id for a in load_attempts(state, SESSION)
                    if a.candidate_id == candidate)
    finally:
        state.close()


def test_three_rehearsals_to_a_finalised_session_a_csv_and_a_verified_certificate(
    tmp_path: Path
) -> None:
    server_dir, pc_dir, out = tmp_path / "server", tmp_path / "pc", tmp_path / "out"
    data = ["--data-dir", str(server_dir)]
    token = ok(run(SERVER, "enrol-token", "--centre", "DEMO", *data)).strip()
    admin = ok(run(SERVER, "admin-token", *data)).strip()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = subprocess.Popen([SERVER, "serve", "--port", str(port), "--accept-demo", *data],
                             env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        rehearse(pc_dir, "demo-1", 1)
        rehearse(pc_dir, "demo-2", 2)
        wait_for_port(port, serve)
        ok(pixdesk("enrol", "--server", url, "--token", token, "--centre", "DEMO",
                   "--data-dir", str(pc_dir)))
        sync(pc_dir)
        finalised = requests.post(
            f"{url}/v1/sessions/{SESSION}/finalise", timeout=30,
            headers={"Authorization": f"Bearer {admin}"},
            json={"by": "Mme Diallo", "report": "Session sans incident majeur.",
                  "incidents": ["E9:page figée sur un poste, relancée"]})
        assert finalised.status_code == 200, finalised.text
        assert finalised.json()["absent"] == ["demo-3", "demo-4", "demo-5", "demo-6"]
        rehearse(pc_dir, "demo-3", 3)
        sync(pc_dir)

        exported = run(SERVER, "export-csv", SESSION, "--out", str(out / "csv"),
                       "--accept-demo", *data)
        [csv_file] = (out / "csv").glob(f"*_resultats_session_{SESSION}.csv")
        lines = csv_file.read_text(encoding="utf-8-sig").splitlines()
        assert [line.split(";")[1] for line in lines[1:]] == ["Léa", "Hugo"]
        late = attempt_of(server_dir, "demo-3")
        assert f"{late} (candidat / candidate demo-3) [{LATE}]" in ok(exported) + (
            exported.stderr)

        first = attempt_of(server_dir, "demo-1")
        printed = ok(run(SERVER, "certificate", first, "--out", str(out / "cert.pdf"),
                         "--public-url", url, "--accept-demo", *data))
        code = printed.strip().rsplit("(", 1)[1].rstrip(")")
        checked = requests.get(f"{url}/v1/certificates/{code}", timeout=10)
        assert checked.status_code == 200, checked.text
        assert (checked.json()["last_name"], checked.json()["code"]) == ("Martin", code)
        assert json.loads(ok(run(SERVER, "verify", code, "--accept-demo", *data))) == (
            checked.json())
        forged = requests.get(f"{url}/v1/certificates/P-{'A' * 12}", timeout=10)
        assert (forged.status_code, forged.json()["error"]) == (404, "certificate.unknown")
        refused = run(SERVER, "certificate", late, "--out", str(out / "late.pdf"),
                      "--accept-demo", *data)
        assert refused.returncode != 0 and "server.withheld" in refused.stderr

        ok(run(SERVER, "session-report", SESSION, "--out", str(out / "pv.pdf"),
               "--accept-demo", *data))
        text = ok(run("pdftotext", "-layout", str(out / "pv.pdf"), "-"))
        assert "E9" in text and "Mme Diallo" in text and "session.late" in text
    finally:
        serve.terminate()
        serve.wait(timeout=30)
