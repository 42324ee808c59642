"""A saved cohort run: the commissioners' (suppressed) figures only, never a person."""

from django.db import models


class CohortRun(models.Model):
    """One `outreach cohort --save` run. Rows are kept (a history of runs), never edited."""

    created_at = models.DateTimeField(auto_now_add=True)
    data = models.CharField(max_length=500, help_text="the input directory, as given")
    engine = models.CharField(max_length=20)
    period_end = models.DateField()
    figures = models.JSONField(help_text="report.figures(..., audience='commissioner')")

    class Meta:
        ordering = ["-created_at", "-pk"]
