"""Episode writes around the record core's accept / transition / discharge: declining a
referral, proposing a discharge or transfer for the MDT and recording its decision, and the
annual multi-agency review. Same conventions as records.services: one transaction each,
attributed to a member of staff, audited, field-level errors in ValidationFailed.

The discharge guard (core.discharge.check_discharge) runs at proposal too, so a discharge
for non-engagement never reaches the MDT agenda; a refusal there is recorded and audited
like one at discharge (records.services.episode_discharge), because governance counts
refused attempts.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.core import discharge as discharge_rules
from outreach.core import eligibility, limits
from outreach.records import services
from outreach.records.models import (
    AnnualReview,
    DischargeDecision,
    DischargeProposal,
    Episode,
    EpisodeStatus,
    KeyWorkerAssignment,
    RefusedDischarge,
    Transition,
    TransitionKind,
)
from outreach.records.selectors import staff_for
from outreach.records.services import (
    DECISION_TEXT,
    FUTURE_DATE,
    NOT_OPEN,
    DischargeRefused,
    ValidationFailed,
    _bump_version,
    text_errors,
)
from outreach.teams.models import StaffMember

NOT_REFERRED = "Only a referral waiting for a decision can be accepted or declined."
DECLINE_REASONS_REQUIRED = (
    "Say why the referral was not accepted, and what was advised or where the person was "
    "referred on"
)
DECIDED_BEFORE_ASSESSMENT = "The decision cannot be before the assessment."
PROPOSAL_WAITING = (
    "A discharge or transfer for this person is already waiting for the MDT. "
    "Decide that one first."
)
ALREADY_DECIDED = "The MDT's decision on this proposal has already been recorded."
CHOOSE_DECISION = "Choose whether the MDT agreed the discharge"
AGENCIES_REQUIRED = "Enter who took part, for example GP, housing, probation"
OUTCOME_REQUIRED = "Enter what the review found and agreed"
REVIEW_ALREADY_RECORDED = "A review held on this date is already recorded."

PROPOSAL_AGREED = "agreed"
PROPOSAL_NOT_AGREED = "not_agreed"


def _not_future(errors: dict, name: str, value: date) -> None:
    if value > timezone.localdate():
        errors.setdefault(name, []).append(FUTURE_DATE)


@transaction.atomic
def episode_decline(
    *, episode: Episode, by: StaffMember, request, expected_version: int, assessment_date: date,
    decided_on: date, criteria: list[str], reasons: str,
) -> Episode:
    """Not accepted: the criteria found at assessment and the reasons are kept, the status is
    not_accepted (no longer on the caseload) with a Transition, and the referral's key worker
    assignment ends on the day of the decision."""
    errors: dict[str, list[str]] = {}
    if episode.status != EpisodeStatus.REFERRED:
        errors["episode"] = [NOT_REFERRED]
    known = {c.value for c in eligibility.Criterion}
    unknown = sorted(set(criteria) - known)
    if unknown:
        errors["criteria"] = [eligibility.UNKNOWN_CRITERION.format(name=c) for c in unknown]
    if not reasons.strip():
        errors["reasons"] = [DECLINE_REASONS_REQUIRED]
    _not_future(errors, "assessment_date", assessment_date)
    _not_future(errors, "decided_on", decided_on)
    if decided_on < assessment_date:
        errors.setdefault("decided_on", []).append(DECIDED_BEFORE_ASSESSMENT)
    for name, problems in text_errors({"reasons": (limits.NARRATIVE, "Reasons")},
                                      {"reasons": reasons}).items():
        errors.setdefault(name, []).extend(problems)
    for message in limits.event_problems(assessment_date, born=None,
                                         referred=episode.referral_date):
        errors.setdefault("assessment_date", []).append(message)
    if errors:
        raise ValidationFailed(errors)
    _bump_version(Episode, episode.pk, expected_version)
    Episode.objects.filter(pk=episode.pk).update(
        assessment_date=assessment_date, criteria=sorted(set(criteria)),
        status=EpisodeStatus.NOT_ACCEPTED,
    )
    for current in KeyWorkerAssignment.objects.select_for_update().filter(
        episode=episode, end__isnull=True
    ):
        current.end = max(current.start, decided_on)
        current.save(update_fields=["end"])
    Transition.objects.create(
        episode=episode, kind=TransitionKind.NOT_ACCEPTED, date=decided_on,
        status_after=EpisodeStatus.NOT_ACCEPTED, note=reasons.strip(), recorded_by=by,
    )
    audit_record(request=request, person_id=episode.person_id, action=AuditAction.UPDATE,
                 what="referral not accepted")
    episode.refresh_from_db()
    return episode


def _guard(reason: str, record: discharge_rules.DecisionRecord) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for p in discharge_rules.check_discharge(reason, record).problems:
        problems.setdefault(p.field, []).append(p.message)
    return problems


def discharge_propose(
    *, episode: Episode, by: StaffMember, request, reason: str, rationale: str = "",
    relapse_indicators: str = "", known_risks: str = "", route_back_in: str = "",
    shared_with: list[str] | tuple[str, ...] = (),
) -> DischargeProposal:
    """Propose a discharge or transfer for the MDT, with its decision record, checked by the
    same guard as a discharge. A refusal is recorded (RefusedDischarge) and audited in its own
    transaction, then DischargeRefused is raised with the field-level problems."""
    if not episode.is_open:
        raise ValidationFailed({"episode": [NOT_OPEN]})
    if episode.proposals.filter(decided="").exists():
        raise ValidationFailed({"episode": [PROPOSAL_WAITING]})
    if too_long := text_errors(DECISION_TEXT, {
            "rationale": rationale, "relapse_indicators": relapse_indicators,
            "known_risks": known_risks, "route_back_in": route_back_in}):
        raise ValidationFailed(too_long)
    shared = tuple(s.strip() for s in shared_with if s.strip())
    record = discharge_rules.DecisionRecord(
        rationale=rationale, relapse_indicators=relapse_indicators, known_risks=known_risks,
        route_back_in=route_back_in, shared_with=shared,
    )
    problems = _guard(reason, record)
    if problems:
        with transaction.atomic():
            RefusedDischarge.objects.create(
                episode=episode, reason=reason[:30], problems=problems, attempted_by=by
            )
            audit_record(request=request, person_id=episode.person_id,
                         action=AuditAction.DISCHARGE_REFUSED,
                         what=f"proposal refused, reason: {reason}"[:200])
        raise DischargeRefused(problems)
    with transaction.atomic():
        proposal = DischargeProposal.objects.create(
            episode=episode, reason=reason, rationale=rationale.strip(),
            relapse_indicators=relapse_indicators.strip(), known_risks=known_risks.strip(),
            route_back_in=route_back_in.strip(), shared_with=list(shared), proposed_by=by,
        )
        audit_record(request=request, person_id=episode.person_id, action=AuditAction.CREATE,
                     what=f"discharge proposed for MDT: {reason}")
    return proposal


def proposal_decide(
    *, proposal: DischargeProposal, by: StaffMember, request, decision: str, on: date,
    expected_version: int, note: str = "",
) -> DischargeDecision | None:
    """Record the MDT's decision on a proposal. Agreed: the person is discharged on `on`
    through records.services.episode_discharge with the proposal's decision record (the guard
    runs again). Not agreed: the proposal leaves the agenda and the episode stays open."""
    errors: dict[str, list[str]] = {}
    if decision not in (PROPOSAL_AGREED, PROPOSAL_NOT_AGREED):
        errors["decision"] = [CHOOSE_DECISION]
    if decision == PROPOSAL_AGREED:
        _not_future(errors, "on", on)
    if errors:
        raise ValidationFailed(errors)
    episode = Episode.objects.get(pk=proposal.episode_id)
    if decision == PROPOSAL_AGREED and not episode.is_open:
        raise ValidationFailed({"episode": [NOT_OPEN]})
    with transaction.atomic():
        marked = DischargeProposal.objects.filter(pk=proposal.pk, decided="").update(
            decided=decision, decided_by=by, decided_on=on, decision_note=note.strip()
        )
        if marked != 1:
            raise ValidationFailed({"decision": [ALREADY_DECIDED]})
        if decision == PROPOSAL_NOT_AGREED:
            audit_record(request=request, person_id=episode.person_id,
                         action=AuditAction.UPDATE,
                         what=f"MDT did not agree proposed discharge: {note.strip()}"[:200])
            proposal.refresh_from_db()
            return None
        audit_record(request=request, person_id=episode.person_id, action=AuditAction.UPDATE,
                     what=f"MDT agreed proposed discharge: {note.strip()}"[:200])
        # Any refusal or stale edit raised here undoes the decision too: nothing partial.
        discharged = services.episode_discharge(
            episode=episode, by=by, request=request, expected_version=expected_version,
            reason=proposal.reason, on=on, rationale=proposal.rationale,
            relapse_indicators=proposal.relapse_indicators, known_risks=proposal.known_risks,
            route_back_in=proposal.route_back_in, shared_with=proposal.shared_with,
        )
    proposal.refresh_from_db()
    return discharged


@transaction.atomic
def annual_review_record(
    *, episode: Episode, by: StaffMember, request, held_on: date, agencies: str, outcome: str,
) -> AnnualReview:
    """The annual multi-agency review of someone open 11 months or more (004)."""
    errors: dict[str, list[str]] = {}
    if not episode.is_open:
        errors["episode"] = [NOT_OPEN]
    _not_future(errors, "held_on", held_on)
    if not agencies.strip():
        errors["agencies"] = [AGENCIES_REQUIRED]
    if not outcome.strip():
        errors["outcome"] = [OUTCOME_REQUIRED]
    for name, problems in text_errors({
            "agencies": (limits.PERSON_DETAIL, "Who took part"),
            "outcome": (limits.NARRATIVE, "What the review found")},
            {"agencies": agencies, "outcome": outcome}).items():
        errors.setdefault(name, []).extend(problems)
    for message in limits.date_problems(held_on):
        errors.setdefault("held_on", []).append(message)
    if episode.annual_reviews.filter(held_on=held_on).exists():
        errors.setdefault("held_on", []).append(REVIEW_ALREADY_RECORDED)
    if errors:
        raise ValidationFailed(errors)
    review = AnnualReview.objects.create(
        episode=episode, held_on=held_on, agencies=agencies.strip(), outcome=outcome.strip(),
        recorded_by=by,
    )
    audit_record(request=request, person_id=episode.person_id, action=AuditAction.CREATE,
                 what=f"annual multi-agency review held {held_on.isoformat()}")
    return review


def team_discharge_decision(user, *, person_id: int, decision_id: int) -> DischargeDecision | None:
    """A discharge decision record of the user's own team, for printing after the discharge.

    A read, kept here because the person is no longer on the caseload once discharged, so
    records.selectors.person_for no longer finds them; scoped to the signed-in clinician's
    team in the same way (another team's record is None, shown as 404). Belongs in
    records.selectors."""
    staff = staff_for(user)
    if staff is None or not staff.is_clinical:
        return None
    return (
        DischargeDecision.objects.filter(
            pk=decision_id, episode__person_id=person_id, episode__team_id=staff.team_id
        )
        .select_related("episode__person", "decided_by")
        .first()
    )
