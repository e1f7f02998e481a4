"""Composition root of the GUI: paths, language, theme, the exam window and its lifetime.

``run_demo`` (the bundled demo) and ``run_client`` (the session IT configured) differ only in
what they load and which settings apply; both hand over to ``run_exam``, the one place where
the window, its kiosk guard and the background sync are put together and taken apart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pixdesk.errors import PixdeskError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from pixdesk.bundle import ExamBundle
    from pixdesk.config import Config
    from pixdesk.lockdown.backend import Journal, LockdownBackend
    from pixdesk.lockdown.policy import KioskSettings
    from pixdesk.store.device_journal import DeviceJournal
    from pixdesk.ui.kiosk import KioskGuard
    from pixdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

FIRST_PAINT = "first screen painted"
NEVER_PAINTED_MS = 10_000
"""``--quit-after`` counts from the first paint (a smoke test that passed has shown a
screen), or leaves this much later if the window was never painted."""


def log_first_paint() -> None:
    """How long the first screen took, for IT and for benchmarks/startup.py: CPU time of the
    whole process (every thread) and the wall clock at the paint, which a start time taken
    outside the process turns into a duration."""
    log.info("%s: %.0f ms CPU, at %.3f", FIRST_PAINT, time.process_time() * 1000, time.time())


def qt_application() -> QApplication:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([])
    assert isinstance(app, QApplication)
    app.setApplicationName("PixDesk")
    app.setOrganizationName("PixDesk")
    return app


def security_journal(window: MainWindow, device: DeviceJournal) -> Journal:
    """The lockdown's ``journal`` callback: the device journal first (on disk when it
    returns, so a change it records is never made unrecorded), then the attempt under way.
    Wrong passwords on the opening and invigilator gates go to the device journal too."""

    def record(kind: str, payload: dict[str, Any]) -> None:
        device.record(kind, payload)
        window.controller.record_security_event(kind, payload)

    def refused(gate: str) -> Callable[[int], None]:
        def counted(failures: int) -> None:
            try:
                device.record("secret_refused", {"gate": gate, "failures": failures})
            except PixdeskError as error:
                log.error("device journal: refused %s secret not recorded (%s)", gate, error.code)
        return counted

    window.password_gate.refused.connect(refused("invigilator"))
    window.access_gate.refused.connect(refused("opening"))
    return record


def _install_kiosk(
    app: QApplication,
    window: MainWindow,
    directory: Path,
    language: str,
    settings: KioskSettings,
    record: Journal,
) -> KioskGuard:
    """The window guard (it shows the window full screen) with this OS's lockdown backend;
    its facts go to ``record`` (``security_journal``)."""
    from pixdesk.lockdown.factory import backend_for
    from pixdesk.ui.kiosk import install_guard

    def backend(display: int | None) -> LockdownBackend:
        return backend_for(
            journal=record, settings=settings, x_display=display,
            state_path=directory / "lockdown-state.json",
        )

    guard = install_guard(app, window, record, settings, backend, lang=language)
    guard.warning.connect(window.show_warning)
    return guard


def kiosk_settings_for(bundle: ExamBundle, machine: KioskSettings) -> KioskSettings:
    """The machine's kiosk settings made at least as strict as the certification version
    asks; a malformed version block is a ``ConfigError``."""
    from pixdesk.lockdown.policy import KioskSettings

    version = bundle.package.versions[bundle.session.version_id]
    return machine.at_least(KioskSettings.from_dict(version.kiosk))


def run_exam(
    bundle: ExamBundle,
    directory: Path,
    *,
    windowed: bool,
    settings: KioskSettings,
    allow_file_key: bool = False,
    sync_url: str | None = None,
    quit_after: float | None = None,
    high_contrast: bool = False,
    lang: str | None = None,
    room_console: str = "",
    demo_pc: str = "",
) -> int:
    """The exam window on ``bundle`` until it is closed; full screen under the kiosk guard
    unless windowed. With ``sync_url`` the journal is sent to that server in the background
    and the invigilator panel shows how far it got. ``room_console`` (machine config) links
    the PC to the room console once the session is open (``pixdesk.ui.room_link``); the demo
    PC speaks as ``demo_pc`` (one of ``pixdesk.demo.DEMO_PCS``)."""
    from PySide6.QtCore import QTimer

    from pixdesk import __version__
    from pixdesk.store.device_journal import DeviceJournal
    from pixdesk.ui import i18n
    from pixdesk.ui.main_window import MainWindow
    from pixdesk.ui.theme import Look

    demo = bundle.session.demo
    try:
        device = DeviceJournal.open(
            directory, allow_file_key=allow_file_key, demo=demo,
            facts={"mode": "demo" if demo else "exam", "version": __version__,
                   "kiosk": not windowed},
        )
    except PixdeskError as error:
        return show_refusal(error, lang, quit_after)
    log.info("exam window starting (%s), device journal run %s",
             "demo" if demo else "exam", device.run_id)
    app = qt_application()
    language = i18n.chosen_language(lang)
    translators = i18n.install(app, language)
    monitor = None
    if sync_url is not None:
        from pixdesk.ui.sync_worker import SyncMonitor  # HTTP is loaded only to sync

        monitor = SyncMonitor(directory, sync_url, allow_file_key=allow_file_key, lang=language)
    window = MainWindow(
        bundle,
        directory,
        kiosk=not windowed,
        look=Look(high_contrast=high_contrast),
        lang=language,
        sync_status=monitor.status if monitor is not None else None,
        allow_file_key=allow_file_key,
    )
    record = security_journal(window, device)
    attach_room_link(window, directory, room_console, demo_pc=demo_pc if demo else "",
                 allow_file_key=allow_file_key)
    window.start()
    if monitor is not None:
        monitor.start()
    guard = None
    if windowed:
        window.resize(1100, 800)
        window.show()
    else:
        guard = _install_kiosk(app, window, directory, language, settings, record)
    window.first_painted.connect(log_first_paint)
    if quit_after is not None:

        def leave() -> None:
            window.allow_close = True
            window.close()
            app.quit()

        delay = int(quit_after * 1000)
        window.first_painted.connect(lambda: QTimer.singleShot(delay, leave))
        QTimer.singleShot(delay + NEVER_PAINTED_MS, leave)
    code = int(app.exec())
    if guard is not None:
        guard.stop()
    if monitor is not None:
        monitor.stop()
    window.controller.shut_down()
    try:
        device.record("device_run_ended", {"exit_code": code})
    except PixdeskError as error:
        log.error("device journal: end of run not recorded (%s)", error.code)
    device.close()
    log.info("exam window closed (exit code %d)", code)
    del translators
    return code


def attach_room_link(window: MainWindow, directory: Path, console: str, *, demo_pc: str,
                 allow_file_key: bool) -> None:
    """The room link and panel proofs, with this PC's enrolled device key; a demo PC
    uses the public key of the demo PC it was told to be (none: no link, no proofs)."""
    from pixdesk.demo import DEMO_PCS, demo_pc_key
    from pixdesk.sync.device import load_device, open_device_store
    from pixdesk.ui.room_link import RoomDevice, RoomLink

    device = None
    if window.controller.desk.session.demo:
        if demo_pc in DEMO_PCS:
            device = RoomDevice(demo_pc, demo_pc_key(demo_pc))
    else:
        try:
            identity = load_device(open_device_store(directory, allow_file_key=allow_file_key))
        except PixdeskError as error:
            log.warning("no device key for the room link (%s)", error.code)
            identity = None
        if identity is not None:
            device = RoomDevice(identity.device_id, identity.signing_key)
    controller = window.controller
    controller.attach_room(RoomLink(controller, directory, console, device))


def run_demo(
    *,
    windowed: bool,
    data_dir: str | None,
    quit_after: float | None,
    high_contrast: bool = False,
    lang: str | None = None,
    room_console: str = "",
    demo_pc: str = "",
) -> int:
    """The whole candidate flow on the bundled demo session; full screen unless windowed.
    With ``room_console`` the demo PC ``demo_pc`` reports to ``pixdesk room --demo``."""
    from pixdesk import paths
    from pixdesk.config import check_room_console
    from pixdesk.demo import load_demo
    from pixdesk.lockdown.policy import KioskSettings

    try:
        room_console = check_room_console("--room-console", room_console)
    except PixdeskError as error:
        return show_refusal(error, lang, quit_after)
    bundle = load_demo()
    return run_exam(
        bundle, paths.data_dir(data_dir), windowed=windowed,
        settings=kiosk_settings_for(bundle, KioskSettings()),
        quit_after=quit_after, high_contrast=high_contrast, lang=lang,
        room_console=room_console, demo_pc=demo_pc,
    )


def refusal_box(message: str) -> QMessageBox:
    """Why the exam cannot start, for whoever stands in front of the PC, and how IT finds
    out what is missing."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    title = QCoreApplication.translate("Startup", "PixDesk ne peut pas démarrer l'examen")
    box = QMessageBox(QMessageBox.Icon.Critical, title, message)
    box.setInformativeText(
        QCoreApplication.translate("Startup", "Appelez le service informatique.")
        + "\n"
        + QCoreApplication.translate("Startup", "Pour savoir ce qui manque : « pixdesk doctor ».")
    )
    box.setAccessibleName(title)
    box.setAccessibleDescription(message)
    return box


