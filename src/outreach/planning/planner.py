"""Plan a team's week of visits, and re-plan when the day goes differently.

`plan_week(problem, seconds=..., seed=...)`: days first (`days.py`), then each day routed by
PyVRP (`solver.py`), then repair rounds that move visits the solver could not fit to other
days, and finally an independent check (`check.py`) of every hard rule. Whatever the week
needed and the plan does not do is an `Unmet` item with a reason, never left out silently.

`replan(plan, events, ...)`: a no-access visit to retry, a crisis visit, a worker off sick.
Visits already started and other days stay as they were; the affected days are routed
again with a cost on every change to someone else's visit (another worker or another time),
and the previous routes as the solver's starting point.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from outreach.planning import check as check_mod
from outreach.planning.days import (
    Shifts,
    assign_days,
    capacity,
    feasible_day,
    pair_time,
    task_load,
    workers_for,
)
from outreach.planning.model import (
    Break,
    DayWindow,
    Problem,
    VisitKind,
    day_text,
    hhmm,
)
from outreach.planning.plan import (
    Figures,
    Plan,
    PlannedBreak,
    PlannedVisit,
    Unmet,
    counted_contacts,
)
from outreach.planning.routing import (
    DayModel,
    DayRoutes,
    Timed,
    Vehicle,
    build_day,
    fix_route,
    reinsert,
    schedule,
)
from outreach.planning.tasks import EarlyUnmet, Task, make_tasks, span_text
from outreach.planning.travel import Point

Router = Callable[..., DayRoutes]  # (model, *, seconds, seed, hint) -> routes

# Unmet reasons (plain words; {p} is the person's id).
NO_NURSE_FOR_DEPOT = "No nurse {p} may see is on shift {span} for the depot due {due}."
NO_NURSE_TIME_FOR_DEPOT = (
    "The nurses on shift {span} had no time free at times {p} can be seen for the depot due "
    "{due}: add nurse time, or offer a clinic appointment."
)
DEPOT_LATER = " It can still be given up to {last}, after this week."
NO_STAFF_AT_PERSON_TIMES = (
    "No worker {p} may see is on shift at a time {p} can be seen this week ({planned} of "
    "{target} contacts planned): agree other times with {p} or add staff time."
)
NO_TWO_STAFF = (
    "{p} needs two staff, and two workers {p} may see were never free at the same time "
    "{span} ({planned} of {target} contacts planned). One worker is never sent alone: "
    "arrange a second worker at handover."
)
FEWER_DAYS_THAN_TARGET = (
    "{p} can be seen on only {days} days this week, one visit a day, and the target is "
    "{target} ({planned} planned): agree more times with {p} or review the target at MDT."
)
STAFF_TIME_FULL = (
    "Staff time was full on the days {p} can be seen ({planned} of {target} contacts "
    "planned): raise at handover."
)
LOCK_NOT_ON_SHIFT = (
    "The locked visit with {worker} {on} at {time} could not be kept: {worker} is not on "
    "shift then. Agree a new time with {p}."
)
LOCK_CLASH = (
    "The locked visit with {worker} {on} at {time} could not be kept: it clashes with "
    "{worker}'s other fixed visits, break or travel. Agree a new time with {p}."
)
APPOINTMENT_NOBODY = (
    "Nobody who may go with {p} to the {what} {on} at {time} is on shift then: arrange "
    "cover or tell the {what}."
)
APPOINTMENT_BUSY = (
    "Everyone who may go with {p} to the {what} {on} at {time} is already busy or "
    "travelling then: arrange cover or tell the {what}."
)
CRISIS_NOBODY = (
    "No worker was free to reach {p} between {a} and {b} {on}: escalate to the team manager "
    "and the crisis team now."
)
CHECK_FAILED = "The plan's final check removed this visit: {problem}. Plan it by hand."


@dataclass(frozen=True)
class NoAccess:
    """A visit found nobody in (or was refused): the contact is tried again."""

    person: str
    day: date
    at: int


@dataclass(frozen=True)
class CrisisVisit:
    """A visit needed today, within `within_minutes` of `at`."""

    person: str
    day: date
    at: int
    within_minutes: int = 240
    minutes: int = 60
    needs_two_staff: bool = False


@dataclass(frozen=True)
class WorkerOffSick:
    """A worker goes off sick at `at` on `day`, until `until` (default: the rest of the week)."""

    worker: str
    day: date
    at: int
    until: date | None = None


Event = NoAccess | CrisisVisit | WorkerOffSick


def _default_router() -> Router:
    from outreach.planning.solver import route_day

    return route_day


def _shifts(problem: Problem) -> dict[date, dict[str, tuple[int, int]]]:
    out: dict[date, dict[str, tuple[int, int]]] = {d: {} for d in problem.days}
    for w in problem.workers:
        for d in problem.days:
            s = w.shift_on(d)
            if s is not None:
                out[d][w.id] = (s.start, s.end)
    return out


class _Engine:
    def __init__(
        self,
        problem: Problem,
        tasks: list[Task],
        early: list[EarlyUnmet],
        *,
        router: Router,
        seed: int,
        deadline: float,
        started: float,
        open_days: set[date],
        kept: list[PlannedVisit] | None = None,
        kept_breaks: list[PlannedBreak] | None = None,
        day_start: Mapping[str, tuple[int, Point, Break | None, int]] | None = None,
        now_day: date | None = None,
        previous: Mapping[date, dict[str, tuple[str, int]]] | None = None,
        fixed_days: Mapping[str, date] | None = None,
        may_open: Callable[[date], bool] | None = None,
        on_open: Callable[[date], None] | None = None,
    ) -> None:
        self.problem = problem
        self.tasks = tasks
        self.by_key = {t.key: t for t in tasks}
        self.early = early
        self.router = router
        self.seed = seed
        self.deadline = deadline
        self.started = started
        self.open_days = set(open_days)
        self.kept = list(kept or [])
        self.kept_breaks = list(kept_breaks or [])
        self.day_start = dict(day_start or {})  # worker -> (start minute, point) on now_day
        self.now_day = now_day
        self.previous: dict[date, dict[str, tuple[str, int]]] = {
            d: dict(p) for d, p in (previous or {}).items()
        }
        self.fixed_days = dict(fixed_days or {})
        self.may_open = may_open or (lambda d: False)
        self.on_open = on_open or (lambda d: None)
        self.shifts: Shifts = _shifts(problem)
        self.models: dict[date, DayModel] = {}
        self.routes: dict[date, DayRoutes] = {}
        self.timed: dict[date, dict[str, list[Timed]]] = {}
        self.pair_times: dict[tuple[str, date], int] = {}
        self.tried: dict[str, list[tuple[date, int | None]]] = {}
        self.day_of: dict[str, date | None] = {}

    # Vehicles and routing of one day

    def vehicles(self, day: date) -> list[Vehicle]:
        out = []
        for worker_id, (s, e) in self.shifts.get(day, {}).items():
            w = self.problem.worker_by_id[worker_id]
            start, point, brk, done = s, w.base, w.break_, 0
            if day == self.now_day and worker_id in self.day_start:
                start, point, brk, done = self.day_start[worker_id]
            if start >= e or w.max_visits - done <= 0:
                continue
            out.append(
                Vehicle(worker_id, point, w.base, start, e, w.mode, w.max_visits - done,
                        w.can_give_depots, brk)
            )
        return out

    def open(self, day: date) -> None:
        """Route this day too (re-planning: its visits come back in, to be kept if they can)."""
        self.open_days.add(day)
        self.on_open(day)

    def tasks_on(self, day: date) -> list[Task]:
        return [t for t in self.tasks if self.day_of.get(t.key) == day]

    def route(self, day: date, seconds: float, hint: Mapping[str, Sequence[str]] | None) -> None:
        previous = self.previous.get(day, {})
        todo = []
        taken: list[int] = []
        for t in self.tasks_on(day):
            if t.two_staff and t.start is None:
                key = (t.key, day)
                if key not in self.pair_times:
                    if t.key in previous:
                        self.pair_times[key] = previous[t.key][1]
                    else:
                        avoid = [tm for d, tm in self.tried.get(t.key, []) if d == day and tm]
                        chosen = pair_time(
                            self.problem, t, day, self.shifts, taken=taken, avoid=avoid
                        )
                        if chosen is None:
                            self.tried.setdefault(t.key, []).append((day, None))
                            self.day_of[t.key] = None
                            continue
                        self.pair_times[key] = chosen
                taken.append(self.pair_times[key])
            todo.append(t)
        model = build_day(
            self.problem,
            day,
            todo,
            self.vehicles(day),
            pair_times={k: v for (k, d), v in self.pair_times.items() if d == day},
            previous=previous,
        )
        routes = self.router(model, seconds=seconds, seed=self.seed, hint=hint)
        self.models[day] = model
        self.routes[day] = self._settle(model, routes)

    def _settle(self, model: DayModel, routes: DayRoutes) -> DayRoutes:
        """Exact schedules; two-staff visits with only one worker are taken out."""
        index = {v.worker: i for i, v in enumerate(model.vehicles)}
        fixed: DayRoutes = {}
        own_break = {s.owner: si for si, s in enumerate(model.stops) if s.is_break}
        dropped: list[int] = []
        for worker, seq in routes.items():
            seq = list(seq)
            if worker in own_break and own_break[worker] not in seq:
                # The solver left the break out (no time to search): fix_route places it,
                # dropping visits if it must. A worker's day never goes out without a break.
                seq.append(own_break[worker])
            fixed[worker], out = fix_route(model, index[worker], seq)
            dropped += out
        reinsert(model, fixed, dropped)
        while True:
            idents: dict[str, str] = {}
            for worker, seq in fixed.items():
                for s in seq:
                    stop = model.stops[s]
                    if not stop.is_break:
                        idents[stop.ident] = worker
            lone = [
                (worker, i) for i, worker in idents.items()
                if model.tasks[i.split("#")[0]].two_staff
                and not (i.split("#")[0] in idents and i.split("#")[0] + "#1" in idents)
            ]
            if not lone:
                break
            for worker, ident in lone:
                fixed[worker] = [s for s in fixed[worker] if model.stops[s].ident != ident]
                fixed[worker], _ = fix_route(model, index[worker], fixed[worker])
        self.timed[model.day] = {}
        for worker, seq in fixed.items():
            timed = schedule(model, index[worker], seq)
            assert timed is not None  # fix_route made it feasible
            self.timed[model.day][worker] = timed
        return fixed

    def hint(self, day: date) -> dict[str, list[str]] | None:
        if day in self.routes:
            model = self.models[day]
            return {w: [model.stops[s].ident for s in seq] for w, seq in self.routes[day].items()}
        previous = self.previous.get(day)
        if not previous:
            return None
        out: dict[str, list[tuple[int, str]]] = {}
        for ident, (worker, start) in previous.items():
            out.setdefault(worker, []).append((start, ident))
        return {w: [i for _, i in sorted(v)] for w, v in out.items()}

    # Which tasks are done

    def served(self) -> dict[str, list[tuple[date, str, Timed]]]:
        out: dict[str, list[tuple[date, str, Timed]]] = {}
        for day, per_worker in self.timed.items():
            model = self.models[day]
            for worker, timed in per_worker.items():
                for tm in timed:
                    stop = model.stops[tm.stop]
                    if not stop.is_break:
                        out.setdefault(stop.task, []).append((day, worker, tm))  # type: ignore[arg-type]
        return out

    def person_days(self) -> dict[str, set[date]]:
        out: dict[str, set[date]] = {}
        for v in self.kept:
            out.setdefault(v.person, set()).add(v.day)
        for t in self.tasks:
            d = self.day_of.get(t.key)
            if d is not None:
                out.setdefault(t.person, set()).add(d)
        return out

    # The whole run

    def run(self, first_share: float = 0.6, skip: set[str] | None = None) -> None:
        load: dict[date, float] = {}
        used: dict[str, set[date]] = {}
        for v in self.kept:
            load[v.day] = load.get(v.day, 0.0) + v.minutes + 25
            used.setdefault(v.person, set()).add(v.day)
        kept_tasks = {v.task for v in self.kept}
        skip = skip or set()
        for key in skip:
            self.day_of[key] = None
        routable = [t for t in self.tasks if t.key not in kept_tasks and t.key not in skip]
        assigned = assign_days(
            self.problem,
            routable,
            self.shifts,
            fixed={k: d for k, d in self.fixed_days.items() if k in self.by_key},
            used=used,
            load=load,
        )
        for t in routable:
            d = assigned.get(t.key)
            if d is not None and d not in self.open_days:
                if self.may_open(d):
                    self.open(d)
                else:
                    d = None
            self.day_of[t.key] = d
            if d is None:
                self.tried.setdefault(t.key, []).append((d, None))  # type: ignore[arg-type]
        days = sorted(self.open_days)
        budget = max(self.deadline - time.perf_counter(), 0.0) * first_share
        # In a re-plan, today is what people are waiting for (a crisis, a retry, a sick
        # colleague's visits this afternoon): it gets half the time, the other days share
        # the rest.
        weight = {d: (max(len(days) - 1, 1) if d == self.now_day else 1) for d in days}
        total = sum(weight.values()) or 1
        for day in days:
            self.route(day, max(budget * weight[day] / total, 0.02), self.hint(day))
        for _ in range(4):
            if not self._repair_round():
                break

    def _repair_round(self) -> bool:
        served = self.served()
        missing = [
            t for t in self.tasks
            if t.key not in served
            and self.day_of.get(t.key) is not None
            and t.key not in {v.task for v in self.kept}
        ]
        if not missing:
            return False
        cap = capacity(self.problem, self.shifts)
        load = {d: 0.0 for d in self.problem.days}
        for t in self.tasks:
            d = self.day_of.get(t.key)
            if d is not None and t.key in served:
                load[d] += task_load(t)
        for v in self.kept:
            load[v.day] += v.minutes + 25
        person_days = {}
        for t in self.tasks:
            d = self.day_of.get(t.key)
            if d is not None and (t.key in served or t.fixed_day):
                person_days.setdefault(t.person, set()).add(d)
        for v in self.kept:
            person_days.setdefault(v.person, set()).add(v.day)
        changed: set[date] = set()
        for t in missing:
            old = self.day_of[t.key]
            assert old is not None
            self.tried.setdefault(t.key, []).append(
                (old, self.pair_times.get((t.key, old)))
            )
            tried_days = [d for d, _ in self.tried[t.key]]
            options = []
            for d in t.days:
                if self.now_day is not None and d < self.now_day:
                    continue
                if d in person_days.get(t.person, set()) and d != old:
                    continue
                if d not in self.open_days and not self.may_open(d):
                    continue
                limit = 2 if t.two_staff else 1
                if tried_days.count(d) >= limit:
                    continue
                if not feasible_day(self.problem, t, d, self.shifts):
                    continue
                fill = (load[d] + task_load(t)) / cap[d]
                near = abs((d - t.due).days) * 0.2 if t.due else 0.0
                options.append((fill + near, d))
            if not options:
                self.day_of[t.key] = None
                continue
            _, best = min(options)
            self.day_of[t.key] = best
            self.pair_times.pop((t.key, best), None)
            load[best] += task_load(t)
            person_days.setdefault(t.person, set()).add(best)
            if best not in self.open_days:
                self.open(best)
            changed.add(best)
        if not changed:
            return False
        # Every day this round opened or changed is routed, however little time is left: an
        # opened day's visits were taken out of the kept plan, and a warm start from its
        # previous routes is quick. Only further rounds wait for time.
        remaining = self.deadline - time.perf_counter()
        per_day = max(remaining * 0.8 / len(changed), 0.02)
        for day in sorted(changed):
            self.route(day, per_day, self.hint(day))
        return remaining > 0.05

    # The plan

    def plan(self) -> Plan:
        problem = self.problem
        visits: list[PlannedVisit] = list(self.kept)
        breaks: list[PlannedBreak] = list(self.kept_breaks)
        served = self.served()
        for day, per_worker in self.timed.items():
            model = self.models[day]
            for worker, timed in per_worker.items():
                for tm in timed:
                    stop = model.stops[tm.stop]
                    if stop.is_break:
                        breaks.append(PlannedBreak(worker, day, tm.start, stop.minutes))
                        continue
                    task = self.by_key[stop.task]  # type: ignore[index]
                    partner = None
                    if task.two_staff:
                        partner = next(
                            (w for _, w, _ in served.get(task.key, []) if w != worker), None
                        )
                    visits.append(
                        PlannedVisit(task.person, worker, day, tm.start, task.minutes, task.kind,
                                     tm.leg_seconds / 60, task.key, partner, task.what)
                    )
        visits, travel = _relegged(problem, visits)
        unmet = self._unmet({v.task for v in visits})
        plan = _make_plan(problem, tuple(self.tasks), visits, breaks, unmet, travel,
                          time.perf_counter() - self.started)
        problems = check_mod.check_plan(plan)
        if not problems:
            return plan
        # Never expected: take out what breaks a rule and say so, rather than hand it on.
        bad_tasks = {p.task for p in problems if p.task is not None}
        visits = [v for v in plan.visits if v.task not in bad_tasks]
        visits, travel = _relegged(problem, visits)
        extra = [
            Unmet(self.by_key[p.task].person, self.by_key[p.task].kind, None,
                  CHECK_FAILED.format(problem=p.message), task=p.task)
            for p in problems if p.task in self.by_key
        ]
        return _make_plan(problem, tuple(self.tasks), visits, breaks, [*unmet, *extra], travel,
                          time.perf_counter() - self.started)

    def _unmet(self, planned_tasks: set[str]) -> list[Unmet]:
        problem = self.problem
        out = [Unmet(e.person, e.kind, e.day, e.reason, e.count) for e in self.early]
        contacts = {p.id: 0 for p in problem.people}
        for t in self.tasks:
            if t.key in planned_tasks and t.counts:
                contacts[t.person] += 1
        for t in self.tasks:
            if t.key in planned_tasks:
                continue
            p = t.person
            person = problem.person_by_id[p]
            tried_days = sorted({d for d, _ in self.tried.get(t.key, []) if d is not None})
            fmt = dict(p=f"person {p}", planned=contacts[p], target=person.weekly_target)
            if t.kind == VisitKind.DEPOT:
                due = t.due or t.days[0]
                nurse_days = [d for d in t.days
                              if workers_for(problem, replace(t, two_staff=False), d, self.shifts)]
                span = span_text(list(t.days))
                if not nurse_days:
                    reason = NO_NURSE_FOR_DEPOT.format(p=fmt["p"], span=span, due=day_text(due))
                else:
                    reason = NO_NURSE_TIME_FOR_DEPOT.format(p=fmt["p"], span=span,
                                                            due=day_text(due))
                if person.depot is not None:
                    last = person.depot.due + timedelta(days=person.depot.tolerance_days)
                    if last > problem.days[-1]:
                        reason += DEPOT_LATER.format(last=day_text(last))
                out.append(Unmet(p, t.kind, due, reason, task=t.key))
            elif "/lock/" in t.key:
                day = t.days[0]
                on = self.shifts.get(day, {}).get(t.worker or "")
                template = (LOCK_NOT_ON_SHIFT if on is None or not (
                    on[0] <= t.start <= on[1] - t.minutes) else LOCK_CLASH)  # type: ignore[operator]
                out.append(Unmet(p, t.kind, day, template.format(
                    worker=t.worker, on=span_text([day]), time=hhmm(t.start or 0), p=fmt["p"]),
                    task=t.key))
            elif t.kind == VisitKind.APPOINTMENT:
                day = t.days[0]
                who = workers_for(problem, replace(t, two_staff=False), day, self.shifts)
                template = APPOINTMENT_NOBODY if len(who) < (2 if t.two_staff else 1) else (
                    APPOINTMENT_BUSY)
                out.append(Unmet(p, t.kind, day, template.format(
                    p=fmt["p"], what=t.what or "appointment", on=span_text([day]),
                    time=hhmm(t.start or 0)), task=t.key))
            elif t.kind == VisitKind.CRISIS:
                day = t.days[0]
                lo, hi = t.window or (0, 24 * 60)
                out.append(Unmet(p, t.kind, day, CRISIS_NOBODY.format(
                    p=fmt["p"], a=hhmm(lo), b=hhmm(hi), on=span_text([day])), task=t.key))
            else:
                single = [d for d in t.days
                          if workers_for(problem, replace(t, two_staff=False), d, self.shifts)]
                if self.now_day is not None:
                    single = [d for d in single if d >= self.now_day]
                free_days = [d for d in problem.days if person.windows_on(d)]
                if not single:
                    reason = NO_STAFF_AT_PERSON_TIMES.format(**fmt)
                elif len(free_days) < person.weekly_target:
                    reason = FEWER_DAYS_THAN_TARGET.format(days=len(free_days), **fmt)
                elif t.two_staff:
                    reason = NO_TWO_STAFF.format(span=span_text(tried_days or single), **fmt)
                else:
                    reason = STAFF_TIME_FULL.format(**fmt)
                out.append(Unmet(p, t.kind, None, reason, task=t.key))
        return out


def _relegged(
    problem: Problem, visits: Sequence[PlannedVisit]
) -> tuple[list[PlannedVisit], float]:
    """Travel legs recomputed along each worker's day in time order, and the week's total."""
    out: list[PlannedVisit] = []
    total = 0.0
    groups: dict[tuple[str, date], list[PlannedVisit]] = {}
    for v in visits:
        groups.setdefault((v.worker, v.day), []).append(v)
    for (worker, _day), vs in groups.items():
        w = problem.worker_by_id[worker]
        vs = sorted(vs, key=lambda v: v.start)
        points = [w.base] + [_point(problem, v) for v in vs] + [w.base]
        m = problem.travel.seconds(points, w.mode)
        for i, v in enumerate(vs):
            leg = m[i, i + 1] / 60
            out.append(replace(v, travel_minutes=round(float(leg), 2)))
            total += float(leg)
        total += float(m[len(vs), len(vs) + 1]) / 60
    return out, total


def _point(problem: Problem, v: PlannedVisit) -> Point:
    person = problem.person_by_id[v.person]
    if v.kind == VisitKind.APPOINTMENT:
        idx = int(v.task.rsplit("/", 1)[1])
        appt = person.appointments[idx]
        return appt.location or person.location  # type: ignore[return-value]
    return person.location  # type: ignore[return-value]


def _make_plan(problem, tasks, visits, breaks, unmet, travel, runtime) -> Plan:
    by_key = {t.key: t for t in tasks}
    contacts = counted_contacts(visits, by_key)
    people = [p for p in problem.people if p.weekly_target > 0]
    met = sum(contacts.get(p.id, 0) >= p.weekly_target for p in people)
    planned = sum(min(contacts.get(p.id, 0), p.weekly_target) for p in people)
    depots = [t for t in tasks if t.kind == VisitKind.DEPOT]
    planned_tasks = {v.task for v in visits}
    seen: set[str] = set()
    cont = keyed = n = 0
    per_task: dict[str, list[PlannedVisit]] = {}
    for v in visits:
        per_task.setdefault(v.task, []).append(v)
    for key, vs in per_task.items():
        if key in seen or vs[0].kind == VisitKind.APPOINTMENT:
            continue
        seen.add(key)
        n += 1
        person = problem.person_by_id[vs[0].person]
        cont += any(person.preference(v.worker) > 0 for v in vs)
        keyed += any(v.worker == person.key_worker for v in vs)
    per_worker = {w.id: 0 for w in problem.workers if any(w.shift_on(d) for d in problem.days)}
    for v in visits:
        if v.worker in per_worker:
            per_worker[v.worker] += 1
    figures = Figures(
        people=len(people),
        people_targets_met=met,
        contacts_target=sum(p.weekly_target for p in people),
        contacts_planned=planned,
        depots_due=len(depots),
        depots_planned=sum(t.key in planned_tasks for t in depots),
        visits=n,
        continuity_visits=cont,
        travel_minutes=travel,
        runtime_seconds=runtime,
        busiest_worker_visits=max(per_worker.values(), default=0),
        quietest_worker_visits=min(per_worker.values(), default=0),
        key_worker_visits=keyed,
    )
    order = sorted(visits, key=lambda v: (v.day, v.worker, v.start))
    return Plan(problem, tuple(tasks), tuple(order),
                tuple(sorted(breaks, key=lambda b: (b.day, b.worker))), tuple(unmet),
                travel, figures)


def plan_week(
    problem: Problem, *, seconds: float = 7.0, seed: int = 1, router: Router | None = None
) -> Plan:
    """The week's visits for the whole team. `seconds` is the solver's budget for the week."""
    started = time.perf_counter()
    tasks, early = make_tasks(problem)
    engine = _Engine(
        problem,
        tasks,
        early,
        router=router or _default_router(),
        seed=seed,
        deadline=started + seconds,
        started=started,
        open_days=set(problem.days),
    )
    engine.run()
    return engine.plan()


def replan(
    plan: Plan,
    events: Sequence[Event],
    *,
    seconds: float = 1.5,
    seed: int = 1,
    router: Router | None = None,
) -> Plan:
    """Re-plan the rest of the day (and the week where needed) after what has happened.

    Visits already started, and days not touched by the events, stay exactly as they were.
    """
    started = time.perf_counter()
    if not events:
        return plan
    now_day = min(e.day for e in events)
    now = min(e.at for e in events if e.day == now_day)
    problem = plan.problem
    workers = {w.id: w for w in problem.workers}
    sick = [e for e in events if isinstance(e, WorkerOffSick)]
    failed = {(e.person, e.day) for e in events if isinstance(e, NoAccess)}
    kept: list[PlannedVisit] = []
    kept_breaks: list[PlannedBreak] = []
    reroute: list[PlannedVisit] = []
    failed_tasks: set[str] = set()
    affected_days = {now_day}
    sick_ids = {e.worker for e in sick}
    for e in sick:
        last = e.until or problem.days[-1]
        for v in plan.visits:
            if v.worker == e.worker and e.day <= v.day <= last:
                affected_days.add(v.day)
    for v in plan.visits:
        started_already = v.day < now_day or (v.day == now_day and v.start < now)
        if (v.person, v.day) in failed and v.day == now_day and v.start <= now:
            failed_tasks.add(v.task)
            continue
        if started_already or v.day not in affected_days:
            kept.append(v)
        else:
            reroute.append(v)
    for b in plan.breaks:
        if b.day < now_day or b.day not in affected_days or (b.day == now_day and b.start < now):
            kept_breaks.append(b)
    # The sick worker's shifts end when they went off; leave for the days after.
    for e in sick:
        w = workers[e.worker]
        last = e.until or problem.days[-1]
        done = [v for v in kept if v.worker == e.worker and v.day == e.day]
        end_today = e.at
        for v in done:
            back = problem.travel.seconds([_point(problem, v), w.base], w.mode)[0, 1]
            end_today = max(end_today, v.end + -(-int(back) // 60))
        shifts = []
        for s in w.shifts:
            if s.day == e.day and s.start < end_today:
                shifts.append(DayWindow(s.day, s.start, max(min(s.end, end_today), s.start + 1)))
            elif not (e.day <= s.day <= last):
                shifts.append(s)
        leave = w.leave | {d for d in problem.days if e.day < d <= last}
        workers[e.worker] = replace(w, shifts=tuple(shifts), leave=frozenset(leave))
    new_problem = replace(problem, workers=tuple(workers[w.id] for w in problem.workers))
    tasks = [t for t in plan.tasks if t.key not in failed_tasks]
    n = len(plan.tasks)
    for i, e in enumerate(events):
        if isinstance(e, NoAccess):
            person = problem.person_by_id[e.person]
            days = tuple(d for d in problem.days if d >= e.day)
            tasks.append(Task(f"{e.person}/retry/{n + i}", e.person, VisitKind.RETRY,
                              person.visit_minutes, person.location, days,  # type: ignore[arg-type]
                              two_staff=person.needs_two_staff))
        elif isinstance(e, CrisisVisit):
            person = problem.person_by_id[e.person]
            tasks.append(Task(f"{e.person}/crisis/{n + i}", e.person, VisitKind.CRISIS,
                              e.minutes, person.location, (e.day,),  # type: ignore[arg-type]
                              two_staff=e.needs_two_staff or person.needs_two_staff,
                              window=(e.at, e.at + e.within_minutes), counts=False))
    # Where each worker is at `now`, and what is left of their day.
    day_start: dict[str, tuple[int, Point, Break | None, int]] = {}
    for w in new_problem.workers:
        s = w.shift_on(now_day)
        if s is None:
            continue
        done = sorted((v for v in kept if v.worker == w.id and v.day == now_day),
                      key=lambda v: v.start)
        start = max(s.start, now, *(v.end for v in done))
        point = _point(new_problem, done[-1]) if done else w.base
        took_break = any(b.worker == w.id and b.day == now_day for b in kept_breaks)
        day_start[w.id] = (start, point, None if took_break else w.break_, len(done))
    previous: dict[date, dict[str, tuple[str, int]]] = {}
    for v in reroute:
        task = next((t for t in plan.tasks if t.key == v.task), None)
        ident = v.task
        if task is not None and task.two_staff and v.partner is not None and v.worker > v.partner:
            ident = f"{v.task}#1"
        if v.worker in sick_ids:
            continue  # their visits have no worker to stay with
        previous.setdefault(v.day, {})[ident] = (v.worker, v.start)
    fixed_days = {v.task: v.day for v in reroute}
    untouched = {d for d in problem.days if d not in affected_days}

    def may_open(d: date) -> bool:
        return d > now_day

    engine = _Engine(
        new_problem,
        tasks,
        [],
        router=router or _default_router(),
        seed=seed,
        deadline=started + seconds,
        started=started,
        open_days=affected_days,
        kept=kept,
        kept_breaks=kept_breaks,
        day_start=day_start,
        now_day=now_day,
        previous=previous,
        fixed_days=fixed_days,
        may_open=may_open,
    )
    # Days opened by the repair rounds bring their own visits back in to be routed again.
    _open_days_hook(engine, untouched)
    planned_before = {v.task for v in plan.visits}
    skip = {t.key for t in plan.tasks if t.key not in planned_before}
    engine.run(first_share=0.7, skip=skip)
    return engine.plan()


def _open_days_hook(engine: _Engine, untouched: set[date]) -> None:
    """When a day not touched by the events is opened, its visits become routable again."""

    def on_open(d: date) -> None:
        if d not in untouched:
            return
        moved = [v for v in engine.kept if v.day == d]
        engine.kept = [v for v in engine.kept if v.day != d]
        engine.kept_breaks = [b for b in engine.kept_breaks if b.day != d]
        for v in moved:
            engine.day_of[v.task] = d
            ident = v.task
            if v.partner is not None and v.worker > v.partner:
                ident = f"{v.task}#1"
            engine.previous.setdefault(d, {})[ident] = (v.worker, v.start)
        untouched.discard(d)

    engine.on_open = on_open
