"""/api/v1/governance/skills: gap counts per team and competency (exact for the team,
suppressed for commissioners) and the per-person matrix for the team's manager only."""

from datetime import timedelta

from django.test import Client

from outreach.skills.models import Competency, TrainingRecord
from tests import factories


def get(headers, path):
    return Client().get(path, **headers)


def test_gaps_exact_for_team_staff_and_suppressed_for_commissioners(
        team, manager, practitioner, commissioner, api_token):
    TrainingRecord.objects.create(
        staff=practitioner, competency=Competency.objects.get(key="mha_cto"),
        completed_on=factories.today() - timedelta(days=800),
        expires_on=factories.today() - timedelta(days=1), recorded_by=manager)
    body = get(api_token(practitioner), "/api/v1/governance/skills").json()
    mha = next(g for g in body["gaps"] if g["competency"] == "mha_cto")
    assert (mha["required"]["value"], mha["expired"]["value"], mha["missing"]["value"]) == (
        2, 1, 1)
    total = next(g for g in body["gaps"] if g["competency"] == "all")
    assert total["required"]["value"] == 18 and total["expired"]["value"] == 1
    body = get(api_token(commissioner),
               f"/api/v1/governance/skills?key={team.code}").json()
    mha = next(g for g in body["gaps"] if g["competency"] == "mha_cto")
    assert body["suppressed"] and mha["expired"]["text"] == "*"
    csv_text = get(api_token(commissioner),
                   f"/api/v1/governance/skills?key={team.code}&format=csv").content.decode()
    assert csv_text.startswith("team,competency,required")


def test_matrix_for_the_manager_only(team, manager, practitioner, commissioner, api_token):
    body = get(api_token(manager), "/api/v1/governance/skills/matrix").json()
    statuses = {(c["staff"], c["competency"]): c["status"] for c in body["cells"]}
    assert statuses[(practitioner.name, "psychosis")] == "missing"
    assert len(body["cells"]) == 2 * Competency.objects.count()
    for staff in (practitioner, commissioner):
        assert get(api_token(staff), "/api/v1/governance/skills/matrix").status_code == 403