def show_refusal(
    error: PixdeskError, lang: str | None = None, quit_after: float | None = None
) -> int:
    """A start-up refusal on the terminal (one line) and on screen (a kiosk PC has no
    terminal anyone reads); exit code 1."""
    from PySide6.QtCore import QTimer

    from pixdesk.errors import report
    from pixdesk.ui import i18n

    language = i18n.chosen_language(lang)
    report("pixdesk", error, language)
    app = qt_application()
    translators = i18n.install(app, language)
    box = refusal_box(error.message(language))
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), box.reject)
    box.exec()
    for translator in translators:
        app.removeTranslator(translator)
    return 1


def run_client(config: Config, *, lang: str | None = None, quit_after: float | None = None) -> int:
    """The session IT configured, in kiosk mode with the machine's kiosk settings.

    The session and package are verified before the exam window opens; a refusal (nothing
    configured included) is one line on the terminal and a window on screen, exit 1. A
    verified session also proves the PC enrolled, since the content key is sealed to its
    device key. Background sync then runs whenever a server URL is configured.
    """
    from pixdesk import paths
    from pixdesk.bundle import load_configured, require_configured

    directory = paths.data_dir(config.data_dir)
    try:
        require_configured(config, directory)
        bundle = load_configured(config, directory)
        settings = kiosk_settings_for(bundle, config.kiosk_settings())
    except PixdeskError as error:
        return show_refusal(error, lang or config.language, quit_after)
    return run_exam(
        bundle, directory, windowed=False, settings=settings,
        allow_file_key=config.allow_file_key, sync_url=config.server_url, quit_after=quit_after,
        lang=lang or config.language, room_console=config.room_console,
    )
