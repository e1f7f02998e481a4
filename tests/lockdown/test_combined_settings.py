"""The certification version can make the machine's kiosk stricter, never weaker, and
assistive technology stays allowed whatever either side says."""

from __future__ import annotations

import dataclasses

import pytest

from pixdesk.app import kiosk_settings_for
from pixdesk.demo import load_demo
from pixdesk.errors import ConfigError
from pixdesk.lockdown.policy import EnvironmentFinding, KioskSettings, Reaction


def test_the_stricter_reaction_wins_whichever_side_asks_for_it() -> None:
    machine = KioskSettings.from_dict({"reactions": {"virtual_machine": "lock",
                                                     "external_monitor": "ignore"}})
    version = KioskSettings.from_dict({"reactions": {"virtual_machine": "warn",
                                                     "external_monitor": "lock"}})
    combined = machine.at_least(version)
    assert combined.reaction_to(EnvironmentFinding.VIRTUAL_MACHINE) is Reaction.LOCK
    assert combined.reaction_to(EnvironmentFinding.EXTERNAL_MONITOR) is Reaction.LOCK
    assert combined == version.at_least(machine)


def test_prohibited_lists_add_up_but_never_block_assistive_technology() -> None:
    machine = KioskSettings.from_dict({"prohibited_processes": ["discord"],
                                       "assistive_processes": ["mylocalreader"]})
    version = KioskSettings.from_dict({"prohibited_processes": ["obs", "mylocalreader"]})
    combined = machine.at_least(version)
    assert {"discord", "obs"} <= combined.prohibited_processes
    assert "mylocalreader" not in combined.prohibited_processes
    assert {"nvda", "orca"} <= combined.assistive_processes
    assert combined.max_screens == 1


def test_exam_settings_follow_the_session_version() -> None:
    demo = load_demo()
    version = demo.package.versions[demo.session.version_id]
    strict = dataclasses.replace(version, kiosk={"reactions": {"virtual_machine": "lock"}})
    package = dataclasses.replace(demo.package,
                                  versions={**demo.package.versions, version.id: strict})
    settings = kiosk_settings_for(dataclasses.replace(demo, package=package), KioskSettings())
    assert settings.reaction_to(EnvironmentFinding.VIRTUAL_MACHINE) is Reaction.LOCK
    assert kiosk_settings_for(demo, KioskSettings()).reaction_to(
        EnvironmentFinding.VIRTUAL_MACHINE) is Reaction.WARN
    broken = dataclasses.replace(version, kiosk={"reactions": {"virtual_machine": "maybe"}})
    package = dataclasses.replace(demo.package,
                                  versions={**demo.package.versions, version.id: broken})
    with pytest.raises(ConfigError):
        kiosk_settings_for(dataclasses.replace(demo, package=package), KioskSettings())
