"""Notices when the server becomes reachable again, without threads or Qt.

The UI's worker thread (and ``pixdesk sync`` without ``--once``) calls ``poll()`` as often as
it likes; the watcher probes only when a probe is due. While the server is down, probes
back off exponentially with full jitter up to a cap, so a room of thirty PCs coming back
from a network cut does not hit the server in lock-step; while it is up, it is re-checked at
a steady pace. The transition down → up is what triggers a sync.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Connectivity:
    online: bool | None
    """``None`` until the first probe."""
    came_back: bool
    """This poll found the server reachable after it was unreachable (or unknown)."""
    probed: bool


class ConnectivityWatcher:
    def __init__(
        self,
        probe: Callable[[], bool],
        *,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        base_s: float = 2.0,
        cap_s: float = 120.0,
        online_every_s: float = 30.0,
    ) -> None:
        self._probe = probe
        self._clock = clock
        self._rng = rng or random.Random()
        self.base_s, self.cap_s, self.online_every_s = base_s, cap_s, online_every_s
        self.online: bool | None = None
        self._failures = 0
        self._next_at = clock()

    def seconds_until_due(self) -> float:
        return max(0.0, self._next_at - self._clock())

    def force(self) -> None:
        """Probe at the next poll (the invigilator pressed "retry now")."""
        self._next_at = self._clock()

    def poll(self) -> Connectivity:
        now = self._clock()
        if now < self._next_at:
            return Connectivity(self.online, False, False)
        reachable = self._probe()
        came_back = reachable and self.online is not True
        self.online = reachable
        if reachable:
            self._failures = 0
            self._next_at = now + self.online_every_s
        else:
            self._failures += 1
            bound = min(self.cap_s, self.base_s * 2.0 ** (self._failures - 1))
            self._next_at = now + self._rng.uniform(0.0, bound)
        return Connectivity(reachable, came_back, True)
