"""The pages enforce the same scope as the API: own team only, 404 otherwise."""

from django.test import Client

from outreach.audit.models import AuditEvent
from tests import factories
from tests.conftest import login


def test_pages_need_sign_in(person):
    """Anonymous visitors are sent to the sign-in page."""
    response = Client().get(f"/people/{person.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_sign_in_page_renders(db):
    """The sign-in form is there for a phone-sized screen."""
    response = Client().get("/login/")
    assert response.status_code == 200
    assert b'name="viewport"' in response.content
    assert b'autocomplete="current-password"' in response.content


def test_caseload_shows_my_people_then_the_team(team, person, practitioner):
    """'My people' by default; the whole team's caseload is one click away."""
    teammate = factories.make_staff(team, username="nurse2")
    theirs = factories.make_person(team, teammate, family_name="Teammateperson")
    client = login(practitioner)
    mine = client.get("/").content.decode()
    assert person.family_name in mine and theirs.family_name not in mine
    whole = client.get("/?view=team").content.decode()
    assert person.family_name in whole and theirs.family_name in whole
    assert AuditEvent.objects.filter(person_id=theirs.pk, action="list").count() == 1


def test_front_sheet_shows_engagement_and_is_audited(person, practitioner):
    """The front sheet shows the ladder state with its expected action, and is audited."""
    factories.add_contact(person, practitioner, days_ago=15)
    response = login(practitioner).get(f"/people/{person.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Engagement: lost contact" in html
    assert "15 days since last successful face-to-face contact" in html
    assert AuditEvent.objects.filter(person_id=person.pk, action="view").count() == 1


def test_other_teams_front_sheet_is_404(stranger, practitioner):
    """Another team's person is not found, and no audit of a read is written."""
    response = login(practitioner).get(f"/people/{stranger.pk}/")
    assert response.status_code == 404
    assert stranger.family_name.encode() not in response.content
    assert not AuditEvent.objects.filter(person_id=stranger.pk).exists()


def test_commissioner_has_no_caseload(person, commissioner):
    """A commissioner's home page is the governance figures, naming nobody, and a record URL
    is 404."""
    client = login(commissioner)
    home = client.get("/", follow=True)
    assert home.status_code == 200
    assert home.request["PATH_INFO"].startswith("/governance/")
    assert person.family_name.encode() not in home.content
    assert client.get(f"/people/{person.pk}/").status_code == 404


def test_access_log_page_is_for_the_manager(person, practitioner, manager):
    """Only the team manager can see who accessed a record."""
    login(practitioner).get(f"/people/{person.pk}/")
    assert login(practitioner).get(f"/people/{person.pk}/audit/").status_code == 403
    page = login(manager).get(f"/people/{person.pk}/audit/")
    assert page.status_code == 200
    assert b"practitioner" in page.content


def test_team_page_shows_limits_and_cover_gaps(person, team, practitioner):
    """The team page warns about an uncovered absence of a key worker."""
    from outreach.teams.models import Absence

    Absence.objects.create(staff=practitioner, kind="sickness", start=factories.today(),
                           end=factories.today())
    html = login(practitioner).get("/team/").content.decode()
    assert "1 person has days with their key worker away" in html
    assert AuditEvent.objects.filter(person_id=person.pk, action="list").exists()
    assert person.family_name in html
    assert "within the limit of 1:12" in html
