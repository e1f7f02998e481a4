"""The Windows backend driven through a fake user32: hook, probe, affinity, journal, restore."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pixdesk.lockdown.factory import backend_for
from pixdesk.lockdown.policy import EnvironmentFinding, KeyChord, KioskSettings, decide, key_source
from pixdesk.lockdown.processes import ProcessInfo
from pixdesk.lockdown.windows import (
    SPI_GETSTICKYKEYS,
    SPI_GETTOGGLEKEYS,
    SPI_SETSTICKYKEYS,
    VK_NAMES,
    WDA_EXCLUDEFROMCAPTURE,
    WDA_MONITOR,
    WDA_NONE,
    KeyTable,
    WindowsBackend,
)
from tests.lockdown.fake_user32 import NO_HOOK, PASSED, SWALLOWED, FakeUser32

VK = {name: vk for vk, name in sorted(VK_NAMES.items(), reverse=True)}
VK.update(lshift=0xA0, lctrl=0xA2, lalt=0xA4, lwin=0x5B)
HWND = 0x2A0F4


class Recorder:
    def __init__(self) -> None:
        self.entries: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, kind: str, payload: dict[str, Any]) -> None:
        self.entries.append((kind, payload))


@pytest.fixture
def user32() -> FakeUser32:
    return FakeUser32()


@pytest.fixture
def journal() -> Recorder:
    return Recorder()


@pytest.fixture
def processes() -> list[ProcessInfo]:
    return [ProcessInfo(4, "System"), ProcessInfo(812, "explorer.exe")]


@pytest.fixture
def backend(
    user32: FakeUser32, journal: Recorder, processes: list[ProcessInfo], tmp_path: Path
) -> Iterator[WindowsBackend]:
    created = backend_for(
        "win32",
        journal=journal,
        state_path=tmp_path / "lockdown-state.json",
        user32=user32,
        lister=lambda: list(processes),
    )
    assert isinstance(created, WindowsBackend)
    yield created
    created.release()


def test_engaging_installs_one_low_level_hook_and_release_removes_it(
    backend: WindowsBackend, user32: FakeUser32
) -> None:
    backend.engage(None)
    assert user32.hook_count == 1
    backend.release()
    assert user32.hook_count == 0


@pytest.mark.parametrize(
    "keys",
    [("lalt", "tab"), ("lalt", "f4"), ("lwin",), ("lwin", "d"), ("lctrl", "c"), ("printscreen",)],
    ids=lambda keys: "+".join(keys),
)
def test_blocked_chord_is_swallowed_by_the_hook(
    backend: WindowsBackend, user32: FakeUser32, keys: tuple[str, ...]
) -> None:
    backend.engage(None)
    assert user32.chord(*(VK[k] for k in keys)) == SWALLOWED


@pytest.mark.parametrize(
    "keys", [("a",), ("lshift", "a"), ("lctrl", "z"), ("lctrl", "a"), ("tab",), ("lalt",)],
    ids=lambda keys: "+".join(keys),
)
def test_allowed_chord_goes_to_call_next_hook(
    backend: WindowsBackend, user32: FakeUser32, keys: tuple[str, ...]
) -> None:
    backend.engage(None)
    assert user32.chord(*(VK[k] for k in keys)) == PASSED
    assert VK[keys[-1]] in user32.passed_to_next


def test_key_up_of_a_swallowed_key_is_swallowed_too(
    backend: WindowsBackend, user32: FakeUser32
) -> None:
    backend.engage(None)
    assert user32.press(VK["lwin"]) == SWALLOWED
    assert user32.press(VK["lwin"], up=True) == SWALLOWED


def test_injected_keys_are_blocked_when_no_assistive_technology_runs(
    backend: WindowsBackend, user32: FakeUser32
) -> None:
    backend.engage(None)
    assert user32.press(VK["a"], injected=True) == SWALLOWED


def test_injected_keys_pass_while_a_screen_reader_runs(
    backend: WindowsBackend, user32: FakeUser32, processes: list[ProcessInfo]
) -> None:
    processes.append(ProcessInfo(3120, "nvda.exe"))
    backend.engage(None)
    assert user32.chord(VK["lalt"], VK["tab"], injected=True) == PASSED
    assert user32.chord(VK["insert"], VK["t"]) == PASSED


def test_screen_reader_key_commands_are_blocked_again_once_it_quits(
    backend: WindowsBackend, user32: FakeUser32, processes: list[ProcessInfo]
) -> None:
    processes.append(ProcessInfo(3120, "nvda.exe"))
    backend.engage(None)
    processes.pop()
    backend.poll()
    assert user32.press(VK["a"], injected=True) == SWALLOWED


def test_a_hook_dropped_by_windows_is_detected_and_reinstalled(
    backend: WindowsBackend, user32: FakeUser32
) -> None:
    backend.engage(None)
    assert backend.poll() == []
    user32.settle()
    user32.drop_hooks()
    assert user32.chord(VK["lalt"], VK["tab"]) == NO_HOOK
    assert backend.poll() == []  # the probe sent by the previous poll was seen
    user32.settle()
    findings = backend.poll()
    assert [f.kind for f in findings] == [EnvironmentFinding.KEYBOARD_HOOK_LOST]
    user32.settle()
    assert user32.hook_count == 1
    assert user32.chord(VK["lalt"], VK["tab"]) == SWALLOWED


def test_probe_keystrokes_never_reach_other_programs(
    backend: WindowsBackend, user32: FakeUser32
) -> None:
    backend.engage(None)
    for _ in range(3):
        backend.poll()
    user32.settle()
    assert user32.passed_to_next == []


def test_window_is_excluded_from_capture_and_restored_on_release(
    backend: WindowsBackend, user32: FakeUser32
) -> None:
    backend.engage(HWND)
    assert user32.affinity[HWND] == WDA_EXCLUDEFROMCAPTURE
    backend.release()
    assert user32.affinity[HWND] == WDA_NONE


def test_remote_session_is_reported(backend: WindowsBackend, user32: FakeUser32) -> None:
    user32.remote_session = True
    assert EnvironmentFinding.REMOTE_SESSION in [f.kind for f in backend.poll()]


def test_prohibited_process_is_reported_by_poll(
    backend: WindowsBackend, processes: list[ProcessInfo]
) -> None:
    processes.append(ProcessInfo(5020, "AnyDesk.exe"))
    [finding] = backend.poll()
    assert finding.kind is EnvironmentFinding.PROHIBITED_PROCESS
    assert "anydesk" in finding.detail and "5020" in finding.detail


def test_each_change_is_journaled_and_persisted_before_it_is_made(
    user32: FakeUser32, journal: Recorder, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    seen_at_call: list[tuple[list[str], list[str]]] = []
    original = user32.SetWindowDisplayAffinity

    def spying(hwnd: int, value: int) -> int:
        on_disk = [e["change"] for e in json.loads(state.read_text())]
        seen_at_call.append(([kind for kind, _ in journal.entries], on_disk))
        return original(hwnd, value)

    user32.SetWindowDisplayAffinity = spying  # type: ignore[method-assign]
    backend = WindowsBackend(journal=journal, state_path=state, user32=user32, lister=list)
    backend.engage(HWND)
    journaled, on_disk = seen_at_call[0]
    assert journaled[-1] == "lockdown_change" and on_disk[-1] == "display_affinity"
    assert journal.entries[-1][1] == {
        "change": "display_affinity", "hwnd": HWND, "affinity": "WDA_EXCLUDEFROMCAPTURE"
    }
    backend.release()
    assert not state.exists()
    assert [k for k, _ in journal.entries].count("lockdown_restored") == 4


def test_accessibility_shortcuts_are_turned_off_but_the_features_are_left_alone(
    backend: WindowsBackend, user32: FakeUser32
) -> None:
    user32.accessibility[SPI_GETTOGGLEKEYS] = 0x1F  # toggle keys in use: keep its shortcut
    backend.engage(None)
    assert user32.accessibility[SPI_GETSTICKYKEYS] == 0x7A
    assert user32.accessibility[SPI_GETTOGGLEKEYS] == 0x1F
    backend.release()
    assert user32.accessibility[SPI_GETSTICKYKEYS] == 0x7E


def test_changes_left_by_a_crash_are_restored_on_the_next_start(
    user32: FakeUser32, journal: Recorder, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    crashed = WindowsBackend(journal=journal, state_path=state, user32=user32, lister=list)
    crashed.engage(HWND)
    assert user32.accessibility[SPI_GETSTICKYKEYS] == 0x7A
    user32.drop_hooks()  # the process died: Windows removes its hook and its windows

    restarted = WindowsBackend(journal=Recorder(), state_path=state, user32=user32, lister=list)
    assert restarted.restore_pending() == 4
    assert user32.accessibility[SPI_GETSTICKYKEYS] == 0x7E
    assert not state.exists()
    assert restarted.restore_pending() == 0
    crashed.release()  # ends the simulated dead process's hook thread


def test_an_unreadable_state_file_is_journaled_and_cleared(
    user32: FakeUser32, journal: Recorder, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    state.write_text("{not json")
    backend = WindowsBackend(journal=journal, state_path=state, user32=user32, lister=list)
    assert backend.restore_pending() == 1
    assert journal.entries == [("lockdown_restored", {"change": "corrupt", "size": 9})]
    assert not state.exists()


def test_key_table_agrees_with_the_policy_for_every_named_key() -> None:
    table = KeyTable.from_policy()
    held_bits = {"": 0, "alt": 1, "ctrl": 4, "alt+shift": 1 | 32, "ctrl+alt": 1 | 4}
    for held, bits in held_bits.items():
        for vk, name in VK_NAMES.items():
            mods = frozenset(held.split("+")) - {"", name}
            chord = KeyChord(mods, name)
            expected = decide(
                chord,
                source=key_source(
                    chord, injected=False, assistive_running=False, block_injected=True
                ),
            ).blocked
            assert ((bits, vk) in table.blocked) == expected, str(chord)


def test_every_capability_is_in_force_once_every_call_succeeded(backend: WindowsBackend) -> None:
    assert backend.missing()["keyboard_filter"] == "not engaged"
    backend.engage(HWND)
    assert all(backend.capabilities().values()) and backend.missing() == {}
    assert backend.capture_affinity == "WDA_EXCLUDEFROMCAPTURE"
    assert KioskSettings().block_injected_input


# --- honesty: what Windows refused is reported, journaled as failed and never undone --------


def kinds(journal: Recorder, change: str) -> list[str]:
    return [kind for kind, payload in journal.entries if payload.get("change") == change]


def test_capture_exclusion_refused_falls_back_to_wda_monitor_and_says_which(
    backend: WindowsBackend, user32: FakeUser32, journal: Recorder
) -> None:
    user32.refused_affinities.add(WDA_EXCLUDEFROMCAPTURE)  # Windows 10 before 2004, Wine
    backend.engage(HWND)
    assert user32.affinity[HWND] == WDA_MONITOR
    assert backend.capture_affinity == "WDA_MONITOR"
    assert backend.capabilities()["capture_exclusion"]
    assert kinds(journal, "display_affinity") == [
        "lockdown_change", "lockdown_change_failed", "lockdown_change",
    ]
    backend.release()
    assert user32.affinity[HWND] == WDA_NONE
    restored = [p for k, p in journal.entries if k == "lockdown_restored"]
    assert {"change": "display_affinity", "hwnd": HWND, "affinity": "WDA_MONITOR"} in restored


def test_capture_exclusion_refused_entirely_is_missing_and_never_undone(
    backend: WindowsBackend, user32: FakeUser32, journal: Recorder, tmp_path: Path
) -> None:
    user32.refused_affinities |= {WDA_EXCLUDEFROMCAPTURE, WDA_MONITOR}
    backend.engage(HWND)
    assert backend.capabilities()["capture_exclusion"] is False
    assert backend.capture_affinity is None
    assert "SetWindowDisplayAffinity(WDA_MONITOR) failed" in backend.missing()["capture_exclusion"]
    backend.release()
    assert ("SetWindowDisplayAffinity", (HWND, WDA_NONE)) not in user32.calls
    assert "lockdown_restored" not in kinds(journal, "display_affinity")
    assert not (tmp_path / "lockdown-state.json").exists()


def test_a_refused_accessibility_shortcut_change_is_failed_not_applied_and_not_undone(
    backend: WindowsBackend, user32: FakeUser32, journal: Recorder
) -> None:
    user32.refused_spi.add(SPI_SETSTICKYKEYS)
    backend.engage(HWND)
    assert user32.accessibility[SPI_GETSTICKYKEYS] == 0x7E  # still active
    assert backend.capabilities()["accessibility_shortcuts_off"] is False
    missing = backend.missing()["accessibility_shortcuts_off"]
    assert "SystemParametersInfoW(set stickykeys)" in missing
    [failed] = [p for k, p in journal.entries if k == "lockdown_change_failed"]
    assert failed["change"] == "accessibility_hotkey" and failed["setting"] == "stickykeys"
    backend.release()
    assert user32.calls.count(("SystemParametersInfoW", (SPI_SETSTICKYKEYS,))) == 1
    assert [p["setting"] for k, p in journal.entries
            if k == "lockdown_restored" and p["change"] == "accessibility_hotkey"] == ["togglekeys"]


def test_unreadable_accessibility_settings_are_left_alone_and_reported(
    backend: WindowsBackend, user32: FakeUser32
) -> None:
    user32.refused_spi.add(SPI_GETTOGGLEKEYS)
    backend.engage(HWND)
    missing = backend.missing()
    assert list(missing) == ["accessibility_shortcuts_off"]
    assert missing["accessibility_shortcuts_off"].startswith(
        "SystemParametersInfoW(get togglekeys) failed"  # then Windows' error code, if any
    )
    assert user32.accessibility[SPI_GETTOGGLEKEYS] == 0x1E


def test_a_refused_keyboard_hook_is_reported_and_never_unhooked(
    backend: WindowsBackend, user32: FakeUser32, journal: Recorder
) -> None:
    user32.refuse_hook = True
    backend.engage(HWND)
    capabilities = backend.capabilities()
    assert not capabilities["keyboard_filter"] and not capabilities["injected_input_filter"]
    assert backend.missing()["keyboard_filter"].startswith("SetWindowsHookExW(WH_KEYBOARD_LL)")
    assert [f.kind for f in backend.poll()] == [EnvironmentFinding.KEYBOARD_GRAB_UNAVAILABLE]
    assert kinds(journal, "keyboard_hook") == ["lockdown_change", "lockdown_change_failed"]
    backend.release()
    assert kinds(journal, "keyboard_hook") == ["lockdown_change", "lockdown_change_failed"]
    assert not any(name == "UnhookWindowsHookEx" for name, _ in user32.calls)


def test_a_hook_that_windows_refuses_to_reinstall_is_not_claimed(
    backend: WindowsBackend, user32: FakeUser32
) -> None:
    backend.engage(HWND)
    user32.refuse_hook = True
    user32.drop_hooks()
    backend.poll()
    user32.settle()
    backend.poll()  # the probe was not seen: re-install, refused
    user32.settle()
    assert backend.capabilities()["keyboard_filter"] is False
    assert "SetWindowsHookExW" in backend.missing()["keyboard_filter"]


def test_a_shortcut_windows_refuses_to_restore_stays_listed_for_the_next_start(
    user32: FakeUser32, journal: Recorder, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    backend = WindowsBackend(journal=journal, state_path=state, user32=user32, lister=list)
    backend.engage(HWND)
    user32.refused_spi.add(SPI_SETSTICKYKEYS)
    backend.release()
    sticky = [k for k, p in journal.entries if p.get("setting") == "stickykeys"]
    assert sticky == ["lockdown_change", "lockdown_restore_failed"]
    user32.refused_spi.clear()
    restarted = WindowsBackend(journal=Recorder(), state_path=state, user32=user32, lister=list)
    assert restarted.restore_pending() == 1
    assert user32.accessibility[SPI_GETSTICKYKEYS] == 0x7E
    assert not state.exists()


def test_injected_input_is_not_claimed_filtered_when_the_settings_allow_it(
    user32: FakeUser32, tmp_path: Path
) -> None:
    backend = WindowsBackend(
        journal=Recorder(), state_path=tmp_path / "s.json", user32=user32, lister=list,
        settings=KioskSettings(block_injected_input=False),
    )
    backend.engage(HWND)
    assert backend.missing() == {"injected_input_filter": "turned off by block_injected_input"}
    backend.release()


def test_an_unreadable_process_list_is_reported_not_taken_as_empty(
    user32: FakeUser32, tmp_path: Path
) -> None:
    def refused() -> list[ProcessInfo]:
        raise OSError(5, "CreateToolhelp32Snapshot failed")

    backend = WindowsBackend(
        journal=Recorder(), state_path=tmp_path / "s.json", user32=user32, lister=refused
    )
    backend.engage(HWND)
    assert backend.capabilities()["process_watchdog"] is False
    assert "CreateToolhelp32Snapshot" in backend.missing()["process_watchdog"]
    backend.release()
