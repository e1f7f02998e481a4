#!/usr/bin/env bash
# Build the one-folder client into dist/pixdesk/ and print its size (beside the target of
# docs/footprint.md, with its ten largest files) and start-up time.
#
#   installer/build.sh            (PYTHON defaults to .venv/bin/python, which needs the
#                                  `installer` extra: pip install -e '.[installer]')
#
# "Cold" start: the bundle's files are first evicted from the page cache with
# posix_fadvise(DONTNEED), which needs no privilege and touches nothing else on the machine;
# "warm" is the median of five runs right after.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
cd "$ROOT"

"$PYTHON" -m PyInstaller installer/pixdesk.spec --noconfirm --clean \
    --distpath dist --workpath build --log-level WARN

"$PYTHON" - <<'PY'
import os
import statistics
import subprocess
import time
from pathlib import Path

bundle = Path("dist/pixdesk")
files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
size = sum(p.stat().st_size for p in files)


def evict() -> None:
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def start() -> float:
    began = time.perf_counter()
    subprocess.run([str(bundle / "pixdesk"), "--version"], check=True, capture_output=True)
    return time.perf_counter() - began


evict()
cold = start()
warm = statistics.median(start() for _ in range(5))
TARGET_MB = 140
print(f"dist/pixdesk: {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB) in {len(files)} files "
      f"(target ≤ {TARGET_MB} MB)")
for path in sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:10]:
    print(f"  {path.stat().st_size / 2**20:5.1f} MiB  {path.relative_to(bundle)}")
print(f"pixdesk --version: cold {cold * 1000:.0f} ms, warm {warm * 1000:.0f} ms")
PY
