"""Equality rules: groups, confidence intervals and suppression of breakdowns (PCREF)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.core.equality import (
    NOT_KNOWN,
    By,
    Demographics,
    age_band,
    byar,
    ethnic_group,
    group_order,
    imd_group,
    intervals_overlap,
    mean_ci,
    rate_breakdown,
    rate_ratio,
    sex_group,
    share_breakdown,
    wilson,
)
from outreach.core.suppression import Disclosure

SUPPRESSED = Disclosure.suppressed()
EXACT = Disclosure.exact()


def test_ethnic_categories_fall_in_broad_groups():
    """NHS Data Dictionary codes map to the 2021 Census broad groups; blanks are not known."""
    assert ethnic_group("A") == "White"
    assert ethnic_group("n") == "Black, Black British, Caribbean or African"
    assert ethnic_group("K") == "Asian or Asian British"
    assert ethnic_group("D") == "Mixed or multiple ethnic groups"
    assert ethnic_group("R") == "Other ethnic group"
    assert ethnic_group("Z") == NOT_KNOWN
    assert ethnic_group("99") == NOT_KNOWN
    assert ethnic_group("") == NOT_KNOWN
    assert ethnic_group(None) == NOT_KNOWN
    assert ethnic_group("Q") == NOT_KNOWN  # not a code


def test_age_band_on_a_birthday_and_the_day_before():
    """Age is whole years on the day: the day before the 25th birthday is 18 to 24."""
    born = date(2000, 6, 15)
    assert age_band(born, date(2025, 6, 14)) == "18 to 24"
    assert age_band(born, date(2025, 6, 15)) == "25 to 34"
    assert age_band(date(1950, 1, 1), date(2026, 1, 1)) == "65 and over"
    assert age_band(date(2010, 1, 1), date(2026, 1, 1)) == "Under 18"
    assert age_band(None, date(2026, 1, 1)) == NOT_KNOWN


def test_sex_and_imd_groups():
    assert sex_group("1") == "Male"
    assert sex_group("2") == "Female"
    assert sex_group("X") == NOT_KNOWN
    assert sex_group("") == NOT_KNOWN
    assert imd_group(1) == "Decile 1 (most deprived)"
    assert imd_group(10) == "Decile 10 (least deprived)"
    assert imd_group(5) == "Decile 5"
    assert imd_group(None) == NOT_KNOWN
    assert imd_group(11) == NOT_KNOWN


def test_every_group_a_demographic_can_fall_in_is_listed():
    d = Demographics(date(1990, 1, 1), "M", "2", 3)
    for by in By:
        assert d.group(by, date(2026, 1, 1)) in group_order(by)


def test_wilson_known_values():
    """Wilson 95% interval of 5/10 is about 23.7% to 76.3% (published tables)."""
    low, high = wilson(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-3)
    assert high == pytest.approx(0.7634, abs=1e-3)
    assert wilson(0, 10)[0] == 0.0
    assert wilson(10, 10)[1] == 1.0
    assert wilson(0, 0) is None
    with pytest.raises(ValueError):
        wilson(3, 2)


def test_byar_known_values():
    """Exact Poisson 95% limits for 10 events are 4.80 and 18.39; Byar is within 1%."""
    low, high = byar(10, 1)
    assert low == pytest.approx(4.795, rel=0.01)
    assert high == pytest.approx(18.39, rel=0.01)
    low0, high0 = byar(0, 2)
    assert low0 == 0.0
    assert high0 == pytest.approx(3.689 / 2, rel=0.02)
    with pytest.raises(ValueError):
        byar(1, 0)


@given(st.integers(0, 2000), st.integers(1, 2000))
def test_wilson_contains_the_estimate_within_0_and_1(k, n):
    k = min(k, n)
    low, high = wilson(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0


@given(st.integers(0, 5000), st.floats(0.01, 1e6))
def test_byar_contains_the_rate(events, exposure):
    low, high = byar(events, exposure)
    rate = events / exposure
    assert 0.0 <= low <= rate * (1 + 1e-9) and rate <= high


@given(st.lists(st.integers(-50, 50), min_size=2, max_size=60))
def test_mean_interval_contains_the_mean(values):
    mean, low, high = mean_ci(values)
    assert low <= mean + 1e-9 and mean <= high + 1e-9


def test_rate_ratio_and_overlap():
    ratio, low, high = rate_ratio(20, 1000, 10, 1000)
    assert ratio == pytest.approx(2.0)
    assert low < 2.0 < high
    assert rate_ratio(0, 1000, 10, 1000) is None
    assert intervals_overlap((1, 3), (2, 4))
    assert not intervals_overlap((1, 2), (3, 4))


def test_a_group_of_three_is_suppressed_for_commissioners():
    """A group with 3 people shows no count, no percentage and no interval; with exactly one
    small group, the next smallest is hidden too so the 3 cannot be worked out."""
    rows = {"White": (40, 80), "Black": (2, 3), "Asian": (6, 12), "Mixed": (9, 20)}
    cells = {c.group: c for c in share_breakdown(rows, SUPPRESSED)}
    assert cells["Black"].suppressed and cells["Black"].of.value is None
    assert cells["Black"].low is None and cells["Black"].percent.text == "*"
    assert cells["Asian"].suppressed  # secondary: the next smallest group
    assert not cells["White"].suppressed
    assert cells["White"].of.value == 80 and cells["White"].percent.text == "50%"
    assert not cells["Mixed"].suppressed


def test_staff_see_small_groups_exactly():
    rows = {"White": (40, 80), "Black": (2, 3)}
    cells = {c.group: c for c in share_breakdown(rows, EXACT)}
    assert cells["Black"].of.value == 3 and cells["Black"].percent.text == "67%"
    assert cells["Black"].low is not None


def test_rate_breakdown_hides_small_event_counts_not_populations():
    rows = {"White": (30, 200_000.0), "Black": (3, 10_000.0), "Asian": (12, 30_000.0)}
    cells = {c.group: c for c in rate_breakdown(rows, SUPPRESSED)}
    assert cells["Black"].suppressed and cells["Black"].rate.value is None
    assert cells["Black"].population.value == 10_000
    assert cells["Asian"].suppressed  # secondary
    assert cells["White"].rate.value == 15
    assert cells["White"].low < 15 < cells["White"].high


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e", "f"]),
                       st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1))
def test_suppression_never_reveals_a_count_below_five(raw):
    """For commissioners: every count shown is at least 5, and a hidden non-empty group is
    never the only hidden group (so total minus the rest does not reveal it)."""
    rows = {g: (min(a, b), max(a, b)) for g, (a, b) in raw.items()}
    cells = share_breakdown(rows, SUPPRESSED)
    for c in cells:
        for shown in (c.count, c.of):
            assert shown.value is None or shown.value >= 5
        if c.suppressed:
            assert c.low is None and c.high is None
    hidden = [c.group for c in cells if c.of.value is None]
    hidden_nonzero = [g for g in hidden if rows[g][1] > 0]
    assert len(hidden_nonzero) != 1 or len(hidden) >= 2 or len(rows) == 1


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]),
                       st.tuples(st.integers(0, 30), st.floats(1, 1e5)), min_size=1))
def test_rate_suppression_never_reveals_a_count_below_five(raw):
    for c in rate_breakdown(raw, SUPPRESSED):
        assert c.events.value is None or c.events.value >= 5
        if c.suppressed:
            assert c.rate.value is None and c.low is None
