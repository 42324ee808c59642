"""Benchmark instances: seeded, kept as files, loadable as problems; and the by-hand plan."""

import json
from pathlib import Path

import pytest

from outreach.planning import instances as inst
from outreach.planning.baseline import by_hand

BENCH = Path(__file__).parents[2] / "bench" / "instances"


def test_the_generator_is_deterministic_and_round_trips_through_json():
    """The same seed gives the same problem; to_json then from_json gives it back."""
    spec = inst.TeamSpec("t", seed=5, staff=6, people=30)
    a, b = inst.generate(spec), inst.generate(spec)
    assert inst.to_json(a) == inst.to_json(b)
    again = inst.from_json(json.loads(json.dumps(inst.to_json(a))))
    assert inst.to_json(again) == inst.to_json(a)
    assert len(a.workers) == 6 and len(a.people) == 30


def test_a_file_that_is_not_an_instance_is_refused():
    """A JSON file without the instance format marker is an error, not an empty team."""
    with pytest.raises(ValueError, match="Not a planning instance file"):
        inst.from_json({"workers": []})


@pytest.mark.parametrize("spec", inst.SPECS, ids=lambda s: s.name)
def test_kept_instance_files_load_and_match_their_seed(spec):
    """bench/instances/*.json are the generator's output for their seed (comparable runs)."""
    path = BENCH / f"{spec.name}.json"
    problem = inst.load(path)
    assert inst.to_json(problem) == inst.to_json(inst.generate(spec))


def test_the_by_hand_baseline_makes_a_plan_with_figures():
    """The baseline plans key workers' own people on fixed days and reports what it missed."""
    problem = inst.generate(inst.TeamSpec("t", seed=5, staff=6, people=30))
    plan = by_hand(problem)
    assert plan.figures.visits > 0
    assert plan.travel_minutes > 0
    assert all(u.reason for u in plan.unmet)
