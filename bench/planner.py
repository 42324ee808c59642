"""Benchmark of the visit planner (issue 5) on the instance files in bench/instances/.

For each instance: the by-hand baseline, our planner (PyVRP) and the same model routed by
OR-Tools at the same time limit, and our planner at 20x the time; then a re-plan of one day
after a no-access visit, a crisis visit and a worker off sick.

    uv run python bench/planner.py                 # all instances, 7 s a week (1 s a day)
    uv run python bench/planner.py --seconds 3.5 --long-factor 20 --only team
    uv run python bench/planner.py --regenerate    # rewrite bench/instances/*.json first

Writes the table to bench/planner-results.md (use --out to change).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import sys
import time
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import numpy as np

from outreach.planning import (
    CrisisVisit,
    NoAccess,
    Plan,
    WorkerOffSick,
    check_plan,
    plan_week,
    replan,
)
from outreach.planning import instances as inst
from outreach.planning.baseline import by_hand
from outreach.planning.plan import counted_contacts
from outreach.planning.routing import (
    FORBIDDEN,
    DayModel,
    DayRoutes,
    Vehicle,
    build_day,
    fix_route,
    reinsert,
    schedule,
)
from outreach.planning.solver import route_day
from outreach.planning.tasks import make_tasks

HERE = Path(__file__).parent
INSTANCES = HERE / "instances"


def ortools_route(
    model: DayModel,
    *,
    seconds: float,
    seed: int,
    hint: Mapping[str, Sequence[str]] | None = None,
) -> DayRoutes:
    """The same day model in OR-Tools' routing solver (guided local search, same limit)."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    del seed, hint  # OR-Tools routing is deterministic here; no warm start (as a fresh run)
    n_v = model.n_vehicles
    routes: DayRoutes = {v.worker: [] for v in model.vehicles}
    if not model.stops or not model.vehicles:
        return routes
    n = 2 * n_v + len(model.stops)
    manager = pywrapcp.RoutingIndexManager(n, n_v, list(range(n_v)), list(range(n_v, 2 * n_v)))
    routing = pywrapcp.RoutingModel(manager)
    service = [0] * (2 * n_v) + [s.minutes * 60 for s in model.stops]
    cost_cbs, time_cbs = [], []
    svc = np.array(service, dtype=np.int64)[:, None]
    for vi in range(n_v):
        # Matrices registered whole: far faster than a Python callback per arc.
        c = routing.RegisterTransitMatrix(model.cost[vi].tolist())
        t = routing.RegisterTransitMatrix((model.time[vi] + svc).tolist())
        cost_cbs.append(c)
        time_cbs.append(t)
        routing.SetArcCostEvaluatorOfVehicle(c, vi)
    horizon = 10**8
    routing.AddDimensionWithVehicleTransits(time_cbs, horizon, horizon, False, "Time")
    time_dim = routing.GetDimensionOrDie("Time")
    for vi, v in enumerate(model.vehicles):
        time_dim.CumulVar(routing.Start(vi)).SetRange(v.start * 60, v.end * 60)
        time_dim.CumulVar(routing.End(vi)).SetRange(v.start * 60, v.end * 60)
    nurse = [0] * (2 * n_v) + [1 if s.needs_nurse else 0 for s in model.stops]
    count = [0] * (2 * n_v) + [0 if s.is_break else 1 for s in model.stops]
    n_cb = routing.RegisterUnaryTransitCallback(lambda i: nurse[manager.IndexToNode(i)])
    c_cb = routing.RegisterUnaryTransitCallback(lambda i: count[manager.IndexToNode(i)])
    routing.AddDimensionWithVehicleCapacity(
        n_cb, 0, [1000 if v.can_depot else 0 for v in model.vehicles], True, "Nurse")
    routing.AddDimensionWithVehicleCapacity(
        c_cb, 0, [v.max_visits for v in model.vehicles], True, "Visits")
    grouped = {s for g in model.groups for s in g}
    for si, stop in enumerate(model.stops):
        idx = manager.NodeToIndex(model.node(si))
        time_dim.CumulVar(idx).SetRange(stop.early * 60, stop.late * 60)
        barred = [vi for vi in range(n_v) if model.time[vi][vi, model.node(si)] >= FORBIDDEN]
        if barred:
            routing.VehicleVar(idx).RemoveValues(barred)
        if stop.is_break:
            # As good as required, but lets the first solution start without it.
            routing.AddDisjunction([idx], 10**9)
        elif si not in grouped:
            routing.AddDisjunction([idx], stop.prize * 60)
    for g in model.groups:
        routing.AddDisjunction([manager.NodeToIndex(model.node(s)) for s in g],
                               model.stops[g[0]].prize * 60)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION)
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH)
    params.time_limit.FromMilliseconds(max(int(seconds * 1000), 10))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return routes
    for vi, v in enumerate(model.vehicles):
        idx = routing.Start(vi)
        seq = []
        while not routing.IsEnd(idx):
            node = manager.IndexToNode(idx)
            if node >= 2 * n_v:
                seq.append(node - 2 * n_v)
            idx = solution.Value(routing.NextVar(idx))
        routes[v.worker] = seq
    return routes


