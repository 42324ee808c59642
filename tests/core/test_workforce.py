"""Workforce and cost model: worked examples that reproduce the published figures (003, 004)
with their assumptions, and properties of the arithmetic."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.core.workforce import (
    Costing,
    WorkforceConfig,
    average_cost_per_fte,
    demand_capacity,
    estimate,
    team,
    totals,
)


def test_greater_manchester_foi_figures_are_reproduced_with_their_implied_assumptions():
    """003: 2,800-4,200 people, 8-10 FTE per 100, caseloads 10-12, GBP 8-11 million a year.
    The published range follows from 8 FTE per 100 people at a flat GBP 34,000 per FTE:
    224 and 336 FTE, GBP 7.6m and 11.4m, which round to GBP 8m and 11m."""
    cfg = WorkforceConfig(fte_per_100=(8, 8), costing=Costing(flat_per_fte=34_000))
    e = estimate(2_800, 4_200, cfg)
    assert (e.low.team_fte, e.high.team_fte) == (224, 336)
    assert round(e.low.cost / 1e6) == 8 and round(e.high.cost / 1e6) == 11
    # Practitioners at caseloads of 12 and 10.
    assert (e.low.practitioners, e.high.practitioners) == (234, 420)


def test_the_same_people_cost_more_with_pay_bands_and_on_costs():
    """With the default table (Agenda for Change mid-points, 28% on-costs, a consultant in
    the team) the same range costs GBP 12.3m-23.1m: the published figure implies a cost per
    FTE below a band 5 post with on-costs, which a commissioner should question."""
    e = estimate(2_800, 4_200)
    assert 12.2e6 < e.low.cost < 12.4e6
    assert 23.0e6 < e.high.cost < 23.2e6
    assert 54_000 < average_cost_per_fte() < 56_000


def test_somerset_three_million_is_reproduced():
    """004: about GBP 3m recurrently. Assumptions: about 700 people (12% of some 5,800 people
    with SMI known to Somerset's services), 8 FTE per 100, the default pay table."""
    b = team(700, 8, 12)
    assert b.team_fte == 56
    assert round(b.cost / 1e6) == 3


def test_team_mix_adds_up_and_has_every_role():
    b = team(100, 10, 12)
    assert sum(b.by_role.values()) == pytest.approx(10)
    assert b.by_role["consultant"] > 0 and b.by_role["peer_support"] > 0


def test_demand_and_capacity_by_locality():
    rows = demand_capacity({"A": 300, "B": 50}, {"A": 10.0, "B": 6.0, "C": 2.0})
    by = {r.locality: r for r in rows}
    assert by["A"].staff_needed == 24 and by["A"].gap_fte == 14
    assert by["A"].gap_cost == pytest.approx(14 * average_cost_per_fte())
    assert by["B"].gap_fte == -2 and by["B"].gap_cost == 0  # more staff than the need
    assert by["C"].people == 0 and by["C"].gap_fte == -2
    assert totals(rows).gap_cost == by["A"].gap_cost


@pytest.mark.parametrize("bad", [
    {"caseload": (12, 10)}, {"fte_per_100": (0, 8)}, {"on_costs": 1.5}, {"colour": "red"},
])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValueError):
        WorkforceConfig.from_mapping(bad)


def test_negative_people_are_refused():
    with pytest.raises(ValueError):
        estimate(-1)


@given(st.integers(0, 200_000), st.integers(0, 200_000))
def test_cost_and_staff_never_fall_as_people_rise(a, b):
    lo, hi = sorted((a, b))
    x, y = team(lo, 9, 11), team(hi, 9, 11)
    assert x.team_fte <= y.team_fte and x.cost <= y.cost
    assert x.practitioners <= y.practitioners


@given(st.integers(0, 100_000))
def test_practitioners_keep_every_caseload_within_the_limit(n):
    for caseload in (10, 11, 12):
        p = team(n, 8, caseload).practitioners
        assert p * caseload >= n and (p == 0 or (p - 1) * caseload < n)


@given(st.integers(0, 50_000), st.integers(0, 50_000))
def test_high_end_is_never_below_the_low_end(a, b):
    lo, hi = sorted((a, b))
    e = estimate(lo, hi)
    assert e.low.cost <= e.high.cost and e.low.practitioners <= e.high.practitioners
