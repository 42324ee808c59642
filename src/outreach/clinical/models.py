"""The clinical record: plans, relapse signature, risk formulation, medication and depots, legal
status, families and carers, social circumstances, physical health and occupational therapy.

Every entry belongs to a Person (and the episode it was recorded in), says who recorded it and
when, and carries a `version` so that a stale edit is refused. Nothing here is ever deleted:
the model and queryset refuse it, foreign keys are PROTECT, and corrections go through
services.py, which keeps the old values in records.Amendment.

Plans are versioned: a new version is a new row whose `supersedes` points at the one before,
which is kept unchanged. `supersedes` is one-to-one, so a version is superseded at most once
and each person's chain has exactly one head: the current version, the one not superseded.

A risk formulation is a structured narrative. There is deliberately no score, level or rating
of risk anywhere in this app (design rule 6; NICE NG225).
"""

from django.db import models
from django.db.models import F, Q

from outreach.core.depots import BATCH_MAX, SITE_MAX, SITES
from outreach.records.models import Carer, Episode, Person
from outreach.teams.models import StaffMember

NEVER_DELETED = "Clinical entries are never deleted: correct them with an amendment."


class KeptQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError(NEVER_DELETED)


class Kept(models.Model):
    """Rows of the clinical record: never deleted, not even in bulk."""

    objects = KeptQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise PermissionError(NEVER_DELETED)


class Entry(Kept):
    """What every entry records besides its content: episode, who, when, version."""

    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Versioned(Entry):
    """A plan with versions: the current one is the one no later version supersedes."""

    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        abstract = True

    @property
    def is_current(self) -> bool:
        # The reverse one-to-one raises (an AttributeError) when nothing supersedes this one.
        return not hasattr(self, "superseded_by")


class CoProduced(models.Model):
    """Who made the plan with the team, and with whom it was shared (Caldicott)."""

    # The person, and the carers or family by name, who wrote the plan with the team.
    co_produced_with = models.TextField(blank=True)
    # Whom a copy went to, e.g. ["the person", "GP", "sister (with the person's agreement)"].
    shared_with = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True


# --- Care plan (DIALOG+) ----------------------------------------------------------------


class DialogItem(models.TextChoices):
    """The 11 DIALOG items: 8 life domains, then 3 treatment aspects."""

    MENTAL_HEALTH = "mental_health", "Mental health"
    PHYSICAL_HEALTH = "physical_health", "Physical health"
    JOB_SITUATION = "job_situation", "Job situation"
    ACCOMMODATION = "accommodation", "Accommodation"
    LEISURE = "leisure", "Leisure activities"
    FRIENDSHIPS = "friendships", "Friendships"
    PARTNER_FAMILY = "partner_family", "Relationship with partner or family"
    PERSONAL_SAFETY = "personal_safety", "Personal safety"
    MEDICATION = "medication", "Medication"
    PRACTICAL_HELP = "practical_help", "Practical help"
    MEETINGS = "meetings", "Meetings with mental health professionals"


LIFE_DOMAINS: tuple[str, ...] = tuple(DialogItem.values[:8])
TREATMENT_ASPECTS: tuple[str, ...] = tuple(DialogItem.values[8:])
DIALOG_MIN, DIALOG_MAX = 1, 7  # 1 totally dissatisfied .. 7 totally satisfied
MAX_CHOSEN_DOMAINS = 3  # the person chooses up to 3 areas to discuss


class CarePlan(Versioned, CoProduced):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_plans")
    date = models.DateField()
    review_due = models.DateField()
    persons_words = models.TextField(blank=True)  # in the person's own words
    chosen_domains = models.JSONField(default=list, blank=True)  # DialogItem values, up to 3

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(review_due__gt=F("date")),
                                   name="care_plan_review_after_date"),
        ]


class CarePlanAction(Kept):
    """Step 4 of DIALOG+: agreeing on actions, who does what. Reviewed at the next meeting."""

    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="actions")
    order = models.PositiveSmallIntegerField()
    domain = models.CharField(max_length=30, choices=DialogItem.choices, blank=True)
    what = models.TextField()
    who = models.CharField(max_length=200)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="care_plan_action_order"),
        ]


