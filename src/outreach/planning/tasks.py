"""Visits to plan ("tasks"), made from a problem: contacts, depots, appointments and locks.

A task is one visit the week needs, before a day, worker or time is chosen. Each task says
which days it may go on, whether its time or worker is fixed, and whether it needs a nurse
or two staff. Items that can never be met (more contacts than days) are turned straight into
explained unmet items here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from outreach.planning.model import (
    HORIZON_DAYS,
    Person,
    Problem,
    VisitKind,
    day_text,
)
from outreach.planning.travel import Point

COUNTS_AS_CONTACT = frozenset(
    {VisitKind.CONTACT, VisitKind.DEPOT, VisitKind.LOCKED, VisitKind.RETRY}
)

TOO_MANY_CONTACTS = (
    "A target of {target} face-to-face contacts cannot be met in a {days}-day week with one "
    "visit a day: plan at most {days}; review the target at MDT."
)


@dataclass(frozen=True)
class Task:
    key: str
    person: str
    kind: VisitKind
    minutes: int
    location: Point
    days: tuple[date, ...]  # days it may go on, best first
    start: int | None = None  # fixed start (appointments, locks)
    worker: str | None = None  # fixed worker (locks, named attendee)
    needs_nurse: bool = False
    two_staff: bool = False
    window: tuple[int, int] | None = None  # start between these minutes (crisis, retry)
    counts: bool = True  # counts towards the weekly contact target
    what: str = ""  # for appointments: clinic, court...
    due: date | None = None  # depots

    @property
    def fixed_day(self) -> bool:
        return len(self.days) == 1

    def allowed(self, problem: Problem, worker: str) -> bool:
        """Whether this worker may do this visit at all (day and time aside)."""
        person = problem.person_by_id[self.person]
        if self.worker is not None and worker != self.worker:
            return False
        if worker in person.avoid_workers:
            return False
        return not (self.needs_nurse and not problem.worker_by_id[worker].can_give_depots)


@dataclass(frozen=True)
class EarlyUnmet:
    person: str
    kind: VisitKind
    day: date | None
    reason: str
    count: int = 1


def depot_days(problem: Problem, person: Person) -> tuple[date, ...]:
    """The week's days within the depot's tolerance, nearest the due date first."""
    if person.depot is None:
        return ()
    d = person.depot
    days = [day for day in problem.days if abs((day - d.due).days) <= d.tolerance_days]
    return tuple(sorted(days, key=lambda day: (abs((day - d.due).days), day)))


def make_tasks(problem: Problem) -> tuple[list[Task], list[EarlyUnmet]]:
    tasks: list[Task] = []
    early: list[EarlyUnmet] = []
    days = problem.days
    for person in problem.people:
        fixed: list[Task] = []
        for i, lock in enumerate(lk for lk in problem.locks if lk.person == person.id):
            fixed.append(
                Task(
                    key=f"{person.id}/lock/{i}",
                    person=person.id,
                    kind=lock.kind,
                    minutes=lock.minutes or person.visit_minutes,
                    location=person.location,  # type: ignore[arg-type]  # checked by Problem
                    days=(lock.day,),
                    start=lock.start,
                    worker=lock.worker,
                    two_staff=person.needs_two_staff,
                    counts=lock.kind in COUNTS_AS_CONTACT,
                )
            )
        for i, appt in enumerate(person.appointments):
            fixed.append(
                Task(
                    key=f"{person.id}/appointment/{i}",
                    person=person.id,
                    kind=VisitKind.APPOINTMENT,
                    minutes=appt.minutes,
                    location=appt.location or person.location,  # type: ignore[arg-type]
                    days=(appt.day,),
                    start=appt.start,
                    worker=appt.worker,
                    two_staff=person.needs_two_staff,
                    counts=appt.counts_as_contact,
                    what=appt.what,
                )
            )
        tasks.extend(fixed)
        counted = sum(t.counts for t in fixed)
        ddays = depot_days(problem, person)
        if ddays:
            assert person.depot is not None
            tasks.append(
                Task(
                    key=f"{person.id}/depot",
                    person=person.id,
                    kind=VisitKind.DEPOT,
                    minutes=person.depot.minutes or person.visit_minutes,
                    location=person.location,  # type: ignore[arg-type]
                    days=ddays,
                    needs_nurse=True,
                    two_staff=person.needs_two_staff,
                    due=person.depot.due,
                )
            )
            counted += 1
        wanted = max(0, person.weekly_target - counted)
        fixed_days = {t.days[0] for t in fixed}
        free_days = HORIZON_DAYS - len(fixed_days) - (1 if ddays else 0)
        if wanted > free_days:
            early.append(
                EarlyUnmet(
                    person.id,
                    VisitKind.CONTACT,
                    None,
                    TOO_MANY_CONTACTS.format(target=person.weekly_target, days=HORIZON_DAYS),
                    count=wanted - max(free_days, 0),
                )
            )
            wanted = max(free_days, 0)
        for i in range(wanted):
            tasks.append(
                Task(
                    key=f"{person.id}/contact/{i}",
                    person=person.id,
                    kind=VisitKind.CONTACT,
                    minutes=person.visit_minutes,
                    location=person.location,  # type: ignore[arg-type]
                    days=days,
                    two_staff=person.needs_two_staff,
                )
            )
    return tasks, early


def span_text(days: tuple[date, ...] | list[date]) -> str:
    """'between Thu 3 Dec and Sat 5 Dec' or 'on Thu 3 Dec'."""
    ds = sorted(days)
    if not ds:
        return "this week"
    if ds[0] == ds[-1]:
        return f"on {day_text(ds[0])}"
    return f"between {day_text(ds[0])} and {day_text(ds[-1])}"


def week_days_around(due: date, tolerance: int) -> list[date]:
    return [due + timedelta(days=k) for k in range(-tolerance, tolerance + 1)]
