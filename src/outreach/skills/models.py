"""The staff skills matrix: the competencies expected of staff working with people who need
intensive and assertive care, which roles and disciplines need each, and each member of
staff's training records (completion and expiry).

Competencies and requirements are data (seeded by migration 0002), not code. Training
records are never deleted: a correction is an amendment that keeps the old and new values
with who and why; a record entered in error is withdrawn with a reason and kept.
"""

from django.db import models

from outreach.teams.models import Discipline, Role, StaffMember


class Competency(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # Training must be renewed this many months after completion; null: it does not expire.
    renewal_months = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "title"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return self.title


class Requirement(models.Model):
    """A competency required of staff with a role and/or a discipline (blank: any)."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE,
                                   related_name="requirements")
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    discipline = models.CharField(max_length=30, choices=Discipline.choices, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["competency", "role", "discipline"],
                                               name="skills_requirement_unique")]


class TrainingRecord(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT,
                              related_name="training_records")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT,
                                   related_name="training_records")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    provider = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    # Entered in error: kept with its reason, never counted.
    withdrawn = models.BooleanField(default=False)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["competency__order", "-completed_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(expires_on__isnull=True)
            | models.Q(expires_on__gte=models.F("completed_on")),
            name="skills_training_expires_after_completion")]
        indexes = [models.Index(fields=["staff", "competency"])]

    def delete(self, *args, **kwargs):
        raise PermissionError("Training records are never deleted: withdraw them")


class TrainingAmendment(models.Model):
    """A correction of a training record: old and new values, who and why."""

    record = models.ForeignKey(TrainingRecord, on_delete=models.PROTECT,
                               related_name="amendments")
    changes = models.JSONField()  # {field: [old, new]}
    reason = models.TextField()
    amended_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    amended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["amended_at", "id"]
