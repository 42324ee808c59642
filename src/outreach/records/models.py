"""A person's record with the team: who they are, their episode of care, key worker and
cover, contacts, carers, discharge decisions, and amendments.

Clinical rows are never hard-deleted: corrections are Amendment rows that keep the original.
Rows that a form can edit carry a `version`, so a stale edit is refused (services.py).
"""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from outreach.core import limits
from outreach.core.discharge import DischargeReason
from outreach.core.equality import ETHNIC_CATEGORIES, SEXES
from outreach.core.nhs_number import is_valid as nhs_number_is_valid
from outreach.teams.models import StaffMember, Team


def validate_nhs_number(value: str) -> None:
    from django.core.exceptions import ValidationError

    if not nhs_number_is_valid(value):
        raise ValidationError("Enter a valid 10-digit NHS number (its check digit is wrong)")


def within(field: str, limit: int, name: str) -> models.CheckConstraint:
    """The database refuses a text longer than its core.limits limit, whatever wrote it."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


def not_before_1900(field: str, name: str) -> models.CheckConstraint:
    """No date in the record before 1900 (core.limits.EARLIEST); an empty one is allowed."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": limits.EARLIEST}),
        name=name,
    )


class ContactMeans(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    VISIT = "visit", "Visit without an appointment"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    VIA_CARER = "via_carer", "Through a carer or family member"


class Person(models.Model):
    nhs_number = models.CharField(max_length=10, unique=True, validators=[validate_nhs_number])
    given_name = models.CharField(max_length=limits.NAME)
    family_name = models.CharField(max_length=limits.NAME)
    preferred_name = models.CharField(max_length=limits.NAME, blank=True)
    date_of_birth = models.DateField()
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    preferred_contact_means = models.CharField(
        max_length=20, choices=ContactMeans.choices, blank=True
    )
    # Where the person likes to be seen: home, a café, the day centre...
    preferred_places = models.TextField(blank=True)
    interpreter_needed = models.BooleanField(default=False)
    language = models.CharField(max_length=60, blank=True, default="English")
    accessibility_needs = models.TextField(blank=True)
    # Equality monitoring (PCREF): NHS Data Dictionary ETHNIC CATEGORY and PERSON PHENOTYPIC
    # SEX codes, blank when not recorded; the area of residence as a Lower layer Super Output
    # Area code, whose deprivation decile comes from outreach.outcomes.areas.
    ethnic_category = models.CharField(
        max_length=2, blank=True,
        choices=[(code, label) for code, (label, _) in ETHNIC_CATEGORIES.items()],
    )
    sex = models.CharField(max_length=1, blank=True, choices=list(SEXES.items()))
    lsoa_code = models.CharField("area of residence (LSOA code)", max_length=9, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            within("given_name", limits.NAME, "person_given_name_length"),
            within("family_name", limits.NAME, "person_family_name_length"),
            within("preferred_name", limits.NAME, "person_preferred_name_length"),
            within("address", limits.ADDRESS, "person_address_length"),
            not_before_1900("date_of_birth", "person_born_from_1900"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"


class ReferralSource(models.TextChoices):
    CMHT = "cmht", "Community mental health team"
    CRISIS = "crisis", "Crisis team"
    INPATIENT = "inpatient", "Inpatient ward"
    EIP = "eip", "Early intervention in psychosis"
    FORENSIC = "forensic", "Forensic service"
    GP = "gp", "GP"
    CRIMINAL_JUSTICE = "criminal_justice", "Police or criminal justice liaison"
    FAMILY = "family", "Family or carer"
    SELF = "self", "Self-referral"
    OTHER = "other", "Other"


class EpisodeStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ACCEPTED = "accepted", "Accepted"
    STEPPED_UP = "stepped_up", "Stepped up"
    INPATIENT = "inpatient", "Inpatient (in-reach)"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    DISCHARGED = "discharged", "Discharged"


OPEN_STATUSES = (
    EpisodeStatus.REFERRED,
    EpisodeStatus.ACCEPTED,
    EpisodeStatus.STEPPED_UP,
    EpisodeStatus.INPATIENT,
)


class Episode(models.Model):
    """A person's episode of care with one team, from referral to discharge."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="episodes")
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=30, choices=ReferralSource.choices)
    assessment_date = models.DateField(null=True, blank=True)
    accepted_date = models.DateField(null=True, blank=True)
    first_intervention_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=EpisodeStatus.choices)
    # Inclusion criteria of NHS England guidance chapter 2, as found at assessment.
    criteria = models.JSONField(default=list, blank=True)
    # Face-to-face contacts a week; empty means the configured default for the status.
    weekly_target = models.PositiveSmallIntegerField(null=True, blank=True)
    discharged_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["team", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="discharged") | models.Q(discharged_date__isnull=False),
                name="discharged_episode_has_date",
            ),
            not_before_1900("referral_date", "episode_referred_from_1900"),
            # An episode ends on or after it began: acceptance, else the referral.
            models.CheckConstraint(
                condition=models.Q(discharged_date__isnull=True)
                | models.Q(discharged_date__gte=models.F("referral_date")),
                name="episode_discharged_after_referral",
            ),
            models.CheckConstraint(
                condition=models.Q(discharged_date__isnull=True)
                | models.Q(accepted_date__isnull=True)
                | models.Q(discharged_date__gte=models.F("accepted_date")),
                name="episode_discharged_after_acceptance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} with {self.team} from {self.referral_date}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def stepped_up(self) -> bool:
        return self.status == EpisodeStatus.STEPPED_UP

    @property
    def start_date(self) -> "date":  # noqa: F821 - for the engagement ladder
        return self.accepted_date or self.referral_date


class TransitionKind(models.TextChoices):
    ACCEPTED = "accepted", "Accepted onto the caseload"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    STEP_UP_CRISIS = "step_up_crisis", "Stepped up: crisis team"
    STEP_UP_ACUTE = "step_up_acute", "Stepped up: acute care"
    STEP_UP_FORENSIC = "step_up_forensic", "Stepped up: forensic services"
    STEP_UP_REHAB = "step_up_rehab", "Stepped up: rehabilitation"
    STEPPED_DOWN = "stepped_down", "Back to usual intensity"
    ADMITTED = "admitted", "Admitted to hospital (team keeps in-reach contact)"
    LEFT_HOSPITAL = "left_hospital", "Left hospital"
    STEP_DOWN_CMHT = "step_down_cmht", "Stepped down to community mental health team"
    TRANSFER_OUT = "transfer_out", "Transferred out"
    DISCHARGED = "discharged", "Discharged"
    RE_REFERRED = "re_referred", "Re-referred: a new episode on the same record"


class Transition(models.Model):
    """An immutable status change of an episode, attributed to the member of staff."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="transitions")
    kind = models.CharField(max_length=30, choices=TransitionKind.choices)
    date = models.DateField()
    status_after = models.CharField(max_length=20, choices=EpisodeStatus.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(StaffMember, null=True, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]


class KeyWorkerAssignment(models.Model):
    """Who is the named key worker (care coordinator) of an episode, and since when.

    Exactly one is current (end is null) for an open episode; history is kept.
    """

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="key_workers")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="key_worker_of")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        StaffMember, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=models.Q(end__isnull=True),
                name="one_current_key_worker",
            ),
        ]
        indexes = [models.Index(fields=["staff", "end"])]


