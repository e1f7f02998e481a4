"""Entry point of the frozen app: one module archive, two commands chosen by the name run.

``pixdesk`` is the console command (CLI, doctor, rehearse). ``pixdesk-gui`` is what the
desktop shortcut and the kiosk session start: on Linux a symbolic link to the same
executable, on Windows a second, windowed executable built from this same file. With no
argument it sits the exam this PC is configured for, exactly like ``pixdesk`` with no
command; a PC that is not configured (or whose session or package is refused) shows why in
a window, since a windowed program has no console. The demo runs only when asked for by
name (``pixdesk-gui demo``): a room must never sit the demo by accident.
"""

import sys
from pathlib import Path

from pixdesk.cli import main

if Path(sys.argv[0]).stem.lower() == "pixdesk-gui":
    sys.exit(main(sys.argv[1:], windowed=True))
sys.exit(main())
