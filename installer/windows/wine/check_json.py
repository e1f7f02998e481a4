"""Reads a command's piped output on stdin: strict UTF-8, one JSON document, with accents.

Used by ci-wine.sh on what a Windows ``pixdesk ... --json`` wrote into a pipe. A report in
the ANSI code page (cp1252) fails the UTF-8 decode as soon as it holds an accented letter,
so the check also insists that the French report has at least one.
"""

import json
import sys

raw = sys.stdin.buffer.read()
try:
    text = raw.decode("utf-8")
    report = json.loads(text)
except ValueError as exc:
    sys.exit(f"not UTF-8 JSON ({exc}): {raw[:120]!r}")
if text.isascii():
    sys.exit("the report has no accented letter: its encoding was not exercised")
if not isinstance(report, dict) or "checks" not in report or "ok" not in report:
    sys.exit(f"not a doctor report: {text[:120]!r}")
failing = [c.get("id") for c in report["checks"] if c.get("status") != "ok"]
print(f"UTF-8 JSON, {len(report['checks'])} checks, ok={report['ok']}, not ok: {failing}")
