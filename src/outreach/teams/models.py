"""Teams and their staff: who is on the team, their discipline and hours, leave and sickness."""

from django.conf import settings
from django.db import models


class ServiceType(models.TextChoices):
    FULL_AO = "full_ao", "Full assertive outreach team"
    DEDICATED_FUNCTION = "dedicated_function", "Dedicated function within a CMHT"


class Team(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    locality = models.CharField(max_length=200)
    service_type = models.CharField(max_length=30, choices=ServiceType.choices)
    # Operating hours; a team with no weekend hours leaves weekend_opens empty.
    weekday_opens = models.TimeField()
    weekday_closes = models.TimeField()
    weekend_opens = models.TimeField(null=True, blank=True)
    weekend_closes = models.TimeField(null=True, blank=True)
    # Used by the visit planner later; the team base's coordinates.
    base_latitude = models.FloatField(null=True, blank=True)
    base_longitude = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

    @property
    def open_at_weekends(self) -> bool:
        return self.weekend_opens is not None


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    CONSULTANT = "consultant", "Consultant psychiatrist"
    MANAGER = "manager", "Team manager"
    ADMINISTRATOR = "administrator", "Administrator"
    COMMISSIONER = "commissioner", "Commissioner"
    # Out of hours: read-only crisis summaries of the team it serves (design rule 10).
    CRISIS_LINE = "crisis_line", "24/7 crisis line"


class Discipline(models.TextChoices):
    PSYCHIATRIST = "psychiatrist", "Psychiatrist"
    NURSE = "nurse", "Nurse"
    OT = "ot", "Occupational therapist"
    SOCIAL_WORKER = "social_worker", "Social worker"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    STR_WORKER = "str_worker", "Support, time and recovery worker"
    PEER_SUPPORT = "peer_support", "Peer support worker"
    OT_TECHNICAL_INSTRUCTOR = "ot_technical_instructor", "OT technical instructor"
    MANAGER = "manager", "Manager"
    NONE = "none", "Not a clinician"


CLINICAL_ROLES = (Role.PRACTITIONER, Role.CONSULTANT, Role.MANAGER)


class StaffMember(models.Model):
    """A person who signs in, or who works on a team (most are both).

    Commissioners and administrators have no team and so no access to identifiable records.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="staff",
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices)
    discipline = models.CharField(max_length=30, choices=Discipline.choices)
    fte = models.DecimalField(max_digits=3, decimal_places=2, default=1)
    # ISO weekday numbers (1 = Monday) the person normally works, e.g. "1,2,3,4,5".
    working_days = models.CharField(max_length=20, default="1,2,3,4,5")
    shift_starts = models.TimeField(null=True, blank=True)
    shift_ends = models.TimeField(null=True, blank=True)
    joined = models.DateField()
    left = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_clinical(self) -> bool:
        return self.role in CLINICAL_ROLES and self.team_id is not None

    @property
    def working_weekdays(self) -> set[int]:
        return {int(d) for d in self.working_days.split(",") if d}


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", "Annual leave"
    SICKNESS = "sickness", "Sickness"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


class Absence(models.Model):
    """Leave or sickness; inclusive dates. Leaving the team is StaffMember.left."""

    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="absences")
    kind = models.CharField(max_length=20, choices=AbsenceKind.choices)
    start = models.DateField()
    end = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")),
                                   name="absence_end_after_start"),
        ]
        indexes = [models.Index(fields=["staff", "start", "end"])]
