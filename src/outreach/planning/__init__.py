"""The visit planner: a team's week of visits on PyVRP, with no Django in it.

Public API: build a `Problem` with `Week`, then `plan_week(problem, seconds=..., seed=...)`
and `replan(plan, events, ...)`; export with `worker_calendar`. See
docs/decisions/0006-visit-planner.md.
"""

from outreach.planning.check import Violation, check_plan
from outreach.planning.ical import worker_calendar
from outreach.planning.model import (
    Appointment,
    Break,
    DayWindow,
    Depot,
    Discipline,
    Known,
    Lock,
    Person,
    Place,
    Problem,
    VisitKind,
    Week,
    Weights,
    Worker,
)
from outreach.planning.plan import Figures, Plan, PlannedBreak, PlannedVisit, Unmet
from outreach.planning.planner import (
    CrisisVisit,
    NoAccess,
    WorkerOffSick,
    plan_week,
    replan,
)
from outreach.planning.travel import MatrixTravel, Mode, Point, TravelModel

__all__ = [
    "Appointment",
    "Break",
    "CrisisVisit",
    "DayWindow",
    "Depot",
    "Discipline",
    "Figures",
    "Known",
    "Lock",
    "MatrixTravel",
    "Mode",
    "NoAccess",
    "Person",
    "Place",
    "Plan",
    "PlannedBreak",
    "PlannedVisit",
    "Point",
    "Problem",
    "TravelModel",
    "Unmet",
    "Violation",
    "VisitKind",
    "Week",
    "Weights",
    "Worker",
    "WorkerOffSick",
    "check_plan",
    "plan_week",
    "replan",
    "worker_calendar",
]
