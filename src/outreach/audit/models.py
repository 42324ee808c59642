"""The append-only audit log of every read and change of a person's record.

No foreign keys: an audit row must outlive anything it refers to and never be touched by a
cascade. The database refuses UPDATE and DELETE on this table (migration 0002), and the model
refuses them too, so a bug in our code cannot rewrite history.
"""

from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed a record"
    LIST = "list", "Shown in a list"
    EXPORT = "export", "Exported"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    AMEND = "amend", "Amended a clinical entry"
    DISCHARGE = "discharge", "Discharged"
    DISCHARGE_REFUSED = "discharge_refused", "Discharge refused"
    VIEW_AUDIT = "view_audit", "Viewed who accessed the record"


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user_id = models.BigIntegerField(null=True)
    username = models.CharField(max_length=150)
    person_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    what = models.CharField(max_length=200)
    remote_addr = models.CharField(max_length=45, blank=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person_id", "at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only")
