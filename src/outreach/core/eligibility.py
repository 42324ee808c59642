"""Who is in scope for intensive and assertive community care (NHS England guidance 2024,
chapter 2). The team decides; this rule makes sure the decision is recorded against the
named criteria, with psychosis present (the guidance's group is people presenting with
psychosis, "not necessarily given a diagnosis") and at least one of the other needs.
The list "is not exhaustive", so the team may add its own reason in words."""

from dataclasses import dataclass
from enum import StrEnum


class Criterion(StrEnum):
    PSYCHOSIS = "psychosis"
    STRUGGLES_WITH_ROUTINE_CARE = "struggles_with_routine_care"
    RELAPSE_WITH_SERIOUS_HARMS = "relapse_with_serious_harms"
    MULTIPLE_SOCIAL_NEEDS = "multiple_social_needs"
    CO_OCCURRING_SUBSTANCE_USE = "co_occurring_substance_use"
    NEGATIVE_EXPERIENCES_OF_SERVICES = "negative_experiences_of_services"
    FAMILY_CONCERN = "family_concern"


DESCRIPTIONS: dict[Criterion, str] = {
    Criterion.PSYCHOSIS: "Presenting with psychosis (not necessarily diagnosed)",
    Criterion.STRUGGLES_WITH_ROUTINE_CARE:
        "May not respond to, want, or manage to use routine monitoring, support and treatment",
    Criterion.RELAPSE_WITH_SERIOUS_HARMS:
        "Vulnerable to relapse or deterioration with serious related harms",
    Criterion.MULTIPLE_SOCIAL_NEEDS:
        "Multiple social needs (housing, finance, self-neglect, isolation)",
    Criterion.CO_OCCURRING_SUBSTANCE_USE: "Co-occurring problems such as drug or alcohol use",
    Criterion.NEGATIVE_EXPERIENCES_OF_SERVICES:
        "Negative experiences of mental health services or other functions of the state",
    Criterion.FAMILY_CONCERN: "Concerns raised by family or carers",
}

PSYCHOSIS_REQUIRED = (
    "Acceptance needs psychosis to be present: the guidance's group is people presenting with "
    "psychosis (NHS England 2024, chapter 2)."
)
ANOTHER_NEED_REQUIRED = (
    "Acceptance needs at least one more chapter 2 criterion besides psychosis, or the "
    "team's reason in words (the list is not exhaustive)."
)
UNKNOWN_CRITERION = "Unknown criterion: {name}"


@dataclass(frozen=True)
class AcceptanceCheck:
    problems: tuple[str, ...]

    @property
    def allowed(self) -> bool:
        return not self.problems


def check_acceptance(criteria: set[str], other_reason: str = "") -> AcceptanceCheck:
    known = {c.value for c in Criterion}
    problems = [UNKNOWN_CRITERION.format(name=c) for c in sorted(criteria - known)]
    if Criterion.PSYCHOSIS not in criteria:
        problems.append(PSYCHOSIS_REQUIRED)
    others = (criteria & known) - {Criterion.PSYCHOSIS.value}
    if not others and not other_reason.strip():
        problems.append(ANOTHER_NEED_REQUIRED)
    return AcceptanceCheck(tuple(problems))
