"""What the kiosk blocks and how it reacts: pure tables, no OS calls.

Every OS backend and the Qt window guard ask these functions instead of hard-coding keys,
so the rules are written once, read by ``pixdesk doctor`` and tested as tables on Linux CI
even for the Windows hook. Assistive technology always wins over lockdown: a screen reader
or magnifier is never reported as a prohibited process and its keys are never swallowed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pixdesk.errors import ConfigError

STANDARD_MODIFIERS = frozenset({"ctrl", "alt", "shift", "meta"})
SCREEN_READER_MODIFIERS = frozenset({"insert", "capslock"})
"""NVDA, JAWS, Narrator and Orca use Insert or CapsLock held down as their command key."""
MODIFIERS = STANDARD_MODIFIERS | SCREEN_READER_MODIFIERS

_ALIASES = {
    "control": "ctrl",
    "super": "meta",
    "win": "meta",
    "windows": "meta",
    "cmd": "meta",
    "escape": "esc",
    "del": "delete",
    "ins": "insert",
    "print": "printscreen",
    "prtsc": "printscreen",
    "sysrq": "printscreen",
    "apps": "menu",
    "caps": "capslock",
}
_DISPLAY = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "meta": "Meta"}
_ORDER = ("ctrl", "alt", "shift", "meta", "insert", "capslock")


def _canonical_key(name: str) -> str:
    key = name.strip().lower()
    return _ALIASES.get(key, key)


@dataclass(frozen=True)
class KeyChord:
    """A key pressed while some modifiers are held; ``key`` may itself be a modifier."""

    modifiers: frozenset[str]
    key: str

    def __post_init__(self) -> None:
        unknown = self.modifiers - MODIFIERS
        if unknown:
            raise ValueError(f"unknown modifiers {sorted(unknown)}")
        if not self.key:
            raise ValueError("empty key name")

    @classmethod
    def parse(cls, text: str) -> KeyChord:
        """``"Ctrl+Shift+Esc"`` → chord; the last part is the key, the others modifiers."""
        parts = [_canonical_key(part) for part in text.split("+")]
        if any(not part for part in parts):
            raise ValueError(f"malformed chord {text!r}")
        return cls(frozenset(parts[:-1]), parts[-1])

    def __str__(self) -> str:
        held = [_DISPLAY.get(m, m.capitalize()) for m in _ORDER if m in self.modifiers]
        return "+".join([*held, _DISPLAY.get(self.key, self.key.capitalize())])


class KeyAction(enum.Enum):
    PASS = "pass"
    BLOCK = "block"
    DETECT = "detect"
    """The OS acts before any user-mode hook (Ctrl+Alt+Del, Win+L): the guard detects the
    consequence (focus lost, session switch) and locks instead."""


@dataclass(frozen=True)
class Decision:
    action: KeyAction
    rule: str
    """Which rule decided, for the audit log and the policy table in the docs."""

    @property
    def blocked(self) -> bool:
        return self.action is KeyAction.BLOCK


KeySource = Literal["keyboard", "assistive", "injected"]
"""``injected``: synthetic input while no assistive technology runs (remote control, macros)."""

_FUNCTION_KEYS = tuple(f"f{n}" for n in range(1, 13))

BLOCKED_CHORDS: frozenset[KeyChord] = frozenset(
    KeyChord.parse(text)
    for text in (
        "Alt+Tab",
        "Alt+Shift+Tab",
        "Ctrl+Alt+Tab",
        "Alt+F4",
        "Alt+Esc",
        "Alt+Shift+Esc",
        "Alt+Space",
        "Ctrl+Esc",
        "Ctrl+Shift+Esc",
        "Ctrl+W",
        "Ctrl+Q",
        "Ctrl+N",
        "Ctrl+T",
        "Ctrl+P",
        "Ctrl+C",
        "Ctrl+X",
        "Ctrl+V",
        "Ctrl+Shift+C",
        "Ctrl+Shift+X",
        "Ctrl+Shift+V",
        "Ctrl+Insert",
        "Shift+Insert",
        "Shift+Delete",
        "F11",
        "Ctrl+Alt+Backspace",
        *(f"Ctrl+Alt+{fn}" for fn in _FUNCTION_KEYS),
    )
)
"""Explicit chords; the Meta/Super key, the Menu key and Print Screen are blocked by rule."""

UNBLOCKABLE_CHORDS: frozenset[KeyChord] = frozenset(
    KeyChord.parse(text) for text in ("Ctrl+Alt+Delete", "Meta+L")
)
"""Handled by Windows below every user-mode hook: cannot block, detected instead."""

_RULE_BY_KEY = {
    "tab": "task_switch",
    "esc": "task_switch",
    "space": "window_menu",
    "f4": "close_window",
    "c": "clipboard",
    "x": "clipboard",
    "v": "clipboard",
    "insert": "clipboard",
    "delete": "clipboard",
    "f11": "leave_full_screen",
    "backspace": "kill_x_server",
}


def is_screen_reader_command(chord: KeyChord) -> bool:
    """Insert/CapsLock held as a command key, or tapped alone (the NVDA key itself).

    Shift+Insert is *not* one: there Insert is the key, so it stays a blocked paste.
    """
    if chord.modifiers & SCREEN_READER_MODIFIERS:
        return True
    return chord.key in SCREEN_READER_MODIFIERS and not chord.modifiers


def _keyboard_rule(chord: KeyChord) -> Decision:
    standard = KeyChord(chord.modifiers & STANDARD_MODIFIERS, chord.key)
    if standard in UNBLOCKABLE_CHORDS:
        return Decision(KeyAction.DETECT, "os_reserved")
    if chord.key == "meta" or "meta" in chord.modifiers:
        return Decision(KeyAction.BLOCK, "super_key")
    if chord.key == "menu":
        return Decision(KeyAction.BLOCK, "context_menu_key")
    if chord.key == "printscreen":
        return Decision(KeyAction.BLOCK, "screen_capture")
    if standard in BLOCKED_CHORDS:
        if {"ctrl", "alt"} <= standard.modifiers and chord.key in _FUNCTION_KEYS:
            return Decision(KeyAction.BLOCK, "vt_switch")
        if chord.key in {"w", "q", "n", "t", "p"}:
            return Decision(KeyAction.BLOCK, "application_shortcut")
        return Decision(KeyAction.BLOCK, _RULE_BY_KEY.get(chord.key, "blocked_chord"))
    return Decision(KeyAction.PASS, "allowed")


def decide(chord: KeyChord, *, source: KeySource = "keyboard") -> Decision:
    """What the hook does with ``chord``; assistive technology always passes."""
    if source == "assistive":
        return Decision(KeyAction.PASS, "assistive_technology")
    if source == "injected":
        return Decision(KeyAction.BLOCK, "injected_input")
    return _keyboard_rule(chord)


def is_blocked(chord: KeyChord) -> bool:
    return decide(chord).blocked


def key_source(
    chord: KeyChord, *, injected: bool, assistive_running: bool, block_injected: bool
) -> KeySource:
    """Classify a key event as the hook sees it.

    Windows cannot tell which process injected a key, so while an allowed assistive program
    runs every injected key is trusted as its own (NVDA, Dragon, the on-screen keyboard all
    inject); otherwise injected keys are remote control or macros.
    """
    if assistive_running and (injected or is_screen_reader_command(chord)):
        return "assistive"
    if injected and block_injected:
        return "injected"
    return "keyboard"


class LockTrigger(enum.Enum):
    """Something that happened during the exam and may engage the lock screen."""

    FOCUS_LOST = "focus_lost"
    SCREEN_ADDED = "screen_added"
    SCREEN_REMOVED = "screen_removed"
    PROHIBITED_PROCESS = "prohibited_process"
    REMOTE_SESSION = "remote_session"
    HEARTBEAT_MISSED = "heartbeat_missed"
    JOURNAL_WRITE_FAILED = "journal_write_failed"
    WINDOW_HIDDEN = "window_hidden"


class EnvironmentFinding(enum.Enum):
    """Something found about the machine, at start (``doctor``) or by a backend's poll."""

    VIRTUAL_MACHINE = "virtual_machine"
    EXTERNAL_MONITOR = "external_monitor"
    REMOTE_SESSION = "remote_session"
    PROHIBITED_PROCESS = "prohibited_process"
    WAYLAND_SESSION = "wayland_session"
    KEYBOARD_HOOK_LOST = "keyboard_hook_lost"
    KEYBOARD_GRAB_UNAVAILABLE = "keyboard_grab_unavailable"


