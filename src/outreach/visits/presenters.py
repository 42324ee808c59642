"""What the pages show of planned visits: a worker's day in order with travel, the state of
each visit, the run's figures and unmet items in words, and a worker's calendar file.

Travel is worked out when a page is shown, from the visits as they are now (after any
adjustment), with the planner's own travel model: team base, each visit in time order, and
back to base.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from outreach.planning import (
    Discipline,
    Figures,
    Mode,
    Plan,
    Point,
    Problem,
    TravelModel,
    VisitKind,
    Worker,
    worker_calendar,
)
from outreach.planning import PlannedVisit as PlanVisit
from outreach.records.models import PlannedVisit, VisitStatus
from outreach.visits import bridge
from outreach.visits.names import Names

KIND_LABELS = {
    VisitKind.CONTACT: "Contact",
    VisitKind.DEPOT: "Depot",
    VisitKind.LOCKED: "Visit already planned",  # kept by the run: locked, accepted or by hand
    VisitKind.APPOINTMENT: "Appointment",
    VisitKind.CRISIS: "Crisis visit",
    VisitKind.RETRY: "Visit after no access",
}
CHANGE_LABELS = {
    "moved": "Moved",
    "new": "New visit",
    "cancelled": "Cancelled: nobody could take it",
    "unchanged": "Left as it was",
    "no_access": "No access",
    "stranded": "Needs a worker",
}


def minutes_of(visit: PlannedVisit) -> int:
    proposal = getattr(visit, "proposal", None)
    return proposal.minutes if proposal is not None else bridge.VISIT_MINUTES


def state(visit: PlannedVisit) -> tuple[str, str]:
    """(label, NHS.UK tag colour) of a visit."""
    if visit.status == VisitStatus.DONE:
        return "Done", "green"
    if visit.status == VisitStatus.CANCELLED:
        return "Cancelled", "grey"
    if hasattr(visit, "visit_lock"):
        return "Locked", "purple"
    proposal = getattr(visit, "proposal", None)
    if proposal is not None and not proposal.accepted:
        return "Proposed", "yellow"
    return "Accepted" if proposal is not None else "Planned by hand", "blue"


def _clock(minute: int) -> time:
    minute = max(0, min(minute, 24 * 60 - 1))
    return time(minute // 60, minute % 60)


@dataclass
class Line:
    visit: PlannedVisit
    start: time | None
    end: time | None
    travel_minutes: int | None  # from the previous place; None: not known
    state: str
    colour: str
    partner: str
    lone: bool  # one worker, and the risk formulation asks for two
    purpose: str


@dataclass
class Day:
    lines: list[Line]
    back_minutes: int | None  # from the last visit back to base
    travel_minutes: int  # the day's known travel in all
    untimed: int


def _point(visit: PlannedVisit) -> Point | None:
    p = visit.person
    if p.latitude is None or p.longitude is None:
        return None
    return Point(p.latitude, p.longitude)


def day_lines(visits: list[PlannedVisit], worker_id: int, base: tuple[float, float] | None,
              two_staff: set[int]) -> Day:
    """A worker's day in time order, with the travel into each visit and back to base."""
    travel = TravelModel()
    here = Point(*base) if base else None
    lines: list[Line] = []
    total = 0
    for v in visits:
        minutes = minutes_of(v)
        start = end = None
        leg = None
        if v.time is not None:
            start_min = v.time.hour * 60 + v.time.minute
            start, end = v.time, _clock(start_min + minutes)
            there = _point(v)
            if here is not None and there is not None and v.status != VisitStatus.CANCELLED:
                leg = round(int(travel.seconds([here, there], Mode.CAR)[0, 1]) / 60)
                total += leg
            if there is not None:
                here = there
        partner = v.second_staff if v.staff_id == worker_id else v.staff
        label, colour = state(v)
        lines.append(Line(
            visit=v, start=start, end=end, travel_minutes=leg, state=label, colour=colour,
            partner=partner.name if partner is not None else "",
            lone=v.person_id in two_staff and v.second_staff_id is None
            and v.status == VisitStatus.PLANNED,
            purpose=v.purpose,
        ))
    back = None
    if base and here is not None and any(line.start for line in lines):
        back = round(int(travel.seconds([here, Point(*base)], Mode.CAR)[0, 1]) / 60)
        total += back
    return Day(lines, back, total, sum(1 for line in lines if line.start is None))


