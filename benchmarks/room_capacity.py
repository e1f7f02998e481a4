"""Room console capacity: one ``RoomConsole`` on 127.0.0.1 and N headless PCs.

Each PC is a ``pixdesk.room_pc.HeadlessPc``: a real demo exam on its own journal, its own
command ledger and its own WebSocket link, answering a question every few seconds. On a
2-core machine a hundred Python processes would measure start-up more than the console, so
the PCs run ``--per-process`` to a process (each still its own link, journal and ledger;
the output says how many processes). The console runs on its own thread with its own event
loop, as in the console window, so its CPU time is that thread's.

It prints one JSON document: for each room size, command → applied on the PC p50/p99 (the
console's signing time to the PC's journaling time, one sample per PC and command), the age
of the console's latest status per PC sampled every 200 ms (p50/p99), the console thread's
CPU time over the wall time of the measure, and the failures (a command not applied by a PC
it was sent to, a status the console refused). Nothing is asserted: the figures go to
docs/room.md.

    python benchmarks/room_capacity.py [--pcs 30 100] [--per-process 5] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pixdesk import crypto  # noqa: E402
from pixdesk.content.package import open_package  # noqa: E402
from pixdesk.demo import demo_session, package_path  # noqa: E402
from pixdesk.room import commands  # noqa: E402
from pixdesk.room.console import RoomConsole, Sent  # noqa: E402
from pixdesk.room.keys import RoomTrust, new_room_trust, unlock_command_key  # noqa: E402
from pixdesk.session import Candidate, Session, sign_session  # noqa: E402
from pixdesk.trust import read_key_file, write_key_file  # noqa: E402

PASSWORD = "K7M2-PQ4X-9TR"
SESSION_FILE = "session.pixsession"
DEMO_SERVER_KEY = ROOT / "resources" / "keys" / "demo-server.key"
SAMPLE_S = 0.2
ROUND_PAUSE_S = 2.0
"""Between rounds of commands the PCs answer and report, as in a room between actions."""
WAIT_S = 180.0
T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class RoomFiles:
    """A demo session with a room console key for ``pcs`` PCs, and each PC's files."""

    root: Path
    session: Session

    @property
    def session_file(self) -> Path:
        return self.root / SESSION_FILE

    def device(self, index: int) -> str:
        return f"pc-{index:03d}"

    def candidate(self, index: int) -> str:
        return f"cand-{index:03d}"

    def key_file(self, index: int) -> Path:
        return self.root / "keys" / f"{self.device(index)}.key"

    def data_dir(self, index: int) -> Path:
        return self.root / "pcs" / self.device(index)


def build_room(root: Path, pcs: int, session_id: str = "DEMO-ROOM-1") -> RoomFiles:
    """Write the session file (signed by the public demo server key, marked demo) and one
    device key file per PC under ``root``."""
    (root / "keys").mkdir(parents=True, exist_ok=True)
    signing = [crypto.new_signing_key() for _ in range(pcs)]
    base = demo_session(open_package(package_path()), "2026-06-12")
    files = RoomFiles(root, dataclasses.replace(
        base, id=session_id,
        candidates=tuple(Candidate(f"cand-{i:03d}", f"Nom{i}", "Prénom", "2009-01-01")
                         for i in range(pcs))))
    for index, key in enumerate(signing):
        write_key_file(files.key_file(index), crypto.signing_key_to_bytes(key), "room PC key")
    session = dataclasses.replace(files.session, room_console=new_room_trust(
        session_id, PASSWORD,
        {files.device(i): crypto.public_key_bytes(k) for i, k in enumerate(signing)}))
    server_key = crypto.signing_key_from_bytes(read_key_file(DEMO_SERVER_KEY))
    (root / SESSION_FILE).write_text(json.dumps(sign_session(session, server_key)),
                                     encoding="utf-8")
    return RoomFiles(root, session)


