"""Problems as JSON files, and a seeded generator of synthetic teams for the benchmark.

Everything here is synthetic: places are random points around a made-up base, ids are
"w01"/"p001". The same seed gives the same file, byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from outreach.planning.model import (
    Appointment,
    Break,
    DayWindow,
    Depot,
    Discipline,
    Known,
    Lock,
    Person,
    Place,
    Problem,
    VisitKind,
    Week,
    Worker,
)
from outreach.planning.travel import DEFAULT_SPEEDS, Mode, Point, TravelModel

FORMAT = "outreach-planning-instance/1"
BAD_FORMAT = "Not a planning instance file (expected format {expected}, found {found})."


def _pt(p: Point | None) -> list[float] | None:
    return None if p is None else [p.lat, p.lon]


def _win(w: DayWindow) -> dict[str, Any]:
    return {"day": w.day.isoformat(), "start": w.start, "end": w.end}


def to_json(problem: Problem) -> dict[str, Any]:
    travel = problem.travel
    travel_json = (
        {"detour_factor": travel.detour_factor,
         "speeds_kmh": {m.value: v for m, v in travel.speeds_kmh.items()},
         "arrive_minutes": travel.arrive_minutes}
        if isinstance(travel, TravelModel) else None
    )
    return {
        "format": FORMAT,
        "name": problem.name,
        "week_start": problem.week_start.isoformat(),
        "travel": travel_json,
        "workers": [
            {
                "id": w.id,
                "discipline": w.discipline.value,
                "base": _pt(w.base),
                "mode": w.mode.value,
                "max_visits": w.max_visits,
                "break": None if w.break_ is None else {
                    "earliest": w.break_.earliest, "latest": w.break_.latest,
                    "minutes": w.break_.minutes},
                "shifts": [_win(s) for s in w.shifts],
                "leave": sorted(d.isoformat() for d in w.leave),
            }
            for w in problem.workers
        ],
        "people": [
            {
                "id": p.id,
                "location": _pt(p.location),
                "weekly_target": p.weekly_target,
                "visit_minutes": p.visit_minutes,
                "place": p.place.value,
                "available": None if p.available is None else [_win(w) for w in p.available],
                "avoid_times": [_win(w) for w in p.avoid_times],
                "key_worker": p.key_worker,
                "cover": p.cover,
                "known": [{"worker": k.worker, "weight": k.weight} for k in p.known],
                "avoid_workers": sorted(p.avoid_workers),
                "needs_two_staff": p.needs_two_staff,
                "depot": None if p.depot is None else {
                    "due": p.depot.due.isoformat(), "tolerance_days": p.depot.tolerance_days,
                    "minutes": p.depot.minutes},
                "appointments": [
                    {"day": a.day.isoformat(), "start": a.start, "minutes": a.minutes,
                     "what": a.what, "location": _pt(a.location), "worker": a.worker,
                     "counts_as_contact": a.counts_as_contact}
                    for a in p.appointments
                ],
            }
            for p in problem.people
        ],
        "locks": [
            {"person": lk.person, "worker": lk.worker, "day": lk.day.isoformat(),
             "start": lk.start, "minutes": lk.minutes, "kind": lk.kind.value}
            for lk in problem.locks
        ],
    }


def _point(v: Any) -> Point | None:
    return None if v is None else Point(float(v[0]), float(v[1]))


def _window(d: dict[str, Any]) -> DayWindow:
    return DayWindow(date.fromisoformat(d["day"]), d["start"], d["end"])


def from_json(data: dict[str, Any]) -> Problem:
    """A problem from its JSON form; the problem's own checks apply."""
    if data.get("format") != FORMAT:
        raise ValueError(BAD_FORMAT.format(expected=FORMAT, found=data.get("format")))
    week = Week(date.fromisoformat(data["week_start"]), name=data.get("name", "week"))
    t = data.get("travel")
    if t is not None:
        week.travel(TravelModel(
            detour_factor=t["detour_factor"],
            speeds_kmh={Mode(k): v for k, v in t["speeds_kmh"].items()},
            arrive_minutes=t["arrive_minutes"],
        ))
    for w in data["workers"]:
        b = w.get("break")
        week.add_worker(Worker(
            id=w["id"],
            discipline=Discipline(w["discipline"]),
            base=_point(w["base"]),  # type: ignore[arg-type]
            shifts=tuple(_window(s) for s in w["shifts"]),
            leave=frozenset(date.fromisoformat(d) for d in w.get("leave", [])),
            max_visits=w.get("max_visits", 6),
            break_=None if b is None else Break(b["earliest"], b["latest"], b["minutes"]),
            mode=Mode(w.get("mode", "car")),
        ))
    for p in data["people"]:
        d = p.get("depot")
        week.add_person(Person(
            id=p["id"],
            location=_point(p.get("location")),
            weekly_target=p.get("weekly_target", 2),
            visit_minutes=p.get("visit_minutes", 45),
            place=Place(p.get("place", "home")),
            available=None if p.get("available") is None else tuple(
                _window(x) for x in p["available"]),
            avoid_times=tuple(_window(x) for x in p.get("avoid_times", [])),
            key_worker=p.get("key_worker"),
            cover=p.get("cover"),
            known=tuple(Known(k["worker"], k["weight"]) for k in p.get("known", [])),
            avoid_workers=frozenset(p.get("avoid_workers", [])),
            needs_two_staff=p.get("needs_two_staff", False),
            depot=None if d is None else Depot(
                date.fromisoformat(d["due"]), d["tolerance_days"], d.get("minutes")),
            appointments=tuple(
                Appointment(date.fromisoformat(a["day"]), a["start"], a["minutes"],
                            a.get("what", "appointment"), _point(a.get("location")),
                            a.get("worker"), a.get("counts_as_contact", True))
                for a in p.get("appointments", [])
            ),
        ))
    for lk in data.get("locks", []):
        week.lock(Lock(lk["person"], lk["worker"], date.fromisoformat(lk["day"]), lk["start"],
                       lk.get("minutes"), VisitKind(lk.get("kind", "locked"))))
    return week.build()


