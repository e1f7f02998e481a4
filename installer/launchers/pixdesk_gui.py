"""Entry point of the frozen, windowed ``pixdesk-gui`` executable (desktop shortcut, kiosk).

A windowed executable has no console to print help into, so a bare start opens the demo
session; IT's shortcuts and kiosk launchers pass the subcommand they want.
"""

import sys

from pixdesk.cli import main

sys.exit(main(sys.argv[1:] or ["demo"]))
