"""Composition root of the GUI: paths, Qt application, first window."""

from __future__ import annotations


def run_demo(*, windowed: bool, data_dir: str | None, quit_after: float | None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from pixdesk import paths
    from pixdesk.ui.placeholder import DemoPlaceholder

    paths.data_dir(data_dir)
    app = QApplication.instance() or QApplication([])
    window = DemoPlaceholder()
    if windowed:
        window.resize(1024, 720)
        window.show()
    else:
        window.showFullScreen()
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), app.quit)
    return int(app.exec())
