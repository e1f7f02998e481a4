"""The HTTP face of the server: routes, error bodies and the ingest concurrency limit.

Handlers read the raw body (signatures cover its exact bytes) and hand the blocking work
(crypto, database) to a thread pool; refusals become the protocol's error body. Every body
is capped before it is read (``BodyCap``). Ingest is
capped: past ``max_in_flight`` requests the server answers 503 with ``Retry-After`` at once
rather than queueing work it cannot finish in time — clients back off and come back.

The ingest POSTs (an attempt's events and result, a device-journal run's records), which
carry nearly all the traffic, are served by ``IngestFront``, a plain ASGI layer in front of
FastAPI: routing, dependency solving and the middleware stack cost about as much CPU per
request as verifying a batch, and these routes use none of it.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from pixdesk import crypto
from pixdesk.errors import PixdeskError
from pixdesk.server import device_journal, finalise, ingest, sessions, verification
from pixdesk.server.config import SERVER_VERSION, Refusal, ServerConfig, ServerState
from pixdesk.sync import protocol

log = logging.getLogger(__name__)


def _error_parts(refusal: Refusal) -> tuple[dict[str, Any], dict[str, str]]:
    """The protocol's error body and headers for a refusal."""
    extra = {} if refusal.acked_through_seq is None else {
        "acked_through_seq": refusal.acked_through_seq
    }
    headers = {} if refusal.retry_after is None else {
        protocol.HEADER_RETRY_AFTER: str(refusal.retry_after)
    }
    return dict(protocol.error_body(refusal, **extra)), headers


def _error(refusal: Refusal) -> JSONResponse:
    body, headers = _error_parts(refusal)
    return JSONResponse(body, refusal.status, headers=headers)


class InFlight:
    """Counts ingest requests being handled; only the event loop thread touches it."""

    def __init__(self, limit: int, retry_after_s: int) -> None:
        self.limit = limit
        self.retry_after_s = retry_after_s
        self.count = 0

    @property
    def full(self) -> bool:
        return self.count >= self.limit

    def busy(self) -> Refusal:
        return Refusal(
            503, "server.busy",
            "Serveur occupé : nouvel essai automatique dans quelques secondes.",
            "Server busy: retrying automatically in a few seconds.",
            retry_after=self.retry_after_s,
        )


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

_TOO_LARGE = Refusal(413, "request.too_large", "Requête trop grosse.", "Request too large.")
_INTERNAL = Refusal(500, "server.internal",
                    "Erreur interne du serveur : nouvel essai automatique plus tard.",
                    "Internal server error: retrying automatically later.")
_CLOSE = {"Connection": "close"}
"""On a 413: uvicorn then closes the connection instead of reading the rest of the body."""


class BodyTooLarge(Exception):
    """A request body passed its route's cap while it was being read."""


class _Disconnected(Exception):
    """The client went away before its body was whole: there is nobody to answer."""


async def _send_json(send: Send, status: int, body: dict[str, Any],
                     headers: dict[str, str]) -> None:
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head = [(b"content-type", b"application/json"),
            (b"content-length", str(len(raw)).encode("ascii"))]
    head += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": raw})


async def _refuse(send: Send, refusal: Refusal, extra: dict[str, str] | None = None) -> None:
    body, headers = _error_parts(refusal)
    await _send_json(send, refusal.status, body, headers | (extra or {}))


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _ingest_route(path: str) -> bool:
    """An attempt's events or result, or a device-journal run: the routes capped at
    ``max_body_bytes`` (a batch of ``protocol.MAX_BATCH_EVENTS`` records) and served by
    ``IngestFront``."""
    return bool(ingest.ATTEMPT_PATH.match(path) or device_journal.RUN_PATH.match(path))


