"""Caseload limits (team 1:12, practitioner 10-12) and key-worker cover without gaps."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.core.caseload import (
    BAD_LIMIT,
    CASELOAD_BELOW,
    CASELOAD_OVER,
    CASELOAD_RANGE,
    CASELOAD_WITHIN,
    MAX_PEOPLE_PER_FTE,
    NEGATIVE_COUNT,
    NO_STAFF,
    NO_STAFF_NO_PEOPLE,
    RATIO_OVER,
    RATIO_WITHIN,
    CaseloadStatus,
    practitioner_caseload,
    responsible_worker,
    team_ratio,
    uncovered_days,
)
from outreach.core.periods import PERIOD_ENDS_BEFORE_START, Period

BASE = date(2026, 3, 1)
HORIZON = 60  # days: small enough that days can be checked one by one

day_offsets = st.integers(0, HORIZON)
days = day_offsets.map(lambda n: BASE + timedelta(days=n))
periods = st.tuples(day_offsets, st.integers(0, 14)).map(
    lambda p: Period(BASE + timedelta(days=p[0]), BASE + timedelta(days=p[0] + p[1]))
)
period_lists = st.lists(periods, max_size=6)
workers = st.sampled_from(["Asha", "Ben", "Chidi", "Dee"])
staff = st.floats(0.1, 40, allow_nan=False)
counts = st.integers(0, 60)


def each_day(ps):
    return {p.start + timedelta(days=i) for p in ps for i in range(p.days())}


# Team ratio


def test_default_limit_is_twelve_people_per_whole_time_worker():
    """team_ratio uses the 1:12 limit from the model (001; 002 ch.4) unless told otherwise."""
    at_limit = team_ratio(staff_fte=1.0, people=MAX_PEOPLE_PER_FTE)
    over = team_ratio(staff_fte=1.0, people=MAX_PEOPLE_PER_FTE + 1)
    assert at_limit.within_limit and not over.within_limit


@given(staff, counts, st.integers(1, 20))
def test_ratio_is_people_per_fte_and_judged_against_the_limit(fte, people, limit):
    """The ratio is people per FTE; within the limit exactly when it is at most the limit."""
    check = team_ratio(staff_fte=fte, people=people, max_people_per_fte=limit)
    assert check.people_per_fte == pytest.approx(people / fte)
    assert check.within_limit == (check.people_per_fte <= limit)
    template = RATIO_WITHIN if check.within_limit else RATIO_OVER
    assert check.message == template.format(ratio=check.people_per_fte, limit=limit)


@given(st.integers(1, 20), st.integers(1, 20))
def test_ratio_boundary_is_inclusive(whole_fte, limit):
    """Exactly at the limit is within it; one more person is over it."""
    full = whole_fte * limit
    assert team_ratio(staff_fte=whole_fte, people=full, max_people_per_fte=limit).within_limit
    assert not team_ratio(
        staff_fte=whole_fte, people=full + 1, max_people_per_fte=limit
    ).within_limit


@given(staff, counts, st.floats(0, 5, allow_nan=False), st.integers(0, 10))
def test_more_staff_or_fewer_people_never_breaks_the_limit(fte, people, more_fte, fewer):
    """Adding staff time or removing people never turns a team from within to over."""
    if team_ratio(staff_fte=fte, people=people).within_limit:
        assert team_ratio(staff_fte=fte + more_fte, people=people).within_limit
        assert team_ratio(staff_fte=fte, people=max(0, people - fewer)).within_limit


@given(st.integers(1, 500))
def test_people_with_no_staff_is_never_within_the_limit(people):
    """A caseload with no staff time has no ratio and is never within the limit."""
    check = team_ratio(staff_fte=0, people=people)
    assert (check.people_per_fte, check.within_limit) == (None, False)
    assert check.message == NO_STAFF.format(people=people)


def test_no_staff_and_no_people_is_within_the_limit():
    """An empty team with nobody on the caseload breaks no limit."""
    check = team_ratio(staff_fte=0, people=0)
    assert (check.people_per_fte, check.within_limit, check.message) == (
        None,
        True,
        NO_STAFF_NO_PEOPLE,
    )


@pytest.mark.parametrize(("fte", "people"), [(-0.5, 10), (1.0, -1)])
def test_negative_staff_or_people_is_refused(fte, people):
    """Negative staff time or people is a data error, not a ratio."""
    with pytest.raises(ValueError, match=NEGATIVE_COUNT):
        team_ratio(staff_fte=fte, people=people)


# Practitioner caseload


@given(counts, st.integers(0, 30), st.integers(0, 30))
def test_caseload_status_against_the_range(count, a, b):
    """Below the low end is below, above the high end is over, anything between is within."""
    low, high = sorted((a, b))
    high = max(high, 1)
    check = practitioner_caseload(count, low=low, high=high)
    expected = (
        CaseloadStatus.BELOW
        if count < low
        else CaseloadStatus.OVER
        if count > high
        else CaseloadStatus.WITHIN
    )
    assert check.status == expected
    template = {
        CaseloadStatus.BELOW: CASELOAD_BELOW,
        CaseloadStatus.WITHIN: CASELOAD_WITHIN,
        CaseloadStatus.OVER: CASELOAD_OVER,
    }[expected]
    assert check.message == template.format(count=count, low=low, high=high)


def test_caseload_range_ends_are_within_and_just_outside_is_not():
    """With the default 10-12 range (003), both ends are within; one either side is not."""
    low, high = CASELOAD_RANGE
    assert practitioner_caseload(low - 1).status == CaseloadStatus.BELOW
    assert practitioner_caseload(low).status == CaseloadStatus.WITHIN
    assert practitioner_caseload(high).status == CaseloadStatus.WITHIN
    assert practitioner_caseload(high + 1).status == CaseloadStatus.OVER


@given(st.integers(CASELOAD_RANGE[1] + 1, 100))
def test_over_caseload_is_a_warning(count):
    """An over-full caseload is flagged as a warning for the MDT."""
    assert practitioner_caseload(count).message.startswith("Warning")


@pytest.mark.parametrize(("low", "high"), [(13, 12), (0, 0), (-1, 12)])
def test_nonsense_range_is_refused(low, high):
    """A range whose low end is above its high end (or below zero) is refused."""
    with pytest.raises(ValueError, match=BAD_LIMIT):
        practitioner_caseload(11, low=low, high=high)


# Periods


@given(days, days)
def test_period_cannot_end_before_it_starts(a, b):
    """A period builds when end >= start and is refused otherwise."""
    if b >= a:
        assert Period(a, b).days() == (b - a).days + 1
    else:
        with pytest.raises(ValueError, match=PERIOD_ENDS_BEFORE_START):
            Period(a, b)


@given(periods, periods)
def test_periods_overlap_exactly_when_they_share_a_day(p, q):
    """overlaps is symmetric and true exactly when some day is in both periods."""
    assert p.overlaps(q) == q.overlaps(p) == bool(each_day([p]) & each_day([q]))


@given(periods, days)
def test_contains_includes_both_ends(p, d):
    """A period contains its first and last day and exactly the days() days between."""
    assert p.contains(p.start) and p.contains(p.end)
    assert p.contains(d) == (d in each_day([p]))
    assert len(each_day([p])) == p.days()


# Cover


@given(period_lists, period_lists)
def test_uncovered_days_are_absent_days_with_no_cover(absences, covers):
    """Uncovered days are exactly the days of absence that no cover period includes."""
    gaps = uncovered_days(absences=absences, covers=covers)
    assert each_day(gaps) == each_day(absences) - each_day(covers)


@given(period_lists, period_lists)
def test_uncovered_days_are_sorted_and_maximal(absences, covers):
    """Gaps are in date order, and no two touch or overlap (each is as long as it can be)."""
    gaps = uncovered_days(absences=absences, covers=covers)
    assert all((b.start - a.end).days > 1 for a, b in pairwise(gaps))


@given(period_lists, period_lists)
def test_covering_every_absence_leaves_no_gap(absences, extra_covers):
    """Cover for every absence (and any extra cover) leaves no uncovered day."""
    assert uncovered_days(absences=absences, covers=[*extra_covers, *absences]) == []


@given(period_lists)
def test_no_cover_leaves_every_absent_day_uncovered(absences):
    """With no cover at all, every day of absence is a gap."""
    gaps = uncovered_days(absences=absences, covers=[])
    assert sum(g.days() for g in gaps) == len(each_day(absences))


@given(workers, days, period_lists, st.lists(st.tuples(periods, workers), max_size=6))
def test_no_responsible_worker_exactly_on_uncovered_days(key_worker, on, absences, covers):
    """responsible_worker is None on, and only on, the days uncovered_days reports."""
    gaps = uncovered_days(absences=absences, covers=[period for period, _ in covers])
    worker = responsible_worker(key_worker=key_worker, on=on, absences=absences, covers=covers)
    assert (worker is None) == any(gap.contains(on) for gap in gaps)


@given(workers, days, period_lists, st.lists(st.tuples(periods, workers), max_size=6))
def test_key_worker_when_present_else_a_cover_worker_for_that_day(key_worker, on, absences, covers):
    """The key worker is responsible unless absent; then a worker whose cover includes the day."""
    worker = responsible_worker(key_worker=key_worker, on=on, absences=absences, covers=covers)
    if not any(a.contains(on) for a in absences):
        assert worker == key_worker
    elif worker is not None:
        assert worker in {w for period, w in covers if period.contains(on)}


def test_first_listed_cover_wins_where_covers_overlap():
    """Where two cover assignments overlap, the first one listed is responsible."""
    away = Period(BASE, BASE + timedelta(days=6))
    covers = [(away, "Ben"), (away, "Chidi")]
    on = BASE + timedelta(days=3)
    assert responsible_worker(key_worker="Asha", on=on, absences=[away], covers=covers) == "Ben"
    assert (
        responsible_worker(key_worker="Asha", on=on, absences=[away], covers=covers[::-1])
        == "Chidi"
    )
