"""Visit planning pages: the team's week, a worker's day, a person's week; accept, adjust and
lock a visit; re-plan today; a worker's calendar file.

Every read goes through visits.selectors, which reach people only through
records.selectors (the signed-in clinician's team); anything else is 404. Every page that
names people audits them before it renders. Running the planner takes seconds, so those two
views do not hold the request's transaction open while it runs (services.py).
"""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_list, audit_record
from outreach.records.models import VisitStatus
from outreach.records.services import ValidationFailed
from outreach.visits import bridge, presenters, selectors, services
from outreach.visits.bridge import hhmm
from outreach.visits.forms import AdjustForm, PlanWeekForm, ReplanForm
from outreach.visits.models import RunKind
from outreach.visits.names import Names
from outreach.web.forms import add_errors, save_form

CALENDAR_DAYS = 28
PROBLEMS = {
    "not-planned": services.NOT_PLANNED,
    "needs-time": services.LOCK_NEEDS_TIME,
}


def _clinician(request):
    staff = selectors.clinician(request.user)
    if staff is None:
        raise Http404("No caseload")
    return staff


def _minute(t) -> int:
    return t.hour * 60 + t.minute


def _names(request, staff, person_ids) -> Names:
    """Names of the people (in the user's team scope) and of the team's staff."""
    ids = sorted({p for p in person_ids if p is not None})
    people = {}
    if ids:
        people = {p.pk: p.display_name
                  for p in selectors.team_people(request.user).filter(pk__in=ids)}
    return Names(people=people, staff={s.pk: s.name for s in staff.team.staff.all()})


def _worker_day_url(staff_id: int, day: date) -> str:
    return reverse("visits-worker-day", args=[staff_id, day.isoformat()])


# --- The team's week ------------------------------------------------------------------------


@login_required
def team_week(request):
    staff = _clinician(request)
    form = PlanWeekForm(initial={"start": selectors.today() + timedelta(days=1)})
    return _team_page(request, staff, form)


@transaction.non_atomic_requests
@login_required
@require_POST
def plan_week(request):
    """Run the planner for the team's next 7 days and write its plan (services.run_week)."""
    staff = _clinician(request)
    form = PlanWeekForm(request.POST)
    problems: list[str] = []
    if form.is_valid():
        try:
            run = services.run_week(user=request.user, by=staff, request=request,
                                    start=form.cleaned_data["start"],
                                    submission_key=form.cleaned_data["submission_key"] or None)
        except ValidationFailed as exc:
            add_errors(form, exc.errors)
        except services.PlanningFailed as exc:
            problems = exc.messages
        else:
            return redirect(f"{reverse('visits')}?planned={run.pk}")
    with transaction.atomic():  # the page's reads and its audit events commit together
        return _team_page(request, staff, form, problems=problems)


def _team_page(request, staff, form, problems=()):
    today = selectors.today()
    run = selectors.latest_run(staff.team)
    start = max(run.start, today) if run is not None and run.end >= today else today
    days = presenters.week_days(start)
    workers = selectors.visiting_staff(staff.team)
    visits = [v for v in selectors.visits_between(request.user, start=days[0], end=days[-1])
              if v.status == VisitStatus.PLANNED]
    counts: dict[tuple[int, date], int] = {}
    for v in visits:
        for s in (v.staff_id, v.second_staff_id):
            if s is not None:
                counts[(s, v.date)] = counts.get((s, v.date), 0) + 1
    two = selectors.two_staff_people({v.person_id for v in visits})
    lone = [v for v in visits if v.person_id in two and v.second_staff_id is None]
    unmet = run.unmet if run is not None else []
    notes = run.notes if run is not None else []
    names = _names(request, staff, [u.get("person_id") for u in unmet + notes]
                   + [v.person_id for v in lone])
    audit_list(request=request, person_ids=sorted(names.people), what="visit plan: team week")
    return render(request, "visits/team.jinja", {
        "form": form, "problems": [names.text(p) for p in problems], "run": run,
        "run_at": timezone.localtime(run.run_at) if run is not None else None,
        "figures": presenters.figures(run) if run is not None else [],
        "unmet": presenters.unmet_lines(unmet, names),
        "notes": [(n.get("person_id"), names.text(n["text"])) for n in notes],
        "lone": lone, "names": names, "days": days, "workers": workers, "counts": counts,
        "today": today, "seconds": selectors.planner_seconds(),
        "just_planned": request.GET.get("planned"), "nav": "visits",
    })


# --- A worker's day -------------------------------------------------------------------------


