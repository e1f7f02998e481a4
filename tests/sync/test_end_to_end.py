"""The documented commands, as processes: server, three rehearsals, enrol, sync, finalise,
CSV export.

Run as IT would on a PC without a keyring (the demo's key file), against
``pixdesk-server serve --accept-demo``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from pixdesk.server.config import ServerConfig, ServerState
from pixdesk.server.models import Result
from tests.sync.conftest import free_port, wait_for_port

ENV = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", PIXDESK_LANG="fr")
SERVER = str(Path(sys.executable).with_name("pixdesk-server"))


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, env=ENV, timeout=120)


def pixdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pixdesk", *args)


def test_serve_rehearse_three_times_sync_once_then_export_csv(tmp_path: Path) -> None:
    server_dir, pc_dir, csv_dir = tmp_path / "server", tmp_path / "pc", tmp_path / "csv"
    token = run(SERVER, "enrol-token", "--centre", "DEMO", "--data-dir", str(server_dir))
    assert token.returncode == 0, token.stderr
    port = free_port()
    serve = subprocess.Popen(
        [SERVER, "serve", "--port", str(port), "--data-dir", str(server_dir), "--accept-demo"],
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for n in (1, 2, 3):
            rehearse = pixdesk("rehearse", "--seed", str(n), "--candidate", f"demo-{n}",
                               "--data-dir", str(pc_dir))
            assert rehearse.returncode == 0, rehearse.stderr
        wait_for_port(port, serve)
        url = f"http://127.0.0.1:{port}"
        enrol = pixdesk("enrol", "--server", url, "--token", token.stdout.strip(),
                        "--centre", "DEMO", "--data-dir", str(pc_dir))
        assert enrol.returncode == 0, enrol.stderr
        started = time.monotonic()
        sync = pixdesk("sync", "--once", "--data-dir", str(pc_dir))
        assert sync.returncode == 0, sync.stdout + sync.stderr
        assert time.monotonic() - started < 60
        lines = sync.stdout.splitlines()
        assert len(lines) == 3 and all("résultat confirmé" in line for line in lines)
        again = pixdesk("sync", "--once", "--data-dir", str(pc_dir))
        assert again.returncode == 0 and " 0 envoyés" in again.stdout
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    state = ServerState.open(ServerConfig(server_dir), load_content=False)
    try:
        with DbSession(state.engine) as db:
            results = list(db.scalars(select(Result)))
    finally:
        state.close()
    assert len(results) == 3 and all(r.match for r in results)
    finalised = run(SERVER, "finalise", "DEMO-0001", "--by", "Responsable du centre",
                    "--data-dir", str(server_dir))
    assert finalised.returncode == 0, finalised.stderr
    export = run(SERVER, "export-csv", "DEMO-0001", "--out", str(csv_dir), "--accept-demo",
                 "--data-dir", str(server_dir))
    assert export.returncode == 0, export.stderr
    [csv_file] = csv_dir.glob("*_resultats_session_DEMO-0001.csv")
    text = csv_file.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:8] == ["Numéro de certification", "Prénom", "Nom", "Date de naissance",
                          "Lieu de naissance", "Identifiant Externe", "Statut", "Nombre de Pix"]
    assert len(text.splitlines()) == 4
