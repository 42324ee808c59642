"""The saved cohort run in the API: by locality and by equality group, JSON and CSV, the
commissioners' suppressed figures only."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command

from outreach.population.models import CohortRun
from outreach.teams.models import Discipline, Role
from tests import factories


@pytest.fixture
def saved(tmp_path, db):
    path = tmp_path / "tiny"
    call_command("synth", mhsds=path, scale="tiny", seed=11, stdout=StringIO())
    call_command("cohort", data=path, save=True, provider=True, by=["sex"],
                 stdout=StringIO(), stderr=StringIO())
    return CohortRun.objects.get()


def test_breakdown_by_ethnic_group_is_the_saved_suppressed_one(api_token, commissioner,
                                                               saved, client):
    body = client.get("/api/v1/governance/population/cohort?by=ethnicity",
                      **api_token(commissioner)).json()
    assert body["suppressed"] and body["by"] == "ethnicity"
    section = saved.figures["equality"]["sections"][0]
    assert [r["group"] for r in body["rows"]] == [r["group"] for r in section["rows"]]
    for r in body["rows"]:
        for k in ("smi_known", "cohort", "cohort_on_ao", "cohort_not_on_ao"):
            assert r[k] is None or (r[k] >= 5 and r[k] % 5 == 0), (r, k)
        if r["cohort"] is None:
            assert r["rate_per_1000_smi_known"] is None and r["rate_low"] is None


def test_csv_by_sex_and_by_locality(api_token, commissioner, saved, client):
    token = api_token(commissioner)
    r = client.get("/api/v1/governance/population/cohort?by=sex&format=csv", **token)
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert [x["group"] for x in rows][:2] == ["Male", "Female"]
    assert rows[-1]["group"] == "All people"
    r = client.get("/api/v1/governance/population/cohort?format=csv", **token)
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert rows[-1]["locality"] == "All localities"


def test_a_breakdown_not_saved_is_404(api_token, commissioner, saved, client):
    r = client.get("/api/v1/governance/population/cohort?by=imd", **api_token(commissioner))
    assert r.status_code == 404 and "--by imd" in r.json()["detail"]


def test_no_saved_run_is_404(api_token, commissioner, client):
    r = client.get("/api/v1/governance/population/cohort", **api_token(commissioner))
    assert r.status_code == 404 and "--save" in r.json()["detail"]


def test_accounts_without_governance_access_are_refused(api_token, client, db):
    crisis = factories.make_staff(factories.make_team("north"), role=Role.CRISIS_LINE,
                                  discipline=Discipline.NONE, username="crisis")
    r = client.get("/api/v1/governance/population/cohort", **api_token(crisis))
    assert r.status_code == 403