def save(problem: Problem, path: Path | str) -> None:
    Path(path).write_text(json.dumps(to_json(problem), indent=1) + "\n")


def load(path: Path | str) -> Problem:
    return from_json(json.loads(Path(path).read_text()))


# The generator


@dataclass(frozen=True)
class TeamSpec:
    name: str
    seed: int
    staff: int = 12
    people: int = 120
    week_start: date = date(2026, 11, 30)  # a Monday
    off_sick: int = 0  # staff off sick all week
    stepped_up: int = 6  # people whose target is 4-7 a week
    radius_km: float = 6.0


CENTRE = Point(53.4794, -2.2453)  # a made-up team base in a city
DISCIPLINES = (
    [Discipline.NURSE] * 4 + [Discipline.SOCIAL_WORKER] * 2
    + [Discipline.OCCUPATIONAL_THERAPIST] * 2 + [Discipline.SUPPORT_WORKER] * 2
    + [Discipline.PEER_SUPPORT, Discipline.PSYCHOLOGIST]
)


def _offset(rng: np.random.Generator, radius_km: float) -> Point:
    r = radius_km * np.sqrt(rng.random()) * (0.35 + 0.65 * rng.random())
    a = rng.random() * 2 * np.pi
    dlat = r * np.cos(a) / 111.2
    dlon = r * np.sin(a) / (111.2 * np.cos(np.radians(CENTRE.lat)))
    return Point(round(CENTRE.lat + dlat, 5), round(CENTRE.lon + dlon, 5))


