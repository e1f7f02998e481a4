"""Environment checks from fixture files: VM hints, remote session, screens, Wayland."""

from __future__ import annotations

from pathlib import Path

import pytest

from pixdesk.lockdown.environment import (
    check_environment,
    linux_machine_facts,
    machine_facts_for,
    vm_hints,
)
from pixdesk.lockdown.policy import EnvironmentFinding, KioskSettings

PHYSICAL_CPU = "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr sse sse2 avx2\n"
GUEST_CPU = "processor\t: 0\nflags\t\t: fpu vme sse sse2 hypervisor avx2\n"


def machine(root: Path, cpuinfo: str, **dmi: str) -> Path:
    (root / "sys/class/dmi/id").mkdir(parents=True)
    (root / "proc").mkdir()
    (root / "proc/cpuinfo").write_text(cpuinfo)
    for name, value in dmi.items():
        (root / "sys/class/dmi/id" / name).write_text(value + "\n")
    return root


MACHINES = [
    ("virtualbox", GUEST_CPU, {"sys_vendor": "innotek GmbH", "product_name": "VirtualBox"}, 3),
    ("qemu-kvm", GUEST_CPU, {"sys_vendor": "QEMU", "product_name": "Standard PC (Q35 + ICH9)"}, 2),
    ("vmware", PHYSICAL_CPU, {"sys_vendor": "VMware, Inc.", "product_name": "VMware7,1"}, 2),
    ("hyper-v", GUEST_CPU, {"sys_vendor": "Microsoft Corporation",
                            "product_name": "Virtual Machine"}, 2),
    ("surface-laptop", PHYSICAL_CPU, {"sys_vendor": "Microsoft Corporation",
                                      "product_name": "Surface Laptop 5"}, 0),
    ("dell-desktop", PHYSICAL_CPU, {"sys_vendor": "Dell Inc.", "product_name": "OptiPlex 7090"}, 0),
    ("physical-with-vbs", GUEST_CPU, {"sys_vendor": "HP", "product_name": "EliteBook 840"}, 1),
]


@pytest.mark.parametrize(
    ("cpuinfo", "dmi", "count"), [m[1:] for m in MACHINES], ids=[m[0] for m in MACHINES]
)
def test_vm_hints_from_dmi_and_cpuinfo(
    tmp_path: Path, cpuinfo: str, dmi: dict[str, str], count: int
) -> None:
    assert len(vm_hints(linux_machine_facts(machine(tmp_path, cpuinfo, **dmi)))) == count


def test_missing_dmi_files_give_no_hint(tmp_path: Path) -> None:
    assert linux_machine_facts(tmp_path) == {}


def test_windows_bios_strings_use_the_same_markers() -> None:
    facts = {"sys_vendor": "Xen", "product_name": "HVM domU", "bios_vendor": "Xen"}
    assert vm_hints(facts) == ["bios_vendor=Xen", "sys_vendor=Xen"]


def test_mac_hypervisor_flag_is_a_hint() -> None:
    assert vm_hints({"product_name": "MacBookAir10,1", "hv_vmm_present": "1"}) == [
        "hv_vmm_present=1"
    ]


def _kinds(**kwargs: object) -> list[EnvironmentFinding]:
    options: dict[str, object] = {
        "platform": "linux",
        "env": {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"},
        "settings": KioskSettings(),
        "screen_count": 1,
        "machine_facts": dict,
    }
    options.update(kwargs)
    return [f.kind for f in check_environment(**options)]  # type: ignore[arg-type]


def test_a_plain_x11_pc_with_one_screen_has_no_findings() -> None:
    assert _kinds() == []


def test_a_second_screen_is_reported_above_the_allowed_count() -> None:
    assert _kinds(screen_count=2) == [EnvironmentFinding.EXTERNAL_MONITOR]
    assert _kinds(screen_count=2, settings=KioskSettings(max_screens=2)) == []


@pytest.mark.parametrize(
    "env",
    [{"SSH_CONNECTION": "10.0.0.9 52000 10.0.0.5 22", "DISPLAY": "localhost:10.0"},
     {"XRDP_SESSION": "1", "DISPLAY": ":10"}],
    ids=["ssh-forwarded", "xrdp"],
)
def test_remote_sessions_on_linux(env: dict[str, str]) -> None:
    assert _kinds(env=env) == [EnvironmentFinding.REMOTE_SESSION]


def test_wayland_is_reported_unless_started_in_the_kiosk_compositor() -> None:
    desktop = {"WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "GNOME"}
    assert _kinds(env=desktop) == [EnvironmentFinding.WAYLAND_SESSION]
    kiosk = {"WAYLAND_DISPLAY": "wayland-0", "PIXDESK_KIOSK_COMPOSITOR": "cage"}
    assert _kinds(env=kiosk) == []


def test_a_virtual_machine_is_reported_with_its_evidence(tmp_path: Path) -> None:
    root = machine(tmp_path, GUEST_CPU, sys_vendor="QEMU", product_name="Standard PC")
    [finding] = check_environment(
        platform="linux",
        env={},
        settings=KioskSettings(),
        screen_count=1,
        machine_facts=lambda: linux_machine_facts(root),
    )
    assert finding.kind is EnvironmentFinding.VIRTUAL_MACHINE
    assert finding.detail == "sys_vendor=QEMU, cpu_hypervisor_flag=yes"


def test_this_machine_can_be_read_without_error() -> None:
    facts = machine_facts_for("linux")()
    assert isinstance(vm_hints(facts), list)
