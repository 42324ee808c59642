"""Daily handover and weekly MDT pages: the generated agenda, items marked discussed with
decisions, actions with an owner and a due date that stay on the handover until done."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from outreach.audit.services import audit_list, audit_record
from outreach.meetings import agenda as agendas
from outreach.meetings import services
from outreach.meetings.forms import ActionForm, NoteForm
from outreach.meetings.models import MeetingKind, Outcome
from outreach.records import selectors
from outreach.records.services import StaleEdit, ValidationFailed
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


# How each outcome reads on the MDT page, and for one that opens a step, where it goes.
OUTCOME_TEXT = {
    Outcome.ACCEPT: "Accept the referral (opens the accept form)",
    Outcome.DECLINE: "Do not accept the referral (opens the decline form)",
    Outcome.DECIDE_PROPOSAL: "Decide the proposal now (opens its decision record)",
    Outcome.PROPOSE_DISCHARGE: "Propose a discharge or transfer (opens the proposal form)",
    Outcome.RECORD: "Another decision, or discuss again: record it",
}


def step_url(outcome: str, item_key: str, person_id: int | None, note_id: int) -> str | None:
    """The page that carries out an MDT decision, with the decision's words carried."""
    if person_id is None:
        return None
    if outcome == Outcome.ACCEPT:
        return f"{reverse('episode-accept', args=[person_id])}?mdt={note_id}"
    if outcome == Outcome.DECLINE:
        return f"{reverse('episode-decline', args=[person_id])}?mdt={note_id}"
    if outcome == Outcome.PROPOSE_DISCHARGE:
        return f"{reverse('proposal-new', args=[person_id])}?mdt={note_id}"
    if outcome == Outcome.DECIDE_PROPOSAL:
        return reverse("proposal", args=[person_id, int(item_key.split(":")[1])])
    return None


def _page(request, kind: str, refused: dict | None = None):
    staff = _staff(request)
    today = selectors.today()
    agenda = BUILDERS[kind](request.user, team=staff.team, today=today)
    audit_list(request=request, person_ids=sorted(agenda.person_ids),
               what=f"{kind} agenda {today}")
    return render(request, "meetings/agenda.jinja", {
        "agenda": agenda, "kind": kind, "page": PAGES[kind], "team": staff.team,
        "today": today, "nav": PAGES[kind], "refused": refused,
        "outcomes_for": services.outcomes_for, "outcome_text": OUTCOME_TEXT,
        "outcome_labels": dict(Outcome.choices), "step_url": step_url,
    }, status=400 if refused else 200)


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
    """Mark an item discussed, or record the MDT's decision on it. An empty MDT decision is
    refused (the page again, with the error at the item, nothing marked); a decision that
    accepts, declines or ends care goes straight on to the form that does it."""
    staff = _staff(request)
    form = NoteForm(request.POST)
    item_key = request.POST.get("item_key", "")
    if not item_key:
        return redirect(PAGES[kind])
    errors: dict[str, list[str]] = {}
    if form.is_valid():
        data = form.cleaned_data
        person = _person(request, data["person"])
        try:
            note = services.item_note(
                team=staff.team, kind=kind, on=selectors.today(), item_key=item_key,
                person=person, by=staff, request=request, decision=data["decision"],
                outcome=data["outcome"])
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            step = step_url(note.outcome, item_key, note.person_id, note.pk)
            return redirect(step or f"/{PAGES[kind]}/#{item_key.replace(':', '-')}")
    else:
        errors = {name: list(messages) for name, messages in form.errors.items()}
    return _page(request, kind, refused={
        "key": item_key, "errors": errors, "decision": request.POST.get("decision", ""),
        "outcome": request.POST.get("outcome", "")})


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
