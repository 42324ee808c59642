"""Daily handover and weekly MDT: the meeting, what was discussed and decided about each
agenda item, and the actions that come out of them (owner, due date, visible until done).

The agenda itself is generated from the record each time (meetings.agenda); only what people
add (discussed, decisions, actions) is stored.
"""

from django.db import models

from outreach.core import limits
from outreach.records.models import Person, within
from outreach.teams.models import StaffMember, Team


class MeetingKind(models.TextChoices):
    HANDOVER = "handover", "Daily handover"
    MDT = "mdt", "Weekly MDT review"


class Meeting(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    date = models.DateField()
    opened_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "kind", "date"],
                                               name="one_meeting_a_day")]


class Outcome(models.TextChoices):
    """What an MDT decision does. A decision that accepts, declines or ends care is carried
    out by the step that does it (the accept, decline or proposal form), which the MDT page
    opens at once with the decision's words; until that step is done the agenda shows the
    decision as not carried out."""

    RECORD = "record", "Record the decision"
    ACCEPT = "accept", "Accept the referral"
    DECLINE = "decline", "Do not accept the referral"
    DECIDE_PROPOSAL = "decide_proposal", "Decide the proposed discharge or transfer"
    PROPOSE_DISCHARGE = "propose_discharge", "Propose a discharge or transfer"


class ItemNote(models.Model):
    """What the meeting did with one agenda item: discussed, and any decision in words."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="notes")
    item_key = models.CharField(max_length=120)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    discussed = models.BooleanField(default=True)
    decision = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "item_key"],
                                               name="one_note_per_item"),
                       within("decision", limits.MDT_DECISION, "item_decision_length")]


class Action(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="actions")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="actions")
    due = models.DateField()
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="actions")
    item_key = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    # A form submitted twice creates one action: the form's one-time key is stored here.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["team", "done_on", "due"])]
