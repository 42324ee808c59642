"""Whatever the week looks like, a plan never breaks a hard rule and never drops anyone.

Random small teams and caseloads (shifts, leave, depots, two-staff visits, workers to avoid,
locks, fixed appointments); `check_plan` recomputes every rule from the problem alone. The
solver runs for a fraction of a second, so examples are few.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach.planning import (
    Appointment,
    Break,
    DayWindow,
    Depot,
    Discipline,
    Lock,
    Person,
    Week,
    Worker,
    check_plan,
    plan_week,
)

from .tiny import BASE, DAYS, MONDAY, east

disciplines = st.sampled_from([Discipline.NURSE, Discipline.SOCIAL_WORKER,
                               Discipline.SUPPORT_WORKER])


@st.composite
def problems(draw):
    n_workers = draw(st.integers(1, 3))
    workers = []
    for i in range(n_workers):
        days = draw(st.sets(st.integers(0, 6), min_size=1, max_size=5))
        start = draw(st.sampled_from([8 * 60, 9 * 60, 12 * 60]))
        shifts = tuple(DayWindow(DAYS[d], start, start + 8 * 60) for d in sorted(days))
        leave = frozenset(DAYS[d] for d in draw(st.sets(st.integers(0, 6), max_size=2)))
        workers.append(Worker(f"w{i}", draw(disciplines), BASE, shifts, leave,
                              max_visits=draw(st.integers(2, 5)),
                              break_=Break(12 * 60, 14 * 60, 30)))
    ids = [w.id for w in workers]
    people = []
    locks = []
    for j in range(draw(st.integers(1, 6))):
        km = draw(st.floats(0.5, 8))
        key = draw(st.sampled_from(ids))
        avoid = frozenset(draw(st.sets(st.sampled_from(ids), max_size=1)) - {key})
        depot = None
        if draw(st.booleans()):
            depot = Depot(DAYS[draw(st.integers(0, 6))], draw(st.integers(0, 2)), 30)
        available = None
        if draw(st.booleans()):
            s = draw(st.sampled_from([9 * 60, 13 * 60]))
            available = tuple(DayWindow(d, s, s + 5 * 60) for d in DAYS)
        appointments = ()
        if draw(st.integers(0, 4)) == 0:
            appointments = (Appointment(DAYS[draw(st.integers(0, 4))], 11 * 60, 60, "clinic"),)
        pid = f"p{j}"
        people.append(Person(pid, east(km), weekly_target=draw(st.integers(0, 4)),
                             visit_minutes=draw(st.sampled_from([30, 60])),
                             available=available, key_worker=key, avoid_workers=avoid,
                             needs_two_staff=draw(st.integers(0, 4)) == 0, depot=depot,
                             appointments=appointments))
        if draw(st.integers(0, 5)) == 0 and key not in avoid:
            locks.append(Lock(pid, key, DAYS[draw(st.integers(0, 6))], 10 * 60))
    week = Week(MONDAY).add_workers(workers).add_people(people)
    for lock in locks:
        week.lock(lock)
    return week.build()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.integers(0, 3))
def test_a_plan_never_breaks_a_hard_rule(problem, seed):
    """Shifts, leave, breaks, two staff, avoided workers, nurses for depots, depot tolerance,
    locks and appointments all hold, and every target is planned or explained as unmet."""
    plan = plan_week(problem, seconds=0.2, seed=seed)
    assert check_plan(plan) == []
    for v in plan.visits:
        worker = problem.worker_by_id[v.worker]
        assert worker.shift_on(v.day) is not None  # on shift, not on leave
        assert v.worker not in problem.person_by_id[v.person].avoid_workers


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_contact_is_planned_or_listed_with_a_reason(problem):
    """Never silence: for each person, planned contacts plus unmet ones reach the target."""
    plan = plan_week(problem, seconds=0.2, seed=1)
    for p in problem.people:
        n = len({v.task for v in plan.visits if v.person == p.id
                 and v.kind.value in ("contact", "depot", "locked")}
                | {v.task for v in plan.visits if v.person == p.id
                   and v.kind.value == "appointment"})
        unmet = sum(u.count for u in plan.unmet if u.person == p.id)
        assert n + unmet >= p.weekly_target
        assert all(u.reason for u in plan.unmet)
