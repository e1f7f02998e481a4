"""The PC's gate for console commands: verify, refuse replays durably, keep the proof.

Accepted commands are kept in ``<data dir>/room-commands.db`` (SQLite, WAL,
``synchronous=FULL``; a connection per call, as ``pixdesk.invigilator``): one line per
command with its proof. A command is refused as a replay if its counter is not above the
highest one accepted for its session, or if its nonce was seen; both survive a restart,
because the line is on disk before the command is handed to the exam.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from pixdesk.room.commands import (
    STALE_WINDOW_MS,
    Command,
    check_addressed,
    check_fresh,
    open_command,
)
from pixdesk.room.keys import RoomError, RoomTrust
from pixdesk.sqlite import durable_transaction

LEDGER_FILE = "room-commands.db"


def _replay() -> RoomError:
    return RoomError("room.replay", "Commande déjà reçue (rejouée) : refusée.",
                     "Command already received (replayed): refused.")


class CommandLedger:
    """The durable record of the commands this PC accepted, per session."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LEDGER_FILE
        with durable_transaction(self.path) as db:
            db.execute("CREATE TABLE IF NOT EXISTS accepted (session_id TEXT NOT NULL, "
                       "counter INTEGER NOT NULL, nonce TEXT NOT NULL, "
                       "received_ms INTEGER NOT NULL, proof TEXT NOT NULL, "
                       "PRIMARY KEY (session_id, nonce))")

    def highest(self, session_id: str) -> int:
        """The highest counter accepted for the session; -1 for none, or if unreadable
        (``admit`` will then refuse, which is what matters)."""
        try:
            with durable_transaction(self.path) as db:
                row = db.execute("SELECT MAX(counter) FROM accepted WHERE session_id = ?",
                                 (session_id,)).fetchone()
        except sqlite3.Error:
            return -1
        return -1 if row is None or row[0] is None else int(row[0])

    def admit(self, command: Command, now_ms: int) -> None:
        """Record ``command`` unless it is a replay; check and write in one transaction."""
        with durable_transaction(self.path) as db:
            row = db.execute("SELECT MAX(counter) FROM accepted WHERE session_id = ?",
                             (command.session_id,)).fetchone()
            if row[0] is not None and command.counter <= int(row[0]):
                raise _replay()
            seen = db.execute("SELECT 1 FROM accepted WHERE session_id = ? AND nonce = ?",
                              (command.session_id, command.nonce)).fetchone()
            if seen is not None:
                raise _replay()
            db.execute("INSERT INTO accepted VALUES (?, ?, ?, ?, ?)",
                       (command.session_id, command.counter, command.nonce, now_ms,
                        json.dumps(dict(command.proof), sort_keys=True)))

    def proofs(self, session_id: str) -> list[dict[str, Any]]:
        with durable_transaction(self.path) as db:
            rows = db.execute("SELECT proof FROM accepted WHERE session_id = ? "
                              "ORDER BY counter", (session_id,)).fetchall()
        return [json.loads(proof) for (proof,) in rows]


class CommandGate:
    """Everything a PC checks before a console command may touch the exam, cheapest
    refusal first and the durable replay check last."""

    def __init__(self, trust: RoomTrust, device_id: str, ledger: CommandLedger,
                 window_ms: int = STALE_WINDOW_MS) -> None:
        self.trust, self.device_id, self.ledger = trust, device_id, ledger
        self.window_ms = window_ms

    def admit(self, proof: Any, candidate_id: str, now_ms: int) -> Command:
        command = open_command(proof, command_public_key=self.trust.command_public_key,
                               session_id=self.trust.session_id)
        check_addressed(command, self.device_id, candidate_id)
        check_fresh(command, now_ms, self.window_ms)
        try:
            self.ledger.admit(command, now_ms)
        except sqlite3.Error as exc:
            raise RoomError(
                "room.ledger_unwritable",
                "Commande refusée : ce poste ne peut pas l'enregistrer (disque ?). Utilisez "
                "son panneau.",
                "Command refused: this PC cannot record it (disk?). Use its own panel.",
            ) from exc
        return command
