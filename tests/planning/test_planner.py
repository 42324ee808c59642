"""Tiny hand-made weeks whose best plan is known, one rule at a time."""

from dataclasses import replace

import pytest

from outreach.planning import (
    Appointment,
    Depot,
    Discipline,
    Known,
    Lock,
    Mode,
    VisitKind,
    check_plan,
    plan_week,
)
from outreach.planning.model import day_text
from outreach.planning.planner import NO_NURSE_FOR_DEPOT, NO_TWO_STAFF
from outreach.planning.tasks import span_text

from .tiny import BASE, DAYS, east, person, week, worker

SECONDS = 0.3


def test_one_worker_visits_a_line_of_people_in_order_with_the_least_travel():
    """Three people east of base on one day: out in order and back, travel = twice the far leg."""
    w = worker("w1", days=[0], max_visits=6, break_=None)
    day0 = (DAYS[0],)
    people = [person(f"p{i}", km, available=None, weekly_target=1) for i, km in
              enumerate([1, 2, 3])]
    problem = week([w], people)
    # Only Monday has a shift, so all three go on Monday.
    plan = plan_week(problem, seconds=SECONDS, seed=1)
    assert check_plan(plan) == []
    route = plan.for_worker("w1", DAYS[0])
    assert [v.person for v in route] in (["p0", "p1", "p2"], ["p2", "p1", "p0"])
    m = problem.travel.seconds([BASE, east(3)], Mode.CAR)
    legs = problem.travel.seconds([BASE, east(1), east(2), east(3)], Mode.CAR)
    best = (legs[0, 1] + legs[1, 2] + legs[2, 3] + m[1, 0]) / 60
    assert abs(plan.travel_minutes - best) < 0.01
    assert all(v.day in day0 for v in route)


def test_the_key_worker_is_chosen_over_an_equally_placed_stranger():
    """Continuity: two workers at the same base, one day; the key worker does the visit."""
    a, b = worker("a", days=[0]), worker("b", days=[0])
    plan = plan_week(week([a, b], [person("p", 1, key_worker="b")]), seconds=SECONDS, seed=1)
    assert [v.worker for v in plan.visits] == ["b"]
    assert plan.figures.continuity_share == 1.0


def _neighbours(cover: str | None, known=(), **weights):
    """b visits their own person 3.5 km out; p (key worker a) lives 0.5 km further on."""
    a, b = worker("a", days=[0], break_=None), worker("b", days=[0], break_=None)
    people = [person("pb", 3.5, key_worker="b"),
              person("p", 4, key_worker="a", cover=cover, known=tuple(known))]
    problem = week([a, b], people)
    if weights:
        problem = replace(problem, weights=replace(problem.weights, **weights))
    plan = plan_week(problem, seconds=SECONDS, seed=1)
    assert check_plan(plan) == []
    return {v.person: v.worker for v in plan.visits}, plan


@pytest.mark.parametrize("cover, known", [("b", ()), (None, [Known("b", 0.3)])])
def test_someone_the_person_knows_who_is_passing_does_the_visit(cover, known):
    """Whole-team working: the cover, or a worker who has seen p a few times, on their way
    saves the key worker a 29-minute round trip (b's detour is about 6 minutes)."""
    workers, plan = _neighbours(cover, known)
    assert workers == {"pb": "b", "p": "b"}
    assert plan.figures.continuity_share == 1.0 and plan.figures.key_worker_share == 0.5


def test_a_stranger_passing_by_does_not_take_the_visit():
    workers, plan = _neighbours(None)
    assert workers == {"pb": "b", "p": "a"}
    assert plan.figures.key_worker_share == 1.0


def test_a_team_that_prices_the_key_worker_higher_keeps_them():
    workers, _ = _neighbours("b", known_minutes=200)
    assert workers == {"pb": "b", "p": "a"}


