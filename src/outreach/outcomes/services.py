"""Writes of the outcomes app: history entered for a person (hospital stays and crisis
episodes, including those before acceptance) and their employment status. One transaction
each, attributed to the member of staff, audited explicitly, refused with field errors
(records.services.ValidationFailed). Nothing is deleted (clinical Entry)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.outcomes.models import (
    CrisisEpisode,
    CrisisKind,
    EmploymentRecord,
    EmploymentStatus,
    HospitalSpell,
)
from outreach.records.models import OPEN_STATUSES, Person
from outreach.records.selectors import today
from outreach.records.services import ValidationFailed
from outreach.teams.models import StaffMember

ENTER_ADMITTED = "Enter the date of admission."
ENTER_START = "Enter the date the crisis episode began."
ENTER_ASSESSED = "Enter the date of the assessment."
IN_FUTURE = "The date cannot be in the future."
ENDS_BEFORE = "The end cannot be before the start."
CHOOSE_KIND = "Choose the kind of crisis service."
CHOOSE_STATUS = "Choose the employment status."
NOT_AFTER_BIRTH = "The date cannot be before the person was born."


def _episode(person: Person):
    return (person.episodes.filter(status__in=OPEN_STATUSES).order_by("-referral_date", "-id")
            .first() or person.episodes.order_by("-referral_date", "-id").first())


def _dates(errors: dict, person: Person, start: date | None, end: date | None,
           start_name: str, end_name: str, enter: str) -> None:
    now = today()
    if start is None:
        errors[start_name] = [enter]
    elif start > now:
        errors[start_name] = [IN_FUTURE]
    elif start < person.date_of_birth:
        errors[start_name] = [NOT_AFTER_BIRTH]
    if end is not None:
        if end > now:
            errors[end_name] = [IN_FUTURE]
        elif start is not None and end < start:
            errors[end_name] = [ENDS_BEFORE]


@transaction.atomic
def hospital_spell_record(*, person: Person, by: StaffMember, request, admitted_on: date | None,
                          discharged_on: date | None, detained: bool,
                          hospital: str = "") -> HospitalSpell:
    errors: dict[str, list[str]] = {}
    _dates(errors, person, admitted_on, discharged_on, "admitted_on", "discharged_on",
           ENTER_ADMITTED)
    if errors:
        raise ValidationFailed(errors)
    spell = HospitalSpell.objects.create(
        person=person, episode=_episode(person), recorded_by=by, admitted_on=admitted_on,
        discharged_on=discharged_on, detained=detained, hospital=hospital.strip()[:200])
    audit_record(request=request, person_id=person.pk, action=AuditAction.CREATE,
                 what="hospital stay recorded (outcomes history)")
    return spell


@transaction.atomic
def crisis_episode_record(*, person: Person, by: StaffMember, request, kind: str,
                          start: date | None, end: date | None) -> CrisisEpisode:
    errors: dict[str, list[str]] = {}
    if kind not in CrisisKind.values:
        errors["kind"] = [CHOOSE_KIND]
    _dates(errors, person, start, end, "start", "end", ENTER_START)
    if errors:
        raise ValidationFailed(errors)
    episode = CrisisEpisode.objects.create(person=person, episode=_episode(person),
                                           recorded_by=by, kind=kind, start=start, end=end)
    audit_record(request=request, person_id=person.pk, action=AuditAction.CREATE,
                 what="crisis episode recorded (outcomes history)")
    return episode


@transaction.atomic
def employment_record(*, person: Person, by: StaffMember, request, assessed_on: date | None,
                      status: str) -> EmploymentRecord:
    errors: dict[str, list[str]] = {}
    if status not in EmploymentStatus.values:
        errors["status"] = [CHOOSE_STATUS]
    _dates(errors, person, assessed_on, None, "assessed_on", "", ENTER_ASSESSED)
    if errors:
        raise ValidationFailed(errors)
    row = EmploymentRecord.objects.create(person=person, episode=_episode(person),
                                          recorded_by=by, assessed_on=assessed_on,
                                          status=status)
    audit_record(request=request, person_id=person.pk, action=AuditAction.CREATE,
                 what="employment status recorded")
    return row
