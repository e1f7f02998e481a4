"""``pixdesk doctor``: each check against real files, a real server and injected OS readers."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from pixdesk import doctor
from pixdesk.cli import main
from pixdesk.config import Config
from pixdesk.doctor import Check, DeviceState, Machine, ServerAnswer, Status
from pixdesk.errors import SyncError
from pixdesk.lockdown.policy import KioskSettings
from pixdesk.lockdown.processes import ProcessInfo
from pixdesk.room.discovery import advertise
from pixdesk.store import keys
from pixdesk.store.journal import Journal
from pixdesk.sync.client import SyncClient
from pixdesk.sync.device import enrol, open_device_store
from tests.conftest import require
from tests.lockdown.fake_user32 import FakeUser32
from tests.store.conftest import damage_newest_slot, event, tamper
from tests.sync.conftest import LiveServer, start_server

NOW_MS = 1_767_000_000_000


def unreachable(url: str) -> ServerAnswer:
    raise SyncError("sync.unreachable", f"{url} ne répond pas", f"{url} does not answer")


def not_enrolled(data_dir: Path, allow_file_key: bool) -> DeviceState:
    return DeviceState(None, None, None, None)


def machine(**changes: object) -> Machine:
    """A healthy single-screen physical PC on a local disk, unless told otherwise."""
    healthy = Machine(
        env={},
        platform="linux",
        keyring_problem=lambda: None,
        filesystem_type=lambda path: "ext4",
        free_bytes=lambda path: 10 * 1024**3,
        screen_count=lambda: 1,
        machine_facts=lambda: {"sys_vendor": "Dell Inc.", "cpu_hypervisor_flag": "no"},
        processes=lambda: [ProcessInfo(1, "systemd"), ProcessInfo(2, "Xorg")],
        server=unreachable,
        device=not_enrolled,
        wall_clock_ms=lambda: NOW_MS,
    )
    return dataclasses.replace(healthy, **changes)  # type: ignore[arg-type]


def by_id(checks: list[Check]) -> dict[str, Check]:
    return {check.id: check for check in checks}


def test_healthy_pc_without_server_passes(data_dir: Path) -> None:
    checks = doctor.run_checks(Config(), data_dir, machine())
    statuses = {check.id: check.status for check in checks}
    assert statuses == {
        "config": Status.OK, "machine_files": Status.OK, "keyring": Status.OK,
        "data_dir": Status.OK, "log": Status.OK, "free_space": Status.OK,
        "journal": Status.OK, "screens": Status.OK, "environment": Status.OK,
        "processes": Status.OK,
        "content": Status.OK, "server": Status.WARN, "room_console": Status.OK,
        "lockdown": Status.WARN, "kiosk": Status.OK,
    }
    assert "non configuré" in by_id(checks)["server"].fr
    assert "208 questions" in by_id(checks)["content"].fr
    assert doctor.overall_ok(checks)


def test_the_log_file_is_named(data_dir: Path, log_dir: Path) -> None:
    check = by_id(doctor.run_checks(Config(), data_dir, machine()))["log"]
    assert check.en == f"log file: {log_dir / 'pixdesk.log'}"
    assert check.fr == f"fichier de log : {log_dir / 'pixdesk.log'}"
    assert check.as_dict("en")["path"] == str(log_dir / "pixdesk.log")


def test_no_keyring_fails_clearly_unless_a_key_file_is_allowed(data_dir: Path) -> None:
    broken = machine(keyring_problem=lambda: "no keyring backend (keyring.backends.fail)")
    refused = by_id(doctor.run_checks(Config(), data_dir, broken))["keyring"]
    assert refused.status is Status.FAIL
    assert refused.fr.startswith("Aucun trousseau système utilisable")
    assert "allow_file_key" in refused.fr
    allowed = by_id(doctor.run_checks(Config(allow_file_key=True), data_dir, broken))["keyring"]
    assert allowed.status is Status.WARN
    assert "sécurité dégradée" in allowed.fr


def test_the_allowed_key_file_is_described_truly_for_windows(data_dir: Path) -> None:
    """A POSIX mode means nothing on Windows: the key file there is not said to be 0600."""
    broken = "no keyring backend (keyring.backends.fail)"
    checks = {
        platform: by_id(doctor.run_checks(
            Config(allow_file_key=True), data_dir,
            machine(platform=platform, keyring_problem=lambda: broken),
        ))["keyring"]
        for platform in ("win32", "linux")
    }
    assert "0600" not in checks["win32"].fr + checks["win32"].en
    assert "droits Windows" in checks["win32"].fr and "Windows permissions" in checks["win32"].en
    assert "0600" in checks["linux"].fr and "0600" in checks["linux"].en


def test_doctor_command_on_a_machine_without_keyring_exits_1(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PIXDESK_USER_CONFIG_DIR", str(tmp_path / "home"))
    keyring.set_keyring(fail.Keyring())
    code = main(["doctor", "--json", "--data-dir", str(data_dir), "--screens", "1"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["ok"] is False
    keyring_check = next(c for c in report["checks"] if c["id"] == "keyring")
    assert keyring_check["status"] == "failure"
    assert keyring_check["message"].startswith("Aucun trousseau système")
    assert {"id", "status", "message"} <= set(report["checks"][0])


def test_doctor_command_text_in_english_passes_with_a_keyring(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PIXDESK_USER_CONFIG_DIR", str(tmp_path / "home"))
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_CLIENT", raising=False)
    code = main(["doctor", "--lang", "en", "--data-dir", str(data_dir), "--screens", "1"])
    out = capsys.readouterr().out
    assert "system keyring usable" in out
    assert code == (1 if "FAILURE" in out else 0)
    assert out.splitlines()[0].startswith("OK")


def test_invalid_configuration_is_a_failed_check_not_a_crash(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "pixdesk.toml").write_text('server_url = "ftp://x"\n', encoding="utf-8")
    monkeypatch.setenv("PIXDESK_USER_CONFIG_DIR", str(tmp_path / "home"))
    assert main(["doctor", "--json", "--data-dir", str(data_dir), "--screens", "1"]) == 1
    report = json.loads(capsys.readouterr().out)
    config_check = report["checks"][0]
    assert config_check["status"] == "failure"
    assert "server_url doit être une URL https://" in config_check["message"]


def test_locked_values_overridden_by_the_user_are_warned(data_dir: Path) -> None:
    from pixdesk.config import LockedKeyIgnored

    config = Config(ignored=(LockedKeyIgnored("server_url", "user"),))
    check = by_id(doctor.run_checks(config, data_dir, machine()))["config"]
    assert check.status is Status.WARN and "server_url est verrouillé" in check.fr


def test_data_dir_on_a_network_share_or_unwritable_fails(tmp_path: Path) -> None:
    on_nfs = doctor.check_data_dir(tmp_path, machine(filesystem_type=lambda p: "nfs4"))
    assert on_nfs.status is Status.FAIL and "partage réseau (nfs4)" in on_nfs.fr
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    unwritable = doctor.check_data_dir(blocker / "data", machine())
    assert unwritable.status is Status.FAIL and "non inscriptible" in unwritable.fr
    assert list(tmp_path.iterdir()) == [blocker]


def test_the_deepest_mount_decides_the_file_system() -> None:
    mountinfo = (
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        "40 22 0:50 / /home rw shared:20 - nfs4 srv:/home rw,vers=4.2\n"
        "41 40 8:2 / /home/local\\040disk rw shared:21 - xfs /dev/sda2 rw\n"
    )
    read = doctor.filesystem_from_mountinfo
    assert read(mountinfo, Path("/var/lib/pixdesk")) == "ext4"
    assert read(mountinfo, Path("/home/eleve/.local/share/pixdesk")) == "nfs4"
    assert read(mountinfo, Path("/home/local disk/pixdesk")) == "xfs"
    assert read(mountinfo, Path("/home")) == "nfs4"


def test_filesystem_of_a_real_directory_is_found(tmp_path: Path) -> None:
    assert doctor.filesystem_type(tmp_path)


def test_low_free_space_warns(tmp_path: Path) -> None:
    low = doctor.check_free_space(tmp_path, machine(free_bytes=lambda p: 150 * 1024 * 1024))
    assert low.status is Status.WARN and "150 Mo" in low.fr


def test_extra_screen_follows_the_kiosk_reaction() -> None:
    two = machine(screen_count=lambda: 2)
    assert doctor.check_screens(KioskSettings(), two, None).status is Status.WARN
    strict = KioskSettings.from_dict({"reactions": {"external_monitor": "lock"}})
    assert doctor.check_screens(strict, two, None).status is Status.FAIL
    assert doctor.check_screens(strict, two, 1).status is Status.OK
    headless = doctor.check_screens(KioskSettings(), machine(screen_count=lambda: None), None)
    assert headless.status is Status.WARN and "--screens" in headless.fr


def test_screen_count_from_xrandr_and_without_display() -> None:
    output = "Monitors: 2\n 0: +*eDP-1 1920/344x1080/194+0+0  eDP-1\n 1: +HDMI-1 ...\n"
    assert doctor.monitors_from_xrandr(output) == 2
    assert doctor.monitors_from_xrandr("garbage") is None
    assert doctor.count_screens("linux", {}) is None


def test_remote_session_fails_and_virtual_machine_warns() -> None:
    remote = machine(env={"SSH_CONNECTION": "10.0.0.9 50000 10.0.0.2 22"})
    check = doctor.check_environment(KioskSettings(), remote)
    assert check.status is Status.FAIL and "SSH_CONNECTION" in check.fr
    vm = machine(machine_facts=lambda: {"product_name": "VirtualBox"})
    check = doctor.check_environment(KioskSettings(), vm)
    assert check.status is Status.WARN and "VirtualBox" in check.fr


def test_prohibited_program_fails_and_assistive_technology_is_welcome() -> None:
    watched = machine(processes=lambda: [ProcessInfo(7, "TeamViewer"), ProcessInfo(8, "orca")])
    check = doctor.check_processes(KioskSettings(), watched)
    assert check.status is Status.FAIL and "teamviewer (pid 7)" in check.fr
    helped = machine(processes=lambda: [ProcessInfo(8, "orca")])
    check = doctor.check_processes(KioskSettings(), helped)
    assert check.status is Status.OK and "orca" in check.fr


def test_bad_kiosk_table_fails_the_kiosk_check(data_dir: Path) -> None:
    config = Config(kiosk={"max_screens": 0})
    assert by_id(doctor.run_checks(config, data_dir, machine()))["kiosk"].status is Status.FAIL


def test_the_configured_room_console_is_reached_or_warned(data_dir: Path) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    try:
        config = Config(room_console=f"127.0.0.1:{port}")
        check = by_id(doctor.run_checks(config, data_dir, Machine.current()))["room_console"]
        assert (check.status, check.en) == (Status.OK, f"room console 127.0.0.1:{port} reachable")
    finally:
        listener.close()
    check = by_id(doctor.run_checks(config, data_dir, Machine.current()))["room_console"]
    assert check.status is Status.WARN and "injoignable pour l'instant" in check.fr
    nonsense = Config(room_console="pas une adresse")
    check = by_id(doctor.run_checks(nonsense, data_dir, Machine.current()))["room_console"]
    assert check.status is Status.WARN and "room.bad_console_address" not in check.fr
    assert check.en.startswith("Invalid console address")


@pytest.mark.usefixtures("multicast")
def test_auto_lists_the_sessions_advertised_on_the_lan(data_dir: Path) -> None:
    with advertise("DOCTOR-4242", 47999, host="127.0.0.1"):
        check = by_id(doctor.run_checks(Config(room_console="auto"), data_dir,
                                        Machine.current()))["room_console"]
    assert check.status is Status.OK
    assert "DOCTOR-4242 (ws://127.0.0.1:47999)" in check.fr
    assert check.data["advertised"]["DOCTOR-4242"] == "ws://127.0.0.1:47999"
    quiet = machine(room=lambda setting: doctor.RoomAnswer(False))
    check = by_id(doctor.run_checks(Config(room_console="auto"), data_dir, quiet))[
        "room_console"]
    assert check.status is Status.WARN and "multicast UDP 5353" in check.fr


def test_unreachable_server_warns_and_clock_is_not_compared(data_dir: Path) -> None:
    config = Config(server_url="https://pix.example.fr")
    checks = by_id(doctor.run_checks(config, data_dir, machine()))
    assert checks["server"].status is Status.WARN and "injoignable" in checks["server"].fr
    assert checks["clock"].status is Status.WARN
    assert checks["enrolment"].status is Status.FAIL
    assert "pixdesk enrol" in checks["enrolment"].fr


@pytest.mark.parametrize(("offset_s", "status"), [(30, Status.OK), (-180, Status.WARN)])
def test_clock_is_compared_with_the_server(
    data_dir: Path, offset_s: int, status: Status
) -> None:
    answer = ServerAnswer("1.0", "key-1", NOW_MS - offset_s * 1000)
    checks = by_id(doctor.run_checks(
        Config(server_url="https://pix.example.fr"), data_dir, machine(server=lambda u: answer)
    ))
    assert checks["clock"].status is status


@pytest.mark.parametrize(
    ("state", "status", "fragment"),
    [
        (DeviceState("pc-1", "https://pix.example.fr", "key-1", "C1"), Status.OK, "pc-1"),
        (DeviceState("pc-1", "https://old.example.fr", "key-1", "C1"), Status.FAIL,
         "old.example.fr"),
        (DeviceState("pc-1", "https://pix.example.fr", "key-0", "C1"), Status.FAIL,
         "clé du serveur a changé"),
        (DeviceState("pc-1", "https://pix.example.fr", "key-1", "C2"), Status.WARN, "C2"),
    ],
)
def test_enrolment_must_match_the_configured_server(
    data_dir: Path, state: DeviceState, status: Status, fragment: str
) -> None:
    answer = ServerAnswer("1.0", "key-1", NOW_MS)
    pc = machine(server=lambda u: answer, device=lambda d, allowed: state)
    config = Config(server_url="https://pix.example.fr", centre_id="C1")
    check = by_id(doctor.run_checks(config, data_dir, pc))["enrolment"]
    assert check.status is status and fragment in check.fr


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    server = start_server(tmp_path / "server")
    yield server
    server.stop()


def test_against_the_real_server_before_and_after_enrolment(
    data_dir: Path, live_server: LiveServer
) -> None:
    real = dataclasses.replace(Machine.current(), screen_count=lambda: 1)
    config = Config(server_url=live_server.url, centre_id="DEMO")
    before = by_id(doctor.run_checks(config, data_dir, real))
    assert before["server"].status is Status.OK, before["server"].fr
    assert before["clock"].status is Status.OK
    assert before["enrolment"].status is Status.FAIL
    client = SyncClient(live_server.url)
    try:
        enrol(open_device_store(data_dir), client, device_id="pc-doctor",
              token=live_server.token(), centre_id="DEMO", hostname="pc-doctor")
    finally:
        client.close()
    after = by_id(doctor.run_checks(config, data_dir, real))
    assert after["enrolment"].status is Status.OK, after["enrolment"].fr
    assert "pc-doctor" in after["enrolment"].fr


def test_something_that_is_not_a_pixdesk_server_is_reported(live_server: LiveServer) -> None:
    with pytest.raises(SyncError):
        doctor.probe_server(live_server.url + "/nothing-here")


def test_machine_files_writable_by_a_user_fail_and_say_how_to_fix(site_dir: Path) -> None:
    keys = site_dir / "content-keys"
    keys.mkdir(parents=True)
    (site_dir / "pixdesk.toml").write_text("", encoding="utf-8")
    (keys / "operator.pub").write_text("", encoding="utf-8")
    site_dir.chmod(0o755)
    keys.chmod(0o755)
    (site_dir / "pixdesk.toml").chmod(0o644)
    (keys / "operator.pub").chmod(0o664)
    check = by_id(doctor.run_checks(Config(), site_dir, machine()))["machine_files"]
    assert check.status is Status.FAIL
    assert "operator.pub est modifiable par son groupe ou par tous (-rw-rw-r--)" in check.fr
    assert "chmod go-w" in check.en
    (keys / "operator.pub").chmod(0o644)
    keys.chmod(0o777)
    assert doctor.check_machine_files(machine()).status is Status.FAIL
    keys.chmod(0o755)
    healthy = doctor.check_machine_files(machine())
    expected = Status.OK if os.geteuid() == 0 else Status.WARN
    assert healthy.status is expected


def test_machine_files_of_another_account_fail(site_dir: Path) -> None:
    require(os.geteuid() == 0, "root, to give a file to another account")
    site_dir.mkdir()
    (site_dir / "pixdesk.toml").write_text("", encoding="utf-8")
    os.chown(site_dir / "pixdesk.toml", 4321, 4321)
    check = doctor.check_machine_files(machine())
    assert check.status is Status.FAIL and "utilisateur 4321" in check.fr


def test_on_windows_doctor_says_the_installer_sets_the_acl(site_dir: Path) -> None:
    check = doctor.check_machine_files(machine(platform="win32"))
    assert check.status is Status.OK
    assert "Administrators and SYSTEM: full control, Users: read" in check.en
    assert "not verifiable here" in check.en


# --- lockdown: what this PC's backend could not put in force ------------------------------


def windows_probe(user32: FakeUser32) -> doctor.LockdownProbe:
    """The real Windows backend through the factory's probe, on a fake user32."""
    from pixdesk.lockdown.factory import probe

    def run(platform: str, env: object, settings: KioskSettings, state: Path) -> dict[str, str]:
        return probe("win32", journal=lambda kind, payload: None, state_path=state,
                     settings=settings, user32=user32, lister=list)

    return run


