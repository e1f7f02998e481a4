"""``pixdesk`` for a test's subprocess, with the machine-wide folder of that test:

    python tests/run_pixdesk.py SITE_DIR [pixdesk arguments...]

A real run has no way to move that folder (no environment variable); a test sets
``pixdesk.paths.SITE_CONFIG_DIR`` inside the process, as this launcher does.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pixdesk import paths
from pixdesk.cli import main

if __name__ == "__main__":
    paths.SITE_CONFIG_DIR = Path(sys.argv[1])
    sys.exit(main(sys.argv[2:]))
