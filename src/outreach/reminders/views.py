"""Send a reminder for a planned visit, and the team's outbox. Every read goes through the
user's scope (records.selectors, reminders.selectors) and is audited before rendering."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_list, audit_record
from outreach.records import selectors as records
from outreach.records.services import ValidationFailed
from outreach.reminders import selectors, services
from outreach.reminders.forms import ReminderForm
from outreach.reminders.models import Channel, Status
from outreach.web.forms import save_form


def _clinician(request):
    staff = records.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        raise Http404("No caseload")
    return staff


@login_required
def visit_reminder(request, person_id: int, visit_id: int):
    """What the reminder for a visit will be, and the button that puts it in the outbox."""
    staff = _clinician(request)
    person = records.person_for(request.user, person_id)
    if person is None:
        raise Http404("Not on your caseload")
    visit = records.planned_visit_for(person, visit_id)
    if visit is None:
        raise Http404("No such planned visit")
    form = ReminderForm(request.POST or None)

    def save(data) -> str:
        reminder = services.reminder_for_visit(
            visit=visit, by=staff, request=request,
            submission_key=data["submission_key"] or None,
        )
        return f"{reverse('outbox')}?queued={reminder.pk}"

    if saved := save_form(request, form, save):
        return saved
    try:
        plan, refusal = services.plan_for_visit(visit), None
    except ValidationFailed as exc:
        plan, refusal = None, [m for messages in exc.errors.values() for m in messages]
    audit_record(request=request, person_id=person.pk, action=AuditAction.VIEW,
                 what=f"reminder for visit {visit.pk}")
    return render(request, "reminders/visit_reminder.jinja", {
        "person": person, "visit": visit, "form": form, "plan": plan, "refusal": refusal,
        "Channel": Channel,
    })


@login_required
def outbox(request):
    """Queued and failed reminders and phone calls to make, for the user's people."""
    _clinician(request)
    rows = selectors.outbox_for(request.user)
    for row in rows:
        # Checked against the record as it is now, so nobody uses a number no longer given.
        row.problem = (
            services.reason_not_to_send(row, row.person, row.carer, row.planned_visit)
            if row.status == Status.QUEUED else None
        )
    audit_list(request=request, person_ids=sorted({r.person_id for r in rows}),
               what="reminders outbox")
    return render(request, "reminders/outbox.jinja", {
        "calls": [r for r in rows if r.status == Status.QUEUED and r.is_task],
        "waiting": [r for r in rows if r.status == Status.QUEUED and not r.is_task],
        "failed": [r for r in rows if r.status == Status.FAILED],
        "queued_id": request.GET.get("queued"),
        "done": request.GET.get("done"),
    })


def _scoped_reminder(request, reminder_id: int):
    staff = _clinician(request)
    reminder = selectors.reminder_for(request.user, reminder_id)
    if reminder is None:
        raise Http404("No such reminder")
    return staff, reminder


@login_required
@require_POST
def reminder_mark_sent(request, reminder_id: int):
    staff, reminder = _scoped_reminder(request, reminder_id)
    try:
        reminder = services.mark_sent(reminder=reminder, by=staff, request=request)
    except ValidationFailed:
        return redirect(f"{reverse('outbox')}?done=gone")
    done = "sent" if reminder.status == Status.SENT else "not-sent"
    return redirect(f"{reverse('outbox')}?done={done}")


@login_required
@require_POST
def reminder_cancel(request, reminder_id: int):
    staff, reminder = _scoped_reminder(request, reminder_id)
    try:
        services.cancel(reminder=reminder, by=staff, request=request)
    except ValidationFailed:
        return redirect(f"{reverse('outbox')}?done=gone")
    return redirect(f"{reverse('outbox')}?done=cancelled")
