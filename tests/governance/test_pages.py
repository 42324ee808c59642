"""Governance pages: who sees what (team staff their team with drill-down to people, audited;
commissioners every scope, suppressed, never a person), every figure's definition on the
page, charts with a table alternative, and a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outreach.audit.models import AuditEvent
from outreach.governance.models import TrendFigure
from outreach.teams.models import Discipline, Role
from tests import factories
from tests.conftest import login
from tests.governance import builders


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_team_staff_see_their_team_dashboard_with_every_definition(team, practitioner,
                                                                   crowded_team):
    crowded_team(3)
    response = login(practitioner).get(f"/governance/team/{team.code}/")
    assert response.status_code == 200
    page = text(response)
    for phrase in ("Care plan in date", "DIALOG+ completed", "Numerator", "Denominator",
                   "Period", "Discharges of people not engaged", "Wait from assessment to first "
                   "intervention", "Continuity", "People per whole-time member of staff"):
        assert phrase in page, phrase
    # 3 of 3 people have a care plan in date: exact figures for team staff.
    assert "3 of 3 people" in page
    # Each trend chart is an accessible SVG followed by a table of the same figures.
    html = response.content.decode()
    charts = html.count('class="outreach-chart" role="img"')
    assert charts == 18  # every measure but legal deadlines, which has no trend
    assert html.count("by month, as a table") == charts


def test_governance_home_sends_staff_to_their_team_and_commissioners_to_the_trust(
        team, practitioner, commissioner):
    assert login(practitioner).get("/governance/")["Location"] == \
        f"/governance/team/{team.code}/"
    assert login(commissioner).get("/governance/")["Location"] == "/governance/trust/"


def test_team_staff_cannot_see_another_team_or_the_trust(team, other_team, practitioner):
    client = login(practitioner)
    assert client.get(f"/governance/team/{other_team.code}/").status_code == 404
    assert client.get("/governance/trust/").status_code == 404
    assert client.get("/governance/service/full_ao/").status_code == 404
    assert client.get(f"/governance/team/{other_team.code}/rag/").status_code == 404


def test_accounts_without_a_team_or_commissioner_role_see_nothing(db, team):
    admin = factories.make_staff(None, role=Role.ADMINISTRATOR, discipline=Discipline.NONE,
                                 username="admin-gov")
    crisis = factories.make_staff(team, role=Role.CRISIS_LINE, discipline=Discipline.NONE,
                                  username="crisis-gov")
    for staff in (admin, crisis):
        assert login(staff).get("/governance/").status_code == 404
        assert login(staff).get("/governance/trust/").status_code == 404


def test_commissioners_see_every_scope_suppressed(team, other_team, practitioner,
                                                  commissioner, crowded_team):
    crowded_team(3)
    client = login(commissioner)
    for path in ("/governance/trust/", "/governance/service/full_ao/",
                 f"/governance/team/{team.code}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = text(response)
        assert "Aggregate figures only" in page and "including zero" in page
        assert "3 of 3 people" not in page and "* of * people" in page


def test_commissioners_get_no_people_behind_a_figure(team, practitioner, commissioner,
                                                     crowded_team):
    people = crowded_team(6)
    response = login(commissioner).get(
        f"/governance/team/{team.code}/measures/care_plan_in_date/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "aggregate figures only" in page.lower()
    for p in people:
        assert p.family_name not in page and p.nhs_number not in page
    assert not AuditEvent.objects.filter(what__startswith="governance figure").exists()


def test_drill_down_lists_the_people_and_is_audited(team, practitioner, crowded_team):
    people = crowded_team(4)
    response = login(practitioner).get(
        f"/governance/team/{team.code}/measures/dialog_completed/")
    page = text(response)
    assert response.status_code == 200
    for p in people:
        assert p.display_name in page
    # crowded_team rates 11 items for even i, 10 for odd: two not counted, listed first.
    assert page.index("10 of 11 DIALOG items") < page.index("11 of 11 DIALOG items")
    audited = set(AuditEvent.objects.filter(what="governance figure: dialog_completed")
                  .values_list("person_id", flat=True))
    assert audited == {p.pk for p in people}


def test_drill_down_says_how_many_people_are_counted_but_not_listed(team, practitioner):
    """A person discharged in the period is in the discharge figure but no longer on the
    caseload: the page says so rather than silently listing fewer."""
    kept = factories.make_person(team, practitioner)
    gone = factories.make_person(team, practitioner)
    builders.discharge(gone.episodes.get(), practitioner, on=factories.today(),
                       reason="step_down")
    page = text(login(practitioner).get(
        f"/governance/team/{team.code}/measures/non_engagement_discharges/"))
    assert "1 more person is in the figure but not listed" in page
    assert kept.display_name not in page  # not discharged: not in this figure


def test_measure_page_shows_worked_examples_and_the_by_team_table(team, other_team,
                                                                  commissioner):
    page = text(login(commissioner).get("/governance/trust/measures/care_plan_in_date/"))
    assert "Worked examples" in page and "an older version still in date does not make up" \
        in page
    assert "By team" in page and team.name in page and other_team.name in page


def test_legal_deadlines_say_why_there_is_no_trend(team, practitioner):
    page = text(login(practitioner).get(
        f"/governance/team/{team.code}/measures/legal_deadlines_met/"))
    assert "No trend: a renewal or review replaces the dates" in page


def test_workforce_figure_lists_practitioners_for_staff_only(team, practitioner,
                                                             commissioner):
    staff_page = text(login(practitioner).get(
        f"/governance/team/{team.code}/measures/practitioner_caseloads/"))
    assert practitioner.name in staff_page
    commissioner_page = text(login(commissioner).get(
        f"/governance/team/{team.code}/measures/practitioner_caseloads/"))
    assert practitioner.name not in commissioner_page


@pytest.mark.parametrize("path", [
    "/governance/team/north/", "/governance/team/north/measures/care_plan_in_date/",
    "/governance/team/north/measures/continuity/", "/governance/team/north/rag/",
    "/governance/team/north/fidelity/",
])
def test_pages_cost_the_same_queries_for_2_and_10_people(team, practitioner, crowded_team,
                                                         path):
    """Each query reads every person at once: 10 people cost no more queries than 2.
    (The trend is worked out afresh each time: its kept rows are cleared.)"""
    client = login(practitioner)
    counts = []
    for n in (2, 8):  # 2 people, then 10
        crowded_team(n)
        TrendFigure.objects.all().delete()
        client.get(path)  # warm the session
        TrendFigure.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_trust_dashboard_queries_do_not_grow_with_people(team, other_team, practitioner,
                                                         commissioner, crowded_team):
    client = login(commissioner)
    counts = []
    for n in (2, 8):
        crowded_team(n)
        TrendFigure.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/governance/trust/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_second_view_reuses_the_kept_trend(team, practitioner, crowded_team):
    crowded_team(2)
    client = login(practitioner)
    client.get(f"/governance/team/{team.code}/")
    kept = TrendFigure.objects.count()
    assert kept > 0
    with CaptureQueriesContext(connection) as ctx:
        page = text(client.get(f"/governance/team/{team.code}/"))
    assert TrendFigure.objects.count() == kept
    assert "Monthly trends as worked out at" in page
    assert not any("INSERT" in q["sql"] for q in ctx.captured_queries)
