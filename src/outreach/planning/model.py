"""The visit-planning problem: staff, people, locks and a week, as immutable values.

A `Week` builder collects workers, people and locks and `build()`s a `Problem`; the
`Problem` checks itself when made, so bad input fails with a clear message before any
solver runs (a person with no coordinates, a shift that ends before it starts, a worker
named who is not on the team). Things that are valid but cannot be met (a target no staff
time could meet) are not errors: the planner lists them as unmet items with a reason.

Times of day are whole minutes from midnight, local time; days are dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property

from outreach.planning.travel import Mode, Point, TravelModel, TravelTimes

HORIZON_DAYS = 7
DAY_MINUTES = 24 * 60

# Error messages (ValueError), reused by the tests.
NO_COORDINATES = (
    "Person {person} has no coordinates for their {place}: record where the visit happens "
    "(latitude and longitude) before planning."
)
BAD_COORDINATES = "{what} has coordinates out of range: latitude {lat}, longitude {lon}."
WINDOW_ENDS_BEFORE_START = (
    "{what} on {day} ends at {end} before it starts at {start}: check the times."
)
TIME_OUT_OF_DAY = "{what} on {day} has a time outside the day (00:00 to 24:00): {start}-{end}."
DAY_OUTSIDE_WEEK = "{what} is on {day}, outside the week planned ({first} to {last})."
UNKNOWN_WORKER = "{what} names worker {worker}, who is not on the team."
UNKNOWN_PERSON = "{what} names person {person}, who is not on the caseload."
DUPLICATE_ID = "Two {kind} have the same id: {id}."
BAD_TARGET = "Person {person}: the weekly contact target must be a whole number, 0 or more."
BAD_VISIT_MINUTES = "{what}: a visit must last a whole number of minutes from 5 to 480."
BAD_MAX_VISITS = "Worker {worker}: the maximum visits a day must be a whole number, 1 or more."
BAD_BREAK = (
    "Worker {worker}: a break needs 0 to 120 minutes, starting between its earliest and "
    "latest start times."
)
BAD_TOLERANCE = "Person {person}: the depot tolerance must be 0 to 14 days."
BAD_WEIGHT = "Person {person}: a known worker's weight must be between 0 and 1."
TWO_SHIFTS_A_DAY = "Worker {worker} has two shifts on {day}: give one shift per day."
EMPTY_ID = "Every worker and person needs a non-empty id."


class Discipline(StrEnum):
    NURSE = "nurse"
    SOCIAL_WORKER = "social_worker"
    OCCUPATIONAL_THERAPIST = "occupational_therapist"
    SUPPORT_WORKER = "support_worker"  # support, time and recovery worker
    PEER_SUPPORT = "peer_support"
    PSYCHOLOGIST = "psychologist"
    DOCTOR = "doctor"


class Place(StrEnum):
    HOME = "home"
    PUBLIC_PLACE = "public_place"  # a café or park the person prefers
    WARD = "ward"


class VisitKind(StrEnum):
    CONTACT = "contact"
    DEPOT = "depot"
    APPOINTMENT = "appointment"
    LOCKED = "locked"
    CRISIS = "crisis"
    RETRY = "retry"


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def day_text(day: date) -> str:
    """A date as staff write it: 'Fri 4 Dec'."""
    return f"{day:%a} {day.day} {day:%b}"


@dataclass(frozen=True)
class DayWindow:
    """A stretch of one day, from start to end minute (end after start)."""

    day: date
    start: int
    end: int

    def check(self, what: str) -> None:
        if type(self.start) is not int or type(self.end) is not int:
            raise ValueError(
                TIME_OUT_OF_DAY.format(what=what, day=self.day, start=self.start, end=self.end)
            )
        if not (0 <= self.start <= DAY_MINUTES and 0 <= self.end <= DAY_MINUTES):
            raise ValueError(
                TIME_OUT_OF_DAY.format(what=what, day=self.day, start=self.start, end=self.end)
            )
        if self.end <= self.start:
            raise ValueError(
                WINDOW_ENDS_BEFORE_START.format(
                    what=what, day=self.day, start=hhmm(self.start), end=hhmm(self.end)
                )
            )


@dataclass(frozen=True)
class Break:
    """A break of `minutes` that starts between `earliest` and `latest` on every shift."""

    earliest: int = 12 * 60
    latest: int = 14 * 60
    minutes: int = 30


@dataclass(frozen=True)
class Worker:
    id: str
    discipline: Discipline
    base: Point
    shifts: tuple[DayWindow, ...] = ()
    leave: frozenset[date] = frozenset()  # annual leave, sickness, training: no visits
    max_visits: int = 6
    break_: Break | None = Break()
    mode: Mode = Mode.CAR

    @property
    def can_give_depots(self) -> bool:
        return self.discipline == Discipline.NURSE

    def shift_on(self, day: date) -> DayWindow | None:
        """The shift worked on a day, or None (no shift, or on leave)."""
        if day in self.leave:
            return None
        return next((s for s in self.shifts if s.day == day), None)


@dataclass(frozen=True)
class Known:
    """A worker the person knows (recent successful contacts); weight 0-1, 1 = key worker."""

    worker: str
    weight: float = 0.5


@dataclass(frozen=True)
class Depot:
    """A depot injection due on `due`, acceptable `tolerance_days` either side; needs a nurse."""

    due: date
    tolerance_days: int = 2
    minutes: int | None = None  # default: the person's visit length


@dataclass(frozen=True)
class Appointment:
    """A fixed appointment (clinic, court, ward round) a worker attends; it cannot move.

    It counts as one of the week's face-to-face contacts unless `counts_as_contact` is False.
    """

    day: date
    start: int
    minutes: int
    what: str = "appointment"
    location: Point | None = None  # default: where the person is seen
    worker: str | None = None  # who must attend; None: any worker the person may see
    counts_as_contact: bool = True


@dataclass(frozen=True)
class Person:
    id: str
    location: Point | None
    weekly_target: int = 2
    visit_minutes: int = 45
    place: Place = Place.HOME
    # When the person can be seen; None means any time a worker is on shift.
    available: tuple[DayWindow, ...] | None = None
    avoid_times: tuple[DayWindow, ...] = ()
    key_worker: str | None = None
    cover: str | None = None
    known: tuple[Known, ...] = ()
    avoid_workers: frozenset[str] = frozenset()
    needs_two_staff: bool = False
    depot: Depot | None = None
    appointments: tuple[Appointment, ...] = ()

    def preference(self, worker: str) -> float:
        """How much the person's continuity gains from this worker: 1 key worker, 0 stranger."""
        if worker == self.key_worker:
            return 1.0
        if worker == self.cover:
            return 0.8
        return max((k.weight for k in self.known if k.worker == worker), default=0.0)

    def windows_on(self, day: date) -> list[tuple[int, int]]:
        """The person's free stretches on a day, times to avoid taken out."""
        if self.available is None:
            spans = [(0, DAY_MINUTES)]
        else:
            spans = sorted((w.start, w.end) for w in self.available if w.day == day)
        for cut in (w for w in self.avoid_times if w.day == day):
            spans = [
                piece
                for s, e in spans
                for piece in ((s, min(e, cut.start)), (max(s, cut.end), e))
                if piece[1] > piece[0]
            ]
        return spans


