"""Checking a certificate by its code: the minimum a third party needs, and nothing else.

``GET /v1/certificates/{code}`` is public (an employer has no account), so it answers only
the name, date of birth, date of the test, score, level and competence levels of a
certificate that is still published, and each client address may ask only a few times a
minute (``AddressLimit``): with 59.4-bit codes, guessing one is hopeless (docs/server.md).
"""

from __future__ import annotations

import math
import time
from typing import Any

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from pixdesk.errors import UsageError
from pixdesk.server.config import Refusal, ServerState
from pixdesk.server.publication import is_finalised, withheld_reason
from pixdesk.server.review import load_attempt
from pixdesk.server.sessions import load_session_record

RATE_PER_MINUTE = 10


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


class AddressLimit:
    """At most ``per_minute`` checks per client address in any sliding minute.

    ``limits``' moving window kept in this process's memory: each worker limits on its own,
    so N workers allow N times the rate, which the docs' figure counts."""

    def __init__(self, per_minute: int = RATE_PER_MINUTE) -> None:
        self.item = RateLimitItemPerMinute(per_minute)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def retry_after(self, address: str) -> int:
        """0 if ``address`` may ask now (the check is counted), else whole seconds to wait."""
        if self.limiter.hit(self.item, address):
            return 0
        reset_at, _remaining = self.limiter.get_window_stats(self.item, address)
        return max(1, math.ceil(reset_at - time.time()))
