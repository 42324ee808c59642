"""Running the week's plan: visits written, unmet items listed with reasons, locks and
accepted visits kept on a re-run, logged visits kept, nothing written over a colleague's
change, one run for a double submission."""

from datetime import datetime, time

from django.utils import timezone

from outreach.audit.models import AuditEvent
from outreach.records import services as records_services
from outreach.records.models import EpisodeStatus, PlannedVisit, VisitStatus
from outreach.teams.models import Discipline
from outreach.visits import services
from outreach.visits.models import Proposal, VisitLock, WeekPlan
from tests import factories
from tests.conftest import login

from .conftest import away, day, every_day, make_depot, make_people, needs_two, place, visit


def run(client, start=None, key="run-1"):
    return client.post("/visits/plan/", {"start": (start or day(1)).isoformat(),
                                         "submission_key": key}, page="/visits/")


def planned(**filters):
    return PlannedVisit.objects.filter(status=VisitStatus.PLANNED, **filters)


def test_running_the_plan_writes_visits_and_lists_what_could_not_be_met(based, nurse,
                                                                         colleague):
    """Every person gets their target as proposals; a person with no coordinates and a
    depot with no nurse on shift are listed with the reason, by name, never in silence."""
    people = make_people(based, nurse, 3)
    nowhere = factories.make_person(based, nurse, given_name="Nowhere", family_name="Known")
    make_depot(people[0], nurse, due_in=2, tolerance=0)
    colleague.discipline = Discipline.SOCIAL_WORKER
    colleague.save()
    away(nurse, 2, 2)  # the only nurse is away the day the depot is due
    client = login(nurse)
    response = run(client)
    assert response.status_code == 302
    plan = WeekPlan.objects.get()
    assert plan.run_by == nurse and (plan.start, plan.end) == (day(1), day(7))
    for person in people:  # the depot counts as one of the first person's two contacts
        visits = planned(person=person)
        assert visits.count() == (1 if person == people[0] else 2)
        assert all(hasattr(v, "proposal") and not v.proposal.accepted for v in visits)
    assert plan.created_visits == 5
    reasons = {(u["person_id"], u["kind"]): u["reason"] for u in plan.unmet}
    assert "has no coordinates" in reasons[(nowhere.pk, "contact")]
    assert "No nurse" in reasons[(people[0].pk, "depot")]
    assert plan.figures["people_not_planned"] == 1
    page = client.get(response["Location"]).content.decode()
    assert "Nowhere Known has no coordinates" in page
    assert "person p" not in page and f"w{nurse.pk}" not in page
    assert "What could not be planned (2)" in page
    # Every visit is by the key worker (the colleague is a stranger to all three).
    assert plan.figures["key_worker_share"] == 1.0
    assert "Visits by the key worker" in page


def test_a_depot_goes_to_a_nurse_within_its_tolerance(based, nurse):
    support = every_day(factories.make_staff(based, username="str",
                                             discipline=Discipline.STR_WORKER))
    person = make_people(based, support, 1)[0]
    make_depot(person, nurse, due_in=3, tolerance=1)
    run(login(nurse))
    depot = Proposal.objects.get(kind="depot").visit
    assert depot.staff == nurse and abs((depot.date - day(3)).days) <= 1
    assert depot.purpose.startswith("Depot due")


def test_two_staff_are_planned_together(based, nurse, colleague):
    person = make_people(based, nurse, 1)[0]
    needs_two(person, nurse)
    run(login(nurse))
    visits = planned(person=person)
    assert visits.count() == 2
    assert all(v.second_staff_id is not None and v.second_staff != v.staff for v in visits)


def test_locks_and_accepted_visits_survive_a_rerun(based, nurse, colleague):
    """Re-running the week keeps the locked and the accepted visit exactly, and replaces the
    proposals nobody accepted: cancelled with the run that replaced them, not deleted."""
    people = make_people(based, nurse, 3)
    client = login(nurse)
    run(client, key="first")
    first = WeekPlan.objects.get()
    to_lock, to_accept = planned(person=people[0]).first(), planned(person=people[1]).first()
    assert client.post(f"/visits/{to_lock.pk}/lock/",
                       page=f"/visits/people/{people[0].pk}/").status_code == 302
    assert client.post(f"/visits/{to_accept.pk}/accept/",
                       page=f"/visits/people/{people[1].pk}/").status_code == 302
    others = set(planned().exclude(pk__in=[to_lock.pk, to_accept.pk])
                 .values_list("pk", flat=True))
    run(client, key="second")
    second = WeekPlan.objects.latest("id")
    assert second.pk != first.pk
    for kept in (to_lock, to_accept):
        fresh = PlannedVisit.objects.get(pk=kept.pk)
        assert (fresh.status, fresh.staff_id, fresh.date, fresh.time) == (
            "planned", kept.staff_id, kept.date, kept.time)
    assert VisitLock.objects.filter(visit=to_lock).exists()
    replaced = PlannedVisit.objects.filter(pk__in=others)
    assert {v.status for v in replaced} == {VisitStatus.CANCELLED}
    assert {v.proposal.replaced_by_id for v in replaced} == {second.pk}
    assert second.replaced_visits == len(others)
    page = client.get("/visits/?planned=1").content.decode()
    assert f"{len(others)} earlier proposals nobody had accepted replaced" in page
    # Everyone still has their two contacts, the kept one among them, on different days.
    for person in people:
        days = [v.date for v in planned(person=person)]
        assert len(days) == 2 and len(set(days)) == 2
    assert not any("could not be kept" in u["reason"] for u in second.unmet)


