"""Writes for handover and MDT: open the day's meeting, mark an item discussed with any
decision, raise actions and mark them done. Audited where they touch a person."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.meetings.models import Action, ItemNote, Meeting
from outreach.records.models import Person
from outreach.records.services import StaleEdit, ValidationFailed
from outreach.teams.models import StaffMember

DESCRIPTION_REQUIRED = "Say what needs to be done."
OWNER_ON_TEAM = "Choose someone on the team to own the action."
DUE_IN_PAST = "The due date cannot be in the past."


def meeting_open(*, team, kind: str, on: date, by: StaffMember) -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        team=team, kind=kind, date=on, defaults={"opened_by": by}
    )
    return meeting


@transaction.atomic
def item_note(*, meeting: Meeting, item_key: str, person: Person | None, by: StaffMember,
              request, decision: str = "") -> ItemNote:
    note, _ = ItemNote.objects.update_or_create(
        meeting=meeting, item_key=item_key,
        defaults={"person": person, "discussed": True, "decision": decision.strip(),
                  "recorded_by": by},
    )
    if person is not None:
        audit_record(request=request, person_id=person.pk, action=AuditAction.UPDATE,
                     what=f"{meeting.kind} {meeting.date}: discussed {item_key}"[:200])
    return note


def action_create(*, team, by: StaffMember, request, description: str, owner_id: int | None,
                  due: date | None, person: Person | None = None, meeting: Meeting | None = None,
                  item_key: str = "", submission_key: str | None = None) -> Action:
    """Raise an action. A repeat submission of the same form returns the first action."""
    if submission_key:
        existing = Action.objects.filter(submission_key=submission_key, team=team).first()
        if existing is not None:
            return existing
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = [DESCRIPTION_REQUIRED]
    owner = team.staff.filter(pk=owner_id).first() if owner_id else None
    if owner is None:
        errors["owner"] = [OWNER_ON_TEAM]
    if due is None:
        errors["due"] = ["Enter the date it is due."]
    elif due < timezone.localdate():
        errors["due"] = [DUE_IN_PAST]
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            action = Action.objects.create(
                team=team, person=person, description=description.strip(), owner=owner,
                due=due, meeting=meeting, item_key=item_key, created_by=by,
                submission_key=submission_key or None,
            )
            if person is not None:
                audit_record(request=request, person_id=person.pk, action=AuditAction.CREATE,
                             what=f"action for {owner.name} due {due}")
    except IntegrityError:
        # Two identical submissions raced: the other one won; return it.
        return Action.objects.get(submission_key=submission_key)
    return action


@transaction.atomic
def action_done(*, action: Action, by: StaffMember, request, expected_version: int) -> Action:
    updated = Action.objects.filter(pk=action.pk, version=expected_version).update(
        version=F("version") + 1, done_on=timezone.localdate(), done_by=by
    )
    if updated != 1:
        raise StaleEdit()
    if action.person_id:
        audit_record(request=request, person_id=action.person_id, action=AuditAction.UPDATE,
                     what="action done")
    action.refresh_from_db()
    return action