class Reaction(enum.Enum):
    LOCK = "lock"
    WARN = "warn"
    IGNORE = "ignore"


Event = LockTrigger | EnvironmentFinding

DEFAULT_REACTIONS: Mapping[str, Reaction] = {
    "focus_lost": Reaction.LOCK,
    "screen_added": Reaction.LOCK,
    "screen_removed": Reaction.LOCK,
    "prohibited_process": Reaction.LOCK,
    "remote_session": Reaction.LOCK,
    "heartbeat_missed": Reaction.LOCK,
    "journal_write_failed": Reaction.LOCK,
    "window_hidden": Reaction.LOCK,
    "virtual_machine": Reaction.WARN,
    "external_monitor": Reaction.WARN,
    "wayland_session": Reaction.WARN,
    "keyboard_hook_lost": Reaction.WARN,
    "keyboard_grab_unavailable": Reaction.WARN,
}
"""Keyed by the enum value, so a trigger and a finding of the same name share one setting.

Heuristics (VM, monitors) only warn: SEB's tracker shows they misfire on real school PCs.
"""

ALWAYS_LOCK = frozenset({"heartbeat_missed", "journal_write_failed"})
"""Without the lockdown watchdog or the journal the exam cannot be trusted; not configurable."""

DEFAULT_PROHIBITED_PROCESSES = frozenset(
    {
        # remote control and remote desktop
        "teamviewer", "teamviewer_service", "tv_w32", "tv_x64", "anydesk", "rustdesk",
        "todesk", "aeroadmin", "aa_v3", "remoting_host", "remote_assistance_host",
        "chrome-remote-desktop-host", "mstsc", "winvnc", "tvnserver", "vncserver",
        "x11vnc", "x0vncserver", "vino-server", "krfb", "gnome-remote-desktop-daemon",
        "remotepc", "strwinclt", "mousewithoutborders", "barrier", "synergy",
        "screensharingagent", "applevncserver", "ardagent",
        # screen recording and capture
        "obs", "obs32", "obs64", "simplescreenrecorder", "kazam", "vokoscreen",
        "vokoscreenng", "peek", "recordmydesktop", "gpu-screen-recorder", "bandicam",
        "camtasia", "camrecorder", "sharex", "snagit32", "snagiteditor", "flameshot",
        # messaging and meetings
        "discord", "discordptb", "discordcanary", "telegram", "telegram-desktop",
        "signal", "signal-desktop", "slack", "whatsapp", "teams", "ms-teams",
        "teams-for-linux", "skype", "zoom", "element", "element-desktop", "webexmta",
    }
)

