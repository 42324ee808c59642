"""What every page of the clinical record does.

- `scope`: the signed-in clinician and the person, only if the person is in their scope
  (records.selectors.person_for); anyone else is 404. Entries are reached through the person.
- `show`: audit what the page shows (before rendering it), then render.
- `submit`: run a form through its service once. The clinical services take no submission
  key, so the form's one-time key (OneSubmissionForm) is kept in the session with the page the
  first submission went to; a second submission of the same form goes there too, and makes no
  second entry. The key is read under a lock on the session's row and saved in the request's
  transaction (ATOMIC_REQUESTS), with the entry: a second submission racing the first waits
  for it, then sees its key. An entry and its key are committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.sessions.backends.db import SessionStore as DatabaseSession
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.clinical.forms import EntryForm
from outreach.records import selectors
from outreach.records.models import Person
from outreach.records.services import STALE_EDIT, StaleEdit, ValidationFailed
from outreach.teams.models import StaffMember

SUBMITTED = "outreach.clinical.submitted"
KEYS_KEPT = 100


def scope(request, person_id: int) -> tuple[StaffMember, Person]:
    """The signed-in clinician and the person, if the person is in their scope."""
    staff = selectors.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        raise Http404("No caseload")
    person = selectors.person_for(request.user, person_id)
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


# --- One entry per form ----------------------------------------------------------------------


def _submitted(request) -> dict[str, str]:
    """Keys of the forms already saved in this session, read afresh under a row lock."""
    session = request.session
    if isinstance(session, DatabaseSession) and session.session_key:
        row = (session.model.objects.select_for_update()
               .filter(session_key=session.session_key).first())
        if row is not None:
            return dict(session.decode(row.session_data).get(SUBMITTED) or {})
    return dict(session.get(SUBMITTED) or {})


def _remember(request, key: str, url: str) -> None:
    done = _submitted(request)
    done[key] = url
    request.session[SUBMITTED] = dict(list(done.items())[-KEYS_KEPT:])
    request.session.save()  # now, in the request's transaction, with the entry


def submit(request, form: EntryForm, save: Callable[[], str]) -> HttpResponse | None:
    """Save a posted form once: a redirect when saved (or saved before), None to show the
    form again with its errors (field errors from the form or the service, or a stale edit)."""
    if form.adding_row:
        return None
    key = str(form.data.get("submission_key") or "")
    if key:
        done = _submitted(request).get(key)
        if done:
            return redirect(done)
    if not form.is_valid():
        return None
    try:
        url = save()
    except ValidationFailed as exc:
        form.add_service_errors(exc.errors)
        return None
    except StaleEdit:
        form.add_error(None, STALE_EDIT)
        form.stale = True
        return None
    if key:
        _remember(request, key, url)
    return redirect(url)


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