class DialogRating(Kept):
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="ratings")
    item = models.CharField(max_length=30, choices=DialogItem.choices)
    score = models.PositiveSmallIntegerField()
    wants_more_help = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "item"], name="one_rating_per_item"),
            models.CheckConstraint(
                condition=Q(score__gte=DIALOG_MIN) & Q(score__lte=DIALOG_MAX),
                name="dialog_score_1_to_7",
            ),
        ]


# --- Safety plan and advance choices -----------------------------------------------------


class SafetyPlan(Versioned, CoProduced):
    """The crisis and contingency plan: what the person wants to happen in a crisis."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="safety_plans")
    date = models.DateField()
    review_due = models.DateField()
    wants_in_crisis = models.TextField()
    who_to_contact = models.TextField()
    what_helps = models.TextField(blank=True)
    what_does_not_help = models.TextField(blank=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(review_due__gt=F("date")),
                                   name="safety_plan_review_after_date"),
        ]


class AdvanceChoice(Versioned, CoProduced):
    """An advance choice document: the person's statements about their care in a crisis."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="advance_choices")
    date = models.DateField()
    statements = models.TextField()

    class Meta:
        ordering = ["date", "id"]


# --- Relapse signature -------------------------------------------------------------------


class RelapseSignature(Versioned, CoProduced):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="relapse_signatures"
    )
    date = models.DateField()

    class Meta:
        ordering = ["date", "id"]


class WarningSign(Kept):
    """One early warning sign, in the person's words, in the order they usually come."""

    signature = models.ForeignKey(
        RelapseSignature, on_delete=models.PROTECT, related_name="signs"
    )
    order = models.PositiveSmallIntegerField()
    sign = models.TextField()
    what_to_do = models.TextField(blank=True)

    class Meta:
        ordering = ["signature", "order"]
        constraints = [
            models.UniqueConstraint(fields=["signature", "order"], name="warning_sign_order"),
            models.CheckConstraint(condition=Q(order__gte=1), name="warning_sign_order_from_1"),
        ]


class SignObservation(Entry):
    """A worker saw one of the person's early warning signs: a red flag until cleared."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="sign_observations"
    )
    sign = models.ForeignKey(WarningSign, on_delete=models.PROTECT, related_name="observations")
    observed_on = models.DateField()
    observed_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    cleared_on = models.DateField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clear_note = models.TextField(blank=True)

    class Meta:
        ordering = ["observed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cleared_on__isnull=True) | Q(cleared_on__gte=F("observed_on")),
                name="sign_cleared_after_observed",
            ),
        ]


# --- Risk formulation --------------------------------------------------------------------


class RiskFormulation(Versioned, CoProduced):
    """A structured narrative of risk (design rule 6). No score field of any kind."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="risk_formulations"
    )
    # History, and the situations in which harm happened.
    history = models.TextField()
    triggers = models.TextField()  # e.g. access to drugs, loss of accommodation
    protective_factors = models.TextField()
    what_reduces_risk = models.TextField()
    two_staff_visits = models.BooleanField(default=False)
    reviewed_on = models.DateField()
    review_due = models.DateField()

    class Meta:
        ordering = ["reviewed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(review_due__gt=F("reviewed_on")),
                                   name="risk_review_after_reviewed"),
        ]


# --- Medication and depots ---------------------------------------------------------------


class Medication(Entry):
    """A medicine. A restart after a stop is a new row (the old one records `restarted`)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="medications")
    name = models.CharField(max_length=200)
    dose = models.CharField(max_length=100)
    frequency = models.CharField(max_length=100)
    started = models.DateField()
    stopped = models.DateField(null=True, blank=True)
    stopped_against_advice = models.BooleanField(default=False)
    restarted = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "started", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stopped__isnull=True) | Q(stopped__gte=F("started")),
                name="medication_stopped_after_started",
            ),
            models.CheckConstraint(
                condition=Q(restarted__isnull=True)
                | (Q(stopped__isnull=False) & Q(restarted__gte=F("stopped"))),
                name="medication_restarted_after_stopped",
            ),
        ]


class Depot(Entry):
    """A depot antipsychotic prescription and when the next injection is due."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="depots")
    medicine = models.CharField(max_length=200)
    dose = models.CharField(max_length=100)
    interval_days = models.PositiveSmallIntegerField()
    started_on = models.DateField()
    next_due = models.DateField()
    tolerance_days = models.PositiveSmallIntegerField(default=7)
    active = models.BooleanField(default=True)
    stopped_on = models.DateField(null=True, blank=True)
    stopped_against_advice = models.BooleanField(default=False)

    class Meta:
        ordering = ["next_due", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(interval_days__gt=0),
                                   name="depot_interval_positive"),
            models.CheckConstraint(condition=Q(tolerance_days__gte=0),
                                   name="depot_tolerance_not_negative"),
            models.CheckConstraint(
                condition=Q(active=True, stopped_on__isnull=True)
                | Q(active=False, stopped_on__isnull=False),
                name="depot_stopped_has_date",
            ),
        ]
        indexes = [models.Index(fields=["active", "next_due"])]


