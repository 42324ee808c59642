"""Who is covering: leave and sickness entered on the team's pages, and one cover worker
assigned for all the absent key worker's people, so that nobody is without a named worker."""

from datetime import timedelta

from outreach.audit.models import AuditAction, AuditEvent
from outreach.records.models import CoverAssignment
from outreach.teams.models import Absence
from outreach.teams.selectors import cover_gaps
from tests import factories
from tests.conftest import login


def _days(n: int):
    return factories.today() + timedelta(days=n)


def _absence(client, staff, *, start=0, end=4, kind="leave", key="ab-1"):
    return client.post("/team/absences/new/", {
        "staff": staff.pk, "kind": kind, "start": _days(start).isoformat(),
        "end": _days(end).isoformat(), "submission_key": key})


def _gaps(team):
    return cover_gaps(team, start=_days(0), end=_days(13))


def test_absence_and_cover_remove_the_gap(team, practitioner, manager, person):
    """Leave leaves the key worker's people uncovered until one cover worker is assigned."""
    second = factories.make_person(team, practitioner)
    client = login(manager)
    response = _absence(client, practitioner)
    absence = Absence.objects.get()
    assert response["Location"] == f"/team/absences/{absence.pk}/cover/"
    assert sorted(g.episode.person_id for g in _gaps(team)) == sorted([person.pk, second.pk])
    page = client.get(response["Location"]).content.decode()
    assert person.family_name in page and second.family_name in page
    assert "No cover" in client.get("/team/absences/").content.decode()
    response = client.post(response["Location"], {"staff": manager.pk, "submission_key": "c-1"})
    assert response["Location"] == "/team/absences/?covered=2"
    assert _gaps(team) == []
    covers = CoverAssignment.objects.order_by("episode_id")
    assert [(c.staff, c.start, c.end, c.reason) for c in covers] == [
        (manager, _days(0), _days(4), "leave")] * 2
    assert "Cover assigned for 2 people" in client.get(response["Location"]).content.decode()
    assert "No gaps" in client.get("/team/").content.decode()


def test_people_already_covered_are_skipped(team, practitioner, manager, person):
    """Only the days nobody covers yet get the new cover worker."""
    other = factories.make_staff(team, username="nurse2")
    CoverAssignment.objects.create(episode=person.episodes.get(), staff=other, start=_days(0),
                                   end=_days(1), reason="leave")
    covered = factories.make_person(team, practitioner)
    CoverAssignment.objects.create(episode=covered.episodes.get(), staff=other, start=_days(0),
                                   end=_days(4), reason="leave")
    client = login(manager)
    _absence(client, practitioner)
    absence = Absence.objects.get()
    page = client.get(f"/team/absences/{absence.pk}/cover/").content.decode()
    assert covered.family_name not in page
    client.post(f"/team/absences/{absence.pk}/cover/", {"staff": manager.pk,
                                                       "submission_key": "c-1"})
    new = CoverAssignment.objects.get(staff=manager)
    assert (new.episode.person_id, new.start, new.end) == (person.pk, _days(2), _days(4))
    assert _gaps(team) == []


def test_sickness_cover_has_the_sickness_reason(team, practitioner, manager, person):
    client = login(manager)
    _absence(client, practitioner, kind="sickness", end=0)
    absence = Absence.objects.get()
    client.post(f"/team/absences/{absence.pk}/cover/", {"staff": manager.pk,
                                                       "submission_key": "c-1"})
    assert CoverAssignment.objects.get().reason == "sickness"


def test_absence_dates_are_checked(team, practitioner, manager):
    """An end before the start, or a period overlapping leave already recorded, is refused."""
    client = login(manager)
    html = _absence(client, practitioner, start=3, end=1).content.decode()
    assert "There is a problem" in html
    assert "The last day must be the same as or after the first day" in html
    assert "Enter a real date" in client.post("/team/absences/new/", {
        "staff": practitioner.pk, "kind": "leave", "start": "2026-02-31",
        "end": _days(1).isoformat(), "submission_key": "x"}).content.decode()
    _absence(client, practitioner, start=0, end=4, key="ab-2")
    html = _absence(client, practitioner, start=4, end=8, key="ab-3").content.decode()
    assert "is already recorded as away" in html
    assert Absence.objects.count() == 1
    # Touching but not overlapping is fine.
    assert _absence(client, practitioner, start=5, end=8, key="ab-4").status_code == 302
    assert Absence.objects.count() == 2


