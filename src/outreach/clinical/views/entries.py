"""Record an entry, make a new version of a plan, correct an entry, and read its history.

One set of views serves every kind of entry (kinds.KINDS): the form and the service differ,
the steps do not.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse

from outreach.clinical.forms import NOTHING_CHANGED
from outreach.clinical.models import LIFE_DOMAINS, TREATMENT_ASPECTS, DialogItem
from outreach.clinical.views import present
from outreach.clinical.views.common import (
    adding_row,
    one,
    read_scope,
    scope,
    show,
    status_of,
    submit,
    today,
)
from outreach.clinical.views.kinds import Kind, kind_or_404
from outreach.records.selectors import current_episode, team_clinicians
from outreach.records.services import ValidationFailed
from outreach.teams.models import StaffMember

# What the history page reads with each kind, so that it makes a fixed number of queries.
RELATED = {
    "care-plan": (("recorded_by",), ("actions", "ratings")),
    "relapse-signature": (("recorded_by",), ("signs",)),
    "social-circumstances": (("recorded_by",), ("substance_use",)),
    "carer-contact": (("recorded_by", "carer", "followed_up_by"), ()),
    "depot": (("recorded_by",), ("doses", "doses__given_by")),
}


def record_url(person, kind: Kind | None = None, *, saved: str = "") -> str:
    url = reverse("clinical-record", args=[person.pk])
    if saved:
        url += f"?saved={saved}"
    return url + (f"#{kind.section}" if kind else "")


def history_url(person, kind: Kind) -> str:
    return reverse("clinical-history", args=[person.pk, kind.slug])


def givers(person) -> list:
    """Who may be named as having given a depot dose: the clinicians of the person's team."""
    episode = current_episode(person)
    return team_clinicians(episode.team) if episode is not None else []


def _form_kwargs(kind: Kind, person) -> dict:
    if kind.slug == "carer-contact":
        return {"carers": list(person.carers.order_by("-is_main_carer", "name", "id"))}
    if kind.slug == "depot-dose":
        # A correction keeps who gave a dose a choice even if they have left the team since.
        past = StaffMember.objects.filter(pk__in=person.depot_doses.exclude(
            given_by=None).values("given_by"))
        return {"givers": list({s.pk: s for s in [*past, *givers(person)]}.values())}
    return {}


def form_context(form, **context) -> dict:
    """What the entry form template needs besides the form."""
    return {
        "form": form,
        "life_domains": [(i, DialogItem(i).label) for i in LIFE_DOMAINS],
        "treatment_aspects": [(i, DialogItem(i).label) for i in TREATMENT_ASPECTS],
        **context,
    }


@login_required
def entry_new(request, person_id: int, kind: str):
    staff, person = scope(request, person_id)
    k = kind_or_404(kind)
    if k.create is None:
        raise Http404("Recorded from its depot")
    current = k.current(person) if k.versioned else None
    extra = _form_kwargs(k, person)
    if request.method == "POST":
        form = k.form(request.POST, adding_row=adding_row(request), **extra)

        def save() -> str:
            k.create(person=person, by=staff, request=request, **form.values())
            return record_url(person, k, saved=k.slug)

        response = submit(request, form, save)
        if response is not None:
            return response
    else:
        initial = {**k.create_initial, **{name: today() for name in k.today_fields}}
        if k.slug == "carer-contact" and request.GET.get("carer", "").isdigit():
            initial["carer"] = int(request.GET["carer"])
        form = k.form(initial=initial, **extra)
    return show(request, person, "clinical/entry_form.jinja", form_context(
        form, kind=k, heading=f"Record {_a(k.noun)}", submit_label="Save",
        current=current, back=record_url(person, k),
        blocked=(f"No carers or family are recorded for {person.display_name}. Add them to "
                 "the person's record first.", "Back to their record",
                 reverse("person", args=[person.pk]))
        if k.slug == "carer-contact" and not extra["carers"] else None,
    ), what=f"{k.noun}: new entry form", status=status_of(form))


