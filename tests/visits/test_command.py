"""`outreach plan`: from an instance file and from a team's record; the figures and every
unmet item printed as text and as JSON; bad input is a clear error, never a traceback."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from outreach.audit.models import AuditAction, AuditEvent
from outreach.planning import instances
from outreach.records.models import PlannedVisit
from outreach.visits.models import WeekPlan
from tests import factories
from tests.planning.tiny import person, week, worker

from .conftest import day, make_depot, make_people


def plan(*args) -> str:
    out = StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def instance_file(tmp_path):
    """Two people, one of whom no worker may see (they asked not to see the only worker)."""
    problem = week([worker("w1")], [
        person("p1", 2.0, weekly_target=2, key_worker="w1"),
        person("p2", 3.0, weekly_target=2, avoid_workers=frozenset({"w1"})),
    ])
    path = tmp_path / "tiny.json"
    instances.save(problem, path)
    return path


def test_an_instance_file_prints_figures_and_unmet_reasons(instance_file):
    text = plan("--instance", str(instance_file), "--seconds", "0.3")
    assert "Contact targets met     1 of 2 people (50.0%)" in text
    assert "Face-to-face contacts   2 of 4" in text
    assert "Not met (1):" in text
    assert "- p2: contact x2." in text
    assert "No worker person p2 may see is on shift" in text


def test_an_instance_file_as_json_carries_the_same(instance_file):
    data = json.loads(plan("--instance", str(instance_file), "--seconds", "0.3", "--json"))
    assert data["figures"]["people_targets_met"] == 1
    assert data["figures"]["contacts_planned"] == 2
    assert data["figures"]["travel_minutes"] > 0
    assert 0 <= data["figures"]["key_worker_share"] <= data["figures"]["continuity_share"]
    assert data["unmet_count"] == 1 and data["unmet"][0]["person"] == "p2"
    assert data["unmet"][0]["count"] == 2 and data["saved"] is False


@pytest.mark.parametrize("content, message", [
    (None, "No instance file at"),
    ("{not json", "is not a usable instance"),
    ('{"week_start": "2026-11-30"}', "is not a usable instance"),
])
def test_a_bad_instance_file_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=message):
        plan("--instance", str(path))


def test_planning_from_the_record_prints_names_and_writes_nothing(based, nurse):
    people = make_people(based, nurse, 2)
    nowhere = factories.make_person(based, nurse, given_name="Nowhere", family_name="Known")
    make_depot(people[0], nurse, due_in=2)
    text = plan("--team", based.code, "--as", "practitioner", "--week", day(1).isoformat(),
                "--seconds", "0.3")
    assert "(not saved)" in text
    assert "Contact targets met     2 of 3 people" in text
    assert f"Nowhere Known (id {nowhere.pk}): Contact x2." in text
    assert "has no coordinates" in text and "person p" not in text
    assert not PlannedVisit.objects.exists() and not WeekPlan.objects.exists()
    shown = AuditEvent.objects.filter(action=AuditAction.LIST, person_id=nowhere.pk).get()
    assert shown.username == "practitioner" and "command line" in shown.path


def test_save_writes_the_run_as_the_page_does(based, nurse):
    make_people(based, nurse, 2)
    data = json.loads(plan("--team", based.code, "--as", "practitioner",
                           "--week", day(1).isoformat(), "--save", "--json"))
    run = WeekPlan.objects.get()
    assert data["saved"] is True and data["run_id"] == run.pk and run.run_by == nurse
    assert PlannedVisit.objects.filter(status="planned").count() == 4
    assert data["figures"]["contacts_planned"] == 4


@pytest.mark.parametrize("args, message", [
    (["--team", "north"], "Say who is planning"),
    (["--team", "north", "--as", "nobody"], "not a clinician on team north"),
    (["--team", "south", "--as", "practitioner"], "not a clinician on team south"),
    (["--team", "north", "--as", "practitioner", "--week", "2000-01-03", "--save"],
     "cannot be in the past"),
    (["--team", "north", "--as", "practitioner", "--week", "2000-01-03"],
     "cannot be in the past"),
    (["--instance", "x.json", "--week", "2026-11-30"], "use them with --team"),
])
def test_the_record_needs_a_clinician_of_that_team(based, nurse, other_team, args, message):
    with pytest.raises(CommandError, match=message):
        plan(*args)
    assert not WeekPlan.objects.exists()