class DoseOutcome(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    MISSED = "missed", "Missed"


InjectionSite = models.TextChoices(
    "InjectionSite",
    [(value.upper(), (value, label[0].upper() + label[1:])) for value, label in SITES.items()],
)


class DepotDose(Entry):
    """A dose due, and what happened: given (when, by whom, where and which batch), refused
    or missed. Doses given before the batch and site were recorded have them blank; the
    service requires them for every dose given since (core/depots.py)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="depot_doses")
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="doses")
    due_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=DoseOutcome.choices)
    given_on = models.DateField(null=True, blank=True)
    given_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    site = models.CharField(max_length=SITE_MAX, choices=InjectionSite.choices, blank=True)
    batch = models.CharField(max_length=BATCH_MAX, blank=True, db_index=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="given", given_on__isnull=False)
                | (~Q(outcome="given") & Q(given_on__isnull=True)),
                name="depot_dose_given_has_date",
            ),
            models.UniqueConstraint(fields=["depot", "due_on"], condition=Q(outcome="given"),
                                    name="one_given_dose_per_due_date"),
            models.CheckConstraint(condition=Q(outcome="given") | Q(site="", batch=""),
                                   name="depot_dose_site_batch_only_when_given"),
        ]
        indexes = [models.Index(fields=["depot", "outcome", "due_on"])]


# --- Mental Health Act and legal status --------------------------------------------------


class MHASection(models.TextChoices):
    S2 = "2", "Section 2 (assessment)"
    S3 = "3", "Section 3 (treatment)"
    S4 = "4", "Section 4 (emergency)"
    S5_2 = "5(2)", "Section 5(2) (doctor's holding power)"
    S5_4 = "5(4)", "Section 5(4) (nurse's holding power)"
    S35 = "35", "Section 35"
    S36 = "36", "Section 36"
    S37 = "37", "Section 37 (hospital order)"
    S37_41 = "37/41", "Section 37/41 (restricted hospital order)"
    S38 = "38", "Section 38"
    S45A = "45A", "Section 45A"
    S47 = "47", "Section 47"
    S47_49 = "47/49", "Section 47/49"
    S48 = "48", "Section 48"
    S48_49 = "48/49", "Section 48/49"
    S135 = "135", "Section 135"
    S136 = "136", "Section 136"


class MHADetention(Entry):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mha_detentions")
    section = models.CharField(max_length=10, choices=MHASection.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                                   name="detention_end_after_start"),
        ]


class CommunityTreatmentOrder(Entry):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ctos")
    start = models.DateField()
    conditions = models.TextField(blank=True)
    expiry = models.DateField()
    renewal_due = models.DateField(null=True, blank=True)  # the renewal examination, by expiry
    recalled_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)  # discharged from, or revoked

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(expiry__gt=F("start")),
                                   name="cto_expiry_after_start"),
            models.CheckConstraint(
                condition=Q(renewal_due__isnull=True)
                | (Q(renewal_due__gte=F("start")) & Q(renewal_due__lte=F("expiry"))),
                name="cto_renewal_within_order",
            ),
        ]


class Section117(Entry):
    """Section 117 aftercare: eligibility and when it is next reviewed."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="section117s")
    eligible = models.BooleanField()
    eligible_from = models.DateField()
    review_due = models.DateField(null=True, blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["eligible_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_due__isnull=True) | Q(review_due__gt=F("eligible_from")),
                name="s117_review_after_start",
            ),
        ]


class MultiAgencyKind(models.TextChoices):
    MAPPA = "mappa", "MAPPA (multi-agency public protection arrangements)"
    MARAC = "marac", "MARAC (multi-agency risk assessment conference)"


class MultiAgency(Entry):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="multi_agency")
    kind = models.CharField(max_length=10, choices=MultiAgencyKind.choices)
    level = models.PositiveSmallIntegerField(null=True, blank=True)  # MAPPA level 1-3
    active_since = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["active_since", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("active_since")),
                name="multi_agency_end_after_start",
            ),
        ]