def figures(run) -> list[tuple[str, str]]:
    """A run's figures as (label, value) rows, counting what the record kept out of the plan."""
    f = run.figures
    people = f.get("people", 0) + f.get("people_not_planned", 0)
    contacts = f.get("contacts_target", 0) + f.get("contacts_not_planned", 0)
    depots = f.get("depots_due", 0) + f.get("depots_not_planned", 0)
    travel = round(f.get("travel_minutes", 0))
    return [
        ("Contact targets met", f"{f.get('people_targets_met', 0)} of {people} people"),
        ("Face-to-face contacts planned", f"{f.get('contacts_planned', 0)} of {contacts}"),
        ("Depots planned", f"{f.get('depots_planned', 0)} of {depots}"),
        ("Visits by the key worker, cover or someone they know",
         f"{round(100 * f.get('continuity_share', 1))}%"),
        ("Visits by the key worker", f"{round(100 * f.get('key_worker_share', 1))}%"),
        ("Travel", f"{travel // 60} hours {travel % 60} minutes ({travel} minutes)"),
        ("Busiest and quietest worker",
         f"{f.get('busiest_worker_visits', 0)} and {f.get('quietest_worker_visits', 0)} visits"),
        ("Planner's time", f"{run.runtime_seconds:.1f} seconds"),
    ]


@dataclass(frozen=True)
class UnmetLine:
    person_id: int | None
    person: str
    what: str
    count: int
    day: date | None
    reason: str
    visit_id: int | None = None


def unmet_lines(items: list[dict], names: Names) -> list[UnmetLine]:
    out = [
        UnmetLine(
            person_id=u.get("person_id"), person=names.person(u.get("person_id")),
            what=KIND_LABELS.get(u.get("kind"), u.get("kind", "")), count=u.get("count", 1),
            day=date.fromisoformat(u["day"]) if u.get("day") else None,
            reason=names.text(u.get("reason", "")), visit_id=u.get("visit_id"),
        )
        for u in items
    ]
    return sorted(out, key=lambda u: (u.person.casefold(), u.day or date.min, u.what))


@dataclass(frozen=True)
class ChangeLine:
    visit_id: int
    person_id: int
    person: str
    change: str
    before: str
    after: str
    reason: str


def _slot_text(slot: dict | None, names: Names) -> str:
    if not slot:
        return ""
    who = names.worker(slot.get("worker_id"))
    if slot.get("second_id"):
        who += f" with {names.worker(slot['second_id'])}"
    day = date.fromisoformat(slot["day"])
    when = f" at {slot['time']}" if slot.get("time") else ""
    return f"{who}, {day:%a} {day.day} {day:%b}{when}"


def change_lines(changes: list[dict], names: Names) -> list[ChangeLine]:
    order = ["cancelled", "stranded", "new", "moved", "no_access", "unchanged"]
    out = [
        ChangeLine(visit_id=c["visit_id"], person_id=c["person_id"],
                   person=names.person(c["person_id"]),
                   change=CHANGE_LABELS.get(c["change"], c["change"]),
                   before=_slot_text(c.get("before"), names),
                   after=_slot_text(c.get("after"), names), reason=names.text(c["reason"]))
        for c in changes
    ]
    return sorted(out, key=lambda c: (order.index(next(
        (k for k, v in CHANGE_LABELS.items() if v == c.change), "unchanged")), c.person))


def calendar(worker_id: int, visits: list[PlannedVisit], *,
             base: tuple[float, float] | None = None, stamp: datetime | None = None) -> str:
    """The worker's planned visits as an iCalendar file. An event says "Visit <ref>" and
    nothing else: no name, no address, no purpose, no hint of risk (a calendar leaves the
    system and syncs to phones). The worker looks the reference up in the app. Visits with
    no time cannot be put in a calendar; the page says so."""
    days: dict[date, list[PlannedVisit]] = {}
    for v in visits:
        if v.time is not None:
            days.setdefault(v.date, []).append(v)
    planned: list[PlanVisit] = []
    for day, vs in sorted(days.items()):
        for line in day_lines(sorted(vs, key=lambda v: v.time), worker_id, base, set()).lines:
            assert line.visit.time is not None
            v = line.visit
            planned.append(PlanVisit(
                bridge.pid(v.person_id), bridge.wid(worker_id), day,
                v.time.hour * 60 + v.time.minute, minutes_of(v), VisitKind.CONTACT,
                float(line.travel_minutes or 0), f"visit-{v.pk}"))
    # worker_calendar reads only the plan's visits; the problem around them is a formality.
    problem = Problem(week_start=min(days) if days else date(2000, 1, 3), people=(),
                      workers=(Worker(bridge.wid(worker_id), Discipline.NURSE,
                                      Point(*(base or (0.0, 0.0)))),))
    plan = Plan(problem, (), tuple(planned), (), (), 0.0,
                Figures(0, 0, 0, 0, 0, 0, len(planned), 0, 0.0, 0.0, 0, 0))
    return worker_calendar(plan, bridge.wid(worker_id),
                           label=lambda pv: f"Visit {pv.task.removeprefix('visit-')}",
                           stamp=stamp)


def week_days(start: date) -> list[date]:
    return [start + timedelta(days=i) for i in range(bridge.DAYS)]
