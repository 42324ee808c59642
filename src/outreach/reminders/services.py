"""Making, sending and closing reminders. Each is one transaction, attributed and audited.

The channel comes only from the person's own preferred means of contact; there is no
fallback to another channel. The number or address is copied from the person's record (or
from their main carer who has consent to share) when the reminder is made, and before it is
sent or marked sent it is checked against the current record again (reason_not_to_send):
a number the person no longer gives is never used, and the reminder is marked failed with
the reason.
"""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_by_system, audit_record
from outreach.records.models import Carer, ContactMeans, Person, PlannedVisit, VisitStatus
from outreach.records.services import ValidationFailed
from outreach.reminders import wording
from outreach.reminders.models import Channel, Reminder, Status
from outreach.reminders.senders import Sender
from outreach.teams.models import StaffMember

# The only means of contact a reminder can follow, and the channel each one becomes.
CHANNEL_FOR_MEANS = {
    ContactMeans.TEXT: Channel.TEXT,
    ContactMeans.LETTER: Channel.LETTER,
    ContactMeans.PHONE: Channel.PHONE_CALL,
    ContactMeans.VIA_CARER: Channel.VIA_CARER,
}
PREFERENCE = "preferred_contact_means"
SYSTEM_ACTOR = "send_reminders"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    """What a reminder for a visit would be, before anything is saved."""

    channel: str
    recipient: str
    body: str
    carer: Carer | None = None


def plan_for_visit(visit: PlannedVisit) -> Plan:
    """The reminder this visit would get, following the person's preferred means, or
    ValidationFailed saying (next to the field that is missing) why there can be none."""
    person = visit.person
    name = person.display_name
    if visit.status != VisitStatus.PLANNED:
        raise ValidationFailed({"planned_visit": ["This visit is no longer planned."]})
    if visit.date < timezone.localdate():
        raise ValidationFailed({"planned_visit": ["This visit is in the past."]})
    means = person.preferred_contact_means
    if not means:
        raise ValidationFailed({PREFERENCE: [
            f"No preferred means of contact is recorded for {name}. Ask them how they would "
            "like to be reminded, and record it first."]})
    if means not in CHANNEL_FOR_MEANS:
        raise ValidationFailed({PREFERENCE: [
            f"{name} prefers “{ContactMeans(means).label.lower()}”, which a reminder cannot "
            "follow. Reminders go by text, letter, a worker's phone call or through a carer."]})
    channel = CHANNEL_FOR_MEANS[ContactMeans(means)]
    carer = None
    if channel == Channel.LETTER:
        if not person.address.strip() or not person.postcode.strip():
            raise ValidationFailed({"address": [
                f"{name} prefers letters but no full postal address with a postcode is "
                "recorded. Ask them for it before sending a letter."]})
        recipient = wording.postal_address(person.address, person.postcode)
    elif channel == Channel.VIA_CARER:
        carer = person.carers.filter(is_main_carer=True).order_by("id").first()
        if carer is None:
            raise ValidationFailed({"carer": [
                f"{name} prefers contact through a carer, but no main carer is recorded."]})
        if not carer.consent_to_share:
            raise ValidationFailed({"carer": [
                f"{name} has not agreed to share information with {carer.name}, so a "
                "reminder cannot go through them."]})
        if not carer.phone.strip():
            raise ValidationFailed({"carer": [f"No phone number is recorded for {carer.name}."]})
        if not wording.is_mobile(carer.phone):
            raise ValidationFailed({"carer": [
                f"The number recorded for {carer.name} is not a mobile, so it cannot get a "
                "text. Phone them instead."]})
        recipient = carer.phone.strip()
    else:
        if not person.phone.strip():
            raise ValidationFailed({"phone": [
                f"No phone number is recorded for {name}. Ask them for one before sending a "
                "reminder."]})
        if channel == Channel.TEXT and not wording.is_mobile(person.phone):
            raise ValidationFailed({"phone": [
                f"The number recorded for {name} is not a mobile, so it cannot get a text. "
                "Phone them instead."]})
        recipient = person.phone.strip()
    body = wording.reminder_body(
        on=visit.date, at=visit.time, place=visit.place,
        name_for_carer=name if channel == Channel.VIA_CARER else "",
    )
    return Plan(channel=channel, recipient=recipient, body=body, carer=carer)


