"""/api/v1/governance/experience: results by team and quarter as JSON and CSV, suppressed
for every audience, shared comments only, scoped like the governance figures."""

import csv
import io

from django.test import Client

from tests.experience.test_pages import make_feedback


def get(headers, path):
    return Client().get(path, **headers)


def test_team_results_as_json_and_csv(team, practitioner, other_team, person, api_token):
    make_feedback(team, 6, comment="Shared", shared=True)
    make_feedback(team, 1, comment="Not for sharing", shared=False, person=person)
    headers = api_token(practitioner)
    body = get(headers, "/api/v1/governance/experience").json()
    assert body["teams"] == [team.code] and body["suppressed"] is True
    latest = body["results"][-1]
    assert latest["responses"] == {"value": 5, "text": "5", "suppressed": False}  # 7 -> 5
    assert latest["fft_positive"]["text"] == "100%"
    assert latest["agree"]["listened"]["value"] == 100
    assert latest["comments"] == ["Shared"] * 6
    assert "Not for sharing" not in str(body)
    assert get(headers, f"/api/v1/governance/experience?key={other_team.code}"
               ).status_code == 404
    response = get(headers, "/api/v1/governance/experience?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    fft = [r for r in rows if r["figure"] == "fft_positive"][-1]
    assert fft["text"] == "100%" and fft["team"] == team.code
    assert "Not for sharing" not in response.content.decode()


def test_commissioner_gets_every_team_suppressed(team, other_team, commissioner, api_token):
    make_feedback(team, 3)
    make_feedback(other_team, 3)
    body = get(api_token(commissioner),
               "/api/v1/governance/experience?scope=trust").json()
    latest = {r["team"]: r for r in body["results"]}
    assert latest[team.code]["responses"]["text"] == "*"
    assert latest["all"]["responses"]["text"] == "5"  # 6 together, rounded
    assert latest["all"]["comments"] == []