@dataclass(frozen=True)
class Lock:
    """A visit a worker fixed (worker, day, start); the planner keeps it as it is."""

    person: str
    worker: str
    day: date
    start: int
    minutes: int | None = None  # default: the person's visit length
    kind: VisitKind = VisitKind.LOCKED


@dataclass(frozen=True)
class Weights:
    """How the objective trades things off, in travel-minute equivalents per visit.

    The order is: targets and depots (prizes far above any travel), continuity (a stranger
    visiting costs as much as `stranger_minutes` of travel), then travel.
    """

    contact_prize: int = 2000
    depot_prize: int = 4000  # also appointments and locks: they cannot move to another day
    crisis_prize: int = 8000
    stranger_minutes: int = 40  # extra cost of a visit by a worker the person does not know
    # Extra cost of a visit by someone the person knows who is not their key worker, scaled
    # by how well they know them (cover 0.8 → a fifth of this).
    known_minutes: int = 10
    change_minutes: int = 30  # when re-planning: extra cost of moving someone else's visit


@dataclass(frozen=True)
class Problem:
    """One team's week: who works when, who needs seeing, and what is already fixed."""

    week_start: date
    workers: tuple[Worker, ...]
    people: tuple[Person, ...]
    locks: tuple[Lock, ...] = ()
    travel: TravelTimes = field(default_factory=TravelModel)
    weights: Weights = Weights()
    name: str = "week"

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(self.week_start + timedelta(days=i) for i in range(HORIZON_DAYS))

    @cached_property
    def worker_by_id(self) -> Mapping[str, Worker]:
        return {w.id: w for w in self.workers}

    @cached_property
    def person_by_id(self) -> Mapping[str, Person]:
        return {p.id: p for p in self.people}


