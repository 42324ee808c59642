"""From the record to the planner and back, with no database in sight.

`selectors.planning_record` reads the team's record into the plain rows below (one query per
table, whatever the caseload). `build` turns them into the planner's `Problem`:

- Workers: the team's clinicians with a clinical discipline, a shift on each of their working
  days (their own shift times, else the team's hours), leave on the days of an absence, none
  before they joined or from the day they leave, all starting from the team base.
- People: the open caseload with coordinates. The weekly target is the episode's (the same
  value the engagement ladder uses; someone stepped up gets at least the stepped-up target),
  less the successful contacts already made in the window. Key worker, cover, workers they
  know (successful contacts in the last 8 weeks), two staff from the current risk
  formulation, and the soonest depot due.
- Visits already in the record that a run keeps (see `VisitRow.replaceable`) become `Lock`s.
  The planner's `Lock` names one worker, and a lock of someone who needs two staff is never
  kept by the core (it cannot give a locked visit a second worker). So a kept visit with two
  workers, or one worker for someone who needs two, becomes one stand-in lock per worker at
  the person's place ("p<id>.v<visit id>.<n>"), and the person's target and day are taken
  out by hand: travel and the workers' time are still exact.

Whatever the record keeps out of the plan (no coordinates, in hospital, a visit without a
time) is an unmet item or a note with the reason, never silence. Bad input that the team must
fix first (no team base, a shift that ends before it starts) raises `RecordError`.

Planner ids are "p<person id>" and "w<staff id>"; `names.py` puts the names back for pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from outreach.planning import (
    DayWindow,
    Depot,
    Discipline,
    Figures,
    Known,
    Lock,
    Person,
    Plan,
    PlannedVisit,
    Point,
    Problem,
    VisitKind,
    Week,
    Worker,
)

# The one import from outside the planner's public API: re-planning needs the plan the team
# has now, which is the record's visits, so each becomes a task of its own (ADR 0008).
from outreach.planning.tasks import Task

DAY = 24 * 60
DAYS = 7
VISIT_MINUTES = 45
KNOWN_WEEKS = 8
MAX_TOLERANCE = 14  # the planner accepts a depot tolerance of 0 to 14 days

# teams.Discipline values -> the planner's; "manager" and "none" do not visit.
DISCIPLINES = {
    "nurse": Discipline.NURSE,
    "psychiatrist": Discipline.DOCTOR,
    "ot": Discipline.OCCUPATIONAL_THERAPIST,
    "social_worker": Discipline.SOCIAL_WORKER,
    "psychologist": Discipline.PSYCHOLOGIST,
    "str_worker": Discipline.SUPPORT_WORKER,
    "peer_support": Discipline.PEER_SUPPORT,
    "ot_technical_instructor": Discipline.SUPPORT_WORKER,
}

# Messages. "person p<id>" and "w<id>" are replaced by names when shown (names.py).
NO_BASE = (
    "The team base has no coordinates: record the base's latitude and longitude before "
    "planning, because every worker's day starts and ends there."
)
SHIFT_BACKWARDS = (
    "w{staff}'s shift ends at {end} before it starts at {start}: correct their shift times "
    "in the staff record before planning."
)
NO_COORDINATES = (
    "person p{person} has no coordinates for where they are seen, so no visit could be "
    "planned: record their latitude and longitude. {count} face-to-face contacts this week "
    "are not planned; arrange them by hand."
)
DEPOT_NO_COORDINATES = (
    "The depot due {due} for person p{person} is not planned: they have no coordinates. "
    "Arrange it by hand with a nurse."
)
DEPOT_IN_HOSPITAL = (
    "The depot due {due} for person p{person} is not planned: they are in hospital. Check "
    "with the ward that it is given."
)
KEPT_NOT_KEPT = ("The locked visit", "The visit already planned")
IN_HOSPITAL = (
    "person p{person} is in hospital: in-reach visits to the ward are arranged by hand (the "
    "record has no ward location). {count} contacts this week are not planned."
)
MORE_DEPOTS = (
    "person p{person} has {n} more depots due by {last}: the planner plans one depot visit a "
    "week per person. Arrange the others by hand."
)
KEPT_NOT_ROUTED = (
    "The visit to person p{person} on {day} with w{staff} is kept as it is but not routed: "
    "{why}. It counts towards the target, and nothing else is planned for them that day."
)
WHY_NO_TIME = "it has no time"
WHY_NOT_WORKING = "a worker on it is not on the team's planning list"
LONE_WORKER = (
    "The visit to person p{person} on {day} at {time} has one worker (w{staff}), and their "
    "risk formulation asks for two staff: add a second worker."
)


class RecordError(ValueError):
    """The record needs fixing before the team can be planned; the messages say what."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class TeamRow:
    base: tuple[float, float] | None
    weekday_hours: tuple[int, int]
    weekend_hours: tuple[int, int] | None


