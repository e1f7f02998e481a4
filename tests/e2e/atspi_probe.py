"""Reads a running application's accessibility tree over AT-SPI, as a screen reader does.

Run by Debian's Python (``/usr/bin/python3``, which has the GObject AT-SPI bindings; the
project's venv does not): ``tree APP`` prints every node of the application named APP as
JSON; ``listen APP SECONDS`` prints each announcement the application sends, one JSON
line per event, until SECONDS have passed; ``check`` only tries the import. Exit code 3
when the bindings are missing.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

try:
    import gi

    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi, GLib
except (ImportError, ValueError):
    sys.exit(3)


def application(name: str) -> Any:
    desktop = Atspi.get_desktop(0)
    for index in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(index)
        if app is not None and app.get_name() == name:
            return app
    return None


def text_of(node: Any) -> str:
    if "Text" not in (node.get_interfaces() or []):
        return ""
    return str(Atspi.Text.get_text(node, 0, Atspi.Text.get_character_count(node)) or "")


def walk(node: Any, depth: int, out: list[dict[str, Any]]) -> None:
    states = node.get_state_set()
    out.append({
        "role": node.get_role_name() or "",
        "name": node.get_name() or "",
        "description": node.get_description() or "",
        "showing": states.contains(Atspi.StateType.SHOWING),
        "focusable": states.contains(Atspi.StateType.FOCUSABLE),
        "enabled": states.contains(Atspi.StateType.ENABLED),
        "text": text_of(node),
        "depth": depth,
    })
    for index in range(node.get_child_count()):
        child = node.get_child_at_index(index)
        if child is not None:
            walk(child, depth + 1, out)


def tree(name: str) -> int:
    """The tree; read again when a node vanishes while it is read (a screen changing)."""
    for _ in range(5):
        app = application(name)
        if app is None:
            print("[]")
            return 0
        nodes: list[dict[str, Any]] = []
        try:
            walk(app, 0, nodes)
        except GLib.Error:
            time.sleep(0.3)
            continue
        print(json.dumps(nodes))
        return 0
    return 1


def listen(name: str, seconds: float) -> int:
    def heard(event: Any) -> None:
        source = event.source
        app = source.get_application() if source is not None else None
        if app is not None and app.get_name() != name:
            return
        print(json.dumps({"type": event.type, "text": str(event.any_data or ""),
                          "detail": event.detail1}), flush=True)

    listener = Atspi.EventListener.new(heard)
    listener.register("object:announcement")
    print(json.dumps({"type": "listening"}), flush=True)
    GLib.timeout_add(int(seconds * 1000), lambda: Atspi.event_quit() or False)
    Atspi.event_main()
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "check":
        sys.exit(0)
    if sys.argv[1] == "tree":
        sys.exit(tree(sys.argv[2]))
    sys.exit(listen(sys.argv[2], float(sys.argv[3])))
