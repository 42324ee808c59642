"""The feed: the planner's week built from a hand-built team's record (workers, people,
locks), and bad input turned into clear messages."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from outreach.planning import Depot, Discipline, Known, Lock, Point
from outreach.records.models import ContactOutcome, EpisodeStatus
from outreach.reminders.models import Reminder
from outreach.teams.models import Discipline as StaffDiscipline
from outreach.teams.models import Role
from outreach.visits import bridge, selectors
from outreach.visits.models import Proposal, VisitLock, WeekPlan
from tests import factories

from .conftest import away, day, east, every_day, make_depot, needs_two, place, visit


def build(user, start=None, **kw) -> bridge.Built:
    record = selectors.planning_record(user, start=start or day(1))
    return bridge.build(record, **kw)


def proposal(v, staff, *, accepted=False) -> Proposal:
    run = WeekPlan.objects.first() or WeekPlan.objects.create(
        team=staff.team, kind="week", start=day(1), end=day(7), run_by=staff, seconds=1)
    return Proposal.objects.create(visit=v, run=run, kind="contact", minutes=45,
                                   accepted_at=timezone.now() if accepted else None)


def test_workers_come_from_working_days_shift_times_and_absences(based, nurse):
    """Each clinician works their days at their own hours (else the team's), absences are
    leave, a leaver stops on the day they leave, and a manager by discipline is not sent."""
    weekdays = factories.make_staff(based, username="weekdays",
                                    discipline=StaffDiscipline.SOCIAL_WORKER)
    away(weekdays, 1, 2)
    leaver = every_day(factories.make_staff(based, username="leaver"))
    leaver.left = day(4)
    leaver.save()
    factories.make_staff(based, username="boss", role=Role.MANAGER,
                         discipline=StaffDiscipline.MANAGER)
    problem = build(nurse.user).problem
    workers = problem.worker_by_id
    assert set(workers) == {f"w{s.pk}" for s in (nurse, weekdays, leaver)}
    mine = workers[f"w{nurse.pk}"]
    assert mine.discipline == Discipline.NURSE and mine.base == Point(*based_base())
    assert [(s.day, s.start, s.end) for s in mine.shifts] == [
        (day(i), 9 * 60, 17 * 60) for i in range(1, 8)]
    sw = workers[f"w{weekdays.pk}"]
    assert sw.discipline == Discipline.SOCIAL_WORKER
    assert {s.day.isoweekday() for s in sw.shifts} <= {1, 2, 3, 4, 5}
    assert all((s.start, s.end) == (8 * 60, 20 * 60) for s in sw.shifts)  # the team's hours
    assert sw.leave == {day(1), day(2)}
    assert [s.day for s in workers[f"w{leaver.pk}"].shifts] == [day(1), day(2), day(3)]


def based_base():
    from .conftest import BASE

    return BASE


def test_people_carry_targets_continuity_two_staff_and_depots(based, nurse, colleague,
                                                               other_team, other_practitioner):
    """Targets (stepped up at least 7), key worker, cover, someone they know from recent
    successful contacts, two staff from the current risk formulation and the depot due."""
    usual = place(factories.make_person(based, nurse), 2)
    stepped = place(factories.make_person(based, nurse, status=EpisodeStatus.STEPPED_UP), 3)
    custom = place(factories.make_person(based, colleague), 4)
    episode = custom.episodes.get()
    episode.weekly_target = 3
    episode.save()
    factories.add_contact(usual, colleague, days_ago=10)  # colleague is known to them
    factories.add_contact(usual, colleague, days_ago=12, outcome=ContactOutcome.NO_ACCESS)
    needs_two(stepped, nurse)
    make_depot(custom, nurse, due_in=3, tolerance=2)
    overdue = place(factories.make_person(based, nurse), 5)
    make_depot(overdue, nurse, due_in=-4, tolerance=10)
    from outreach.records.models import CoverAssignment

    CoverAssignment.objects.create(episode=usual.episodes.get(), staff=colleague,
                                   start=day(0), end=day(9), reason="leave")
    place(factories.make_person(other_team, other_practitioner), 1)  # never planned here
    people = build(nurse.user).problem.person_by_id
    assert set(people) == {f"p{p.pk}" for p in (usual, stepped, custom, overdue)}
    p = people[f"p{usual.pk}"]
    assert p.weekly_target == 2 and p.location == Point(*east(2))
    assert p.key_worker == f"w{nurse.pk}" and p.cover == f"w{colleague.pk}"
    assert p.known == ()  # the colleague is their cover already
    assert people[f"p{stepped.pk}"].weekly_target == 7
    assert people[f"p{stepped.pk}"].needs_two_staff
    c = people[f"p{custom.pk}"]
    assert c.weekly_target == 3 and c.key_worker == f"w{colleague.pk}"
    assert c.depot == Depot(due=day(3), tolerance_days=2)
    assert people[f"p{overdue.pk}"].depot == Depot(due=day(1), tolerance_days=10)


def test_known_workers_are_those_with_recent_successful_contacts(based, nurse, colleague):
    person = place(factories.make_person(based, nurse), 2)
    factories.add_contact(person, colleague, days_ago=10)
    factories.add_contact(person, colleague, days_ago=20)
    factories.add_contact(person, colleague, days_ago=70)  # over 8 weeks ago
    problem = build(nurse.user).problem
    assert problem.person_by_id[f"p{person.pk}"].known == (Known(f"w{colleague.pk}", 0.6),)


def test_contacts_already_made_in_the_window_count_towards_the_target(based, nurse):
    person = place(factories.make_person(based, nurse), 2)
    factories.add_contact(person, nurse, days_ago=0)
    problem = build(nurse.user, start=day(0), now=8 * 60).problem
    assert problem.person_by_id[f"p{person.pk}"].weekly_target == 1


def test_people_the_planner_cannot_route_are_unmet_with_the_reason(based, nurse):
    """No coordinates, or in hospital: left out of the routing, listed with the reason (and
    their depot too), never dropped in silence."""
    nowhere = factories.make_person(based, nurse)
    make_depot(nowhere, nurse, due_in=2)
    ward = place(factories.make_person(based, nurse, status=EpisodeStatus.INPATIENT), 2)
    built = build(nurse.user)
    assert f"p{nowhere.pk}" not in built.problem.person_by_id
    assert f"p{ward.pk}" not in built.problem.person_by_id
    by_person = {(u["person_id"], u["kind"]): u for u in built.unmet}
    assert "has no coordinates" in by_person[(nowhere.pk, "contact")]["reason"]
    assert by_person[(nowhere.pk, "contact")]["count"] == 2
    assert "depot due" in by_person[(nowhere.pk, "depot")]["reason"]
    assert "in hospital" in by_person[(ward.pk, "contact")]["reason"]


def test_kept_visits_become_locks_and_unaccepted_proposals_are_replaceable(based, nurse,
                                                                           colleague):
    """Locked, accepted, hand-planned and reminded visits are kept as the planner's locks; a
    proposal nobody accepted is the only thing a run replaces."""
    a, b, c, d, e = (place(factories.make_person(based, nurse), 2 + i) for i in range(5))
    locked = visit(a, nurse, on=1, at=time(10))
    VisitLock.objects.create(visit=locked, locked_by=nurse)
    proposal(locked, nurse)
    accepted = visit(b, colleague, on=2, at=time(11))
    proposal(accepted, nurse, accepted=True)
    by_hand = visit(c, nurse, on=3, at=time(9, 30))
    unaccepted = visit(d, nurse, on=4, at=time(14))
    proposal(unaccepted, nurse)
    reminded = visit(e, nurse, on=5, at=time(15))
    proposal(reminded, nurse)
    Reminder.objects.create(person=e, planned_visit=reminded, channel="phone_call",
                            recipient="07700 900123", body="b", created_by=nurse)
    visit(e, nurse, on=9, at=time(15))  # outside the window: not looked at
    built = build(nurse.user)
    assert set(built.problem.locks) == {
        Lock(f"p{a.pk}", f"w{nurse.pk}", day(1), 600, 45),
        Lock(f"p{b.pk}", f"w{colleague.pk}", day(2), 660, 45),
        Lock(f"p{c.pk}", f"w{nurse.pk}", day(3), 570, 45),
        Lock(f"p{e.pk}", f"w{nurse.pk}", day(5), 900, 45),
    }
    assert built.replaceable == [unaccepted.pk]
    assert set(built.kept) == {locked.pk, accepted.pk, by_hand.pk, reminded.pk}


def test_a_kept_two_staff_visit_keeps_both_workers_time(based, nurse, colleague):
    """The planner's lock names one worker, so a kept visit with two workers is one lock per
    worker at the person's place, and the person's target and day are taken out."""
    person = place(factories.make_person(based, nurse), 2)
    needs_two(person, nurse)
    kept = visit(person, nurse, on=2, at=time(10), second=colleague)
    built = build(nurse.user)
    locks = {(lk.worker, lk.day, lk.start) for lk in built.problem.locks}
    assert locks == {(f"w{nurse.pk}", day(2), 600), (f"w{colleague.pk}", day(2), 600)}
    assert {lk.person for lk in built.problem.locks} == {
        f"p{person.pk}.v{kept.pk}.0", f"p{person.pk}.v{kept.pk}.1"}
    real = built.problem.person_by_id[f"p{person.pk}"]
    assert real.weekly_target == 1 and real.windows_on(day(2)) == []


def test_a_kept_visit_without_a_time_counts_and_is_noted(based, nurse):
    person = place(factories.make_person(based, nurse), 2)
    visit(person, nurse, on=2, at=None)
    built = build(nurse.user)
    assert built.problem.person_by_id[f"p{person.pk}"].weekly_target == 1
    assert any("no time" in n["text"] for n in built.notes)


def test_a_shift_that_ends_before_it_starts_is_a_clear_error(based, nurse):
    every_day(nurse, start=time(17), end=time(9))
    with pytest.raises(bridge.RecordError) as caught:
        build(nurse.user)
    assert caught.value.messages == [
        f"w{nurse.pk}'s shift ends at 09:00 before it starts at 17:00: correct their shift "
        "times in the staff record before planning."]


def test_a_team_without_a_base_is_a_clear_error(team, practitioner):
    with pytest.raises(bridge.RecordError) as caught:
        build(practitioner.user)
    assert "team base has no coordinates" in caught.value.messages[0]


def test_a_week_planned_from_today_starts_no_visit_in_the_past(based, nurse):
    problem = build(nurse.user, start=day(0), now=15 * 60).problem
    first = problem.worker_by_id[f"w{nurse.pk}"].shift_on(day(0))
    assert (first.start, first.end) == (15 * 60, 17 * 60)
    assert problem.days[0] == day(0) and problem.days[-1] == day(0) + timedelta(days=6)
