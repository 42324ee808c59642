"""Situations for the visit planning tests: a team with a base, workers who work every day,
and people placed a few km east of the base. Solver budgets are kept tiny."""

from datetime import time, timedelta

import pytest

from outreach.clinical.models import Depot, RiskFormulation
from outreach.records.models import PlannedVisit
from outreach.teams.models import Absence
from tests import factories

BASE = (53.48, -2.24)


@pytest.fixture(autouse=True)
def quick_planner(settings):
    settings.OUTREACH_PLANNER_SECONDS = 0.5
    settings.OUTREACH_REPLAN_SECONDS = 0.3
    # Test logins need no strong hashing; Argon2 costs most of a second per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def east(km: float) -> tuple[float, float]:
    return BASE[0], round(BASE[1] + km / 66.2, 6)


def day(n: int):
    return factories.today() + timedelta(days=n)


def place(person, km: float):
    person.latitude, person.longitude = east(km)
    person.save(update_fields=["latitude", "longitude"])
    return person


def every_day(staff, start=time(9), end=time(17)):
    staff.working_days = "1,2,3,4,5,6,7"
    staff.shift_starts, staff.shift_ends = start, end
    staff.save()
    return staff


@pytest.fixture
def based(team):
    team.base_latitude, team.base_longitude = BASE
    team.save()
    return team


@pytest.fixture
def nurse(based, practitioner):
    """The signed-in practitioner, a nurse who works every day 09:00-17:00."""
    return every_day(practitioner)


@pytest.fixture
def colleague(based):
    return every_day(factories.make_staff(based, username="colleague"))


def make_people(team, key_worker, n: int, *, km: float = 2.0):
    return [place(factories.make_person(team, key_worker), km + i * 0.5) for i in range(n)]


def make_depot(person, staff, *, due_in: int = 2, tolerance: int = 2) -> Depot:
    return Depot.objects.create(
        person=person, recorded_by=staff, medicine="Aripiprazole", dose="400 mg",
        interval_days=28, started_on=day(-60), next_due=day(due_in), tolerance_days=tolerance)


def needs_two(person, staff) -> RiskFormulation:
    return RiskFormulation.objects.create(
        person=person, recorded_by=staff, history="h", triggers="t", protective_factors="p",
        what_reduces_risk="w", two_staff_visits=True, reviewed_on=day(-10),
        review_due=day(80))


def away(staff, start: int, end: int) -> Absence:
    return Absence.objects.create(staff=staff, kind="leave", start=day(start), end=day(end))


def visit(person, staff, *, on: int, at: time | None = time(10), second=None,
          **fields) -> PlannedVisit:
    return PlannedVisit.objects.create(
        person=person, episode=person.episodes.get(), staff=staff, second_staff=second,
        date=day(on), time=at, place="home", **fields)
