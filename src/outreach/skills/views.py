"""The team manager's skills matrix: every clinician on the team against every competency,
met / expiring within N days / expired / missing, and each person's training records with
their history. Only the team's manager sees these pages (anyone else: 404)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from outreach.core.skills import LABELS, Status
from outreach.records import selectors as records
from outreach.skills import selectors, services
from outreach.skills.forms import AmendForm, TrainingForm, WithdrawForm
from outreach.skills.models import TrainingRecord
from outreach.teams.models import Role
from outreach.web.forms import repeated, save_form

TAGS = {Status.MET: "nhsuk-tag--green", Status.EXPIRING: "nhsuk-tag--orange",
        Status.EXPIRED: "nhsuk-tag--red", Status.MISSING: "nhsuk-tag--red"}
MAX_WITHIN = 730


def _manager(request):
    staff = records.staff_for(request.user)
    if staff is None or not staff.is_clinical or staff.role != Role.MANAGER:
        raise Http404("The skills matrix is for the team manager")
    return staff


def _member(manager, staff_id: int):
    member = next((s for s in records.team_clinicians(manager.team) if s.pk == staff_id), None)
    if member is None:
        raise Http404("Not on your team")
    return member


def _record(manager, record_id: int) -> TrainingRecord:
    record = (TrainingRecord.objects.filter(pk=record_id, staff__team_id=manager.team_id)
              .select_related("staff", "competency").first())
    if record is None:
        raise Http404("No such training record on your team")
    return record


def _within(request, default: int) -> int:
    try:
        days = int(request.GET.get("within", default))
    except ValueError:
        return default
    return min(max(days, 0), MAX_WITHIN)


@login_required
def matrix(request):
    manager = _manager(request)
    on = records.today()
    m = selectors.team_matrix(manager.team, on=on)
    within = _within(request, m.warn_days)
    if within != m.warn_days:
        m = selectors.team_matrix(manager.team, on=on, warn_days=within)
    return render(request, "skills/matrix.jinja", {
        "m": m, "team": manager.team, "labels": LABELS, "tags": TAGS, "nav": "team",
        "Status": Status})


@login_required
def staff_training(request, staff_id: int):
    manager = _manager(request)
    member = _member(manager, staff_id)
    on = records.today()
    m = selectors.team_matrix(manager.team, on=on)
    return render(request, "skills/staff.jinja", {
        "member": member, "records": selectors.staff_records(member), "row": m.row(member)
        if member in m.staff else [], "m": m, "labels": LABELS, "tags": TAGS, "on": on,
        "nav": "team", "saved": request.GET.get("saved")})



@login_required
def training_new(request, staff_id: int):
    manager = _manager(request)
    member = _member(manager, staff_id)
    if repeat := repeated(request):
        return repeat
    comps = selectors.competencies()
    if request.method == "POST":
        form = TrainingForm(request.POST, competencies=comps)

        def save(data) -> str:
            services.training_record(
                staff=member, competency=next(c for c in comps if c.pk == data["competency"]),
                completed_on=data["completed_on"], expires_on=data["expires_on"],
                provider=data["provider"], by=manager)
            return reverse("skills-staff", args=[member.pk]) + "?saved=1"

        if saved := save_form(request, form, save):
            return saved
    else:
        initial = {}
        key = request.GET.get("competency")
        chosen = next((c for c in comps if c.key == key), None)
        if chosen:
            initial["competency"] = chosen.pk
        form = TrainingForm(competencies=comps, initial=initial)
    return render(request, "skills/training_form.jinja", {
        "form": form, "member": member, "competencies": comps, "nav": "team"})


@login_required
def training_amend(request, record_id: int):
    manager = _manager(request)
    record = _record(manager, record_id)
    if request.method == "POST":
        form = AmendForm(request.POST)

        def save(d) -> str:
            services.training_amend(
                record=record, expected_version=d["version"], by=manager,
                reason=d["reason"], completed_on=d["completed_on"],
                expires_on=d["expires_on"], provider=d["provider"].strip())
            return reverse("skills-staff", args=[record.staff_id]) + "?saved=1"

        if saved := save_form(request, form, save):
            return saved
    else:
        form = AmendForm(initial={"version": record.version, "completed_on": record.completed_on,
                                  "expires_on": record.expires_on, "provider": record.provider})
    return render(request, "skills/amend_form.jinja", {
        "form": form, "record": record, "withdraw": False, "nav": "team"})


@login_required
def training_withdraw(request, record_id: int):
    manager = _manager(request)
    record = _record(manager, record_id)
    if request.method == "POST":
        form = WithdrawForm(request.POST)

        def save(d) -> str:
            services.training_withdraw(record=record, by=manager,
                                       expected_version=d["version"], reason=d["reason"])
            return reverse("skills-staff", args=[record.staff_id]) + "?saved=1"

        if saved := save_form(request, form, save):
            return saved
    else:
        form = WithdrawForm(initial={"version": record.version})
    return render(request, "skills/amend_form.jinja", {
        "form": form, "record": record, "withdraw": True, "nav": "team"})
