"""Experience feedback from people and carers (outreach.core.experience has the questions).

Three ways in:
- WITH_WORKER: on a worker's phone with the person, linked to the person, audited;
- PAPER: a paper form keyed in by staff, linked to the person if they put their name on it;
- ONLINE: the team's public, no-login page (FeedbackLink), never linked to anyone.

Anonymous feedback (no person) must never be attributable (hazard H33): it stores the team,
the month (first day; no day, no time), who answered (person or carer), the answers and a
comment only if its writer agreed to share it. No user, no address, no timestamp, and a
random primary key so that row order says nothing about when it came. The database refuses
an online row with a person, a member of staff or a day.
"""

import secrets
import uuid

from django.db import models
from django.db.models import Q

from outreach.core.experience import AGREE_LABELS, FFT_LABELS, QUESTIONS, RESPONDENT_LABELS
from outreach.records.models import Person
from outreach.teams.models import StaffMember, Team

FFT_CHOICES = [(k.value, v) for k, v in FFT_LABELS.items()]
AGREE_CHOICES = [(k.value, v) for k, v in AGREE_LABELS.items()]
RESPONDENT_CHOICES = [(k.value, v) for k, v in RESPONDENT_LABELS.items()]


class Channel(models.TextChoices):
    WITH_WORKER = "with_worker", "With a worker, on their phone or tablet"
    PAPER = "paper", "On paper, keyed in by staff"
    ONLINE = "online", "Online, anonymously (the team's feedback link)"


def new_code() -> str:
    return secrets.token_urlsafe(9)


class FeedbackLink(models.Model):
    """A team's public feedback page: /feedback/<code>/. Revoking it stops new feedback."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="feedback_links")
    code = models.CharField(max_length=40, unique=True, default=new_code)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.team.code}: {self.code}"


class Feedback(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="feedback")
    month = models.DateField()  # the first day of the month it was given
    respondent = models.CharField(max_length=10, choices=RESPONDENT_CHOICES)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="feedback")
    given_on = models.DateField(null=True, blank=True)  # only when linked to the person
    entered_by = models.ForeignKey(StaffMember, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    fft = models.CharField(max_length=12, choices=FFT_CHOICES, blank=True)
    listened = models.CharField(max_length=20, choices=AGREE_CHOICES, blank=True)
    involved = models.CharField(max_length=20, choices=AGREE_CHOICES, blank=True)
    same_workers = models.CharField(max_length=20, choices=AGREE_CHOICES, blank=True)
    culture = models.CharField(max_length=20, choices=AGREE_CHOICES, blank=True)
    interpreter = models.CharField(max_length=20, choices=AGREE_CHOICES, blank=True)
    medication = models.CharField(max_length=20, choices=AGREE_CHOICES, blank=True)
    contact = models.CharField(max_length=20, choices=AGREE_CHOICES, blank=True)
    comment = models.TextField(blank=True)
    # Whether the comment may appear in results; null when there is no comment.
    comment_shared = models.BooleanField(null=True, blank=True)
    submission_key = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-month"]
        indexes = [models.Index(fields=["team", "month"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="online") | Q(person__isnull=True,
                                                    entered_by__isnull=True),
                name="experience_online_is_anonymous"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(given_on__isnull=True),
                name="experience_anonymous_has_no_day"),
            models.CheckConstraint(
                condition=Q(comment="", comment_shared__isnull=True)
                | (~Q(comment="") & Q(comment_shared__isnull=False)),
                name="experience_comment_has_consent_answer"),
            # An anonymous comment its writer did not agree to share is not kept at all.
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(comment="") | Q(comment_shared=True),
                name="experience_anonymous_comment_only_if_shared"),
            models.UniqueConstraint(fields=["submission_key"], condition=~Q(submission_key=""),
                                    name="experience_one_row_per_submission"),
        ]

    @property
    def anonymous(self) -> bool:
        return self.person_id is None

    def answers(self) -> dict[str, str]:
        return {q.key: getattr(self, q.key) for q in QUESTIONS if getattr(self, q.key)}

    def delete(self, *args, **kwargs):
        raise PermissionError("Feedback is never deleted")
