"""Bad input fails with a clear message, or becomes an explained unmet item, never a crash."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from outreach.planning import (
    DayWindow,
    MatrixTravel,
    Mode,
    Person,
    Point,
    TravelModel,
    Week,
    plan_week,
)
from outreach.planning.model import (
    DAY_OUTSIDE_WEEK,
    DUPLICATE_ID,
    NO_COORDINATES,
    UNKNOWN_WORKER,
    WINDOW_ENDS_BEFORE_START,
)
from outreach.planning.travel import UNKNOWN_POINT

from .tiny import DAYS, MONDAY, person, week, worker


def test_person_without_coordinates_is_refused_with_a_clear_message():
    """A person with no place to visit cannot be planned silently: the error says what to do."""
    with pytest.raises(ValueError) as err:
        week([worker("w1")], [Person("p1", None)])
    assert str(err.value) == NO_COORDINATES.format(person="p1", place="home")


def test_shift_that_ends_before_it_starts_is_refused():
    """A shift from 17:00 to 09:00 is a typing mistake, reported with the worker and day."""
    bad = replace(worker("w1"), shifts=(DayWindow(MONDAY, 17 * 60, 9 * 60),))
    with pytest.raises(ValueError) as err:
        week([bad], [person("p1", 1)])
    assert str(err.value) == WINDOW_ENDS_BEFORE_START.format(
        what="Worker w1's shift", day=MONDAY, start="17:00", end="09:00")


def test_unknown_worker_duplicate_ids_and_days_outside_the_week_are_refused():
    """Names that point nowhere, repeated ids and dates outside the week are errors."""
    with pytest.raises(ValueError, match=UNKNOWN_WORKER.format(what="Person p1", worker="zz")):
        week([worker("w1")], [person("p1", 1, key_worker="zz")])
    with pytest.raises(ValueError) as err:
        week([worker("w1"), worker("w1")], [])
    assert str(err.value) == DUPLICATE_ID.format(kind="workers", id="w1")
    late = date(2026, 12, 25)
    with pytest.raises(ValueError) as err:
        week([replace(worker("w1"), shifts=(DayWindow(late, 540, 600),))], [])
    assert str(err.value) == DAY_OUTSIDE_WEEK.format(
        what="Worker w1's shift", day=late, first=DAYS[0], last=DAYS[-1])


def test_negative_target_and_bad_visit_length_are_refused():
    """A target below 0 or a 2-minute visit is not a plan anyone meant."""
    with pytest.raises(ValueError, match="weekly contact target"):
        week([worker("w1")], [person("p1", 1, weekly_target=-1)])
    with pytest.raises(ValueError, match="whole number of minutes"):
        week([worker("w1")], [person("p1", 1, visit_minutes=2)])


def test_target_no_staff_time_could_meet_is_an_explained_unmet_item():
    """A person free only at night, and a target above one visit a day: both explained."""
    night = tuple(DayWindow(d, 22 * 60, 23 * 60) for d in DAYS)
    problem = week([worker("w1")], [
        person("night", 1, weekly_target=2, available=night),
        person("many", 2, weekly_target=9),
    ])
    plan = plan_week(problem, seconds=0.3, seed=1)
    night_unmet = [u for u in plan.unmet if u.person == "night"]
    assert len(night_unmet) == 2
    assert all("No worker person night may see is on shift" in u.reason for u in night_unmet)
    many = [u for u in plan.unmet if u.person == "many"]
    assert sum(u.count for u in many) + len(plan.for_person("many")) == 9
    assert any("cannot be met in a 7-day week" in u.reason for u in many)


def test_travel_matrix_must_know_every_point():
    """A plugged-in matrix that lacks a place is an error naming it, not a zero travel time."""
    pts = (Point(53.0, -2.0), Point(53.1, -2.0))
    m = MatrixTravel(pts, {Mode.CAR: np.array([[0, 600], [600, 0]])})
    assert m.seconds(list(pts), Mode.CAR)[0, 1] == 600
    with pytest.raises(ValueError) as err:
        m.seconds([Point(1, 1)], Mode.CAR)
    assert str(err.value) == UNKNOWN_POINT.format(point=Point(1, 1))


def test_great_circle_travel_is_distance_times_detour_over_speed():
    """10 km east at 28 km/h with a 1.35 detour, plus 3 minutes to arrive: about 32 minutes."""
    a, b = Point(53.48, -2.24), Point(53.48, -2.24 + 10 / 66.2)
    secs = TravelModel().seconds([a, b], Mode.CAR)
    km = 10.0 * 1.35
    assert secs[0, 1] == pytest.approx(km / 28 * 3600 + 180, rel=0.01)
    assert secs[0, 0] == 0


def test_week_builder_makes_an_immutable_problem():
    """`Week` collects the parts; the problem it builds cannot be changed afterwards."""
    problem = Week(MONDAY).add_worker(worker("w1")).add_person(person("p1", 1)).build()
    with pytest.raises(AttributeError):
        problem.name = "x"  # type: ignore[misc]
    assert problem.days == tuple(DAYS)
