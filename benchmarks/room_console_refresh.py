"""How long the room console window takes to redraw a room, on this machine.

The window reads the console thread's latest view every 250 ms on the Qt thread, so one
redraw must stay far below that, even with every running candidate's time changing: the
real ``RoomConsoleWindow`` (offscreen) redraws N running PCs, one second later each time so
every time cell changes, and the p50 / p99 / max of ``refresh`` are printed (goal: p99 well
under 50 ms at 100 PCs, a fifth of the interval).
Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/room_console_refresh.py [--pcs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from pixdesk import crypto
from pixdesk.room.keys import new_room_trust
from pixdesk.room.status import PcState, Status
from pixdesk.session import Candidate, Session


class StillRoom:
    """The console thread's side, frozen: one view of N running PCs."""

    def __init__(self, view: object) -> None:
        self._view = view
        self.console = type("Console", (), {"port": 47815})()

    def view(self) -> object:
        return self._view


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pcs", type=int, default=100)
    parser.add_argument("--redraws", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pixdesk.ui.room_console import RoomConsoleWindow, RoomView
    from pixdesk.ui.theme import Look

    app = QApplication([])
    devices = {f"pc{i}": crypto.public_key_bytes(crypto.new_signing_key())
               for i in range(args.pcs)}
    session = Session(
        id="BENCH", centre_id="C", centre_name="Lycée", date="2026-06-12", room="B12",
        access_code_hash="", invigilator_password_hash="", version_id="v", package_id="p",
        candidates=tuple(Candidate(f"c{i}", f"Nom{i:03d}", "Prénom", "2009-01-01")
                         for i in range(args.pcs)),
        room_console=new_room_trust("BENCH", "K7M2-PQ4X-9TR", devices))
    start = time.monotonic_ns() // 1_000_000
    statuses = {
        device: Status("BENCH", device, 1, 1, 1, PcState(
            state="running", candidate_id=f"c{i}", answered=i % 32, total=32,
            remaining_ms=2_700_000, extra_time_percentage=33.0 if i % 7 == 0 else 0.0,
            alerts=("a1|image|rec1",) if i % 10 == 0 else ()))
        for i, device in enumerate(devices)}
    view = RoomView(statuses, dict.fromkeys(statuses, start), frozenset(statuses), {}, 0)
    now = [start]
    window = RoomConsoleWindow(session, StillRoom(view),  # type: ignore[arg-type]
                               look=Look(), clock_ms=lambda: now[0])
    window.resize(1280, 800)
    window.show()
    window.timer.stop()
    timings = []
    for redraw in range(args.redraws):
        now[0] = start + 1000 * (redraw + 1)
        began = time.perf_counter()
        window.refresh()
        app.processEvents()
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    p50, p99 = statistics.median(timings), timings[int(len(timings) * 0.99) - 1]
    print(f"room console redraw, {args.pcs} running PCs, {args.redraws} redraws: "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {timings[-1]:.1f} ms "
          f"(read every 250 ms)")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
