"""Synthetic demographics and outcome history: valid codes, history before acceptance that
ends before it, deterministic; and loaded, they give the outcome pages something to show."""

from collections import Counter
from datetime import date

import pytest

from outreach.core.equality import ETHNIC_CATEGORIES, SEXES, ethnic_group
from outreach.outcomes import selectors
from outreach.outcomes.areas import imd_decile
from outreach.outcomes.models import AreaPopulation, HospitalSpell
from outreach.synth.generator import generate, small_scale
from outreach.synth.load import load

TODAY = date(2026, 3, 2)
SCALE = small_scale(north=60, south=10, history_days=90)


@pytest.fixture(scope="module")
def data():
    return generate(SCALE, seed=3, today=TODAY)


def test_demographics_are_valid_codes(data):
    for p in data.people:
        assert p.ethnic_category in ETHNIC_CATEGORIES
        assert p.sex in SEXES
        assert imd_decile(p.lsoa_code) is not None
    groups = Counter(ethnic_group(p.ethnic_category) for p in data.people)
    assert groups["White"] > groups["Black, Black British, Caribbean or African"] > 0


def test_history_before_acceptance_ends_before_it(data):
    accepted = {e.id: e.accepted_date for e in data.episodes}
    assert data.hospital_spells
    for s in data.hospital_spells:
        assert s.discharged_on >= s.admitted_on
        assert s.discharged_on < accepted[s.episode_id]


def test_police_history_ids_follow_the_records(data):
    ids = [r.id for r in data.police_contacts] + [r.id for r in data.history_police_contacts]
    assert len(ids) == len(set(ids))


def test_deterministic(data):
    again = generate(SCALE, seed=3, today=TODAY)
    assert again.hospital_spells == data.hospital_spells
    assert again.people == data.people
    assert generate(SCALE, seed=4, today=TODAY).hospital_spells != data.hospital_spells


def test_populations_per_team(data):
    by_team = Counter()
    for row in data.area_populations:
        by_team[row.team_id] += row.adults
    assert by_team[1] == pytest.approx(60 * 2000, abs=5)


@pytest.mark.django_db
def test_loaded_history_feeds_the_outcomes(data):
    load(data, password="synthetic-test-1")
    assert HospitalSpell.objects.count() == len(data.hospital_spells)
    assert AreaPopulation.objects.count() == len(data.area_populations)
    team_id = data.teams[0].id
    summary = selectors.summarise_team(selectors.team_facts([team_id], as_of=TODAY),
                                       as_of=TODAY)
    one = summary.horizons[0]
    assert one.included > 0
    bed_days = next(o for o in one.outcomes if o.outcome == "bed_days")
    assert bed_days.total_before > 0
