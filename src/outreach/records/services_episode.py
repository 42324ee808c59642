"""Episode writes around the record core's accept / transition: declining a referral, every
end of the team's care (proposed for the MDT, decided at the MDT with the consultant, then
carried out), and the annual multi-agency review. Same conventions as records.services: one
transaction each, attributed to a member of staff, audited, field-level errors in
ValidationFailed.

An end of care is judged by core.discharge.check_end at each step (proposal, the MDT's
agreement, carrying it out): the reason, the decision record and the person's own record on
that day, so that no choice of reason or wording discharges someone who is not engaged. A
refusal at any step is recorded (RefusedDischarge) and audited in its own transaction,
because governance counts refused attempts.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.core import discharge as discharge_rules
from outreach.core import eligibility, limits
from outreach.core.discharge import Evidence
from outreach.records.engagement import evidence_for
from outreach.records.models import (
    OPEN_STATUSES,
    AnnualReview,
    DischargeDecision,
    DischargeProposal,
    Episode,
    EpisodeStatus,
    KeyWorkerAssignment,
    Person,
    RefusedDischarge,
    Transition,
    TransitionKind,
)
from outreach.records.selectors import KnownNumber, known_number
from outreach.records.services import (
    DECISION_TEXT,
    DISCHARGE_KINDS,
    FUTURE_DATE,
    NOT_OPEN,
    DischargeRefused,
    ValidationFailed,
    _bump_version,
    text_errors,
)
from outreach.teams.models import Role, StaffMember

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
CHOOSE_DECISION = "Choose whether the MDT agreed the end of care"
MDT_REASONS_REQUIRED = "Enter the MDT's reasons for its decision"
MDT_DATE_REQUIRED = "Enter the date of the MDT that discussed it"
CONSULTANT_ONLY = (
    "Only the team's consultant can record that the MDT agreed an end of care: it must be "
    "discussed at an MDT with the consultant. Anyone on the team can record that it was not "
    "agreed."
)
MDT_DECISION_REQUIRED = (
    "An end of care is carried out only after the MDT, with the consultant, has agreed it"
)
ALREADY_CARRIED_OUT = "This end of care has already been carried out."
BEFORE_MDT_DECISION = "The discharge cannot be before the MDT's decision."
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


NO_HANDOVER = discharge_rules.Handover()
HANDOVER_TEXT = {
    "receiving_team": (limits.SHORT_LABEL, "The receiving team"),
    "accepted_by": (limits.SHORT_LABEL, "Who accepted them"),
}


def _refuse(*, episode: Episode, by: StaffMember, request, reason: str,
            problems: dict[str, list[str]], what: str) -> None:
    """Record and audit a refused end of care in its own transaction (governance counts
    refused attempts), then raise DischargeRefused with the field-level problems."""
    with transaction.atomic():
        RefusedDischarge.objects.create(
            episode=episode, reason=reason[:30], problems=problems, attempted_by=by,
            not_engaged="engagement" in problems,
        )
        audit_record(request=request, person_id=episode.person_id,
                     action=AuditAction.DISCHARGE_REFUSED, what=f"{what}, reason: {reason}"[:200])
    raise DischargeRefused(problems)


def end_check(*, episode: Episode, reason: str, record: discharge_rules.DecisionRecord,
              on: date, handover: discharge_rules.Handover = NO_HANDOVER,
              died_on: date | None = None) -> tuple[dict[str, list[str]], Evidence]:
    """Every problem with ending this episode's care on `on`, judged by the reason, the
    decision record and the person's own record (core.discharge.check_end), with the
    evidence it was judged on."""
    found = evidence_for(episode, on)
    person = episode.person
    check = discharge_rules.check_end(
        reason, record, found, name=person.display_name, handover=handover, died_on=died_on,
        born=person.date_of_birth)
    problems: dict[str, list[str]] = {}
    for p in check.problems:
        problems.setdefault(p.field, []).append(p.message)
    return problems, found


def engagement_now(episode: Episode) -> Evidence:
    """The person's engagement today, judged as an end of care would be (for the forms)."""
    return evidence_for(episode, timezone.localdate())


