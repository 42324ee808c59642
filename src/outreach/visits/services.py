"""Writes of visit planning: run the week, accept, lock, adjust, and re-plan today.

Each write is attributed to a member of staff and audited explicitly. The planner runs
outside any transaction (a week takes up to OUTREACH_PLANNER_SECONDS; holding SQLite's write
lock that long would stall every other worker's save): the record is read, the planner runs,
and then one short transaction checks that the window's visits are still exactly as they
were read and writes the result. If anybody changed a visit meanwhile, nothing is written
and the run says so (`PlanningFailed`), so a run never overwrites a colleague's change.
Planning writes for a team are serialised on the team row (`select_for_update`).

What a week's run does to the record (ADR 0008):
- keeps every locked and every accepted visit, every visit planned by hand, every visit a
  reminder has gone out for, and every visit already logged; they are the planner's locks;
- replaces proposals nobody accepted in its window: their visits are cancelled, never
  deleted, and each proposal names the run that replaced it;
- writes the plan's new visits as PlannedVisit rows (status planned) with a Proposal each;
- records the run: who, when, the figures, and every unmet item with its reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_list, audit_record
from outreach.core import limits
from outreach.planning import CrisisVisit, NoAccess, VisitKind, WorkerOffSick, plan_week, replan
from outreach.records.models import ContactPlace, PlannedVisit, VisitStatus
from outreach.records.services import StaleEdit, ValidationFailed, visit_ahead_weeks
from outreach.teams.models import StaffMember, Team
from outreach.visits import bridge, selectors
from outreach.visits.bridge import day_text, hhmm
from outreach.visits.models import Proposal, RunKind, VisitLock, WeekPlan

logger = logging.getLogger(__name__)

MAX_DAYS_AHEAD = 28
PLANNER_FAILED = (
    "The planner stopped with an error, so nothing was planned or written. Try again; if it "
    "happens again, plan by hand and tell the system's support team."
)
CHANGED_MEANWHILE = (
    "Someone changed a visit in these days while the planner was running, so nothing was "
    "written: their change is kept. Plan again."
)
START_IN_PAST = "The first day planned cannot be in the past."
START_TOO_LATE = f"Plan at most {MAX_DAYS_AHEAD} days ahead."
NOT_PLANNED = "This visit is no longer planned (it was logged or cancelled)."
LOCK_NEEDS_TIME = "Give the visit a time before locking it: a lock keeps its worker and time."
PURPOSES = {
    VisitKind.DEPOT: "Depot due {due}",
    VisitKind.RETRY: "Try again after no access",
    VisitKind.CRISIS: "Crisis visit",
}


class PlanningFailed(Exception):
    """Nothing was planned or written; the messages say why, in words for the page."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def _now_minute(now: datetime | None) -> int:
    local = timezone.localtime(now) if now is not None else timezone.localtime()
    m = local.hour * 60 + local.minute
    return min(-(-m // 5) * 5, 24 * 60)  # the next 5 minutes


def now_minute() -> int:
    """The time of day now, to the next 5 minutes: nothing is re-planned into the past."""
    return _now_minute(None)


def _lock_team(team_id: int) -> None:
    Team.objects.select_for_update().filter(pk=team_id).first()


def _time(minute: int) -> time:
    return time(minute // 60, minute % 60)


# --- The week --------------------------------------------------------------------------------


def _repeat(by: StaffMember, submission_key: str | None) -> WeekPlan | None:
    if not submission_key:
        return None
    return WeekPlan.objects.filter(team_id=by.team_id, submission_key=submission_key).first()


def preview_week(*, user, start: date, now: datetime | None = None,
                 seconds: float | None = None, seed: int = 1):
    """Plan the 7 days from `start` from the record and write nothing.

    Returns (record, built, plan, seconds); `ValidationFailed` for a start in the past or
    too far ahead, `PlanningFailed` says in words why there is no plan. `run_week` writes
    what this returns; `outreach plan --team` prints it.
    """
    today = selectors.today()
    if start < today:
        raise ValidationFailed({"start": [START_IN_PAST]})
    if start > today + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationFailed({"start": [START_TOO_LATE]})
    record = selectors.planning_record(user, start=start)
    seconds = selectors.planner_seconds() if seconds is None else seconds
    try:
        built = bridge.build(record, now=_now_minute(now) if start == today else None)
        plan = plan_week(built.problem, seconds=seconds, seed=seed)
    except bridge.RecordError as exc:
        raise PlanningFailed(exc.messages) from exc
    except ValueError as exc:  # the planner's own check of its input
        raise PlanningFailed([str(exc)]) from exc
    except Exception as exc:  # never a crash page: say so, write nothing
        logger.exception("visit planner failed (user %s, week from %s)", user.pk, start)
        raise PlanningFailed([PLANNER_FAILED]) from exc
    return record, built, plan, seconds


def run_week(*, user, by: StaffMember, request, start: date, now: datetime | None = None,
             submission_key: str | None = None) -> WeekPlan:
    """Plan the 7 days from `start` for the team and write the plan. A repeat of the same
    form returns the run already made."""
    if repeat := _repeat(by, submission_key):
        return repeat
    record, built, plan, seconds = preview_week(user=user, start=start, now=now)
    new = bridge.new_visits(plan)
    with transaction.atomic():
        _lock_team(by.team_id)
        if repeat := _repeat(by, submission_key):
            return repeat
        if selectors.visit_states(user, start=start, end=record.end) != record.fingerprint():
            raise PlanningFailed([CHANGED_MEANWHILE])
        run = WeekPlan.objects.create(
            team_id=by.team_id, kind=RunKind.WEEK, start=start, end=record.end, run_by=by,
            submission_key=submission_key or None,
            seconds=seconds, runtime_seconds=round(plan.figures.runtime_seconds, 2),
            figures=bridge.figures(plan, built),
            unmet=built.unmet + bridge.unmet_rows(plan, built.locked), notes=built.notes,
            breaks=bridge.break_rows(plan), created_visits=len(new),
            replaced_visits=len(built.replaceable),
        )
        replaced = list(PlannedVisit.objects.filter(pk__in=built.replaceable)
                        .values_list("person_id", flat=True))
        PlannedVisit.objects.filter(pk__in=built.replaceable).update(
            status=VisitStatus.CANCELLED, version=F("version") + 1)
        Proposal.objects.filter(visit_id__in=built.replaceable).update(replaced_by=run)
        visits = PlannedVisit.objects.bulk_create([
            PlannedVisit(
                person_id=n.person, episode_id=built.episodes[n.person], staff_id=n.staff,
                second_staff_id=n.second, date=n.day, time=_time(n.start),
                place=ContactPlace.HOME, purpose=_purpose(n, record), recorded_by=by)
            for n in new
        ])
        Proposal.objects.bulk_create([
            Proposal(visit=v, run=run, kind=n.kind, minutes=n.minutes,
                     travel_minutes=n.travel_minutes)
            for v, n in zip(visits, new, strict=True)
        ])
        audit_list(request=request, person_ids=sorted({n.person for n in new}),
                   action=AuditAction.CREATE,
                   what=f"visit planner: visits proposed {start} to {record.end}")
        audit_list(request=request, person_ids=sorted(set(replaced)),
                   action=AuditAction.UPDATE,
                   what="visit planner: a proposal nobody accepted was replaced")
    return run


def _purpose(n: bridge.NewVisit, record: bridge.Record) -> str:
    if n.kind == VisitKind.DEPOT:
        due = next((p.depot_due for p in record.people if p.id == n.person), None)
        return PURPOSES[VisitKind.DEPOT].format(due=day_text(due) if due else "this week")
    return PURPOSES.get(VisitKind(n.kind), "")


# --- One visit: accept, lock, unlock, adjust -------------------------------------------------


def _planned(visit: PlannedVisit) -> None:
    if visit.status != VisitStatus.PLANNED:
        raise ValidationFailed({"__all__": [NOT_PLANNED]})


def _accept(visit: PlannedVisit, by: StaffMember) -> None:
    Proposal.objects.filter(visit=visit, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=by)


@transaction.atomic
def accept(*, visit: PlannedVisit, by: StaffMember, request) -> None:
    """The worker agrees the planner's proposal: the next week's run keeps it."""
    _lock_team(by.team_id)
    _planned(visit)
    _accept(visit, by)
    audit_record(request=request, person_id=visit.person_id, action=AuditAction.UPDATE,
                 what=f"planned visit {visit.pk} accepted")


@transaction.atomic
def lock(*, visit: PlannedVisit, by: StaffMember, request) -> VisitLock:
    """Fix the visit's worker, day and time: no run or re-plan moves it."""
    _lock_team(by.team_id)
    _planned(visit)
    if visit.time is None:
        raise ValidationFailed({"time": [LOCK_NEEDS_TIME]})
    _accept(visit, by)
    locked, _ = VisitLock.objects.get_or_create(visit=visit, defaults={"locked_by": by})
    audit_record(request=request, person_id=visit.person_id, action=AuditAction.UPDATE,
                 what=f"planned visit {visit.pk} locked")
    return locked


@transaction.atomic
def unlock(*, visit: PlannedVisit, by: StaffMember, request) -> None:
    _lock_team(by.team_id)
    VisitLock.objects.filter(visit=visit).delete()
    audit_record(request=request, person_id=visit.person_id, action=AuditAction.UPDATE,
                 what=f"planned visit {visit.pk} unlocked")


@dataclass(frozen=True)
class Slot:
    staff: StaffMember
    second: StaffMember | None
    day: date
    time: time


def check_slot(visit: PlannedVisit, slot: Slot, *, minutes: int,
               others: list[PlannedVisit], rows: dict[int, bridge.StaffRow],
               team: bridge.TeamRow, two_staff: bool) -> dict[str, list[str]]:
    """Field errors of moving a visit to this worker, day and time (none: it fits)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if slot.day < selectors.today():
        add("date", "A visit cannot be moved into the past.")
    for message in limits.visit_problems(slot.day, today=selectors.today(),
                                         ahead_weeks=visit_ahead_weeks()):
        add("date", message)
    if slot.second is not None and slot.second.pk == slot.staff.pk:
        add("second_staff", "The second worker must be someone else.")
    if two_staff and slot.second is None:
        add("second_staff", "Their risk formulation asks for two staff at visits: choose a "
                            "second worker.")
    start = slot.time.hour * 60 + slot.time.minute
    for field, worker in (("staff", slot.staff), ("second_staff", slot.second)):
        if worker is None or "date" in errors:
            continue
        row = rows[worker.pk]
        if not bridge.works_on(row, slot.day):
            add(field, f"{worker.name} is not working on {day_text(slot.day)}.")
            continue
        a, b = bridge.hours(team, row, slot.day)
        if not (a <= start and start + minutes <= b):
            add("time", f"{worker.name} works {hhmm(a)} to {hhmm(b)} on "
                        f"{day_text(slot.day)}: a {minutes}-minute visit at {hhmm(start)} "
                        "does not fit.")
            continue
        for o in others:
            if o.pk == visit.pk or o.time is None or o.date != slot.day or worker.pk not in (
                    o.staff_id, o.second_staff_id):
                continue
            o_start = o.time.hour * 60 + o.time.minute
            o_minutes = o.proposal.minutes if hasattr(o, "proposal") else bridge.VISIT_MINUTES
            if o_start < start + minutes and start < o_start + o_minutes:
                add("time", f"{worker.name} already has a visit from {hhmm(o_start)} to "
                            f"{hhmm(o_start + o_minutes)} then.")
    return errors


@transaction.atomic
def adjust(*, user, visit: PlannedVisit, by: StaffMember, request, expected_version: int,
           slot: Slot) -> PlannedVisit:
    """Move a visit to another worker, day or time. Checked against the workers' days and
    hours and their other visits; the worker's choice, so the proposal counts as accepted
    (and a locked visit stays locked at its new time)."""
    _lock_team(by.team_id)
    _planned(visit)
    minutes = visit.proposal.minutes if hasattr(visit, "proposal") else bridge.VISIT_MINUTES
    workers = [slot.staff] + ([slot.second] if slot.second else [])
    rows = {r.id: r for r in selectors.staff_rows(workers, start=slot.day, end=slot.day)}
    others = selectors.visits_between(user, start=slot.day, end=slot.day)
    errors = check_slot(visit, slot, minutes=minutes, others=others, rows=rows,
                        team=selectors.team_row(by.team),
                        two_staff=bool(selectors.two_staff_people([visit.person_id])))
    if errors:
        raise ValidationFailed(errors)
    updated = PlannedVisit.objects.filter(pk=visit.pk, version=expected_version).update(
        staff=slot.staff, second_staff=slot.second, date=slot.day, time=slot.time,
        version=F("version") + 1)
    if updated != 1:
        raise StaleEdit()
    _accept(visit, by)
    second = f" with {slot.second.name}" if slot.second else ""
    audit_record(request=request, person_id=visit.person_id, action=AuditAction.UPDATE,
                 what=f"planned visit {visit.pk} moved to {slot.day} {slot.time:%H:%M} "
                      f"{slot.staff.name}{second}")
    visit.refresh_from_db()
    return visit


# --- Re-plan today ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """What happened, from the re-plan form."""

    kind: str  # no_access, crisis, off_sick
    at: time
    visit: PlannedVisit | None = None  # no access
    person_id: int | None = None  # crisis
    within_hours: int = 4
    minutes: int = 60
    two_staff: bool = False
    worker: StaffMember | None = None  # off sick
    until: date | None = None


NO_COORDINATES = (
    "{name} has no coordinates or is in hospital, so the planner cannot route a visit to "
    "them: arrange it by hand."
)
STRANDED = "Not re-planned (it has no time, or is not routed): reassign it by hand."
STRANDED_LOCKED = "Locked to a worker who is off sick: unlock it or reassign it by hand."
MISSED_WHILE_SICK = (
    "It was due after they went off sick, and that time has passed: log what happened, or "
    "arrange another visit."
)


def replan_today(*, user, by: StaffMember, request, event: Event,
                 submission_key: str | None = None) -> WeekPlan:
    """Re-plan the rest of today and the week after a no-access visit, a crisis or a worker
    going off sick, with as few changes to other visits as the planner can manage."""
    if repeat := _repeat(by, submission_key):
        return repeat
    today = selectors.today()
    record = selectors.planning_record(user, start=today)
    try:
        built = bridge.build(record, replan=True)
    except bridge.RecordError as exc:
        raise PlanningFailed(exc.messages) from exc
    assert built.plan is not None
    at = event.at.hour * 60 + event.at.minute
    people = built.problem.person_by_id
    sick: set[int] = set()
    until: date | None = None
    failed: PlannedVisit | None = None
    if event.kind == "no_access":
        failed = event.visit
        assert failed is not None
        if bridge.pid(failed.person_id) not in people:
            raise ValidationFailed({"visit": [NO_COORDINATES.format(
                name=failed.person.display_name)]})
        if failed.time is not None:
            at = max(at, selectors.minute(failed.time))
        events = [NoAccess(bridge.pid(failed.person_id), today, at)]
        summary = {"kind": "no_access", "person_id": failed.person_id, "visit_id": failed.pk}
    elif event.kind == "crisis":
        assert event.person_id is not None
        if bridge.pid(event.person_id) not in people:
            name = selectors.team_people(user).get(pk=event.person_id).display_name
            raise ValidationFailed({"person": [NO_COORDINATES.format(name=name)]})
        events = [CrisisVisit(bridge.pid(event.person_id), today, at,
                              within_minutes=event.within_hours * 60, minutes=event.minutes,
                              needs_two_staff=event.two_staff)]
        summary = {"kind": "crisis", "person_id": event.person_id,
                   "within_hours": event.within_hours, "minutes": event.minutes}
    else:
        assert event.worker is not None
        sick = {event.worker.pk}
        until = event.until if event.until is not None and event.until <= record.end else None
        events = [WorkerOffSick(bridge.wid(event.worker.pk), today, at, until)]
        summary = {"kind": "off_sick", "worker_id": event.worker.pk,
                   "until": until.isoformat() if until else None}
    summary["at"] = hhmm(at)
    # Nothing is planned into the past: an event entered late is re-planned from now.
    route_from = max(at, now_minute())
    events = [replace(e, at=max(e.at, route_from)) for e in events]
    seconds = selectors.replan_seconds()
    try:
        new = replan(built.plan, events, seconds=seconds, seed=1)
    except ValueError as exc:
        raise PlanningFailed([str(exc)]) from exc
    except Exception as exc:  # never a crash page: say so, write nothing
        logger.exception("re-planning failed for team %s", by.team_id)
        raise PlanningFailed([PLANNER_FAILED]) from exc
    unmet = {u.task: u.reason for u in new.unmet if u.task}
    groups = bridge.grouped(new)
    changes: list[dict] = []
    moves: list[tuple[bridge.VisitRow, int, int | None, date, int]] = []
    cancel: list[bridge.VisitRow] = []
    for key, v in built.movable.items():
        got = groups.get(key)
        before = _slot(v.staff, v.second, v.day, v.start)
        if got:
            staff, second = bridge.pair(got, keep=v.second if v.staff in sick else v.staff)
            after = (staff, second, got[0].day, got[0].start)
            if after != (v.staff, v.second, v.day, v.start):
                moves.append((v, *after))
                changes.append({"visit_id": v.id, "person_id": v.person, "change": "moved",
                                "before": before, "after": _slot(*after), "reason": ""})
            continue
        if failed is not None and v.id == failed.id:
            changes.append({"visit_id": v.id, "person_id": v.person, "change": "no_access",
                            "before": before, "after": None, "reason": ""})
        elif v.staff in sick or v.second in sick:
            cancel.append(v)
            changes.append({"visit_id": v.id, "person_id": v.person, "change": "cancelled",
                            "before": before, "after": None,
                            "reason": unmet.get(key, "No other worker could take it.")})
        else:
            changes.append({"visit_id": v.id, "person_id": v.person, "change": "unchanged",
                            "before": before, "after": None,
                            "reason": unmet.get(key, "The planner did not keep it.")})
    if sick:
        for v in built.movable.values():
            if (v.day == today and v.start is not None and at <= v.start < route_from
                    and (v.staff in sick or v.second in sick)):
                changes.append({"visit_id": v.id, "person_id": v.person, "change": "stranded",
                                "before": _slot(v.staff, v.second, v.day, v.start),
                                "after": None, "reason": MISSED_WHILE_SICK})
        routed = {v.id for v in built.movable.values()}
        for v in record.visits:
            if (v.status == "planned" and v.id not in routed
                    and (v.staff in sick or v.second in sick)
                    and (until is None or v.day <= until)):
                changes.append({"visit_id": v.id, "person_id": v.person, "change": "stranded",
                                "before": _slot(v.staff, v.second, v.day, v.start),
                                "after": None, "reason": STRANDED_LOCKED if v.locked
                                else STRANDED})
    created = []
    for key, got in groups.items():
        if "/retry/" not in key and "/crisis/" not in key:
            continue
        staff, second = bridge.pair(got)
        created.append((bridge.person_of(got[0].person), staff, second, got[0].day,
                        got[0].start, got[0].minutes, got[0].kind.value,
                        round(got[0].travel_minutes, 1)))
    with transaction.atomic():
        _lock_team(by.team_id)
        if repeat := _repeat(by, submission_key):
            return repeat
        if selectors.visit_states(user, start=today, end=record.end) != record.fingerprint():
            raise PlanningFailed([CHANGED_MEANWHILE])
        run = WeekPlan.objects.create(
            team_id=by.team_id, kind=RunKind.REPLAN, start=today, end=record.end, run_by=by,
            submission_key=submission_key or None,
            seconds=seconds, runtime_seconds=round(new.figures.runtime_seconds, 2),
            figures=new.figures.as_dict(), unmet=bridge.unmet_rows(new, built.locked),
            notes=built.notes,
            breaks=bridge.break_rows(new), events=[summary], created_visits=len(created),
        )
        for v, staff, second, day, start in moves:
            PlannedVisit.objects.filter(pk=v.id).update(
                staff_id=staff, second_staff_id=second, date=day, time=_time(start),
                version=F("version") + 1)
        PlannedVisit.objects.filter(pk__in=[v.id for v in cancel]).update(
            status=VisitStatus.CANCELLED, version=F("version") + 1)
        rows = PlannedVisit.objects.bulk_create([
            PlannedVisit(person_id=p, episode_id=built.episodes[p], staff_id=staff,
                         second_staff_id=second, date=day, time=_time(start),
                         place=ContactPlace.HOME, purpose=PURPOSES.get(VisitKind(kind), ""),
                         recorded_by=by)
            for p, staff, second, day, start, _, kind, _ in created
        ])
        # Made at the worker's request: accepted from the start.
        Proposal.objects.bulk_create([
            Proposal(visit=row, run=run, kind=c[6], minutes=c[5], travel_minutes=c[7],
                     accepted_at=timezone.now(), accepted_by=by)
            for row, c in zip(rows, created, strict=True)
        ])
        changes += [{"visit_id": row.pk, "person_id": row.person_id, "change": "new",
                     "before": None, "after": _slot(c[1], c[2], c[3], c[4]), "reason": ""}
                    for row, c in zip(rows, created, strict=True)]
        run.changes = changes
        run.save(update_fields=["changes"])
        audit_list(request=request, person_ids=sorted({c["person_id"] for c in changes}),
                   action=AuditAction.UPDATE, what=f"re-planned today: {summary['kind']}")
    return run


def _slot(staff: int, second: int | None, day: date, start: int | None) -> dict:
    return {"worker_id": staff, "second_id": second, "day": day.isoformat(),
            "time": hhmm(start) if start is not None else None}
