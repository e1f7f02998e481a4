from __future__ import annotations

import pytest

from pixdesk.engine.version import PRESETS, CertificationVersion, limit_minutes


@pytest.mark.parametrize(("extra", "expected"), [(0, 105), (33, 140), (25, 132), (50, 158)])
def test_extra_time_rounds_up_to_the_minute(extra: int, expected: int) -> None:
    assert limit_minutes(105, extra) == expected


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_version_survives_a_json_round_trip(name: str) -> None:
    version = PRESETS[name]
    assert CertificationVersion.from_dict(version.to_dict()) == version


def test_pix_preset_carries_the_published_constants() -> None:
    v = PRESETS["pix-v3"]
    assert (v.length, v.duration_minutes, v.min_answers) == (32, 105, 20)
    assert v.estimation.grid_points == 81 and v.estimation.start_theta == -3.0
    assert v.selection.pick_probabilities == (0.51, 0.25, 0.1225, 0.06, 0.0576)
    assert [b.theta_min for b in v.scoring.bands][:2] == [-4.67, -1.4]
