"""The measure definitions (core.measures): every measure states a numerator, denominator,
period and worked examples; periods and percentiles; and docs/measures.md is generated from
these definitions and current."""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.core.measures import (
    BY_KEY,
    DEFAULT_PARAMS,
    HEADLINE,
    MEASURES,
    Kind,
    Tally,
    Timing,
    calendar_months,
    headline,
    markdown,
    month_ends,
    nearest_rank,
    per_week,
    share,
    value_of,
    windows,
)

ROOT = Path(__file__).resolve().parent.parent.parent
AS_OF = date(2026, 3, 18)

# What the issue (and 004) asks the dashboard to show, by measure key.
ASKED = {
    "care_plan_in_date", "dialog_completed", "crisis_plan_and_signature",
    "risk_formulation_reviewed", "non_engagement_discharges", "refused_discharge_attempts",
    "wait_referral_to_assessment", "wait_assessment_to_intervention", "annual_review",
    "contact_target_met", "contacts_per_person_week", "face_to_face_share",
    "out_of_hours_share", "weekend_share", "staff_ratio", "practitioner_caseloads",
    "continuity", "physical_health_check", "legal_deadlines_met",
}


def test_every_figure_the_issue_asks_for_is_defined():
    assert set(BY_KEY) == ASKED
    assert len(BY_KEY) == len(MEASURES)


@pytest.mark.parametrize("m", MEASURES, ids=lambda m: m.key)
def test_every_measure_states_numerator_denominator_period_and_examples(m):
    texts = m.texts()
    assert all(texts[k].strip() for k in ("numerator", "denominator", "period"))
    assert "{" not in "".join(texts.values()), "a parameter was left unfilled"
    assert m.examples and all(e.text and e.expect for e in m.examples)
    assert len({e.key for e in m.examples}) == len(m.examples)
    assert m.source


def test_texts_carry_the_parameters_in_use():
    """Change a parameter and the words change with it."""
    m = BY_KEY["physical_health_check"]
    assert "12 months" in m.texts()["numerator"]
    assert "6 months" in m.texts({"physical_check_months": 6})["numerator"]
    annual = BY_KEY["annual_review"].texts()
    assert "335 days (11 months)" in annual["denominator"] and "365 days" in annual["numerator"]
    assert "28 days" in BY_KEY["continuity"].texts()["period"]
    assert BY_KEY["contacts_per_person_week"].target_value({"weekly_target": 3}) == 3


def test_month_ends_and_calendar_months():
    points = month_ends(AS_OF)
    assert len(points) == 12 and points[0].end == date(2025, 4, 30)
    assert points[-1].end == AS_OF and all(w.start == w.end for w in points)
    months = calendar_months(AS_OF)
    assert months[0].start == date(2025, 4, 1) and months[-1].start == date(2026, 3, 1)
    assert months[-1].end == AS_OF
    assert [w.key for w in months] == list(range(12))
    # Contiguous: each month starts the day after the one before ends.
    for a, b in zip(months, months[1:], strict=False):
        assert (b.start - a.end).days == 1


def test_headline_windows():
    assert headline(BY_KEY["care_plan_in_date"], AS_OF).start == AS_OF
    contact = headline(BY_KEY["continuity"], AS_OF)
    assert contact.days == 28 and contact.end == AS_OF and contact.key == HEADLINE
    waits = headline(BY_KEY["wait_referral_to_assessment"], AS_OF)
    assert waits.start == date(2025, 3, 19) and waits.end == AS_OF
    assert len(windows(BY_KEY["legal_deadlines_met"], AS_OF)) == 1  # no trend
    assert len(windows(BY_KEY["care_plan_in_date"], AS_OF)) == 13


def test_nearest_rank_percentiles():
    assert nearest_rank([], 50) is None
    assert nearest_rank([7], 90) == 7
    assert nearest_rank([1, 2, 3, 4], 50) == 2
    assert nearest_rank(range(1, 11), 90) == 9
    assert nearest_rank(range(1, 11), 100) == 10
    with pytest.raises(ValueError):
        nearest_rank([1], 0)


@given(st.lists(st.integers(0, 1000), min_size=1), st.floats(1, 100))
def test_a_percentile_is_a_value_with_at_least_that_share_at_or_below_it(values, q):
    p = nearest_rank(values, q)
    assert p in values
    assert sum(v <= p for v in values) >= q / 100 * len(values)


def test_arithmetic():
    assert share(1, 4) == 25.0 and share(0, 0) is None
    assert per_week(8, 1, 28) == 2.0 and per_week(1, 0, 28) is None
    assert value_of(BY_KEY["staff_ratio"], Tally(numerator=24, fte=2.0)) == 12.0
    assert value_of(BY_KEY["wait_referral_to_assessment"], Tally(values=[3, 9, 14])) == 9
    assert value_of(BY_KEY["non_engagement_discharges"], Tally(numerator=2)) == 2.0


def test_kinds_and_timings_are_consistent():
    for m in MEASURES:
        if m.kind == Kind.WAIT:
            assert m.timing == Timing.FLOW and not m.higher_is_better
        if m.target is not None and m.kind == Kind.COUNT:
            assert m.target == 0 and not m.higher_is_better


def test_docs_measures_md_is_generated_from_the_definitions():
    """docs/measures.md is `python -m outreach.core.measures` output: regenerate it when a
    definition changes."""
    doc = (ROOT / "docs" / "measures.md").read_text()
    assert doc == markdown(DEFAULT_PARAMS)
    for m in MEASURES:
        assert m.texts()["numerator"] in doc and m.texts()["denominator"] in doc
