"""Reads of reminders, always through the signed-in user's scope (records.selectors): a
reminder for someone who is not on the user's caseload is simply not found."""

from django.db.models import QuerySet

from outreach.records import selectors as records
from outreach.reminders.models import Reminder, Status

OUTBOX_STATUSES = (Status.QUEUED, Status.FAILED)


def reminders_for(user) -> QuerySet[Reminder]:
    return Reminder.objects.filter(person__in=records.people_for(user))


def outbox_for(user) -> list[Reminder]:
    """Waiting and failed reminders and phone calls to make, for the user's people, with
    everything a row shows (including the current number and carer consent) in one query."""
    return list(
        reminders_for(user).filter(status__in=OUTBOX_STATUSES)
        .select_related("person", "carer", "planned_visit", "planned_visit__staff",
                        "created_by")
        .order_by("planned_visit__date", "planned_visit__time", "created_at", "id")
    )


def reminder_for(user, reminder_id: int) -> Reminder | None:
    return reminders_for(user).filter(pk=reminder_id).first()