def test_a_worker_the_person_asked_not_to_see_never_visits():
    """The only worker on Monday is avoided, so the visit goes to Tuesday's other worker."""
    a, b = worker("a", days=[0]), worker("b", days=[1])
    plan = plan_week(week([a, b], [person("p", 1, avoid_workers=frozenset({"a"}))]),
                     seconds=SECONDS, seed=1)
    assert [(v.worker, v.day) for v in plan.visits] == [("b", DAYS[1])]


def test_a_depot_goes_to_a_nurse_within_its_tolerance():
    """A depot due Wednesday +-1 day: the support worker on Wednesday may not give it."""
    nurse = worker("n", days=[3])
    support = worker("s", days=[2], discipline=Discipline.SUPPORT_WORKER)
    p = person("p", 1, weekly_target=1, depot=Depot(DAYS[2], 1))
    plan = plan_week(week([nurse, support], [p]), seconds=SECONDS, seed=1)
    assert [(v.worker, v.day, v.kind) for v in plan.visits] == [("n", DAYS[3], VisitKind.DEPOT)]
    assert plan.figures.depots_share == 1.0


def test_a_depot_with_no_nurse_on_shift_is_unmet_with_the_reason():
    """No nurse between Tue and Thu for a depot due Wed: said in plain words, not dropped."""
    support = worker("s", days=range(7), discipline=Discipline.SUPPORT_WORKER)
    p = person("p", 1, weekly_target=1, depot=Depot(DAYS[2], 1))
    plan = plan_week(week([support], [p]), seconds=SECONDS, seed=1)
    assert plan.visits == ()
    [unmet] = plan.unmet
    assert unmet.kind == VisitKind.DEPOT
    assert unmet.reason == NO_NURSE_FOR_DEPOT.format(
        p="person p", span=span_text(DAYS[1:4]), due=day_text(DAYS[2]))
    assert "between Tue 1 Dec and Thu 3 Dec for the depot due Wed 2 Dec" in unmet.reason
    assert check_plan(plan) == []


def test_two_staff_visit_has_two_workers_at_the_same_time():
    """A person who needs two staff gets two different workers starting together."""
    a, b = worker("a", days=[0]), worker("b", days=[0])
    plan = plan_week(week([a, b], [person("p", 1, needs_two_staff=True)]),
                     seconds=SECONDS, seed=1)
    assert sorted(v.worker for v in plan.visits) == ["a", "b"]
    assert len({(v.day, v.start) for v in plan.visits}) == 1
    assert {v.partner for v in plan.visits} == {"a", "b"}
    assert plan.figures.contacts_planned == 1


def test_two_staff_visit_with_one_worker_on_shift_is_unmet_never_a_lone_visit():
    """Only one worker each day: nobody is sent alone, and the reason says why."""
    a, b = worker("a", days=[0, 2]), worker("b", days=[1, 3])
    plan = plan_week(week([a, b], [person("p", 1, needs_two_staff=True)]),
                     seconds=SECONDS, seed=1)
    assert plan.visits == ()
    [unmet] = plan.unmet
    assert unmet.reason.startswith("person p needs two staff")
    assert "One worker is never sent alone" in unmet.reason
    assert NO_TWO_STAFF.split("{")[0] == ""


def test_a_locked_visit_is_kept_exactly():
    """A lock on Thursday 15:00 with worker b stays there, though Monday with a is nearer."""
    a, b = worker("a", days=[0]), worker("b", days=[3])
    lock = Lock("p", "b", DAYS[3], 15 * 60)
    plan = plan_week(week([a, b], [person("p", 1)], [lock]), seconds=SECONDS, seed=1)
    assert [(v.worker, v.day, v.start, v.kind) for v in plan.visits] == [
        ("b", DAYS[3], 15 * 60, VisitKind.LOCKED)]