def row(label: str, plan: Plan, runtime: float) -> dict[str, object]:
    f = plan.figures
    return {
        "method": label,
        "targets": f"{f.people_targets_met}/{f.people} ({f.targets_met_share:.1%})",
        "contacts": f"{f.contacts_planned}/{f.contacts_target} ({f.contacts_share:.1%})",
        "depots": f"{f.depots_planned}/{f.depots_due}",
        "continuity": f"{f.continuity_share:.1%}",
        "key_worker": f"{f.key_worker_share:.1%}",
        "travel_min": round(plan.travel_minutes),
        "travel_per_visit": round(plan.travel_minutes / max(f.visits, 1), 2),
        "travel_per_contact": round(plan.travel_minutes / max(f.contacts_planned, 1), 2),
        "runtime_s": round(runtime, 2),
        "unmet": len(plan.unmet),
        "violations": len(check_plan(plan)),
        "_travel": plan.travel_minutes,
    }


def equal_work(problem, hand: Plan):
    """The same week asking only for what the by-hand plan made: each person's target cut to
    the contacts it planned for them, and a depot kept only where it gave it. Our planner's
    travel on this is travel at equal (or more) contacts met, the fair comparison."""
    by_key = {t.key: t for t in hand.tasks}
    contacts = counted_contacts(hand.visits, by_key)
    depots = {v.person for v in hand.visits if v.kind.value == "depot"}
    people = tuple(
        dataclasses.replace(p, weekly_target=min(p.weekly_target, contacts.get(p.id, 0)),
                            depot=p.depot if p.id in depots else None)
        for p in problem.people
    )
    return dataclasses.replace(problem, people=people)


def busy_day(problem) -> DayModel:
    """One day at the scale of the issue's note: every worker on shift 08:00-20:00 (up to 12
    visits), every person's first ordinary contact on the week's Monday, in their own hours
    for that day. The router alone is compared on it (no days, no repair)."""
    monday = problem.days[0]
    tasks, _ = make_tasks(problem)
    firsts: dict[str, object] = {}
    for t in tasks:
        if (t.kind.value == "contact" and t.start is None and not t.two_staff
                and t.person not in firsts
                and problem.person_by_id[t.person].windows_on(monday)):
            firsts[t.person] = dataclasses.replace(t, days=(monday,))
    vehicles = [Vehicle(w.id, w.base, w.base, 8 * 60, 20 * 60, w.mode, 12,
                        w.can_give_depots, w.break_) for w in problem.workers]
    return build_day(problem, monday, list(firsts.values()), vehicles, pair_times={})