def test_absence_twice_records_one(team, practitioner, manager, person):
    """A double submission records one absence and goes where the first went."""
    client = login(manager)
    first = _absence(client, practitioner)
    second = _absence(client, practitioner)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Absence.objects.count() == 1


def test_cover_worker_who_is_away_or_absent_worker_is_refused(team, practitioner, manager,
                                                               person):
    """The cover worker cannot be away too; nothing is saved."""
    client = login(manager)
    _absence(client, practitioner)
    absence = Absence.objects.get()
    Absence.objects.create(staff=manager, kind="training", start=_days(2), end=_days(2))
    html = client.post(f"/team/absences/{absence.pk}/cover/", {
        "staff": manager.pk, "submission_key": "c-1"}).content.decode()
    assert "is also away" in html
    html = client.post(f"/team/absences/{absence.pk}/cover/", {
        "staff": practitioner.pk, "submission_key": "c-2"}).content.decode()
    assert "Choose a clinician on your team" in html
    assert not CoverAssignment.objects.exists()


def test_cover_twice_assigns_once(team, practitioner, manager, person):
    client = login(manager)
    _absence(client, practitioner)
    absence = Absence.objects.get()
    client.post(f"/team/absences/{absence.pk}/cover/", {"staff": manager.pk})
    client.post_again()
    assert CoverAssignment.objects.count() == 1


def test_absence_with_nobody_to_cover_goes_back_to_the_list(team, practitioner, manager):
    """A worker with no caseload needs no cover."""
    response = _absence(login(practitioner), manager)
    assert response["Location"] == "/team/absences/?recorded=1"


def test_another_teams_absence_and_staff_are_404_or_refused(team, practitioner, other_team,
                                                             other_practitioner, stranger):
    """Another team's absence is not found; another team's worker cannot be entered."""
    away = Absence.objects.create(staff=other_practitioner, kind="leave", start=_days(0),
                                  end=_days(2))
    client = login(practitioner)
    assert client.get(f"/team/absences/{away.pk}/cover/").status_code == 404
    assert client.post_stale(f"/team/absences/{away.pk}/cover/", {
        "staff": practitioner.pk, "submission_key": "c-1"}).status_code == 404
    html = _absence(client, other_practitioner).content.decode()
    assert "Choose someone on your team" in html
    assert Absence.objects.count() == 1 and not CoverAssignment.objects.exists()
    assert other_practitioner.name not in client.get("/team/absences/").content.decode()


def test_commissioner_has_no_team_pages(commissioner):
    client = login(commissioner)
    for url in ("/team/absences/", "/team/absences/new/"):
        assert client.get(url).status_code == 404


def test_cover_pages_are_audited(team, practitioner, manager, person):
    """The cover page's list of people and each cover assignment are audited."""
    client = login(manager)
    _absence(client, practitioner)
    absence = Absence.objects.get()
    client.get(f"/team/absences/{absence.pk}/cover/")
    assert AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.LIST).exists()
    client.post(f"/team/absences/{absence.pk}/cover/", {"staff": manager.pk,
                                                       "submission_key": "c-1"})
    assert AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.UPDATE,
                                     what__startswith="cover by").exists()
    assert AuditEvent.objects.filter(person_id=None, action=AuditAction.CREATE,
                                     what__startswith="absence recorded").exists()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_leave_and_cover_pages_cost_the_same_queries_whatever_the_caseload(
        team, practitioner, manager):
    """The list of absences and the cover page's list of people are constant in queries."""
    client = login(manager)
    factories.make_person(team, practitioner)
    _absence(client, practitioner)
    absence = Absence.objects.get()
    Absence.objects.create(staff=manager, kind="training", start=_days(6), end=_days(6))
    urls = ("/team/absences/", f"/team/absences/{absence.pk}/cover/")
    before = [_queries(client, url) for url in urls]
    for _ in range(5):
        factories.make_person(team, practitioner)
    assert [_queries(client, url) for url in urls] == before