def discharge_propose(
    *, episode: Episode, by: StaffMember, request, reason: str, rationale: str = "",
    relapse_indicators: str = "", known_risks: str = "", route_back_in: str = "",
    shared_with: list[str] | tuple[str, ...] = (), receiving_team: str = "",
    accepted_by: str = "", accepted_on: date | None = None, died_on: date | None = None,
) -> DischargeProposal:
    """Propose an end of care (discharge, step-down, transfer) for the MDT, with its decision
    record, checked by the same guard as carrying it out: the reason, the record and the
    person's engagement today. A refusal is recorded (RefusedDischarge) and audited."""
    if not episode.is_open:
        raise ValidationFailed({"episode": [NOT_OPEN]})
    if episode.proposals.filter(decided="").exists() or episode.proposals.filter(
            decided=PROPOSAL_AGREED, carried_out__isnull=True).exists():
        raise ValidationFailed({"episode": [PROPOSAL_WAITING]})
    if too_long := text_errors({**DECISION_TEXT, **HANDOVER_TEXT}, {
            "rationale": rationale, "relapse_indicators": relapse_indicators,
            "known_risks": known_risks, "route_back_in": route_back_in,
            "receiving_team": receiving_team, "accepted_by": accepted_by}):
        raise ValidationFailed(too_long)
    shared = tuple(s.strip() for s in shared_with if s.strip())
    record = discharge_rules.DecisionRecord(
        rationale=rationale, relapse_indicators=relapse_indicators, known_risks=known_risks,
        route_back_in=route_back_in, shared_with=shared,
    )
    handover = discharge_rules.Handover(receiving_team, accepted_by, accepted_on)
    problems, _ = end_check(episode=episode, reason=reason, record=record,
                            on=timezone.localdate(), handover=handover, died_on=died_on)
    if problems:
        _refuse(episode=episode, by=by, request=request, reason=reason, problems=problems,
                what="proposal refused")
    with transaction.atomic():
        proposal = DischargeProposal.objects.create(
            episode=episode, reason=reason, rationale=rationale.strip(),
            relapse_indicators=relapse_indicators.strip(), known_risks=known_risks.strip(),
            route_back_in=route_back_in.strip(), shared_with=list(shared), proposed_by=by,
            receiving_team=receiving_team.strip(), accepted_by=accepted_by.strip(),
            accepted_on=accepted_on, died_on=died_on,
        )
        audit_record(request=request, person_id=episode.person_id, action=AuditAction.CREATE,
                     what=f"end of care proposed for MDT: {reason}")
    return proposal


def _proposal_parts(proposal: DischargeProposal):
    record = discharge_rules.DecisionRecord(
        rationale=proposal.rationale, relapse_indicators=proposal.relapse_indicators,
        known_risks=proposal.known_risks, route_back_in=proposal.route_back_in,
        shared_with=tuple(proposal.shared_with))
    handover = discharge_rules.Handover(proposal.receiving_team, proposal.accepted_by,
                                        proposal.accepted_on)
    return record, handover


def proposal_decide(
    *, proposal: DischargeProposal, by: StaffMember, request, decision: str, on: date,
    note: str = "", mdt_held_on: date | None = None,
) -> DischargeProposal:
    """Record the MDT's decision on a proposed end of care.

    Agreed: only a consultant of the person's team records it (the MDT discussed it with
    the consultant), with the day of the MDT and its reasons; the guard runs again on the
    record as it is today (a refusal is recorded). The person stays with the team until the
    decision is carried out (proposal_carry_out). Not agreed: any clinician of the team, with
    the reasons; the proposal leaves the agenda and the person stays."""
    errors: dict[str, list[str]] = {}
    if decision not in (PROPOSAL_AGREED, PROPOSAL_NOT_AGREED):
        errors["decision"] = [CHOOSE_DECISION]
    if not note.strip():
        errors["note"] = [MDT_REASONS_REQUIRED]
    if mdt_held_on is None:
        errors["mdt_held_on"] = [MDT_DATE_REQUIRED]
    else:
        _not_future(errors, "mdt_held_on", mdt_held_on)
    episode = Episode.objects.select_related("person").get(pk=proposal.episode_id)
    if decision == PROPOSAL_AGREED:
        if by.role != Role.CONSULTANT or by.team_id != episode.team_id:
            errors.setdefault("decision", []).append(CONSULTANT_ONLY)
        if not episode.is_open:
            errors.setdefault("episode", []).append(NOT_OPEN)
    if errors:
        raise ValidationFailed(errors)
    if decision == PROPOSAL_AGREED:
        record, handover = _proposal_parts(proposal)
        problems, _ = end_check(episode=episode, reason=proposal.reason, record=record,
                                on=timezone.localdate(), handover=handover,
                                died_on=proposal.died_on)
        if problems:
            _refuse(episode=episode, by=by, request=request, reason=proposal.reason,
                    problems=problems, what="MDT agreement refused")
    with transaction.atomic():
        marked = DischargeProposal.objects.filter(pk=proposal.pk, decided="").update(
            decided=decision, decided_by=by, decided_on=on, decision_note=note.strip(),
            mdt_held_on=mdt_held_on,
        )
        if marked != 1:
            raise ValidationFailed({"decision": [ALREADY_DECIDED]})
        verdict = "agreed" if decision == PROPOSAL_AGREED else "did not agree"
        audit_record(request=request, person_id=episode.person_id, action=AuditAction.UPDATE,
                     what=f"MDT {verdict} proposed end of care: {note.strip()}"[:200])
    proposal.refresh_from_db()
    return proposal