@dataclass(frozen=True)
class StaffRow:
    id: int
    discipline: str
    weekdays: frozenset[int]
    shift_start: int | None
    shift_end: int | None
    joined: date
    left: date | None
    away: frozenset[date] = frozenset()


@dataclass(frozen=True)
class PersonRow:
    id: int
    episode: int
    status: str
    weekly_target: int
    lat: float | None
    lon: float | None
    key_worker: int | None = None
    cover: int | None = None
    known: tuple[tuple[int, int], ...] = ()  # (staff id, successful contacts in 8 weeks)
    two_staff: bool = False
    depot_due: date | None = None
    depot_tolerance: int = 7
    more_depots: int = 0
    seen_in_window: int = 0  # successful face-to-face contacts already made in the window

    @property
    def location(self) -> Point | None:
        if self.lat is None or self.lon is None:
            return None
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            return None
        return Point(self.lat, self.lon)


@dataclass(frozen=True)
class VisitRow:
    id: int
    person: int
    staff: int
    second: int | None
    day: date
    start: int | None  # minutes from midnight; None: no time
    status: str  # planned, done, cancelled
    version: int
    purpose: str = ""
    locked: bool = False
    proposal: bool = False  # made by the planner
    accepted: bool = False
    reminded: bool = False  # a reminder is queued or sent: the person has been told
    kind: str | None = None  # the planner's kind, for proposals
    minutes: int | None = None

    @property
    def replaceable(self) -> bool:
        """A proposal nobody accepted, locked or told the person about."""
        return (self.status == "planned" and self.proposal and not self.accepted
                and not self.locked and not self.reminded)

    @property
    def is_depot(self) -> bool:
        return self.kind == VisitKind.DEPOT or "depot" in self.purpose.lower()

    @property
    def state(self) -> tuple:
        """What a concurrent change would alter (services compare it before writing)."""
        return (self.id, self.version, self.status, self.staff, self.second, self.day,
                self.start, self.locked, self.accepted, self.reminded)


@dataclass
class Record:
    team: TeamRow
    start: date
    staff: list[StaffRow]
    people: list[PersonRow]
    visits: list[VisitRow]
    stepped_up_target: int = 7

    @property
    def end(self) -> date:
        return self.start + timedelta(days=DAYS - 1)

    def fingerprint(self) -> frozenset:
        return frozenset(v.state for v in self.visits)


@dataclass
class Built:
    problem: Problem
    unmet: list[dict] = field(default_factory=list)  # what the record keeps out of the plan
    notes: list[dict] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)  # visits the run keeps as they are
    replaceable: list[int] = field(default_factory=list)  # proposals this run replaces
    movable: dict[str, VisitRow] = field(default_factory=dict)  # re-plan: task key -> visit
    locked: dict[str, VisitRow] = field(default_factory=dict)  # lock task key -> kept visit
    plan: Plan | None = None  # re-plan: the team's plan as it stands
    episodes: dict[int, int] = field(default_factory=dict)  # person id -> open episode id


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def day_text(day: date) -> str:
    """A date as staff write it, and as the planner's reasons do: 'Fri 4 Dec'."""
    return f"{day:%a} {day.day} {day:%b}"


