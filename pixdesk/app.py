"""Composition root of the GUI: paths, language, theme, the exam window and its lifetime."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication


def qt_application() -> QApplication:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([])
    assert isinstance(app, QApplication)
    app.setApplicationName("PixDesk")
    app.setOrganizationName("PixDesk")
    return app


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
    if windowed:
        window.resize(1100, 800)
        window.show()
    else:
        window.showFullScreen()
    if quit_after is not None:

        def leave() -> None:
            window.allow_close = True
            window.close()
            app.quit()

        QTimer.singleShot(int(quit_after * 1000), leave)
    code = int(app.exec())
    window.controller.shut_down()
    del translators
    return code