def proposal_carry_out(
    *, proposal: DischargeProposal, by: StaffMember, request, on: date, expected_version: int,
) -> DischargeDecision:
    """Carry out an end of care the MDT agreed with the consultant: the only way a person
    leaves the team. The guard runs once more on the reason, the decision record and the
    person's own record on the day of discharge (someone who stopped engaging since the MDT
    is refused); a refusal is recorded and audited in its own transaction, because governance
    counts refused attempts. The discharge keeps the evidence it was judged on."""
    errors: dict[str, list[str]] = {}
    if proposal.decided != PROPOSAL_AGREED:
        errors["proposal"] = [MDT_DECISION_REQUIRED]
    elif hasattr(proposal, "carried_out"):
        errors["proposal"] = [ALREADY_CARRIED_OUT]
    _not_future(errors, "on", on)
    if proposal.decided_on and on < proposal.decided_on:
        errors.setdefault("on", []).append(BEFORE_MDT_DECISION)
    episode = Episode.objects.select_related("person").get(pk=proposal.episode_id)
    # A date before acceptance is a slip, not an attempt the guard refused: not counted.
    if slip := limits.discharge_problems(on, referred=episode.referral_date,
                                         accepted=episode.accepted_date):
        errors.setdefault("on", []).extend(slip)
    if errors:
        raise ValidationFailed(errors)
    record, handover = _proposal_parts(proposal)
    reason = proposal.reason
    problems, found = end_check(episode=episode, reason=reason, record=record, on=on,
                                handover=handover, died_on=proposal.died_on)
    if not episode.is_open:
        problems.setdefault("episode", []).append(NOT_OPEN)
    if problems:
        _refuse(episode=episode, by=by, request=request, reason=reason, problems=problems,
                what="discharge refused")
    with transaction.atomic():
        _bump_version(Episode, episode.pk, expected_version)
        decision = DischargeDecision.objects.create(
            episode=episode, reason=reason, date=on, rationale=record.rationale.strip(),
            relapse_indicators=record.relapse_indicators.strip(),
            known_risks=record.known_risks.strip(), route_back_in=record.route_back_in.strip(),
            shared_with=list(record.shared_with), decided_by=by, proposal=proposal,
            receiving_team=handover.receiving_team, accepted_by=handover.accepted_by,
            accepted_on=handover.accepted_on, died_on=proposal.died_on,
            engaged=found.engaged, evidence=found.as_json(),
        )
        Episode.objects.filter(pk=episode.pk).update(
            status=EpisodeStatus.DISCHARGED, discharged_date=on
        )
        KeyWorkerAssignment.objects.filter(episode=episode, end__isnull=True).update(end=on)
        Transition.objects.create(
            episode=episode, kind=DISCHARGE_KINDS.get(reason, TransitionKind.DISCHARGED),
            date=on, status_after=EpisodeStatus.DISCHARGED, note=record.rationale,
            recorded_by=by,
        )
        audit_record(request=request, person_id=episode.person_id,
                     action=AuditAction.DISCHARGE, what=f"discharged: {reason}")
    return decision


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


# --- Re-referral: the route back in ----------------------------------------------------------