# --- Families and carers -----------------------------------------------------------------


class CarerContact(Entry):
    """A contact with a carer and what they said. A concern is a red flag until followed up
    (002 ch.3: "if families are asking for help, this should be viewed as a potential red
    flag")."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="carer_contacts")
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="contacts_recorded")
    date = models.DateField()
    what_they_said = models.TextField()
    concern = models.BooleanField(default=False)
    followed_up_on = models.DateField(null=True, blank=True)
    followed_up_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    follow_up_note = models.TextField(blank=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(followed_up_on__isnull=True) | Q(followed_up_on__gte=F("date")),
                name="carer_follow_up_after_contact",
            ),
        ]


# --- Social circumstances ----------------------------------------------------------------


class AccommodationStatus(models.TextChoices):
    SETTLED = "settled", "Settled accommodation"
    TEMPORARY = "temporary", "Temporary accommodation"
    AT_RISK = "at_risk", "Accommodation at risk"
    HOMELESS = "homeless", "Homeless"
    NO_FIXED_ABODE = "no_fixed_abode", "No fixed abode"


class SocialCircumstances(Versioned):
    """Assessed at every transfer of care (accommodation_assessed_since in selectors)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="social_circumstances"
    )
    assessed_on = models.DateField()
    accommodation_status = models.CharField(max_length=20, choices=AccommodationStatus.choices)
    accommodation_since = models.DateField()
    finances = models.TextField(blank=True)  # finances and benefits
    employment = models.TextField(blank=True)  # employment and activity
    offending_history = models.TextField(blank=True)

    class Meta:
        ordering = ["assessed_on", "id"]
        verbose_name_plural = "social circumstances"


class SubstanceUse(Kept):
    circumstances = models.ForeignKey(
        SocialCircumstances, on_delete=models.PROTECT, related_name="substance_use"
    )
    substance = models.CharField(max_length=100)
    current = models.BooleanField()
    since = models.DateField()

    class Meta:
        ordering = ["circumstances", "substance", "id"]


class PoliceContact(Entry):
    """A police contact: an event in the person's history, kept whatever the later versions
    of their social circumstances say."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="police_contacts")
    circumstances = models.ForeignKey(
        SocialCircumstances, null=True, blank=True, on_delete=models.PROTECT,
        related_name="police_contacts",
    )
    date = models.DateField()
    summary = models.TextField()

    class Meta:
        ordering = ["date", "id"]


# --- Physical health ---------------------------------------------------------------------


class SmokingStatus(models.TextChoices):
    NEVER = "never", "Never smoked"
    EX = "ex", "Ex-smoker"
    CURRENT = "current", "Current smoker"
    DECLINED = "declined", "Declined to say"


class PhysicalHealthCheck(Entry):
    """The annual physical health check for people with severe mental illness."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="physical_health_checks"
    )
    date = models.DateField()
    bmi = models.FloatField(null=True, blank=True)
    bp_systolic = models.PositiveSmallIntegerField(null=True, blank=True)  # mmHg
    bp_diastolic = models.PositiveSmallIntegerField(null=True, blank=True)  # mmHg
    glucose_mmol_l = models.FloatField(null=True, blank=True)
    hba1c_mmol_mol = models.FloatField(null=True, blank=True)
    cholesterol_mmol_l = models.FloatField(null=True, blank=True)  # total cholesterol
    smoking_status = models.CharField(max_length=10, choices=SmokingStatus.choices, blank=True)
    alcohol_units_week = models.FloatField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["date", "id"]


# --- Occupational therapy ----------------------------------------------------------------


class OTAssessmentKind(models.TextChoices):
    OCAIRS = "ocairs", "OCAIRS (Occupational Circumstances Assessment Interview and Rating Scale)"
    MOHOST = "mohost", "MOHOST (Model of Human Occupation Screening Tool)"


class OTAssessment(Entry):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ot_assessments")
    kind = models.CharField(max_length=10, choices=OTAssessmentKind.choices)
    date = models.DateField()
    strengths = models.TextField(blank=True)
    barriers = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    summary = models.TextField()

    class Meta:
        ordering = ["date", "id"]
