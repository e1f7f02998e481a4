"""Run-time hook of the frozen PixDesk: tell Qt where its plugins are, without loading Qt.

Replaces PyInstaller's PySide6 hook, which imports ``PySide6.QtCore`` at every start only
to register a ``qt.conf`` that the PySide6 wheel registers itself when QtCore is first
loaded. Console commands (``pixdesk --version``, ``doctor``, ``rehearse``) thus never load
Qt; the window still finds its platform plugins through ``QT_PLUGIN_PATH``.
"""

import os
import sys

_qt = os.path.join(sys._MEIPASS, "PySide6") if os.name == "nt" else os.path.join(
    sys._MEIPASS, "PySide6", "Qt"
)
os.environ["QT_PLUGIN_PATH"] = os.path.join(_qt, "plugins")
del _qt
