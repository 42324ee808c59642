"""Re-planning today from a worker's day: a worker off sick, a no-access visit to try again,
a crisis visit; few changes to other visits, every change shown, locks never moved."""

from datetime import time

import pytest

from outreach.audit.models import AuditEvent
from outreach.records.models import PlannedVisit, VisitStatus
from outreach.visits import services
from outreach.visits.models import RunKind, VisitLock, WeekPlan
from tests import factories
from tests.conftest import login

from .conftest import day, every_day, make_people, place, visit


@pytest.fixture(autouse=True)
def early_morning(monkeypatch):
    """The clock says 08:00, whenever the tests run: events are entered in good time."""
    monkeypatch.setattr(services, "now_minute", lambda: 8 * 60)


def minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def replan(client, worker, **fields):
    data = {"kind": "off_sick", "at": "10:00", "submission_key": "r-1"}
    data.update(fields)
    return client.post(f"/visits/workers/{worker.pk}/replan/", data)


def test_a_worker_off_sick_hands_their_day_to_others_and_shows_every_change(based, nurse,
                                                                            colleague):
    """From 10:00 the sick worker has no visits; the one before 10:00 stays; a locked visit
    is never moved and is listed as needing a worker; the colleague's own visit stays."""
    every_day(colleague, start=time(8), end=time(20))
    a, b, c, d = make_people(based, nurse, 4)
    before = visit(a, nurse, on=0, at=time(9))
    after = visit(b, nurse, on=0, at=time(11))
    locked = visit(c, nurse, on=0, at=time(15))
    VisitLock.objects.create(visit=locked, locked_by=nurse)
    theirs = visit(d, colleague, on=0, at=time(13))
    client = login(nurse)
    response = replan(client, nurse)
    assert response.status_code == 302, response.content.decode()[:2000]
    run = WeekPlan.objects.get(kind=RunKind.REPLAN)
    assert run.events == [{"kind": "off_sick", "worker_id": nurse.pk, "until": None,
                           "at": "10:00"}]
    moved = PlannedVisit.objects.get(pk=after.pk)
    assert moved.status == VisitStatus.PLANNED and moved.staff == colleague
    assert PlannedVisit.objects.get(pk=before.pk).staff == nurse
    assert PlannedVisit.objects.get(pk=locked.pk).staff == nurse  # locks never move
    changes = {c["visit_id"]: c["change"] for c in run.changes}
    # The colleague keeps their own visit; the planner may nudge it by up to 15 minutes to
    # fit the new one in, and then says so.
    fresh = PlannedVisit.objects.get(pk=theirs.pk)
    assert fresh.staff == colleague and abs(minutes(fresh.time) - 13 * 60) <= 15
    assert (fresh.time == time(13)) == (theirs.pk not in changes)
    assert changes[after.pk] == "moved" and changes[locked.pk] == "stranded"
    page = client.get(response["Location"]).content.decode().replace("&#39;", "'")
    assert "What the re-plan changed" in page
    assert f"{b.display_name}</a>: Moved" in page
    assert f"{c.display_name}</a>: Needs a worker" in page
    assert "Locked to a worker who is off sick" in page
    assert AuditEvent.objects.filter(action="update", what="re-planned today: off_sick",
                                     person_id=b.pk).exists()


def test_a_visit_nobody_could_take_is_cancelled_with_the_reason(based, nurse):
    """The only worker goes off sick: their later visit is cancelled, and the page says why
    and to arrange it by hand."""
    person = make_people(based, nurse, 1)[0]
    later = visit(person, nurse, on=0, at=time(14))
    client = login(nurse)
    response = replan(client, nurse)
    assert PlannedVisit.objects.get(pk=later.pk).status == VisitStatus.CANCELLED
    page = client.get(response["Location"]).content.decode()
    assert "Cancelled: nobody could take it" in page


