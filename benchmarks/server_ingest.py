"""Server ingest throughput: N simulated PCs push full 32-answer attempts at once.

Starts ``pixdesk-server serve --accept-demo`` in its own process (SQLite in a temporary data
dir, or the database given with ``--db``), enrols one device per thread, prepares every
batch beforehand (the engine plays the demo bank; events are encrypted and chained exactly as
the journal does it, with ``pixdesk.chain`` and ``pixdesk.crypto``), then lets the threads
post their attempts (one events batch, then the result) and prints attempts/s and request
latency percentiles. Example: ``python benchmarks/server_ingest.py --devices 16 --attempts 25``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from pixdesk import crypto
from pixdesk.chain import chain_hash, event_aad, event_header, genesis_hash
from pixdesk.content.package import open_package
from pixdesk.engine.attempt import Attempt, Event, Phase
from pixdesk.engine.review import model_answer, wrong_answer
from pixdesk.engine.timer import Instant
from pixdesk.server.config import ServerConfig, ServerState, demo_package_path
from pixdesk.server.sessions import new_enrol_token
from pixdesk.sync import protocol

SCHEMA = 1


def play(seed: int) -> tuple[list[Event], str, str]:
    """One attempt's engine events (a candidate answering right 65 % of the time)."""
    package = open_package(demo_package_path())
    version = package.versions[package.default_version]
    attempt = Attempt(version, package.bank)
    chooser = random.Random(seed)
    clock = [0]

    def now() -> Instant:
        clock[0] += chooser.randint(20_000, 90_000)
        return Instant(clock[0], 1_780_000_000_000 + clock[0])

    events: list[Event] = []

    def act(decided: list[Event], at: Instant) -> None:
        for event in decided:
            attempt.apply(event, at)
        events.extend(decided)

    start = now()
    act(attempt.check_in(attempt_id="template", candidate_id="demo-1", session_id="DEMO-0001",
                         package_id=package.manifest.package_id, extra_time_percentage=0,
                         accessible_only=False, seed=seed, now=start), start)
    for decide in (attempt.authorise, attempt.begin):
        at = now()
        act(decide(at), at)
    while attempt.state.phase is Phase.RUNNING and attempt.current_item is not None:
        item, at = attempt.current_item, now()
        if not attempt.item_started:
            act(attempt.start_timed_item(at), at)
            at = now()
        answer = model_answer(item) if chooser.random() < 0.65 else wrong_answer(item)
        act(attempt.submit(answer, at), at)
    return events, package.manifest.package_id, version.id


