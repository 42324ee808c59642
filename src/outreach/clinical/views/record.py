"""The person's clinical record: every section with its current entry, what is overdue, and
the links to record, make a new version, correct and read the history."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required

from outreach.clinical import selectors as clinical
from outreach.clinical.config import flag_config
from outreach.clinical.views import present
from outreach.clinical.views.common import read_scope, show, today
from outreach.clinical.views.kinds import KINDS
from outreach.records import selectors as records

SECTIONS = [
    ("care-plan", "Care plan (DIALOG+)"),
    ("safety-plan", "Safety and crisis plan"),
    ("advance-choice", "Advance choice document"),
    ("relapse-signature", "Relapse signature (early warning signs)"),
    ("risk-formulation", "Risk formulation"),
    ("medication", "Medication and depots"),
    ("legal", "Mental Health Act and legal status"),
    ("carers", "Families and carers"),
    ("social", "Social circumstances"),
    ("physical-health", "Physical health"),
    ("ot", "Occupational therapy"),
]


@login_required
def clinical_record(request, person_id: int):
    _, person = read_scope(request, person_id)
    on = today()
    sheet = clinical.front_sheet(person, today=on)
    notice = timedelta(days=flag_config().legal_notice_days)
    saved = KINDS.get(request.GET.get("saved", ""))
    return show(request, person, "clinical/record.jinja", {
        "sheet": sheet, "today": on, "sections": SECTIONS, "kinds": KINDS,
        "rows": present.rows, "saved": saved,
        "stopped_medicines": list(person.medications.filter(
            stopped__isnull=False, restarted__isnull=True).order_by("-stopped", "-id")),
        "detentions": list(person.mha_detentions.order_by("-start", "-id")[:3]),
        "deadline_soon": lambda d: d.due_on <= on + notice,
        "dialog_sessions": len(clinical.dialog_scores_over_time(person)),
        "recent_police": sheet.police_contacts[:3],
        "former": records.former_status(request.user, person),
    }, what="clinical record")