class CoverReason(models.TextChoices):
    LEAVE = "leave", "Key worker on leave"
    SICKNESS = "sickness", "Key worker off sick"
    LEFT = "left", "Key worker has left"
    OTHER = "other", "Other"


class CoverAssignment(models.Model):
    """A worker covering for the key worker over an inclusive date range."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="covers")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="covering")
    start = models.DateField()
    end = models.DateField()
    reason = models.CharField(max_length=20, choices=CoverReason.choices)
    recorded_by = models.ForeignKey(
        StaffMember, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["staff", "start", "end"])]


class ContactWith(models.TextChoices):
    PERSON = "person", "The person"
    PERSON_AND_CARER = "person_and_carer", "The person and their carer or family"
    CARER = "carer", "Carer or family member"
    AGENCY = "agency", "Another agency"


class ContactMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    TELEPHONE = "telephone", "Telephone"
    VIDEO = "video", "Video"
    TEXT = "text", "Text message"


class ContactPlace(models.TextChoices):
    HOME = "home", "Home"
    PUBLIC_PLACE = "public_place", "Public place"
    CLINIC = "clinic", "Clinic or team base"
    WARD = "ward", "Inpatient ward"
    POLICE_CUSTODY = "police_custody", "Police custody"
    OTHER = "other", "Other"


class ContactOutcome(models.TextChoices):
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    NO_ACCESS = "no_access", "No access"
    CANCELLED_BY_PERSON = "cancelled_by_person", "Cancelled by the person"
    CANCELLED_BY_TEAM = "cancelled_by_team", "Cancelled by the team"


# A successful contact, for the engagement ladder: face to face with the person, attended.
SUCCESSFUL_WITH = (ContactWith.PERSON, ContactWith.PERSON_AND_CARER)


class Contact(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contacts")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="contacts")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="contacts")
    second_staff = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    with_whom = models.CharField(max_length=20, choices=ContactWith.choices)
    mode = models.CharField(max_length=20, choices=ContactMode.choices)
    place = models.CharField(max_length=20, choices=ContactPlace.choices)
    outcome = models.CharField(max_length=20, choices=ContactOutcome.choices)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(
        StaffMember, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # A form submitted twice (a double tap on a phone) logs one contact, not two.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-date", "-time", "-id"]
        constraints = [
            within("note", limits.CONTACT_NOTE, "contact_note_length"),
            not_before_1900("date", "contact_date_from_1900"),
        ]
        indexes = [
            # The engagement ladder's two questions (last successful contact, this week's) and
            # the caseload's last contact: each an index range scan per person, newest first.
            models.Index(fields=["person", "outcome", "mode", "date"], name="contact_engagement"),
            models.Index(fields=["person", "date", "id"], name="contact_latest"),
            models.Index(fields=["episode", "date"]),
            # Governance windows (a month of a trust's contacts) and continuity's "has this
            # worker seen this person in the last 90 days" without scanning every contact.
            models.Index(fields=["date"], name="contact_date"),
            models.Index(fields=["person", "staff", "date"], name="contact_known"),
        ]

    @property
    def successful(self) -> bool:
        return (
            self.outcome == ContactOutcome.ATTENDED
            and self.mode == ContactMode.FACE_TO_FACE
            and self.with_whom in SUCCESSFUL_WITH
        )


class Carer(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="carers")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=60)
    phone = models.CharField(max_length=30, blank=True)
    is_main_carer = models.BooleanField(default=False)
    # Caldicott: what the person agreed the team may share with this carer.
    consent_to_share = models.BooleanField(default=False)
    may_be_told = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)


class DischargeDecision(models.Model):
    """The decision record every discharge needs (design rule 1)."""

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="discharge")
    reason = models.CharField(
        max_length=30, choices=[(r.value, r.value.replace("_", " ")) for r in DischargeReason]
    )
    date = models.DateField()
    rationale = models.TextField()
    relapse_indicators = models.TextField()
    known_risks = models.TextField()
    route_back_in = models.TextField()
    shared_with = models.JSONField(default=list)
    decided_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(auto_now_add=True)
    # A transfer's warm handover, or the date of death.
    receiving_team = models.CharField(max_length=200, blank=True)
    accepted_by = models.CharField(max_length=200, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    died_on = models.DateField(null=True, blank=True)
    # The MDT decision this discharge carried out (every end of care since the rule of
    # issue 13 has one), and the consultant who agreed it at the MDT.
    proposal = models.OneToOneField("DischargeProposal", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="carried_out")
    # The person's engagement on the day, judged by core.discharge.evidence from the record:
    # governance counts a discharge of someone not engaged from this, never from the reason.
    # NULL (a row written around the service) counts as not engaged.
    engaged = models.BooleanField(null=True)
    evidence = models.JSONField(default=dict)

    class Meta:
        constraints = [
            *(within(f, limits.DECISION_RECORD, f"discharge_{f}_length")
              for f in ("rationale", "relapse_indicators", "known_risks", "route_back_in")),
            not_before_1900("date", "discharge_date_from_1900"),
        ]


class RefusedDischarge(models.Model):
    """A discharge the guard refused; counted by governance (target: none attempted)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=30)
    problems = models.JSONField()
    attempted_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT)
    attempted_at = models.DateTimeField(auto_now_add=True)
    # Refused because the person's record showed them not engaged (whatever the reason said).
    not_engaged = models.BooleanField(default=False)