def test_a_lock_on_a_day_off_is_unmet_with_the_reason():
    """A worker cannot be on a visit on their day off: the lock is reported, not moved."""
    a = worker("a", days=[0])
    plan = plan_week(week([a], [person("p", 1)], [Lock("p", "a", DAYS[4], 600)]),
                     seconds=SECONDS, seed=1)
    assert any("could not be kept: a is not on shift" in u.reason for u in plan.unmet)
    assert check_plan(plan) == []


def test_a_fixed_appointment_keeps_its_day_and_time_and_counts_as_a_contact():
    """Court on Tuesday at 10:00 with the key worker; the target of 1 is then met by it."""
    a = worker("a", days=range(5))
    p = person("p", 1, weekly_target=1, key_worker="a",
               appointments=(Appointment(DAYS[1], 600, 60, "court", east(2), "a"),))
    plan = plan_week(week([a], [p]), seconds=SECONDS, seed=1)
    assert [(v.day, v.start, v.kind) for v in plan.visits] == [
        (DAYS[1], 600, VisitKind.APPOINTMENT)]
    assert plan.figures.targets_met_share == 1.0


def test_leave_days_get_no_visits():
    """A worker on leave Monday to Thursday is only planned on Friday."""
    a = worker("a", days=range(5), leave=frozenset(DAYS[:4]))
    plan = plan_week(week([a], [person("p", 1)]), seconds=SECONDS, seed=1)
    assert [v.day for v in plan.visits] == [DAYS[4]]


def test_contacts_are_spread_over_the_week():
    """A target of 2 with staff every weekday: two different days, at least two days apart."""
    a = worker("a", days=range(5))
    plan = plan_week(week([a], [person("p", 1, weekly_target=2)]), seconds=SECONDS, seed=1)
    days = sorted(v.day for v in plan.visits)
    assert len(days) == 2 and (days[1] - days[0]).days >= 2


def test_breaks_are_planned_in_their_window():
    """Each worker with visits gets a 30-minute break starting 12:00-14:00, clear of visits."""
    a = worker("a", days=[0], max_visits=8)
    people = [person(f"p{i}", 1 + i * 0.3, visit_minutes=60) for i in range(6)]
    plan = plan_week(week([a], people), seconds=SECONDS, seed=1)
    [brk] = [b for b in plan.breaks if b.day == DAYS[0]]
    assert 12 * 60 <= brk.start <= 14 * 60
    assert check_plan(plan) == []


def test_more_people_than_time_leaves_explained_unmet_items_not_a_shorter_plan():
    """Ten hour-long visits for one 8-hour day: the rest are listed, each with a reason."""
    a = worker("a", days=[0], max_visits=10)
    people = [person(f"p{i}", 1 + i * 0.2, visit_minutes=60) for i in range(10)]
    plan = plan_week(week([a], people), seconds=SECONDS, seed=1)
    assert len(plan.visits) + len(plan.unmet) == 10
    assert all("Staff time was full" in u.reason for u in plan.unmet)
    assert check_plan(plan) == []


def test_the_final_check_catches_a_lone_worker_and_a_silently_dropped_depot():
    """check_plan is independent: tamper with a good plan and it names what went wrong."""
    from dataclasses import replace

    a, b = worker("a", days=[0, 1, 2]), worker("b", days=[0, 1, 2])
    people = [person("pair", 1, needs_two_staff=True),
              person("dep", 2, weekly_target=1, depot=Depot(DAYS[1], 1))]
    plan = plan_week(week([a, b], people), seconds=SECONDS, seed=1)
    assert check_plan(plan) == []
    pair = [v for v in plan.visits if v.person == "pair"]
    lone = replace(plan, visits=tuple(v for v in plan.visits if v is not pair[0]))
    assert any("has 1 staff" in p.message for p in check_plan(lone))
    no_depot = replace(plan, visits=tuple(v for v in plan.visits if v.person != "dep"))
    messages = [p.message for p in check_plan(no_depot)]
    assert "dep/depot is neither planned nor listed as unmet" in messages
