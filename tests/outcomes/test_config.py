"""OUTREACH_OUTCOMES is validated: unknown keys and bad horizons are refused."""

import pytest

from outreach.outcomes.config import BAD_HORIZONS, UNKNOWN, outcomes_config


def test_defaults():
    assert outcomes_config()["horizons_years"] == [1, 2]


def test_horizons_are_configurable_and_sorted(settings):
    settings.OUTREACH_OUTCOMES = {"horizons_years": [3, 1, 1]}
    assert outcomes_config()["horizons_years"] == [1, 3]


@pytest.mark.parametrize("value", [[], [0], ["1"], 2, [1.5]])
def test_bad_horizons_are_refused(settings, value):
    settings.OUTREACH_OUTCOMES = {"horizons_years": value}
    with pytest.raises(ValueError, match=BAD_HORIZONS):
        outcomes_config()


def test_unknown_keys_are_refused(settings):
    settings.OUTREACH_OUTCOMES = {"horizon": [1]}
    with pytest.raises(ValueError, match=UNKNOWN):
        outcomes_config()


def test_configured_horizon_reaches_the_page(settings, practitioner, team, veteran):
    from tests.conftest import login

    settings.OUTREACH_OUTCOMES = {"horizons_years": [1]}
    html = login(practitioner).get(f"/governance/team/{team.code}/outcomes/").content.decode()
    assert "1 year before and after acceptance" in html
    assert "2 years before and after acceptance" not in html