class Amendment(models.Model):
    """A correction of a clinical entry: the original values, the new ones, who and why."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="amendments")
    entity = models.CharField(max_length=40)
    entity_id = models.BigIntegerField()
    changes = models.JSONField()  # {field: [old, new]}
    reason = models.TextField()
    amended_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT)
    amended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["amended_at", "id"]
        indexes = [models.Index(fields=["entity", "entity_id"])]


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DONE = "done", "Done (contact logged)"
    CANCELLED = "cancelled", "Cancelled"


class PlannedVisit(models.Model):
    """A visit the team intends to make. Logging its contact turns it into a Contact;
    the visit planner (later) proposes these."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="planned_visits")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="visits")
    second_staff = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=20, choices=ContactPlace.choices)
    purpose = models.CharField(max_length=limits.SHORT_LABEL, blank=True)
    status = models.CharField(max_length=20, choices=VisitStatus.choices,
                              default=VisitStatus.PLANNED)
    contact = models.OneToOneField(Contact, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="planned_visit")
    version = models.PositiveIntegerField(default=1)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(
        StaffMember, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "time", "id"]
        constraints = [
            within("purpose", limits.SHORT_LABEL, "visit_purpose_length"),
            not_before_1900("date", "visit_date_from_1900"),
        ]
        indexes = [models.Index(fields=["person", "status", "date"]),
                   models.Index(fields=["staff", "date"])]


