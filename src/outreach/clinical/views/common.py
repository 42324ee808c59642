"""What every page of the clinical record does.

- `scope`: the signed-in clinician and the person, only if the person is in their scope
  (records.selectors.open_person_for); anyone else is 404, someone the team held before is a
  read-only page. Entries are reached through the person.
- `read_scope`: the same for pages that only read, which also reach someone the team held
  before (their record outlives the episode).
- `show`: audit what the page shows (before rendering it), then render.
- `submit`: run a form through its service once. The clinical services take no submission
  key, so the form's one-time key is kept in the session (`web.forms.handled_redirect`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.clinical.forms import EntryForm
from outreach.records import selectors
from outreach.records.models import Person
from outreach.teams.models import StaffMember
from outreach.web.forms import handled_redirect, save_form


def scope(request, person_id: int) -> tuple[StaffMember, Person]:
    """The signed-in clinician and the person, if the person is in their scope."""
    staff = selectors.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        raise Http404("No caseload")
    person = selectors.open_person_for(request.user, person_id)  # former: read only
    if person is None:
        raise Http404("Not on your caseload")
    return staff, person


def read_scope(request, person_id: int) -> tuple[StaffMember, Person]:
    """For pages that only read: also someone the team held before (discharged, or a referral
    not accepted), whose record outlives the episode."""
    staff = selectors.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        raise Http404("No caseload")
    person = selectors.person_for(request.user, person_id, include_former=True)
    if person is None:
        raise Http404("Not on your caseload")
    return staff, person


def one(queryset, pk: int):
    """An entry reached through the person (so never another person's), or 404."""
    entry = queryset.filter(pk=pk).first()
    if entry is None:
        raise Http404("No such entry")
    return entry


def show(request, person: Person, template: str, context: dict, *, what: str,
         status: int = 200, action: str = AuditAction.VIEW) -> HttpResponse:
    """Audit the read, then render: if the audit cannot be written, nothing is shown."""
    audit_record(request=request, person_id=person.pk, action=action, what=what)
    return render(request, template, {"person": person, **context}, status=status)


def submit(request, form: EntryForm, save: Callable[[], str]) -> HttpResponse | None:
    """Save a posted form once: a redirect when saved (or saved before), None to show the
    form again with its errors (field errors from the form or the service, or a stale edit).
    A press of "Add another" saves nothing; a form saved before goes where it went, checked
    before validation (the entry it saved may have made it invalid since)."""
    if form.adding_row:
        return None
    done = handled_redirect(request, str(form.data.get("submission_key") or ""))
    if done:
        return redirect(done)
    return save_form(request, form, lambda _data: save())


def status_of(form) -> int:
    """409 when someone else changed the entry first, else 200 (a form with errors)."""
    return 409 if getattr(form, "stale", False) else 200


def adding_row(request) -> str | None:
    """The list a press of "Add another" asked for one more row of, if any."""
    if request.method != "POST":
        return None
    return request.POST.get("add_row") or None


def today():
    return selectors.today()
