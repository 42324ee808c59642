import pytest
from django.test import Client

from outreach.teams.models import Discipline, Role
from tests import factories
from tests.client import BrowserClient


@pytest.fixture
def team(db):
    return factories.make_team("north")


@pytest.fixture
def other_team(db):
    return factories.make_team("south")


@pytest.fixture
def practitioner(team):
    return factories.make_staff(team, username="practitioner")


@pytest.fixture
def manager(team):
    return factories.make_staff(team, role=Role.MANAGER, discipline=Discipline.MANAGER,
                                username="manager")


@pytest.fixture
def other_practitioner(other_team):
    return factories.make_staff(other_team, username="other-team")


@pytest.fixture
def commissioner(db):
    return factories.make_staff(None, role=Role.COMMISSIONER, discipline=Discipline.NONE,
                                username="commissioner")


@pytest.fixture
def person(team, practitioner):
    return factories.make_person(team, practitioner)


@pytest.fixture
def stranger(other_team, other_practitioner):
    """A person on the other team's caseload."""
    return factories.make_person(other_team, other_practitioner)


def login(staff) -> BrowserClient:
    """A signed-in client that posts forms as a browser does (tests/client.py)."""
    client = BrowserClient()
    assert client.login(username=staff.user.username, password=factories.PASSWORD)
    return client


@pytest.fixture
def api_token():
    """Get a bearer token through the real endpoint."""

    def issue(staff) -> dict:
        response = Client().post(
            "/api/v1/auth/token",
            {"username": staff.user.username, "password": factories.PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}

    return issue
