"""One day's routing model, solver-neutral, and the exact schedule of a route.

`build_day` turns the day's tasks and the workers on shift into a `DayModel`: stops (visit
copies and each worker's break), one vehicle per worker, and per-worker cost and time
matrices. The PyVRP adapter (`solver.py`) and the OR-Tools comparison in `bench/` both read
this same model, so they solve the same problem.

How the clinical rules become routing terms (see docs/decisions/0006-visit-planner.md):
- a worker who may not do a visit (avoided, not a nurse for a depot, not the locked worker)
  has an impossible travel time to it in their own matrix;
- continuity is a surcharge on arriving at a visit, in that worker's cost matrix, shrinking
  to nothing for the key worker;
- a visit with two staff is two stops with the same zero-width start time, chosen here;
- a person free at several times of a day is one stop per window in a group (at most one);
- a break is a stop only its worker can reach, with no travel to it and the shortest leg
  into any place out of it; `schedule` then times the real route exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from outreach.planning.model import Break, Problem, VisitKind
from outreach.planning.tasks import Task
from outreach.planning.travel import Mode, Point

# Seconds: the travel time of an arc no feasible route can use (longer than any day). Its
# cost is at least this and twice the day's largest prize (see `_matrices`), so no prize can
# pay for it whatever PyVRP's time-warp penalty is at the time.
FORBIDDEN = 200_000
NARROW_MINUTES = 15  # re-planning: "unchanged" means starting within 15 minutes of before


@dataclass(frozen=True)
class Vehicle:
    worker: str
    start_point: Point
    end_point: Point
    start: int  # minutes
    end: int
    mode: Mode
    max_visits: int
    can_depot: bool
    brk: Break | None


@dataclass(frozen=True)
class Stop:
    ident: str  # task key, with "#1" for the second worker of a two-staff visit
    task: str | None  # None for a break
    early: int  # earliest start, minutes
    late: int  # latest start, minutes
    minutes: int
    point: Point
    prize: int
    owner: str | None = None  # a break's worker
    needs_nurse: bool = False

    @property
    def is_break(self) -> bool:
        return self.task is None


@dataclass
class DayModel:
    day: date
    vehicles: list[Vehicle]
    stops: list[Stop]
    groups: list[list[int]]  # stop indices; at most one of each group is visited
    # Node numbering: vehicle v's start is node v, its end node V + v, stop s is 2V + s.
    cost: list[np.ndarray]  # per vehicle, seconds-equivalent
    time: list[np.ndarray]  # per vehicle, seconds (solver's view: breaks are free)
    travel: list[np.ndarray]  # per vehicle, true travel seconds between nodes
    tasks: Mapping[str, Task] = field(default_factory=dict)

    @property
    def n_vehicles(self) -> int:
        return len(self.vehicles)

    def node(self, stop: int) -> int:
        return 2 * len(self.vehicles) + stop


DayRoutes = dict[str, list[int]]  # worker -> stop indices in order (breaks included)


def build_day(
    problem: Problem,
    day: date,
    tasks: Sequence[Task],
    vehicles: Sequence[Vehicle],
    *,
    pair_times: Mapping[str, int],
    previous: Mapping[str, tuple[str, int]] | None = None,
    extra_prize: Mapping[str, int] | None = None,
) -> DayModel:
    """The routing model of one day.

    pair_times: the chosen start of each two-staff task. previous: for re-planning, the
    worker and start each task had before (stop ident -> (worker, start)); moving it costs
    `weights.change_minutes`.
    """
    w = problem.weights
    previous = previous or {}
    extra_prize = extra_prize or {}
    stops: list[Stop] = []
    groups: list[list[int]] = []
    for task in tasks:
        person = problem.person_by_id[task.person]
        if task.kind == VisitKind.CRISIS:
            base_prize = w.crisis_prize
        elif task.needs_nurse or task.start is not None or task.kind == VisitKind.RETRY:
            # Depots, what cannot move (appointments, locks), and trying again someone the
            # team could not get in to see: before a routine visit to someone already seen.
            base_prize = w.depot_prize
        else:
            base_prize = w.contact_prize
        prize = base_prize + extra_prize.get(task.key, 0)
        if task.start is not None:
            windows = [(task.start, task.start)]
        elif task.two_staff:
            windows = [(pair_times[task.key], pair_times[task.key])]
        elif task.kind == VisitKind.CRISIS and task.window is not None:
            # A crisis is met when it happens, not in the person's usual hours for visits.
            lo, hi = task.window
            windows = [(lo, hi)]
        else:
            spans = person.windows_on(day)
            if task.window is not None:
                lo, hi = task.window
                spans = [(max(s, lo), min(e, hi + task.minutes)) for s, e in spans]
            windows = [(s, e - task.minutes) for s, e in spans if e - task.minutes >= s]
        copies = 2 if task.two_staff else 1
        for c in range(copies):
            ident = task.key if c == 0 else f"{task.key}#{c}"
            group: list[int] = []
            before = previous.get(ident)
            if before is not None and task.start is None and not task.two_staff:
                start = before[1]
                narrow = [
                    (max(s, start - NARROW_MINUTES), min(e, start + NARROW_MINUTES))
                    for s, e in windows
                ]
                narrow = [(s, e) for s, e in narrow if e >= s]
                for s, e in narrow:
                    group.append(len(stops))
                    stops.append(
                        Stop(ident, task.key, s, e, task.minutes, task.location,
                             prize + w.change_minutes, needs_nurse=task.needs_nurse)
                    )
            for s, e in windows:
                group.append(len(stops))
                stops.append(
                    Stop(ident, task.key, s, e, task.minutes, task.location, prize,
                         needs_nurse=task.needs_nurse)
                )
            if len(group) > 1:
                groups.append(group)
    for v in vehicles:
        if v.brk is not None and v.brk.minutes > 0:
            early = max(v.brk.earliest, v.start)
            late = min(v.brk.latest, v.end - v.brk.minutes)
            if late >= early:
                stops.append(
                    Stop(f"break/{v.worker}", None, early, late, v.brk.minutes,
                         v.start_point, 0, owner=v.worker)
                )
    return _matrices(problem, day, list(vehicles), stops, groups, tasks, previous)


def _matrices(
    problem: Problem,
    day: date,
    vehicles: list[Vehicle],
    stops: list[Stop],
    groups: list[list[int]],
    tasks: Sequence[Task],
    previous: Mapping[str, tuple[str, int]],
) -> DayModel:
    n_v = len(vehicles)
    points = (
        [v.start_point for v in vehicles] + [v.end_point for v in vehicles]
        + [s.point for s in stops]
    )
    n = len(points)
    by_mode: dict[Mode, np.ndarray] = {}
    for mode in {v.mode for v in vehicles}:
        by_mode[mode] = problem.travel.seconds(points, mode)
    task_by_key = {t.key: t for t in tasks}
    is_break = np.array([False] * (2 * n_v) + [s.is_break for s in stops])
    stranger = problem.weights.stranger_minutes * 60
    known = problem.weights.known_minutes * 60
    change = problem.weights.change_minutes * 60
    # A forbidden arc must cost more than any prize, or the solver may take it for a depot
    # or a crisis (prizes of 240,000 and 480,000) and pay only the time-warp penalty.
    forbidden_cost = max(FORBIDDEN, 2 * 60 * max([s.prize for s in stops] + [0]))
    cost_l: list[np.ndarray] = []
    time_l: list[np.ndarray] = []
    travel_l: list[np.ndarray] = []
    # The shortest real leg into each node from any other place of the day: a break's exit.
    for v in vehicles:
        travel = by_mode[v.mode]
        masked = travel.astype(np.float64).copy()
        np.fill_diagonal(masked, np.inf)
        masked[is_break, :] = np.inf
        min_in = np.where(np.isfinite(masked.min(axis=0)), masked.min(axis=0), 0).astype(np.int64)
        time = travel.copy()
        cost = travel.copy()
        surcharge = np.zeros(n, dtype=np.int64)
        forbidden = np.zeros(n, dtype=bool)
        for si, s in enumerate(stops):
            node = 2 * n_v + si
            if s.is_break:
                if s.owner != v.worker:
                    forbidden[node] = True
                continue
            task = task_by_key[s.task]  # type: ignore[index]
            if not task.allowed(problem, v.worker):
                forbidden[node] = True
                continue
            person = problem.person_by_id[task.person]
            if task.kind.value in ("contact", "depot", "retry", "crisis"):
                pref = person.preference(v.worker)
                surcharge[node] += int(round((known if pref > 0 else stranger) * (1 - pref)))
            before = previous.get(s.ident)
            if before is not None and before[0] != v.worker:
                surcharge[node] += change
        cost += surcharge[None, :]
        own_breaks = np.array(
            [False] * (2 * n_v) + [s.is_break and s.owner == v.worker for s in stops]
        )
        # Into one's own break: no travel. Out of it: the shortest leg into the next place.
        time[:, own_breaks] = 0
        cost[:, own_breaks] = 0
        time[own_breaks, :] = min_in[None, :]
        cost[own_breaks, :] = min_in[None, :] + surcharge[None, :]
        time[:, forbidden] = FORBIDDEN
        cost[:, forbidden] = forbidden_cost
        np.fill_diagonal(time, 0)
        np.fill_diagonal(cost, 0)
        cost_l.append(cost)
        time_l.append(time)
        travel_l.append(travel)
    return DayModel(day, vehicles, stops, groups, cost_l, time_l, travel_l, task_by_key)


@dataclass(frozen=True)
class Timed:
    stop: int
    start: int  # minutes
    leg_seconds: int  # travel into it (0 for a break)


def schedule(model: DayModel, vi: int, seq: Sequence[int]) -> list[Timed] | None:
    """The exact timing of a worker's route, starting everything as early as it can.

    Breaks are taken where the worker is, before the next leg. None if the route breaks a
    time window, the shift, or the worker's visit limit.
    """
    v = model.vehicles[vi]
    travel = model.travel[vi]
    t = v.start * 60
    at = vi  # node
    out: list[Timed] = []
    visits = 0
    for s in seq:
        stop = model.stops[s]
        if stop.is_break:
            if not allowed_stop(model, vi, s):
                return None
            start_min = -(-max(t, stop.early * 60) // 60)
            if start_min > stop.late:
                return None
            out.append(Timed(s, start_min, 0))
            t = start_min * 60 + stop.minutes * 60
            continue
        node = model.node(s)
        if model.time[vi][vi, node] >= FORBIDDEN:
            return None
        leg = int(travel[at, node])
        arrive = t + leg
        start = max(arrive, stop.early * 60)
        start_min = -(-start // 60)  # whole minutes, rounded up
        if start_min > stop.late:
            return None
        visits += 1
        out.append(Timed(s, start_min, leg))
        t = start_min * 60 + stop.minutes * 60
        at = node
    if visits > v.max_visits:
        return None
    back = int(travel[at, model.n_vehicles + vi])
    if t + back > v.end * 60:
        return None
    return out


def fix_route(model: DayModel, vi: int, seq: list[int]) -> tuple[list[int], list[int]]:
    """A feasible version of a route: move the break, then drop visits until it fits.

    Returns (route, dropped stop indices). The break's place is chosen here whenever the
    solver's position does not time out exactly.
    """
    dropped: list[int] = []
    seq = list(seq)
    while True:
        for s in [s for s in seq if not allowed_stop(model, vi, s)]:
            seq.remove(s)
            dropped.append(s)
        if schedule(model, vi, seq) is not None:
            return seq, dropped
        breaks = [s for s in seq if model.stops[s].is_break]
        visits = [s for s in seq if not model.stops[s].is_break]
        best: list[int] | None = None
        best_end = None
        if breaks:
            b = breaks[0]
            for pos in range(len(visits) + 1):
                cand = visits[:pos] + [b] + visits[pos:]
                timed = schedule(model, vi, cand)
                if timed is not None:
                    end = timed[-1].start if timed else 0
                    if best_end is None or end < best_end:
                        best, best_end = cand, end
        if best is not None:
            return best, dropped
        if not visits:
            # Not even the break fits: the shift is shorter than the break window allows.
            return [], dropped + breaks
        # Drop the visit whose removal helps most: try the lowest prize, latest first.
        worst = min(reversed(visits), key=lambda s: model.stops[s].prize)
        seq.remove(worst)
        dropped.append(worst)


def reinsert(model: DayModel, routes: DayRoutes, dropped: Sequence[int]) -> None:
    """Put visits a route could not keep into a route where they fit, at least extra cost.

    The solver sees a break as no travel in and the shortest leg out, so a tight route can
    be a few minutes too long once timed exactly, and `fix_route` then drops a visit. That
    visit often fits another worker's day. `routes` is changed in place; what fits nowhere
    stays out. Two-staff visits are left to the planner (they need both workers).
    """
    index = {v.worker: i for i, v in enumerate(model.vehicles)}
    served = {model.stops[s].ident for seq in routes.values() for s in seq}
    copies: dict[str, list[int]] = {}
    for si, stop in enumerate(model.stops):
        if not stop.is_break:
            copies.setdefault(stop.ident, []).append(si)
    for s in sorted(dropped, key=lambda s: -model.stops[s].prize):
        stop = model.stops[s]
        if stop.is_break or stop.ident in served or model.tasks[stop.task].two_staff:  # type: ignore[index]
            continue
        best: tuple[int, str, list[int]] | None = None
        for worker, seq in routes.items():
            vi = index[worker]
            cost = model.cost[vi]
            nodes = [vi, *(model.node(x) for x in seq), model.n_vehicles + vi]
            for cand in copies[stop.ident]:
                if not allowed_stop(model, vi, cand):
                    continue
                node = model.node(cand)
                for pos in range(len(seq) + 1):
                    a, b = nodes[pos], nodes[pos + 1]
                    delta = int(cost[a, node] + cost[node, b] - cost[a, b])
                    if best is not None and delta >= best[0]:
                        continue
                    trial = [*seq[:pos], cand, *seq[pos:]]
                    if schedule(model, vi, trial) is not None:
                        best = (delta, worker, trial)
        if best is not None:
            routes[best[1]] = best[2]
            served.add(stop.ident)


def allowed_stop(model: DayModel, vi: int, stop: int) -> bool:
    """Whether this worker may take this stop at all (a worker's own break, allowed visits)."""
    return bool(model.time[vi][vi, model.node(stop)] < FORBIDDEN)


def served_idents(model: DayModel, routes: DayRoutes) -> dict[str, tuple[str, int]]:
    return {
        model.stops[s].ident: (w, s)
        for w, seq in routes.items()
        for s in seq
        if not model.stops[s].is_break
    }