class BodyCap:
    """The outermost layer: no route reads more of a request body than its cap (the ingest
    POSTs ``max_body_bytes``, every other route ``max_other_body_bytes``), and nothing is
    read before the cap is checked. A declared ``Content-Length`` over the cap is answered
    413 at once, before a byte of the body is read; a body sent without one (chunked) is
    counted as the route reads it, and the read that passes the cap raises
    ``BodyTooLarge``, which the routes answer 413. Either answer says ``Connection: close``,
    so the server drops the rest of the body instead of reading it."""

    def __init__(self, app: Asgi, ingest_cap: int, other_cap: int) -> None:
        self.app = app
        self.ingest_cap = ingest_cap
        self.other_cap = other_cap

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ingesting = scope["method"] == "POST" and _ingest_route(scope["path"])
        cap = self.ingest_cap if ingesting else self.other_cap
        declared = _declared_length(scope)
        if declared is not None and declared > cap:
            log.warning("refused %s: request.too_large (%d bytes declared)", scope["path"],
                        declared)
            await _refuse(send, _TOO_LARGE, _CLOSE)
            return
        received = 0

        async def capped() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > cap:
                log.warning("refused %s: request.too_large (over %d bytes)", scope["path"],
                            cap)
                raise BodyTooLarge
            return message

        await self.app(scope, capped, send)


