"""The roll of one room: the latest verified status of each of its PCs.

The console that listens, the console attached to the server's hub and the hub itself
keep the same roll with the same checks, so a status is taken or refused alike wherever it
lands: signed by a PC the session lists (``open_status``), never older than the one held
(``room.replay``), sent within ``STALE_WINDOW_MS`` of this clock (``room.stale``), and by
the PC the connection first proved (``room.wrong_device``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pixdesk.room.commands import STALE_WINDOW_MS
from pixdesk.room.keys import RoomError, RoomTrust
from pixdesk.room.status import Ack, Status, open_ack, open_status


class Roll:
    def __init__(self, trust: RoomTrust, clock: Callable[[], int]) -> None:
        self.trust, self._clock = trust, clock
        self.statuses: dict[str, Status] = {}
        self.highest_counter = -1
        """The highest command counter a PC reported accepting (a wild one, beyond what
        this clock could have issued, is not followed: one PC must not push the room's
        counters out of range)."""

    def admit(self, message: Any, speaker: str | None, *, repeat_ok: bool = False) -> Status:
        """Take a status ``speaker`` (the device its connection proved, None before) sent.
        With ``repeat_ok`` the status already held comes back without a refusal: a hub
        hands the whole room again to a console that re-attaches."""
        status = open_status(message, self.trust)
        if speaker is not None and status.device_id != speaker:
            raise RoomError("room.wrong_device", "Un poste parle pour un autre.",
                            "A PC speaks for another.")
        known = self.statuses.get(status.device_id)
        if repeat_ok and known == status:
            return known
        if known is not None and status.seq <= known.seq:
            raise RoomError("room.replay", "État déjà reçu (rejoué) : ignoré.",
                            "Status already received (replayed): ignored.")
        now = self._clock()
        if abs(now - status.sent_ms) > STALE_WINDOW_MS:
            raise RoomError(
                "room.stale",
                "État trop ancien, ou horloges du poste et de la console trop "
                "décalées : ignoré.",
                "Status too old, or the PC's and console's clocks too far apart: "
                "ignored.")
        self.statuses[status.device_id] = status
        if status.last_counter <= (now + STALE_WINDOW_MS) * 1000:
            self.highest_counter = max(self.highest_counter, status.last_counter)
        return status

    def admit_ack(self, message: Any, speaker: str | None) -> Ack:
        """An ack from the PC its connection proved (None: a hub's link, which relays every
        PC); another PC's is ``room.wrong_device``."""
        ack = open_ack(message, self.trust)
        if speaker is not None and ack.device_id != speaker:
            raise RoomError("room.wrong_device", "Un poste parle pour un autre.",
                            "A PC speaks for another.")
        return ack
