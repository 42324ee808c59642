"""Caseload RAG review (core.rag): each standard by example, explanations with "since when",
and properties: the overall rating is the worst, time never improves a rating, a new review
never worsens one, and nothing about the person's risk is an input."""

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.core.rag import (
    CARER_ORDER,
    SEVERITY,
    UNKNOWN,
    CareFacts,
    Deadline,
    Rag,
    RagConfig,
    Review,
    Standard,
    rate,
)

TODAY = date(2026, 3, 18)


def facts(**changes) -> CareFacts:
    """A person whose care meets every standard, unless changed."""
    base = dict(
        today=TODAY, on_caseload_since=date(2024, 1, 10),
        care_plan=Review(date(2026, 1, 5), date(2026, 7, 5)),
        crisis_plan=Review(date(2026, 1, 5), date(2026, 7, 5)),
        risk_formulation=Review(date(2026, 2, 1), date(2026, 8, 1)),
        contact_dates=[TODAY - timedelta(days=d) for d in (1, 4, 8, 11)],
        last_seen=TODAY - timedelta(days=1), weekly_target=2,
        physical_health=Review(date(2025, 9, 1), date(2026, 9, 1)),
        legal_deadlines=[], has_carer=True, last_carer_contact=TODAY - timedelta(days=20),
    )
    return CareFacts(**{**base, **changes})


def test_everything_met_is_green_and_explains_itself():
    result = rate(facts())
    assert result.overall == Rag.GREEN
    assert result.of(Standard.CARE_PLAN).reason == \
        "Care plan of 5 Jan 2026, next review by 5 Jul 2026."
    assert result.of(Standard.LEGAL).rag == Rag.NOT_APPLICABLE
    assert result.reasons == ()


def test_an_overdue_care_plan_is_red_since_the_day_after_it_was_due():
    result = rate(facts(care_plan=Review(date(2025, 9, 1), date(2026, 3, 1))))
    rating = result.of(Standard.CARE_PLAN)
    assert rating.rag == Rag.RED and rating.since == date(2026, 3, 2)
    assert rating.reason == "Care plan review overdue: it was due on 1 Mar 2026."
    assert result.overall == Rag.RED and result.reasons[0] == rating


def test_a_review_due_within_28_days_is_amber():
    rating = rate(facts(crisis_plan=Review(date(2025, 10, 1), date(2026, 4, 1)))).of(
        Standard.CRISIS_PLAN)
    assert rating.rag == Rag.AMBER and rating.since == date(2026, 3, 4)


def test_no_plan_is_amber_while_new_then_red():
    new = rate(facts(on_caseload_since=TODAY - timedelta(days=10), risk_formulation=None))
    assert new.of(Standard.RISK_FORMULATION).rag == Rag.AMBER
    old = rate(facts(risk_formulation=None)).of(Standard.RISK_FORMULATION)
    assert old.rag == Rag.RED and old.since == date(2024, 2, 7)
    assert old.reason == "No risk formulation recorded; needed since 7 Feb 2024."


def test_contact_against_target():
    # Target 2 a week over 14 days: 4 expected.
    assert rate(facts()).of(Standard.CONTACT).rag == Rag.GREEN
    amber = rate(facts(contact_dates=[TODAY - timedelta(days=2), TODAY - timedelta(days=9)],
                       last_seen=TODAY - timedelta(days=2))).of(Standard.CONTACT)
    assert amber.rag == Rag.AMBER and amber.since == TODAY - timedelta(days=1)
    red = rate(facts(contact_dates=[], last_seen=date(2026, 2, 1))).of(Standard.CONTACT)
    assert red.rag == Rag.RED and red.since == date(2026, 2, 2)
    assert "0 of 4 expected" in red.reason and "last seen face to face on 1 Feb 2026" in \
        red.reason


def test_a_stepped_up_target_expects_more():
    rating = rate(facts(weekly_target=7)).of(Standard.CONTACT)
    assert rating.rag == Rag.RED and "of 14 expected" in rating.reason


def test_physical_health_check_overdue_is_red():
    rating = rate(facts(physical_health=Review(date(2025, 1, 1), date(2026, 1, 1)))).of(
        Standard.PHYSICAL_HEALTH)
    assert rating.rag == Rag.RED and rating.since == date(2026, 1, 2)


def test_legal_deadlines():
    passed = rate(facts(legal_deadlines=[Deadline("CTO expiry", date(2026, 3, 10))]))
    assert passed.of(Standard.LEGAL).rag == Rag.RED
    assert passed.of(Standard.LEGAL).reason == "CTO expiry was due on 10 Mar 2026."
    soon = rate(facts(legal_deadlines=[Deadline("Section 117 review", date(2026, 4, 1))]))
    assert soon.of(Standard.LEGAL).rag == Rag.AMBER
    later = rate(facts(legal_deadlines=[Deadline("CTO expiry", date(2026, 9, 1))]))
    assert later.of(Standard.LEGAL).rag == Rag.GREEN


