"""The Qt binding must keep Python's reference counts: the quit crash ("Fatal Python error:
bool_dealloc") came from PySide6 6.12.0 on CPython 3.11 returning None/True from C++
calls and ``Signal.emit`` without a new reference, so every call took one reference from
the shared None/True until one reached zero (at quit, when many objects let go of them).
pyproject.toml excludes that release; this test catches any release doing it again. It
measures in a child process, since a binding with the fault soon aborts the interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

CALLS = 2_000
PROBE = f"""
import gc, sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QCheckBox

class Emitter(QObject):
    said = Signal(str)

def drift(call, shared):
    gc.collect()
    before = sys.getrefcount(shared)
    for _ in range({CALLS}):
        call()
    gc.collect()
    return sys.getrefcount(shared) - before

app = QApplication([])
box = QCheckBox("x")
emitter = Emitter()
emitter.said.connect(lambda _text: None)
none = drift(box.toggle, None)
true = drift(lambda: emitter.said.emit("x"), True)
print(none, true)
"""


def test_qt_calls_and_signal_emits_keep_the_references_to_none_and_true() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr[-400:]
    none, true = (int(n) for n in done.stdout.split())
    assert none > -CALLS // 2, f"each void Qt call took a reference to None ({none})"
    assert true > -CALLS // 2, f"each emit took a reference to True ({true})"
