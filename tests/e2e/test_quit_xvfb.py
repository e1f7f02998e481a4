"""A loop of real quits: ``pixdesk demo`` under Xvfb and openbox, the invigilator opens
the panel with the keyboard and chooses "Quitter l'application", several times in a row.
Each run must end by itself with exit code 0 and no fatal error from Python or Qt (issue
16: one such quit died with "Fatal Python error: bool_dealloc")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.e2e.test_kiosk_xvfb import desktop  # noqa: F401
from tests.xdesktop import Desktop, wait_for

pytestmark = pytest.mark.xvfb
QUITS = 4


@pytest.mark.slow
def test_quitting_from_the_invigilator_panel_ends_cleanly_every_time(
    desktop: Desktop,  # noqa: F811
) -> None:
    for run in range(QUITS):
        log = desktop.shots / f"quit-{run}.log"
        with open(log, "wb") as stderr:
            app = subprocess.Popen(
                [sys.executable, "-X", "dev", "-m", "pixdesk", "demo", "--data-dir",
                 str(desktop.data_dir)],
                env=desktop.env, stdout=subprocess.DEVNULL, stderr=stderr,
                start_new_session=True,
            )
            try:
                main = str(wait_for("the exam window",
                                    lambda: desktop.find("certification Pix")[:1])[0])  # type: ignore[index]
                wait_for("focus", lambda w=main: desktop.active() == w)
                time.sleep(0.5)
                desktop.key("ctrl+alt+shift+s")
                wait_for("the panel", lambda: desktop.find("Espace surveillant"))
                time.sleep(0.3)
                desktop.type("SURV26")
                desktop.key("Return")
                time.sleep(1.5)
                desktop.key(*["shift+Tab"] * 6, "space")
                code = app.wait(20)
            except BaseException:
                if app.poll() is None:
                    os.killpg(app.pid, signal.SIGKILL)
                    app.wait(5)
                raise
        errors = log.read_text(errors="replace")
        assert code == 0, f"run {run}: exit {code}\n{errors[-800:]}"
        assert "Fatal Python error" not in errors and "refcount" not in errors, errors[-800:]