def pc_environment() -> dict[str, str]:
    """The PCs keep their journal keys in a file (the demo's fallback), not in a keyring."""
    return dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
                PYTHONPATH=str(ROOT))


class ConsoleThread:
    """A ``RoomConsole`` on its own event loop and thread, as the console window runs it."""

    def __init__(self, console: RoomConsole) -> None:
        self.console = console
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.call(console.start())

    def call(self, coroutine: Coroutine[Any, Any, T], timeout: float = WAIT_S) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def cpu_s(self) -> float:
        assert self.thread.ident is not None
        return time.clock_gettime(time.pthread_getcpuclockid(self.thread.ident))

    def until(self, condition: Callable[[], bool], timeout: float = WAIT_S) -> None:
        async def wait() -> None:
            await asyncio.wait_for(self.console.wait_until(condition), timeout)
        self.call(wait(), timeout + 5)

    def close(self) -> None:
        self.call(self.console.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class Pcs:
    """The PC processes and what they print: ready PCs and applied commands."""

    def __init__(self, room: RoomFiles, pcs: int, per_process: int, console_uri: str,
                 answer_every_s: float) -> None:
        self.lock = threading.Lock()
        self.ready: set[str] = set()
        self.applied: dict[tuple[str, str], int] = {}
        self.refused: list[dict[str, Any]] = []
        self.processes: list[subprocess.Popen[str]] = []
        self._readers: list[threading.Thread] = []
        for start in range(0, pcs, per_process):
            indices = ",".join(str(i) for i in range(start, min(pcs, start + per_process)))
            log = open(room.root / f"worker-{start}.log", "w", encoding="utf-8")  # noqa: SIM115
            process = subprocess.Popen(
                [sys.executable, __file__, "--worker", str(room.root), "--indices", indices,
                 "--console", console_uri, "--answer-every", str(answer_every_s)],
                stdout=subprocess.PIPE, stderr=log, text=True, env=pc_environment())
            log.close()
            self.processes.append(process)
            reader = threading.Thread(target=self._read, args=(process,), daemon=True)
            reader.start()
            self._readers.append(reader)

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            record = json.loads(line)
            with self.lock:
                if record["event"] == "ready":
                    self.ready.add(record["device_id"])
                elif record["event"] == "applied":
                    self.applied[(record["nonce"], record["device_id"])] = record["applied_ms"]
                elif record["event"] == "refused":
                    self.refused.append(record)

    def wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if condition():
                    return True
            if any(p.poll() is not None for p in self.processes):
                raise RuntimeError("a PC process ended: see worker-*.log")
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p99": 0.0, "max": 0.0}
    ordered = sorted(values)
    cut = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else (
        ordered * 99)
    return {"p50": round(cut[49], 1), "p99": round(cut[98], 1), "max": round(ordered[-1], 1)}


class Sampler(threading.Thread):
    """Every ``SAMPLE_S``: how old the console's latest status is, for each PC."""

    def __init__(self, console: ConsoleThread, devices: list[str]) -> None:
        super().__init__(daemon=True)
        self.console, self.devices = console, devices
        self.ages: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        async def latest() -> dict[str, int]:
            return {d: s.sent_ms for d, s in self.console.console.room.items()}

        while not self.done.wait(SAMPLE_S):
            sent = self.console.call(latest())
            now = time.time_ns() // 1_000_000
            self.ages += [now - sent.get(d, 0) for d in self.devices]


def measure(pcs: int, per_process: int, rounds: int, answer_every_s: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="pixdesk-room-bench-") as tmp:
        room = build_room(Path(tmp), pcs)
        trust = RoomTrust.from_session(room.session)
        console = ConsoleThread(RoomConsole(trust, unlock_command_key(room.session, PASSWORD),
                                            host="127.0.0.1", port=0))
        devices = [room.device(i) for i in range(pcs)]
        group = Pcs(room, pcs, per_process, f"ws://127.0.0.1:{console.console.port}",
                    answer_every_s)
        try:
            if not group.wait(lambda: len(group.ready) == pcs, WAIT_S):
                raise RuntimeError("the PCs did not all start: see worker-*.log")
            console.until(lambda: len(console.console.connected) == pcs)
            return _drive(console, group, devices, rounds)
        finally:
            group.stop()
            console.close()


def _drive(console: ConsoleThread, group: Pcs, devices: list[str],
           rounds: int) -> dict[str, Any]:
    sampler = Sampler(console, devices)
    cpu0, wall0 = console.cpu_s(), time.monotonic()
    sampler.start()
    sent: list[Sent] = []

    def send(command: str, target: str = commands.ALL,
             args: dict[str, Any] | None = None) -> Sent:
        one = console.call(console.console.send(command, target, args))
        sent.append(one)
        return one

    def acked(batch: list[Sent]) -> None:
        console.until(lambda: all(len(s.acks) == len(s.delivered) for s in batch), 30)

    acked([send(commands.AUTHORISE_START)])
    console.until(lambda: all(s.pc.state == "running" for s in console.console.room.values()),
                  30)
    for _ in range(rounds):
        acked([send(commands.PAUSE)])
        acked([send(commands.RESUME)])
        acked([send(commands.ADD_TIME, commands.device_target(d), {"minutes": 1})
               for d in devices])
        time.sleep(ROUND_PAUSE_S)
    group.wait(lambda: all((s.command.nonce, d) in group.applied
                           for s in sent for d in s.delivered), 10)
    sampler.done.set()
    sampler.join()
    cpu, wall = console.cpu_s() - cpu0, time.monotonic() - wall0
    with group.lock:
        latencies = [group.applied[(s.command.nonce, d)] - s.command.issued_ms
                     for s in sent for d in s.delivered if (s.command.nonce, d) in group.applied]
        deliveries = sum(len(s.delivered) for s in sent)
        undelivered = sum(len(devices) - len(s.delivered) for s in sent
                          if s.command.target == commands.ALL)
        refused = len(group.refused)
    failures = (deliveries - len(latencies)) + undelivered + refused + len(
        console.console.refusals)
    return {
        "pcs": len(devices), "processes": len(group.processes),
        "commands": len(sent), "deliveries": deliveries, "failures": failures,
        "apply_ms": percentiles([float(v) for v in latencies]),
        "status_age_ms": percentiles(sampler.ages),
        "console_cpu": round(cpu / wall, 4), "window_s": round(wall, 1),
    }


def machine() -> dict[str, Any]:
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(),
            "system": platform.platform()}


def worker(root: Path, indices: list[int], console_uri: str, answer_every_s: float) -> None:
    from pixdesk.room_pc import HeadlessPc, load_room_session, serve

    session = load_room_session(root / SESSION_FILE)
    files = RoomFiles(root, session)
    pcs = [HeadlessPc(files.data_dir(i), session,
                      crypto.signing_key_from_bytes(read_key_file(files.key_file(i))),
                      files.candidate(i), console_uri, answer_every_s=answer_every_s,
                      seed=i)
           for i in indices]
    asyncio.run(serve(pcs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pcs", type=int, nargs="+", default=[30, 100])
    parser.add_argument("--per-process", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--answer-every", type=float, default=3.0)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--indices", help=argparse.SUPPRESS)
    parser.add_argument("--console", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(args.worker, [int(i) for i in args.indices.split(",")], args.console,
               args.answer_every)
        return 0
    from pixdesk.room_pc import HEARTBEAT_S

    runs = [measure(n, args.per_process, args.rounds, args.answer_every) for n in args.pcs]
    print(json.dumps({"machine": machine(), "pcs_per_process": args.per_process,
                      "heartbeat_s": HEARTBEAT_S, "answer_every_s": args.answer_every,
                      "runs": runs}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