def generate(spec: TeamSpec) -> Problem:
    rng = np.random.default_rng(spec.seed)
    days = [spec.week_start + timedelta(days=i) for i in range(7)]
    workers: list[Worker] = []
    for i in range(spec.staff):
        disc = DISCIPLINES[i % len(DISCIPLINES)]
        wid = f"w{i + 1:02d}"
        # Five shifts a week: weekdays, with a rota of late shifts (to 20:00) and weekends.
        pattern = list(range(5)) if i % 4 != 3 else [2, 3, 4, 5, 6]
        if i % 6 == 5:
            pattern = [0, 1, 2, 5, 6]
        shifts = []
        for k in pattern:
            late = (i + k) % 5 == 0
            start, end = (12 * 60, 20 * 60) if late else (9 * 60, 17 * 60)
            if k >= 5:
                start, end = 10 * 60, 18 * 60
            shifts.append(DayWindow(days[k], start, end))
        leave: set[date] = set()
        if rng.random() < 0.12:
            leave.update(days[k] for k in rng.choice(5, size=2, replace=False))
        mode = Mode.PUBLIC_TRANSPORT if i % 7 == 6 else Mode.CAR
        workers.append(Worker(wid, disc, CENTRE, tuple(shifts), frozenset(leave),
                              max_visits=6, break_=Break(12 * 60, 14 * 60, 30), mode=mode))
    sick = rng.choice(spec.staff, size=spec.off_sick, replace=False) if spec.off_sick else []
    for i in sick:
        workers[i] = Worker(workers[i].id, workers[i].discipline, workers[i].base,
                            workers[i].shifts, frozenset(days), workers[i].max_visits,
                            workers[i].break_, workers[i].mode)
    coordinators = [w.id for w in workers if w.discipline not in (
        Discipline.SUPPORT_WORKER, Discipline.PEER_SUPPORT)]
    all_ids = [w.id for w in workers]
    nurses = [w.id for w in workers if w.discipline == Discipline.NURSE]
    people: list[Person] = []
    stepped = set(rng.choice(spec.people, size=min(spec.stepped_up, spec.people), replace=False))
    hospital = _offset(rng, spec.radius_km * 0.5)
    for j in range(spec.people):
        pid = f"p{j + 1:03d}"
        key = coordinators[j % len(coordinators)]
        others = [w for w in all_ids if w != key]
        cover = others[int(rng.integers(len(others)))]
        known_ids = rng.choice([w for w in others if w != cover], size=int(rng.integers(0, 3)),
                               replace=False)
        known = tuple(Known(str(w), round(float(rng.uniform(0.3, 0.7)), 2)) for w in known_ids)
        u = rng.random()
        place = Place.HOME if u < 0.75 else (Place.PUBLIC_PLACE if u < 0.95 else Place.WARD)
        loc = hospital if place == Place.WARD else _offset(rng, spec.radius_km)
        target = 2 if rng.random() < 0.8 else 3
        if j in stepped:
            target = int(rng.integers(4, 8))
        available = None
        r = rng.random()
        if r < 0.15:  # afternoons only
            available = tuple(DayWindow(d, 13 * 60, 19 * 60) for d in days)
        elif r < 0.3:  # not before 11, weekdays
            available = tuple(DayWindow(d, 11 * 60, 18 * 60) for d in days[:5])
        elif r < 0.4:  # mornings
            available = tuple(DayWindow(d, 9 * 60, 13 * 60) for d in days)
        avoid_times = ()
        if rng.random() < 0.15:  # a weekly group or appointment to keep clear
            d = days[int(rng.integers(5))]
            avoid_times = (DayWindow(d, 10 * 60, 12 * 60),)
        avoid_workers = frozenset()
        if rng.random() < 0.05:
            avoid_workers = frozenset({str(rng.choice([w for w in others if w != cover]))})
        two = rng.random() < 0.07
        depot = None
        if rng.random() < 0.3:
            due = days[int(rng.integers(7))]
            depot = Depot(due, int(rng.choice([1, 2, 2, 3])), 30)
            if key not in nurses and rng.random() < 0.5:
                known = (*known, Known(nurses[j % len(nurses)], 0.6))
        appointments = ()
        if rng.random() < 0.05:
            d = days[int(rng.integers(5))]
            appointments = (Appointment(d, int(rng.choice([10, 11, 14, 15])) * 60, 60,
                                        str(rng.choice(["clinic", "court", "ward round"])),
                                        hospital, None, True),)
        people.append(Person(
            id=pid, location=loc, weekly_target=target,
            visit_minutes=int(rng.choice([30, 45, 45, 60])), place=place,
            available=available, avoid_times=avoid_times, key_worker=key, cover=cover,
            known=known, avoid_workers=avoid_workers, needs_two_staff=bool(two), depot=depot,
            appointments=appointments,
        ))
    week = Week(spec.week_start, name=spec.name).add_workers(workers).add_people(people)
    week.travel(TravelModel(speeds_kmh=dict(DEFAULT_SPEEDS)))
    # A few visits key workers have already locked.
    for j in rng.choice(spec.people, size=3, replace=False):
        p = people[int(j)]
        w = next(x for x in workers if x.id == p.key_worker)
        if p.needs_two_staff or p.appointments or p.depot:
            continue
        shift = next((s for s in w.shifts if s.day not in w.leave), None)
        if shift is None or p.available is not None or p.avoid_times:
            continue
        week.lock(Lock(p.id, w.id, shift.day, shift.start + 60))
    return week.build()


SPECS = (
    TeamSpec("team", seed=11),
    TeamSpec("stressed", seed=12, off_sick=3, stepped_up=18),
    TeamSpec("large", seed=13, staff=24, people=240, stepped_up=12, radius_km=9.0),
)
