"""What governance keeps beyond the figures (which are computed from the live record, never
stored): fidelity assessments (DACTS, and the chapter 4 features as an assessor rated them),
the ICB review returns, and the action plan with the history of every change of status.

Nothing here is about one person: no foreign key to a person, so a return or an assessment
can be shared with an ICB without carrying anyone's record. Assessments and status changes
are never edited: a correction is a new row, so the history reads back as it happened.
"""

from django.db import models
from django.db.models import Q

from outreach.core.fidelity import STATUS_LABELS, Status
from outreach.teams.models import StaffMember, Team

IMMUTABLE = "Assessments and status changes are history: record a new one instead."


class History(models.Model):
    """Rows that are written once."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(IMMUTABLE)


# --- DACTS -----------------------------------------------------------------------------------


class DactsAssessment(History):
    """A DACTS fidelity review of one team: all 28 items, each with a score and its evidence.
    The figures the record gave on the day are kept with each item."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    assessor = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    # Who else took part (e.g. "external reviewer from the regional team").
    reviewers = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    total = models.PositiveSmallIntegerField()  # 28-140, kept for the history list
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["team", "assessed_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=28) & Q(total__lte=140),
                                   name="dacts_total_28_to_140"),
        ]


class DactsItemScore(History):
    assessment = models.ForeignKey(DactsAssessment, on_delete=models.PROTECT,
                                   related_name="items")
    code = models.CharField(max_length=4)
    score = models.PositiveSmallIntegerField()
    evidence = models.TextField()
    # What the record gave on the day, for computed items (None: rated by the assessor).
    computed_value = models.FloatField(null=True, blank=True)
    computed_score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="one_score_per_item"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5),
                                   name="dacts_score_1_to_5"),
        ]


# --- The features table (002 chapter 4) ------------------------------------------------------


class FeatureAssessment(History):
    """An assessor's rating of one feature for one team, with evidence and the gaps found.
    The latest for a team and feature is the one in force; earlier ones are its history."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    feature = models.CharField(max_length=40)
    status = models.CharField(max_length=20,
                              choices=[(s.value, STATUS_LABELS[s]) for s in Status])
    evidence = models.TextField()
    gaps = models.TextField(blank=True)  # gaps and barriers (workforce, resourcing)
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["team", "feature", "assessed_on"])]


# --- The ICB review return (002 chapter 5) ---------------------------------------------------


class Partner(models.TextChoices):
    """Who should be involved in a review (002 chapter 5)."""

    CMH_COMMISSIONERS = "cmh_commissioners", "Commissioners of community mental health services"
    CMH_PROVIDERS = "cmh_providers", "Providers of NHS community mental health services"
    LIVED_EXPERIENCE = "lived_experience", "People with lived experience of complex psychosis"
    FAMILIES = "families", "Families and carers of people with lived experience"
    INPATIENT_CRISIS = "inpatient_crisis", (
        "Commissioners of inpatient mental health services and community crisis services")
    CLINICAL_LEADS = "clinical_leads", (
        "Service managers and clinical leads from community mental health services")
    SECURE = "secure", "Adult secure provider collaboratives and secure pathways"
    LOCAL_PARTNERS = "local_partners", (
        "Local partners (local authorities, safeguarding boards, VCSE partners)")
    POLICY = "policy", "ICB policy and governance leads"
    QUALITY = "quality", "ICB quality and safety leads"
    ANALYSTS = "analysts", "Data and business intelligence analysts"


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class ReviewReturn(models.Model):
    """The ICB's review of intensive and assertive community care (002 chapter 5). While a
    draft, its figures are live; when submitted, the figures, features and action plan are
    frozen in `snapshot`, so the return reads back exactly as it was sent."""

    title = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)  # the ICB
    as_of = models.DateField()  # the day the figures are taken on
    partners = models.JSONField(default=list, blank=True)  # Partner values
    policies_reviewed = models.TextField(blank=True)
    cohort = models.TextField(blank=True)  # how people in scope are identified (chapter 2)
    gaps_workforce = models.TextField(blank=True)
    gaps_resourcing = models.TextField(blank=True)
    barriers = models.TextField(blank=True)
    # Chapter 5: "rapidly check that existing service policies and practice are clear" that
    # DNAs are never a reason for discharge, and confirm it to the regional team.
    dna_policy_confirmed = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=ReturnStatus.choices,
                              default=ReturnStatus.DRAFT)
    snapshot = models.JSONField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(StaffMember, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-as_of", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(snapshot__isnull=False)
                                               & Q(submitted_on__isnull=False)),
                name="submitted_return_is_frozen",
            ),
        ]

    @property
    def is_draft(self) -> bool:
        return self.status == ReturnStatus.DRAFT


# --- The action plan (as 004's 43-point plan) ------------------------------------------------


class Section(models.TextChoices):
    GOVERNANCE = "governance", "Governance"
    OPERATING_MODEL = "operating_model", "Operating model"
    CLINICAL_DELIVERY = "clinical_delivery", "Clinical delivery"


class Timeframe(models.TextChoices):
    """004: short term = 0-6 months, medium = 6-12 months, long = 12 months or more."""

    SHORT = "short", "Short term (0-6 months)"
    SHORT_MEDIUM = "short_medium", "Short to medium term"
    MEDIUM = "medium", "Medium term (6-12 months)"
    MEDIUM_LONG = "medium_long", "Medium to long term"
    LONG = "long", "Long term (12 months or more)"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class PlanAction(models.Model):
    """One action of the plan. Its status changes only through ActionUpdate rows (services),
    so how it got to done can be read back."""

    number = models.PositiveIntegerField(unique=True)
    section = models.CharField(max_length=20, choices=Section.choices)
    action = models.TextField()
    timeframe = models.CharField(max_length=20, choices=Timeframe.choices)
    lead_organisation = models.CharField(max_length=200)
    due_date = models.DateField(null=True, blank=True)  # empty: to be confirmed (TBC)
    # As 004 writes it: "None", "£50k", "Yes*" (indicative, needs analysis), "TBC".
    cost_implication = models.CharField(max_length=100, default="None")
    status = models.CharField(max_length=20, choices=ActionStatus.choices,
                              default=ActionStatus.NOT_STARTED)
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="done") & Q(done_on__isnull=False))
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="done_action_has_date",
            ),
        ]


class ActionUpdate(History):
    action = models.ForeignKey(PlanAction, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    note = models.TextField()
    on = models.DateField()
    by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


# --- Derived figures -------------------------------------------------------------------------


class TrendFigure(models.Model):
    """A derived figure, not a record: one measure's tally for one team over one trend window
    (a month), kept so that a dashboard need not recompute twelve months on every view. The
    headline figures are always computed live; a trend is recomputed when its rows are older
    than OUTREACH_GOVERNANCE["trend_max_age_minutes"] (governance.selectors.compute), and
    `params_key` changes with the configuration, so a changed target is never served stale.
    No person is named here: the rows are counts for a team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=40)
    params_key = models.CharField(max_length=16)
    start = models.DateField()
    end = models.DateField()
    numerator = models.IntegerField(default=0)
    denominator = models.IntegerField(default=0)
    fte = models.FloatField(default=0)
    days = models.IntegerField(default=0)
    waits = models.JSONField(default=list, blank=True)
    still_waiting = models.IntegerField(default=0)
    longest_waiting = models.IntegerField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "measure", "params_key", "start", "end"],
                                    name="one_trend_figure"),
        ]
        indexes = [models.Index(fields=["measure", "params_key", "end"])]
