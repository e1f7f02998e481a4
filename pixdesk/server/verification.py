"""Checking a certificate by its code: the minimum a third party needs, and nothing else.

``GET /v1/certificates/{code}`` is public (an employer has no account), so it answers only
the name, date of birth, date of the test, score, level and competence levels of a
certificate that is still published, and each client address may ask only a few times a
minute (``TokenBucket``): with 59.4-bit codes, guessing one is hopeless (docs/server.md).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from pixdesk.errors import UsageError
from pixdesk.server.config import Refusal, ServerState
from pixdesk.server.publication import is_finalised, withheld_reason
from pixdesk.server.review import load_attempt
from pixdesk.server.sessions import load_session_record

RATE_PER_MINUTE = 10
BURST = 10
MAX_TRACKED = 10_000
"""Client addresses remembered at once; past it, those whose bucket is full again go."""


def normalise(code: str) -> str:
    """``p-abcd efgh…`` → ``P-ABCDEFGH…``: the code as printed, whatever was typed around it."""
    text = "".join(c for c in code.upper() if c.isalnum())
    return "P-" + text.removeprefix("P")


def verify(state: ServerState, code: str) -> dict[str, Any]:
    """What the certificate with this code says, if it is still published; a
    ``Refusal`` otherwise (404 unknown code, 410 a certificate withdrawn since)."""
    wanted = normalise(code)
    with state.engine.connect() as conn:
        attempt_id = conn.exec_driver_sql(state.sql(
            "SELECT attempt_id FROM results WHERE verification_code = ?"), (wanted,)
        ).scalar_one_or_none()
    if attempt_id is None:
        raise Refusal(404, "certificate.unknown",
                      "Aucun certificat ne porte ce code.", "No certificate has this code.")
    attempt = load_attempt(state, attempt_id)
    assert attempt is not None
    session = load_session_record(state, attempt.session_id)
    candidate = None if session is None else next(
        (c for c in session.candidates if c.id == attempt.candidate_id), None)
    if (session is None or candidate is None or attempt.rescored is None
            or not is_finalised(state, attempt.session_id)
            or withheld_reason(state, attempt) is not None):
        raise Refusal(410, "certificate.withdrawn",
                      "Ce certificat a été retiré : il n'est plus valable.",
                      "This certificate was withdrawn: it is no longer valid.")
    result = attempt.rescored
    return {
        "code": wanted, "first_name": candidate.first_name, "last_name": candidate.last_name,
        "birth_date": candidate.birth_date, "date": session.date,
        "score": result.get("score"), "level": result.get("level_name"),
        "competence_levels": dict(result.get("competence_levels", {})),
    }


def verify_command(state: ServerState, code: str) -> dict[str, Any]:
    """``verify`` for the CLI: the same answer, a refusal as a usage error."""
    try:
        return verify(state, code)
    except Refusal as refusal:
        raise UsageError(refusal.code, refusal.fr, refusal.en) from None


@dataclass
class _Bucket:
    tokens: float
    at: float


class TokenBucket:
    """Per-address token buckets: ``burst`` requests at once, then ``per_minute``.

    Hand-written rather than a library: the route is the only limited one, a process's
    memory is the right scope (each worker limits on its own, so N workers allow N times
    the rate, which the docs' figure counts), and a dozen lines add no dependency."""

    def __init__(self, per_minute: float = RATE_PER_MINUTE, burst: int = BURST,
                 clock: Any = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self.buckets: dict[str, _Bucket] = {}
        self.lock = threading.Lock()

    def retry_after(self, address: str) -> int:
        """0 if ``address`` may ask now (and takes a token), else seconds to wait."""
        now = self.clock()
        with self.lock:
            if len(self.buckets) >= MAX_TRACKED:
                self.buckets = {a: b for a, b in self.buckets.items()
                                if b.tokens + (now - b.at) * self.rate < self.burst}
            bucket = self.buckets.setdefault(address, _Bucket(self.burst, now))
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0
            return max(1, int((1.0 - bucket.tokens) / self.rate + 0.999))
