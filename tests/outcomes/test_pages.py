"""Outcome and equality pages: scoping, audit, caveats, suppression."""

from outreach.audit.models import AuditEvent
from outreach.core.outcomes import CAVEATS
from outreach.outcomes.models import AreaPopulation
from tests import factories
from tests.conftest import login


def test_person_outcomes_page_is_audited_and_states_caveats(practitioner, veteran):
    r = login(practitioner).get(f"/people/{veteran.pk}/outcomes/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Outcomes before and after acceptance" in html
    assert "no comparison group" in html.lower()
    assert "regression to the mean" in html
    assert AuditEvent.objects.filter(person_id=veteran.pk, what__contains="outcomes").exists()


def test_person_outcomes_says_short_follow_up(practitioner, newcomer):
    html = login(practitioner).get(f"/people/{newcomer.pk}/outcomes/").content.decode()
    assert "Not compared:" in html and "not yet enough follow-up" in html


def test_another_teams_person_is_not_found(other_practitioner, veteran):
    assert login(other_practitioner).get(f"/people/{veteran.pk}/outcomes/").status_code == 404


def test_front_sheet_links_to_outcomes(practitioner, veteran):
    html = login(practitioner).get(f"/people/{veteran.pk}/").content.decode()
    assert f"/people/{veteran.pk}/outcomes/" in html


def test_team_outcomes_page(practitioner, team, veteran, newcomer):
    r = login(practitioner).get(f"/governance/team/{team.code}/outcomes/")
    assert r.status_code == 200
    html = r.content.decode()
    assert CAVEATS[0] in html
    assert "not yet enough follow-up: 1" in html
    assert veteran.family_name not in html  # aggregates only


def test_team_staff_cannot_see_another_teams_outcomes(other_practitioner, team, veteran):
    r = login(other_practitioner).get(f"/governance/team/{team.code}/outcomes/")
    assert r.status_code == 404


def test_commissioner_sees_suppressed_outcomes(commissioner, team, veteran, newcomer):
    r = login(commissioner).get("/governance/trust/outcomes/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Aggregate figures only" in html
    assert "not yet enough follow-up: *" in html


def test_equality_breakdown_suppresses_a_group_of_three(commissioner, team, practitioner):
    """Three Black, six Asian and ten White people on the caseload: the commissioner sees no
    figure for the three, nor for the next smallest group (else the three could be worked
    out from the total)."""
    for _ in range(3):
        factories.make_person(team, practitioner, accepted_days_ago=400, ethnic_category="N")
    for _ in range(6):
        factories.make_person(team, practitioner, accepted_days_ago=400, ethnic_category="H")
    for _ in range(10):
        factories.make_person(team, practitioner, accepted_days_ago=400, ethnic_category="A")
    html = login(commissioner).get(
        f"/governance/team/{team.code}/equality/?by=ethnicity").content.decode()
    section = html.split('id="care_plan_in_date"')[1].split("<h2")[0]
    black = section.split("Black, Black British, Caribbean or African</th>")[1].split("</tr>")[0]
    assert ">3<" not in black and "*" in black
    asian = section.split("Asian or Asian British</th>")[1].split("</tr>")[0]
    assert ">5<" not in asian and "*" in asian
    white = section.split("White</th>")[1].split("</tr>")[0]
    assert ">10<" in white


def test_staff_see_their_groups_exactly(practitioner, team):
    for _ in range(3):
        factories.make_person(team, practitioner, accepted_days_ago=400, ethnic_category="N")
    html = login(practitioner).get(
        f"/governance/team/{team.code}/equality/?by=ethnicity").content.decode()
    section = html.split('id="care_plan_in_date"')[1].split("<h2")[0]
    black = section.split("Black, Black British, Caribbean or African</th>")[1].split("</tr>")[0]
    assert ">3<" in black


def test_every_breakdown_renders(practitioner, team, veteran):
    client = login(practitioner)
    for by in ("ethnicity", "age", "sex", "imd"):
        assert client.get(f"/governance/team/{team.code}/equality/?by={by}").status_code == 200
    assert client.get(f"/governance/team/{team.code}/equality/?by=religion").status_code == 404


def test_pcref_report(commissioner, team, practitioner, veteran):
    AreaPopulation.objects.create(team=team, ethnic_group="White", adults=200_000,
                                  source="Synthetic test population")
    html = login(commissioner).get("/governance/trust/pcref/").content.decode()
    assert "Restrictive practice" in html and "No data." in html
    assert "People who rated the service good or very good" in html
    assert "per 100,000" in html
    assert "Synthetic test population" in html


def test_pcref_without_population_says_so(practitioner, team, veteran):
    html = login(practitioner).get(f"/governance/team/{team.code}/pcref/").content.decode()
    assert "No local population figures are recorded" in html


def test_dashboard_links_to_the_breakdown(practitioner, team):
    html = login(practitioner).get(f"/governance/team/{team.code}/").content.decode()
    assert f"/governance/team/{team.code}/equality/" in html


def test_a_figure_counted_in_contacts_is_hidden_for_three_people(commissioner, team,
                                                                 practitioner):
    """Three Black people with 30 contacts between them: the contact figures for the group
    are hidden, because the people behind them are three."""
    for _ in range(3):
        p = factories.make_person(team, practitioner, accepted_days_ago=400,
                                  ethnic_category="N")
        for d in range(1, 11):
            factories.add_contact(p, practitioner, days_ago=d)
    for _ in range(12):
        p = factories.make_person(team, practitioner, accepted_days_ago=400,
                                  ethnic_category="A")
        factories.add_contact(p, practitioner, days_ago=2)
    html = login(commissioner).get(
        f"/governance/team/{team.code}/equality/?by=ethnicity").content.decode()
    section = html.split('id="face_to_face_share"')[1].split("<h2")[0]
    black = section.split("Black, Black British, Caribbean or African</th>")[1].split("</tr>")[0]
    assert ">30<" not in black and "100%" not in black and "*" in black
