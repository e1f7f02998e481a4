"""Screenshots of every screen, normal and high contrast, at 100 % and 200 %, under Xvfb.

Starts its own Xvfb (and openbox when installed), runs the real window in-process on a
temporary data dir with the bundled demo session, walks through the screens and saves
PNGs plus a README index into docs/screenshots/. Run: ``.venv/bin/python scripts/screenshots.py``
(``… scripts/screenshots.py room-console`` for the room console's screenshots only).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZE = (1280, 800)


def start_display() -> list[subprocess.Popen[bytes]]:
    """A private X server on a free display number, and a window manager if present."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        sys.exit("Xvfb is missing: apt-get install -y xvfb openbox")
    for number in range(90, 110):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        server = subprocess.Popen(
            [xvfb, f":{number}", "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.1)
        os.environ["DISPLAY"] = f":{number}"
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        started = [server]
        if shutil.which("openbox"):
            started.append(subprocess.Popen(["openbox"], stderr=subprocess.DEVNULL))
        return started
    sys.exit("no free X display number between :90 and :109")


def main() -> int:
    processes = start_display()
    try:
        if sys.argv[1:] == ["room-console"]:
            saved = shoot_room_console()
            write_index(saved)
            print(f"{len(saved)} screenshots in {OUT}")
            return 0
        return shoot()
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait()


def shoot() -> int:
    import keyring
    from keyring.backends import fail
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication, QWidget

    from pixdesk.app import qt_application
    from pixdesk.demo import DEMO_ACCESS_CODE, DEMO_INVIGILATOR_PASSWORD, load_demo
    from pixdesk.engine.bank import ItemType
    from pixdesk.engine.status import EndReason
    from pixdesk.ui.main_window import MainWindow
    from pixdesk.ui.theme import Look

    keyring.set_keyring(fail.Keyring())
    app = qt_application()
    bundle = load_demo()
    OUT.mkdir(parents=True, exist_ok=True)
    saved: list[str] = []

    def wait(condition: Callable[[], bool], seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not reach the expected state")
            app.processEvents()
            time.sleep(0.01)

    def settle(win: MainWindow) -> None:
        wait(lambda: win.background.pending == 0)
        for _ in range(5):
            app.processEvents()

    def save(widget: QWidget, name: str) -> None:
        app.processEvents()
        path = OUT / f"{name}.png"
        widget.grab().save(str(path), "PNG", 9)
        saved.append(path.name)

    for high_contrast in (False, True):
        for zoom in (100, 200):
            suffix = ("-hc" if high_contrast else "") + f"-{zoom}"
            with tempfile.TemporaryDirectory() as data:
                win = MainWindow(
                    bundle, Path(data), kiosk=False,
                    look=Look(high_contrast=high_contrast, zoom=zoom), lang="fr",
                )
                win.resize(*SIZE)
                win.start()
                win.show()
                wait(lambda w=win: w.controller.desk.journal is not None)
                save(win, f"opening{suffix}")
                win.opening.code.setText(DEMO_ACCESS_CODE)
                win.opening.password.setText("WRONG1")
                win.opening.submit.click()
                settle(win)
                save(win, f"opening-refused{suffix}")
                wait(lambda w=win: w.access_gate.available, 5)
                win.opening.password.setText(DEMO_INVIGILATOR_PASSWORD)
                win.opening.submit.click()
                settle(win)
                view = win.check_in
                for edit, text in ((view.last_name, "Dubois"), (view.first_name, "Hugo"),
                                   (view.day, "02"), (view.month, "11"), (view.year, "2008")):
                    edit.setText(text)
                save(win, f"check-in{suffix}")
                view.submit.click()
                settle(win)
                save(win, f"waiting{suffix}")
                win.waiting.password.edit.setText(DEMO_INVIGILATOR_PASSWORD)
                win.waiting.password.button.click()
                settle(win)
                save(win, f"instructions{suffix}")
                win.instructions.start.click()
                settle(win)
                for kind in ItemType:
                    item = next(i for i in bundle.package.items
                                if i.type is kind and (i.illustration or kind is not ItemType.QCU))
                    data_bytes = bundle.package.illustrations.get(item.illustration or "")
                    win.question.show_item(item, data_bytes, 5, 32)
                    form = win.question.form
                    if form is not None and form.choices:
                        form.choices[1].setChecked(True)
                    app.processEvents()
                    save(win, f"question-{kind.value.lower()}{suffix}")
                timed = next(i for i in bundle.package.items if i.timer is not None)
                win.question.show_item(timed, None, 6, 32)
                win.question.show_time(95 * 60_000, timed.timer * 1000, 95)
                app.processEvents()
                save(win, f"question-timed{suffix}")
                coded = next(i for i in bundle.package.items if i.id == "c34-boucle-somme-3")
                win.question.show_item(coded, None, 7, 32)
                app.processEvents()
                save(win, f"question-code{suffix}")
                win.question.open_report()
                dialog = win.question.report_dialog
                assert dialog is not None
                dialog.resize(dialog.sizeHint())
                dialog.choices.buttons()[0].setChecked(True)
                app.processEvents()
                save(dialog, f"report-problem{suffix}")
                dialog.send.click()
                settle(win)
                save(win, f"question-reported{suffix}")
                win.controller.open_panel()
                panel = win.controller.panel
                assert panel is not None
                panel.password.edit.setText(DEMO_INVIGILATOR_PASSWORD)
                panel.password.button.click()
                settle(win)
                panel.pause.click()
                settle(win)
                save(panel, f"invigilator-panel{suffix}")
                panel.accept()
                save(win, f"pause{suffix}")
                win.lock("focus_lost")
                settle(win)
                save(win, f"lock{suffix}")
                win.controller.act(lambda a, now: a.end(EndReason.INVIGILATOR, now))
                settle(win)
                save(win, f"end{suffix}")
                win.controller.open_panel()
                panel = win.controller.panel
                assert panel is not None
                panel.password.edit.setText(DEMO_INVIGILATOR_PASSWORD)
                panel.password.button.click()
                settle(win)
                save(panel, f"invigilator-panel-ended{suffix}")
                panel.next_candidate.click()
                settle(win)
                view = win.check_in
                for edit, text in ((view.last_name, "Dubois"), (view.first_name, "Hugo"),
                                   (view.day, "02"), (view.month, "11"), (view.year, "2008")):
                    edit.setText(text)
                view.submit.click()
                settle(win)
                save(win, f"check-in-second-sitting{suffix}")
                win.allow_close = True
                win.close()
                win.deleteLater()
                QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    saved += shoot_room_console()
    write_index(saved)
    print(f"{len(saved)} screenshots in {OUT}")
    return 0


DEMO_ROOM = (
    ("demo-pc-1", "demo-1", {"state": "running", "answered": 12, "remaining_ms": 1_980_000,
                             "item_id": "rec12"}),
    ("demo-pc-2", "demo-2", {"state": "running", "answered": 9, "remaining_ms": 3_120_000,
                             "extra_time_percentage": 33.0, "item_id": "rec9",
                             "alerts": ("a1|image|rec9",)}),
    ("demo-pc-3", "demo-3", {"state": "locked", "answered": 15, "remaining_ms": 1_500_000,
                             "lock_reason": "focus_lost", "alerts": ("a1|kiosk:focus_lost|",)}),
    ("demo-pc-4", "demo-4", {"state": "paused", "answered": 20, "remaining_ms": 1_260_000,
                             "added_minutes": 10}),
    ("demo-pc-5", "demo-5", {"state": "checked_in"}),
)
"""The demo room in the console's screenshots: five demo PCs in various states; the sixth
candidate has not arrived and demo-pc-6 reports once and drops (link lost)."""


def shoot_room_console() -> list[str]:
    """The room console on the demo session, fed by real agents signing with the demo PCs'
    keys, at 100 % and 200 %, normal and high contrast."""
    import asyncio
    import json
    import threading
    import time as clock
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication
    from websockets.asyncio.client import connect

    from pixdesk.app import qt_application
    from pixdesk.demo import DEMO_INVIGILATOR_PASSWORD, demo_pc_key, load_demo
    from pixdesk.room.agent import RoomAgent
    from pixdesk.room.console import RoomConsole
    from pixdesk.room.gate import CommandGate, CommandLedger
    from pixdesk.room.keys import RoomTrust, unlock_command_key
    from pixdesk.room.status import PcState, Status, sign_status
    from pixdesk.ui import theme
    from pixdesk.ui.room_console import ConsoleThread, RoomConsoleWindow
    from pixdesk.ui.theme import Look

    app = qt_application()
    session = load_demo().session
    trust = RoomTrust.from_session(session)
    link = ConsoleThread(RoomConsole(trust, unlock_command_key(session, DEMO_INVIGILATOR_PASSWORD),
                                     host="127.0.0.1", port=0))
    link.start()
    loop = asyncio.new_event_loop()
    runner = threading.Thread(target=loop.run_forever, daemon=True)
    runner.start()
    uri = f"ws://127.0.0.1:{link.console.port}"
    saved: list[str] = []
    with tempfile.TemporaryDirectory() as data:
        running: list[asyncio.Task[None]] = []
        for device, candidate, fields in DEMO_ROOM:
            state = replace(PcState(candidate_id=candidate, total=32, remaining_ms=2_700_000),
                            **fields)  # type: ignore[arg-type]
            (Path(data) / device).mkdir()
            agent = RoomAgent(uri, CommandGate(trust, device, CommandLedger(Path(data) / device)),
                              demo_pc_key(device), lambda s=state: s, lambda _command: None)
            loop.call_soon_threadsafe(lambda a=agent: running.append(loop.create_task(a.run())))

        async def report_once() -> None:
            now = clock.time_ns() // 1_000_000
            status = Status(session.id, "demo-pc-6", now * 1000, now, -1, PcState(
                state="finished", candidate_id="demo-6", answered=32, total=32))
            async with connect(uri, proxy=None) as ws:
                await ws.send(json.dumps({"type": "status",
                                          **sign_status(demo_pc_key("demo-pc-6"), status)}))
                await asyncio.sleep(0.2)

        asyncio.run_coroutine_threadsafe(report_once(), loop).result(10)
        deadline = clock.monotonic() + 10
        while len(link.view().statuses) < 6 and clock.monotonic() < deadline:
            clock.sleep(0.05)
        for high_contrast in (False, True):
            for zoom in (100, 200):
                look = Look(high_contrast=high_contrast, zoom=zoom)
                theme.apply(app, look)
                window = RoomConsoleWindow(session, link, look=look)
                window.resize(*SIZE)
                window.show()
                window.refresh()
                window.table.selectRow(1)
                window.alerts.setCurrentRow(0)
                window.minutes.setValue(10)
                window.add_time.click()
                end = clock.monotonic() + 1
                while clock.monotonic() < end:
                    app.processEvents()
                    clock.sleep(0.02)
                name = f"room-console{'-hc' if high_contrast else ''}-{zoom}.png"
                window.grab().save(str(OUT / name), "PNG", 9)
                saved.append(name)
                window.close()
                window.deleteLater()
                QApplication.processEvents()
        async def cancel() -> None:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

        link.stop()
        asyncio.run_coroutine_threadsafe(cancel(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        runner.join()
    return saved


def write_index(names: list[str]) -> None:
    lines = [
        "# Screenshots",
        "",
        "Generated by `scripts/screenshots.py` (Xvfb, real window, bundled demo session).",
        "`-hc` is the high-contrast theme; `-100` / `-200` the zoom level.",
        "",
    ]
    others = {path.name for path in OUT.glob("*.png")} - set(names)
    lines += [f"- [{name}]({name})" for name in sorted(set(names) | others)]
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
