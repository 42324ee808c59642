"""Pages. Short views: every read goes through records.selectors (the user's scope), every
read of a person is audited before the page is rendered."""

from datetime import timedelta

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from outreach.audit.models import AuditAction
from outreach.audit.selectors import audit_for_person
from outreach.audit.services import audit_list, audit_record
from outreach.clinical import selectors as clinical
from outreach.clinical.selectors import LEGAL_STATUS_LABELS
from outreach.core.engagement import ACTIONS, EngagementState
from outreach.core.redflags import LABELS as FLAG_LABELS
from outreach.core.redflags import FlagKind
from outreach.records import selectors
from outreach.records.engagement import days_since_seen
from outreach.teams import selectors as team_selectors
from outreach.teams.models import Role
from outreach.web.caseload import CaseloadFilters
from outreach.web.former import former_front_sheet
from outreach.web.timeline import timeline

COVER_LOOKAHEAD_DAYS = 14
# Who lands on the whole team's caseload when they have nobody of their own: the people who
# lead the team's care (the manager and the consultant), not "My people: 0 people".
TEAM_FIRST_ROLES = (Role.MANAGER, Role.CONSULTANT)
# NHS.UK tag colours for the engagement ladder.
TAG_CLASS = {
    EngagementState.ON_TRACK: "nhsuk-tag--green",
    EngagementState.DUE: "nhsuk-tag--yellow",
    EngagementState.OVERDUE: "nhsuk-tag--orange",
    EngagementState.LOST_CONTACT: "nhsuk-tag--red",
    EngagementState.ESCALATED: "nhsuk-tag--red",
}


def _clinical_or_404(request):
    staff = selectors.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        # Commissioners and administrators see no identifiable record at all.
        raise Http404("No caseload")
    return staff


@csrf_exempt
@require_POST
def sign_out(request):
    """Sign out. CSRF-exempt because the NHS.UK header's sign-out form has no token field,
    and forcing someone to sign out is a nuisance, not a disclosure."""
    logout(request)
    return redirect("login")


@login_required
def caseload(request):
    """The caseload: my people (and people I cover) or the whole team's, filtered, with
    engagement, last and next contact and red-flag markers for every row.

    It is also where signing in lands, so each role is sent to its own first page: the
    crisis line to its crisis summaries, a commissioner to the governance pages, and a
    manager or consultant with nobody of their own to the whole team's caseload."""
    staff = selectors.staff_for(request.user)
    if staff is not None and staff.role == Role.CRISIS_LINE:
        return redirect("crisis-list")
    if staff is not None and staff.role == Role.COMMISSIONER:
        return redirect("governance")
    if staff is None or not staff.is_clinical:
        return render(request, "web/no_caseload.jinja", {"staff": staff})
    filters = CaseloadFilters.from_query(request.GET)
    today = selectors.today()
    if ("view" not in request.GET and staff.role in TEAM_FIRST_ROLES
            and not selectors.caseload(request.user, on=today, only_mine=True).exists()):
        return redirect(f"{reverse('caseload')}?view=team")
    people = selectors.caseload(request.user, on=today, only_mine=filters.only_mine)
    rows = list(filters.apply_sql(people))
    flags = clinical.flags_for_people(
        [r.pk for r in rows], today=today,
        engagement={r.pk: (r.engagement_state, r.last_successful_contact) for r in rows},
    )
    legal = clinical.legal_status_for_people([r.pk for r in rows], today=today)
    rows = filters.apply_python(rows, flags, legal)
    for row in rows:
        row.days_since = days_since_seen(row, today)
        row.state_label = EngagementState(row.engagement_state).value.replace("_", " ")
        row.flags = flags.get(row.pk, ())
        row.legal = sorted(LEGAL_STATUS_LABELS[k] for k in legal.get(row.pk, ()))
    audit_list(request=request, person_ids=[r.pk for r in rows], what="caseload page")
    return render(request, "web/caseload.jinja", {
        "staff": staff, "rows": rows, "filters": filters, "today": today,
        "workers": selectors.team_clinicians(staff.team),
        "tag_class": {state.value: css for state, css in TAG_CLASS.items()},
        "states": [(s.value, s.value.replace("_", " ")) for s in EngagementState],
        "flag_kinds": [(k.value, FLAG_LABELS[k]) for k in FlagKind],
        "legal_kinds": list(LEGAL_STATUS_LABELS.items()),
        "nav": "caseload",
    })


