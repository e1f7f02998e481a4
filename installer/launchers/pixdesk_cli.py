"""Entry point of the frozen ``pixdesk`` console executable (same CLI as the wheel's script)."""

import sys

from pixdesk.cli import main

sys.exit(main())