@login_required
def entry_new_version(request, person_id: int, kind: str, entry_id: int):
    staff, person = scope(request, person_id)
    k = kind_or_404(kind)
    if not k.versioned:
        raise Http404("Not a versioned entry")
    entry = one(k.entries(person), entry_id)
    if request.method == "POST":
        form = k.version_form(request.POST, adding_row=adding_row(request))

        def save() -> str:
            k.new_version(**{k.arg: entry}, by=staff, request=request,
                          expected_version=form.cleaned_data["expected_version"],
                          **form.values())
            return record_url(person, k, saved=k.slug)

        response = submit(request, form, save)
        if response is not None:
            return response
    else:
        initial = k.form.initial_from(entry)
        initial.update({name: today() for name in k.today_fields})
        initial.update({name: None for name in k.blank_on_version})
        initial["expected_version"] = entry.version
        form = k.version_form(initial=initial)
    return show(request, person, "clinical/entry_form.jinja", form_context(
        form, kind=k, heading=f"New version of the {k.noun}", entry=entry,
        intro="Start from the current version and change what has changed. The current "
        "version is kept, unchanged, in the history.",
        not_current=not entry.is_current, current=k.current(person),
        submit_label="Save new version", back=record_url(person, k),
    ), what=f"{k.noun} {entry.pk}: new version form", status=status_of(form))


@login_required
def entry_amend(request, person_id: int, kind: str, entry_id: int):
    staff, person = scope(request, person_id)
    k = kind_or_404(kind)
    entry = one(k.entries(person), entry_id)
    extra = _form_kwargs(k, person)
    if request.method == "POST":
        form = k.amend_form(request.POST, **extra)

        def save() -> str:
            changes = form.changes(entry)
            if not changes:
                raise ValidationFailed({"changes": [NOTHING_CHANGED]})
            k.amend(**{k.arg: entry}, by=staff, request=request,
                    expected_version=form.cleaned_data["expected_version"],
                    reason=form.cleaned_data["reason"], changes=changes)
            return f"{history_url(person, k)}?amended={entry.pk}#entry-{entry.pk}"

        response = submit(request, form, save)
        if response is not None:
            return response
    else:
        initial = k.amend_form.initial_from(entry)
        initial["expected_version"] = entry.version
        form = k.amend_form(initial=initial, **extra)
    return show(request, person, "clinical/entry_form.jinja", form_context(
        form, kind=k, heading=f"Correct the {k.noun}", entry=entry, amend=True,
        entry_rows=present.rows(k.slug, entry),
        intro="Correct a recording error. The entry as it was is kept in its history, with "
        "your reason. If the plan itself has changed, make a new version instead.",
        submit_label="Save correction", back=history_url(person, k),
    ), what=f"{k.noun} {entry.pk}: correction form", status=status_of(form))


@login_required
def entry_history(request, person_id: int, kind: str):
    """Every entry of a kind (every version of a plan), newest first, read-only, each with
    its corrections: what changed, from what to what, who changed it and why."""
    _, person = read_scope(request, person_id)
    k = kind_or_404(kind)
    select, prefetch = RELATED.get(k.slug, (("recorded_by",), ()))
    entries = k.entries(person).select_related(*select).prefetch_related(*prefetch)
    if k.versioned:
        entries = entries.select_related("superseded_by")
    entries = list(entries.order_by("-id"))
    amendments: dict[int, list] = {}
    labels = present.field_labels(k.amend_form, *(f for f in (k.form,) if f))
    for a in person.amendments.filter(
        entity=k.model_name, entity_id__in=[e.pk for e in entries]
    ).select_related("amended_by").order_by("amended_at", "id"):
        amendments.setdefault(a.entity_id, []).append((a, present.changes(a, labels)))
    observations = []
    if k.slug == "relapse-signature":
        observations = list(person.sign_observations.select_related(
            "sign", "observed_by", "cleared_by").order_by("-observed_on", "-id"))
    amended = request.GET.get("amended", "")
    return show(request, person, "clinical/history.jinja", {
        "kind": k,
        "items": [{
            "entry": e, "rows": present.rows(k.slug, e),
            "dated": present.fmt_date(getattr(e, k.dated)),
            "current": e.is_current if k.versioned else None,
            "amendments": amendments.get(e.pk, []),
            "doses": [(d, present.rows("depot-dose", d)) for d in e.doses.all()]
            if k.slug == "depot" else [],
        } for e in entries],
        "amended": int(amended) if amended.isdigit() else None,
        "observations": observations,
        "back": record_url(person, k),
    }, what=f"{k.noun}: history")


UNCOUNTED = ("social circumstances", "section 117 aftercare", "MAPPA or MARAC involvement")


def _a(noun: str) -> str:
    if noun in UNCOUNTED:
        return noun
    return ("an " if noun[:1].lower() in "aeiou" or noun.startswith("OT") else "a ") + noun
