"""Outcomes and equality in the API: JSON and CSV, scoped, suppressed for commissioners."""

import csv
import io

from outreach.outcomes.models import AreaPopulation
from tests import factories


def test_team_outcomes_json(api_token, practitioner, team, veteran, newcomer, client):
    r = client.get("/api/v1/governance/outcomes", **api_token(practitioner))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["teams"] == [team.code] and not body["suppressed"]
    assert any("comparison group" in c for c in body["caveats"])
    crisis = next(x for x in body["mirror_image"]
                  if x["outcome"] == "crisis_episodes" and x["horizon_years"] == 1)
    assert (crisis["people_compared"], crisis["total_before"], crisis["total_after"]) == (1, 2, 0)
    assert {"horizon_years": 1, "reason": "accepted less than 1 year ago: not yet enough "
            "follow-up", "people": 1} in body["left_out"]


def test_outcomes_csv(api_token, practitioner, veteran, client):
    r = client.get("/api/v1/governance/outcomes?format=csv", **api_token(practitioner))
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert {row["outcome"] for row in rows} >= {"bed_days", "admissions", "detentions"}


def test_commissioner_gets_suppressed_outcomes(api_token, commissioner, veteran, client):
    body = client.get("/api/v1/governance/outcomes?scope=trust",
                      **api_token(commissioner)).json()
    assert body["suppressed"]
    for row in body["mirror_image"]:
        assert row["people_compared"] is None  # one person: suppressed
        assert row["mean_change"] is None and row["mean_before"] is None


def test_team_staff_cannot_ask_for_the_trust(api_token, practitioner, client):
    r = client.get("/api/v1/governance/outcomes?scope=trust", **api_token(practitioner))
    assert r.status_code == 403


def test_other_team_is_not_found(api_token, other_practitioner, team, client):
    r = client.get(f"/api/v1/governance/equality?scope=team&key={team.code}",
                   **api_token(other_practitioner))
    assert r.status_code == 404


def test_equality_by_group_suppresses_three(api_token, commissioner, team, practitioner,
                                            client):
    for _ in range(3):
        factories.make_person(team, practitioner, accepted_days_ago=400, ethnic_category="N")
    for _ in range(10):
        factories.make_person(team, practitioner, accepted_days_ago=400, ethnic_category="A")
    body = client.get(f"/api/v1/governance/equality?scope=team&key={team.code}&by=ethnicity",
                      **api_token(commissioner)).json()
    rows = [f for f in body["figures"] if f["measure"] == "care_plan_in_date"]
    black = next(f for f in rows if f["group"].startswith("Black"))
    assert black["suppressed"] and black["denominator"] is None and black["ci_low"] is None
    for f in body["figures"]:
        for k in ("numerator", "denominator"):
            assert f[k] is None or f[k] >= 5
    assert "practitioner_caseloads" in body["no_breakdown"]


def test_equality_by_is_validated(api_token, practitioner, client):
    r = client.get("/api/v1/governance/equality?by=religion", **api_token(practitioner))
    assert r.status_code in (400, 422)


def test_pcref_json_and_csv(api_token, commissioner, team, veteran, client):
    AreaPopulation.objects.create(team=team, ethnic_group="White", adults=100_000,
                                  source="Synthetic")
    headers = api_token(commissioner)
    body = client.get("/api/v1/governance/equality/pcref?scope=trust", **headers).json()
    assert body["restrictive_practice"].startswith("No data.")
    assert "Friends and Family Test" in body["experience_note"]
    assert body["has_population"]
    r = client.get("/api/v1/governance/equality/pcref?scope=trust&format=csv", **headers)
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert {row["section"] for row in rows} == {"access", "mental_health_act", "experience"}
    for row in rows:
        assert row["count"] == "" or int(row["count"]) >= 5