@transaction.atomic
def reminder_for_visit(*, visit: PlannedVisit, by: StaffMember, request,
                       submission_key: str | None = None) -> Reminder:
    """Put a reminder for a planned visit in the outbox. The same form submitted twice
    makes one reminder; a second reminder while one is waiting is refused."""
    person = visit.person
    if submission_key:
        existing = Reminder.objects.filter(submission_key=submission_key, person=person).first()
        if existing is not None:
            return existing
    plan = plan_for_visit(visit)
    if Reminder.objects.filter(planned_visit=visit, status=Status.QUEUED).exists():
        raise ValidationFailed({"planned_visit": [
            "A reminder for this visit is already waiting in the outbox."]})
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                person=person, planned_visit=visit, channel=plan.channel,
                recipient=plan.recipient, carer=plan.carer, body=plan.body, created_by=by,
                submission_key=submission_key or None,
            )
    except IntegrityError:
        # The same form raced itself: the other request made the reminder.
        existing = submission_key and Reminder.objects.filter(
            submission_key=submission_key, person=person).first()
        if not existing:
            raise
        return existing
    audit_record(request=request, person_id=person.pk, action=AuditAction.CREATE,
                 what=f"reminder {reminder.pk} queued: {plan.channel} for visit {visit.date}")
    return reminder


def reason_not_to_send(reminder: Reminder, person: Person, carer: Carer | None,
                visit: PlannedVisit | None) -> tuple[str, str] | None:
    """Why this reminder must not go now, as (status, reason), or None if it may.

    Given the person, carer and visit as they are now. The recipient must still be the
    number or address on their record (formatting aside), the person must still prefer this
    means, a carer must still have consent, and the visit must still be as the reminder says.
    """
    channel = reminder.channel
    if visit is not None:
        if visit.status != VisitStatus.PLANNED:
            return Status.CANCELLED, "The visit is no longer planned."
        if visit.date < timezone.localdate():
            return Status.CANCELLED, "The visit date has passed."
    means = person.preferred_contact_means
    if CHANNEL_FOR_MEANS.get(means) != channel:
        return Status.FAILED, (
            "The person's preferred means of contact has changed since this reminder was "
            "made. Make a new reminder if one is still needed.")
    if channel == Channel.LETTER:
        current = wording.postal_address(person.address, person.postcode)
        if wording.address_key(current) != wording.address_key(reminder.recipient):
            return Status.FAILED, (
                "The address on the person's record has changed since this reminder was made, "
                "so it was not sent. Make a new reminder if one is still needed.")
    elif channel == Channel.VIA_CARER:
        if carer is None or carer.person_id != person.pk:
            return Status.FAILED, "The carer is no longer recorded for this person."
        if not carer.consent_to_share:
            return Status.FAILED, (
                "The person no longer agrees to share information with this carer, so it was "
                "not sent.")
        if wording.phone_key(carer.phone) != wording.phone_key(reminder.recipient):
            return Status.FAILED, (
                "The carer's number has changed since this reminder was made, so it was not "
                "sent. Make a new reminder if one is still needed.")
    elif wording.phone_key(person.phone) != wording.phone_key(reminder.recipient):
        return Status.FAILED, (
            "The person's number has changed since this reminder was made, so it was not "
            "sent. Make a new reminder if one is still needed.")
    if visit is not None and wording.reminder_body(
        on=visit.date, at=visit.time, place=visit.place,
        name_for_carer=person.display_name if channel == Channel.VIA_CARER else "",
    ) != reminder.body:
        return Status.FAILED, (
            "The visit's date, time or place (or the name the reminder gives) has changed "
            "since this reminder was made. Make a new reminder.")
    return None


def _locked(reminder_id: int) -> Reminder | None:
    """The queued reminder and all that reason_not_to_send reads, fresh and locked."""
    reminder = (Reminder.objects.select_for_update(of=("self",))
                .select_related("person", "carer", "planned_visit")
                .filter(pk=reminder_id, status=Status.QUEUED).first())
    return reminder


def _close(reminder: Reminder, status: str, reason: str) -> None:
    reminder.status = status
    reminder.failure_reason = reason
    reminder.save(update_fields=["status", "failure_reason"])


