"""The exam window's link to the room console: its own thread, never in the exam's way.

``RoomAgent`` (``pixdesk.room.agent``) runs on a thread of its own with its own asyncio
loop, started once the session is open, if the session carries a room command key, the PC
has a device signing key and ``room_console`` names a console. The two threads meet at
three points only:

- the status the agent sends is the ``PcState`` last read after a render (on the writer
  thread, where the live attempt lives) and kept in an attribute the agent reads;
- a verified command goes to the Qt thread through a queued signal carrying a job number;
  the agent waits for its result at most ``COMMAND_WAIT_S`` and acks ``refused`` with the
  exam's own refusal code (``room.pc_busy`` if the exam did not answer in time);
- a change the console should see at once is told with ``loop.call_soon_threadsafe``.

The exam never waits on the link. The link also signs the proofs of the actions typed in
the PC's own panel (``proof``), with the same ledger of commands (``gate.LEDGER_FILE`` in
the PC's data dir), so a journaled invigilator action carries a proof either way.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import logging
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QObject, Qt, Signal, Slot

from pixdesk.errors import PixdeskError
from pixdesk.exam import LiveAttempt, SystemClock
from pixdesk.room.agent import RoomAgent
from pixdesk.room.commands import Command
from pixdesk.room.discovery import console_source
from pixdesk.room.gate import CommandGate, CommandLedger
from pixdesk.room.keys import RoomError, RoomTrust
from pixdesk.room.status import PcState
from pixdesk.roomlink import panel_proof, pc_state
from pixdesk.session import Session

if TYPE_CHECKING:
    from pixdesk.ui.controller import ExamController

log = logging.getLogger(__name__)

COMMAND_WAIT_S = 5.0
"""How long the agent waits for the exam to apply a command before acking it refused."""
STOP_WAIT_S = 5.0
CLOSE_WAIT_S = 2.0
"""How long a stopping link may spend closing its connection cleanly (the console then
sees the PC leave at once rather than at its ping timeout)."""


def _busy() -> RoomError:
    return RoomError("room.pc_busy",
                     "Le poste n'a pas pu appliquer la commande à temps : refusée. "
                     "Réessayez ou utilisez son panneau.",
                     "The PC could not apply the command in time: refused. Try again or "
                     "use its own panel.")


@dataclass(frozen=True, slots=True)
class RoomDevice:
    """This PC as the session's room knows it: its enrolled id and signing key."""

    device_id: str
    signing_key: Ed25519PrivateKey


def _changed(old: PcState, new: PcState) -> bool:
    """Worth a status now: anything but the time left, which the heartbeat carries."""
    return dataclasses.replace(old, remaining_ms=None) != dataclasses.replace(
        new, remaining_ms=None)