def encode(events: list[Event], attempt_id: str, server_sealing: bytes, device_id: str,
           package_id: str, version_id: str) -> tuple[bytes, bytes]:
    """The events and result bodies a client would send for this attempt."""
    data_key = crypto.random_key()
    prev, records = genesis_hash(attempt_id), []
    for seq, event in enumerate(events, start=1):
        payload = dict(event.payload)
        if seq == 1:
            payload["attempt_id"] = attempt_id
        header = event_header(attempt_id, seq, str(event.kind), SCHEMA, event.used_ms,
                              event.wall_ms)
        nonce, ciphertext = crypto.encrypt(data_key, crypto.canonical_json(payload),
                                           event_aad(header))
        digest = chain_hash(prev, header, nonce, ciphertext)
        records.append(protocol.event_record(
            seq=seq, kind=str(event.kind), schema=SCHEMA, mono_elapsed_ms=event.used_ms,
            wall_time_ms=event.wall_ms, nonce=nonce, ciphertext=ciphertext, prev_hash=prev,
            hash=digest))
        prev = digest
    body = {
        "attempt_id": attempt_id, "device_id": device_id,
        "meta": {"session_id": "DEMO-0001", "candidate_id": "demo-1", "version_id": version_id,
                 "package_id": package_id, "demo": True},
        "sealed_data_key": crypto.b64e(crypto.seal(server_sealing, data_key,
                                                   protocol.data_key_aad(attempt_id))),
        "events": records,
    }
    result = {"attempt_id": attempt_id, "result": dict(events[-1].payload["result"])}
    return protocol.encode_body(body), protocol.encode_body(result)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of the server process and its workers so far (Linux /proc)."""
    pids = [pid, *(int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    total = 0
    for one in pids:
        fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=16)
    parser.add_argument("--attempts", type=int, default=25, help="attempts per device")
    parser.add_argument("--db", help="database URL (default: SQLite in a temp dir)")
    parser.add_argument("--templates", type=int, default=6, help="distinct engine runs")
    parser.add_argument("--workers", type=int,
                        help="server worker processes (default, as docs/server.md advises: "
                             "cores + 1 on SQLite, one per core on PostgreSQL)")
    args = parser.parse_args()
    if args.workers is None:
        cores = os.cpu_count() or 1
        args.workers = cores if args.db and args.db.startswith("postgres") else cores + 1

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        state = ServerState.open(ServerConfig(data_dir=data_dir, db_url=args.db),
                                 load_content=False)
        sealing = state.keys.sealing_public
        devices = []
        for _ in range(args.devices):
            signing, device_id = crypto.new_signing_key(), str(uuid.uuid4())
            devices.append((device_id, signing, new_enrol_token(state, "DEMO")))
        state.close()

        port = free_port()
        command = [sys.executable, "-c", "from pixdesk.server.cli import main; main()",
                   "serve", "--data-dir", str(data_dir), "--port", str(port), "--accept-demo",
                   "--max-in-flight", str(max(64, args.devices * 2)),
                   "--workers", str(args.workers)]
        if args.db:
            command += ["--db", args.db]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    requests.get(url + protocol.HEALTH_PATH, timeout=1)
                    break
                except requests.ConnectionError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("server did not start") from None
                    time.sleep(0.1)

            templates = [play(seed) for seed in range(args.templates)]
            work: list[list[tuple[str, bytes, bytes]]] = []
            for device_id, signing, token in devices:
                enrol = {"token": token, "device_id": device_id,
                         "signing_public_key": crypto.b64e(crypto.public_key_bytes(signing)),
                         "sealing_public_key": crypto.b64e(
                             crypto.sealing_public_bytes(crypto.new_sealing_key())),
                         "centre_id": "DEMO", "hostname": "bench"}
                requests.post(url + protocol.DEVICES_PATH, json=enrol, timeout=10)
                mine = []
                for n in range(args.attempts):
                    events, package_id, version_id = templates[n % len(templates)]
                    attempt_id = f"bench-{uuid.uuid4()}"
                    mine.append((attempt_id, *encode(events, attempt_id, sealing, device_id,
                                                     package_id, version_id)))
                work.append(mine)
            event_count = sum(len(t[0]) for t in templates) / len(templates)

            latencies: list[float] = []
            failures: list[str] = []
            lock = threading.Lock()
            barrier = threading.Barrier(len(devices) + 1)

            def push(index: int) -> None:
                """One PC's loop, on a keep-alive connection: ``http.client`` rather than
                ``requests``, whose own CPU per request would be taken from the server's two
                cores and measured as server slowness."""
                device_id, signing, _ = devices[index]
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                barrier.wait()
                for attempt_id, events_body, result_body in work[index]:
                    for path, body in ((protocol.events_path(attempt_id), events_body),
                                       (protocol.result_path(attempt_id), result_body)):
                        headers = protocol.sign_request(signing, device_id, "POST", path, body,
                                                        time.time_ns() // 1_000_000)
                        headers["Content-Type"] = "application/json"
                        began = time.perf_counter()
                        conn.request("POST", path, body=body, headers=headers)
                        answer = conn.getresponse()
                        text = answer.read()
                        spent = time.perf_counter() - began
                        with lock:
                            latencies.append(spent)
                            if answer.status != 200 or (
                                path.endswith("result") and not json.loads(text)["match"]
                            ):
                                failures.append(f"{answer.status} {text[:120]!r}")
                conn.close()

            threads = [threading.Thread(target=push, args=(i,)) for i in range(len(devices))]
            for thread in threads:
                thread.start()
            server_cpu = _cpu_seconds(server.pid)
            barrier.wait()
            started = time.perf_counter()
            client_cpu = time.process_time()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            client_cpu = time.process_time() - client_cpu
            server_cpu = _cpu_seconds(server.pid) - server_cpu
        finally:
            server.terminate()
            server.wait(timeout=30)

    attempts = args.devices * args.attempts
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    report: dict[str, Any] = {
        "database": "postgresql" if args.db and args.db.startswith("postgres") else "sqlite",
        "devices": args.devices, "workers": args.workers, "attempts": attempts,
        "events_per_attempt": round(event_count, 1), "seconds": round(elapsed, 2),
        "attempts_per_s": round(attempts / elapsed, 1),
        "requests": len(latencies),
        "latency_ms": {"p50": round(cuts[49] * 1000, 1), "p90": round(cuts[89] * 1000, 1),
                       "p99": round(cuts[98] * 1000, 1),
                       "max": round(max(latencies) * 1000, 1)},
        "server_cpu_ms_per_attempt": round(server_cpu * 1000 / attempts, 1),
        "client_cpu_ms_per_attempt": round(client_cpu * 1000 / attempts, 1),
        "cores": os.cpu_count(),
        "failures": len(failures),
    }
    print(json.dumps(report, indent=2))
    for failure in failures[:5]:
        print("  ", failure, file=sys.stderr)
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
