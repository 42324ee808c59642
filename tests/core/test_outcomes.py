"""Mirror-image outcomes and the other outcome rules, on hand-built histories."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.core.outcomes import (
    ENDED_EARLY,
    SHORT_FOLLOW_UP,
    DialogPoint,
    History,
    Outcome,
    add_years,
    contacts_against_target,
    dialog_change,
    dialog_point,
    mirror_image,
    status_change,
    summarise,
)

ACCEPTED = date(2023, 3, 1)
AS_OF = date(2026, 3, 1)


def test_before_and_after_periods_are_mirror_images():
    m = mirror_image(History(ACCEPTED), as_of=AS_OF, years=1)
    assert m.included
    assert (m.before.start, m.before.end) == (date(2022, 3, 1), date(2023, 2, 28))
    assert (m.after.start, m.after.end) == (date(2023, 3, 1), date(2024, 2, 29))
    assert m.before.days() == 365 and m.after.days() == 366  # 2024 is a leap year


def test_accepted_less_than_a_year_ago_is_left_out_and_said_so():
    """A person accepted 200 days ago is not in the 1-year comparison: never counted as
    improved on short follow-up."""
    accepted = AS_OF - timedelta(days=200)
    h = History(accepted, spells=[(accepted - timedelta(days=100), accepted - timedelta(days=60))])
    m = mirror_image(h, as_of=AS_OF, years=1)
    assert not m.included
    assert m.reason == SHORT_FOLLOW_UP.format(years="1 year")
    assert m.counts_before is None and m.counts_after is None
    s = summarise([m], 1)
    assert s.included == 0
    assert s.left_out == {SHORT_FOLLOW_UP.format(years="1 year"): 1}
    assert all(o.total_before == 0 and o.change is None for o in s.outcomes)


def test_the_after_period_must_be_wholly_past():
    """Accepted a year before tomorrow: the after-period ends today, which is not over yet.
    A day earlier, it ended yesterday and the person is included."""
    m = mirror_image(History(add_years(AS_OF, -1) + timedelta(days=1)), as_of=AS_OF, years=1)
    assert not m.included
    m = mirror_image(History(add_years(AS_OF, -1)), as_of=AS_OF, years=1)
    assert m.included


def test_care_ended_before_the_horizon_is_left_out():
    h = History(ACCEPTED, care_ended=date(2023, 12, 1))
    one = mirror_image(h, as_of=AS_OF, years=1)
    assert not one.included and one.reason == ENDED_EARLY.format(years="1 year")
    h = History(ACCEPTED, care_ended=date(2025, 1, 1))
    assert mirror_image(h, as_of=AS_OF, years=1).included
    assert not mirror_image(h, as_of=AS_OF, years=2).included


def test_no_admissions_before():
    """A person with no admissions before and one of 10 days after: included, change +1."""
    h = History(ACCEPTED, spells=[(date(2023, 6, 1), date(2023, 6, 10))])
    m = mirror_image(h, as_of=AS_OF, years=1)
    assert m.counts_before.admissions == 0 and m.counts_before.bed_days == 0
    assert m.counts_after.admissions == 1 and m.counts_after.bed_days == 10


def test_known_counts_before_and_after():
    h = History(
        ACCEPTED,
        spells=[(date(2022, 5, 1), date(2022, 5, 30)),  # 30 days before
                (date(2022, 5, 31), date(2022, 6, 9)),  # a transfer: same admission, +10
                (date(2023, 2, 20), date(2023, 3, 5)),  # 9 days before, 5 after; admitted before
                (date(2023, 9, 1), None)],  # still in hospital at as_of: 182 days in the after year
        detentions=[(date(2022, 5, 1), date(2022, 5, 28)), (date(2022, 5, 29), date(2022, 6, 9)),
                    (date(2023, 9, 1), None)],
        crisis=[date(2022, 4, 1), date(2022, 11, 1), date(2023, 8, 1)],
        police=[date(2022, 12, 25), date(2025, 1, 1)],
    )
    m = mirror_image(h, as_of=AS_OF, years=1)
    assert m.counts_before.admissions == 2
    assert m.counts_before.bed_days == 30 + 10 + 9
    assert m.counts_after.admissions == 1
    assert m.counts_after.bed_days == 5 + (date(2024, 2, 29) - date(2023, 9, 1)).days + 1
    assert m.counts_before.detentions == 1  # section 2 then section 3 without a gap
    assert m.counts_after.detentions == 1
    assert m.counts_before.crisis_episodes == 2 and m.counts_after.crisis_episodes == 1
    assert m.counts_before.police_contacts == 1 and m.counts_after.police_contacts == 0


def test_team_summary_means_and_paired_change():
    a = mirror_image(History(ACCEPTED, crisis=[date(2022, 4, 1), date(2022, 5, 1)]),
                     as_of=AS_OF, years=1)
    b = mirror_image(History(ACCEPTED, crisis=[date(2023, 4, 1)]), as_of=AS_OF, years=1)
    s = summarise([a, b], 1)
    crisis = next(o for o in s.outcomes if o.outcome == Outcome.CRISIS)
    assert (crisis.total_before, crisis.total_after) == (2, 1)
    assert (crisis.people_with_before, crisis.people_with_after) == (1, 1)
    assert crisis.mean_before == 1.0 and crisis.mean_after == 0.5
    mean, low, high = crisis.change  # changes -2 and +1
    assert mean == pytest.approx(-0.5) and low < mean < high


def test_horizon_must_be_whole_years():
    with pytest.raises(ValueError):
        mirror_image(History(ACCEPTED), as_of=AS_OF, years=0)


dates = st.dates(date(2015, 1, 1), date(2026, 1, 1))


@given(dates, st.lists(st.tuples(dates, st.integers(0, 400)), max_size=8),
       st.integers(1, 3))
def test_bed_days_never_exceed_the_period_and_admissions_never_exceed_spells(
        accepted, spells, years):
    h = History(accepted, spells=[(s, s + timedelta(days=n)) for s, n in spells])
    m = mirror_image(h, as_of=date(2030, 1, 1), years=years)
    assert m.included
    for counts, period in ((m.counts_before, m.before), (m.counts_after, m.after)):
        assert 0 <= counts.bed_days <= period.days()
        assert counts.admissions <= len(spells)
        assert counts.admissions == 0 or counts.bed_days > 0


@given(dates, st.integers(0, 2000), st.integers(1, 2))
def test_nobody_with_short_follow_up_is_included(accepted, days_since, years):
    as_of = accepted + timedelta(days=days_since)
    m = mirror_image(History(accepted), as_of=as_of, years=years)
    assert m.included == (add_years(accepted, years) - timedelta(days=1) < as_of)


def test_dialog_scores_and_change():
    life, treat = ["a", "b"], ["c"]
    p1 = dialog_point(date(2025, 1, 1), {"a": 2, "b": 4, "c": 3}, life, treat)
    assert (p1.quality_of_life, p1.treatment) == (3.0, 3.0)
    p2 = dialog_point(date(2025, 6, 1), {"a": 5, "b": 5}, life, treat)
    assert p2.treatment is None
    change = dialog_change([p2, p1])
    assert change.quality_of_life == 2.0 and change.treatment is None
    assert dialog_change([p1, DialogPoint(date(2025, 2, 1), 5, 5)]) is None  # too close
    assert dialog_change([p1]) is None


def test_contacts_against_target_whole_weeks_only():
    """From Wednesday 7 Jan 2026 to Sunday 25 Jan: two whole weeks (12th and 19th)."""
    seen = [date(2026, 1, 7), date(2026, 1, 12), date(2026, 1, 14), date(2026, 1, 20)]
    c = contacts_against_target(seen, start=date(2026, 1, 7), end=date(2026, 1, 25), target=2)
    assert (c.weeks, c.weeks_met, c.contacts, c.expected) == (2, 1, 3, 4)
    assert c.share_met == 0.5


def test_accommodation_at_acceptance_and_now():
    statuses = [(date(2022, 1, 1), "homeless"), (date(2023, 6, 1), "temporary"),
                (date(2024, 1, 1), "settled")]
    c = status_change(statuses, accepted=ACCEPTED, good={"settled"})
    assert (c.at_acceptance, c.now, c.good_at_acceptance, c.good_now, c.changes) == (
        "homeless", "settled", False, True, 2)
    soon = status_change([(ACCEPTED + timedelta(days=10), "settled")], accepted=ACCEPTED,
                         good={"settled"})
    assert soon.at_acceptance == "settled"
    late = status_change([(ACCEPTED + timedelta(days=100), "settled")], accepted=ACCEPTED,
                         good={"settled"})
    assert late.at_acceptance is None and late.good_at_acceptance is None
    assert status_change([], accepted=ACCEPTED, good={"settled"}).now is None
