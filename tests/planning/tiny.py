"""Tiny named problems for the planner tests: a base and a few people on a line."""

from datetime import date, timedelta

from outreach.planning import (
    Break,
    DayWindow,
    Discipline,
    Person,
    Point,
    Week,
    Worker,
)

MONDAY = date(2026, 11, 30)
DAYS = [MONDAY + timedelta(days=i) for i in range(7)]
BASE = Point(53.48, -2.24)


def east(km: float) -> Point:
    """A point `km` east of the base."""
    return Point(53.48, round(-2.24 + km / 66.2, 6))


def worker(wid: str, *, days=range(5), start=9 * 60, end=17 * 60,
           discipline=Discipline.NURSE, **kw) -> Worker:
    kw.setdefault("break_", Break(12 * 60, 14 * 60, 30))
    return Worker(wid, discipline, BASE,
                  tuple(DayWindow(DAYS[d], start, end) for d in days), **kw)


def person(pid: str, km: float, **kw) -> Person:
    kw.setdefault("weekly_target", 1)
    return Person(pid, east(km), **kw)


def week(workers, people, locks=()):
    w = Week(MONDAY, name="tiny").add_workers(workers).add_people(people)
    for lock in locks:
        w.lock(lock)
    return w.build()
