"""A room of PCs as the session file describes it, without a server: the trust that
``pixdesk.server.sessions`` puts in the file, built by the same function."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto
from pixdesk.errors import AttemptError
from pixdesk.room import commands
from pixdesk.room.commands import Command
from pixdesk.room.keys import RoomTrust, new_room_trust
from pixdesk.room.status import PcState
from pixdesk.session import Candidate, Session

PASSWORD = "K7M2-PQ4X-9TR"
SESSION_ID = "4200001"
GUARD_S = 30
"""Upper bound on any wait in the socket tests: a hang fails, nothing is timed."""


@dataclass
class Pc:
    device_id: str
    key: Ed25519PrivateKey = field(default_factory=crypto.new_signing_key)


def room_session(pcs: list[Pc], session_id: str = SESSION_ID) -> Session:
    return Session(
        id=session_id, centre_id="C1", centre_name="Lycée", date="2026-06-12", room="B12",
        access_code_hash="", invigilator_password_hash="", version_id="v", package_id="p",
        candidates=tuple(Candidate(f"c{i}", "Nom", "Prénom", "2009-01-01")
                         for i in range(len(pcs))),
        room_console=new_room_trust(session_id, PASSWORD, {
            pc.device_id: crypto.public_key_bytes(pc.key) for pc in pcs}),
    )


def trust_of(session: Session) -> RoomTrust:
    return RoomTrust.from_session(session)


@dataclass
class Exam:
    """What the exam window will do with a verified command (the next step wires the real
    one): move between the states the console shows, refuse what the state forbids."""

    candidate_id: str
    state: PcState = field(default_factory=PcState)
    applied: list[Command] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.state = PcState(state="checked_in", candidate_id=self.candidate_id, total=32)

    def current(self) -> PcState:
        return self.state

    def apply(self, command: Command) -> None:
        moves = {commands.AUTHORISE_START: ("checked_in", "authorised"),
                 commands.PAUSE: ("running", "paused"), commands.RESUME: ("paused", "running")}
        if command.command in moves:
            before, after = moves[command.command]
            if self.state.state != before:
                raise AttemptError("attempt.wrong_phase", "Pas maintenant.", "Not now.")
            self.state = PcState(state=after, candidate_id=self.candidate_id, total=32)
        self.applied.append(command)


def run(coroutine: Coroutine[Any, Any, None]) -> None:
    asyncio.run(asyncio.wait_for(coroutine, GUARD_S))
