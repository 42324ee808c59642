"""The commissioners' population page shows the latest saved run's suppressed figures."""

from io import StringIO

import pytest
from django.core.management import call_command

from outreach.population.models import CohortRun
from outreach.teams.models import Discipline, Role
from tests import factories
from tests.conftest import login


@pytest.fixture
def region(tmp_path):
    path = tmp_path / "tiny"
    call_command("synth", mhsds=path, scale="tiny", seed=11, stdout=StringIO())
    return path


def test_saved_run_is_shown_to_commissioners_suppressed(commissioner, region):
    call_command("cohort", data=region, save=True, provider=True, stdout=StringIO(),
                 stderr=StringIO())
    run = CohortRun.objects.get()
    assert run.figures["audience"] == "commissioner"  # even from a provider run
    html = login(commissioner).get("/population/cohort/").content.decode()
    assert "Multiplier estimate (not a count)" in html
    assert "By ethnic group" in html and "Cohort rate per 1,000 SMI-known" in html
    for r in run.figures["localities"]:
        assert r["locality"] in html
        assert r["cohort"]["text"] == "*" or r["cohort"]["value"] % 5 == 0
    assert "P0" not in html


def test_page_without_a_run_says_how_to_make_one(commissioner):
    html = login(commissioner).get("/population/cohort/").content.decode()
    assert "No cohort run has been saved yet" in html


def test_people_without_governance_access_get_404(db):
    crisis = factories.make_staff(factories.make_team("north"), role=Role.CRISIS_LINE,
                                  discipline=Discipline.NONE, username="crisis")
    assert login(crisis).get("/population/cohort/").status_code == 404