class IngestFront:
    """``POST /v1/attempts/{id}/events``, ``…/result`` and a device-journal run's
    ``POST /v1/devices/{d}/journal/{run}/events`` as plain ASGI; every other
    request goes to the FastAPI app behind. Same contract as a FastAPI route: JSON answer,
    the protocol's error body for a refusal, 500 (logged) for anything unexpected."""

    def __init__(self, app: Asgi, state: ServerState, in_flight: InFlight) -> None:
        self.app = app
        self.state = state
        self.in_flight = in_flight
        self.pool = ThreadPoolExecutor(max_workers=in_flight.limit,
                                       thread_name_prefix="pixdesk-ingest")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not _ingest_route(
            scope["path"]
        ):
            await self.app(scope, receive, send)
            return
        if self.in_flight.full:
            log.warning("refused %s: server.busy (%d in flight)", scope["path"],
                        self.in_flight.count)
            await _refuse(send, self.in_flight.busy())
            return
        self.in_flight.count += 1
        try:
            await self._ingest(scope, receive, send)
        finally:
            self.in_flight.count -= 1

    async def _ingest(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            body = await self._body(receive)
        except BodyTooLarge:
            await _refuse(send, _TOO_LARGE, _CLOSE)
            return
        except _Disconnected:
            return
        path = scope["path"]
        attempt = ingest.ATTEMPT_PATH.match(path)
        if attempt is not None:
            work = ingest.ingest_events if attempt["what"] == "events" else ingest.submit_result
            job = functools.partial(work, self.state, attempt["attempt"], path, headers, body)
        else:
            run = device_journal.RUN_PATH.match(path)
            assert run is not None
            job = functools.partial(device_journal.ingest_run, self.state, run["device"],
                                    run["run"], path, headers, body)
        try:
            answer = await asyncio.get_running_loop().run_in_executor(self.pool, job)
        except Refusal as refusal:
            await _refuse(send, refusal)
            return
        except Exception:
            log.exception("ingest of %s failed", path)
            await _refuse(send, _INTERNAL)
            return
        await _send_json(send, 200, dict(answer), {})

    @staticmethod
    async def _body(receive: Receive) -> bytes:
        """The whole body (``BodyCap`` stops it at the cap); a body cut short is never
        handed to ingest (it would only fail its signature)."""
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Disconnected
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        return b"".join(chunks)


def _finalise(state: ServerState, session_id: str, body: bytes) -> dict[str, Any]:
    """``POST /v1/sessions/{id}/finalise``: ``{"by": NAME, "report": TEXT, "incidents":
    ["E9:TEXT", ...]}``; the session's summary, or the CLI's refusals as 400/404/409."""
    try:
        data = json.loads(body)
        by, report = str(data["by"]), str(data.get("report", ""))
        specs = [str(spec) for spec in data.get("incidents", [])]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise Refusal(400, "request.malformed", "Requête mal formée.",
                      "Malformed request.") from exc
    try:
        incidents = [finalise.parse_incident(spec) for spec in specs]
        return finalise.finalise(state, session_id, by, report, incidents).to_json()
    except PixdeskError as error:
        status = {"server.unknown_session": 404, "session.finalised": 409}.get(error.code, 400)
        raise Refusal(status, error.code, error.fr, error.en) from None


CONFIG_ENV = "PIXDESK_SERVER_CONFIG"
"""Where ``pixdesk-server serve --workers N`` leaves the configuration for each worker."""


def app_from_environment() -> Asgi:
    """The app factory uvicorn calls in each worker process."""
    return create_app(ServerConfig.from_json(os.environ[CONFIG_ENV]))


def create_app(config: ServerConfig, state: ServerState | None = None) -> Asgi:
    """A ready app on ``config``'s database and keys (``state`` to share an opened one)."""
    state = state or ServerState.open(config)
    if config.accept_demo:
        sessions.import_demo_session(state)
    in_flight = InFlight(config.max_in_flight, config.retry_after_s)
    app = FastAPI(title="pixdesk-server", version=SERVER_VERSION, docs_url=None,
                  redoc_url=None, openapi_url=None)

    @app.exception_handler(Refusal)
    async def refused(_request: Request, exc: Refusal) -> JSONResponse:
        return _error(exc)

    @app.exception_handler(BodyTooLarge)
    async def too_large(_request: Request, _exc: BodyTooLarge) -> JSONResponse:
        body, headers = _error_parts(_TOO_LARGE)
        return JSONResponse(body, _TOO_LARGE.status, headers=headers | _CLOSE)

    @app.get(protocol.META_PATH, response_model=None)
    async def meta() -> dict[str, Any]:
        return dict(protocol.Meta(
            server_version=SERVER_VERSION, protocol=protocol.PROTOCOL_VERSION,
            server_key_id=state.keys.key_id,
            signing_public_key=crypto.b64e(state.keys.signing_public),
            sealing_public_key=crypto.b64e(state.keys.sealing_public),
            time=time.time_ns() // 1_000_000, accepts_demo=config.accept_demo,
        ))

    @app.get(protocol.HEALTH_PATH, response_model=None)
    async def health() -> dict[str, str] | Response:
        if in_flight.full:
            return _error(in_flight.busy())
        return {"status": "ok"}

    @app.post(protocol.DEVICES_PATH, status_code=201, response_model=None)
    async def enrol(request: Request) -> Any:
        body = await request.body()
        return await run_in_threadpool(sessions.enrol_device, state, body)

    @app.get("/v1/sessions/{session_id}", response_model=None)
    async def session_file(session_id: str, request: Request) -> Any:
        path = request.url.path

        def work() -> dict[str, Any]:
            device = ingest.authenticate(state, "GET", path, request.headers, b"")
            return sessions.session_for_device(state, session_id, device)

        return await run_in_threadpool(work)

    limit = verification.AddressLimit()

    @app.get("/v1/certificates/{code}", response_model=None)
    async def certificate(code: str, request: Request) -> Any:
        address = request.client.host if request.client is not None else "?"
        wait = limit.retry_after(address)
        if wait:
            log.warning("refused %s from %s: request.rate_limited", request.url.path, address)
            raise Refusal(429, "request.rate_limited",
                          "Trop de vérifications : réessayez dans une minute.",
                          "Too many checks: try again in a minute.", retry_after=wait)
        return await run_in_threadpool(verification.verify, state, code)

    @app.post("/v1/sessions/{session_id}/finalise", response_model=None)
    async def finalise_session(session_id: str, request: Request) -> Any:
        given = request.headers.get("authorization", "")
        token = given.removeprefix("Bearer ").strip() if given.startswith("Bearer ") else ""
        if not token or not finalise.admin_token_matches(config.data_dir, token):
            raise Refusal(401, "admin.bad_token", "Jeton d'administration refusé.",
                          "Admin token refused.")
        body = await request.body()
        return await run_in_threadpool(_finalise, state, session_id, body)

    return BodyCap(IngestFront(app, state, in_flight), config.max_body_bytes,
                   config.max_other_body_bytes)