def wid(staff_id: int) -> str:
    return f"w{staff_id}"


def pid(person_id: int) -> str:
    return f"p{person_id}"


def person_of(planner_id: str) -> int:
    """The person id of a planner person id ("p12", or a stand-in "p12.v40.0")."""
    return int(planner_id[1:].split(".", 1)[0])


def staff_of(planner_id: str) -> int:
    return int(planner_id[1:])


def _unmet(person: int | None, kind: str, reason: str, *, count: int = 1,
           day: date | None = None) -> dict:
    return {"person_id": person, "kind": kind, "day": day.isoformat() if day else None,
            "count": count, "reason": reason}


def hours(team: TeamRow, staff: StaffRow, day: date) -> tuple[int, int]:
    """The worker's hours on a day: their own shift times, else the team's for that day."""
    weekend = day.isoweekday() >= 6
    default = team.weekend_hours if weekend and team.weekend_hours else team.weekday_hours
    start = staff.shift_start if staff.shift_start is not None else default[0]
    end = staff.shift_end if staff.shift_end is not None else default[1]
    return start, (DAY if end == 0 else end)  # a shift that ends at midnight


def works_on(staff: StaffRow, day: date) -> bool:
    """On the team, a working day, and not away."""
    return (day.isoweekday() in staff.weekdays and staff.joined <= day
            and (staff.left is None or day < staff.left) and day not in staff.away)


def workers(record: Record, *, now: int | None = None) -> tuple[list[Worker], list[str]]:
    """The team's workers over the window. `now` cuts the first day's shifts (a week planned
    from today starts no visit in the past)."""
    errors: list[str] = []
    base = record.team.base
    if base is None or not (-90 <= base[0] <= 90 and -180 <= base[1] <= 180):
        return [], [NO_BASE]
    point = Point(*base)
    days = [record.start + timedelta(days=i) for i in range(DAYS)]
    out: list[Worker] = []
    for s in record.staff:
        if s.discipline not in DISCIPLINES:
            continue
        shifts: list[DayWindow] = []
        for day in days:
            if day.isoweekday() not in s.weekdays or s.joined > day or (s.left and s.left <= day):
                continue  # an absence is leave (below), not a missing shift
            start, end = hours(record.team, s, day)
            if end <= start:
                errors.append(SHIFT_BACKWARDS.format(staff=s.id, start=hhmm(start),
                                                     end=hhmm(end)))
                break
            if now is not None and day == record.start:
                start = max(start, now)
                if end - start < 30:
                    continue
            shifts.append(DayWindow(day, start, end))
        out.append(Worker(wid(s.id), DISCIPLINES[s.discipline], point, tuple(shifts),
                          leave=frozenset(d for d in s.away if d in days)))
    return out, errors


