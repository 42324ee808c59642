"""Writes to the skills matrix: record, amend (with history; stale edits refused) and
withdraw training. Keyword-only, one transaction, attributed to a member of staff. Training
records are about staff, not about a person's record, so they are not in the audit log; the
amendments are their history."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from outreach.core.skills import EXPIRES_BEFORE_COMPLETED, default_expiry
from outreach.records.selectors import today
from outreach.records.services import StaleEdit, ValidationFailed, _bump_version
from outreach.skills.models import Competency, TrainingAmendment, TrainingRecord
from outreach.teams.models import Role, StaffMember

NOT_YOUR_TEAM = "Choose someone on your team"
ONLY_MANAGERS = "Only the team manager records training"
COMPLETED_IN_FUTURE = "The completion date cannot be in the future"
REASON_NEEDED = "Say why the record is being changed"
NOTHING_CHANGED = "Nothing was changed"
ALREADY_WITHDRAWN = "This record has already been withdrawn"

__all__ = ["StaleEdit", "ValidationFailed", "training_record", "training_amend",
           "training_withdraw", "can_manage"]


def can_manage(by: StaffMember, staff: StaffMember) -> bool:
    return (by.is_clinical and by.role == Role.MANAGER and staff.team_id is not None
            and by.team_id == staff.team_id)


def _check_dates(completed_on: date, expires_on: date | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if completed_on > today():
        errors["completed_on"] = [COMPLETED_IN_FUTURE]
    if expires_on is not None and expires_on < completed_on:
        errors["expires_on"] = [EXPIRES_BEFORE_COMPLETED]
    return errors


@transaction.atomic
def training_record(*, staff: StaffMember, competency: Competency, completed_on: date,
                    expires_on: date | None = None, provider: str = "",
                    by: StaffMember) -> TrainingRecord:
    """Record training; with no expiry date given, the competency's renewal period sets
    it."""
    if not can_manage(by, staff):
        raise ValidationFailed({"staff": [ONLY_MANAGERS if by.role != Role.MANAGER
                                          else NOT_YOUR_TEAM]})
    if expires_on is None:
        expires_on = default_expiry(completed_on, competency.renewal_months)
    errors = _check_dates(completed_on, expires_on)
    if errors:
        raise ValidationFailed(errors)
    return TrainingRecord.objects.create(
        staff=staff, competency=competency, completed_on=completed_on, expires_on=expires_on,
        provider=provider.strip(), recorded_by=by)


@transaction.atomic
def training_amend(*, record: TrainingRecord, expected_version: int, by: StaffMember,
                   reason: str, **changes) -> TrainingRecord:
    """Correct completed_on, expires_on or provider; keeps the old values. Refuses an edit
    from a stale read (StaleEdit)."""
    if not can_manage(by, record.staff):
        raise ValidationFailed({"__all__": [ONLY_MANAGERS]})
    allowed = {"completed_on", "expires_on", "provider"}
    changes = {k: v for k, v in changes.items() if k in allowed}
    diff = {k: v for k, v in changes.items() if getattr(record, k) != v}
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [REASON_NEEDED]
    if not diff:
        errors.setdefault("__all__", []).append(NOTHING_CHANGED)
    merged = {"completed_on": record.completed_on, "expires_on": record.expires_on, **diff}
    errors.update(_check_dates(merged["completed_on"], merged["expires_on"]))
    if errors:
        raise ValidationFailed(errors)
    _bump_version(TrainingRecord, record.pk, expected_version)
    TrainingAmendment.objects.create(
        record=record, reason=reason.strip(), amended_by=by,
        changes={k: [_text(getattr(record, k)), _text(v)] for k, v in diff.items()})
    TrainingRecord.objects.filter(pk=record.pk).update(**diff)
    record.refresh_from_db()
    return record


@transaction.atomic
def training_withdraw(*, record: TrainingRecord, expected_version: int, by: StaffMember,
                      reason: str) -> TrainingRecord:
    """Entered in error: kept with the reason, no longer counted."""
    if not can_manage(by, record.staff):
        raise ValidationFailed({"__all__": [ONLY_MANAGERS]})
    if record.withdrawn:
        raise ValidationFailed({"__all__": [ALREADY_WITHDRAWN]})
    if not reason.strip():
        raise ValidationFailed({"reason": [REASON_NEEDED]})
    _bump_version(TrainingRecord, record.pk, expected_version)
    TrainingAmendment.objects.create(record=record, reason=reason.strip(), amended_by=by,
                                     changes={"withdrawn": ["no", "yes"]})
    TrainingRecord.objects.filter(pk=record.pk).update(withdrawn=True,
                                                       withdrawn_reason=reason.strip())
    record.refresh_from_db()
    return record


def _text(value) -> str:
    return value.isoformat() if isinstance(value, date) else "" if value is None else str(value)
