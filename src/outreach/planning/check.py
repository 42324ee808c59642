"""An independent check of a plan against every hard rule, from the problem alone.

It does not trust the solver or the planner's own bookkeeping: travel is recomputed from the
problem's travel model, and every task the week needed is either planned or listed as unmet
with a reason. `plan_week` runs it on every plan; the property tests run it on random ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from outreach.planning.model import VisitKind

if TYPE_CHECKING:
    from outreach.planning.plan import Plan, PlannedVisit

SLACK = 1  # minute: rounding of travel seconds to whole minutes


@dataclass(frozen=True)
class Violation:
    message: str
    task: str | None = None


def check_plan(plan: Plan) -> list[Violation]:
    problem = plan.problem
    tasks = {t.key: t for t in plan.tasks}
    out: list[Violation] = []

    def bad(message: str, task: str | None = None) -> None:
        out.append(Violation(message, task))

    by_worker_day: dict[tuple[str, date], list[PlannedVisit]] = {}
    for v in plan.visits:
        by_worker_day.setdefault((v.worker, v.day), []).append(v)
        task = tasks.get(v.task)
        person = problem.person_by_id[v.person]
        if task is None:
            bad(f"visit to {v.person} on {v.day} has no task", v.task)
            continue
        if v.worker in person.avoid_workers:
            bad(f"{v.worker} visits {v.person}, who asked not to see them", v.task)
        if task.worker is not None and v.worker != task.worker:
            bad(f"{v.task} must be done by {task.worker}, not {v.worker}", v.task)
        if v.day not in task.days:
            bad(f"{v.task} is on {v.day}, not one of its days", v.task)
        if task.start is not None and v.start != task.start:
            bad(f"{v.task} must start at {task.start}, not {v.start}", v.task)
        if task.needs_nurse and not problem.worker_by_id[v.worker].can_give_depots:
            bad(f"depot for {v.person} given by {v.worker}, who is not a nurse", v.task)
        if task.due is not None and person.depot is not None:
            if abs((v.day - task.due).days) > person.depot.tolerance_days:
                bad(f"depot for {v.person} on {v.day} is outside its tolerance", v.task)
        if task.start is None and task.kind != VisitKind.CRISIS:
            spans = person.windows_on(v.day)
            if not any(s <= v.start and v.end <= e for s, e in spans):
                bad(f"visit to {v.person} at {v.start} is outside their times", v.task)
        if task.window is not None:
            lo, hi = task.window
            if not lo <= v.start <= hi:
                bad(f"{v.task} starts outside its window", v.task)
        if task.two_staff:
            partners = [
                o for o in plan.visits
                if o.task == v.task and o.worker != v.worker and o.start == v.start
                and o.day == v.day
            ]
            if len(partners) != 1:
                bad(f"two-staff visit {v.task} to {v.person} has {len(partners) + 1} staff",
                    v.task)
    visits_per_task: dict[str, int] = {}
    for v in plan.visits:
        visits_per_task[v.task] = visits_per_task.get(v.task, 0) + 1
    for key, n in visits_per_task.items():
        task = tasks.get(key)
        if task is not None and n != (2 if task.two_staff else 1):
            bad(f"{key} is planned {n} times", key)
    # One face-to-face contact a day per person (crisis visits are extra).
    seen: dict[tuple[str, date], str] = {}
    for v in plan.visits:
        task = tasks.get(v.task)
        if task is None or task.kind in (VisitKind.CRISIS, VisitKind.APPOINTMENT):
            continue
        other = seen.setdefault((v.person, v.day), v.task)
        if other != v.task:
            bad(f"{v.person} has two visits on {v.day} ({other}, {v.task})", v.task)
    # Each worker's day: on shift, not on leave, in time with travel and a break.
    breaks = {(b.worker, b.day): b for b in plan.breaks}
    for (worker_id, day), vs in by_worker_day.items():
        w = problem.worker_by_id[worker_id]
        shift = w.shift_on(day)
        if shift is None:
            for v in vs:
                reason = "on leave" if day in w.leave else "not on shift"
                bad(f"{worker_id} is {reason} on {day} but visits {v.person}", v.task)
            continue
        if len(vs) > w.max_visits:
            bad(f"{worker_id} has {len(vs)} visits on {day}, over {w.max_visits}", vs[-1].task)
        vs = sorted(vs, key=lambda v: v.start)
        from outreach.planning.planner import _point  # the place of each visit

        points = [w.base] + [_point(problem, v) for v in vs] + [w.base]
        m = problem.travel.seconds(points, w.mode)
        brk = breaks.get((worker_id, day))
        t = shift.start  # when the worker is free at their last place
        for i, v in enumerate(vs + [None]):
            leg = m[i, i + 1] / 60
            if brk is not None and t <= brk.start + SLACK and (
                v is None or brk.start + brk.minutes <= v.start
            ) and (i == 0 or brk.start >= vs[i - 1].start):
                t = max(t, brk.start + brk.minutes)  # break where they are, then travel
            if v is None:
                if t + leg > shift.end + SLACK:
                    bad(f"{worker_id} gets back to base after the shift ends on {day}",
                        vs[-1].task if vs else None)
                break
            if v.start + SLACK < t + leg:
                bad(f"{worker_id} cannot reach {v.person} by {v.start} on {day}", v.task)
            t = v.end
        if vs and vs[0].start < shift.start:
            bad(f"{worker_id} starts before the shift on {day}", vs[0].task)
        if brk is not None:
            b = w.break_
            if b is not None and not b.earliest <= brk.start <= b.latest:
                bad(f"{worker_id}'s break on {day} is outside its window", None)
            for v in vs:
                if v.start < brk.start + brk.minutes and brk.start < v.end:
                    bad(f"{worker_id}'s break on {day} overlaps a visit", v.task)
        elif w.break_ is not None and w.break_.minutes > 0:
            b = w.break_
            if shift.start <= b.earliest and b.latest + b.minutes <= shift.end and vs:
                bad(f"{worker_id} has no break on {day}", None)
    # Never silence: everything the week needed is planned or explained.
    planned = {v.task for v in plan.visits}
    unmet_tasks = {u.task for u in plan.unmet if u.task is not None}
    for t in plan.tasks:
        if t.key not in planned and t.key not in unmet_tasks:
            bad(f"{t.key} is neither planned nor listed as unmet", t.key)
    for p in problem.people:
        planned_n = len({v.task for v in plan.visits if v.person == p.id
                         and tasks[v.task].counts})
        unmet_n = sum(u.count for u in plan.unmet if u.person == p.id and (
            u.task is None or tasks[u.task].counts))
        if planned_n + unmet_n < p.weekly_target:
            bad(f"{p.id}: {planned_n} planned + {unmet_n} unmet is short of the target "
                f"{p.weekly_target}", None)
    for lock in problem.locks:
        kept = any(v.person == lock.person and v.worker == lock.worker and v.day == lock.day
                   and v.start == lock.start for v in plan.visits)
        if not kept and not any(u.person == lock.person and u.day == lock.day
                                and u.kind == lock.kind for u in plan.unmet):
            bad(f"the lock for {lock.person} with {lock.worker} on {lock.day} is lost", None)
    return out