def test_no_access_adds_a_visit_to_try_again(based, nurse, colleague):
    """A 09:00 visit found nobody in: a retry is planned later today or this week, and the
    page asks for the no-access contact to be logged."""
    every_day(colleague, start=time(8), end=time(20))
    person = make_people(based, nurse, 1)[0]
    other = make_people(based, colleague, 1, km=3)[0]
    failed = visit(person, nurse, on=0, at=time(9))
    keep = visit(other, colleague, on=0, at=time(12))
    client = login(nurse)
    response = replan(client, nurse, kind="no_access", visit=failed.pk, at="09:50")
    assert response.status_code == 302, response.content.decode()[:3000]
    retry = PlannedVisit.objects.exclude(pk__in=[failed.pk, keep.pk]).get()
    assert retry.person == person and retry.proposal.kind == "retry"
    assert retry.proposal.accepted and (retry.date, retry.time) > (day(0), time(9, 50))
    kept = PlannedVisit.objects.get(pk=keep.pk)
    assert kept.staff == colleague and abs(minutes(kept.time) - 12 * 60) <= 15
    run = WeekPlan.objects.get(kind=RunKind.REPLAN)
    assert (kept.time == time(12)) == (keep.pk not in {c["visit_id"] for c in run.changes})
    page = client.get(response["Location"]).content.decode()
    assert "Log the no-access contact" in page and "New visit" in page


def test_a_crisis_visit_is_planned_today(based, nurse, colleague):
    every_day(colleague, start=time(8), end=time(20))
    person = make_people(based, nurse, 1)[0]
    client = login(nurse)
    response = replan(client, nurse, kind="crisis", person=person.pk, at="11:00",
                      within_hours=3, minutes=60)
    assert response.status_code == 302
    crisis = PlannedVisit.objects.get(person=person)
    assert crisis.date == day(0) and time(11) <= crisis.time <= time(14)
    assert crisis.purpose == "Crisis visit"


def test_a_crisis_for_someone_without_coordinates_is_a_field_error(based, nurse):
    person = factories.make_person(based, nurse)
    response = replan(login(nurse), nurse, kind="crisis", person=person.pk, at="11:00")
    assert response.status_code == 200
    assert "has no coordinates" in response.content.decode()
    assert not WeekPlan.objects.exists()


def test_the_form_says_what_is_missing(based, nurse):
    place(factories.make_person(based, nurse), 2)
    response = replan(login(nurse), nurse, kind="no_access", at="")
    html = response.content.decode()
    assert "Choose the visit that found nobody in" in html and "Enter when it happened" in html


def test_a_double_submission_replans_once(based, nurse, colleague):
    every_day(colleague, start=time(8), end=time(20))
    person = make_people(based, nurse, 1)[0]
    client = login(nurse)
    replan(client, nurse, kind="crisis", person=person.pk, at="11:00", submission_key="k")
    replan(client, nurse, kind="crisis", person=person.pk, at="11:00", submission_key="k")
    assert PlannedVisit.objects.filter(person=person).count() == 1


def test_an_event_entered_late_plans_nothing_into_the_past(based, nurse, colleague,
                                                            monkeypatch):
    """Off sick since 10:00, entered at 12:00: the 11:00 visit is past, so it is listed as
    missed (log it or rearrange), and only the 14:00 one is handed on, after 12:00."""
    monkeypatch.setattr(services, "now_minute", lambda: 12 * 60)
    every_day(colleague, start=time(8), end=time(20))
    a, b = make_people(based, nurse, 2)
    missed = visit(a, nurse, on=0, at=time(11))
    later = visit(b, nurse, on=0, at=time(14))
    replan(login(nurse), nurse, at="10:00")
    run = WeekPlan.objects.get(kind=RunKind.REPLAN)
    changes = {c["visit_id"]: c for c in run.changes}
    assert changes[missed.pk]["change"] == "stranded"
    assert "that time has passed" in changes[missed.pk]["reason"]
    assert PlannedVisit.objects.get(pk=missed.pk).time == time(11)
    moved = PlannedVisit.objects.get(pk=later.pk)
    assert moved.staff == colleague and moved.time >= time(12)