def build(record: Record, *, replan: bool = False, now: int | None = None) -> Built:
    """The planner's problem for the 7 days from `record.start`.

    A week run (`replan=False`) keeps every visit that is not `replaceable`, as locks. A
    re-plan keeps only locked visits fixed: the other planned visits become the plan the
    re-plan starts from (`Built.plan`), one task each, so that it can move them.
    """
    team_workers, errors = workers(record, now=None if replan else now)
    if errors:
        raise RecordError(errors)
    worker_ids = {w.id for w in team_workers}
    days = [record.start + timedelta(days=i) for i in range(DAYS)]
    visits_of: dict[int, list[VisitRow]] = defaultdict(list)
    built_unmet: list[dict] = []
    notes: list[dict] = []
    kept: list[int] = []
    replaceable: list[int] = []
    for v in sorted(record.visits, key=lambda v: (v.day, v.start or 0, v.id)):
        if v.status == "planned" and days[0] <= v.day <= days[-1]:
            if not replan and v.replaceable:
                replaceable.append(v.id)
            else:
                visits_of[v.person].append(v)
        elif replan and v.status == "done" and v.day == days[0] and v.start is not None:
            visits_of[v.person].append(v)
    people: list[Person] = []
    locks: list[Lock] = []
    lock_visits: dict[str, VisitRow] = {}  # the planner's lock task key -> the kept visit
    movable: list[tuple[str, VisitRow]] = []  # (planner person id, visit)
    done: list[tuple[str, VisitRow]] = []
    episodes = {}
    for p in record.people:
        episodes[p.id] = p.episode
        target = p.weekly_target
        if p.status == "stepped_up":
            target = max(target, record.stepped_up_target)
        target = max(target - p.seen_in_window, 0)
        location = p.location
        if p.status == "inpatient" or location is None:
            template = IN_HOSPITAL if p.status == "inpatient" else NO_COORDINATES
            if target and not replan:
                built_unmet.append(_unmet(p.id, VisitKind.CONTACT,
                                          template.format(person=p.id, count=target),
                                          count=target))
            if p.depot_due is not None and not replan:
                depot_text = DEPOT_IN_HOSPITAL if p.status == "inpatient" \
                    else DEPOT_NO_COORDINATES
                built_unmet.append(_unmet(p.id, VisitKind.DEPOT, depot_text.format(
                    person=p.id, due=day_text(p.depot_due)), day=p.depot_due))
            kept += [v.id for v in visits_of.get(p.id, ()) if v.status == "planned"]
            continue
        blocked: set[date] = set()
        has_depot = False
        for v in visits_of.get(p.id, ()):
            if v.status == "planned":
                kept.append(v.id)
            minutes = min(max(v.minutes or VISIT_MINUTES, 5), 480)
            staff = [s for s in (v.staff, v.second) if s is not None]
            why = (WHY_NO_TIME if v.start is None else
                   WHY_NOT_WORKING if any(wid(s) not in worker_ids for s in staff) else
                   WHY_NO_TIME if v.start + minutes > DAY else None)
            if why is not None:
                target -= 1
                blocked.add(v.day)
                notes.append({"person_id": p.id, "text": KEPT_NOT_ROUTED.format(
                    person=p.id, day=day_text(v.day), staff=v.staff, why=why)})
                continue
            assert v.start is not None
            if p.two_staff and v.second is None and v.status == "planned":
                notes.append({"person_id": p.id, "text": LONE_WORKER.format(
                    person=p.id, day=day_text(v.day), time=hhmm(v.start), staff=v.staff)})
            if v.status == "done":
                done.append((pid(p.id), v))
                continue
            has_depot = has_depot or v.is_depot
            if replan and not v.locked:
                movable.append((pid(p.id), v))
            elif v.second is None and not p.two_staff:
                lock_visits[f"{pid(p.id)}/lock/{sum(lk.person == pid(p.id) for lk in locks)}"] = v
                locks.append(Lock(pid(p.id), wid(v.staff), v.day, v.start, minutes))
            else:
                target -= 1
                blocked.add(v.day)
                for i, s in enumerate(staff):
                    stand_in = f"{pid(p.id)}.v{v.id}.{i}"
                    people.append(Person(stand_in, location, weekly_target=0,
                                         visit_minutes=minutes))
                    lock_visits[f"{stand_in}/lock/0"] = v
                    locks.append(Lock(stand_in, wid(s), v.day, v.start, minutes))
        depot = None
        if p.depot_due is not None and not has_depot and not replan:
            depot = Depot(due=max(p.depot_due, days[0]),
                          tolerance_days=min(p.depot_tolerance, MAX_TOLERANCE))
        if p.more_depots and not replan:
            built_unmet.append(_unmet(p.id, VisitKind.DEPOT, MORE_DEPOTS.format(
                person=p.id, n=p.more_depots, last=day_text(days[-1])), count=p.more_depots))
        known = tuple(
            Known(wid(s), round(min(0.4 + 0.1 * n, 0.7), 2)) for s, n in p.known
            if wid(s) in worker_ids and s not in (p.key_worker, p.cover)
        )
        key_worker = wid(p.key_worker) if p.key_worker and wid(p.key_worker) in worker_ids \
            else None
        cover = wid(p.cover) if p.cover and wid(p.cover) in worker_ids \
            and p.cover != p.key_worker else None
        people.append(Person(
            pid(p.id), location, weekly_target=max(target, 0),
            visit_minutes=VISIT_MINUTES, key_worker=key_worker, cover=cover, known=known,
            needs_two_staff=p.two_staff, depot=depot,
            avoid_times=() if replan else tuple(DayWindow(d, 0, DAY) for d in sorted(blocked)),
        ))
    week = Week(record.start, name="team week").add_workers(team_workers).add_people(people)
    for lock in locks:
        week.lock(lock)
    built = Built(week.build(), built_unmet, notes, kept, replaceable, episodes=episodes,
                  locked=lock_visits)
    if replan:
        built.plan, built.movable = _current_plan(built.problem, movable, done)
    return built


