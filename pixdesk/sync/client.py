"""HTTP to the PixDesk server: timeouts always, patient retries, and clear refusals.

Exam centres have flaky networks and a national server sheds load with 503s, so a transient
failure (5xx, 429, timeout, refused or cut connection) is retried with capped exponential
backoff and full jitter, and a ``Retry-After`` from the server wins over our own guess.
A 4xx is never retried: the request itself is wrong or refused, and repeating it only hides
that from the human who must look. The waiting (``sleep``) and the dice (``rng``) are
injectable so tests run the real network code without waiting for real.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import requests

from pixdesk.errors import SyncError
from pixdesk.sync import protocol
from pixdesk.sync.device import DeviceIdentity

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 15.0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long to keep trying one request before reporting it as failed."""

    tries: int = 6
    base_s: float = 0.5
    cap_s: float = 30.0
    max_retry_after_s: float = 300.0
    """A ``Retry-After`` longer than this is reported instead of waited for."""

    def backoff(self, failures: int, rng: random.Random) -> float:
        """Full jitter: uniform between 0 and the capped exponential bound."""
        return rng.uniform(0.0, min(self.cap_s, self.base_s * 2.0 ** (failures - 1)))


class Refused(SyncError):
    """The server answered 4xx: the request is refused as it stands and is not retried."""

    def __init__(self, error: SyncError, status: int, body: Any) -> None:
        super().__init__(error.code, error.fr, error.en)
        self.status = status
        self.body = body


def parse_retry_after(value: str | None, now_s: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now_s)


class SyncClient:
    """One server, one device: unsigned calls for enrolment, device-signed calls after."""

    def __init__(
        self,
        base_url: str,
        device: DeviceIdentity | None = None,
        *,
        policy: RetryPolicy | None = None,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        clock_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.device = device
        self.policy = policy or RetryPolicy()
        self.timeout = timeout
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._clock_ms = clock_ms
        self._http = session or requests.Session()

    def close(self) -> None:
        self._http.close()

    # --- endpoints -------------------------------------------------------------------------

    def meta(self) -> protocol.Meta:
        return cast(protocol.Meta, self.request("GET", protocol.META_PATH))

    def reachable(self) -> bool:
        """One quick health probe, no retry: for the connectivity watcher."""
        try:
            response = self._http.get(
                self.base_url + protocol.HEALTH_PATH, timeout=self.timeout
            )
        except requests.RequestException:
            return False
        return response.status_code == 200

    def enrol(self, body: protocol.EnrolRequest) -> protocol.EnrolResponse:
        return cast(
            protocol.EnrolResponse, self.request("POST", protocol.DEVICES_PATH, dict(body))
        )

    def post_events(self, body: protocol.EventsBody) -> dict[str, Any]:
        path = protocol.events_path(body["attempt_id"])
        return cast(dict[str, Any], self.request("POST", path, dict(body), signed=True))

    def post_result(self, body: protocol.ResultBody) -> protocol.ResultResponse:
        path = protocol.result_path(body["attempt_id"])
        return cast(protocol.ResultResponse, self.request("POST", path, dict(body), signed=True))

    def signed_headers(self, method: str, path: str, body: bytes) -> dict[str, str]:
        if self.device is None:
            raise SyncError(
                "sync.not_enrolled",
                "Ce poste n'est pas inscrit auprès d'un serveur : lancez « pixdesk enrol ».",
                "This PC is not enrolled with a server: run \"pixdesk enrol\".",
            )
        return protocol.sign_request(
            self.device.signing_key, self.device.device_id, method, path, body, self._clock_ms()
        )

    # --- the retry loop --------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        signed: bool = False,
    ) -> Any:
        """Send until a 2xx (its JSON is returned), a 4xx (``Refused``) or tries run out.

        A signed request is signed afresh for every try (new timestamp), over the same body,
        so its ``Idempotency-Key`` does not change between retries.
        """
        data = b"" if body is None else protocol.encode_body(body)
        for attempt in range(1, self.policy.tries + 1):
            headers = {"Content-Type": "application/json"} if body is not None else {}
            if signed:
                headers |= self.signed_headers(method, path, data)
            elif data:
                headers[protocol.HEADER_IDEMPOTENCY] = protocol.idempotency_key(data)
            outcome = self._try(method, path, data, headers, attempt)
            if not isinstance(outcome, _Retry):
                return outcome
            if attempt == self.policy.tries or outcome.wait_s > self.policy.max_retry_after_s:
                raise outcome.error
            log.warning(
                "%s %s: %s; retry %d in %.2f s", method, path, outcome.error.code, attempt,
                outcome.wait_s,
            )
            self._sleep(outcome.wait_s)
        raise AssertionError("RetryPolicy.tries must be at least 1")

    def _try(
        self, method: str, path: str, data: bytes, headers: dict[str, str], attempt: int
    ) -> Any:
        """One try: the answer's JSON, or a ``_Retry`` when the failure is transient."""
        url = self.base_url + path
        try:
            response = self._http.request(
                method, url, data=data or None, headers=headers, timeout=self.timeout
            )
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema) as error:
            raise SyncError(
                "sync.bad_url",
                f"Adresse de serveur invalide : {self.base_url}.",
                f"Invalid server address: {self.base_url}.",
            ) from error
        except requests.RequestException as error:
            kind = "délai dépassé" if isinstance(error, requests.Timeout) else "connexion perdue"
            kind_en = "timed out" if isinstance(error, requests.Timeout) else "connection lost"
            return _Retry(self.policy.backoff(attempt, self._rng), SyncError(
                "sync.unreachable",
                f"Serveur injoignable ({self.base_url}, {kind}) ; les données restent sur ce "
                "poste.",
                f"Server unreachable ({self.base_url}, {kind_en}); the data stays on this PC.",
            ))
        status = response.status_code
        payload = _json_or_none(response)
        if 200 <= status < 300 and payload is not None:
            return payload
        if status < 500 and status != 429 and not 200 <= status < 300:
            raise Refused(protocol.error_from_body(status, payload), status, payload)
        wait = self.policy.backoff(attempt, self._rng)
        retry_after = parse_retry_after(
            response.headers.get(protocol.HEADER_RETRY_AFTER), self._clock_ms() / 1000
        )
        if retry_after is not None:
            wait = retry_after
        refusal = (
            protocol.error_from_body(status, payload)
            if payload is not None and status >= 300
            else SyncError(
                "sync.server_error",
                f"Le serveur ne répond pas correctement (HTTP {status}) ; nouvel essai plus "
                "tard, les données restent sur ce poste.",
                f"The server is not answering properly (HTTP {status}); will retry later, "
                "the data stays on this PC.",
            )
        )
        return _Retry(wait, refusal)


@dataclass(frozen=True, slots=True)
class _Retry:
    wait_s: float
    error: SyncError


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
