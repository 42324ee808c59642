"""Daily handover and weekly MDT pages: the generated agenda, items marked discussed with
decisions, actions with an owner and a due date that stay on the handover until done."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from outreach.audit.services import audit_list, audit_record
from outreach.meetings import agenda as agendas
from outreach.meetings import services
from outreach.meetings.forms import ActionForm, NoteForm
from outreach.meetings.models import MeetingKind
from outreach.records import selectors
from outreach.records.services import StaleEdit
from outreach.web.forms import save_form

BUILDERS = {MeetingKind.HANDOVER: agendas.handover, MeetingKind.MDT: agendas.mdt}
PAGES = {MeetingKind.HANDOVER: "handover", MeetingKind.MDT: "mdt"}
# What an item's key prefix means, named on the action page.
ITEM_TOPICS = {
    "engagement": "Overdue, lost contact or escalated", "flag": "Red flag",
    "crisis": "Inpatient or in crisis", "visit": "Planned visit", "outcome": "Missed contact",
    "depot": "Depot due", "legal": "Legal deadline", "away": "Staff away",
    "cover": "Cover", "gap": "No cover", "referral": "New referral",
    "transition": "Stepped up, admitted or changed", "proposal": "Proposed discharge or transfer",
    "annual": "Annual multi-agency review due", "review": "Care plan or review overdue",
}


def _staff(request):
    staff = selectors.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        raise Http404("No team")
    return staff


def _page(request, kind: str):
    staff = _staff(request)
    today = selectors.today()
    agenda = BUILDERS[kind](request.user, team=staff.team, today=today)
    audit_list(request=request, person_ids=sorted(agenda.person_ids),
               what=f"{kind} agenda {today}")
    return render(request, "meetings/agenda.jinja", {
        "agenda": agenda, "kind": kind, "page": PAGES[kind], "team": staff.team,
        "today": today, "nav": PAGES[kind],
    })


@login_required
def handover(request):
    return _page(request, MeetingKind.HANDOVER)


@login_required
def mdt(request):
    return _page(request, MeetingKind.MDT)


def _person(request, person_id):
    """An agenda item's person, only if on the user's caseload."""
    return selectors.person_for(request.user, person_id) if person_id else None


@login_required
@require_POST
def item_note(request, kind: str):
    staff = _staff(request)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return redirect(PAGES[kind])
    meeting = services.meeting_open(team=staff.team, kind=kind, on=selectors.today(), by=staff)
    services.item_note(meeting=meeting, item_key=form.cleaned_data["item_key"],
                       person=_person(request, form.cleaned_data["person"]), by=staff,
                       request=request, decision=form.cleaned_data["decision"])
    return redirect(f"/{PAGES[kind]}/#{form.cleaned_data['item_key'].replace(':', '-')}")


def _action_page(request, kind: str, staff, form, person, status=200):
    """One action form, opened from an agenda item on demand: an agenda page with a form
    per item (and the team's staff in every owner list) weighed half a megabyte."""
    if person is not None:
        audit_record(request=request, person_id=person.pk, action="read",
                     what=f"{kind} action form")
    item = form["item_key"].value() or ""
    return render(request, "meetings/action.jinja", {
        "form": form, "kind": kind, "page": PAGES[kind], "team": staff.team,
        "person": person, "topic": ITEM_TOPICS.get(item.split(":")[0], "Agenda item"),
        "nav": PAGES[kind],
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request, kind: str):
    staff = _staff(request)
    team_staff = selectors.team_clinicians(staff.team)
    if request.method == "GET":
        person_id = request.GET.get("person", "")
        person = _person(request, int(person_id)) if person_id.isdigit() else None
        if person_id and person is None:
            raise Http404("No such person")
        form = ActionForm(team_staff=team_staff, initial={
            "item_key": request.GET.get("item", ""), "person": person and person.pk,
            "due": selectors.today()})
        return _action_page(request, kind, staff, form, person)
    form = ActionForm(request.POST, team_staff=team_staff)
    person = _person(request, form.cleaned_data["person"]) if form.is_valid() else None

    def save(data) -> str:
        meeting = services.meeting_open(team=staff.team, kind=kind, on=selectors.today(),
                                        by=staff)
        services.action_create(
            team=staff.team, by=staff, request=request, description=data["description"],
            owner_id=data["owner"], due=data["due"], person=person, meeting=meeting,
            item_key=data["item_key"], submission_key=data["submission_key"] or None,
        )
        return f"/{PAGES[kind]}/#actions"

    if saved := save_form(request, form, save):
        return saved
    return _action_page(request, kind, staff, form, person, status=400)


@login_required
@require_POST
def action_done(request, kind: str, action_id: int):
    staff = _staff(request)
    action = staff.team.actions.filter(pk=action_id).first()
    if action is None or (action.person_id and _person(request, action.person_id) is None):
        raise Http404("No such action")
    try:
        services.action_done(action=action, by=staff, request=request,
                             expected_version=int(request.POST.get("version", 0)))
    except StaleEdit:
        pass  # someone else closed it first; the page shows it done
    return redirect(f"/{PAGES[kind]}/#actions")