class Week:
    """Builder: `Week(start).add_worker(...).add_person(...).lock(...).build()`."""

    def __init__(self, start: date, *, name: str = "week") -> None:
        self.start = start
        self.name = name
        self._workers: list[Worker] = []
        self._people: list[Person] = []
        self._locks: list[Lock] = []
        self._travel: TravelTimes = TravelModel()
        self._weights = Weights()

    def add_worker(self, worker: Worker) -> Week:
        self._workers.append(worker)
        return self

    def add_workers(self, workers: Iterable[Worker]) -> Week:
        self._workers.extend(workers)
        return self

    def add_person(self, person: Person) -> Week:
        self._people.append(person)
        return self

    def add_people(self, people: Iterable[Person]) -> Week:
        self._people.extend(people)
        return self

    def lock(self, lock: Lock) -> Week:
        self._locks.append(lock)
        return self

    def travel(self, travel: TravelTimes) -> Week:
        self._travel = travel
        return self

    def weights(self, weights: Weights) -> Week:
        self._weights = weights
        return self

    def build(self) -> Problem:
        return Problem(
            week_start=self.start,
            workers=tuple(self._workers),
            people=tuple(self._people),
            locks=tuple(self._locks),
            travel=self._travel,
            weights=self._weights,
            name=self.name,
        )


def _check_point(point: Point, what: str) -> None:
    if not (-90 <= point.lat <= 90 and -180 <= point.lon <= 180):
        raise ValueError(BAD_COORDINATES.format(what=what, lat=point.lat, lon=point.lon))


def _check_minutes(minutes: object, what: str) -> None:
    if type(minutes) is not int or not 5 <= minutes <= 480:
        raise ValueError(BAD_VISIT_MINUTES.format(what=what))


def _validate(problem: Problem) -> None:
    days = set(problem.days)
    first, last = problem.days[0], problem.days[-1]

    def in_week(day: date, what: str) -> None:
        if day not in days:
            raise ValueError(DAY_OUTSIDE_WEEK.format(what=what, day=day, first=first, last=last))

    for kind, ids in (("workers", [w.id for w in problem.workers]),
                      ("people", [p.id for p in problem.people])):
        if any(not i for i in ids):
            raise ValueError(EMPTY_ID)
        seen: set[str] = set()
        for i in ids:
            if i in seen:
                raise ValueError(DUPLICATE_ID.format(kind=kind, id=i))
            seen.add(i)
    workers = {w.id for w in problem.workers}

    def known_worker(worker: str | None, what: str) -> None:
        if worker is not None and worker not in workers:
            raise ValueError(UNKNOWN_WORKER.format(what=what, worker=worker))

    for w in problem.workers:
        _check_point(w.base, f"Worker {w.id}'s base")
        if type(w.max_visits) is not int or w.max_visits < 1:
            raise ValueError(BAD_MAX_VISITS.format(worker=w.id))
        if w.break_ is not None:
            b = w.break_
            if not (0 <= b.minutes <= 120 and 0 <= b.earliest <= b.latest <= DAY_MINUTES):
                raise ValueError(BAD_BREAK.format(worker=w.id))
        shift_days: set[date] = set()
        for s in w.shifts:
            what = f"Worker {w.id}'s shift"
            s.check(what)
            in_week(s.day, what)
            if s.day in shift_days:
                raise ValueError(TWO_SHIFTS_A_DAY.format(worker=w.id, day=s.day))
            shift_days.add(s.day)
    for p in problem.people:
        if p.location is None:
            place = p.place.value.replace("_", " ")
            raise ValueError(NO_COORDINATES.format(person=p.id, place=place))
        _check_point(p.location, f"Person {p.id}")
        if type(p.weekly_target) is not int or p.weekly_target < 0:
            raise ValueError(BAD_TARGET.format(person=p.id))
        _check_minutes(p.visit_minutes, f"Person {p.id}")
        for w in (*(p.available or ()), *p.avoid_times):
            what = f"Person {p.id}'s time window"
            w.check(what)
            in_week(w.day, what)
        for worker in (p.key_worker, p.cover, *(k.worker for k in p.known), *p.avoid_workers):
            known_worker(worker, f"Person {p.id}")
        for k in p.known:
            if not 0 <= k.weight <= 1:
                raise ValueError(BAD_WEIGHT.format(person=p.id))
        if p.depot is not None:
            t = p.depot.tolerance_days
            if type(t) is not int or not 0 <= t <= 14:
                raise ValueError(BAD_TOLERANCE.format(person=p.id))
            if p.depot.minutes is not None:
                _check_minutes(p.depot.minutes, f"Person {p.id}'s depot")
        for a in p.appointments:
            what = f"Person {p.id}'s {a.what}"
            in_week(a.day, what)
            _check_minutes(a.minutes, what)
            DayWindow(a.day, a.start, a.start + a.minutes).check(what)
            known_worker(a.worker, what)
            if a.location is not None:
                _check_point(a.location, what)
    people = problem.person_by_id
    for lock in problem.locks:
        what = f"A locked visit on {lock.day}"
        if lock.person not in people:
            raise ValueError(UNKNOWN_PERSON.format(what=what, person=lock.person))
        known_worker(lock.worker, what)
        in_week(lock.day, what)
        minutes = lock.minutes if lock.minutes is not None else people[lock.person].visit_minutes
        _check_minutes(minutes, what)
        DayWindow(lock.day, lock.start, lock.start + minutes).check(what)