@login_required
def person_detail(request, person_id: int):
    """The front sheet: what someone who has never met the person must see first."""
    _clinical_or_404(request)
    row = selectors.caseload(request.user).filter(pk=person_id).first()
    if row is None:
        # Someone the team held before: their record, read only (a record outlives its
        # episode); anyone else is 404.
        person = selectors.person_for(request.user, person_id, include_former=True)
        former = selectors.former_status(request.user, person) if person else None
        if former is None:
            raise Http404("Not on your caseload")
        return former_front_sheet(request, person, former)
    audit_record(request=request, person_id=row.pk, action=AuditAction.VIEW, what="front sheet")
    today = selectors.today()
    state = EngagementState(row.engagement_state)
    return render(request, "web/person.jinja", {
        "person": row,
        "sheet": clinical.front_sheet(row, today=today),
        "episode": selectors.current_episode(row),
        "days_since": days_since_seen(row, today),
        "state_label": state.value.replace("_", " "),
        "state_tag": TAG_CLASS[state],
        "action": ACTIONS[state],
        "contacts": row.contacts.select_related("staff")[:5],
        "visits": row.planned_visits.filter(status="planned", date__gte=today)
        .select_related("staff")[:6],
        "timeline": timeline(row),
        "can_view_audit": selectors.can_view_audit(request.user),
        "today": today,
        "logged": request.GET.get("logged"),
    })


@login_required
def person_audit(request, person_id: int):
    _clinical_or_404(request)
    person = selectors.person_for(request.user, person_id, include_former=True)
    if person is None:
        raise Http404("Not on your caseload")
    if not selectors.can_view_audit(request.user):
        return render(request, "web/forbidden.jinja", status=403)
    audit_record(request=request, person_id=person.pk, action=AuditAction.VIEW_AUDIT,
                 what="audit trail page")
    return render(request, "web/audit.jinja", {
        "person": person, "events": audit_for_person(person_id=person.pk),
    })


@login_required
def team(request):
    """Caseload sizes against the limits, and gaps in cover over the next two weeks."""
    staff = _clinical_or_404(request)
    today = selectors.today()
    gaps = team_selectors.cover_gaps(staff.team, start=today,
                                     end=today + timedelta(days=COVER_LOOKAHEAD_DAYS))
    audit_list(request=request, person_ids=[g.episode.person_id for g in gaps],
               what="team page: cover gaps")
    return render(request, "web/team.jinja", {
        "team": staff.team,
        "report": team_selectors.team_caseload_report(staff.team, on=today),
        "gaps": gaps,
        "lookahead": COVER_LOOKAHEAD_DAYS,
    })


def _crisis_scope(request):
    people = selectors.crisis_people_for(request.user)
    staff = selectors.staff_for(request.user)
    if staff is None or staff.team_id is None:
        raise Http404("No caseload")
    return staff, people


@login_required
def crisis_summary(request, person_id: int):
    """One printable page for the 24/7 crisis line: flags, crisis plan, warning signs,
    legal status, medication, who to call. Read-only."""
    staff, people = _crisis_scope(request)
    person = people.filter(pk=person_id).first()
    if person is None:
        raise Http404("Not on the caseload")
    audit_record(request=request, person_id=person.pk, action=AuditAction.VIEW,
                 what="crisis summary")
    return render(request, "web/crisis.jinja", {
        "summaries": [clinical.crisis_summary(person, today=selectors.today())],
        "discharged": selectors.crisis_discharges(request.user, [person.pk]),
        "single": True, "team": staff.team, "today": selectors.today(), "nav": "crisis",
    })


@login_required
def crisis_list(request):
    """Crisis summaries for the whole caseload, for the out-of-hours crisis line."""
    staff, people = _crisis_scope(request)
    people = list(people.order_by("family_name", "given_name"))
    audit_list(request=request, person_ids=[p.pk for p in people], what="crisis summaries")
    summaries = clinical.crisis_summaries(people, today=selectors.today())
    return render(request, "web/crisis.jinja", {
        "summaries": [summaries[p.pk] for p in people], "single": False, "team": staff.team,
        "discharged": selectors.crisis_discharges(request.user, [p.pk for p in people]),
        "discharged_days": selectors.crisis_discharged_days(),
        "today": selectors.today(), "nav": "crisis",
    })
