"""Writes to a person's record. Each is one transaction, attributed to a member of staff,
audited explicitly, and checked against the rules in outreach.core.

Errors are exceptions carrying field-level messages so that forms and the API can show them
next to the field: ValidationFailed, StaleEdit, DischargeRefused.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.core import discharge as discharge_rules
from outreach.core import eligibility, limits
from outreach.core.nhs_number import InvalidNHSNumber
from outreach.core.nhs_number import validate as validate_nhs_number
from outreach.records.models import (
    Amendment,
    Carer,
    Contact,
    ContactMode,
    ContactOutcome,
    ContactPlace,
    ContactWith,
    CoverAssignment,
    CoverReason,
    Episode,
    EpisodeStatus,
    KeyWorkerAssignment,
    Person,
    PlannedVisit,
        Transition,
    TransitionKind,
    VisitStatus,
)
from outreach.teams.models import StaffMember

STALE_EDIT = (
    "This record was changed by someone else after you opened it. "
    "Your changes have not been saved: reload it, check their changes, and try again."
)
NOT_OPEN = "This person has no open episode with the team."
REASON_REQUIRED = "Say why you are correcting this entry."
FUTURE_DATE = "The date cannot be in the future."


class ValidationFailed(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


class StaleEdit(Exception):
    message = STALE_EDIT


@dataclass
class DischargeRefused(Exception):
    problems: dict[str, list[str]] = field(default_factory=dict)


def _errors(**pairs: str) -> dict[str, list[str]]:
    return {k: [v] for k, v in pairs.items() if v}


def _add(errors: dict, name: str, problems: list[str]) -> None:
    for message in problems:
        errors.setdefault(name, []).append(message)


# Free text of a person's record: the limit of each field and its name in a message.
PERSON_TEXT = {
    "given_name": (limits.NAME, "Given name"), "family_name": (limits.NAME, "Family name"),
    "preferred_name": (limits.NAME, "Preferred name"), "address": (limits.ADDRESS, "Address"),
    "postcode": (limits.POSTCODE, "Postcode"), "phone": (limits.PHONE, "Phone number"),
    "language": (limits.LANGUAGE, "Language"),
    "preferred_places": (limits.PERSON_DETAIL, "Preferred places"),
    "accessibility_needs": (limits.PERSON_DETAIL, "Accessibility needs"),
}
CONTACT_TEXT = {"note": (limits.CONTACT_NOTE, "Note")}
DECISION_TEXT = {
    "rationale": (limits.DECISION_RECORD, "Why the person is being discharged"),
    "relapse_indicators": (limits.DECISION_RECORD, "Their relapse indicators"),
    "known_risks": (limits.DECISION_RECORD, "Known risks"),
    "route_back_in": (limits.DECISION_RECORD, "How they get back to the team"),
}


def text_errors(spec: dict[str, tuple[int, str]], values: dict) -> dict[str, list[str]]:
    """Each named text over its limit (core.limits), as field errors."""
    errors: dict[str, list[str]] = {}
    for name, (limit, label) in spec.items():
        _add(errors, name, limits.text_problems(values.get(name), limit, label))
    return errors


def visit_ahead_weeks() -> int:
    from django.conf import settings

    return getattr(settings, "OUTREACH_VISIT_AHEAD_WEEKS", limits.VISIT_AHEAD_WEEKS)


def _check_choice(errors: dict, name: str, value: str, choices) -> None:
    if value not in choices.values:
        errors.setdefault(name, []).append(f"Choose one of: {', '.join(choices.values)}")


def _bump_version(model: type[Model], pk: int, expected_version: int) -> None:
    """Compare-and-swap on the version column: refuses an edit based on a stale read."""
    updated = model.objects.filter(pk=pk, version=expected_version).update(
        version=F("version") + 1
    )
    if updated != 1:
        raise StaleEdit()


@transaction.atomic
def person_create(
    *, by: StaffMember, request, nhs_number: str, given_name: str, family_name: str,
    date_of_birth: date, referral_date: date, referral_source: str,
    key_worker: StaffMember | None = None, **details,
) -> Person:
    """Register a person and open a referral episode with the creator's team; the key worker
    defaults to the creator, because an open episode is never without one."""
    errors: dict[str, list[str]] = {}
    try:
        nhs_number = validate_nhs_number(nhs_number)
    except InvalidNHSNumber as exc:
        errors["nhs_number"] = [str(exc)]
    else:
        # Never a second record: the message says whether to open, re-refer, or (another
        # team's person, nothing more shown) contact the team that holds them.
        from outreach.records.services_episode import duplicate_number_problem

        if problem := duplicate_number_problem(by, nhs_number):
            errors["nhs_number"] = [problem]
    if not given_name.strip():
        errors["given_name"] = ["Enter the person's given name."]
    if not family_name.strip():
        errors["family_name"] = ["Enter the person's family name."]
    if date_of_birth > timezone.localdate():
        errors["date_of_birth"] = [FUTURE_DATE]
    if referral_date > timezone.localdate():
        errors["referral_date"] = [FUTURE_DATE]
    _add(errors, "date_of_birth", limits.birth_problems(
        date_of_birth, today=timezone.localdate(), referred=referral_date))
    _add(errors, "referral_date", limits.date_problems(referral_date))
    for name, problems in text_errors(PERSON_TEXT, {
            "given_name": given_name, "family_name": family_name, **details}).items():
        _add(errors, name, problems)
    key_worker = key_worker or by
    if key_worker.team_id != by.team_id:
        errors["key_worker"] = ["The key worker must be on your team."]
    from outreach.records.models import ReferralSource

    _check_choice(errors, "referral_source", referral_source, ReferralSource)
    if errors:
        raise ValidationFailed(errors)
    person = Person.objects.create(
        nhs_number=nhs_number, given_name=given_name.strip(), family_name=family_name.strip(),
        date_of_birth=date_of_birth, **details,
    )
    episode = Episode.objects.create(
        person=person, team_id=by.team_id, referral_date=referral_date,
        referral_source=referral_source, status=EpisodeStatus.REFERRED,
    )
    KeyWorkerAssignment.objects.create(
        episode=episode, staff=key_worker, start=referral_date, recorded_by=by
    )
    audit_record(request=request, person_id=person.pk, action=AuditAction.CREATE,
                 what="registered and referred")
    return person


@transaction.atomic
def person_amend(
    *, person: Person, by: StaffMember, request, expected_version: int, reason: str,
    changes: dict,
) -> Person:
    """Correct demographic details; the old values are kept in an Amendment."""
    if not reason.strip():
        raise ValidationFailed(_errors(reason=REASON_REQUIRED))
    if "nhs_number" in changes:
        try:
            changes["nhs_number"] = validate_nhs_number(changes["nhs_number"])
        except InvalidNHSNumber as exc:
            raise ValidationFailed(_errors(nhs_number=str(exc))) from exc
    errors = text_errors(PERSON_TEXT, changes)
    if "date_of_birth" in changes:
        born = changes["date_of_birth"]
        if born > timezone.localdate():
            errors["date_of_birth"] = [FUTURE_DATE]
        _add(errors, "date_of_birth", limits.birth_problems(born, today=timezone.localdate()))
    for name in ("given_name", "family_name"):
        if name in changes and not str(changes[name] or "").strip():
            errors.setdefault(name, []).append("Enter the person's " + name.replace("_", " "))
    if errors:
        raise ValidationFailed(errors)
    _bump_version(Person, person.pk, expected_version)
    person.refresh_from_db()
    _apply_amendment(person, person, changes, reason, by)
    audit_record(request=request, person_id=person.pk, action=AuditAction.AMEND,
                 what=f"amended person: {', '.join(sorted(changes))}")
    return person


def _apply_amendment(person: Person, obj: Model, changes: dict, reason: str,
                     by: StaffMember) -> None:
    diff = {}
    for name, new in changes.items():
        old = getattr(obj, name)
        if old != new:
            diff[name] = [_jsonable(old), _jsonable(new)]
            setattr(obj, name, new)
    obj.save(update_fields=[*changes, "version"] if changes else ["version"])
    Amendment.objects.create(
        person=person, entity=obj._meta.model_name, entity_id=obj.pk, changes=diff,
        reason=reason.strip(), amended_by=by,
    )


def _jsonable(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def contact_log(
    *, person: Person, episode: Episode | None, by: StaffMember, request, date: date,
    outcome: str, mode: str = ContactMode.FACE_TO_FACE, place: str = ContactPlace.HOME,
    with_whom: str = ContactWith.PERSON, staff: StaffMember | None = None,
    second_staff: StaffMember | None = None, time=None, duration_minutes: int | None = None,
    note: str = "", submission_key: str | None = None, planned_visit=None,
) -> Contact:
    """Log a contact. With a submission_key, a repeat of the same form returns the contact
    already logged instead of a duplicate; a planned visit becomes done."""
    if submission_key:
        existing = Contact.objects.filter(submission_key=submission_key, person=person).first()
        if existing is not None:
            return existing
    errors: dict[str, list[str]] = {}
    if episode is None:
        errors["person"] = [NOT_OPEN]
    if date > timezone.localdate():
        errors["date"] = [FUTURE_DATE]
    _add(errors, "date", limits.event_problems(
        date, born=person.date_of_birth, referred=episode and episode.referral_date))
    errors |= text_errors(CONTACT_TEXT, {"note": note})
    _check_choice(errors, "outcome", outcome, ContactOutcome)
    _check_choice(errors, "mode", mode, ContactMode)
    _check_choice(errors, "place", place, ContactPlace)
    _check_choice(errors, "with_whom", with_whom, ContactWith)
    staff = staff or by
    if second_staff is not None and second_staff.pk == staff.pk:
        errors["second_staff"] = ["The second worker must be someone else."]
    if errors:
        raise ValidationFailed(errors)
    contact = Contact.objects.create(
        person=person, episode=episode, date=date, time=time, staff=staff,
        second_staff=second_staff, with_whom=with_whom, mode=mode, place=place,
        outcome=outcome, duration_minutes=duration_minutes, note=note, recorded_by=by,
        submission_key=submission_key or None,
    )
    if planned_visit is not None:
        PlannedVisit.objects.filter(pk=planned_visit.pk, person=person).update(
            status=VisitStatus.DONE, contact=contact
        )
    if (
        episode.first_intervention_date is None
        and episode.accepted_date is not None
        and contact.successful
    ):
        Episode.objects.filter(pk=episode.pk).update(first_intervention_date=date)
    audit_record(request=request, person_id=person.pk, action=AuditAction.CREATE,
                 what=f"contact logged: {outcome}")
    return contact


@transaction.atomic
def contact_amend(
    *, contact: Contact, by: StaffMember, request, expected_version: int, reason: str,
    changes: dict,
) -> Contact:
    if not reason.strip():
        raise ValidationFailed(_errors(reason=REASON_REQUIRED))
    errors = text_errors({**CONTACT_TEXT, "reason": (limits.REASON, "Reason")},
                         {**changes, "reason": reason})
    if "date" in changes:
        if changes["date"] > timezone.localdate():
            errors["date"] = [FUTURE_DATE]
        _add(errors, "date", limits.event_problems(
            changes["date"], born=contact.person.date_of_birth,
            referred=contact.episode.referral_date))
    if errors:
        raise ValidationFailed(errors)
    _bump_version(Contact, contact.pk, expected_version)
    contact.refresh_from_db()
    _apply_amendment(contact.person, contact, changes, reason, by)
    audit_record(request=request, person_id=contact.person_id, action=AuditAction.AMEND,
                 what=f"amended contact {contact.pk}: {', '.join(sorted(changes))}")
    return contact


STATUS_AFTER = {
    TransitionKind.STEP_UP_CRISIS: EpisodeStatus.STEPPED_UP,
    TransitionKind.STEP_UP_ACUTE: EpisodeStatus.STEPPED_UP,
    TransitionKind.STEP_UP_FORENSIC: EpisodeStatus.STEPPED_UP,
    TransitionKind.STEP_UP_REHAB: EpisodeStatus.STEPPED_UP,
    TransitionKind.STEPPED_DOWN: EpisodeStatus.ACCEPTED,
    TransitionKind.ADMITTED: EpisodeStatus.INPATIENT,
    TransitionKind.LEFT_HOSPITAL: EpisodeStatus.ACCEPTED,
}


@transaction.atomic
def episode_accept(
    *, episode: Episode, by: StaffMember, request, expected_version: int, assessment_date: date,
    accepted_date: date, criteria: list[str], other_reason: str = "",
) -> Episode:
    check = eligibility.check_acceptance(set(criteria), other_reason)
    if not check.allowed:
        raise ValidationFailed({"criteria": list(check.problems)})
    if accepted_date < assessment_date:
        raise ValidationFailed(_errors(accepted_date="Acceptance cannot be before assessment."))
    errors = text_errors({"other_reason": (limits.REASON, "The team's reason")},
                         {"other_reason": other_reason})
    _add(errors, "assessment_date", limits.event_problems(
        assessment_date, born=None, referred=episode.referral_date))
    if errors:
        raise ValidationFailed(errors)
    _bump_version(Episode, episode.pk, expected_version)
    Episode.objects.filter(pk=episode.pk).update(
        assessment_date=assessment_date, accepted_date=accepted_date, criteria=sorted(criteria),
        status=EpisodeStatus.ACCEPTED,
    )
    Transition.objects.create(
        episode=episode, kind=TransitionKind.ACCEPTED, date=accepted_date,
        status_after=EpisodeStatus.ACCEPTED, note=other_reason, recorded_by=by,
    )
    audit_record(request=request, person_id=episode.person_id, action=AuditAction.UPDATE,
                 what="accepted onto the caseload")
    episode.refresh_from_db()
    return episode


@transaction.atomic
def episode_transition(
    *, episode: Episode, by: StaffMember, request, expected_version: int, kind: str, on: date,
    note: str = "",
) -> Episode:
    """Step up or down, admission and leaving hospital. Leaving the team goes through
    episode_discharge, which needs a decision record."""
    if kind not in STATUS_AFTER:
        raise ValidationFailed(_errors(kind="Use discharge for leaving the team."))
    if not episode.is_open or episode.status == EpisodeStatus.REFERRED:
        raise ValidationFailed(_errors(kind="Only an accepted episode can change like this."))
    errors = text_errors({"note": (limits.CONTACT_NOTE, "Note")}, {"note": note})
    _add(errors, "on", limits.event_problems(on, born=None, referred=episode.referral_date))
    if errors:
        raise ValidationFailed(errors)
    status = STATUS_AFTER[TransitionKind(kind)]
    _bump_version(Episode, episode.pk, expected_version)
    Episode.objects.filter(pk=episode.pk).update(status=status)
    Transition.objects.create(
        episode=episode, kind=kind, date=on, status_after=status, note=note, recorded_by=by
    )
    audit_record(request=request, person_id=episode.person_id, action=AuditAction.UPDATE,
                 what=f"transition: {kind}")
    episode.refresh_from_db()
    return episode


DISCHARGE_KINDS = {
    discharge_rules.DischargeReason.STEP_DOWN: TransitionKind.STEP_DOWN_CMHT,
    discharge_rules.DischargeReason.TRANSFER_OUT: TransitionKind.TRANSFER_OUT,
}


@transaction.atomic
def key_worker_assign(
    *, episode: Episode, staff: StaffMember, by: StaffMember, request, start: date
) -> KeyWorkerAssignment:
    """Hand the person to a new key worker; the old assignment ends the day before (or on
    its first day, for a same-day correction), so there is always exactly one current."""
    if staff.team_id != episode.team_id or not staff.is_clinical:
        raise ValidationFailed(_errors(staff="The key worker must be a clinician on the team."))
    current = KeyWorkerAssignment.objects.select_for_update().filter(
        episode=episode, end__isnull=True
    )
    for old in current:
        if old.staff_id == staff.pk:
            return old
        old.end = max(old.start, start - timedelta(days=1))
        old.save(update_fields=["end"])
    assignment = KeyWorkerAssignment.objects.create(
        episode=episode, staff=staff, start=start, recorded_by=by
    )
    audit_record(request=request, person_id=episode.person_id, action=AuditAction.UPDATE,
                 what=f"key worker now {staff.name}")
    return assignment


@transaction.atomic
def cover_assign(
    *, episode: Episode, staff: StaffMember, by: StaffMember, request, start: date, end: date,
    reason: str = CoverReason.LEAVE,
) -> CoverAssignment:
    errors: dict[str, list[str]] = {}
    if end < start:
        errors["end"] = ["The cover must end on or after the day it starts."]
    if staff.team_id != episode.team_id or not staff.is_clinical:
        errors["staff"] = ["Cover must be a clinician on the team."]
    key_worker = episode.key_workers.filter(end__isnull=True).first()
    if key_worker is not None and key_worker.staff_id == staff.pk:
        errors["staff"] = ["The key worker cannot cover for themselves."]
    _check_choice(errors, "reason", reason, CoverReason)
    if errors:
        raise ValidationFailed(errors)
    cover = CoverAssignment.objects.create(
        episode=episode, staff=staff, start=start, end=end, reason=reason, recorded_by=by
    )
    audit_record(request=request, person_id=episode.person_id, action=AuditAction.UPDATE,
                 what=f"cover by {staff.name} {start}..{end}")
    return cover


@transaction.atomic
def carer_add(*, person: Person, by: StaffMember, request, name: str, relationship: str,
              phone: str = "", consent_to_share: bool = False, may_be_told: str = "",
              is_main_carer: bool = False) -> Carer:
    errors = _errors(
        name="" if name.strip() else "Enter the carer's name.",
        relationship="" if relationship.strip() else "Say how they are related to the person.",
    ) | text_errors({
        "name": (limits.NAME, "Name"), "relationship": (limits.SHORT_LABEL, "Relationship"),
        "phone": (limits.PHONE, "Phone number"),
        "may_be_told": (limits.PERSON_DETAIL, "What they may be told"),
    }, {"name": name, "relationship": relationship, "phone": phone, "may_be_told": may_be_told})
    if errors:
        raise ValidationFailed(errors)
    carer = Carer.objects.create(
        person=person, name=name.strip(), relationship=relationship.strip(), phone=phone,
        consent_to_share=consent_to_share, may_be_told=may_be_told, is_main_carer=is_main_carer,
    )
    audit_record(request=request, person_id=person.pk, action=AuditAction.CREATE,
                 what="carer added")
    return carer


@transaction.atomic
def visit_plan(*, person: Person, episode: Episode | None, by: StaffMember, request,
               staff: StaffMember, date: date, place: str, time=None, purpose: str = "",
               second_staff: StaffMember | None = None,
               submission_key: str | None = None) -> PlannedVisit:
    if submission_key:
        existing = PlannedVisit.objects.filter(submission_key=submission_key,
                                               person=person).first()
        if existing is not None:
            return existing
    errors: dict[str, list[str]] = {}
    if episode is None:
        errors["person"] = [NOT_OPEN]
    if date < timezone.localdate():
        errors["date"] = ["A visit cannot be planned in the past. Log a contact instead."]
    _add(errors, "date", limits.visit_problems(date, today=timezone.localdate(),
                                                ahead_weeks=visit_ahead_weeks()))
    _add(errors, "date", limits.event_problems(
        date, born=person.date_of_birth, referred=episode and episode.referral_date))
    _add(errors, "staff", limits.worker_away_problems(
        date, name=staff.name, absences=_absences(staff, date)))
    if second_staff is not None:
        _add(errors, "second_staff", limits.worker_away_problems(
            date, name=second_staff.name, absences=_absences(second_staff, date)))
    _add(errors, "purpose", limits.text_problems(purpose, limits.SHORT_LABEL, "Purpose"))
    _check_choice(errors, "place", place, ContactPlace)
    if errors:
        raise ValidationFailed(errors)
    visit = PlannedVisit.objects.create(
        person=person, episode=episode, staff=staff, second_staff=second_staff, date=date,
        time=time, place=place, purpose=purpose.strip(), recorded_by=by,
        submission_key=submission_key or None,
    )
    audit_record(request=request, person_id=person.pk, action=AuditAction.CREATE,
                 what=f"visit planned {date} with {staff.name}")
    return visit


def _absences(staff: StaffMember, on: date) -> list[limits.Away]:
    return [limits.Away(a.start, a.end, a.get_kind_display())
            for a in staff.absences.filter(start__lte=on, end__gte=on)]
