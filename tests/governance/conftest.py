import pytest

from outreach.teams.models import Discipline, Role
from tests import factories
from tests.governance import builders


@pytest.fixture
def worker(team):
    """A full-time practitioner in post on the team (the default key worker)."""
    return builders.staff(team, username="gov-worker")


@pytest.fixture
def consultant(team):
    return builders.staff(team, role=Role.CONSULTANT, discipline=Discipline.PSYCHIATRIST,
                          username="gov-consultant")


@pytest.fixture
def crowded_team(team, practitioner):
    """People on the team's caseload today, with a little of everything, for page tests."""

    def build(n: int):
        today = factories.today()
        people = []
        for i in range(n):
            p = factories.make_person(team, practitioner, accepted_days_ago=400 + i)
            e = p.episodes.get()
            factories.add_contact(p, practitioner, days_ago=1 + i % 5)
            builders.care_plan(e, practitioner, on=today.replace(day=1), due=today.replace(
                year=today.year + 1), rated=11 - i % 2)
            builders.risk_formulation(e, practitioner, on=today.replace(day=1),
                                      due=today.replace(year=today.year + 1))
            people.append(p)
        return people

    return build
