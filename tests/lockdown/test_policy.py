"""The lockdown policy as tables: which chords, which reactions, which settings."""

from __future__ import annotations

import pytest

from pixdesk.errors import ConfigError
from pixdesk.lockdown.policy import (
    DEFAULT_ASSISTIVE_PROCESSES,
    DEFAULT_REACTIONS,
    EnvironmentFinding,
    Finding,
    KeyAction,
    KeyChord,
    KioskSettings,
    LockTrigger,
    Reaction,
    decide,
    is_blocked,
    key_source,
    process_key,
    reaction,
)

BLOCKED = [
    ("Alt+Tab", "task_switch"),
    ("Alt+Shift+Tab", "task_switch"),
    ("Ctrl+Alt+Tab", "task_switch"),
    ("Alt+F4", "close_window"),
    ("Alt+Esc", "task_switch"),
    ("Alt+Space", "window_menu"),
    ("Ctrl+Esc", "task_switch"),
    ("Ctrl+Shift+Esc", "task_switch"),
    ("Ctrl+W", "application_shortcut"),
    ("Ctrl+Q", "application_shortcut"),
    ("Ctrl+N", "application_shortcut"),
    ("Ctrl+T", "application_shortcut"),
    ("Ctrl+P", "application_shortcut"),
    ("Ctrl+C", "clipboard"),
    ("Ctrl+X", "clipboard"),
    ("Ctrl+V", "clipboard"),
    ("Ctrl+Shift+V", "clipboard"),
    ("Ctrl+Insert", "clipboard"),
    ("Shift+Insert", "clipboard"),
    ("Shift+Delete", "clipboard"),
    ("Meta", "super_key"),
    ("Meta+D", "super_key"),
    ("Meta+Tab", "super_key"),
    ("Meta+V", "super_key"),
    ("Meta+Shift+S", "super_key"),
    ("Ctrl+Meta", "super_key"),
    ("Menu", "context_menu_key"),
    ("Shift+Menu", "context_menu_key"),
    ("PrintScreen", "screen_capture"),
    ("Alt+PrintScreen", "screen_capture"),
    ("Ctrl+PrintScreen", "screen_capture"),
    ("Meta+PrintScreen", "super_key"),
    ("F11", "leave_full_screen"),
    ("Ctrl+Alt+F1", "vt_switch"),
    ("Ctrl+Alt+F7", "vt_switch"),
    ("Ctrl+Alt+F12", "vt_switch"),
    ("Ctrl+Alt+Backspace", "kill_x_server"),
]

ALLOWED = [
    "A",
    "Shift+A",
    "Ctrl+A",
    "Ctrl+Z",
    "Ctrl+Y",
    "Ctrl+Backspace",
    "Ctrl+Left",
    "Shift+Right",
    "Tab",
    "Shift+Tab",
    "Esc",
    "Enter",
    "Space",
    "F1",
    "F5",
    "Alt",
    "Ctrl",
    "Insert",
    "CapsLock",
    "Alt+F1",
]


@pytest.mark.parametrize(("text", "rule"), BLOCKED, ids=[t for t, _ in BLOCKED])
def test_blocked_chords(text: str, rule: str) -> None:
    decision = decide(KeyChord.parse(text), source="keyboard")
    assert decision.action is KeyAction.BLOCK
    assert decision.rule == rule
    assert is_blocked(KeyChord.parse(text))


@pytest.mark.parametrize("text", ALLOWED, ids=ALLOWED)
def test_allowed_chords(text: str) -> None:
    assert decide(KeyChord.parse(text)).action is KeyAction.PASS


@pytest.mark.parametrize("text", ["Ctrl+Alt+Delete", "Meta+L", "Ctrl+Alt+Del", "Win+L"])
def test_chords_windows_reserves_are_detected_not_claimed_blocked(text: str) -> None:
    decision = decide(KeyChord.parse(text))
    assert decision.action is KeyAction.DETECT
    assert not is_blocked(KeyChord.parse(text))


@pytest.mark.parametrize("text", ["Alt+Tab", "Meta", "Ctrl+C", "Insert+T", "PrintScreen"])
def test_assistive_technology_keys_always_pass(text: str) -> None:
    assert decide(KeyChord.parse(text), source="assistive").action is KeyAction.PASS


def test_injected_input_is_blocked_even_for_an_ordinary_key() -> None:
    assert decide(KeyChord.parse("A"), source="injected").rule == "injected_input"


SOURCES = [
    # chord, injected, AT running, block injected -> source
    ("Insert+T", False, True, True, "assistive"),
    ("CapsLock+Space", False, True, True, "assistive"),
    ("Insert", False, True, True, "assistive"),
    ("Shift+Insert", False, True, True, "keyboard"),
    ("Insert+T", False, False, True, "keyboard"),
    ("Alt+Tab", True, True, True, "assistive"),
    ("A", True, False, True, "injected"),
    ("A", True, False, False, "keyboard"),
    ("Alt+Tab", False, True, True, "keyboard"),
]


@pytest.mark.parametrize(
    ("text", "injected", "at_running", "block_injected", "expected"),
    SOURCES,
    ids=[f"{s[0]}-inj{int(s[1])}-at{int(s[2])}-blk{int(s[3])}" for s in SOURCES],
)
def test_key_source(
    text: str, injected: bool, at_running: bool, block_injected: bool, expected: str
) -> None:
    chord = KeyChord.parse(text)
    assert (
        key_source(
            chord, injected=injected, assistive_running=at_running, block_injected=block_injected
        )
        == expected
    )


