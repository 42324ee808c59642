"""What the visit planner adds to the record: its runs, its proposals, and locked visits.

The visits themselves are the team's `records.PlannedVisit` rows, the same rows the handover
lists and a contact is logged against. Here:

- `WeekPlan` records each run: who ran it, when, for which days, the planner's figures and
  everything it could not plan, with the reason (never silence). A re-plan of today is a run
  too, with the events and what it changed.
- `Proposal` marks a PlannedVisit the planner made, until somebody accepts it. A proposal
  nobody accepted is replaced by the next week's run (cancelled, never deleted, with the run
  that replaced it); an accepted one is kept.
- `VisitLock` fixes a visit's worker, day and time: every later run, and a re-plan of today,
  keeps it exactly.

Nothing here is clinical content. Planner ids in the JSON are "p<person id>" and
"w<staff id>"; names are put in when a page shows them, so no name is copied here.
"""

from django.db import models

from outreach.records.models import PlannedVisit
from outreach.teams.models import StaffMember, Team


class RunKind(models.TextChoices):
    WEEK = "week", "Week planned"
    REPLAN = "replan", "Day re-planned"


class WeekPlan(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=RunKind.choices)
    start = models.DateField()  # the first day planned
    end = models.DateField()  # the last day planned (inclusive)
    run_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField()  # the solver's budget
    runtime_seconds = models.FloatField(default=0)
    # Figures.as_dict() of the planner, with the record's own additions (people_not_planned).
    figures = models.JSONField(default=dict)
    # [{"person_id", "kind", "day", "count", "reason"}]: what the plan does not do, and why.
    unmet = models.JSONField(default=list)
    # [{"person_id" or None, "text"}]: what the feed had to say about the record.
    notes = models.JSONField(default=list)
    # [{"worker_id", "day", "start", "minutes"}]: each worker's break as planned.
    breaks = models.JSONField(default=list)
    # Re-plans: [{"kind", ...}] the events, and [{"visit_id", "person_id", "change", "before",
    # "after", "reason"}] what changed.
    events = models.JSONField(default=list)
    changes = models.JSONField(default=list)
    created_visits = models.PositiveIntegerField(default=0)
    replaced_visits = models.PositiveIntegerField(default=0)
    # A form submitted twice (a double tap) is one run, not two.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-run_at", "-id"]
        indexes = [models.Index(fields=["team", "kind", "run_at"])]


class Proposal(models.Model):
    """A PlannedVisit the planner proposed, with what the planner knew about it."""

    visit = models.OneToOneField(PlannedVisit, on_delete=models.PROTECT,
                                 related_name="proposal")
    run = models.ForeignKey(WeekPlan, on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField(max_length=20)  # outreach.planning.VisitKind
    minutes = models.PositiveSmallIntegerField()
    travel_minutes = models.FloatField(default=0)  # from the worker's previous place, as planned
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(StaffMember, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    # Set when a later week's run replaced this proposal (and cancelled its visit).
    replaced_by = models.ForeignKey(WeekPlan, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced")

    @property
    def accepted(self) -> bool:
        return self.accepted_at is not None


class VisitLock(models.Model):
    """A visit fixed at its worker, day and time: the planner never moves it."""

    visit = models.OneToOneField(PlannedVisit, on_delete=models.PROTECT,
                                 related_name="visit_lock")
    locked_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField(auto_now_add=True)
