"""What the outcomes need that the record does not hold yet: hospital spells (including the
years before acceptance, entered from the history), crisis episodes, employment status, and
the local population each team serves by ethnic group (the PCREF denominator).

Admissions while on the caseload are also recorded as transitions (records.Transition,
admitted / left hospital), detentions as clinical.MHADetention, police contacts as
clinical.PoliceContact and step-ups to the crisis team as transitions: the selectors join
them with these rows, so nothing has to be entered twice. Rows are never deleted (clinical
Entry): corrections are amendments.
"""

from django.db import models
from django.db.models import F, Q

from outreach.clinical.models import Entry
from outreach.core.equality import BroadGroup
from outreach.records.models import Person
from outreach.teams.models import Team


class HospitalSpell(Entry):
    """A stay in a mental health hospital bed, from admission to discharge (None: still
    there), and whether the person was detained under the Mental Health Act for any of it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="hospital_spells")
    admitted_on = models.DateField()
    discharged_on = models.DateField(null=True, blank=True)
    detained = models.BooleanField(default=False)
    hospital = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["admitted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=F("admitted_on")),
                name="spell_discharged_after_admitted"),
        ]


class CrisisKind(models.TextChoices):
    HOME_TREATMENT = "home_treatment", "Crisis resolution and home treatment team"
    EMERGENCY_DEPARTMENT = "emergency_department", "Emergency department (mental health)"
    PLACE_OF_SAFETY = "place_of_safety", "Health-based place of safety (section 136)"
    CRISIS_HOUSE = "crisis_house", "Crisis house or crisis café"
    OTHER = "other", "Other crisis service"


class CrisisEpisode(Entry):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="crisis_episodes")
    kind = models.CharField(max_length=30, choices=CrisisKind.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                                   name="crisis_end_after_start"),
        ]


class EmploymentStatus(models.TextChoices):
    """MHSDS EMPLOYMENT STATUS (as in the Data Dictionary)."""

    EMPLOYED = "01", "Employed"
    SEEKING_WORK = "02", "Unemployed and actively seeking work"
    STUDENT = "03", "In education or training (student)"
    LONG_TERM_SICK = "04", "Long-term sick or disabled"
    HOME = "05", "Looking after the family or home"
    NOT_WORKING = "06", "Not claiming benefits and not working or seeking work"
    VOLUNTARY = "07", "Unpaid voluntary work"
    RETIRED = "08", "Retired"
    NOT_STATED = "ZZ", "Not stated"


# In work, study or voluntary work: "activity and employment" (001: social adjustment).
ACTIVE_STATUSES = (EmploymentStatus.EMPLOYED, EmploymentStatus.STUDENT,
                   EmploymentStatus.VOLUNTARY)


class EmploymentRecord(Entry):
    person = models.ForeignKey(Person, on_delete=models.PROTECT,
                               related_name="employment_records")
    assessed_on = models.DateField()
    status = models.CharField(max_length=2, choices=EmploymentStatus.choices)

    class Meta:
        ordering = ["assessed_on", "id"]


class AreaPopulation(models.Model):
    """Adults (18 and over) living in a team's area, by broad ethnic group: the local
    population a PCREF report compares the team's figures with. In a real deployment, from
    the Census; in this repository, synthetic (docs/outcomes.md)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="area_population")
    ethnic_group = models.CharField(max_length=60,
                                    choices=[(g.value, g.value) for g in BroadGroup])
    adults = models.PositiveIntegerField()
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["team", "ethnic_group"]
        constraints = [models.UniqueConstraint(fields=["team", "ethnic_group"],
                                               name="one_population_per_group")]