def day_figures(model: DayModel, routes: DayRoutes) -> tuple[int, float]:
    """(visits, travel minutes) of a day's routes, timed exactly as the planner does."""
    index = {v.worker: i for i, v in enumerate(model.vehicles)}
    fixed, dropped = {}, []
    for worker, seq in routes.items():
        fixed[worker], out = fix_route(model, index[worker], list(seq))
        dropped += out
    reinsert(model, fixed, dropped)  # as the planner settles a day
    visits, seconds = 0, 0
    for worker, seq in fixed.items():
        vi = index[worker]
        timed = schedule(model, vi, seq)
        assert timed is not None
        real = [tm for tm in timed if not model.stops[tm.stop].is_break]
        visits += len(real)
        seconds += sum(tm.leg_seconds for tm in real)
        if real:
            seconds += int(model.travel[vi][model.node(real[-1].stop), model.n_vehicles + vi])
    return visits, seconds / 60


def busy_day_block(problem, seconds: float, long_factor: float | None) -> list[str]:
    model = busy_day(problem)
    runs = [("ours, PyVRP", route_day, seconds), ("OR-Tools", ortools_route, seconds)]
    if long_factor:
        runs.append(("ours, PyVRP, long", route_day, seconds * long_factor))
    out = {}
    lines = [f"### One busy day, router only: {len(model.vehicles)} workers, "
             f"{sum(not s.is_break for s in model.stops)} visits, time windows", "",
             "| router | seconds | visits | travel_min |", "|---|---|---|---|"]
    for label, router, limit in runs:
        t = time.perf_counter()
        routes = router(model, seconds=limit, seed=1)
        elapsed = time.perf_counter() - t
        out[label] = day_figures(model, routes)
        lines.append(f"| {label} | {elapsed:.1f} | {out[label][0]} | {out[label][1]:.0f} |")
    ours, ort = out["ours, PyVRP"], out["OR-Tools"]
    lines += ["", f"- at {seconds:g} s: travel {1 - ours[1] / ort[1]:+.1%} less than OR-Tools "
              f"with {ours[0]} vs {ort[0]} visits"]
    if long_factor:
        best = out["ours, PyVRP, long"]
        lines.append(f"- against our {seconds * long_factor:g}-s run: "
                     f"{ours[1] / best[1] - 1:+.1%} more travel ({best[0]} visits)")
    return lines + [""]


TRADE_OFFS = ((40, 40), (40, 10), (40, 0), (20, 0), (10, 0), (0, 0))


def trade_off_block(problem, hand: Plan, seconds: float) -> list[str]:
    """Travel against continuity at equal work: the same week asking only what by hand
    made, with a stranger's and a known worker's surcharge from `TRADE_OFFS`."""
    fair = equal_work(problem, hand)
    lines = ["### Travel against continuity, at equal work", "",
             "| stranger_minutes | known_minutes | travel_min | vs by hand | continuity "
             "| key_worker | contacts |", "|---|---|---|---|---|---|---|"]
    for stranger, known in TRADE_OFFS:
        weights = dataclasses.replace(fair.weights, stranger_minutes=stranger,
                                      known_minutes=known)
        plan = plan_week(dataclasses.replace(fair, weights=weights), seconds=seconds, seed=1)
        f = plan.figures
        lines.append(f"| {stranger} | {known} | {plan.travel_minutes:.0f} | "
                     f"{plan.travel_minutes / hand.travel_minutes - 1:+.1%} | "
                     f"{f.continuity_share:.1%} | {f.key_worker_share:.1%} | "
                     f"{f.contacts_planned} |")
    return lines + [""]


