"""/api/v1/governance/: every figure as JSON and CSV, under the same rules as the pages
(team staff their team, exact, with the people behind a figure, audited; commissioners
every scope, suppressed, never a person), documented in the OpenAPI schema."""

import csv
import io

import pytest
from django.test import Client

from outreach.audit.models import AuditEvent
from outreach.core.measures import MEASURES
from outreach.governance import services
from tests import factories


def get(client_headers, path):
    return Client().get(path, **client_headers)


@pytest.fixture
def caseload(team, practitioner):
    return [factories.make_person(team, practitioner) for _ in range(3)]


def test_every_figure_as_json_for_team_staff(team, practitioner, caseload, api_token):
    response = get(api_token(practitioner), "/api/v1/governance/figures")
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == "team" and body["teams"] == [team.code] and not body["suppressed"]
    assert [f["key"] for f in body["figures"]] == [m.key for m in MEASURES]
    care = next(f for f in body["figures"] if f["key"] == "care_plan_in_date")
    assert care["denominator"] == 3 and care["numerator"] == 0 and care["text"] == "0%"
    assert care["numerator_definition"].startswith("those whose current care plan")
    assert len(care["trend"]) == 12 and care["trend"][-1]["end"] == str(factories.today())


def test_every_figure_as_csv(team, practitioner, caseload, api_token):
    response = get(api_token(practitioner), "/api/v1/governance/figures?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    headline = [r for r in rows if r["period"] == "headline"]
    assert len(headline) == len(MEASURES)
    assert {"measure", "start", "end", "value", "numerator", "denominator",
            "numerator_definition"} <= set(rows[0])


def test_commissioners_get_every_scope_suppressed(team, other_team, practitioner, caseload,
                                                   commissioner, api_token):
    headers = api_token(commissioner)
    for query in ("scope=trust", "scope=service&key=full_ao", f"scope=team&key={team.code}"):
        body = get(headers, f"/api/v1/governance/figures?trend=false&{query}").json()
        assert body["suppressed"] and "including zero" in body["suppression_rule"]
        care = next(f for f in body["figures"] if f["key"] == "care_plan_in_date")
        assert care["denominator"] is None and care["text"] == "*" and care["suppressed"]


def test_team_staff_get_only_their_team(team, other_team, practitioner, api_token):
    headers = api_token(practitioner)
    assert get(headers, f"/api/v1/governance/figures?key={other_team.code}").status_code == 404
    assert get(headers, "/api/v1/governance/figures?scope=trust").status_code == 403


def test_the_people_behind_a_figure_for_staff_audited(team, practitioner, caseload,
                                                      api_token):
    response = get(api_token(practitioner),
                   "/api/v1/governance/figures/care_plan_in_date/people")
    assert response.status_code == 200
    body = response.json()
    assert {p["person_id"] for p in body["people"]} == {p.pk for p in caseload}
    assert all(p["why"] == "No care plan recorded." for p in body["people"])
    assert AuditEvent.objects.filter(what="api governance figure: care_plan_in_date").count() \
        == 3


def test_commissioners_never_get_people(team, caseload, commissioner, api_token):
    headers = api_token(commissioner)
    response = get(headers, f"/api/v1/governance/figures/care_plan_in_date/people?team="
                            f"{team.code}")
    assert response.status_code == 403
    rag = get(headers, "/api/v1/governance/rag").json()
    assert rag["suppressed"] and rag["people"] == []
    mine = next(t for t in rag["teams"] if t["team"] == team.code)
    assert mine["people_text"] == "*" and mine["red"] == "*"
    assert not AuditEvent.objects.filter(what__startswith="api governance").exists()


def test_rag_for_team_staff(team, practitioner, caseload, api_token):
    body = get(api_token(practitioner), "/api/v1/governance/rag").json()
    assert {p["person_id"] for p in body["people"]} == {p.pk for p in caseload}
    first = body["people"][0]
    assert {r["standard"] for r in first["ratings"]} == {
        "care_plan", "crisis_plan", "risk_formulation", "contact", "physical_health",
        "legal", "carer_contact"}
    csv_body = get(api_token(practitioner), "/api/v1/governance/rag?format=csv")
    assert csv_body.content.decode().splitlines()[0].startswith("person_id,nhs_number")


def test_fidelity_returns_and_actions(team, manager, commissioner, api_token):
    services.action_create(by=manager, section="governance", action="Do it",
                           timeframe="medium", lead_organisation="ICB")
    review = services.return_create(by=commissioner, today=factories.today(), title="R",
                                    organisation="ICB", as_of=factories.today())
    headers = api_token(manager)
    fidelity = get(headers, "/api/v1/governance/fidelity").json()
    assert len(fidelity["features"]) == 11 and len(fidelity["dacts_from_record"]) == 28
    assert get(headers, "/api/v1/governance/fidelity?format=csv")["Content-Type"].startswith(
        "text/csv")
    assert get(headers, "/api/v1/governance/actions").json()[0]["action"] == "Do it"
    assert get(headers, "/api/v1/governance/actions?format=csv").status_code == 200
    assert get(headers, "/api/v1/governance/returns").json()[0]["title"] == "R"
    doc = get(headers, f"/api/v1/governance/returns/{review.pk}").json()
    assert doc["document"]["title"] == "R" and doc["status"] == "draft"
    assert get(headers, "/api/v1/governance/returns/999999").status_code == 404


def test_measures_are_described(practitioner, api_token):
    body = get(api_token(practitioner), "/api/v1/governance/measures").json()
    assert [m["key"] for m in body] == [m.key for m in MEASURES]
    assert all(m["numerator"] and m["denominator"] and m["period"] for m in body)


def test_other_accounts_get_nothing(db, team, api_token):
    from outreach.teams.models import Discipline, Role

    admin = factories.make_staff(None, role=Role.ADMINISTRATOR, discipline=Discipline.NONE,
                                 username="api-admin")
    assert get(api_token(admin), "/api/v1/governance/figures").status_code == 403
    assert Client().get("/api/v1/governance/figures").status_code == 401


def test_the_openapi_schema_documents_json_and_csv(db):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/v1/governance/figures", "/api/v1/governance/figures/{measure_key}/people",
                 "/api/v1/governance/rag", "/api/v1/governance/fidelity",
                 "/api/v1/governance/actions", "/api/v1/governance/measures",
                 "/api/v1/governance/returns", "/api/v1/governance/returns/{return_id}"):
        assert path in paths, path
    content = paths["/api/v1/governance/figures"]["get"]["responses"]["200"]["content"]
    assert "application/json" in content and "text/csv" in content
