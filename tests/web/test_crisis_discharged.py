"""The crisis line still finds a recently discharged person, with the route back in agreed at
discharge, for OUTREACH_CRISIS_DISCHARGED_DAYS (default 90) after the discharge; then no
longer. Someone re-referred, or now with another team, is not shown as discharged."""

import pytest

from outreach.audit.models import AuditAction, AuditEvent
from outreach.records import selectors
from outreach.records.models import Episode, EpisodeStatus
from outreach.teams.models import Discipline, Role
from tests import factories
from tests.conftest import login
from tests.records.test_former import ROUTE, discharge


@pytest.fixture
def line(team):
    return factories.make_staff(team, role=Role.CRISIS_LINE, discipline=Discipline.NONE,
                                username="crisis-line")


def _html(response) -> str:
    return response.content.decode()


def test_crisis_line_finds_a_recent_discharge_with_the_route_back_in(team, practitioner, line):
    recent = factories.make_person(team, practitioner, family_name="Recently")
    decision = discharge(recent, practitioner, days_ago=30)
    long_ago = factories.make_person(team, practitioner, family_name="Longago")
    discharge(long_ago, practitioner, days_ago=91)
    client = login(line)
    summaries = _html(client.get("/crisis/"))
    assert "Recently" in summaries and "Longago" not in summaries
    assert f"Discharged on {decision.date:%-d %B %Y}: route back in: {ROUTE}" in summaries
    assert "Includes 1 person discharged in the last 90 days" in summaries
    one = client.get(f"/people/{recent.pk}/crisis/")
    assert one.status_code == 200 and ROUTE in _html(one)
    assert client.get(f"/people/{long_ago.pk}/crisis/").status_code == 404
    assert client.get(f"/people/{recent.pk}/").status_code == 404  # still no full record
    assert AuditEvent.objects.filter(person_id=recent.pk, action=AuditAction.VIEW,
                                     what="crisis summary", username="crisis-line").exists()


def test_the_crisis_period_is_configuration(team, practitioner, line, settings):
    settings.OUTREACH_CRISIS_DISCHARGED_DAYS = 20
    person = factories.make_person(team, practitioner)
    discharge(person, practitioner, days_ago=30)
    assert not selectors.crisis_people_for(line.user).filter(pk=person.pk).exists()
    settings.OUTREACH_CRISIS_DISCHARGED_DAYS = 30
    assert selectors.crisis_people_for(line.user).filter(pk=person.pk).exists()


def test_team_clinicians_also_find_recent_discharges_on_the_crisis_summaries(
        team, practitioner, other_practitioner):
    person = factories.make_person(team, practitioner, family_name="Recently")
    discharge(person, practitioner, days_ago=5)
    assert "Recently" in _html(login(practitioner).get("/crisis/"))
    assert login(other_practitioner).get(f"/people/{person.pk}/crisis/").status_code == 404


def test_re_referred_or_moved_on_is_not_shown_as_discharged(team, other_team, practitioner,
                                                           line):
    back = factories.make_person(team, practitioner, family_name="Cameback")
    discharge(back, practitioner, days_ago=10)
    Episode.objects.create(person=back, team=team, referral_date=factories.today(),
                           referral_source="gp", status=EpisodeStatus.REFERRED)
    moved = factories.make_person(team, practitioner, family_name="Movedon")
    discharge(moved, practitioner, days_ago=10)
    Episode.objects.create(person=moved, team=other_team, referral_date=factories.today(),
                           referral_source="gp", status=EpisodeStatus.ACCEPTED)
    html = _html(login(line).get("/crisis/"))
    assert "Cameback" in html and "Movedon" not in html
    assert "route back in" not in html
