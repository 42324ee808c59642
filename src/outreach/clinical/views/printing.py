"""Plans in plain language, to print (or save as PDF) for the person and, with their
agreement, their family: the care plan, the safety and crisis plan, the relapse signature
and the advance choice document. Only the current version prints.

The PDF is the same page rendered by WeasyPrint with its print stylesheet. WeasyPrint may
fetch only this app's own static files: nothing from the network, nothing else on disk.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.clinical.models import DialogItem
from outreach.clinical.views import present
from outreach.clinical.views.common import read_scope, show, today
from outreach.clinical.views.kinds import KINDS, PRINTABLE

# WeasyPrint warns of every CSS feature of nhsuk-frontend it does not support (hundreds a
# page): none of them matters to the printed plan, and they would drown the log.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

TITLES = {
    "care-plan": "Your care plan",
    "safety-plan": "Your crisis plan",
    "relapse-signature": "Your early warning signs",
    "advance-choice": "Your advance choices",
}


def _static_only():
    """A WeasyPrint URL fetcher that serves this app's static files and refuses the rest."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            if not path.startswith(settings.STATIC_URL) or ".." in path.split("/"):
                raise ValueError(f"Not fetched for a PDF: {url}")
            try:
                found = finders.find(path[len(settings.STATIC_URL):])
            except SuspiciousFileOperation as exc:
                raise ValueError(f"Not fetched for a PDF: {url}") from exc
            if not found:
                raise ValueError(f"No such static file: {path}")
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": kind})

    return StaticOnly()


def pdf_bytes(html: str, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=_static_only()).write_pdf()


@login_required
def print_plan(request, person_id: int, kind: str):
    _, person = read_scope(request, person_id)
    if kind not in PRINTABLE:
        raise Http404("This entry does not print")
    k = KINDS[kind]
    plan = k.current(person)
    if plan is None:
        raise Http404(f"No {k.noun} recorded")
    context = {
        "kind": k, "plan": plan, "title": TITLES[kind], "today": today(),
        "overdue": getattr(plan, "review_due", None) is not None and plan.review_due < today(),
        "areas": present.areas(getattr(plan, "chosen_domains", [])),
        "ratings": sorted(plan.ratings.all(), key=lambda r: DialogItem.values.index(r.item))
        if kind == "care-plan" else [],
        "item_label": lambda item: DialogItem(item).label,
        "fmt_date": present.fmt_date,
    }
    if request.GET.get("format") == "pdf":
        audit_record(request=request, person_id=person.pk, action=AuditAction.EXPORT,
                     what=f"{k.noun} {plan.pk} exported as PDF")
        html = render_to_string("clinical/print.jinja", {"person": person, "pdf": True,
                                                         **context}, request=request)
        response = HttpResponse(pdf_bytes(html, request.build_absolute_uri("/")),
                                content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{kind}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
    return show(request, person, "clinical/print.jinja", context,
                what=f"{k.noun} {plan.pk}: printable version")
