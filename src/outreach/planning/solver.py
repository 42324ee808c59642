"""The one module that talks to PyVRP: a `DayModel` in, each worker's route out.

Units: seconds for times, seconds-equivalent for costs (`routing.py` builds both). Each
worker is a vehicle type of one vehicle with its own start and end place, shift window and
profile (its own cost and time matrices). Two load dimensions: depots (only nurses have
room for them) and visits (the worker's maximum a day). Visits are optional stops with a
prize far above any travel, so the solver plans every one it can and the rest come back as
unserved; breaks are required.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyvrp
from pyvrp import PenaltyParams
from pyvrp.IteratedLocalSearch import IteratedLocalSearch, IteratedLocalSearchParams
from pyvrp.PenaltyManager import PenaltyManager
from pyvrp.search import (
    OPERATORS,
    LocalSearch,
    NeighbourhoodParams,
    PerturbationManager,
    PerturbationParams,
    compute_neighbours,
)
from pyvrp.stop import MaxRuntime

from outreach.planning.routing import DayModel, DayRoutes

NURSE_ROOM = 1000
PENALTY_PER_PRIZE = 2.0  # PyVRP's maximum penalty, in units of the day's largest prize


def to_pyvrp(model: DayModel) -> pyvrp.ProblemData:
    n_v = model.n_vehicles
    locations = [pyvrp.Location(0, 0) for _ in range(2 * n_v + len(model.stops))]
    depots = [pyvrp.Depot(i) for i in range(2 * n_v)]
    group_of = {s: gi for gi, g in enumerate(model.groups) for s in g}
    clients = []
    for si, stop in enumerate(model.stops):
        clients.append(
            pyvrp.Client(
                model.node(si),
                delivery=[1 if stop.needs_nurse else 0, 0 if stop.is_break else 1],
                service_duration=stop.minutes * 60,
                tw_early=stop.early * 60,
                tw_late=stop.late * 60,
                prize=stop.prize * 60,
                required=stop.is_break,
                group=group_of.get(si),
                name=stop.ident,
            )
        )
    groups = [pyvrp.ClientGroup(g, required=False) for g in model.groups]
    vehicle_types = [
        pyvrp.VehicleType(
            1,
            capacity=[NURSE_ROOM if v.can_depot else 0, v.max_visits],
            start_depot=vi,
            end_depot=n_v + vi,
            tw_early=v.start * 60,
            tw_late=v.end * 60,
            profile=vi,
            name=v.worker,
        )
        for vi, v in enumerate(model.vehicles)
    ]
    return pyvrp.ProblemData(
        locations, clients, depots, vehicle_types, model.cost, model.time, groups
    )


def _initial(
    data: pyvrp.ProblemData, model: DayModel, hint: Mapping[str, Sequence[str]]
) -> pyvrp.Solution | None:
    first: dict[str, int] = {}
    for si, stop in enumerate(model.stops):
        first.setdefault(stop.ident, si)
    routes = []
    used: set[int] = set()
    for vi, v in enumerate(model.vehicles):
        visits = [first[i] for i in hint.get(v.worker, ()) if i in first]
        visits = [s for s in visits if s not in used]
        used.update(visits)
        if visits:
            routes.append(pyvrp.Route(data, visits, vi))
    try:
        return pyvrp.Solution(data, routes)
    except (ValueError, RuntimeError):  # a hint that no longer fits the model: start afresh
        return None


def penalty_params(model: DayModel) -> PenaltyParams:
    """PyVRP's penalty bounds, scaled to this model's prizes.

    PyVRP's default maximum penalty (100,000 per unit of excess load or second of time warp)
    is below our prizes (a contact is 120,000 cost units), so on an overloaded day one visit
    over a worker's maximum still paid: the search stayed among infeasible solutions, the
    penalty hit its ceiling (PyVRP's `PenaltyBoundWarning`), and the best feasible solution
    was poor. With the maximum at twice the largest prize, the starting penalty (the
    midpoint) is about one prize: a visit over the limit is never worth making, and PyVRP
    can still lower the penalties to cross infeasible ground when that helps.
    """
    top = max((s.prize for s in model.stops), default=0) * 60
    return PenaltyParams(max_penalty=max(PENALTY_PER_PRIZE * top, 100_000.0))


def _solve(
    data: pyvrp.ProblemData,
    model: DayModel,
    *,
    seconds: float,
    seed: int,
    initial: pyvrp.Solution | None,
) -> pyvrp.Result:
    """`pyvrp.solve` with our penalty bounds (the same steps as PyVRP 0.14's own solve)."""
    params = penalty_params(model)
    rng = pyvrp.RandomNumberGenerator(seed=seed)
    neighbours = compute_neighbours(data, NeighbourhoodParams())
    ls = LocalSearch(data, rng, neighbours, PerturbationManager(PerturbationParams()))
    for op in OPERATORS:
        if op.supports(data):
            ls.add_operator(op(data))
    pm = PenaltyManager(params.midpoint_penalties(data), params)
    # A warm start (the previous routes) has no breaks and may miss new visits: a first
    # local search puts in what is required, so even a day routed with almost no time left
    # comes back complete and feasible.
    start = initial if initial is not None else pyvrp.Solution.make_random(data, rng)
    initial = ls(start, pm.max_cost_evaluator(), exhaustive=True)
    algo = IteratedLocalSearch(data, pm, ls, initial, IteratedLocalSearchParams())
    return algo.run(MaxRuntime(max(seconds, 0.01)), collect_stats=False, display=False)


def route_day(
    model: DayModel,
    *,
    seconds: float,
    seed: int,
    hint: Mapping[str, Sequence[str]] | None = None,
) -> DayRoutes:
    """Each worker's stops in order (stop indices), as PyVRP's best solution has them."""
    routes: DayRoutes = {v.worker: [] for v in model.vehicles}
    if not model.stops or not model.vehicles:
        return routes
    data = to_pyvrp(model)
    initial = _initial(data, model, hint) if hint else None
    result = _solve(data, model, seconds=seconds, seed=seed, initial=initial)
    for route in result.best.routes():
        worker = model.vehicles[route.vehicle_type()].worker
        routes[worker] = [
            a.idx for a in route.schedule() if a.type == pyvrp.ActivityType.CLIENT
        ]
    return routes