DEFAULT_ASSISTIVE_PROCESSES = frozenset(
    {
        "nvda", "nvda_slave", "nvda_service", "nvdahelperremoteloader", "jfw", "fsreader",
        "narrator", "magnify", "zt", "zoomtext", "fusion", "natspeak", "osk", "tabtip",
        "orca", "speech-dispatcher", "sd_espeak-ng", "sd_espeak", "kmag", "kmousetool",
        "gnome-magnifier", "onboard", "florence", "xzoom", "voiceover",
    }
)
"""Screen readers, magnifiers, speech recognition and on-screen keyboards."""

SCREEN_READERS = frozenset({"nvda", "jfw", "narrator", "fusion", "zt", "orca", "voiceover"})


def process_key(name: str) -> str:
    """``C:\\Program Files\\NVDA\\nvda.exe`` → ``nvda``: how process names are compared."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lower()
    return base[:-4] if base.endswith(".exe") else base


@dataclass(frozen=True)
class KioskSettings:
    """What the lockdown enforces, fed by the machine config and the certification version."""

    reactions: Mapping[str, Reaction] = field(default_factory=lambda: dict(DEFAULT_REACTIONS))
    prohibited_processes: frozenset[str] = DEFAULT_PROHIBITED_PROCESSES
    assistive_processes: frozenset[str] = DEFAULT_ASSISTIVE_PROCESSES
    block_injected_input: bool = True
    max_screens: int = 1

    def __post_init__(self) -> None:
        unknown = set(self.reactions) - set(DEFAULT_REACTIONS)
        if unknown:
            raise _config_error(f"unknown lockdown events {sorted(unknown)}")
        for name in ALWAYS_LOCK:
            if self.reactions.get(name, Reaction.LOCK) is not Reaction.LOCK:
                raise _config_error(f"{name} always locks the exam")
        overlap = {process_key(n) for n in self.prohibited_processes} & {
            process_key(n) for n in self.assistive_processes
        }
        if overlap:
            raise _config_error(f"assistive programs cannot be prohibited: {sorted(overlap)}")
        if self.max_screens < 1:
            raise _config_error("max_screens must be at least 1")

    def reaction_to(self, event: Event) -> Reaction:
        return self.reaction_to_name(event.value)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> KioskSettings:
        """Missing keys keep their defaults; unknown keys are refused (a typo would silently
        weaken the lockdown)."""
        known = {
            "reactions",
            "prohibited_processes",
            "assistive_processes",
            "block_injected_input",
            "max_screens",
        }
        extra = set(raw) - known
        if extra:
            raise _config_error(f"unknown kiosk settings {sorted(extra)}")
        reactions = dict(DEFAULT_REACTIONS)
        try:
            for name, value in dict(raw.get("reactions", {})).items():
                reactions[str(name)] = Reaction(value)
        except (ValueError, TypeError) as exc:
            raise _config_error(f"invalid reaction: {exc}") from exc
        injected = raw.get("block_injected_input", True)
        screens = raw.get("max_screens", 1)
        if not isinstance(injected, bool) or isinstance(screens, bool) or not isinstance(
            screens, int
        ):
            raise _config_error("block_injected_input must be a boolean, max_screens an integer")
        return cls(
            reactions=reactions,
            prohibited_processes=_names(
                raw.get("prohibited_processes"), DEFAULT_PROHIBITED_PROCESSES
            ),
            assistive_processes=_names(raw.get("assistive_processes"), DEFAULT_ASSISTIVE_PROCESSES),
            block_injected_input=injected,
            max_screens=screens,
        )

    def at_least(self, other: KioskSettings) -> KioskSettings:
        """The stricter of two settings (machine config and certification version): the
        harsher reaction to each event, every program either prohibits, the fewer screens.
        Assistive technology either allows stays allowed — it is never blocked."""
        strictness = {Reaction.IGNORE: 0, Reaction.WARN: 1, Reaction.LOCK: 2}
        names = set(self.reactions) | set(other.reactions)
        reactions = {
            name: max(self.reaction_to_name(name), other.reaction_to_name(name),
                      key=strictness.__getitem__)
            for name in names
        }
        assistive = self.assistive_processes | other.assistive_processes
        return KioskSettings(
            reactions=reactions,
            prohibited_processes=(self.prohibited_processes | other.prohibited_processes)
            - assistive,
            assistive_processes=assistive,
            block_injected_input=self.block_injected_input or other.block_injected_input,
            max_screens=min(self.max_screens, other.max_screens),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "reactions": {name: self.reaction_to_name(name).value for name in DEFAULT_REACTIONS},
            "prohibited_processes": sorted(self.prohibited_processes),
            "assistive_processes": sorted(self.assistive_processes),
            "block_injected_input": self.block_injected_input,
            "max_screens": self.max_screens,
        }

    def reaction_to_name(self, name: str) -> Reaction:
        return self.reactions.get(name, DEFAULT_REACTIONS[name])

    def describe(self, lang: str = "fr") -> list[str]:
        """Lines for ``pixdesk doctor``: each event with its reaction, then the lists. These are
        what is *asked*; what the backend puts in force is the backend's ``missing()``."""
        words = _REACTION_WORDS[lang if lang in _REACTION_WORDS else "fr"]
        lines = [f"{name}: {words[self.reaction_to_name(name)]}" for name in DEFAULT_REACTIONS]
        if lang == "en":
            lines += [
                f"prohibited programs: {len(self.prohibited_processes)}",
                f"assistive programs always allowed: {len(self.assistive_processes)}",
                "block synthetic keyboard input (asked; see the lockdown check): "
                + ("yes" if self.block_injected_input else "no"),
                f"screens allowed: {self.max_screens}",
            ]
        else:
            lines += [
                f"programmes interdits : {len(self.prohibited_processes)}",
                f"aides techniques toujours autorisées : {len(self.assistive_processes)}",
                "bloquer la saisie clavier simulée (demandé ; voir le contrôle lockdown) : "
                + ("oui" if self.block_injected_input else "non"),
                f"écrans autorisés : {self.max_screens}",
            ]
        return lines