def replan_case(plan: Plan, seconds: float) -> dict[str, object]:
    """A Wednesday: a no-access visit at 10:00, a worker off sick at 12:00, a crisis at 13:00."""
    problem = plan.problem
    day = problem.days[2]
    todays = sorted((v for v in plan.visits if v.day == day), key=lambda v: v.start)
    failed = next(v for v in todays if v.start <= 10 * 60 and not v.partner)
    busy = {}
    for v in todays:
        busy[v.worker] = busy.get(v.worker, 0) + 1
    sick = max((w for w in busy if w != failed.worker), key=lambda w: busy[w])
    crisis_person = next(p.id for p in problem.people if p.id not in {v.person for v in todays})
    events = [
        NoAccess(failed.person, day, 10 * 60),
        WorkerOffSick(sick, day, 12 * 60),
        CrisisVisit(crisis_person, day, 13 * 60),
    ]
    started = time.perf_counter()
    new = replan(plan, events, seconds=seconds, seed=1)
    runtime = time.perf_counter() - started
    others = new.changes_from(plan, ignore_people=[failed.person], ignore_workers=[sick])
    sick_visits = [v for v in plan.visits if v.worker == sick and v.day >= day
                   and (v.day > day or v.start >= 12 * 60)]
    return {
        "runtime_s": round(runtime, 2),
        "others_changed": len(others),
        "others_total": len([v for v in plan.visits if v.worker != sick
                             and v.person != failed.person]),
        "sick_visits_to_move": len(sick_visits),
        "unmet_after": len(new.unmet),
        "unmet_before": len(plan.unmet),
        "crisis_planned": any(v.person == crisis_person and v.kind.value == "crisis"
                              for v in new.visits),
        "retry_planned": any(v.person == failed.person and v.kind.value == "retry"
                             for v in new.visits),
        "violations": len(check_plan(new)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=7.0, help="solver time for a week")
    ap.add_argument("--long-factor", type=float, default=20.0)
    ap.add_argument("--replan-seconds", type=float, default=1.5)
    ap.add_argument("--only", action="append", help="instance name(s)")
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument("--no-long", action="store_true", help="skip the 20x run")
    ap.add_argument("--out", default=str(HERE / "planner-results.md"))
    ap.add_argument("--busy-day", action="append", default=None,
                    help="instance(s) whose Monday is also routed as one busy day (router "
                         "only), as in the issue's scale note; default: team")
    ap.add_argument("--trade-off", action="append", default=None,
                    help="instance(s) with the travel/continuity table; default: team")
    ap.add_argument("--busy-day-seconds", type=float, default=5.0)
    ap.add_argument("--busy-day-long", type=float, default=24.0, help="x the busy-day time")
    args = ap.parse_args(argv)
    args.busy_day = args.busy_day if args.busy_day is not None else ["team"]
    args.trade_off = args.trade_off if args.trade_off is not None else ["team"]
    INSTANCES.mkdir(exist_ok=True)
    specs = [s for s in inst.SPECS if not args.only or s.name in args.only]
    lines = [
        "# Visit planner benchmark (issue 5)",
        "",
        f"Machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {platform.platform()}. "
        f"Run {date.today().isoformat()}.",
        "",
        "Command: `uv run python bench/planner.py " + " ".join(sys.argv[1:] if argv is None
                                                            else argv) + "`",
        "",
        f"Time limit: {args.seconds:g} s of solver time for the whole week (about "
        f"{args.seconds / 7:.2f} s a day), the same for OR-Tools; the long run is "
        f"{args.long_factor:g}x ({args.seconds * args.long_factor:g} s a week). Seed 1.",
        "",
    ]
    for spec in specs:
        path = INSTANCES / f"{spec.name}.json"
        if args.regenerate or not path.exists():
            inst.save(inst.generate(spec), path)
        problem = inst.load(path)
        print(f"== {spec.name}: {len(problem.workers)} staff, {len(problem.people)} people",
              flush=True)
        rows = []
        t = time.perf_counter()
        hand = by_hand(problem)
        rows.append(row("by hand (key worker, fixed days, nearest neighbour)", hand,
                        time.perf_counter() - t))
        t = time.perf_counter()
        ours = plan_week(problem, seconds=args.seconds, seed=1)
        rows.append(row(f"ours, PyVRP, {args.seconds:g} s", ours, time.perf_counter() - t))
        t = time.perf_counter()
        ort = plan_week(problem, seconds=args.seconds, seed=1, router=ortools_route)
        rows.append(row(f"same model, OR-Tools, {args.seconds:g} s", ort,
                        time.perf_counter() - t))
        if not args.no_long:
            t = time.perf_counter()
            long = plan_week(problem, seconds=args.seconds * args.long_factor, seed=1)
            rows.append(row(f"ours, PyVRP, {args.seconds * args.long_factor:g} s", long,
                            time.perf_counter() - t))
        t = time.perf_counter()
        fair = plan_week(equal_work(problem, hand), seconds=args.seconds, seed=1)
        fair_row = row(f"ours, PyVRP, {args.seconds:g} s, asked only what by hand made",
                       fair, time.perf_counter() - t)
        re = replan_case(ours, args.replan_seconds)
        ours_travel = rows[1]["_travel"]
        per = [r["travel_per_visit"] for r in rows]
        hand_f, fair_f = hand.figures, fair.figures
        cmp = [
            "- travel vs by hand (target: at least 25% less): "
            f"{1 - ours_travel / rows[0]['_travel']:+.1%} less in total, but by hand makes "
            f"{hand_f.visits} visits to our "
            f"{ours.figures.visits}. Per visit: {1 - per[1] / per[0]:+.1%} less. At equal work "
            f"(the same week asking only the {hand_f.contacts_planned} contacts and "
            f"{hand_f.depots_planned} depots by hand made; we plan {fair_f.contacts_planned} "
            f"and {fair_f.depots_planned} with no rule broken, continuity "
            f"{fair_f.continuity_share:.1%}, by hand {len(check_plan(hand))} rules broken): "
            f"{round(fair.travel_minutes)} travel minutes, "
            f"{1 - fair.travel_minutes / rows[0]['_travel']:+.1%} less",
            f"- travel vs OR-Tools at equal time (target: at least 5% less): "
            f"{1 - ours_travel / rows[2]['_travel']:+.1%} less in total, "
            f"{1 - per[1] / per[2]:+.1%} less per visit; contacts {ours.figures.contacts_planned} "
            f"vs {rows[2]['contacts'].split('/')[0]}, targets met "
            f"{ours.figures.people_targets_met} vs {rows[2]['targets'].split('/')[0]}",
        ]
        if not args.no_long:
            cmp.append(f"- travel vs our 20x run: {ours_travel / rows[3]['_travel'] - 1:+.1%} "
                       "more (target: within 3%)")
        cmp.append(
            f"- re-plan of a day (no-access at 10:00, {re['sick_visits_to_move']} visits of a "
            f"worker off sick from 12:00, a crisis at 13:00; {args.replan_seconds:g} s "
            f"limit): {re['runtime_s']} s, {re['others_changed']} of {re['others_total']} "
            f"other visits changed, retry planned: {re['retry_planned']}, crisis planned: "
            f"{re['crisis_planned']}, unmet {re['unmet_before']} -> {re['unmet_after']}, "
            f"violations {re['violations']}"
        )
        cols = ["method", "targets", "contacts", "depots", "continuity", "key_worker",
                "travel_min",
            "travel_per_visit", "travel_per_contact", "runtime_s", "unmet", "violations"]
        table = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        table += ["| " + " | ".join(str(r[c]) for c in cols) + " |"
                  for r in [*rows, fair_row]]
        block = [f"## {spec.name}: {len(problem.workers)} staff, {len(problem.people)} people, "
                 f"7 days", "", *table, "", *cmp, ""]
        if spec.name in args.trade_off:
            block += trade_off_block(problem, hand, args.seconds)
        if spec.name in args.busy_day:
            block += busy_day_block(problem, args.busy_day_seconds,
                                    None if args.no_long else args.busy_day_long)
        print("\n".join(block), flush=True)
        lines += block
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
