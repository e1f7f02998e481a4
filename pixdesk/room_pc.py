"""A PC of the room without a window: the capacity benchmark's and the room tests' PC.

``python -m pixdesk.room_pc --data-dir D --session F --device-key F --console ws://… |
auto --candidate ID [--answer-every S]`` runs what the exam window runs, minus Qt: a
``LiveAttempt`` on the journal of ``D``, the ``CommandGate`` with its ledger in ``D``, and a
``RoomAgent`` whose verified commands go through ``pixdesk.roomlink.apply_command`` (journaled
with their proof) and whose status is ``pixdesk.roomlink.pc_state``. It checks the candidate
in at start (or reopens their unfinished attempt after a restart), begins once authorised,
and answers a question every ``S`` seconds while the test runs.

It sits the demo package: the session file must be signed by a server key PixDesk ships
(the public demo key only for a session marked demo) and name that package. The device key
file holds the PC's Ed25519 signing key (``pixdesk.trust.write_key_file``); the PC is the
device whose key the session's ``room_console.device_keys`` lists.

Each command the exam applied or refused is one JSON line on stdout, with the wall time it
was journaled and the time left before and after: ``{"event": "applied", "device_id",
"nonce", "command", "applied_ms", "remaining_ms_before", "remaining_ms"}`` (``"refused"``
with ``code``); so is each answer (``"answered"``, with ``answered_ms``). A first
``{"event": "ready", …}`` line says the PC is up.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import functools
import json
import random
import signal
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pixdesk import crypto
from pixdesk.content.package import open_package
from pixdesk.demo import package_path
from pixdesk.engine.attempt import Phase
from pixdesk.engine.review import model_answer, wrong_answer
from pixdesk.errors import PixdeskError, UsageError
from pixdesk.exam import ExamContent, LiveAttempt
from pixdesk.room.agent import RoomAgent
from pixdesk.room.commands import Command
from pixdesk.room.discovery import console_source
from pixdesk.room.gate import CommandGate, CommandLedger
from pixdesk.room.keys import RoomTrust
from pixdesk.room.status import PcState
from pixdesk.roomlink import apply_command, pc_state
from pixdesk.session import Session, load_session
from pixdesk.store.journal import Journal
from pixdesk.trust import Role, read_key_file, shipped_keys

TICK_S = 1.0
HEARTBEAT_S = 1.0
"""A status at least every second: the console's view of a PC is then never more than
about a second old (the room's goal is 2 s at p99), for ~100 signed messages a second
from a room of 100 PCs."""


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


@functools.cache
def demo_content() -> ExamContent:
    """The demo package, opened once per process however many PCs it runs."""
    package = open_package(package_path())
    return ExamContent(package.manifest.package_id, package.bank, package.versions)


def load_room_session(path: Path) -> Session:
    session = load_session(path, shipped_keys(Role.SERVER))
    content = demo_content()
    if session.package_id != content.package_id or session.version_id not in content.versions:
        raise UsageError(
            "room_pc.not_demo_package",
            f"La session {session.id} n'est pas sur le paquet de démonstration : un poste "
            "sans fenêtre ne passe que celui-ci.",
            f"Session {session.id} is not on the demo package: a headless PC only sits "
            "that one.")
    return session


def device_of(session: Session, key: Ed25519PrivateKey) -> str:
    """The device id the session lists for this signing key."""
    public = crypto.b64e(crypto.public_key_bytes(key))
    devices = session.room_console.get("device_keys", {})
    for device_id, listed in devices.items() if isinstance(devices, dict) else ():
        if listed == public:
            return str(device_id)
    raise UsageError(
        "room_pc.unknown_device",
        "Cette clé de poste n'est pas dans la liste des postes de la session.",
        "This device key is not among the session's PCs.")


def _unfinished(journal: Journal, candidate_id: str) -> str | None:
    for info in reversed(journal.attempts()):
        events = journal.events(info.attempt_id)
        if (events and events[-1].kind != "ended"
                and events[0].payload.get("candidate_id") == candidate_id):
            return info.attempt_id
    return None


class HeadlessPc:
    """One PC: its exam, its gate and its agent, on the caller's event loop."""

    def __init__(self, data_dir: Path, session: Session, key: Ed25519PrivateKey,
                 candidate_id: str, console: str, *, answer_every_s: float | None = None,
                 out: TextIO = sys.stdout, seed: int | None = None,
                 heartbeat_s: float = HEARTBEAT_S) -> None:
        self.session, self.out, self.candidate_id = session, out, candidate_id
        trust = RoomTrust.from_session(session)
        source = console_source(console, session.id)
        self.device_id = device_of(session, key)
        try:
            candidate = session.candidate(candidate_id)
        except KeyError:
            raise UsageError("room_pc.unknown_candidate",
                             f"Candidat inconnu dans la session : {candidate_id[:40]}.",
                             f"Candidate not in the session: {candidate_id[:40]}.") from None
        data_dir.mkdir(parents=True, exist_ok=True)
        self.journal = Journal.open(data_dir, demo=session.demo)
        content = demo_content()
        attempt_id = _unfinished(self.journal, candidate.id)
        if attempt_id is not None:
            self.live = LiveAttempt.reopen(self.journal, content, attempt_id)
        else:
            self.live = LiveAttempt.check_in(
                self.journal, content, session, candidate,
                attempt_id=f"room-{uuid.uuid4()}",
                seed=seed if seed is not None else random.SystemRandom().randrange(2**31))
        self.answer_every_s = answer_every_s
        self._chooser = random.Random(seed)
        gate = CommandGate(trust, self.device_id, CommandLedger(data_dir))
        self.agent = RoomAgent(source, gate, key, self.state,
                               self.apply, heartbeat_s=heartbeat_s, first_retry_s=0.5,
                               max_retry_s=5.0)

    def state(self) -> PcState:
        return pc_state(self.live, self.live.clock.now())

    def _shown(self) -> PcState:
        """The status but for the time left, which the heartbeat keeps fresh enough."""
        return dataclasses.replace(self.state(), remaining_ms=None)

    def _emit(self, record: dict[str, Any]) -> None:
        self.out.write(json.dumps({**record, "device_id": self.device_id}) + "\n")
        self.out.flush()

    def apply(self, command: Command) -> None:
        before = self.live.remaining_ms()
        try:
            apply_command(self.live, command)
        except PixdeskError as error:
            self._emit({"event": "refused", "nonce": command.nonce,
                        "command": command.command, "code": error.code})
            raise
        self._emit({"event": "applied", "nonce": command.nonce, "command": command.command,
                    "applied_ms": _wall_ms(), "remaining_ms_before": before,
                    "remaining_ms": self.live.remaining_ms()})

    async def run(self) -> None:
        self._emit({"event": "ready", "candidate_id": self.candidate_id,
                    "attempt_id": self.live.attempt_id})
        link = asyncio.create_task(self.agent.run())
        try:
            await self._candidate()
        finally:
            link.cancel()
            await asyncio.gather(link, return_exceptions=True)

    async def _candidate(self) -> None:
        """The candidate at the keyboard: begins once authorised, answers every
        ``answer_every_s`` while running; the clock ticks every second."""
        next_answer = time.monotonic() + (self.answer_every_s or 0)
        while True:
            await asyncio.sleep(TICK_S if self.answer_every_s is None
                                else min(TICK_S, self.answer_every_s))
            before = self._shown()
            self.live.act(self.live.attempt.tick)
            if self.live.phase is Phase.AUTHORISED:
                self.live.act(self.live.attempt.begin)
            if (self.answer_every_s is not None and self.live.phase is Phase.RUNNING
                    and time.monotonic() >= next_answer):
                next_answer = time.monotonic() + self.answer_every_s
                self._answer()
            if self._shown() != before:
                self.agent.status_changed()

    def _answer(self) -> None:
        item = self.live.attempt.current_item
        if item is None:
            return
        if not self.live.attempt.item_started:
            self.live.act(self.live.attempt.start_timed_item)
        answer = model_answer(item) if self._chooser.random() < 0.5 else wrong_answer(item)
        stored = self.live.act(functools.partial(self.live.attempt.submit, answer))
        self._emit({"event": "answered", "item_id": item.id, "seq": stored[0].seq,
                    "answered_ms": _wall_ms()})

    def close(self) -> None:
        self.journal.close()


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pixdesk.room_pc", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--session", type=Path, required=True)
    parser.add_argument("--device-key", type=Path, required=True)
    parser.add_argument("--console", required=True, help="ws://host:port, host:port or auto")
    parser.add_argument("--candidate", required=True)
    parser.add_argument("--answer-every", type=float, default=None, metavar="S")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--heartbeat", type=float, default=HEARTBEAT_S, metavar="S")
    return parser


async def serve(pcs: Sequence[HeadlessPc]) -> None:
    """Run the PCs until SIGTERM or SIGINT, then close their journals."""
    tasks = [asyncio.create_task(pc.run()) for pc in pcs]
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, lambda: [t.cancel() for t in tasks])
    try:
        await asyncio.gather(*tasks)
    except asyncio.CancelledError:
        pass
    finally:
        for pc in pcs:
            pc.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        session = load_room_session(args.session)
        key = crypto.signing_key_from_bytes(read_key_file(args.device_key))
        pc = HeadlessPc(args.data_dir, session, key, args.candidate, args.console,
                        answer_every_s=args.answer_every, seed=args.seed,
                        heartbeat_s=args.heartbeat)
    except PixdeskError as error:
        print(error.message(), file=sys.stderr)
        return 2
    asyncio.run(serve([pc]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
