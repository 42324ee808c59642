"""The discharge guard: no discharge for non-engagement, and every discharge has a decision record.

NHS England's 2024 guidance (002 ch.3-4) is explicit: did-not-attend, no access and
disengagement are never a reason to discharge people who need intensive and assertive care
("no drop out"), and any discharge is recorded with its rationale, the person's relapse
indicators, the known risks, the route back in, and who it was shared with.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DischargeReason(StrEnum):
    STEP_DOWN = "step_down"
    TRANSFER_OUT = "transfer_out"
    MOVED_AWAY = "moved_away"
    DIED = "died"
    INPATIENT_LONG_TERM = "long_term_placement"
    # Recorded so that the refusal is explicit, never silently mapped to something else.
    DID_NOT_ATTEND = "did_not_attend"
    NO_ACCESS = "no_access"
    DISENGAGED = "disengaged"
    DECLINED_CONTACT = "declined_contact"


NON_ENGAGEMENT_REASONS: frozenset[DischargeReason] = frozenset(
    {
        DischargeReason.DID_NOT_ATTEND,
        DischargeReason.NO_ACCESS,
        DischargeReason.DISENGAGED,
        DischargeReason.DECLINED_CONTACT,
    }
)
ALLOWED_REASONS: frozenset[DischargeReason] = frozenset(DischargeReason) - NON_ENGAGEMENT_REASONS

LABELS: dict[DischargeReason, str] = {
    DischargeReason.STEP_DOWN: "Stepped down to core community mental health services",
    DischargeReason.TRANSFER_OUT: "Transferred to another team or area",
    DischargeReason.MOVED_AWAY: "Moved away",
    DischargeReason.DIED: "Died",
    DischargeReason.INPATIENT_LONG_TERM: "Long-term inpatient or residential placement",
    DischargeReason.DID_NOT_ATTEND: "Did not attend",
    DischargeReason.NO_ACCESS: "No access at visits",
    DischargeReason.DISENGAGED: "Disengaged from the team",
    DischargeReason.DECLINED_CONTACT: "Declined contact",
}

UNKNOWN_REASON = "Choose a reason for discharge from the list"
NON_ENGAGEMENT_REFUSED = (
    "Discharge refused: did not attend, no access and disengagement are never reasons to "
    "discharge someone from intensive and assertive community care (NHS England guidance "
    "2024, chapters 3-4). Keep trying to make contact and raise at MDT."
)
RECORD_REQUIRED = (
    "Every discharge needs a decision record: why, the person's relapse indicators, the known "
    "risks, how they get back to the team, and who it was shared with"
)
# NHS.UK error-message style: say what to enter, per field, so forms can show it in place.
FIELD_REQUIRED: dict[str, str] = {
    "rationale": "Enter why the person is being discharged",
    "relapse_indicators": "Enter the person's relapse indicators (their early warning signs)",
    "known_risks": "Enter the known risks if a relapse is not responded to promptly",
    "route_back_in": "Enter how the person, or those around them, can get back to the team",
    "shared_with": "Enter who the decision record was shared with, for example the person, "
    "their GP or carer",
}
TEXT_FIELDS = ("rationale", "relapse_indicators", "known_risks", "route_back_in")


@dataclass(frozen=True)
class DecisionRecord:
    rationale: str  # why the person is being discharged
    relapse_indicators: str  # the person's own early warning signs
    known_risks: str  # harms if a relapse is not responded to promptly
    route_back_in: str  # how the person, family or GP get back to the team
    shared_with: tuple[str, ...]  # e.g. the person, GP, carer, other agencies


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass(frozen=True)
class DischargeCheck:
    problems: tuple[Problem, ...]

    @property
    def allowed(self) -> bool:
        return not self.problems


def _reason_problems(reason: str) -> list[Problem]:
    try:
        parsed = DischargeReason(reason)
    except ValueError:
        return [Problem("reason", UNKNOWN_REASON)]
    if parsed in NON_ENGAGEMENT_REASONS:
        return [Problem("reason", NON_ENGAGEMENT_REFUSED)]
    return []


def _record_problems(record: DecisionRecord | None) -> list[Problem]:
    if record is None:
        return [Problem("decision_record", RECORD_REQUIRED)]
    problems = [
        Problem(name, FIELD_REQUIRED[name])
        for name in TEXT_FIELDS
        if not getattr(record, name).strip()
    ]
    if not any(who.strip() for who in record.shared_with):
        problems.append(Problem("shared_with", FIELD_REQUIRED["shared_with"]))
    return problems


def check_discharge(reason: str, record: DecisionRecord | None) -> DischargeCheck:
    """Every reason the discharge cannot go ahead, all at once, so a form can show them together."""
    return DischargeCheck(tuple(_reason_problems(reason) + _record_problems(record)))