def _current_plan(problem: Problem, movable, done) -> tuple[Plan, dict[str, VisitRow]]:
    """The team's plan as the record has it now, in the planner's terms: each lock, each
    planned visit and each visit already done today is a task with its visit(s)."""
    tasks: list[Task] = []
    visits: list[PlannedVisit] = []
    counts: dict[str, int] = defaultdict(int)
    for lock in problem.locks:
        person = problem.person_by_id[lock.person]
        key = f"{lock.person}/lock/{counts[lock.person]}"
        counts[lock.person] += 1
        minutes = lock.minutes or person.visit_minutes
        tasks.append(Task(key, lock.person, VisitKind.LOCKED, minutes, person.location,  # type: ignore[arg-type]
                          (lock.day,), start=lock.start, worker=lock.worker))
        visits.append(PlannedVisit(lock.person, lock.worker, lock.day, lock.start, minutes,
                                   VisitKind.LOCKED, 0.0, key))
    by_key: dict[str, VisitRow] = {}
    for person_id, v in movable:
        person = problem.person_by_id[person_id]
        key = f"{person.id}/visit/{v.id}"
        by_key[key] = v
        minutes = min(max(v.minutes or person.visit_minutes, 5), 480)
        if v.is_depot:
            days = tuple(sorted((d for d in problem.days if abs((d - v.day).days) <= 2),
                                key=lambda d: (abs((d - v.day).days), d)))
        else:
            days = (v.day, *(d for d in problem.days if d != v.day))
        kind = VisitKind.DEPOT if v.is_depot else VisitKind.CONTACT
        two = v.second is not None or person.needs_two_staff
        tasks.append(Task(key, person.id, kind, minutes, person.location, days,  # type: ignore[arg-type]
                          needs_nurse=v.is_depot, two_staff=two))
        workers = [v.staff] + ([v.second] if v.second is not None else [])
        for w in workers:
            partner = next((wid(o) for o in workers if o != w), None)
            visits.append(PlannedVisit(person.id, wid(w), v.day, v.start, minutes, kind, 0.0,
                                       key, partner))
    for person_id, v in done:
        person = problem.person_by_id[person_id]
        key = f"{person.id}/lock/done{v.id}"
        minutes = min(max(v.minutes or person.visit_minutes, 5), 480)
        workers = [v.staff] + ([v.second] if v.second is not None else [])
        tasks.append(Task(key, person.id, VisitKind.LOCKED, minutes, person.location,  # type: ignore[arg-type]
                          (v.day,), start=v.start, two_staff=len(workers) == 2))
        for w in workers:
            partner = next((wid(o) for o in workers if o != w), None)
            visits.append(PlannedVisit(person.id, wid(w), v.day, v.start, minutes,  # type: ignore[arg-type]
                                       VisitKind.LOCKED, 0.0, key, partner))
    figures = Figures(0, 0, 0, 0, 0, 0, len(visits), 0, 0.0, 0.0, 0, 0)
    plan = Plan(problem, tuple(tasks), tuple(sorted(visits, key=lambda v: (v.day, v.worker,
                                                                          v.start))),
                (), (), 0.0, figures)
    return plan, by_key


