"""Appointment reminders: one row per reminder, held in an outbox until it is sent.

The recipient (a number or an address) is copied when the reminder is made, from the
person's own record or from a carer who has consent to share, and is checked against the
current record again just before anything is sent (services.dispatch). Reminders are never
hard-deleted: a reminder that should not go is cancelled or failed, with the reason kept.
"""

from django.db import models
from django.db.models import Q

from outreach.records.models import Carer, Person, PlannedVisit
from outreach.teams.models import StaffMember


class Channel(models.TextChoices):
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"
    # A task for a worker: a machine never makes a phone call.
    PHONE_CALL = "phone_call", "Phone call by a worker"
    VIA_CARER = "via_carer", "Text message to their carer"


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting in the outbox"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not sent"
    CANCELLED = "cancelled", "Cancelled"


class Reminder(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reminders")
    planned_visit = models.ForeignKey(
        PlannedVisit, null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # Copied at creation: the number or postal address the reminder goes to.
    recipient = models.TextField()
    carer = models.ForeignKey(
        Carer, null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    body = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Who sent it by hand or made the call; empty when GOV.UK Notify sent it.
    sent_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_reference = models.CharField(max_length=100, blank=True)
    failure_reason = models.TextField(blank=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(recipient=""), name="reminder_has_recipient"),
            # A carer is named exactly when the reminder goes through a carer.
            models.CheckConstraint(
                condition=(Q(channel="via_carer") & Q(carer__isnull=False))
                | (~Q(channel="via_carer") & Q(carer__isnull=True)),
                name="reminder_carer_iff_via_carer",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="sent_reminder_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} reminder {self.pk}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Reminders are never deleted: cancel them instead")

    @property
    def is_task(self) -> bool:
        """A phone call for a worker to make, never sent by a machine."""
        return self.channel == Channel.PHONE_CALL