@login_required
def worker_day(request, staff_id: int, day: date):
    """A worker's visits of a day in order, with times and travel; printable."""
    staff = _clinician(request)
    worker = selectors.worker_for(request.user, staff_id)
    if worker is None:
        raise Http404("Not a worker on your team")
    the_day = day
    visits = selectors.worker_day(request.user, worker, the_day)
    two = selectors.two_staff_people({v.person_id for v in visits})
    team = selectors.team_row(staff.team)
    plan = presenters.day_lines(visits, worker.pk, team.base, two)
    replanned = selectors.run_for(staff.team, request.GET.get("replanned"))
    changes = replanned.changes if replanned is not None and replanned.kind == RunKind.REPLAN \
        else []
    unmet = replanned.unmet if changes else []
    names = _names(request, staff, [c["person_id"] for c in changes]
                   + [u.get("person_id") for u in unmet])
    shown = {v.person_id for v in visits} | set(names.people)
    audit_list(request=request, person_ids=sorted(shown),
               what=f"visit plan: {worker.name} on {the_day}")
    today = selectors.today()
    row = selectors.staff_rows([worker], start=the_day, end=the_day)[0]
    hours = bridge.hours(team, row, the_day) if bridge.works_on(row, the_day) else None
    brk = selectors.break_for(staff.team, worker, the_day)
    if brk is not None and any(
            line.start and line.end and _minute(line.start) < brk["start"] + brk["minutes"]
            and brk["start"] < _minute(line.end) for line in plan.lines):
        brk = None  # the visits changed since the run: its break no longer fits
    return render(request, "visits/worker_day.jinja", {
        "worker": worker, "day": the_day, "plan": plan, "today": today,
        "hours": tuple(hhmm(m) for m in hours) if hours else None,
        "away": the_day in row.away,
        "brk": (hhmm(brk["start"]), brk["minutes"]) if brk else None,
        "previous_day": the_day - timedelta(days=1), "next_day": the_day + timedelta(days=1),
        "replanned": replanned if changes else None,
        "changes": presenters.change_lines(changes, names),
        "unmet": presenters.unmet_lines(unmet, names),
        "problem": PROBLEMS.get(request.GET.get("problem", "")),
        "here": request.get_full_path(), "nav": "visits",
    })


# --- A person's week ------------------------------------------------------------------------


@login_required
def person_week(request, person_id: int):
    staff = _clinician(request)
    person = selectors.team_person(request.user, person_id)
    if person is None:
        raise Http404("Not on your team's caseload")
    today = selectors.today()
    days = presenters.week_days(today)
    visits = selectors.visits_between(request.user, start=days[0], end=days[-1], person=person)
    run = selectors.latest_run(staff.team)
    unmet = [u for u in (run.unmet if run else []) if u.get("person_id") == person.pk]
    notes = [n for n in (run.notes if run else []) if n.get("person_id") == person.pk]
    names = _names(request, staff, [person.pk])
    audit_record(request=request, person_id=person.pk, action=AuditAction.VIEW,
                 what="visit plan: the person's week")
    lines = []
    two = selectors.two_staff_people([person.pk])
    for v in visits:
        label, colour = presenters.state(v)
        lines.append({"visit": v, "state": label, "colour": colour,
                      "lone": v.person_id in two and v.second_staff_id is None
                      and v.status == VisitStatus.PLANNED})
    return render(request, "visits/person.jinja", {
        "person": person, "days": days, "lines": lines, "run": run,
        "unmet": presenters.unmet_lines(unmet, names),
        "notes": [names.text(n["text"]) for n in notes], "two_staff": bool(two),
        "here": request.get_full_path(), "nav": "visits",
    })


# --- Accept, lock, unlock, adjust -----------------------------------------------------------


def _visit(request, visit_id: int):
    staff = _clinician(request)
    visit = selectors.visit_for(request.user, visit_id)
    if visit is None:
        raise Http404("No such visit on your team")
    return staff, visit


