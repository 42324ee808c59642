"""What a team does by hand today, as a plan to compare against (issue 5's baseline).

Each key worker visits their own people on fixed weekdays (a target of 2 is two weekdays
three apart, 3 every other weekday, and so on, staggered across each caseload), in
nearest-neighbour order from base, starting each visit as soon as they arrive and the
person is free. When the key worker is not on shift that day the cover goes. A depot is
given on its due day by the key worker if a nurse, otherwise by a nurse the person knows
or the first nurse on shift. A visit that does not fit the day is unmet. A two-staff visit
is made by the key worker with the cover riding along: their travel is counted twice, and
the cover's day is not otherwise checked (generous to the baseline).
"""

from __future__ import annotations

import time
from datetime import date

from outreach.planning.model import Problem, VisitKind
from outreach.planning.plan import Plan, PlannedBreak, PlannedVisit, Unmet
from outreach.planning.planner import _make_plan, _relegged
from outreach.planning.tasks import make_tasks

PATTERNS = {
    0: (), 1: (1,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5), 7: (0, 1, 2, 3, 4, 5, 6),
}
NOT_FITTED = "By hand: the visit did not fit {worker}'s day."
NOBODY = "By hand: neither the key worker nor the cover is on shift that day."


def by_hand(problem: Problem) -> Plan:
    started = time.perf_counter()
    tasks, early = make_tasks(problem)
    days = problem.days
    wanted: dict[tuple[str, date], list] = {}  # (worker, day) -> tasks
    unmet: list[Unmet] = [Unmet(e.person, e.kind, e.day, e.reason, e.count) for e in early]
    nurses = [w for w in problem.workers if w.can_give_depots]
    index: dict[str, int] = {}
    for person in problem.people:
        mine = [p.id for p in problem.people if p.key_worker == person.key_worker]
        index[person.id] = mine.index(person.id)
    for person in problem.people:
        mine = [t for t in tasks if t.person == person.id]
        taken = {t.days[0] for t in mine if t.fixed_day}
        depot = next((t for t in mine if t.kind == VisitKind.DEPOT), None)
        if depot is not None:
            due = depot.due if depot.due in days else depot.days[0]
            taken.add(due)
        # Fixed days, staggered person by person so a worker's week is not all Mondays.
        shift = index.get(person.id, 0) % 5
        pattern = [days[(i + shift) % 5] if i < 5 else days[i]
                   for i in PATTERNS[min(person.weekly_target, 7)]]
        pattern = [d for d in dict.fromkeys(pattern) if d not in taken]
        spare = [d for d in days if d not in taken and d not in pattern]
        for t in mine:
            if t.fixed_day:
                day, worker = t.days[0], t.worker or person.key_worker
            elif t.kind == VisitKind.DEPOT:
                day = due
                key = problem.worker_by_id.get(person.key_worker or "")
                if key is not None and key.can_give_depots and key.shift_on(day):
                    worker = key.id
                else:
                    known = [k.worker for k in person.known
                             if problem.worker_by_id[k.worker].can_give_depots
                             and problem.worker_by_id[k.worker].shift_on(day)]
                    on = [n.id for n in nurses if n.shift_on(day)]
                    worker = (known or on or [None])[0]
            else:
                day = (pattern or spare).pop(0) if (pattern or spare) else days[0]
                worker = person.key_worker
                if worker is None or problem.worker_by_id[worker].shift_on(day) is None:
                    worker = person.cover
            if worker is None or problem.worker_by_id[worker].shift_on(day) is None:
                unmet.append(Unmet(person.id, t.kind, day, NOBODY, task=t.key))
                continue
            wanted.setdefault((worker, day), []).append(t)
    visits: list[PlannedVisit] = []
    breaks: list[PlannedBreak] = []
    extra_travel = 0.0
    for (worker_id, day), ts in wanted.items():
        w = problem.worker_by_id[worker_id]
        shift = w.shift_on(day)
        assert shift is not None
        points = [w.base] + [t.location for t in ts]
        m = problem.travel.seconds(points, w.mode) / 60
        left = list(range(len(ts)))
        at, t_now, took_break = 0, shift.start, w.break_ is None
        while left:
            nxt = min(left, key=lambda i: (ts[i].start is None, m[at, i + 1]))
            left.remove(nxt)
            task = ts[nxt]
            if not took_break and w.break_ is not None and t_now >= w.break_.earliest:
                breaks.append(PlannedBreak(worker_id, day, t_now, w.break_.minutes))
                t_now += w.break_.minutes
                took_break = True
            arrive = t_now + m[at, nxt + 1]
            person = problem.person_by_id[task.person]
            if task.start is not None:
                start = task.start if arrive <= task.start else None
            else:
                start = next((max(int(-(-arrive // 1)), s) for s, e in person.windows_on(day)
                              if max(arrive, s) + task.minutes <= e), None)
            back = m[nxt + 1, 0]
            if start is None or start + task.minutes + back > shift.end:
                unmet.append(Unmet(task.person, task.kind, day,
                                   NOT_FITTED.format(worker=worker_id), task=task.key))
                continue
            visits.append(PlannedVisit(task.person, worker_id, day, int(start), task.minutes,
                                       task.kind, float(m[at, nxt + 1]), task.key,
                                       person.cover if task.two_staff else None, task.what))
            if task.two_staff:
                extra_travel += float(m[at, nxt + 1])
            at, t_now = nxt + 1, int(start) + task.minutes
        if not took_break and w.break_ is not None:
            breaks.append(PlannedBreak(worker_id, day, max(t_now, w.break_.earliest),
                                       w.break_.minutes))
    visits, travel = _relegged(problem, visits)
    return _make_plan(problem, tuple(tasks), visits, breaks, unmet, travel + extra_travel,
                      time.perf_counter() - started)