def test_chord_parsing_normalises_aliases_and_prints_canonically() -> None:
    assert KeyChord.parse("control+shift+escape") == KeyChord.parse("Ctrl+Shift+Esc")
    assert str(KeyChord.parse("shift+win+s")) == "Shift+Meta+S"
    with pytest.raises(ValueError):
        KeyChord.parse("Hyper+A")
    with pytest.raises(ValueError):
        KeyChord.parse("Ctrl++")


REACTIONS = [
    (LockTrigger.FOCUS_LOST, Reaction.LOCK),
    (LockTrigger.SCREEN_ADDED, Reaction.LOCK),
    (LockTrigger.SCREEN_REMOVED, Reaction.LOCK),
    (LockTrigger.PROHIBITED_PROCESS, Reaction.LOCK),
    (LockTrigger.REMOTE_SESSION, Reaction.LOCK),
    (LockTrigger.HEARTBEAT_MISSED, Reaction.LOCK),
    (LockTrigger.JOURNAL_WRITE_FAILED, Reaction.LOCK),
    (LockTrigger.WINDOW_HIDDEN, Reaction.LOCK),
    (EnvironmentFinding.VIRTUAL_MACHINE, Reaction.WARN),
    (EnvironmentFinding.EXTERNAL_MONITOR, Reaction.WARN),
    (EnvironmentFinding.REMOTE_SESSION, Reaction.LOCK),
    (EnvironmentFinding.PROHIBITED_PROCESS, Reaction.LOCK),
    (EnvironmentFinding.WAYLAND_SESSION, Reaction.WARN),
]


@pytest.mark.parametrize(("event", "expected"), REACTIONS, ids=[e.value for e, _ in REACTIONS])
def test_default_reactions(event: LockTrigger | EnvironmentFinding, expected: Reaction) -> None:
    assert reaction(event, KioskSettings()) is expected


def test_a_setting_applies_to_the_trigger_and_the_finding_of_the_same_name() -> None:
    settings = KioskSettings.from_dict(
        {"reactions": {"remote_session": "warn", "focus_lost": "ignore"}}
    )
    assert reaction(LockTrigger.REMOTE_SESSION, settings) is Reaction.WARN
    assert reaction(EnvironmentFinding.REMOTE_SESSION, settings) is Reaction.WARN
    assert reaction(LockTrigger.FOCUS_LOST, settings) is Reaction.IGNORE
    assert reaction(EnvironmentFinding.VIRTUAL_MACHINE, settings) is Reaction.WARN


def test_every_trigger_and_finding_has_a_default_reaction() -> None:
    names = {e.value for e in LockTrigger} | {e.value for e in EnvironmentFinding}
    assert names == set(DEFAULT_REACTIONS)


@pytest.mark.parametrize(
    "raw",
    [
        {"reactions": {"heartbeat_missed": "warn"}},
        {"reactions": {"journal_write_failed": "ignore"}},
        {"reactions": {"focus_lots": "lock"}},
        {"reactions": {"focus_lost": "explode"}},
        {"prohibited_process": ["obs"]},
        {"prohibited_processes": "obs"},
        {"prohibited_processes": ["obs", 3]},
        {"prohibited_processes": ["nvda.exe"]},
        {"block_injected_input": "yes"},
        {"max_screens": 0},
        {"max_screens": True},
    ],
    ids=[
        "heartbeat-always-locks",
        "journal-always-locks",
        "unknown-event",
        "unknown-reaction",
        "unknown-key",
        "list-as-string",
        "non-string-name",
        "assistive-cannot-be-prohibited",
        "bool-typed",
        "at-least-one-screen",
        "bool-is-not-a-count",
    ],
)
def test_invalid_settings_are_refused_with_a_config_error(raw: dict[str, object]) -> None:
    with pytest.raises(ConfigError) as caught:
        KioskSettings.from_dict(raw)
    assert caught.value.code == "lockdown.bad_settings"
    assert caught.value.message("fr").startswith("Réglages du mode examen invalides")


def test_settings_round_trip_through_a_dict() -> None:
    settings = KioskSettings.from_dict(
        {
            "reactions": {"virtual_machine": "lock"},
            "prohibited_processes": ["C:\\Tools\\OBS64.exe", "discord"],
            "max_screens": 2,
            "block_injected_input": False,
        }
    )
    assert settings.prohibited_processes == frozenset({"obs64", "discord"})
    again = KioskSettings.from_dict(settings.to_dict())
    assert again.to_dict() == settings.to_dict()
    assert reaction(EnvironmentFinding.VIRTUAL_MACHINE, again) is Reaction.LOCK


def test_describe_lists_every_event_in_both_languages() -> None:
    settings = KioskSettings()
    french, english = settings.describe("fr"), settings.describe("en")
    assert "remote_session: verrouille" in french and "virtual_machine: avertit" in french
    assert "remote_session: locks" in english
    assert len(french) == len(english) == len(DEFAULT_REACTIONS) + 4


@pytest.mark.parametrize(
    "name",
    ["nvda.exe", "NVDA.EXE", "jfw.exe", "narrator.exe", "magnify.exe", "zt.exe", "osk.exe",
     "orca", "speech-dispatcher", "kmag", "onboard"],
)
def test_assistive_programs_are_on_the_allow_list(name: str) -> None:
    assert process_key(name) in DEFAULT_ASSISTIVE_PROCESSES


def test_findings_read_in_french_and_english() -> None:
    finding = Finding(EnvironmentFinding.WAYLAND_SESSION, "GNOME")
    assert "cage" in finding.message("fr") and "cage" in finding.message("en")
    assert finding.message("en").endswith("(GNOME)")
