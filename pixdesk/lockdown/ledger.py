"""The change ledger: every system change journaled and persisted before it is made.

A backend changes the system (a keyboard hook, a grab, capture exclusion). Each change is
written to the device security journal and to a small state file *before* it is made, and
crossed off after it is undone, so a crash or a power cut never leaves a school PC altered:
the next start calls ``restore_pending()`` and undoes whatever the file still lists. This
is the lesson of SEB's tracker, where a hard reboot left machines without Task Manager.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pixdesk.crypto import canonical_json
from pixdesk.lockdown.backend import Journal


class ChangeLedger:
    """The state file of changes made and not yet undone, mirrored into the journal."""

    def __init__(self, path: Path, journal: Journal) -> None:
        self._path = path
        self._journal = journal

    def pending(self) -> list[dict[str, Any]]:
        """The changes still listed; an unreadable file is reported as one ``corrupt`` entry
        so the caller journals it instead of silently forgetting what may still be altered."""
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return []
        try:
            entries = json.loads(raw)
        except ValueError:
            return [{"change": "corrupt", "size": len(raw)}]
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            return [{"change": "corrupt", "size": len(raw)}]
        return entries

    def record(self, change: str, payload: Mapping[str, Any]) -> None:
        """Journal first, then persist: if either fails the change must not be made."""
        entry = {"change": change, **payload}
        self._journal("lockdown_change", dict(entry))
        self._write([*self.pending(), entry])

    def failed(self, change: str, payload: Mapping[str, Any], error: str) -> None:
        """The system refused a recorded change: journal it as failed (``lockdown_change_failed``)
        and cross it off, so nobody undoes a change that was never applied."""
        entry = {"change": change, **payload}
        self._journal("lockdown_change_failed", {**entry, "error": error})
        self._forget(entry)

    def undone(self, change: str, payload: Mapping[str, Any]) -> None:
        entry = {"change": change, **payload}
        self._journal("lockdown_restored", dict(entry))
        self._forget(entry)

    def undo_failed(self, change: str, payload: Mapping[str, Any], error: str) -> None:
        """Undoing was refused: journal it (``lockdown_restore_failed``) and keep the entry,
        so the next start tries again."""
        self._journal("lockdown_restore_failed", {"change": change, **payload, "error": error})

    def restore(self, undo: Callable[[dict[str, Any]], str | None] | None = None) -> int:
        """Undo (through ``undo``) and cross off every pending change; returns how many.

        ``undo`` returns None when the change is undone, else why not: that entry is kept for
        the next start. Without ``undo`` the changes are only crossed off: hooks, grabs and
        window settings end with the process that made them."""
        undone = 0
        for entry in self.pending():
            payload = {k: v for k, v in entry.items() if k != "change"}
            error = undo(entry) if undo is not None else None
            if error is None:
                self.undone(str(entry.get("change")), payload)
                undone += 1
            else:
                self.undo_failed(str(entry.get("change")), payload, error)
        return undone

    def _forget(self, entry: dict[str, Any]) -> None:
        remaining = list(self.pending())
        if entry in remaining:
            remaining.remove(entry)
        self._write(remaining)

    def _write(self, entries: list[dict[str, Any]]) -> None:
        if not entries:
            self._path.unlink(missing_ok=True)
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_name(self._path.name + ".tmp")
        with open(tmp, "wb") as handle:
            handle.write(canonical_json(entries))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self._path)