def test_carer_contact_only_where_there_is_a_carer():
    assert rate(facts(has_carer=False)).of(Standard.CARER_CONTACT).rag == Rag.NOT_APPLICABLE
    amber = rate(facts(last_carer_contact=TODAY - timedelta(days=100))).of(
        Standard.CARER_CONTACT)
    assert amber.rag == Rag.AMBER
    red = rate(facts(last_carer_contact=None)).of(Standard.CARER_CONTACT)
    assert red.rag == Rag.RED and "no contact with the carer or family recorded" in \
        red.reason.lower()


def test_the_rating_takes_nothing_about_risk():
    """Design rule 6: RAG rates care. There is no field for risk content, flags or scores."""
    names = {f.name for f in dataclasses.fields(CareFacts)}
    assert not {n for n in names if any(w in n for w in ("risk_level", "score", "flag",
                                                          "danger", "violence"))}
    # The risk formulation is there only as a review date.
    assert dataclasses.fields(Review)[0].name == "on"


def test_configuration_is_validated():
    assert RagConfig.from_mapping({"due_soon_days": 14}).due_soon_days == 14
    with pytest.raises(ValueError, match=UNKNOWN):
        RagConfig.from_mapping({"due_soon": 14})
    with pytest.raises(ValueError, match=CARER_ORDER):
        RagConfig(carer_green_days=200, carer_red_days=180)
    with pytest.raises(ValueError):
        RagConfig(contact_amber_share=1.5)


# --- Properties ---------------------------------------------------------------------------

days = st.integers(min_value=-400, max_value=400)
optional_review = st.one_of(st.none(), st.tuples(days, st.integers(1, 400)).map(
    lambda t: Review(TODAY + timedelta(days=t[0]),
                     TODAY + timedelta(days=t[0] + t[1]))))


@st.composite
def any_facts(draw):
    return facts(
        on_caseload_since=TODAY - timedelta(days=draw(st.integers(0, 3000))),
        care_plan=draw(optional_review), crisis_plan=draw(optional_review),
        risk_formulation=draw(optional_review), physical_health=draw(optional_review),
        contact_dates=[TODAY - timedelta(days=d)
                       for d in draw(st.lists(st.integers(0, 30), max_size=12))],
        last_seen=draw(st.one_of(st.none(), st.integers(0, 60).map(
            lambda d: TODAY - timedelta(days=d)))),
        weekly_target=draw(st.integers(1, 7)),
        legal_deadlines=[Deadline("CTO expiry", TODAY + timedelta(days=d))
                         for d in draw(st.lists(days, max_size=3))],
        has_carer=draw(st.booleans()),
        last_carer_contact=draw(st.one_of(st.none(), st.integers(0, 400).map(
            lambda d: TODAY - timedelta(days=d)))),
    )


@given(any_facts())
def test_overall_is_the_worst_standard_and_every_flag_says_since_when(f):
    result = rate(f)
    applicable = [r.rag for r in result.ratings if r.rag != Rag.NOT_APPLICABLE]
    assert SEVERITY[result.overall] == max(SEVERITY[r] for r in applicable)
    assert [r.standard for r in result.ratings] == list(Standard)
    for r in result.ratings:
        assert r.reason
        if r.rag in (Rag.RED, Rag.AMBER):
            assert r.since is not None and r.since <= f.today


@given(any_facts(), st.integers(1, 120))
def test_time_alone_never_improves_a_rating(f, later):
    """With nothing new recorded, each standard stays or gets worse as the days pass."""
    f = dataclasses.replace(f, contact_dates=[d for d in f.contact_dates if d <= f.today])
    before = rate(f)
    after = rate(dataclasses.replace(f, today=f.today + timedelta(days=later)))
    for b, a in zip(before.ratings, after.ratings, strict=True):
        if b.rag != Rag.NOT_APPLICABLE:
            assert SEVERITY[a.rag] >= SEVERITY[b.rag], (b, a)


@given(any_facts(), st.integers(1, 365))
def test_a_new_review_never_makes_a_plan_rating_worse(f, months_ahead):
    """A review held today, due no earlier than the one it replaces, never rates worse."""
    for field, standard in (("care_plan", Standard.CARE_PLAN),
                            ("crisis_plan", Standard.CRISIS_PLAN),
                            ("risk_formulation", Standard.RISK_FORMULATION)):
        old = getattr(f, field)
        due = f.today + timedelta(days=months_ahead)
        fresh = Review(f.today, max(due, old.due) if old else due)
        before = rate(f).of(standard)
        after = rate(dataclasses.replace(f, **{field: fresh})).of(standard)
        assert SEVERITY[after.rag] <= SEVERITY[before.rag]
