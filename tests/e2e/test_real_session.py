"""A real (non-demo) exam end to end, every step the documented command run as a process.

IT's path on a PC without a keyring (``allow_file_key`` in the machine file): build a
non-demo package, serve it, enrol the PC, issue a session, fetch this PC's copy with
``--use``, sit it with ``rehearse --session-config``, sync, and find the attempt on the
server with a re-score that matches the PC's result. The server refuses demo attempts here,
so nothing passes by being a demo.

The package is signed by an authority of its own, installed where the operator and IT put
it: ``<server data dir>/content-keys`` and the PC's machine ``content-keys``. The shipped
demo authority would be refused for a real package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from pixdesk import crypto
from pixdesk.content.package import write_key_file
from pixdesk.server.config import ServerConfig, ServerState
from pixdesk.server.models import AttemptRecord, Result
from tests.sync.conftest import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "tests" / "run_pixdesk.py"
SERVER = str(Path(sys.executable).with_name("pixdesk-server"))
CENTRE = "0691234A"
PACKAGE_ID = "pixdesk-e2e-2027-1"


def environment(tmp_path: Path) -> dict[str, str]:
    etc, home = tmp_path / "etc", tmp_path / "home"
    etc.mkdir()
    home.mkdir()
    return dict(
        os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", PIXDESK_LANG="fr",
        PIXDESK_USER_CONFIG_DIR=str(home), PIXDESK_DATA_DIR=str(tmp_path / "pc"),
    )


def site_dir(env: dict[str, str]) -> Path:
    """The PC's machine-wide folder: ``tests/run_pixdesk.py`` points ``pixdesk`` at it."""
    return Path(env["PIXDESK_USER_CONFIG_DIR"]).parent / "etc"


def run(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, f"{argv[1:4]}: {done.stdout}{done.stderr}"
    return done


def pixdesk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run(env, sys.executable, str(LAUNCHER), str(site_dir(env)), *args)


def real_package(tmp_path: Path, env: dict[str, str]) -> tuple[Path, Path]:
    source = tmp_path / "content"
    shutil.copytree(ROOT / "resources" / "content", source)
    meta = json.loads((source / "package.json").read_text(encoding="utf-8"))
    meta |= {"id": PACKAGE_ID, "title": "Banque e2e", "demo": False}
    (source / "package.json").write_text(json.dumps(meta), encoding="utf-8")
    key = tmp_path / "content.key"
    write_key_file(key, crypto.random_key(), "content key of the e2e package")
    authority = crypto.new_signing_key()
    signing = tmp_path / "authority.key"
    write_key_file(signing, crypto.signing_key_to_bytes(authority), "e2e content authority")
    for trusted in (tmp_path / "server" / "content-keys", site_dir(env) / "content-keys"):
        trusted.mkdir(parents=True)
        write_key_file(trusted / "e2e.pub", crypto.public_key_bytes(authority), "e2e authority")
    package = tmp_path / "bank.pixpkg"
    pixdesk(env, "content", "build", str(source), str(package), "--signing-key", str(signing),
            "--content-key", str(key))
    return package, key


def test_real_session_from_package_to_rescored_result_on_the_server(tmp_path: Path) -> None:
    env = environment(tmp_path)
    server_dir, pc_dir = tmp_path / "server", tmp_path / "pc"
    package, content_key = real_package(tmp_path, env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    (site_dir(env) / "pixdesk.toml").write_text(
        f'server_url = "{url}"\ncentre_id = "{CENTRE}"\nallow_file_key = true\n',
        encoding="utf-8",
    )
    token = run(env, SERVER, "enrol-token", "--centre", CENTRE, "--data-dir", str(server_dir))
    log = (tmp_path / "server.log").open("wb")
    serve = subprocess.Popen(
        [SERVER, "serve", "--port", str(port), "--data-dir", str(server_dir),
         "--content", str(package), "--content-key", str(content_key)],
        env=env, stdout=log, stderr=log,
    )
    try:
        wait_for_port(port, serve)
        pixdesk(env, "enrol", "--token", token.stdout.strip())
        candidates = tmp_path / "candidates.csv"
        candidates.write_text("id;last_name;first_name;birth_date\n"
                              "c-1;Durand;Zoé;2009-02-03\nc-2;Roux;Adam;2008-12-24\n",
                              encoding="utf-8")
        issued = tmp_path / "issued.pixsession"
        run(env, SERVER, "create-session", "--data-dir", str(server_dir),
            "--package", str(package), "--content-key", str(content_key), "--centre", CENTRE,
            "--date", datetime.now(UTC).date().isoformat(),
            "--room", "B12", "--candidates", str(candidates),
            "--access-code", "BKQT47", "--invigilator-password", "K7P2-QX4M-9TR",
            "--out", str(issued))
        session_id = json.loads(issued.read_text(encoding="utf-8"))["session"]["id"]
        fetched = pixdesk(env, "session", "fetch", session_id, "--use", "--package", str(package))
        assert "Prêt : 2 candidats" in fetched.stdout
        machine = (site_dir(env) / "pixdesk.toml").read_text("utf-8")
        assert f"session-{session_id}.pixsession" in machine and "bank.pixpkg" in machine
        rehearse = pixdesk(env, "rehearse", "--session-config", "--seed", "11",
                           "--data-dir", str(pc_dir))
        first, last = rehearse.stdout.splitlines()[0], rehearse.stdout.splitlines()[-1]
        assert "candidate=c-1" in first and "reason=completed" in last
        attempt_id = first.split("attempt=")[1].split()[0]
        local_score = last.split("score=")[1].split()[0]
        sync = pixdesk(env, "sync", "--once")
        assert attempt_id in sync.stdout and "résultat confirmé" in sync.stdout
    finally:
        serve.terminate()
        serve.wait(timeout=30)
        log.close()
    state = ServerState.open(ServerConfig(server_dir), load_content=False)
    try:
        with DbSession(state.engine) as db:
            record = db.scalars(
                select(AttemptRecord).where(AttemptRecord.attempt_id == attempt_id)
            ).one_or_none()
            results = list(db.scalars(select(Result)))
    finally:
        state.close()
    assert record is not None and record.session_id == session_id
    [result] = results
    assert result.attempt_id == attempt_id and result.match and result.rescored is not None
    assert str(json.loads(result.rescored)["score"]) == local_score


def test_client_without_a_configured_session_says_what_to_set_and_exits_2(
    tmp_path: Path,
) -> None:
    env = environment(tmp_path)
    done = subprocess.run([sys.executable, str(LAUNCHER), str(site_dir(env))],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert "session_file" in line and "content_package" in line and "pixdesk demo" in line
