"""Shared fixtures: a private data dir and an in-memory keyring for every test, and
``require`` for tests that need a tool the machine may lack (skipped, but failed in CI).

CI has no keyring backend; tests install one that lives in memory so the real keyring
code paths run without touching the developer's own keychain. No environment variable moves
the machine-wide configuration, so every test gets its own (``site_dir``, not created) by
setting ``pixdesk.paths.SITE_CONFIG_DIR``; subprocesses use ``tests/run_pixdesk.py``.
"""

from __future__ import annotations

import errno
import os
import socket
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from pixdesk import paths

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.secrets:
            raise PasswordDeleteError(username)
        del self.secrets[(service, username)]


def require(available: bool, what: str) -> None:
    """Skip the calling test when ``what`` (a tool the machine lacks) is not ``available``,
    but fail it when ``CI=true`` on Linux: CI installs everything the tests use there
    (``.ci/run``), so a missing tool is a broken CI, not a test to leave out silently. The
    Windows job under Wine runs the client's tests without Linux's tools."""
    if available:
        return
    if os.environ.get("CI") == "true" and sys.platform == "linux":
        pytest.fail(f"CI=true and this test needs {what}: install it in .ci/run",
                    pytrace=False)
    pytest.skip(f"needs {what}")


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("PIXDESK_DATA_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """This test's log folder; the log handler a test's ``main`` installed is taken off
    afterwards, so no test writes into another's folder (or the real user log folder)."""
    import logging

    from pixdesk import logs

    path = tmp_path / "log"
    monkeypatch.setenv("PIXDESK_LOG_DIR", str(path))
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, logs.LogFileHandler)]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture(autouse=True)
def site_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's machine-wide configuration folder (``/etc/xdg/pixdesk`` in a real run)."""
    path = tmp_path / "etc"
    monkeypatch.setattr(paths, "SITE_CONFIG_DIR", path)
    return path
class SmallDisk:
    """A real, small file system (tmpfs) that a test can fill up and free again."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._filler = root / "filler"

    def fill(self) -> None:
        """Take every free byte, as another program filling the disk would."""
        with open(self._filler, "ab", buffering=0) as stream:
            chunk = bytes(64 * 1024)
            while True:
                try:
                    stream.write(chunk)
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    if len(chunk) == 1:
                        break
                    chunk = chunk[: len(chunk) // 2]

    def free(self) -> None:
        self._filler.unlink(missing_ok=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    """A 8 MiB tmpfs mounted for the test. Mounting needs root on Linux: the Linux CI runs as
    root, so there a mount that cannot be made fails the test; elsewhere it is skipped."""
    root = tmp_path / "small-disk"
    root.mkdir()
    mounted = sys.platform == "linux" and os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(root)],
        capture_output=True,
    ).returncode == 0
    if not mounted:
        if os.environ.get("CI") == "true" and sys.platform == "linux":
            pytest.fail("the disk-full tests must mount a tmpfs: CI runs as root and must")
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield SmallDisk(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], check=True)


MDNS_GROUP = "224.0.0.251"


def _multicast_reaches_this_machine() -> bool:
    """Whether a datagram sent to the mDNS group comes back to a socket of this machine that
    joined it: what discovery between a console and a PC on one machine needs."""
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        receiver.bind(("", 0))
        receiver.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                            struct.pack("4s4s", socket.inet_aton(MDNS_GROUP),
                                        socket.inet_aton("0.0.0.0")))
        receiver.settimeout(1.0)
        sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
        sender.sendto(b"pixdesk-probe", (MDNS_GROUP, receiver.getsockname()[1]))
        return receiver.recvfrom(64)[0] == b"pixdesk-probe"
    except OSError:
        return False
    finally:
        receiver.close()
        sender.close()


@pytest.fixture
def multicast() -> None:
    require(_multicast_reaches_this_machine(),
            f"multicast datagrams (mDNS group {MDNS_GROUP}) delivered back to this machine")