class AnnualReview(models.Model):
    """The annual multi-agency review of someone open 11 months or more (004 action plan)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="annual_reviews")
    held_on = models.DateField()
    agencies = models.TextField(help_text="Who took part, e.g. GP, housing, probation")
    outcome = models.TextField()
    recorded_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)


class DischargeProposal(models.Model):
    """A discharge or transfer proposed for the MDT to decide. Checked by the same guard at
    proposal, so a non-engagement discharge never reaches the agenda."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="proposals")
    reason = models.CharField(max_length=30)
    rationale = models.TextField()
    relapse_indicators = models.TextField()
    known_risks = models.TextField()
    route_back_in = models.TextField()
    shared_with = models.JSONField(default=list)
    proposed_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT)
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided = models.CharField(
        max_length=20, blank=True,
        choices=[("agreed", "Agreed"), ("not_agreed", "Not agreed")],
    )
    # The MDT's decision record: who recorded it, the day it applies from, and what was said.
    decided_by = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    # The MDT that discussed it, with the consultant (only a consultant agrees an end of care).
    mdt_held_on = models.DateField(null=True, blank=True)
    # A transfer's warm handover, or the date of death (checked by core.discharge.check_end).
    receiving_team = models.CharField(max_length=200, blank=True)
    accepted_by = models.CharField(max_length=200, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    died_on = models.DateField(null=True, blank=True)
