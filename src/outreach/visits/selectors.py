"""Reads for visit planning, always through the signed-in user's scope (records.selectors).

The people planned and shown are `team_people(user)`: the user's visible people
(`records.selectors.people_for`) whose open episode is with the user's team, so someone a
worker covers for another team is never planned here. Every visit is reached through them,
so another team's visit is simply not found (404). Reads are not audited here: the views
audit what they show (ADR 0002).

Each function reads each table once, whatever the number of people (the page tests compare
query counts for 2 and 10 people).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from outreach.clinical.models import RiskFormulation
from outreach.clinical.selectors import depots_due
from outreach.records import selectors as records
from outreach.records.engagement import engagement_config, successful_contacts
from outreach.records.models import OPEN_STATUSES, Episode, Person, PlannedVisit, VisitStatus
from outreach.reminders.models import Reminder
from outreach.reminders.models import Status as ReminderStatus
from outreach.teams.models import Absence, Discipline, StaffMember, Team
from outreach.visits import bridge
from outreach.visits.models import RunKind, WeekPlan

NOT_VISITING = (Discipline.MANAGER, Discipline.NONE)
SHOWN_STATUSES = (VisitStatus.PLANNED, VisitStatus.DONE)


def planner_seconds() -> float:
    """The solver's budget for a week (OUTREACH_PLANNER_SECONDS, default 7)."""
    return float(getattr(settings, "OUTREACH_PLANNER_SECONDS", 7.0))


def replan_seconds() -> float:
    """The solver's budget for re-planning a day (OUTREACH_REPLAN_SECONDS, default 1.5)."""
    return float(getattr(settings, "OUTREACH_REPLAN_SECONDS", 1.5))


def today() -> date:
    return records.today()


def clinician(user) -> StaffMember | None:
    """The signed-in clinician with a team, or None (no planning at all)."""
    staff = records.staff_for(user)
    if staff is None or not staff.is_clinical:
        return None
    return staff


def team_people(user, *, on: date | None = None) -> QuerySet[Person]:
    staff = clinician(user)
    if staff is None:
        return Person.objects.none()
    team_episodes = Episode.objects.filter(team_id=staff.team_id, status__in=OPEN_STATUSES)
    return records.people_for(user, on=on).filter(pk__in=team_episodes.values("person_id"))


def team_person(user, person_id: int) -> Person | None:
    return team_people(user).filter(pk=person_id).first()


def visiting_staff(team: Team) -> list[StaffMember]:
    """The team's clinicians who make visits: everyone but managers by discipline."""
    return [s for s in records.team_clinicians(team) if s.discipline not in NOT_VISITING]


def worker_for(user, staff_id: int) -> StaffMember | None:
    staff = clinician(user)
    if staff is None:
        return None
    return next((s for s in visiting_staff(staff.team) if s.pk == staff_id), None)


def visits_for(user) -> QuerySet[PlannedVisit]:
    """Every planned visit of the team's people, with what a row shows, in one query."""
    return (
        PlannedVisit.objects.filter(person__in=team_people(user))
        .select_related("person", "staff", "second_staff", "proposal", "visit_lock")
        .annotate(reminded=Exists(Reminder.objects.filter(
            planned_visit=OuterRef("pk"),
            status__in=(ReminderStatus.QUEUED, ReminderStatus.SENT))))
    )


def visit_for(user, visit_id: int) -> PlannedVisit | None:
    return visits_for(user).filter(pk=visit_id).first()


def worker_day(user, staff: StaffMember, day: date) -> list[PlannedVisit]:
    """A worker's visits on a day (as first or second worker), in time order; untimed last."""
    rows = visits_for(user).filter(Q(staff=staff) | Q(second_staff=staff), date=day,
                                   status__in=SHOWN_STATUSES)
    return sorted(rows, key=lambda v: (v.time is None, v.time, v.pk))


def worker_visits(user, staff: StaffMember, *, start: date, end: date) -> list[PlannedVisit]:
    rows = visits_for(user).filter(Q(staff=staff) | Q(second_staff=staff), date__gte=start,
                                   date__lte=end, status=VisitStatus.PLANNED)
    return sorted(rows, key=lambda v: (v.date, v.time is None, v.time, v.pk))


def visits_between(user, *, start: date, end: date, person: Person | None = None
                   ) -> list[PlannedVisit]:
    rows = visits_for(user).filter(date__gte=start, date__lte=end, status__in=SHOWN_STATUSES)
    if person is not None:
        rows = rows.filter(person=person)
    return sorted(rows, key=lambda v: (v.date, v.time is None, v.time, v.pk))


def two_staff_people(person_ids) -> set[int]:
    """People whose current risk formulation asks for two staff at visits."""
    return set(RiskFormulation.objects.filter(
        person_id__in=list(person_ids), superseded_by__isnull=True, two_staff_visits=True,
    ).values_list("person_id", flat=True))


def latest_run(team: Team, kind: str = RunKind.WEEK) -> WeekPlan | None:
    return WeekPlan.objects.filter(team=team, kind=kind).select_related("run_by").first()


def break_for(team: Team, staff: StaffMember, day: date) -> dict | None:
    """The worker's break that day as the latest run covering the day planned it."""
    run = WeekPlan.objects.filter(team=team, start__lte=day, end__gte=day).only("breaks").first()
    if run is None:
        return None
    return next((b for b in run.breaks
                 if b["worker_id"] == staff.pk and b["day"] == day.isoformat()), None)