DUPLICATE_OPEN_HERE = (
    "{name} is already registered and has an open episode with your team: open their record "
    "instead of registering them again."
)
DUPLICATE_FORMER_HERE = (
    "{name} was with your team before and is already registered: re-refer them instead of "
    "registering them again, so that their history comes with them."
)
DUPLICATE_NOW_ELSEWHERE = (
    "{name} was with your team before and is now with {team}: contact them before referring."
)
DUPLICATE_ELSEWHERE = (
    "A person with this NHS number is already registered with another team, so their record "
    "is not shown to you. Contact the trust's records service to find the team that holds "
    "them before referring."
)
ALREADY_OPEN = "{name} already has an open episode: there is nothing to re-refer."
NEVER_HELD = "Only a person your team held before can be re-referred to it."
DIED = "{name} died: a re-referral cannot be made."
REREFERRAL_BEFORE_END = "The re-referral cannot be before the last episode ended ({date})."
KEY_WORKER_NOT_ON_TEAM = "The key worker must be on your team."


def duplicate_number_problem(by: StaffMember, nhs_number: str) -> str | None:
    """What to tell a member of staff registering an NHS number that is already registered:
    open their record, re-refer them, or (another team's person) only that it is registered.
    None if the number is new."""
    known = known_number(by, nhs_number)
    if known is None:
        return None
    name = known.person.display_name if known.person is not None else ""
    return {
        KnownNumber.OPEN_HERE: DUPLICATE_OPEN_HERE,
        KnownNumber.FORMER_HERE: DUPLICATE_FORMER_HERE,
        KnownNumber.NOW_ELSEWHERE: DUPLICATE_NOW_ELSEWHERE,
        KnownNumber.ELSEWHERE: DUPLICATE_ELSEWHERE,
    }[known.relation].format(name=name, team=known.team_name)


def _ended_on(episode: Episode) -> date | None:
    if episode.discharged_date is not None:
        return episode.discharged_date
    closing = episode.transitions.order_by("-date", "-id").first()
    return closing.date if closing is not None else episode.referral_date


@transaction.atomic
def episode_rerefer(
    *, person: Person, by: StaffMember, request, referral_date: date, referral_source: str,
    key_worker: StaffMember | None = None, note: str = "",
) -> Episode:
    """Re-refer someone the team held before: a new episode (referred, then accepted or
    declined as any referral) on the same person, so their history, relapse signature, risk
    formulation, carers and plans (all kept per person) come with them, for review. Refused
    while they have an open episode anywhere, if the team never held them, if they died, or
    dated before their last episode with the team ended."""
    from outreach.records.models import ReferralSource

    errors: dict[str, list[str]] = {}
    # Locks the person's row, so that two re-referrals at once open one episode.
    person = Person.objects.select_for_update().get(pk=person.pk)
    ours = person.episodes.filter(team_id=by.team_id).order_by("-referral_date", "-id")
    last = ours.first()
    if person.episodes.filter(status__in=OPEN_STATUSES).exists():
        errors["person"] = [ALREADY_OPEN.format(name=person.display_name)]
    elif last is None:
        errors["person"] = [NEVER_HELD]
    elif DischargeDecision.objects.filter(episode__person=person,
                                          reason=discharge_rules.DischargeReason.DIED).exists():
        errors["person"] = [DIED.format(name=person.display_name)]
    _not_future(errors, "referral_date", referral_date)
    ended = _ended_on(last) if last is not None else None
    if ended is not None and referral_date < ended:
        errors.setdefault("referral_date", []).append(
            REREFERRAL_BEFORE_END.format(date=f"{ended:%-d %B %Y}"))
    key_worker = key_worker or by
    if key_worker.team_id != by.team_id:
        errors["key_worker"] = [KEY_WORKER_NOT_ON_TEAM]
    if referral_source not in ReferralSource.values:
        errors["referral_source"] = [f"Choose one of: {', '.join(ReferralSource.values)}"]
    if errors:
        raise ValidationFailed(errors)
    episode = Episode.objects.create(
        person=person, team_id=by.team_id, referral_date=referral_date,
        referral_source=referral_source, status=EpisodeStatus.REFERRED,
    )
    KeyWorkerAssignment.objects.create(
        episode=episode, staff=key_worker, start=referral_date, recorded_by=by)
    Transition.objects.create(
        episode=episode, kind=TransitionKind.RE_REFERRED, date=referral_date,
        status_after=EpisodeStatus.REFERRED, recorded_by=by,
        note=(f"Re-referred; the last episode with the team ended {ended:%-d %B %Y}. "
              f"{note.strip()}").strip(),
    )
    audit_record(request=request, person_id=person.pk, action=AuditAction.CREATE,
                 what=f"re-referred: new episode from {referral_date.isoformat()}")
    return episode
