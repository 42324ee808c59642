"""The discharge guard: no discharge for non-engagement; every discharge has a decision record."""

from dataclasses import fields, replace

from hypothesis import given
from hypothesis import strategies as st

from outreach.core.discharge import (
    ALLOWED_REASONS,
    FIELD_REQUIRED,
    LABELS,
    NON_ENGAGEMENT_REASONS,
    NON_ENGAGEMENT_REFUSED,
    RECORD_REQUIRED,
    REDIRECTED_REASONS,
    TEXT_FIELDS,
    UNKNOWN_REASON,
    DecisionRecord,
    DischargeReason,
    Problem,
    check_discharge,
)

RECORD_FIELDS = [f.name for f in fields(DecisionRecord)]

filled = st.text(min_size=1).filter(str.strip)
blank = st.text(alphabet=" \t\n", max_size=4)
complete_records = st.builds(
    DecisionRecord,
    rationale=filled,
    relapse_indicators=filled,
    known_risks=filled,
    route_back_in=filled,
    shared_with=st.lists(filled, min_size=1, max_size=3).map(tuple),
)
any_records = st.none() | st.builds(
    DecisionRecord,
    rationale=st.text(),
    relapse_indicators=st.text(),
    known_risks=st.text(),
    route_back_in=st.text(),
    shared_with=st.lists(st.text(), max_size=3).map(tuple),
)
# Callers pass form strings; the enum members are strings too and must behave the same.
allowed_reasons = st.sampled_from(sorted(ALLOWED_REASONS)).flatmap(
    lambda r: st.sampled_from([r, str(r)])
)
refused_reasons = st.sampled_from(sorted(NON_ENGAGEMENT_REASONS)).flatmap(
    lambda r: st.sampled_from([r, str(r)])
)


def _blanked(record: DecisionRecord, name: str, blank_text: str) -> DecisionRecord:
    value = (blank_text,) if name == "shared_with" else blank_text
    return replace(record, **{name: value})


def test_reasons_split_into_allowed_and_refused_and_all_have_labels():
    """Every reason is either allowed or refused, never both, and has a label for forms."""
    assert ALLOWED_REASONS | NON_ENGAGEMENT_REASONS | REDIRECTED_REASONS == set(DischargeReason)
    assert not ALLOWED_REASONS & NON_ENGAGEMENT_REASONS
    assert not ALLOWED_REASONS & REDIRECTED_REASONS
    assert set(LABELS) == set(DischargeReason)


def test_every_record_field_has_its_own_required_message():
    """Each decision-record field has a message, so a form can show it beside that field."""
    assert set(FIELD_REQUIRED) == set(RECORD_FIELDS)
    assert set(TEXT_FIELDS) == set(RECORD_FIELDS) - {"shared_with"}


def test_refusal_message_names_the_rule_and_the_next_step():
    """The refusal says which reasons are never allowed, cites the guidance and what to do."""
    for words in ("did not attend", "no access", "disengagement", "NHS England", "MDT"):
        assert words in NON_ENGAGEMENT_REFUSED


@given(refused_reasons, any_records)
def test_non_engagement_is_refused_whatever_the_record(reason, record):
    """Did not attend, no access, disengaged or declined contact: refused, even if documented."""
    check = check_discharge(reason, record)
    assert not check.allowed
    assert Problem("reason", NON_ENGAGEMENT_REFUSED) in check.problems


@given(allowed_reasons, complete_records)
def test_allowed_reason_with_complete_record_is_allowed(reason, record):
    """A permitted reason with every part of the decision record filled in goes ahead."""
    check = check_discharge(reason, record)
    assert check.allowed
    assert check.problems == ()


@given(allowed_reasons, complete_records, st.sampled_from(RECORD_FIELDS), blank)
def test_blanking_one_field_gives_exactly_that_problem(reason, record, name, blank_text):
    """A blank (or whitespace-only) field gives one problem, on that field, with its message."""
    check = check_discharge(reason, _blanked(record, name, blank_text))
    assert check.problems == (Problem(name, FIELD_REQUIRED[name]),)


@given(allowed_reasons, complete_records)
def test_empty_shared_with_is_a_problem(reason, record):
    """A decision record shared with nobody is not complete."""
    check = check_discharge(reason, replace(record, shared_with=()))
    assert check.problems == (Problem("shared_with", FIELD_REQUIRED["shared_with"]),)


@given(allowed_reasons)
def test_missing_record_is_a_problem(reason):
    """No decision record, no discharge, even for an allowed reason."""
    check = check_discharge(reason, None)
    assert check.problems == (Problem("decision_record", RECORD_REQUIRED),)


@given(st.text().filter(lambda r: r not in set(DischargeReason)), complete_records)
def test_unknown_reason_is_refused(reason, record):
    """A reason not on the list cannot slip through, whatever its spelling."""
    check = check_discharge(reason, record)
    assert check.problems == (Problem("reason", UNKNOWN_REASON),)


@given(
    refused_reasons,
    complete_records,
    st.sets(st.sampled_from(RECORD_FIELDS)),
    blank,
)
def test_all_problems_are_reported_together(reason, record, blanked, blank_text):
    """The reason and every blank field are reported in one check, one problem each."""
    for name in blanked:
        record = _blanked(record, name, blank_text)
    check = check_discharge(reason, record)
    assert [p.field for p in check.problems].count("reason") == 1
    assert {p.field for p in check.problems} == {"reason"} | blanked
    assert len(check.problems) == 1 + len(blanked)
