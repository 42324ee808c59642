"""A record that outlives its episode: the front sheet of someone the team held before (read
only, marked discharged, with the decision record, the whole history and the way back in), and
the search that finds the team's current and former people by name or NHS number.

Reads go through records.selectors (held_people_for: the user's team only), each audited
before the page is rendered."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_list, audit_record
from outreach.clinical import selectors as clinical
from outreach.records import selectors
from outreach.web.timeline import timeline

CONTACTS_SHOWN = 5
SEARCH_TOO_SHORT = (
    "Enter at least 2 letters of a name, or at least 4 digits of an NHS number"
)
STATUS_LABELS = {
    "on_caseload": "On the caseload",
    "referred": "Referred, waiting for a decision",
    "covering": "You are covering",
    "discharged": "Discharged",
    "not_accepted": "Referral not accepted",
    "elsewhere": "Discharged, now with another team",
}
STATUS_TAGS = {
    "on_caseload": "nhsuk-tag--green", "referred": "nhsuk-tag--blue",
    "covering": "nhsuk-tag--blue", "discharged": "nhsuk-tag--grey",
    "not_accepted": "nhsuk-tag--grey", "elsewhere": "nhsuk-tag--grey",
}


def former_front_sheet(request, person, former):
    """The front sheet of someone the team held before: read only."""
    audit_record(request=request, person_id=person.pk, action=AuditAction.VIEW,
                 what="front sheet (read only, not on the caseload)")
    today = selectors.today()
    return render(request, "web/person_former.jinja", {
        "person": person, "former": former,
        "sheet": clinical.front_sheet(person, today=today),
        "episodes": selectors.team_episodes(request.user, person),
        "contacts": person.contacts.select_related("staff")[:CONTACTS_SHOWN],
        "timeline": timeline(person),
        "can_view_audit": selectors.can_view_audit(request.user),
        "today": today, "nav": "caseload",
    })


@login_required
def search(request):
    """Find the team's current and former people by name or NHS number."""
    staff = selectors.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        raise Http404("No caseload")  # commissioners and the crisis line find nobody
    query = request.GET.get("q", "").strip()[:100]
    found = selectors.search_people(request.user, query) if query else None
    error = SEARCH_TOO_SHORT if query and found is None else None
    if found:
        audit_list(request=request, person_ids=[f.person.pk for f in found],
                   what=f"people search: {len(found)} found")
    return render(request, "web/search.jinja", {
        "query": query, "found": found, "error": error, "limit": selectors.SEARCH_LIMIT,
        "labels": STATUS_LABELS, "tags": STATUS_TAGS, "nav": "caseload",
    })
