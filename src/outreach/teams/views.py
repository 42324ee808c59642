"""Who is covering: staff leave and sickness, and cover for the absent key worker's people so
that nobody is ever without a named worker (design rule 3). The team page (/team/) lists the
gaps that remain; these pages close them."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from outreach.audit.services import audit_list
from outreach.core.periods import Period
from outreach.records import selectors
from outreach.teams import selectors as team_selectors
from outreach.teams import services
from outreach.teams.forms import AbsenceForm, CoverForm
from outreach.teams.models import Absence
from outreach.web.forms import repeated, save_form


def _staff(request):
    staff = selectors.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        raise Http404("No team")
    return staff




@login_required
def absences(request):
    """Current and coming leave and sickness, each with how many people still need cover."""
    staff = _staff(request)
    today = selectors.today()
    rows = list(
        Absence.objects.filter(staff__team_id=staff.team_id, end__gte=today)
        .select_related("staff").order_by("start", "staff__name")
    )
    uncovered: dict[int, int] = {}
    if rows:
        gaps = team_selectors.cover_gaps(staff.team, start=min(a.start for a in rows),
                                         end=max(a.end for a in rows))
        for a in rows:
            period = Period(a.start, a.end)
            uncovered[a.pk] = sum(
                1 for g in gaps
                if g.key_worker.pk == a.staff_id and any(p.overlaps(period) for p in g.uncovered)
            )
    return render(request, "teams/absences.jinja", {
        "team": staff.team, "rows": rows, "uncovered": uncovered, "today": today,
        "covered": request.GET.get("covered"), "recorded": request.GET.get("recorded"),
        "nav": "team",
    })


@login_required
def absence_new(request):
    """Record leave or sickness for someone on the team; then assign cover for their people."""
    staff = _staff(request)
    if repeat := repeated(request):
        return repeat
    team_staff = selectors.team_clinicians(staff.team)
    if request.method == "POST":
        form = AbsenceForm(request.POST, team_staff=team_staff)

        def save(data) -> str:
            absence = services.absence_record(
                staff=next(s for s in team_staff if s.pk == data["staff"]), by=staff,
                request=request, kind=data["kind"], start=data["start"], end=data["end"])
            if services.people_needing_cover(absence):
                return reverse("absence-cover", args=[absence.pk])
            return reverse("absences") + "?recorded=1"

        if saved := save_form(request, form, save):
            return saved
    else:
        form = AbsenceForm(team_staff=team_staff, initial={
            "start": selectors.today(), "end": selectors.today()})
    return render(request, "teams/absence_form.jinja", {"form": form, "nav": "team"})


@login_required
def absence_cover(request, absence_id: int):
    """One cover worker for all the absent key worker's people who are not yet covered."""
    staff = _staff(request)
    if repeat := repeated(request):
        return repeat
    absence = (
        Absence.objects.filter(pk=absence_id, staff__team_id=staff.team_id)
        .select_related("staff").first()
    )
    if absence is None:
        raise Http404("No such absence on your team")
    team_staff = [s for s in selectors.team_clinicians(staff.team) if s.pk != absence.staff_id]
    if request.method == "POST":
        form = CoverForm(request.POST, team_staff=team_staff)

        def save(data) -> str:
            created = services.cover_assign_for_absence(
                absence=absence, by=staff, request=request,
                cover=next(s for s in team_staff if s.pk == data["staff"]))
            people = len({c.episode_id for c in created})
            return reverse("absences") + f"?covered={people}"

        if saved := save_form(request, form, save):
            return saved
    else:
        form = CoverForm(team_staff=team_staff)
    needs = services.people_needing_cover(absence)
    audit_list(request=request, person_ids=[n.episode.person_id for n in needs],
               what=f"cover page: {absence.staff.name} away")
    return render(request, "teams/absence_cover.jinja", {
        "absence": absence, "needs": needs, "form": form, "nav": "team"})
