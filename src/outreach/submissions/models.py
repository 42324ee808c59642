"""A form's one-time key, kept by the database (docs/decisions/0013-forms-in-the-browser.md)."""

from django.conf import settings
from django.db import models


class SubmissionKey(models.Model):
    """Issued when a form is rendered (with the user and the page), claimed in the same
    transaction as the write the form makes. The key column is unique, so a second claim of
    the same key, even racing the first, is refused by the database and goes where the first
    went (redirect_to)."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    page = models.CharField(max_length=300, blank=True)  # where the form was rendered
    issued_at = models.DateTimeField()
    form = models.CharField(max_length=300, blank=True)  # the path it was posted to
    used_at = models.DateTimeField(null=True, blank=True)
    redirect_to = models.CharField(max_length=500, blank=True)
    # A hash of what was saved: the same content posted again with a fresh key (Back, which
    # fetches the form afresh) is recognised as the same submission for a short while.
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "form", "used_at"], name="submission_recent"),
            models.Index(fields=["issued_at"], name="submission_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({'used' if self.used_at else 'issued'})"