_REACTION_WORDS = {
    "fr": {Reaction.LOCK: "verrouille", Reaction.WARN: "avertit", Reaction.IGNORE: "ignoré"},
    "en": {Reaction.LOCK: "locks", Reaction.WARN: "warns", Reaction.IGNORE: "ignored"},
}


def _names(value: object, default: frozenset[str]) -> frozenset[str]:
    if value is None:
        return default
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise _config_error("process lists must be lists of names")
    names = [item for item in value if isinstance(item, str) and item.strip()]
    if len(names) != len(list(value)):
        raise _config_error("process lists must be lists of names")
    return frozenset(process_key(name) for name in names)


def _config_error(detail: str) -> ConfigError:
    return ConfigError(
        "lockdown.bad_settings",
        f"Réglages du mode examen invalides : {detail}",
        f"Invalid kiosk settings: {detail}",
    )


def reaction(event: Event, settings: KioskSettings) -> Reaction:
    """LOCK, WARN or IGNORE for a trigger or a finding under ``settings``."""
    return settings.reaction_to(event)


@dataclass(frozen=True)
class Finding:
    """One observation by a backend or an environment check, ready for the log and the UI."""

    kind: EnvironmentFinding
    detail: str = ""

    def message(self, lang: str = "fr") -> str:
        fr, en = _FINDING_TEXT[self.kind]
        text = en if lang == "en" else fr
        return f"{text} ({self.detail})" if self.detail else text


