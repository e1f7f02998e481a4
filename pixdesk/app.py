"""Composition root of the GUI: paths, language, theme, the exam window and its lifetime."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from pixdesk.lockdown.backend import LockdownBackend
    from pixdesk.ui.kiosk import KioskGuard
    from pixdesk.ui.main_window import MainWindow


def qt_application() -> QApplication:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([])
    assert isinstance(app, QApplication)
    app.setApplicationName("PixDesk")
    app.setOrganizationName("PixDesk")
    return app


def _install_kiosk(
    app: QApplication, window: MainWindow, directory: Path, language: str
) -> KioskGuard:
    """The window guard (it shows the window full screen) with this OS's lockdown backend;
    its facts go to the attempt."""
    from pixdesk.lockdown.backend import backend_for
    from pixdesk.lockdown.policy import KioskSettings
    from pixdesk.ui.kiosk import install_guard

    settings = KioskSettings()
    record = window.controller.record_security_event

    def backend(display: int | None) -> LockdownBackend:
        return backend_for(
            journal=record, settings=settings, x_display=display,
            state_path=directory / "lockdown-state.json",
        )

    guard = install_guard(app, window, record, settings, backend, lang=language)
    guard.warning.connect(window.show_warning)
    return guard


def run_demo(
    *,
    windowed: bool,
    data_dir: str | None,
    quit_after: float | None,
    high_contrast: bool = False,
    lang: str | None = None,
) -> int:
    """The whole candidate flow on the bundled demo session; full screen unless windowed."""
    from PySide6.QtCore import QTimer

    from pixdesk import paths
    from pixdesk.demo import load_demo
    from pixdesk.ui import i18n
    from pixdesk.ui.main_window import MainWindow
    from pixdesk.ui.theme import Look

    directory = paths.data_dir(data_dir)
    bundle = load_demo()
    app = qt_application()
    language = i18n.chosen_language(lang)
    translators = i18n.install(app, language)
    window = MainWindow(
        bundle,
        directory,
        kiosk=not windowed,
        look=Look(high_contrast=high_contrast),
        lang=language,
    )
    window.start()
    guard = None
    if windowed:
        window.resize(1100, 800)
        window.show()
    else:
        guard = _install_kiosk(app, window, directory, language)
    if quit_after is not None:

        def leave() -> None:
            window.allow_close = True
            window.close()
            app.quit()

        QTimer.singleShot(int(quit_after * 1000), leave)
    code = int(app.exec())
    if guard is not None:
        guard.stop()
    window.controller.shut_down()
    del translators
    return code
