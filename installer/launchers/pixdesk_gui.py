"""Entry point of the frozen, windowed ``pixdesk-gui`` executable (desktop shortcut, kiosk).

With no argument it sits the exam this PC is configured for, exactly like ``pixdesk`` with
no command; a PC that is not configured (or whose session or package is refused) shows why
in a window, since a windowed executable has no console. The demo runs only when asked for
by name (``pixdesk-gui demo``): a room must never sit the demo by accident.
"""

import sys

from pixdesk.cli import main

sys.exit(main(sys.argv[1:], windowed=True))
