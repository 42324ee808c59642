"""Days first: which day each visit goes on, and when a two-staff visit starts.

PyVRP plans one day at a time, so the week is split before routing. Fixed visits go on their
day; depots on the day nearest their due date with a nurse on shift and room; contacts are
spread over the week (not all on one day), on days the person is free and their key worker
is on, keeping each day's load in line with the staff time on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from outreach.planning.model import Problem
from outreach.planning.tasks import Task

Shifts = Mapping[date, Mapping[str, tuple[int, int]]]  # day -> worker -> (start, end)
TRAVEL_GUESS = 25  # minutes of travel a visit brings with it, for balancing days


def workers_for(problem: Problem, task: Task, day: date, shifts: Shifts) -> list[str]:
    """Workers allowed to do the task who are on shift at a time the person is free."""
    person = problem.person_by_id[task.person]
    spans = person.windows_on(day) if task.kind.value != "crisis" else [(0, 24 * 60)]
    if task.start is not None:
        spans = [(task.start, task.start + task.minutes)]
    elif task.window is not None:
        lo, hi = task.window
        spans = [(max(s, lo), min(e, hi + task.minutes)) for s, e in spans]
    out = []
    for worker, (s, e) in shifts.get(day, {}).items():
        if not task.allowed(problem, worker):
            continue
        if any(min(e, we) - max(s, ws) >= task.minutes for ws, we in spans):
            out.append(worker)
    return out


def feasible_day(problem: Problem, task: Task, day: date, shifts: Shifts) -> bool:
    need = 2 if task.two_staff else 1
    return len(workers_for(problem, task, day, shifts)) >= need


def capacity(problem: Problem, shifts: Shifts) -> dict[date, float]:
    cap: dict[date, float] = {}
    for day in problem.days:
        total = 0.0
        for worker, (s, e) in shifts.get(day, {}).items():
            brk = problem.worker_by_id[worker].break_
            total += max(0, e - s - (brk.minutes if brk else 0))
        cap[day] = max(total, 1.0)
    return cap


def task_load(task: Task) -> float:
    return (task.minutes + TRAVEL_GUESS) * (2 if task.two_staff else 1)


def assign_days(
    problem: Problem,
    tasks: Sequence[Task],
    shifts: Shifts,
    *,
    fixed: Mapping[str, date] | None = None,
    used: Mapping[str, set[date]] | None = None,
    load: Mapping[date, float] | None = None,
) -> dict[str, date | None]:
    """A day for every task, or None where no day has an allowed worker free."""
    out: dict[str, date | None] = dict(fixed or {})
    person_days: dict[str, set[date]] = {p: set(d) for p, d in (used or {}).items()}
    cap = capacity(problem, shifts)
    day_load = {d: 0.0 for d in problem.days}
    for d, v in (load or {}).items():
        day_load[d] = day_load.get(d, 0.0) + v
    by_key = {t.key: t for t in tasks}
    for key, d in out.items():
        if d is not None and key in by_key:
            person_days.setdefault(by_key[key].person, set()).add(d)
            day_load[d] += task_load(by_key[key])
    todo = [t for t in tasks if t.key not in out]
    for t in todo:
        if t.fixed_day:
            out[t.key] = t.days[0]
            person_days.setdefault(t.person, set()).add(t.days[0])
            day_load[t.days[0]] += task_load(t)
    todo = [t for t in todo if not t.fixed_day]
    feasible = {t.key: [d for d in t.days if feasible_day(problem, t, d, shifts)] for t in todo}

    def continuity(t: Task, d: date) -> float:
        person = problem.person_by_id[t.person]
        on = shifts.get(d, {})
        if person.key_worker in on and t.allowed(problem, person.key_worker):
            return 1.0
        if person.cover in on and person.cover is not None and t.allowed(problem, person.cover):
            return 0.6
        return 0.3 if any(k.worker in on for k in person.known) else 0.0

    def pick(t: Task, spread_ideal: float) -> date | None:
        chosen = person_days.setdefault(t.person, set())
        best, best_score = None, None
        for d in feasible[t.key]:
            if d in chosen:
                continue
            gap = min((abs((d - c).days) for c in chosen), default=7)
            spread = min(gap, spread_ideal) / spread_ideal
            fill = (day_load[d] + task_load(t)) / cap[d]
            score = 2.0 * spread + 0.8 * continuity(t, d) - 2.5 * fill
            if t.due is not None:
                score -= 0.6 * abs((d - t.due).days)
            if best_score is None or score > best_score + 1e-9:
                best, best_score = d, score
        if best is not None:
            chosen.add(best)
            day_load[best] += task_load(t)
        return best

    depots = sorted((t for t in todo if t.due is not None), key=lambda t: len(feasible[t.key]))
    for t in depots:
        out[t.key] = pick(t, 3.5)
    rest = [t for t in todo if t.due is None]
    per_person: dict[str, list[Task]] = {}
    for t in rest:
        per_person.setdefault(t.person, []).append(t)

    def tightness(person: str) -> tuple[int, int]:
        ts = per_person[person]
        days = {d for t in ts for d in feasible[t.key]}
        return (len(days) - len(ts), -len(ts))

    for person in sorted(per_person, key=tightness):
        ts = per_person[person]
        total = len(ts) + len(person_days.get(person, ()))
        ideal = max(1.0, 7 / max(total, 1))
        for t in ts:
            out[t.key] = pick(t, ideal)
    return out


def pair_time(
    problem: Problem,
    task: Task,
    day: date,
    shifts: Shifts,
    *,
    taken: Sequence[int] = (),
    avoid: Sequence[int] = (),
) -> int | None:
    """A start time for a two-staff visit at which two allowed workers are on shift."""
    if task.start is not None:
        return task.start
    person = problem.person_by_id[task.person]
    spans = person.windows_on(day) if task.kind.value != "crisis" else [(0, 24 * 60)]
    if task.window is not None:
        lo, hi = task.window
        spans = [(max(s, lo), min(e, hi + task.minutes)) for s, e in spans]
    on = shifts.get(day, {})
    allowed = [w for w in on if task.allowed(problem, w)]
    best, best_score = None, None
    for s, e in spans:
        t = -(-s // 15) * 15
        while t + task.minutes <= e:
            if t not in avoid:
                free = [
                    w for w in allowed
                    if on[w][0] + 20 <= t and t + task.minutes + 20 <= on[w][1]
                ]
                if len(free) >= 2:
                    score = min(len(free), 4) - 1.5 * sum(abs(t - x) < 90 for x in taken)
                    score += 0.5 * (person.key_worker in free)
                    score -= 0.002 * abs(t - 11 * 60)
                    if best_score is None or score > best_score:
                        best, best_score = t, score
            t += 15
    return best
