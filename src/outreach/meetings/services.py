"""Writes for handover and MDT: open the day's meeting, mark an item discussed with any
decision, raise actions and mark them done. Audited where they touch a person."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.core import limits
from outreach.meetings.models import Action, ItemNote, Meeting, MeetingKind, Outcome
from outreach.records.models import Person
from outreach.records.services import StaleEdit, ValidationFailed
from outreach.teams.models import StaffMember

DESCRIPTION_REQUIRED = "Say what needs to be done."
OWNER_ON_TEAM = "Choose someone on the team to own the action."
DUE_IN_PAST = "The due date cannot be in the past."
DECISION_REQUIRED = "Enter the MDT's decision"
CHOOSE_OUTCOME = "Choose what the MDT decided"
OUTCOME_NEEDS_PERSON = "This decision needs a person on the team's caseload."

# What an MDT decision on each kind of agenda item can do (the item key's prefix). A referral
# is accepted or not, a proposal decided: each on its own form, opened at once. Discharge may
# be proposed from the items where ending care is weighed (the annual review, an overdue
# review); never from an engagement or red-flag item, where the guard would refuse it.
OUTCOMES_FOR = {
    "referral": (Outcome.ACCEPT, Outcome.DECLINE, Outcome.RECORD),
    "proposal": (Outcome.DECIDE_PROPOSAL, Outcome.RECORD),
    "annual": (Outcome.RECORD, Outcome.PROPOSE_DISCHARGE),
    "review": (Outcome.RECORD, Outcome.PROPOSE_DISCHARGE),
}
STEP_OUTCOMES = (Outcome.ACCEPT, Outcome.DECLINE, Outcome.DECIDE_PROPOSAL,
                 Outcome.PROPOSE_DISCHARGE)


def outcomes_for(item_key: str) -> tuple[str, ...]:
    return OUTCOMES_FOR.get(item_key.split(":")[0], (Outcome.RECORD,))


def meeting_open(*, team, kind: str, on: date, by: StaffMember) -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        team=team, kind=kind, date=on, defaults={"opened_by": by}
    )
    return meeting


def item_note_problems(*, kind: str, item_key: str, person: Person | None, decision: str,
                       outcome: str) -> dict[str, list[str]]:
    """An MDT decision is never empty, and a referral or proposal item says what was decided
    (accept, decline, decide the proposal...); a handover item may just be marked discussed."""
    errors: dict[str, list[str]] = {}
    decision = decision.strip()
    if kind == MeetingKind.MDT:
        if not decision:
            errors["decision"] = [DECISION_REQUIRED]
        choices = outcomes_for(item_key)
        if len(choices) > 1 and outcome not in choices:
            errors["outcome"] = [CHOOSE_OUTCOME]
        if outcome in STEP_OUTCOMES and person is None:
            errors.setdefault("outcome", []).append(OUTCOME_NEEDS_PERSON)
    if problems := limits.text_problems(decision, limits.MDT_DECISION, "Decision"):
        errors.setdefault("decision", []).extend(problems)
    return errors


@transaction.atomic
def item_note(*, team, kind: str, on: date, item_key: str, person: Person | None,
              by: StaffMember, request, decision: str = "", outcome: str = "") -> ItemNote:
    """Mark an item discussed with the decision. Refused (ValidationFailed) before anything is
    stored: an empty MDT decision marks nothing discussed."""
    if errors := item_note_problems(kind=kind, item_key=item_key, person=person,
                                    decision=decision, outcome=outcome):
        raise ValidationFailed(errors)
    if kind == MeetingKind.MDT and len(outcomes_for(item_key)) == 1:
        outcome = Outcome.RECORD
    meeting = meeting_open(team=team, kind=kind, on=on, by=by)
    note, _ = ItemNote.objects.update_or_create(
        meeting=meeting, item_key=item_key,
        defaults={"person": person, "discussed": True, "decision": decision.strip(),
                  "outcome": outcome if kind == MeetingKind.MDT else "", "recorded_by": by},
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
    if problems := limits.text_problems(description, limits.ACTION, "Action"):
        errors["description"] = problems
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


def carried_decision(*, team, person: Person, note_id: str | None, outcome: str) -> str:
    """The words of an MDT decision that opened a step (accept, decline, propose), to carry
    onto its form; "" when there is none for this person and team."""
    if not note_id or not str(note_id).isdigit():
        return ""
    note = ItemNote.objects.filter(pk=int(note_id), meeting__team=team, person=person,
                                   outcome=outcome).first()
    return note.decision if note else ""


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
