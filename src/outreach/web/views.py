"""Pages. Short views: every read goes through records.selectors (the user's scope), every
read of a person is audited before the page is rendered."""

from datetime import timedelta

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from outreach.audit.models import AuditAction
from outreach.audit.selectors import audit_for_person
from outreach.audit.services import audit_list, audit_record
from outreach.core.engagement import ACTIONS, EngagementState
from outreach.records import selectors
from outreach.teams import selectors as team_selectors

COVER_LOOKAHEAD_DAYS = 14
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
    staff = selectors.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        return render(request, "web/no_caseload.jinja", {"staff": staff})
    only_mine = request.GET.get("view") != "team"
    today = selectors.today()
    rows = list(selectors.caseload(request.user, on=today, only_mine=only_mine))
    for row in rows:
        row.days_since = (today - row.anchor_date).days if row.anchor_date else 0
        row.state_label = EngagementState(row.engagement_state).value.replace("_", " ")
    audit_list(request=request, person_ids=[r.pk for r in rows], what="caseload page")
    return render(request, "web/caseload.jinja", {
        "staff": staff, "rows": rows, "only_mine": only_mine, "today": today,
        "tag_class": {state.value: css for state, css in TAG_CLASS.items()},
    })


@login_required
def person_detail(request, person_id: int):
    _clinical_or_404(request)
    row = selectors.caseload(request.user).filter(pk=person_id).first()
    if row is None:
        raise Http404("Not on your caseload")
    audit_record(request=request, person_id=row.pk, action=AuditAction.VIEW, what="front sheet")
    today = selectors.today()
    state = EngagementState(row.engagement_state)
    return render(request, "web/person.jinja", {
        "person": row,
        "episode": selectors.current_episode(row),
        "days_since": (today - row.anchor_date).days if row.anchor_date else 0,
        "state_label": state.value.replace("_", " "),
        "action": ACTIONS[state],
        "carers": row.carers.all(),
        "contacts": row.contacts.select_related("staff")[:20],
        "can_view_audit": selectors.can_view_audit(request.user),
    })


@login_required
def person_audit(request, person_id: int):
    _clinical_or_404(request)
    person = selectors.person_for(request.user, person_id)
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
