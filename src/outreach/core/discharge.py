"""The discharge guard: no discharge for non-engagement, and every discharge has a decision record.

NHS England's 2024 guidance (002 ch.3-4) is explicit: did-not-attend, no access and
disengagement are never a reason to discharge people who need intensive and assertive care
("no drop out"), and any discharge is recorded with its rationale, the person's relapse
indicators, the known risks, the route back in, and who it was shared with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from outreach.core.engagement import (
    DEFAULT_CONFIG,
    EngagementConfig,
    EngagementState,
    days_since,
    state_for_days,
    week_start,
)


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
# Moving away is a transfer to the team of the new area, never a discharge into nothing: the
# reason is kept for old records and refused with that explanation.
REDIRECTED_REASONS: frozenset[DischargeReason] = frozenset({DischargeReason.MOVED_AWAY})
ALLOWED_REASONS: frozenset[DischargeReason] = (
    frozenset(DischargeReason) - NON_ENGAGEMENT_REASONS - REDIRECTED_REASONS
)

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


# --- Judged by the record -------------------------------------------------------------------
#
# Whatever reason is picked and whatever the free text says, an end of the team's care is
# judged against the person's own record: while they are not engaged, the only ends allowed
# are death and a transfer to a named team that has accepted them (a warm handover).

DEATH_DATE_REQUIRED = "Enter the date the person died"
DEATH_DATE_FUTURE = "The date of death cannot be in the future"
DEATH_DATE_BEFORE_BIRTH = "The date of death cannot be before the person's date of birth"
RECEIVING_TEAM_REQUIRED = "Enter the team taking over the person's care"
ACCEPTED_BY_REQUIRED = (
    "Enter who in the receiving team accepted the person (a transfer is a warm handover: "
    "the receiving team must have accepted)"
)
ACCEPTED_ON_REQUIRED = "Enter the date the receiving team accepted the person"
ACCEPTED_ON_FUTURE = "The receiving team cannot have accepted the person in the future"
MOVED_AWAY_IS_TRANSFER = (
    "Moving away is not a discharge into nothing: choose 'Transferred to another team or "
    "area' and name the team of the new area that has accepted the person"
)
NOT_ENGAGED_REFUSED = (
    "{name} cannot leave the team's care while they are not engaged ({why}). The only ends "
    "of care allowed for someone who is not engaged are their death, and a transfer to a "
    "named team that has accepted them. Keep trying to reach them (other places and times, "
    "their family or carer, the other agencies involved), step up their care, and raise "
    "them at the MDT (NHS England guidance, chapters 3 and 4: failure to engage is never a "
    "reason for discharge)."
)


@dataclass(frozen=True)
class EngagementRule:
    """When a person counts as engaged for an end of care (settings: OUTREACH_DISCHARGE).

    recent_contact_weeks (N): a successful face-to-face contact in the last N weeks is
    needed. Default 2: the guidance's floor is one to two visits a week, so two weeks with
    no visit at all is well below it (and matches the standard ladder's lost contact step).
    target_weeks (M): the contact target must have been met in at least half of the last M
    full weeks. Default 8: about two months, long enough to show a pattern rather than one
    bad week, short enough to be current.
    """

    recent_contact_weeks: int = 2
    target_weeks: int = 8

    def __post_init__(self) -> None:
        if not (type(self.recent_contact_weeks) is int and self.recent_contact_weeks >= 1):
            raise ValueError("recent_contact_weeks must be a whole number of weeks, at least 1")
        if not (type(self.target_weeks) is int and self.target_weeks >= 1):
            raise ValueError("target_weeks must be a whole number of weeks, at least 1")


NOT_ENGAGED_STATES = frozenset({
    EngagementState.OVERDUE, EngagementState.LOST_CONTACT, EngagementState.ESCALATED,
})


@dataclass(frozen=True)
class Evidence:
    """What the record says about a person's engagement on a day."""

    on: date
    state: EngagementState
    last_successful: date | None
    days_since: int
    weekly_target: int
    weeks_judged: int  # full weeks in the last M that were wholly with the team
    weeks_unmet: int
    rule: EngagementRule

    @property
    def reasons(self) -> tuple[str, ...]:
        """Each rule the record breaks, with its evidence, in words."""
        out = []
        last = (f"last successful face-to-face contact {self.last_successful:%-d %B %Y}, "
                f"{self.days_since} days ago" if self.last_successful
                else "no successful face-to-face contact in this episode")
        if self.state in NOT_ENGAGED_STATES:
            out.append(f"engagement {self.state.value.replace('_', ' ')}: {last}")
        recent = self.rule.recent_contact_weeks
        if self.last_successful is None or (self.on - self.last_successful).days >= 7 * recent:
            if self.state not in NOT_ENGAGED_STATES:
                out.append(f"no successful face-to-face contact in the last {recent} weeks: "
                           f"{last}")
        if self.weeks_unmet * 2 > self.weeks_judged:
            out.append(f"contact target of {self.weekly_target} a week unmet in "
                       f"{self.weeks_unmet} of the last {self.weeks_judged} weeks")
        return tuple(out)

    @property
    def engaged(self) -> bool:
        return not self.reasons

    def as_json(self) -> dict:
        return {
            "on": self.on.isoformat(), "state": self.state.value,
            "last_successful": self.last_successful.isoformat() if self.last_successful
            else None,
            "days_since": self.days_since, "weekly_target": self.weekly_target,
            "weeks_judged": self.weeks_judged, "weeks_unmet": self.weeks_unmet,
            "reasons": list(self.reasons),
        }


def evidence(
    *, successful_f2f_dates: Sequence[date], episode_start: date, on: date, stepped_up: bool,
    weekly_target: int, config: EngagementConfig = DEFAULT_CONFIG,
    rule: EngagementRule = EngagementRule(),
) -> Evidence:
    """The person's engagement on `on` from their successful face-to-face contacts in the
    episode. Contacts after `on` are not counted (a decision is judged on its own day)."""
    seen = sorted(d for d in successful_f2f_dates if d <= on)
    thresholds = config.stepped_up if stepped_up else config.standard
    last = seen[-1] if seen else None
    days = days_since(last, episode_start, on)
    monday = week_start(on)
    judged = unmet = 0
    for k in range(1, rule.target_weeks + 1):
        first = monday - timedelta(days=7 * k)
        if first < episode_start:
            break  # weeks before the episode started are not the person's to meet
        last_day = first + timedelta(days=6)
        judged += 1
        if sum(1 for d in seen if first <= d <= last_day) < weekly_target:
            unmet += 1
    return Evidence(on=on, state=state_for_days(days, thresholds), last_successful=last,
                    days_since=days, weekly_target=weekly_target, weeks_judged=judged,
                    weeks_unmet=unmet, rule=rule)


@dataclass(frozen=True)
class Handover:
    """A transfer's warm handover: the receiving team and who accepted, when."""

    receiving_team: str = ""
    accepted_by: str = ""
    accepted_on: date | None = None


def _ending_problems(reason: str, handover: Handover, died_on: date | None, on: date,
                     born: date | None) -> list[Problem]:
    problems: list[Problem] = []
    if reason == DischargeReason.MOVED_AWAY:
        problems.append(Problem("reason", MOVED_AWAY_IS_TRANSFER))
    if reason == DischargeReason.DIED:
        if died_on is None:
            problems.append(Problem("died_on", DEATH_DATE_REQUIRED))
        elif died_on > on:
            problems.append(Problem("died_on", DEATH_DATE_FUTURE))
        elif born is not None and died_on < born:
            problems.append(Problem("died_on", DEATH_DATE_BEFORE_BIRTH))
    if reason in (DischargeReason.TRANSFER_OUT, DischargeReason.STEP_DOWN):
        if not handover.receiving_team.strip():
            problems.append(Problem("receiving_team", RECEIVING_TEAM_REQUIRED))
    if reason == DischargeReason.TRANSFER_OUT:
        if not handover.accepted_by.strip():
            problems.append(Problem("accepted_by", ACCEPTED_BY_REQUIRED))
        if handover.accepted_on is None:
            problems.append(Problem("accepted_on", ACCEPTED_ON_REQUIRED))
        elif handover.accepted_on > on:
            problems.append(Problem("accepted_on", ACCEPTED_ON_FUTURE))
    return problems


def allowed_while_not_engaged(reason: str, handover: Handover, died_on: date | None) -> bool:
    """Death (with its date), or a transfer to a named team that has accepted."""
    if reason == DischargeReason.DIED:
        return died_on is not None
    if reason == DischargeReason.TRANSFER_OUT:
        return bool(handover.receiving_team.strip() and handover.accepted_by.strip()
                    and handover.accepted_on is not None)
    return False


def check_end(
    reason: str, record: DecisionRecord | None, found: Evidence, *, name: str = "The person",
    handover: Handover = Handover(), died_on: date | None = None, born: date | None = None,
) -> DischargeCheck:
    """Every reason this end of care cannot go ahead, judged by the label AND the record.

    The engagement refusal does not depend on the reason picked or the text written: only
    death and an accepted transfer get past a record that shows the person not engaged."""
    problems = _reason_problems(reason) + _record_problems(record)
    problems += _ending_problems(reason, handover, died_on, found.on, born)
    if not found.engaged and not allowed_while_not_engaged(reason, handover, died_on):
        why = "; ".join(found.reasons)
        problems.insert(0, Problem("engagement", NOT_ENGAGED_REFUSED.format(name=name, why=why)))
    return DischargeCheck(tuple(problems))


def counts_as_not_engaged(*, reason: str, engaged: bool | None, died_on: date | None,
                          handover: Handover) -> bool:
    """Whether governance counts a discharge as one of someone not engaged: a
    non-engagement reason, or a record that showed them not engaged on the day (or carries no
    judgement at all), unless it is one of the two ends allowed then (death, an accepted
    transfer). governance.selectors.DISCHARGED_NOT_ENGAGED is the same rule in SQL."""
    if reason in NON_ENGAGEMENT_REASONS:
        return True
    if engaged:
        return False
    return not allowed_while_not_engaged(reason, handover, died_on)
