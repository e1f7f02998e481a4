"""The HTTP face of the server: routes, error bodies and the ingest concurrency limit.

Handlers read the raw body (signatures cover its exact bytes) and hand the blocking work
(crypto, database) to the thread pool; refusals become the protocol's error body. Ingest is
capped: past ``max_in_flight`` requests the server answers 503 with ``Retry-After`` at once
rather than queueing work it cannot finish in time — clients back off and come back.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session as DbSession
from starlette.concurrency import run_in_threadpool

from pixdesk import crypto
from pixdesk.server import ingest, sessions
from pixdesk.server.config import SERVER_VERSION, Refusal, ServerConfig, ServerState
from pixdesk.sync import protocol

log = logging.getLogger(__name__)


def _error(refusal: Refusal) -> JSONResponse:
    extra = {} if refusal.acked_through_seq is None else {
        "acked_through_seq": refusal.acked_through_seq
    }
    headers = {} if refusal.retry_after is None else {
        protocol.HEADER_RETRY_AFTER: str(refusal.retry_after)
    }
    return JSONResponse(dict(protocol.error_body(refusal, **extra)), refusal.status,
                        headers=headers)


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


CONFIG_ENV = "PIXDESK_SERVER_CONFIG"
"""Where ``pixdesk-server serve --workers N`` leaves the configuration for each worker."""


def app_from_environment() -> FastAPI:
    """The app factory uvicorn calls in each worker process."""
    return create_app(ServerConfig.from_json(os.environ[CONFIG_ENV]))


def create_app(config: ServerConfig, state: ServerState | None = None) -> FastAPI:
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

    async def limited(request: Request, work: Callable[[bytes], Mapping[str, Any]]) -> Response:
        """Run ``work`` on the body unless the server is full; its answer is sent as is (no
        FastAPI re-encoding: the ingest answers are plain JSON already)."""
        if in_flight.full:
            log.warning("refused %s: server.busy (%d in flight)", request.url.path,
                        in_flight.count)
            return _error(in_flight.busy())
        in_flight.count += 1
        try:
            length = int(request.headers.get("content-length") or 0)
            if length > config.max_body_bytes:
                return _error(Refusal(413, "request.too_large", "Requête trop grosse.",
                                      "Request too large."))
            body = await request.body()
            return JSONResponse(dict(await run_in_threadpool(work, body)))
        finally:
            in_flight.count -= 1

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
            with DbSession(state.engine) as db:
                device = ingest.authenticate(state, db, "GET", path, request.headers, b"")
            return sessions.session_for_device(state, session_id, device)

        return await run_in_threadpool(work)

    @app.post("/v1/attempts/{attempt_id}/events", response_model=None)
    async def events(attempt_id: str, request: Request) -> Any:
        path, headers = request.url.path, dict(request.headers)
        return await limited(
            request, lambda body: ingest.ingest_events(state, attempt_id, path, headers, body)
        )

    @app.post("/v1/attempts/{attempt_id}/result", response_model=None)
    async def result(attempt_id: str, request: Request) -> Any:
        path, headers = request.url.path, dict(request.headers)
        return await limited(
            request, lambda body: ingest.submit_result(state, attempt_id, path, headers, body)
        )

    return app