def run_for(team: Team, run_id) -> WeekPlan | None:
    try:
        return WeekPlan.objects.filter(team=team, pk=int(run_id)).first()
    except (TypeError, ValueError):
        return None


# --- The feed: the team's record as the planner's rows -------------------------------------


def minute(t) -> int | None:
    return None if t is None else t.hour * 60 + t.minute


def team_row(team: Team) -> bridge.TeamRow:
    weekend = None
    if team.weekend_opens is not None and team.weekend_closes is not None:
        weekend = (minute(team.weekend_opens), minute(team.weekend_closes))
    base = None
    if team.base_latitude is not None and team.base_longitude is not None:
        base = (team.base_latitude, team.base_longitude)
    return bridge.TeamRow(base=base, weekend_hours=weekend,
                          weekday_hours=(minute(team.weekday_opens), minute(team.weekday_closes)))


def staff_rows(workers: list[StaffMember], *, start: date, end: date) -> list[bridge.StaffRow]:
    """The workers with their days away between start and end (one query)."""
    away: dict[int, set[date]] = defaultdict(set)
    for a in Absence.objects.filter(staff__in=[w.pk for w in workers], start__lte=end,
                                    end__gte=start):
        day = max(a.start, start)
        while day <= min(a.end, end):
            away[a.staff_id].add(day)
            day += timedelta(days=1)
    return [bridge.StaffRow(
        id=w.pk, discipline=w.discipline, weekdays=frozenset(w.working_weekdays),
        shift_start=minute(w.shift_starts), shift_end=minute(w.shift_ends), joined=w.joined,
        left=w.left, away=frozenset(away[w.pk])) for w in workers]


def planning_record(user, *, start: date) -> bridge.Record:
    """Everything the planner needs about the team for the 7 days from `start`."""
    staff = clinician(user)
    assert staff is not None
    team = staff.team
    end = start + timedelta(days=bridge.DAYS - 1)
    rows = list(records.caseload(user, on=start).filter(pk__in=team_people(user, on=start)))
    ids = [r.pk for r in rows]
    known: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    seen: dict[int, int] = defaultdict(int)
    since = start - timedelta(weeks=bridge.KNOWN_WEEKS)
    contacts = successful_contacts(person_id__in=ids, date__gte=since, date__lte=end)
    for person_id, first, second, day in contacts.values_list(
            "person_id", "staff_id", "second_staff_id", "date"):
        if day >= start:
            seen[person_id] += 1
        else:
            for s in (first, second):
                if s is not None:
                    known[person_id][s] += 1
    depots: dict[int, list] = defaultdict(list)
    for d in depots_due(ids, start=start, end=end):
        depots[d.person_id].append(d)
    two_staff = two_staff_people(ids)
    people = []
    for r in rows:
        due = depots.get(r.pk, [])
        people.append(bridge.PersonRow(
            id=r.pk, episode=r.episode_id, status=r.episode_status,
            weekly_target=int(r.weekly_target_value), lat=r.latitude, lon=r.longitude,
            key_worker=r.key_worker_id, cover=r.cover_id,
            known=tuple(sorted(known[r.pk].items())), two_staff=r.pk in two_staff,
            depot_due=due[0].due_on if due else None,
            depot_tolerance=due[0].tolerance_days if due else 7,
            more_depots=max(len(due) - 1, 0), seen_in_window=seen[r.pk],
        ))
    visits = [
        bridge.VisitRow(
            id=v.pk, person=v.person_id, staff=v.staff_id, second=v.second_staff_id,
            day=v.date, start=minute(v.time), status=v.status, version=v.version,
            purpose=v.purpose, locked=_has(v, "visit_lock"), proposal=_has(v, "proposal"),
            accepted=_has(v, "proposal") and v.proposal.accepted, reminded=v.reminded,
            kind=v.proposal.kind if _has(v, "proposal") else None,
            minutes=v.proposal.minutes if _has(v, "proposal") else None,
        )
        for v in window_visits(user, start=start, end=end)
    ]
    return bridge.Record(
        team=team_row(team), start=start,
        staff=staff_rows(visiting_staff(team), start=start, end=end),
        people=people, visits=visits,
        stepped_up_target=engagement_config().stepped_up_weekly_target,
    )


def window_visits(user, *, start: date, end: date) -> QuerySet[PlannedVisit]:
    """The visits a run looks at: planned in the window, and done on its first day."""
    return visits_for(user).filter(
        Q(status=VisitStatus.PLANNED, date__gte=start, date__lte=end)
        | Q(status=VisitStatus.DONE, date=start)
    ).order_by("date", "time", "id")


def visit_states(user, *, start: date, end: date) -> frozenset:
    """The fingerprint of the window's visits, as `bridge.Record.fingerprint` gives it."""
    return frozenset(
        (v.pk, v.version, v.status, v.staff_id, v.second_staff_id, v.date, minute(v.time),
         _has(v, "visit_lock"), _has(v, "proposal") and v.proposal.accepted, v.reminded)
        for v in window_visits(user, start=start, end=end)
    )


def _has(visit: PlannedVisit, name: str) -> bool:
    """Whether a reverse one-to-one (proposal, visit_lock) exists; no query when it was
    selected with select_related. Its "does not exist" error is an AttributeError too."""
    return hasattr(visit, name)