def test_logged_visits_are_kept_and_count_towards_the_target(based, nurse):
    """A visit whose contact was logged today stays done, and the week planned from today
    plans one contact fewer for that person."""
    person = make_people(based, nurse, 1)[0]
    done = visit(person, nurse, on=0, at=time(9))
    plan = WeekPlan.objects.create(team=based, kind="week", start=day(0), end=day(6),
                                   run_by=nurse, seconds=1)
    Proposal.objects.create(visit=done, run=plan, kind="contact", minutes=45)
    records_services.contact_log(person=person, episode=person.episodes.get(), by=nurse,
                                 request=None, date=day(0), outcome="attended",
                                 planned_visit=done)
    eight = timezone.make_aware(datetime.combine(day(0), time(8)))
    services.run_week(user=nurse.user, by=nurse, request=None, start=day(0), now=eight)
    done.refresh_from_db()
    assert done.status == VisitStatus.DONE and done.contact is not None
    assert done.proposal.replaced_by is None
    assert planned(person=person).count() == 1


def test_a_change_while_the_planner_runs_writes_nothing(based, nurse, monkeypatch):
    """A colleague accepts a proposal while the planner is running: the run writes nothing
    and says so, and the accepted visit is kept."""
    person = make_people(based, nurse, 1)[0]
    client = login(nurse)
    run(client, key="first")
    proposal = planned(person=person).first().proposal
    real = services.plan_week

    def meanwhile(*args, **kwargs):
        Proposal.objects.filter(pk=proposal.pk).update(accepted_at=timezone.now())
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "plan_week", meanwhile)
    response = run(client, key="second")
    assert response.status_code == 200
    assert "Someone changed a visit" in response.content.decode()
    assert WeekPlan.objects.count() == 1
    assert not PlannedVisit.objects.filter(status=VisitStatus.CANCELLED).exists()


def test_a_double_submission_plans_once(based, nurse):
    make_people(based, nurse, 1)
    client = login(nurse)
    run(client, key="same")
    run(client, key="same")
    assert WeekPlan.objects.count() == 1 and planned().count() == 2


def test_a_bad_shift_is_a_message_on_the_page_and_nothing_is_written(based, nurse):
    every_day(nurse, start=time(17), end=time(9))
    make_people(based, nurse, 1)
    response = run(login(nurse))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{nurse.name}&#39;s shift ends at 09:00 before it starts at 17:00" in html
    assert not WeekPlan.objects.exists() and not PlannedVisit.objects.exists()


def test_a_start_in_the_past_is_a_field_error(based, nurse):
    response = run(login(nurse), start=day(-1))
    assert "The first day planned cannot be in the past." in response.content.decode()
    assert not WeekPlan.objects.exists()


def test_a_stepped_up_target_no_staff_time_can_meet_is_explained(based, nurse):
    """Seven contacts for someone stepped up, with the only worker on three days: the four
    not planned are listed with the reason."""
    nurse.working_days = "1,2,3"
    nurse.save()
    person = place(factories.make_person(based, nurse, status=EpisodeStatus.STEPPED_UP), 2)
    run(login(nurse))
    plan = WeekPlan.objects.get()
    assert planned(person=person).count() == 3
    missing = sum(u["count"] for u in plan.unmet if u["person_id"] == person.pk)
    assert missing == 4


def test_the_run_is_audited(based, nurse):
    people = make_people(based, nurse, 2)
    run(login(nurse))
    created = AuditEvent.objects.filter(action="create", what__startswith="visit planner")
    assert set(created.values_list("person_id", flat=True)) == {p.pk for p in people}


def test_a_planner_error_is_a_message_and_nothing_is_written(based, nurse, monkeypatch):
    make_people(based, nurse, 1)

    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(services, "plan_week", broken)
    response = run(login(nurse))
    assert response.status_code == 200
    assert "The planner stopped with an error" in response.content.decode()
    assert not WeekPlan.objects.exists() and not PlannedVisit.objects.exists()