class RoomLink(QObject):
    """One PC's link and panel proofs; created by the app, driven by the controller."""

    _deliver = Signal(int)

    def __init__(self, controller: ExamController, data_dir: Path, console: str,
                 device: RoomDevice | None, *, first_retry_s: float = 1.0,
                 max_retry_s: float = 15.0, heartbeat_s: float = 1.0) -> None:
        super().__init__(controller)
        self.controller = controller
        self.data_dir, self.console, self.device = data_dir, console, device
        self._retry = (first_retry_s, max_retry_s)
        self.heartbeat_s = heartbeat_s
        self.trust: RoomTrust | None = None
        self.ledger: CommandLedger | None = None
        self.agent: RoomAgent | None = None
        self.state = PcState()
        """The latest status, replaced whole after each render: what the agent reads."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._jobs: dict[int, tuple[Command, concurrent.futures.Future[None]]] = {}
        """Commands on their way to the Qt thread, by the number the signal carries."""
        self._waiting: set[concurrent.futures.Future[None]] = set()
        """Every command the agent still waits for."""
        self._jobs_lock = threading.Lock()
        self._next_job = 0
        self._stopping = False
        self._reading = False
        self._deliver.connect(self._apply, Qt.ConnectionType.QueuedConnection)

    @property
    def session(self) -> Session:
        return self.controller.desk.session

    # --- life -------------------------------------------------------------------------------

    def open(self) -> None:
        """The session is open: read its room trust; start the link if all is there."""
        if self.trust is not None:
            return
        try:
            self.trust = RoomTrust.from_session(self.session)
            self.ledger = CommandLedger(self.data_dir)
        except RoomError:
            self.trust = None
            return
        except sqlite3.Error as error:
            log.warning("room command ledger unusable, no link and no proofs: %s", error)
            self.trust = None
            return
        if not self.console or self.device is None:
            return
        if self.device.device_id not in self.trust.device_keys:
            log.warning("this PC (%s) is not in the session's room: no console link",
                        self.device.device_id)
            return
        try:
            source = console_source(self.console, self.session.id)
        except RoomError as error:
            log.warning("room console not linked: %s", error.message("en"))
            return
        self.agent = RoomAgent(
            source, CommandGate(self.trust, self.device.device_id, self.ledger),
            self.device.signing_key, self._current, self._on_command,
            heartbeat_s=self.heartbeat_s, first_retry_s=self._retry[0],
            max_retry_s=self._retry[1])
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="pixdesk-room-link",
                                        daemon=True)
        self._thread.start()
        self.refresh()

    def _run(self) -> None:
        loop, agent = self._loop, self.agent
        assert loop is not None and agent is not None
        asyncio.set_event_loop(loop)
        self._task = loop.create_task(agent.run())
        try:
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(self._task)
        except Exception:
            log.exception("room link ended")
        finally:
            with contextlib.suppress(Exception):
                self._close_link(loop)
            loop.close()

    @staticmethod
    def _close_link(loop: asyncio.AbstractEventLoop) -> None:
        """Let the cancelled link finish closing its connection (the console then sees
        the PC leave at once, not at its ping timeout), bounded, then drop what is left."""
        pending = asyncio.all_tasks(loop)
        if pending:
            loop.run_until_complete(asyncio.wait(pending, timeout=CLOSE_WAIT_S))
        for task in asyncio.all_tasks(loop):
            task.cancel()
        loop.run_until_complete(asyncio.wait_for(loop.shutdown_asyncgens(), CLOSE_WAIT_S))

    def stop(self) -> None:
        """End the link's thread; a command waiting for the exam is refused at once."""
        self._stopping = True
        with self._jobs_lock:
            waiting = list(self._waiting)
            self._jobs.clear()
        for future in waiting:
            if not future.cancel() and not future.done():
                future.set_exception(_busy())
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._cancel)
        thread.join(STOP_WAIT_S)
        if thread.is_alive():
            log.warning("room link thread did not stop in %.0f s", STOP_WAIT_S)
        self._thread = None

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    @property
    def configured(self) -> bool:
        return self.agent is not None

    @property
    def connected(self) -> bool:
        return self.agent is not None and self.agent.connected.is_set()

    def status_text(self) -> str:
        """The panel's words for the link."""
        if not self.configured:
            return self.tr("non configurée")
        return self.tr("connectée") if self.connected else self.tr("non connectée")

    # --- status -----------------------------------------------------------------------------

    def _current(self) -> PcState:
        return self.state

    def refresh(self) -> None:
        """Read the exam's status on the writer thread (after a render); tell the agent at
        once if more than the time left changed."""
        if self.agent is None or self._reading or self._stopping:
            return
        self._reading = True
        desk = self.controller.desk

        def read() -> PcState:
            live = desk.live
            now = live.clock.now() if live is not None else SystemClock().now()
            return pc_state(live, now)

        def read_done(state: PcState) -> None:
            self._reading = False
            previous, self.state = self.state, state
            if _changed(previous, state):
                self._notify()

        def failed(_error: PixdeskError) -> None:
            self._reading = False

        self.controller.background.run(read, read_done, failed)

    def _notify(self) -> None:
        loop, agent = self._loop, self.agent
        if loop is None or agent is None or self._stopping:
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(agent.status_changed)

    # --- commands ---------------------------------------------------------------------------

    def _on_command(self, command: Command) -> None:
        """On the link's thread: hand the command to the Qt thread and wait, bounded."""
        if self._stopping:
            raise _busy()
        future: concurrent.futures.Future[None] = concurrent.futures.Future()
        with self._jobs_lock:
            self._next_job += 1
            number = self._next_job
            self._jobs[number] = (command, future)
            self._waiting.add(future)
        self._deliver.emit(number)
        try:
            self._wait(future)
        finally:
            with self._jobs_lock:
                self._jobs.pop(number, None)
                self._waiting.discard(future)

    @staticmethod
    def _wait(future: concurrent.futures.Future[None]) -> None:
        """The exam's answer within ``COMMAND_WAIT_S``. A command the writer thread has not
        started by then is withdrawn (``cancel``: it will never be applied) and refused; one
        it has started is journaling, and is waited for once more."""
        try:
            future.result(timeout=COMMAND_WAIT_S)
        except concurrent.futures.TimeoutError:
            if future.cancel():
                raise _busy() from None
            try:
                future.result(timeout=COMMAND_WAIT_S)
            except concurrent.futures.TimeoutError:
                raise _busy() from None
            except concurrent.futures.CancelledError:
                raise _busy() from None
        except concurrent.futures.CancelledError:
            raise _busy() from None

    @Slot(int)
    def _apply(self, number: int) -> None:
        with self._jobs_lock:
            job = self._jobs.pop(number, None)
        if job is None:
            return
        command, future = job

        def claim() -> bool:
            """On the writer thread, just before the command touches the exam."""
            try:
                return future.set_running_or_notify_cancel()
            except RuntimeError:
                return False

        def applied() -> None:
            if not future.done():
                future.set_result(None)
            self._notify()

        def refused(error: PixdeskError) -> None:
            if not future.done():
                future.set_exception(error)

        self.controller.apply_room_command(command, claim, applied, refused)

    # --- the panel's own proofs -------------------------------------------------------------

    def proof(self, live: LiveAttempt, password: str, command: str,
              args: Mapping[str, Any], now_ms: int) -> dict[str, Any] | None:
        """On the writer thread: the proof of an action typed in this PC's panel, or None
        when the session has no command key or this PC no device id (the action is then
        journaled as before). A proof that cannot be made (an incident category outside
        the E-codes, a ledger the disk refuses) is logged and the action goes on without:
        the panel is the fallback that must always work."""
        if self.trust is None or self.ledger is None or self.device is None:
            return None
        candidate_id = str(live.attempt.state.facts.get("candidate_id", ""))
        try:
            return panel_proof(self.session, password, self.ledger, self.device.device_id,
                               candidate_id, command, args, now_ms)
        except (RoomError, sqlite3.Error) as error:
            log.warning("panel action journaled without proof: %s", error)
            return None
