"""The clinical record holds its text to core.limits.NARRATIVE and refuses dates before 1900
(services), whatever the page: a crisis plan pasted 110,000 characters long is refused."""

from datetime import date

import pytest

from outreach.clinical import services
from outreach.clinical.models import SafetyPlan
from outreach.core import limits
from tests.clinical.conftest import today


def test_a_crisis_plan_over_its_limit_or_dated_1800_is_refused(person, practitioner):
    with pytest.raises(services.ValidationFailed) as exc:
        services.safety_plan_create(
            person=person, by=practitioner, request=None, date=date(1800, 1, 1),
            wants_in_crisis="x" * 110_000, who_to_contact="Sister, 07700 900123")
    assert exc.value.errors["wants_in_crisis"] == [
        f"Wants in crisis must be {limits.NARRATIVE:,} characters or fewer"]
    assert limits.BEFORE_1900 in exc.value.errors["date"]
    assert not SafetyPlan.objects.exists()
    plan = services.safety_plan_create(
        person=person, by=practitioner, request=None, date=today(),
        wants_in_crisis="x" * limits.NARRATIVE, who_to_contact="Sister")
    assert len(plan.wants_in_crisis) == limits.NARRATIVE


def test_an_amendment_reason_over_its_limit_is_refused(person, practitioner):
    plan = services.safety_plan_create(person=person, by=practitioner, request=None,
                                       date=today(), wants_in_crisis="Home",
                                       who_to_contact="Sister")
    with pytest.raises(services.ValidationFailed) as exc:
        services.safety_plan_amend(plan=plan, by=practitioner, request=None,
                                   expected_version=plan.version, reason="r" * 1_001,
                                   changes={"what_helps": "Music"})
    assert exc.value.errors == {"reason": ["Reason must be 1,000 characters or fewer"]}
