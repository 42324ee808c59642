"""Where signing in lands each role (issue 13): a practitioner on their own people, a
manager or consultant with nobody of their own on the whole team's caseload, a commissioner
on the governance pages, the crisis line on its crisis summaries."""

import pytest

from outreach.teams.models import Discipline, Role
from tests import factories
from tests.conftest import login


@pytest.fixture
def consultant(team):
    return factories.make_staff(team, role=Role.CONSULTANT, discipline=Discipline.PSYCHIATRIST,
                                username="consultant")


def test_practitioner_lands_on_their_own_people(team, person, practitioner):
    """A practitioner with people of their own sees them, not the team's."""
    teammate = factories.make_staff(team, username="nurse2")
    theirs = factories.make_person(team, teammate, family_name="Teammateperson")
    response = login(practitioner).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "My people and people I cover" in html
    assert person.family_name in html and theirs.family_name not in html


def test_practitioner_with_nobody_still_lands_on_my_people(team, person):
    """Only the people who lead the team are sent to the team's list: a new practitioner
    with nobody yet sees an empty 'My people', which is the truth about their work."""
    newcomer = factories.make_staff(team, username="newcomer")
    response = login(newcomer).get("/")
    assert response.status_code == 200
    assert "My people and people I cover" in response.content.decode()


@pytest.mark.parametrize("who", ["manager", "consultant"])
def test_manager_and_consultant_with_nobody_land_on_the_team_caseload(
        request, who, team, person):
    """A manager or consultant with no key-worked or covered people is taken to the whole
    team's caseload, which lists the team's people."""
    client = login(request.getfixturevalue(who))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/?view=team"
    html = client.get(response["Location"]).content.decode()
    assert "whole team caseload" in html
    assert person.family_name in html


def test_manager_can_still_choose_only_their_own_people(manager, person):
    """'Show only my people' still shows the manager's own (empty) list, and filters keep
    the chosen view instead of bouncing back to the team's."""
    client = login(manager)
    html = client.get("/?view=team").content.decode()
    assert 'href="?view=mine"' in html and 'name="view" value="team"' in html
    mine = client.get("/?view=mine")
    assert mine.status_code == 200
    text = mine.content.decode()
    assert "My people and people I cover" in text and person.family_name not in text
    assert 'name="view" value="mine"' in text


def test_consultant_with_people_of_their_own_lands_on_them(team, consultant, person):
    """A consultant who is someone's key worker lands on their own people like anyone."""
    theirs = factories.make_person(team, consultant, family_name="Consultantsperson")
    response = login(consultant).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert theirs.family_name in html and person.family_name not in html


def test_commissioner_lands_on_governance(commissioner, person):
    """A commissioner has no caseload: signing in goes to the trust's governance figures."""
    client = login(commissioner)
    response = client.get("/", follow=True)
    assert response.redirect_chain[0] == ("/governance/", 302)
    assert response.status_code == 200
    assert response.request["PATH_INFO"].startswith("/governance/")
    assert person.family_name.encode() not in response.content


def test_crisis_line_lands_on_crisis_summaries(team, person):
    """The 24/7 crisis line goes straight to the crisis summaries of the team it serves."""
    crisis = factories.make_staff(team, role=Role.CRISIS_LINE, discipline=Discipline.NONE,
                                  username="crisis")
    response = login(crisis).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/crisis/"


def test_administrator_is_told_there_is_no_caseload(db):
    """An administrator sees no records and no governance: the page says so plainly."""
    admin = factories.make_staff(None, role=Role.ADMINISTRATOR, discipline=Discipline.NONE,
                                 username="admin")
    response = login(admin).get("/")
    assert response.status_code == 200
    assert b"You have no caseload" in response.content
