"""Checks of the machine before and during an exam: VM hints, remote session, screens, Wayland.

Every reader is injectable (a root directory, an environment mapping, a BIOS reader), so
tests feed fixture files and the same code serves ``pixdesk doctor`` and the kiosk start.
VM detection is a heuristic with known false positives on real school PCs (SEB's tracker),
so by default it only warns; the reaction is the settings' business, not this module's.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from pixdesk.lockdown.policy import EnvironmentFinding, Finding, KioskSettings

VM_MARKERS = (
    "virtualbox",
    "innotek",
    "vmware",
    "qemu",
    "kvm",
    "xen",
    "bochs",
    "parallels",
    "virtual machine",
    "hyper-v",
)
"""Lower-case substrings of vendor/product/BIOS strings. Plain "Microsoft Corporation" is not
one: Surface laptops carry it too; Hyper-V guests say "Virtual Machine" as the product."""

_DMI_FILES = ("sys_vendor", "product_name", "board_vendor", "bios_vendor")

BiosReader = Callable[[], Mapping[str, str]]


def linux_machine_facts(root: Path = Path("/")) -> dict[str, str]:
    """DMI strings and the CPU ``hypervisor`` flag, read under ``root`` (``/`` in real life)."""
    facts = {}
    for name in _DMI_FILES:
        value = _read(root / "sys/class/dmi/id" / name)
        if value:
            facts[name] = value.strip()
    cpuinfo = _read(root / "proc/cpuinfo") or ""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags":
            facts["cpu_hypervisor_flag"] = "yes" if "hypervisor" in value.split() else "no"
            break
    return facts


def windows_machine_facts() -> dict[str, str]:
    """The BIOS strings Windows keeps in the registry; no WMI, no admin rights needed."""
    if sys.platform != "win32":
        raise RuntimeError("the Windows registry exists only on Windows")
    import winreg

    facts = {}
    path = r"HARDWARE\DESCRIPTION\System\BIOS"
    with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path) as key:
        for value, fact in (
            ("SystemManufacturer", "sys_vendor"),
            ("SystemProductName", "product_name"),
            ("BaseBoardManufacturer", "board_vendor"),
            ("BIOSVendor", "bios_vendor"),
        ):
            try:
                facts[fact] = str(winreg.QueryValueEx(key, value)[0])
            except OSError:
                continue
    return facts


def mac_machine_facts() -> dict[str, str]:
    facts = {}
    for name, fact in (("hw.model", "product_name"), ("kern.hv_vmm_present", "hv_vmm_present")):
        result = subprocess.run(
            ["sysctl", "-n", name], capture_output=True, text=True, timeout=5, check=False
        )
        if result.returncode == 0:
            facts[fact] = result.stdout.strip()
    return facts


def vm_hints(facts: Mapping[str, str]) -> list[str]:
    """Which facts suggest a virtual machine, each as ``fact=value`` for the log."""
    hints = [
        f"{name}={value}"
        for name, value in sorted(facts.items())
        if name in _DMI_FILES and any(marker in value.lower() for marker in VM_MARKERS)
    ]
    if facts.get("cpu_hypervisor_flag") == "yes":
        hints.append("cpu_hypervisor_flag=yes")
    if facts.get("hv_vmm_present") == "1":
        hints.append("hv_vmm_present=1")
    return hints


def remote_session_hints(env: Mapping[str, str]) -> list[str]:
    """An SSH-forwarded display or an xrdp session: the screen is seen somewhere else.

    On Windows the backend asks ``GetSystemMetrics(SM_REMOTESESSION)`` instead.
    """
    return [name for name in ("SSH_CONNECTION", "SSH_CLIENT", "XRDP_SESSION") if env.get(name)]


def is_wayland(env: Mapping[str, str]) -> bool:
    return bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE", "") == "wayland"


def in_kiosk_compositor(env: Mapping[str, str]) -> bool:
    """IT's session script sets ``PIXDESK_KIOSK_COMPOSITOR=cage`` when it starts us in cage:
    a client cannot otherwise tell cage from a full desktop compositor."""
    return bool(env.get("PIXDESK_KIOSK_COMPOSITOR"))


def check_environment(
    *,
    platform: str,
    env: Mapping[str, str],
    settings: KioskSettings,
    screen_count: int,
    machine_facts: BiosReader,
) -> list[Finding]:
    """Everything found about this machine; the caller applies ``reaction()`` to each."""
    findings = []
    hints = vm_hints(machine_facts())
    if hints:
        findings.append(Finding(EnvironmentFinding.VIRTUAL_MACHINE, ", ".join(hints)))
    if screen_count > settings.max_screens:
        findings.append(
            Finding(EnvironmentFinding.EXTERNAL_MONITOR, f"{screen_count}/{settings.max_screens}")
        )
    if platform.startswith("linux"):
        remote = remote_session_hints(env)
        if remote:
            findings.append(Finding(EnvironmentFinding.REMOTE_SESSION, ", ".join(remote)))
        if is_wayland(env) and not in_kiosk_compositor(env):
            session = env.get("XDG_CURRENT_DESKTOP") or env.get("XDG_SESSION_TYPE") or "wayland"
            findings.append(Finding(EnvironmentFinding.WAYLAND_SESSION, session))
    return findings


def machine_facts_for(platform: str) -> BiosReader:
    if platform == "win32":
        return windows_machine_facts
    if platform == "darwin":
        return mac_machine_facts
    return linux_machine_facts


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
