"""Re-sign the bundled demo session after the demo package changes (``make content``): a
fresh room command key sealed under the public demo invigilator password each time, and the
demo PCs' keys (``pixdesk/resources/demo/demo-pc-N.key``, drawn once then kept)."""

from __future__ import annotations

import sys
from pathlib import Path

from pixdesk import crypto
from pixdesk.content.package import read_key_file
from pixdesk.demo import session_path, write_demo_session


def main() -> int:
    key_file = Path(sys.argv[1] if len(sys.argv) > 1 else "resources/keys/demo-server.key")
    date = sys.argv[2] if len(sys.argv) > 2 else "2026-11-22"
    write_demo_session(session_path(), crypto.signing_key_from_bytes(read_key_file(key_file)), date)
    print(f"demo session written: {session_path()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
