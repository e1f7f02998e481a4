"""The machine configuration: precedence, locked keys, one clear line per bad value, writer."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pixdesk import config
from pixdesk.cli import main
from pixdesk.errors import ConfigError
from tests.conftest import require

TEMPLATE = Path(__file__).resolve().parents[1] / "installer" / "pixdesk.toml"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    machine_dir, user_dir = tmp_path / "etc", tmp_path / "home"
    machine_dir.mkdir()
    user_dir.mkdir()
    monkeypatch.setenv("PIXDESK_USER_CONFIG_DIR", str(user_dir))
    monkeypatch.setenv("PIXDESK_LANG", "fr")
    return machine_dir / "pixdesk.toml", user_dir / "pixdesk.toml"


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_no_file_gives_defaults(files: tuple[Path, Path]) -> None:
    loaded = config.load_config()
    assert loaded.server_url is None and loaded.data_dir is None
    assert loaded.language == "fr" and not loaded.allow_file_key
    assert loaded.files == () and loaded.origin("server_url") == "default"


def test_machine_then_user_then_command_line(files: tuple[Path, Path]) -> None:
    machine, user = files
    write(machine, 'server_url = "https://pix.example.fr"\ncentre_id = "0691234A"\n'
                   'language = "fr"\n[kiosk]\nmax_screens = 2\n')
    write(user, 'language = "en"\ncentre_id = "0691234B"\n')
    loaded = config.load_config({"centre_id": "0691234C", "server_url": None})
    assert loaded.server_url == "https://pix.example.fr"
    assert loaded.language == "en"
    assert loaded.centre_id == "0691234C"
    assert loaded.origins == {"server_url": "machine", "centre_id": "command line",
                              "language": "user", "kiosk": "machine"}
    assert loaded.kiosk_settings().max_screens == 2
    assert loaded.files == (machine, user)


def test_locked_key_ignores_user_and_command_line_values(
    files: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    machine, user = files
    write(machine, 'locked = ["server_url", "kiosk"]\nserver_url = "https://pix.example.fr"\n')
    write(user, 'server_url = "https://evil.example.com"\n[kiosk]\nmax_screens = 4\n')
    loaded = config.load_config({"server_url": "https://other.example.com"})
    assert loaded.server_url == "https://pix.example.fr"
    assert loaded.origin("server_url") == "machine"
    assert loaded.kiosk_settings().max_screens == 1
    assert [(i.key, i.origin) for i in loaded.ignored] == [
        ("server_url", "user"), ("kiosk", "user"), ("server_url", "command line")
    ]
    assert "server_url est verrouillé" in loaded.ignored[0].message("fr")
    assert "server_url is locked" in caplog.text


def test_bad_server_url_names_key_expectation_and_value(files: tuple[Path, Path]) -> None:
    write(files[0], 'server_url = "ftp://x"\n')
    with pytest.raises(ConfigError) as caught:
        config.load_config()
    assert caught.value.fr == (
        "pixdesk.toml : server_url doit être une URL https://… (reçu : « ftp://x »)"
    )
    assert caught.value.en == "pixdesk.toml: server_url must be an https://… URL (got: “ftp://x”)"


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://pix.example.fr/", True),
        ("https://pix.example.fr:8443/api", True),
        ("http://127.0.0.1:8000", True),
        ("http://pix.example.fr", False),
        ("https://", False),
        ("https://pix.example.fr/?next=x", False),
        ("https://pix.example.fr:0", False),
    ],
)
def test_server_url_must_be_https_except_loopback(url: str, accepted: bool) -> None:
    if accepted:
        assert config.check_server_url("f", url) == url.rstrip("/")
    else:
        with pytest.raises(ConfigError):
            config.check_server_url("f", url)


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("192.168.1.20:47815", True),
        ("salle-b12.lycee.local:47815", True),
        ("auto", True),
        ("", True),
        ("192.168.1.20", False),
        ("ws://192.168.1.20:47815", False),
        ("host:0", False),
        ("host:70000", False),
        (":47815", False),
        ("automatic", False),
    ],
)
def test_room_console_is_host_port_auto_or_empty(value: str, accepted: bool) -> None:
    if accepted:
        assert config.check_room_console("f", value) == value
    else:
        with pytest.raises(ConfigError) as caught:
            config.check_room_console("f", value)
        assert caught.value.code == "config.bad_room_console"
        assert "hôte:port, auto ou vide" in caught.value.fr


def test_room_console_is_read_locked_and_set_like_the_other_keys(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    machine, user = files
    write(machine, 'room_console = "10.0.0.5:47815"\nlocked = ["room_console"]\n')
    write(user, 'room_console = "auto"\n')
    loaded = config.load_config()
    assert loaded.room_console == "10.0.0.5:47815"
    assert loaded.origin("room_console") == "machine"
    assert [i.key for i in loaded.ignored] == ["room_console"]
    assert config.load_config(machine_path=tmp_path / "none.toml").room_console == "auto"
    target = config.set_machine_value("room_console", "auto", tmp_path / "set.toml")
    assert config.load_config(machine_path=target, user_path=tmp_path / "u.toml").room_console \
        == "auto"


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ('serveur = "https://x.fr"\n', "config.unknown_key", "clé inconnue « serveur »"),
        ('language = "de"\n', "config.bad_language", "language doit être fr ou en"),
        ("allow_file_key = 1\n", "config.bad_allow_file_key", "true ou false"),
        ('data_dir = "relative/path"\n', "config.bad_data_dir", "un chemin absolu"),
        ('centre_id = "a b"\n', "config.bad_centre_id", "centre_id doit être"),
        ('locked = ["colour"]\n', "config.bad_locked", "locked doit être"),
        ("[kiosk]\nmax_screen = 2\n", "config.kiosk", "[kiosk]"),
        ("[kiosk]\nreactions = { heartbeat_missed = \"ignore\" }\n", "config.kiosk",
         "heartbeat_missed"),
        ("server_url = \n", "config.syntax", "syntaxe TOML invalide"),
    ],
)
def test_invalid_machine_file_is_one_clear_error(
    files: tuple[Path, Path], text: str, code: str, fragment: str
) -> None:
    write(files[0], text)
    with pytest.raises(ConfigError) as caught:
        config.load_config()
    assert caught.value.code == code
    assert fragment in caught.value.fr
    assert "\n" not in caught.value.fr and "\n" not in caught.value.en
    assert caught.value.fr.startswith("pixdesk.toml")


def test_only_the_machine_file_may_lock(files: tuple[Path, Path]) -> None:
    write(files[1], 'locked = ["server_url"]\n')
    with pytest.raises(ConfigError, match="locked"):
        config.load_config()


def test_data_dir_expands_home_and_variables(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PIXDESK_TEST_ROOT", str(tmp_path))
    write(files[0], 'data_dir = "$PIXDESK_TEST_ROOT/journal"\n')
    assert config.load_config().data_dir == tmp_path / "journal"


def test_setting_a_key_keeps_the_template_comments(tmp_path: Path) -> None:
    target = tmp_path / "pixdesk.toml"
    target.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    config.set_machine_value("server_url", "https://pix.academie.fr", target)
    config.set_machine_value("centre_id", "0691234A", target)
    config.set_machine_value("locked", ["server_url", "centre_id"], target)
    text = target.read_text(encoding="utf-8")
    template_comments = [ln for ln in TEMPLATE.read_text(encoding="utf-8").splitlines()
                         if ln.startswith("#") and "=" not in ln]
    assert all(comment in text for comment in template_comments)
    loaded = config.load_config(machine_path=target, user_path=tmp_path / "none.toml")
    assert loaded.server_url == "https://pix.academie.fr"
    assert loaded.centre_id == "0691234A"
    assert loaded.locked == {"server_url", "centre_id"}


def test_setting_a_new_key_goes_before_the_first_table(tmp_path: Path) -> None:
    target = tmp_path / "pixdesk.toml"
    target.write_text("# IT\n\n[kiosk]\nmax_screens = 2\n", encoding="utf-8")
    config.set_machine_value("allow_file_key", True, target)
    document = tomllib.loads(target.read_text(encoding="utf-8"))
    assert document == {"allow_file_key": True, "kiosk": {"max_screens": 2}}


def test_a_bad_value_never_reaches_the_file(tmp_path: Path) -> None:
    target = tmp_path / "pixdesk.toml"
    target.write_text('server_url = "https://ok.example.fr"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="server_url"):
        config.set_machine_value("server_url", "ftp://x", target)
    with pytest.raises(ConfigError, match="not_settable"):
        config.set_machine_value("kiosk", "x", target)
    assert target.read_text(encoding="utf-8") == 'server_url = "https://ok.example.fr"\n'


@given(st.text(max_size=40))
def test_written_strings_read_back_identically(text: str) -> None:
    assert tomllib.loads(f"value = {config.toml_value(text)}")["value"] == text


def test_config_command_sets_the_machine_file_and_shows_it(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    machine, _ = files
    assert main(["config", "set", "server_url", "https://pix.example.fr", "--machine"]) == 0
    assert main(["config", "set", "allow_file_key", "oui", "--machine"]) == 0
    assert main(["config", "set", "server_url", "ftp://x", "--machine"]) == 1
    assert "server_url doit être une URL https://" in capsys.readouterr().err
    assert main(["config", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["values"]["server_url"] == "https://pix.example.fr"
    assert shown["values"]["allow_file_key"] is True
    assert shown["origins"]["server_url"] == "machine"
    assert shown["files"] == [str(machine)]


@pytest.mark.parametrize("target", ["file", "folder"])
def test_machine_file_writable_by_others_is_refused(
    files: tuple[Path, Path], target: str
) -> None:
    machine, _user = files
    write(machine, 'server_url = "https://pix.example.fr"\n')
    (machine if target == "file" else machine.parent).chmod(0o666 if target == "file" else 0o777)
    with pytest.raises(ConfigError) as caught:
        config.load_config()
    assert caught.value.code == "config.not_admin_only"
    assert "modifiable par son groupe ou par tous" in caught.value.fr
    assert "\n" not in caught.value.fr and "chmod go-w" in caught.value.en


def test_machine_file_owned_by_another_account_is_refused(files: tuple[Path, Path]) -> None:
    require(os.geteuid() == 0, "root, to give a file to another account")
    machine, _user = files
    write(machine, 'centre_id = "0691234A"\n')
    os.chown(machine, 4321, 4321)
    with pytest.raises(ConfigError) as caught:
        config.load_config()
    assert caught.value.code == "config.not_admin_only" and "4321" in caught.value.en


def test_machine_file_written_by_config_set_is_not_group_writable(
    files: tuple[Path, Path]
) -> None:
    machine, _user = files
    previous = os.umask(0o002)
    try:
        config.set_machine_value("centre_id", "0691234A")
    finally:
        os.umask(previous)
    assert machine.stat().st_mode & 0o777 == 0o644
    assert config.load_config().centre_id == "0691234A"