@transaction.atomic
def dispatch(*, reminder_id: int, sender: Sender, actor: str = SYSTEM_ACTOR) -> Reminder | None:
    """Check a queued reminder against the current record, then hand it to the sender.

    Returns the reminder as it now is, or None if it was no longer queued (another run or a
    worker dealt with it). Phone calls are never handed to a sender.
    """
    reminder = _locked(reminder_id)
    if reminder is None:
        return None
    problem = reason_not_to_send(reminder, reminder.person, reminder.carer,
                                 reminder.planned_visit)
    if problem is not None:
        _close(reminder, *problem)
        audit_by_system(person_id=reminder.person_id, action=AuditAction.UPDATE, actor=actor,
                        what=f"reminder {reminder.pk} not sent: {problem[1]}")
        return reminder
    if reminder.is_task:
        return reminder
    outcome = sender.send(reminder)
    if outcome is None:
        return reminder
    if outcome.sent:
        reminder.status = Status.SENT
        reminder.sent_at = timezone.now()
        reminder.provider_reference = outcome.provider_reference[:100]
        reminder.failure_reason = ""
        reminder.save(update_fields=["status", "sent_at", "provider_reference",
                                     "failure_reason"])
        audit_by_system(person_id=reminder.person_id, action=AuditAction.UPDATE, actor=actor,
                        what=f"reminder {reminder.pk} sent by {sender.name}")
    elif outcome.retry:
        reminder.failure_reason = f"Will try again. {outcome.failure_reason}"
        reminder.save(update_fields=["failure_reason"])
    else:
        _close(reminder, Status.FAILED, outcome.failure_reason)
        audit_by_system(person_id=reminder.person_id, action=AuditAction.UPDATE, actor=actor,
                        what=f"reminder {reminder.pk} not sent: {outcome.failure_reason}")
    return reminder


def send_queued(*, sender: Sender, limit: int = 500) -> dict[str, int]:
    """Dispatch every queued reminder that a machine may send, each in its own
    transaction. Returns how many ended in each status."""
    counts = {status.value: 0 for status in Status}
    ids = list(Reminder.objects.filter(status=Status.QUEUED)
               .exclude(channel=Channel.PHONE_CALL)
               .order_by("created_at", "id").values_list("pk", flat=True)[:limit])
    for reminder_id in ids:
        try:
            reminder = dispatch(reminder_id=reminder_id, sender=sender)
        except Exception:
            # One bad reminder must not stop the others; it stays queued for the next run.
            logger.exception("reminder %s could not be dispatched", reminder_id)
            counts[Status.QUEUED] += 1
            continue
        if reminder is not None:
            counts[reminder.status] += 1
    return counts


@transaction.atomic
def mark_sent(*, reminder: Reminder, by: StaffMember, request) -> Reminder:
    """A worker sent it by hand or made the call. Checked like a machine send first: if
    the number or address is no longer on the record, it is marked failed instead."""
    fresh = _locked(reminder.pk)
    if fresh is None:
        raise ValidationFailed({"status": ["This reminder is no longer waiting to be sent."]})
    problem = reason_not_to_send(fresh, fresh.person, fresh.carer, fresh.planned_visit)
    if problem is not None:
        _close(fresh, *problem)
        audit_record(request=request, person_id=fresh.person_id, action=AuditAction.UPDATE,
                     what=f"reminder {fresh.pk} not sent: {problem[1]}")
        return fresh
    fresh.status = Status.SENT
    fresh.sent_at = timezone.now()
    fresh.sent_by = by
    fresh.save(update_fields=["status", "sent_at", "sent_by"])
    audit_record(request=request, person_id=fresh.person_id, action=AuditAction.UPDATE,
                 what=f"reminder {fresh.pk} marked sent by hand")
    return fresh


@transaction.atomic
def cancel(*, reminder: Reminder, by: StaffMember, request) -> Reminder:
    """Take a waiting or failed reminder out of the outbox; it is kept, cancelled."""
    updated = Reminder.objects.filter(
        pk=reminder.pk, status__in=(Status.QUEUED, Status.FAILED)
    ).update(status=Status.CANCELLED)
    if updated != 1:
        raise ValidationFailed({"status": ["This reminder is no longer in the outbox."]})
    audit_record(request=request, person_id=reminder.person_id, action=AuditAction.UPDATE,
                 what=f"reminder {reminder.pk} cancelled by {by.name}")
    reminder.refresh_from_db()
    return reminder
