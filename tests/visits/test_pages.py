"""The pages: a worker's day (ordered, with travel and the contact to log), a person's week,
accept, lock and adjust with field errors, the calendar file, scoping, audit and constant
query counts."""

from datetime import time

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outreach.audit.models import AuditEvent
from outreach.records.models import PlannedVisit
from outreach.records.services import STALE_EDIT
from outreach.visits.models import Proposal, VisitLock, WeekPlan
from outreach.visits.services import LOCK_NEEDS_TIME
from tests import factories
from tests.conftest import login

from .conftest import away, day, make_people, needs_two, visit


def propose(v, staff, *, run=None) -> PlannedVisit:
    run = run or WeekPlan.objects.filter(team=staff.team).first() or WeekPlan.objects.create(
        team=staff.team, kind="week", start=day(1), end=day(7), run_by=staff, seconds=1)
    Proposal.objects.create(visit=v, run=run, kind="contact", minutes=45)
    return v


def day_url(staff, n: int) -> str:
    return f"/visits/workers/{staff.pk}/{day(n).isoformat()}/"


def audits(what_start: str, action: str = "list") -> set[int]:
    return set(AuditEvent.objects.filter(action=action, what__startswith=what_start)
               .values_list("person_id", flat=True))


def test_a_workers_day_is_in_time_order_with_travel_and_the_contact_to_log(based, nurse):
    late, early, untimed = make_people(based, nurse, 3)
    a = visit(late, nurse, on=1, at=time(14))
    b = visit(early, nurse, on=1, at=time(10))
    visit(untimed, nurse, on=1, at=None)
    html = login(nurse).get(day_url(nurse, 1)).content.decode()
    assert html.index(early.display_name) < html.index(late.display_name) < html.index(
        untimed.display_name)
    assert "Working 09:00 to 17:00, from the team base." in html
    assert "10:00 to 10:45" in html and "14:00 to 14:45" in html
    assert "Travel from the previous place:" in html and "Back to base:" in html
    assert "1 visit has no time" in html
    for v, person in ((a, late), (b, early)):
        assert f"/people/{person.pk}/contacts/new/?visit={v.pk}" in html
    assert audits("visit plan: ") >= {late.pk, early.pk, untimed.pk}


def test_the_planned_visit_becomes_the_contact_logged(based, nurse):
    person = make_people(based, nurse, 1)[0]
    v = visit(person, nurse, on=0, at=time(9))
    client = login(nurse)
    form = client.get(f"/people/{person.pk}/contacts/new/?visit={v.pk}").content.decode()
    assert "Planned visit:" in form
    client.post(f"/people/{person.pk}/contacts/new/", {
        "outcome": "attended", "date": day(0).isoformat(), "mode": "face_to_face",
        "place": "home", "with_whom": "person", "submission_key": "c1",
        "planned_visit": v.pk})
    v.refresh_from_db()
    assert v.status == "done" and v.contact is not None
    assert "Done" in client.get(day_url(nurse, 0)).content.decode()


def test_accept_lock_and_unlock(based, nurse):
    person = make_people(based, nurse, 1)[0]
    v = propose(visit(person, nurse, on=2, at=time(11)), nurse)
    client = login(nurse)
    assert "Proposed" in client.get(day_url(nurse, 2)).content.decode()
    client.post(f"/visits/{v.pk}/accept/", page=day_url(nurse, 2))
    assert Proposal.objects.get(visit=v).accepted_by == nurse
    client.post(f"/visits/{v.pk}/lock/", page=day_url(nurse, 2))
    assert VisitLock.objects.filter(visit=v, locked_by=nurse).exists()
    assert "Locked" in client.get(day_url(nurse, 2)).content.decode()
    response = client.post(f"/visits/{v.pk}/unlock/", {"next": f"/visits/people/{person.pk}/"},
                           page=f"/visits/people/{person.pk}/")
    assert response["Location"] == f"/visits/people/{person.pk}/"
    assert not VisitLock.objects.filter(visit=v).exists()
    assert set(AuditEvent.objects.filter(action="update").values_list("what", flat=True)) == {
        f"planned visit {v.pk} accepted", f"planned visit {v.pk} locked",
        f"planned visit {v.pk} unlocked"}


