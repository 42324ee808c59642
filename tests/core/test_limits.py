"""Free-text limits and the sense of dates (core.limits): any length over the limit refused,
within it accepted; any date before 1900, the birth or the referral refused."""

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from outreach.core import limits
from outreach.core.limits import (
    BEFORE_1900,
    TOO_OLD,
    TOO_YOUNG,
    Away,
    birth_problems,
    date_problems,
    discharge_problems,
    event_problems,
    text_problems,
    too_long,
    visit_problems,
    worker_away_problems,
    years_between,
)

TODAY = date(2026, 12, 8)
LIMITS = [limits.NAME, limits.PHONE, limits.SHORT_LABEL, limits.CONTACT_NOTE,
          limits.MDT_DECISION, limits.NARRATIVE, limits.DECISION_RECORD]
any_date = st.dates(min_value=date(1, 1, 1), max_value=date(2200, 12, 31))
record_dates = st.dates(min_value=limits.EARLIEST, max_value=TODAY)


def test_the_message_is_nhs_style():
    assert too_long("Note (optional)", 5_000) == "Note must be 5,000 characters or fewer"
    assert too_long("what happened?", 200) == "What happened must be 200 characters or fewer"


@given(st.sampled_from(LIMITS), st.integers(min_value=1, max_value=1_000))
def test_any_text_over_its_limit_is_refused(limit, over):
    assert text_problems("x" * (limit + over), limit, "Note") == [too_long("Note", limit)]


@given(st.sampled_from(LIMITS), st.data())
def test_any_text_within_its_limit_is_accepted(limit, data):
    text = data.draw(st.text(max_size=min(limit, 300)))
    assert text_problems(text, limit, "Note") == []
    assert text_problems("é" * limit, limit, "Note") == []  # characters, not bytes


def test_limits_fit_their_use():
    # A real note is far under; the 110,000-character paste of the issue is far over.
    assert 2_000 <= limits.CONTACT_NOTE < 110_000
    assert limits.NAME >= 50 and limits.MDT_DECISION <= limits.CONTACT_NOTE <= limits.NARRATIVE


@given(any_date)
def test_no_date_before_1900(d):
    assert (date_problems(d) == [BEFORE_1900]) == (d < date(1900, 1, 1))


@given(st.dates(max_value=date(1899, 12, 31)))
def test_a_birth_before_1900_is_refused(born):
    assert birth_problems(born, today=TODAY) == [BEFORE_1900]


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
def test_a_birth_gives_an_age_of_14_to_110(born):
    age = years_between(born, TODAY)
    problems = birth_problems(born, today=TODAY)
    if age > limits.MAX_AGE_YEARS:
        assert problems == [TOO_OLD]
    elif age < limits.MIN_AGE_YEARS:
        assert problems == [TOO_YOUNG]
    else:
        assert problems == []


def test_ages_at_the_edges():
    assert birth_problems(date(2012, 12, 8), today=TODAY) == []          # 14 today
    assert birth_problems(date(2012, 12, 9), today=TODAY) == [TOO_YOUNG]  # 14 tomorrow
    assert birth_problems(date(1916, 1, 1), today=TODAY) == []
    assert birth_problems(date(1800, 1, 1), today=TODAY) == [BEFORE_1900]
    # 14 by today, but 13 when referred: refused.
    assert birth_problems(date(2012, 6, 1), today=TODAY,
                          referred=date(2026, 1, 1)) == [TOO_YOUNG]


@given(born=record_dates, referred=record_dates, on=any_date)
def test_any_contact_before_birth_or_referral_is_refused(born, referred, on):
    problems = event_problems(on, born=born, referred=referred)
    assert (problems == []) == (on >= max(born, referred, limits.EARLIEST))


@given(referred=record_dates, gap=st.integers(0, 3_000), on=record_dates)
def test_a_discharge_before_acceptance_is_refused(referred, gap, on):
    accepted = referred + timedelta(days=gap)
    problems = discharge_problems(on, referred=referred, accepted=accepted)
    assert (problems == []) == (on >= accepted)


@given(referred=record_dates, on=record_dates)
def test_a_never_accepted_episode_ends_on_or_after_referral(referred, on):
    problems = discharge_problems(on, referred=referred, accepted=None)
    assert (problems == []) == (on >= referred)


@given(days=st.integers(0, 3_000), weeks=st.integers(1, 104))
def test_a_visit_too_far_ahead_is_refused(days, weeks):
    on = TODAY + timedelta(days=days)
    assert (visit_problems(on, today=TODAY, ahead_weeks=weeks) == []) == (days <= weeks * 7)


def test_a_visit_in_2099_is_refused():
    (message,) = visit_problems(date(2099, 1, 1), today=TODAY)
    assert "26 weeks" in message


@given(start=record_dates, length=st.integers(0, 30), on=record_dates)
def test_a_visit_with_a_worker_away_is_refused(start, length, on):
    end = start + timedelta(days=length)
    assume(end <= date(9999, 1, 1))
    problems = worker_away_problems(on, name="Sam", absences=[Away(start, end, "Sickness")])
    assert (problems != []) == (start <= on <= end)
    if problems:
        assert problems[0].startswith("Sam is away that day (sickness")
