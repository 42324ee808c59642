"""The PyVRP adapter's scales: penalties above the prizes, forbidden arcs dearer than any prize."""

from outreach.planning import Depot, Discipline, check_plan, plan_week
from outreach.planning.planner import _Engine
from outreach.planning.routing import FORBIDDEN, build_day
from outreach.planning.solver import penalty_params, route_day
from outreach.planning.tasks import make_tasks

from .tiny import DAYS, person, week, worker


def _day_model():
    nurse = worker("n1", days=[0], discipline=Discipline.NURSE, max_visits=2)
    other = worker("w2", days=[0], discipline=Discipline.SOCIAL_WORKER, max_visits=2)
    people = [person(f"p{i}", 1 + i, available=None, weekly_target=1) for i in range(6)]
    people.append(person("pd", 2, available=None, weekly_target=0,
                         depot=Depot(DAYS[0], tolerance_days=0)))
    problem = week([nurse, other], people)
    tasks, _ = make_tasks(problem)
    engine = _Engine(problem, tasks, [], router=route_day, seed=1, deadline=0, started=0,
                     open_days={DAYS[0]})
    model = build_day(problem, DAYS[0], tasks, engine.vehicles(DAYS[0]), pair_times={})
    return problem, model


def test_penalties_and_forbidden_arcs_outweigh_every_prize():
    _, model = _day_model()
    top = max(s.prize for s in model.stops) * 60
    params = penalty_params(model)
    # One visit over a worker's limit is never worth a prize at the starting penalty.
    assert (params.min_penalty + params.max_penalty) / 2 >= top
    other = [v.worker for v in model.vehicles].index("w2")
    depot = next(i for i, s in enumerate(model.stops) if s.needs_nurse)
    node = model.node(depot)
    assert model.time[other][other, node] == FORBIDDEN
    assert model.cost[other][other, node] > top


def test_an_overloaded_day_keeps_every_limit():
    """Six people, two workers of two visits each: four visits, the depot by the nurse."""
    problem, model = _day_model()
    routes = route_day(model, seconds=0.3, seed=1)
    for seq in routes.values():
        assert sum(not model.stops[s].is_break for s in seq) <= 2
    plan = plan_week(problem, seconds=0.3, seed=1)
    assert check_plan(plan) == []
    assert any(v.person == "pd" and v.worker == "n1" for v in plan.visits)
    assert len(plan.visits) == 4