def test_a_visit_without_a_time_cannot_be_locked(based, nurse):
    v = visit(make_people(based, nurse, 1)[0], nurse, on=2, at=None)
    client = login(nurse)
    response = client.post(f"/visits/{v.pk}/lock/", page=day_url(nurse, 2))
    assert not VisitLock.objects.exists()
    assert LOCK_NEEDS_TIME in client.get(response["Location"]).content.decode()


def test_an_outside_redirect_is_not_followed(based, nurse):
    v = propose(visit(make_people(based, nurse, 1)[0], nurse, on=2), nurse)
    response = login(nurse).post(f"/visits/{v.pk}/accept/", {"next": "https://evil.example/"},
                                 page=day_url(nurse, 2))
    assert response["Location"] == day_url(nurse, 2)


def _adjust(client, v, **fields):
    data = {"date": v.date.isoformat(), "time": "10:00", "staff": v.staff_id,
            "second_staff": "", "version": v.version}
    data.update(fields)
    return client.post(f"/visits/{v.pk}/adjust/", data)


@pytest.mark.parametrize("case", [
    "no_time", "not_working", "outside_hours", "clash", "same_worker", "two_staff", "past",
    "stale", "2099"])
def test_adjust_refuses_what_does_not_fit_with_field_errors(case, based, nurse, colleague):
    """Each bad change is refused next to its field and nothing is saved."""
    person, other = make_people(based, nurse, 2)
    v = propose(visit(person, nurse, on=2, at=time(11)), nurse)
    fields, message = {
        "no_time": ({"time": ""}, "Enter the time of the visit"),
        "not_working": ({"staff": colleague.pk}, f"{colleague.name} is not working on"),
        "outside_hours": ({"time": "16:30"}, "works 09:00 to 17:00"),
        "clash": ({"time": "14:15"}, "already has a visit from 14:00 to 14:45"),
        "same_worker": ({"second_staff": nurse.pk}, "The second worker must be someone else."),
        "two_staff": ({}, "asks for two staff at visits: choose a second worker"),
        "past": ({"date": day(-1).isoformat()}, "A visit cannot be moved into the past."),
        "stale": ({"version": v.version - 1 if v.version > 1 else 99}, STALE_EDIT),
        "2099": ({"date": "2099-01-05"}, "A visit can be planned up to 26 weeks ahead"),
    }[case]
    if case == "not_working":
        away(colleague, 2, 2)
    if case == "clash":
        visit(other, nurse, on=2, at=time(14))
    if case == "two_staff":
        needs_two(person, nurse)
    response = _adjust(login(nurse), v, **fields)
    html = response.content.decode().replace("&#39;", "'")
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html, html[html.index("nhsuk-error-summary"):][:1500]
    fresh = PlannedVisit.objects.get(pk=v.pk)
    assert (fresh.staff_id, fresh.date, fresh.time, fresh.version) == (
        nurse.pk, day(2), time(11), v.version)


def test_adjust_moves_the_visit_and_makes_it_the_workers_choice(based, nurse, colleague):
    person = make_people(based, nurse, 1)[0]
    v = propose(visit(person, nurse, on=2, at=time(11)), nurse)
    response = _adjust(login(nurse), v, date=day(3).isoformat(), time="15:30",
                       staff=colleague.pk, second_staff=nurse.pk)
    assert response.status_code == 302 and response["Location"] == day_url(colleague, 3)
    fresh = PlannedVisit.objects.get(pk=v.pk)
    assert (fresh.staff, fresh.second_staff, fresh.date, fresh.time) == (
        colleague, nurse, day(3), time(15, 30))
    assert fresh.version == v.version + 1 and fresh.proposal.accepted


