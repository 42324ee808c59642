"""The skills matrix rules: expiry status boundaries (hazard H34), the best of several
records, requirements by role and discipline, gap counts."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.core.skills import (
    EXPIRES_BEFORE_COMPLETED,
    RENEWAL_NOT_POSITIVE,
    WARN_DAYS_NEGATIVE,
    Requirement,
    StaffMember,
    Status,
    Training,
    add_months,
    best,
    count_gaps,
    default_expiry,
    matrix,
    required_of,
    status_of,
)

dates = st.dates(date(2020, 1, 1), date(2030, 12, 31))
warn = st.integers(0, 365)


@st.composite
def trainings(draw):
    done = draw(dates)
    expires = draw(st.one_of(st.none(), st.dates(done, date(2032, 12, 31))))
    return Training(done, expires)


def test_expiry_boundaries_on_named_days():
    """Valid through the expiry day; expired the day after; expiring within the warning."""
    t = Training(date(2025, 1, 10), date(2026, 1, 9))
    assert status_of(t, date(2026, 1, 9), 0) is Status.EXPIRING  # last valid day
    assert status_of(t, date(2026, 1, 10), 60) is Status.EXPIRED  # the day after
    assert status_of(t, date(2025, 11, 10), 60) is Status.EXPIRING  # exactly 60 days left
    assert status_of(t, date(2025, 11, 9), 60) is Status.MET  # 61 days left
    assert status_of(t, date(2025, 1, 9), 60) is Status.MISSING  # not yet done
    assert status_of(Training(date(2020, 1, 1)), date(2030, 1, 1), 60) is Status.MET


@given(trainings(), dates, warn)
def test_an_expired_record_is_never_shown_as_current(t, on, warn_days):
    """H34: whenever the expiry date has passed, the status is EXPIRED, whatever the
    warning period; whenever it is MET, it is still valid beyond the warning period."""
    s = status_of(t, on, warn_days)
    if t.completed_on <= on and t.expires_on is not None and t.expires_on < on:
        assert s is Status.EXPIRED
    if s is Status.MET:
        assert t.completed_on <= on
        assert t.expires_on is None or (t.expires_on - on).days > warn_days
    if s is Status.EXPIRING:
        assert t.expires_on is not None and 0 <= (t.expires_on - on).days <= warn_days


@given(trainings(), dates, warn, st.integers(1, 400))
def test_status_only_worsens_as_days_pass(t, on, warn_days, later):
    """Without new training, a record never gets better with time (once done)."""
    rank = [Status.EXPIRED, Status.EXPIRING, Status.MET]
    a, b = status_of(t, on, warn_days), status_of(t, on + timedelta(days=later), warn_days)
    if a is not Status.MISSING:
        assert rank.index(b) <= rank.index(a)


@given(st.lists(trainings(), max_size=5), dates, warn)
def test_best_is_the_best_single_record(records, on, warn_days):
    """Several records of one competency: the best status any of them gives; a renewal
    replaces an expired record; none (or only future ones) is MISSING."""
    order = [Status.MISSING, Status.EXPIRED, Status.EXPIRING, Status.MET]
    held = best(records, on, warn_days)
    statuses = [status_of(t, on, warn_days) for t in records]
    expected = max(statuses, key=order.index, default=Status.MISSING)
    assert held.status is expected
    if held.status is not Status.MISSING:
        assert held.training in records


def test_renewal_replaces_an_expired_record_and_the_newest_expiry_is_shown():
    old = Training(date(2023, 1, 1), date(2024, 1, 1))
    new = Training(date(2024, 6, 1), date(2025, 6, 1))
    on = date(2024, 7, 1)
    held = best([old, new], on, 30)
    assert held.status is Status.MET and held.training == new
    assert held.days_left(on) == 335
    assert best([old], on, 30).status is Status.EXPIRED


def test_default_expiry_is_the_day_before_the_anniversary():
    assert default_expiry(date(2025, 3, 15), 12) == date(2026, 3, 14)
    assert default_expiry(date(2024, 1, 31), 1) == date(2024, 2, 28)  # 29 Feb - 1 day
    assert default_expiry(date(2025, 3, 15), None) is None
    with pytest.raises(ValueError, match=RENEWAL_NOT_POSITIVE):
        default_expiry(date(2025, 3, 15), 0)


@given(dates, st.integers(1, 120))
def test_default_expiry_keeps_training_valid_for_the_whole_period(done, months):
    expiry = default_expiry(done, months)
    assert status_of(Training(done, expiry), expiry, 0) is Status.EXPIRING
    assert status_of(Training(done, expiry), add_months(done, months), 0) is Status.EXPIRED


def test_bad_values_are_refused():
    with pytest.raises(ValueError, match=EXPIRES_BEFORE_COMPLETED):
        Training(date(2025, 2, 1), date(2025, 1, 31))
    with pytest.raises(ValueError, match=WARN_DAYS_NEGATIVE):
        status_of(Training(date(2025, 1, 1)), date(2025, 2, 1), -1)


def test_requirements_by_role_and_discipline():
    rules = [Requirement("mha"), Requirement("depot", discipline="nurse"),
             Requirement("supervision", role="manager"),
             Requirement("ot_only_manager", role="manager", discipline="ot")]
    assert required_of(rules, "practitioner", "nurse") == {"mha", "depot"}
    assert required_of(rules, "manager", "social_worker") == {"mha", "supervision"}
    assert required_of(rules, "manager", "ot") == {"mha", "supervision", "ot_only_manager"}


def test_matrix_and_gap_counts_on_a_small_team():
    """Two staff, three competencies: gaps are required cells missing or expired; a
    competency nobody needs is never a gap."""
    on = date(2025, 6, 1)
    staff = [StaffMember("ann", "practitioner", "nurse"),
             StaffMember("bob", "practitioner", "str_worker")]
    rules = [Requirement("mha"), Requirement("depot", discipline="nurse")]
    records = {
        ("ann", "mha"): [Training(date(2024, 6, 10), date(2025, 6, 9))],  # expiring
        ("ann", "depot"): [Training(date(2023, 1, 1), date(2024, 1, 1))],  # expired
        ("bob", "depot"): [Training(date(2023, 1, 1), date(2024, 1, 1))],  # not required
    }
    cells = matrix(staff, ["mha", "depot", "interpreters"], rules, records, on, 30)
    assert [(c.staff, c.competency, c.status.value, c.gap) for c in cells] == [
        ("ann", "mha", "expiring", False), ("ann", "depot", "expired", True),
        ("ann", "interpreters", "missing", False),
        ("bob", "mha", "missing", True), ("bob", "depot", "expired", False),
        ("bob", "interpreters", "missing", False),
    ]
    total = count_gaps(cells)[None]
    assert (total.required, total.gaps, total.missing, total.expired, total.expiring,
            total.met) == (3, 2, 1, 1, 1, 1)
    by_comp = count_gaps(cells, key=lambda c: c.competency)
    assert by_comp["mha"].gaps == 1 and by_comp["depot"].gaps == 1
    assert by_comp["interpreters"].required == 0