def unmet_rows(plan: Plan, locked: dict[str, VisitRow] | None = None) -> list[dict]:
    """The plan's unmet items, keyed to people by id; the same reason for the same person is
    one item with its count (the planner gives one per visit not planned). A kept visit the
    plan could not keep names its visit, and is called locked only if it is."""
    out: dict[tuple, dict] = {}
    for u in plan.unmet:
        reason = u.reason
        visit = (locked or {}).get(u.task or "")
        if visit is not None and not visit.locked:
            reason = reason.replace(*KEPT_NOT_KEPT)
        row = _unmet(person_of(u.person), u.kind.value, reason, count=u.count, day=u.day)
        if visit is not None:
            row["visit_id"] = visit.id
        key = (row["person_id"], row["kind"], row["day"], row["reason"], row.get("visit_id"))
        if key in out:
            out[key]["count"] += row["count"]
        else:
            out[key] = row
    return list(out.values())


def break_rows(plan: Plan) -> list[dict]:
    return [{"worker_id": staff_of(b.worker), "day": b.day.isoformat(), "start": b.start,
             "minutes": b.minutes} for b in plan.breaks]


@dataclass(frozen=True)
class NewVisit:
    """A visit of the plan that is not in the record yet."""

    person: int
    staff: int
    second: int | None
    day: date
    start: int
    minutes: int
    kind: str
    travel_minutes: float
    task: str


def grouped(plan: Plan) -> dict[str, list[PlannedVisit]]:
    out: dict[str, list[PlannedVisit]] = defaultdict(list)
    for v in plan.visits:
        out[v.task].append(v)
    return out


def pair(visits: list[PlannedVisit], key_worker: str | None = None,
         keep: int | None = None) -> tuple[int, int | None]:
    """(staff, second staff) of one task's visits: the worker kept, else the key worker,
    first."""
    workers = sorted({v.worker for v in visits},
                     key=lambda w: (staff_of(w) != keep, w != key_worker, staff_of(w)))
    return staff_of(workers[0]), (staff_of(workers[1]) if len(workers) > 1 else None)


def new_visits(plan: Plan) -> list[NewVisit]:
    """The visits of a week's plan that the run writes: every task but the locks (those are
    visits the record has already)."""
    out = []
    for key, vs in grouped(plan).items():
        if "/lock/" in key or "/visit/" in key:
            continue
        person = plan.problem.person_by_id[vs[0].person]
        staff, second = pair(vs, person.key_worker)
        first = next(v for v in vs if v.worker == wid(staff))
        out.append(NewVisit(person_of(first.person), staff, second, first.day, first.start,
                            first.minutes, first.kind.value, round(first.travel_minutes, 1),
                            key))
    return sorted(out, key=lambda n: (n.day, n.start, n.staff))


def figures(plan: Plan, built: Built) -> dict:
    """The planner's figures, with what the record kept out of the plan added in."""
    out = dict(plan.figures.as_dict())
    left_out = {u["person_id"] for u in built.unmet if u["kind"] == VisitKind.CONTACT}
    out["people_not_planned"] = len(left_out)
    out["contacts_not_planned"] = sum(u["count"] for u in built.unmet
                                      if u["kind"] == VisitKind.CONTACT)
    out["depots_not_planned"] = sum(u["count"] for u in built.unmet
                                    if u["kind"] == VisitKind.DEPOT)
    return out