def test_a_workers_calendar_file_has_their_visits_and_no_clinical_detail(based, nurse,
                                                                         colleague):
    person, other = make_people(based, nurse, 2)
    person.address = "1 Secret Street"
    person.save()
    a = visit(person, nurse, on=1, at=time(10), purpose="Depot due Tue")
    b = visit(other, colleague, on=2, at=time(13), second=nurse)
    visit(other, colleague, on=3, at=time(9))  # not the nurse's
    response = login(nurse).get(f"/visits/workers/{nurse.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    calendar = icalendar.Calendar.from_ical(text)
    events = [e for e in calendar.walk("VEVENT")]
    assert [str(e["SUMMARY"]) for e in events] == [f"Visit {a.pk}", f"Visit {b.pk}"]
    assert events[0]["DTSTART"].dt.astimezone(factories.timezone.get_current_timezone()) \
        .time() == time(10)
    for secret in (person.given_name, person.family_name, "Secret", "Depot", "two staff",
                   other.family_name):
        assert secret not in text
    assert audits("calendar of", action="export") == {person.pk, other.pk}


def test_another_team_gets_not_found_everywhere(based, nurse, other_practitioner, stranger):
    """Another team's worker cannot see or change this team's plan, and nobody here sees
    theirs: every page is 404 and nothing changes."""
    person = make_people(based, nurse, 1)[0]
    v = propose(visit(person, nurse, on=2, at=time(11)), nurse)
    outsider = login(other_practitioner)
    for url in (day_url(nurse, 2), f"/visits/workers/{nurse.pk}/replan/",
                f"/visits/workers/{nurse.pk}/calendar.ics", f"/visits/people/{person.pk}/",
                f"/visits/{v.pk}/adjust/"):
        assert outsider.get(url).status_code == 404, url
    for url in (f"/visits/{v.pk}/accept/", f"/visits/{v.pk}/lock/", f"/visits/{v.pk}/unlock/",
                f"/visits/{v.pk}/adjust/", f"/visits/workers/{nurse.pk}/replan/"):
        assert outsider.post_stale(url, {"kind": "off_sick", "at": "10:00"}).status_code == 404, url
    assert not Proposal.objects.get(visit=v).accepted and not VisitLock.objects.exists()
    assert login(nurse).get(f"/visits/people/{stranger.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(person_id=person.pk, username="other-team").exists()


def test_no_caseload_no_plan(commissioner):
    client = login(commissioner)
    assert client.get("/visits/").status_code == 404
    assert client.post_stale("/visits/plan/", {"start": day(1).isoformat()}).status_code == 404


def test_the_person_page_shows_their_week_and_what_is_not_planned(based, nurse):
    person = make_people(based, nurse, 1)[0]
    v = visit(person, nurse, on=1, at=time(10))
    WeekPlan.objects.create(team=based, kind="week", start=day(1), end=day(7), run_by=nurse,
                            seconds=1, unmet=[{"person_id": person.pk, "kind": "depot",
                                               "day": None, "count": 1,
                                               "reason": f"No nurse person p{person.pk} may "
                                                         "see is on shift."}])
    html = login(nurse).get(f"/visits/people/{person.pk}/").content.decode()
    assert f"Reference {v.pk}" in html
    assert f"No nurse {person.display_name} may see is on shift." in html
    assert AuditEvent.objects.filter(person_id=person.pk, action="view",
                                     what="visit plan: the person's week").exists()


def _seed(team, nurse, colleague, n: int):
    people = make_people(team, nurse, n)
    run = WeekPlan.objects.filter(team=team).first() or WeekPlan.objects.create(
        team=team, kind="week", start=day(1), end=day(7), run_by=nurse, seconds=1)
    for i, person in enumerate(people):
        propose(visit(person, nurse, on=1, at=time(8 + i % 9, 5 * (i // 9))), nurse, run=run)
        visit(person, colleague, on=2 + i % 5, at=time(9), second=nurse)
        if i % 2:
            needs_two(person, nurse)
        run.unmet.append({"person_id": person.pk, "kind": "contact", "day": None,
                          "count": 1, "reason": f"Staff time was full for person p{person.pk}"})
        run.notes.append({"person_id": person.pk, "text": f"person p{person.pk} with w{nurse.pk}"})
    run.save()
    return people


def test_page_queries_do_not_grow_with_the_caseload(based, nurse, colleague):
    """2 people or 10, each page makes the same number of queries."""
    client = login(nurse)
    pages = ["/visits/", day_url(nurse, 1), f"/visits/workers/{nurse.pk}/calendar.ics",
             f"/visits/workers/{nurse.pk}/replan/"]

    def counts(person) -> list[int]:
        out = []
        for url in [*pages, f"/visits/people/{person.pk}/"]:
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    first = _seed(based, nurse, colleague, 2)[0]
    two = counts(first)
    _seed(based, nurse, colleague, 8)
    assert counts(first) == two
    assert PlannedVisit.objects.count() == 20