_FINDING_TEXT = {
    EnvironmentFinding.VIRTUAL_MACHINE: (
        "Cet ordinateur semble être une machine virtuelle",
        "This computer looks like a virtual machine",
    ),
    EnvironmentFinding.EXTERNAL_MONITOR: (
        "Plusieurs écrans sont branchés ; les écrans secondaires seront masqués",
        "Several screens are connected; secondary screens will be blanked",
    ),
    EnvironmentFinding.REMOTE_SESSION: (
        "La session est ouverte à distance (bureau à distance)",
        "This is a remote desktop session",
    ),
    EnvironmentFinding.PROHIBITED_PROCESS: (
        "Un programme interdit est ouvert",
        "A prohibited program is running",
    ),
    EnvironmentFinding.WAYLAND_SESSION: (
        "Session Wayland : les raccourcis du bureau ne peuvent pas être bloqués ; "
        "lancez PixDesk dans le compositeur kiosque « cage »",
        "Wayland session: desktop shortcuts cannot be blocked; "
        "run PixDesk inside the “cage” kiosk compositor",
    ),
    EnvironmentFinding.KEYBOARD_HOOK_LOST: (
        "Le filtre clavier avait été retiré par le système ; il a été réinstallé",
        "The system had removed the keyboard filter; it was re-installed",
    ),
    EnvironmentFinding.KEYBOARD_GRAB_UNAVAILABLE: (
        "Le clavier ne peut pas être réservé à PixDesk",
        "The keyboard cannot be reserved for PixDesk",
    ),
}