def test_lockdown_check_lists_what_windows_refused_in_text_and_json(data_dir: Path) -> None:
    refusing = FakeUser32(refuse_hook=True, refused_spi={0x3B})
    check = by_id(doctor.run_checks(Config(), data_dir, machine(
        platform="win32", lockdown=windows_probe(refusing),
    )))["lockdown"]
    assert check.status is Status.WARN
    assert check.fr.startswith("protections absentes sur ce poste : filtre clavier")
    assert "blocking of synthetic keyboard input" in check.en
    assert "missing: keyboard filter (system shortcuts blocked) — SetWindowsHookExW" in " ".join(
        check.details("en"))
    report = check.as_dict("en")
    assert set(report["missing"]) == {
        "keyboard_filter", "injected_input_filter", "capture_exclusion",
        "accessibility_shortcuts_off",
    }
    assert report["capabilities"]["process_watchdog"] is True
    assert report["capabilities"]["keyboard_filter"] is False
    assert not (data_dir / "lockdown-state.json").exists()  # the trial left nothing changed


def test_lockdown_check_on_a_windows_pc_where_every_call_works(data_dir: Path) -> None:
    user32 = FakeUser32()
    check = by_id(doctor.run_checks(Config(), data_dir, machine(
        platform="win32", lockdown=windows_probe(user32),
    )))["lockdown"]
    assert check.as_dict("en")["missing"] == {
        "capture_exclusion": "needs the exam window: checked when the exam starts"
    }
    assert user32.hook_count == 0 and user32.accessibility[0x3A] == 0x7E  # released