def _back(request, visit, problem: str | None = None) -> str:
    target = request.POST.get("next") or ""
    if not (target.startswith("/visits/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()})):
        target = _worker_day_url(visit.staff_id, visit.date)
    if problem:
        target += ("&" if "?" in target else "?") + f"problem={problem}"
    return target


@login_required
@require_POST
def accept(request, visit_id: int):
    staff, visit = _visit(request, visit_id)
    try:
        services.accept(visit=visit, by=staff, request=request)
    except ValidationFailed:
        return redirect(_back(request, visit, "not-planned"))
    return redirect(_back(request, visit))


@login_required
@require_POST
def lock(request, visit_id: int):
    staff, visit = _visit(request, visit_id)
    try:
        services.lock(visit=visit, by=staff, request=request)
    except ValidationFailed as exc:
        return redirect(_back(request, visit, "needs-time" if "time" in exc.errors
                              else "not-planned"))
    return redirect(_back(request, visit))


@login_required
@require_POST
def unlock(request, visit_id: int):
    staff, visit = _visit(request, visit_id)
    services.unlock(visit=visit, by=staff, request=request)
    return redirect(_back(request, visit))


@login_required
def adjust(request, visit_id: int):
    """Move a visit to another worker, day or time; checked, never silently accepted."""
    staff, visit = _visit(request, visit_id)
    if visit.status != VisitStatus.PLANNED:
        return redirect(_back(request, visit, "not-planned"))
    team_staff = selectors.visiting_staff(staff.team)
    if request.method == "POST":
        form = AdjustForm(request.POST, team_staff=team_staff)

        def save(data) -> str:
            by_id = {s.pk: s for s in team_staff}
            slot = services.Slot(staff=by_id[data["staff"]],
                                 second=by_id.get(data["second_staff"]),
                                 day=data["date"], time=data["time"])
            moved = services.adjust(user=request.user, visit=visit, by=staff, request=request,
                                    expected_version=data["version"], slot=slot)
            return _worker_day_url(moved.staff_id, moved.date)

        if saved := save_form(request, form, save):
            return saved
    else:
        form = AdjustForm(team_staff=team_staff, initial={
            "date": visit.date, "time": visit.time, "staff": visit.staff_id,
            "second_staff": visit.second_staff_id, "version": visit.version})
    audit_record(request=request, person_id=visit.person_id, action=AuditAction.VIEW,
                 what=f"adjust planned visit {visit.pk}")
    return render(request, "visits/adjust.jinja", {
        "visit": visit, "form": form, "locked": hasattr(visit, "visit_lock"),
        "two_staff": bool(selectors.two_staff_people([visit.person_id])), "nav": "visits",
    })


# --- Re-plan today ----------------------------------------------------------------------------


@transaction.non_atomic_requests
@login_required
def replan(request, staff_id: int):
    """Re-plan the rest of today (and the week where needed) from a worker's day: a no-access
    visit to try again, a crisis visit, the worker off sick."""
    staff = _clinician(request)
    worker = selectors.worker_for(request.user, staff_id)
    if worker is None:
        raise Http404("Not a worker on your team")
    today = selectors.today()
    todays = selectors.worker_day(request.user, worker, today)
    people = list(selectors.team_people(request.user).order_by("family_name", "given_name",
                                                               "id"))
    choices = {
        "visits": [(v.pk, f"{v.time:%H:%M} {v.person.display_name}" if v.time
                    else v.person.display_name) for v in todays],
        "people": [(p.pk, p.display_name) for p in people],
    }
    problems: list[str] = []
    if request.method == "POST":
        form = ReplanForm(request.POST, **choices)
        if form.is_valid():
            data = form.cleaned_data
            event = services.Event(
                kind=data["kind"], at=data["at"],
                visit=next((v for v in todays if v.pk == data["visit"]), None),
                person_id=data["person"], within_hours=data["within_hours"] or 4,
                minutes=data["minutes"] or 60, two_staff=data["two_staff"],
                worker=worker if data["kind"] == "off_sick" else None, until=data["until"])
            try:
                run = services.replan_today(user=request.user, by=staff, request=request,
                                            event=event,
                                            submission_key=data["submission_key"] or None)
            except ValidationFailed as exc:
                add_errors(form, exc.errors)
            except services.PlanningFailed as exc:
                problems = exc.messages
            else:
                return redirect(f"{_worker_day_url(worker.pk, today)}?replanned={run.pk}")
    else:
        now = timezone.localtime()
        form = ReplanForm(initial={"at": now.strftime("%H:%M"), "within_hours": 4,
                                   "minutes": 60}, **choices)
    with transaction.atomic():
        names = _names(request, staff, [])
        audit_list(request=request, person_ids=[p.pk for p in people],
                   what=f"re-plan today: {worker.name}")
        return render(request, "visits/replan.jinja", {
            "worker": worker, "form": form, "today": today,
            "problems": [names.text(p) for p in problems], "seconds": selectors.replan_seconds(),
            "nav": "visits",
        })


# --- A worker's calendar --------------------------------------------------------------------


@login_required
def calendar(request, staff_id: int):
    """The worker's planned visits for the next four weeks as an iCalendar file."""
    staff = _clinician(request)
    worker = selectors.worker_for(request.user, staff_id)
    if worker is None:
        raise Http404("Not a worker on your team")
    today = selectors.today()
    visits = selectors.worker_visits(request.user, worker, start=today,
                                     end=today + timedelta(days=CALENDAR_DAYS - 1))
    audit_list(request=request, person_ids=sorted({v.person_id for v in visits}),
               action=AuditAction.EXPORT, what=f"calendar of {worker.name}'s visits")
    text = presenters.calendar(worker.pk, visits, base=selectors.team_row(staff.team).base)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="visits-{worker.pk}.ics"'
    return response