def test_doctor_never_claims_synthetic_input_is_blocked_on_linux(data_dir: Path) -> None:
    checks = by_id(doctor.run_checks(Config(), data_dir, machine(env={"DISPLAY": ":404"})))
    lockdown = checks["lockdown"]
    assert lockdown.status is Status.WARN
    assert "saisie clavier simulée" in lockdown.fr
    assert "XTEST" in lockdown.as_dict("en")["missing"]["injected_input_filter"]
    for check in checks.values():
        for line in (check.en, *check.details("en")):
            assert "synthetic keyboard input: blocked" not in line


def test_a_lockdown_probe_that_breaks_is_a_warning_not_a_crash(data_dir: Path) -> None:
    def broken(*args: object) -> dict[str, str]:
        raise OSError("user32 missing")

    check = by_id(doctor.run_checks(Config(), data_dir, machine(lockdown=broken)))["lockdown"]
    assert check.status is Status.WARN and "user32 missing" in check.en
def test_a_vanished_attempt_fails_the_journal_check(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1)])
        journal.create_attempt("a2", {})
        journal.append("a2", [event(1)])
    tamper(data_dir, "DELETE FROM events WHERE attempt_id='a2'")
    tamper(data_dir, "DELETE FROM attempts WHERE attempt_id='a2'")
    found = by_id(doctor.run_checks(Config(), data_dir, machine()))["journal"]
    assert found.status is Status.FAIL
    assert "journal.vanished" in found.fr and "1 of 2" in found.en
    assert [line.split(":")[0] for line in found.details("en")] == ["attempt a2"]


def test_a_degraded_attempt_warns_in_the_journal_check(data_dir: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    with Journal.open(data_dir, allow_file_key=True) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1)])
        journal.append("a1", [event(2)])
    damage_newest_slot(data_dir / keys.KEY_DIR / keys.head_name("a1"))
    broken = "no keyring backend (keyring.backends.fail)"
    found = by_id(doctor.run_checks(
        Config(allow_file_key=True), data_dir, machine(keyring_problem=lambda: broken)
    ))["journal"]
    assert found.status is Status.WARN and "journal.degraded" in found.en
    assert "DÉGRADÉ" in found.details("fr")[0]


def test_a_deleted_journal_with_attempts_in_the_key_store_fails(data_dir: Path) -> None:
    with Journal.open(data_dir) as journal:
        journal.create_attempt("a1", {})
        journal.append("a1", [event(1)])
    for leftover in data_dir.glob("journal.db*"):
        leftover.unlink()
    found = by_id(doctor.run_checks(Config(), data_dir, machine()))["journal"]
    assert found.status is Status.FAIL and "journal.vanished" in found.en
    assert found.details("en") == ("a1",)
