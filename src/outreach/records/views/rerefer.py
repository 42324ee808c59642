"""The route back in: re-referring someone the team held before opens a new episode on the
same record; registering a known NHS number says what to do instead (open, re-refer, or ask);
the episode page of a former person, and what a re-referral carries forward for review.

People are reached through records.selectors (held_people_for: the user's team only), every
page that shows a person audits the read, and the write goes through
services_episode.episode_rerefer."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.clinical import selectors as clinical
from outreach.core import nhs_number
from outreach.records import selectors, services_episode
from outreach.records.forms_rerefer import ReReferForm
from outreach.records.models import ReferralSource
from outreach.web.forms import repeated, save_form


@dataclass(frozen=True)
class CarriedItem:
    """Something on the record from before the re-referral, to review in the new episode."""

    title: str
    detail: str  # what is recorded, or "" when nothing is (to record in the new episode)
    href: str


def carried_forward(person, previous, *, today) -> list[CarriedItem]:
    """The record is per person, so everything comes with a re-referral; these are what a
    clinician reviews first: the last discharge's decision record (relapse indicators, known
    risks), relapse signature, risk formulation, crisis plan, care plan, advance choices,
    carers and medication, each linked, and each said to be missing when it is."""
    sheet = clinical.front_sheet(person, today=today)
    record = reverse("clinical-record", args=[person.pk])
    items = []
    decision = getattr(previous, "discharge", None) if previous is not None else None
    if decision is not None:
        items.append(CarriedItem(
            "Discharge decision record",
            f"{decision.date:%-d %B %Y}: relapse indicators and known risks at discharge",
            reverse("discharge-record", args=[person.pk, decision.pk])))

    def add(title: str, entry, detail: str, anchor: str) -> None:
        items.append(CarriedItem(title, detail if entry else "", f"{record}#{anchor}"))

    add("Relapse signature", sheet.relapse_signature,
        f"{len(sheet.warning_signs)} early warning signs", "relapse-signature")
    risk = sheet.risk_formulation
    add("Risk formulation", risk, f"last reviewed {risk.reviewed_on:%-d %B %Y}" if risk else "",
        "risk-formulation")
    plan = sheet.safety_plan
    add("Safety and crisis plan", plan, f"agreed {plan.date:%-d %B %Y}" if plan else "",
        "safety-plan")
    care = sheet.care_plan
    add("Care plan (DIALOG+)", care, f"from {care.date:%-d %B %Y}" if care else "",
        "care-plan")
    advance = sheet.advance_choice
    add("Advance choice document", advance, f"from {advance.date:%-d %B %Y}" if advance else "",
        "advance-choice")
    add("Families and carers", sheet.carers,
        ", ".join(line.carer.name for line in sheet.carers), "carers")
    meds = [*(d.depot.medicine for d in sheet.depots), *(m.name for m in sheet.medications)]
    add("Medication and depots", meds, ", ".join(meds), "medication")
    return items


def overview_context(user, person) -> dict:
    """For the episode page: the team's earlier episodes (with their transitions and decision
    records), whether the person is a former one (read only), and after a re-referral what
    comes forward from the previous episode."""
    episodes = selectors.team_episodes(user, person)
    former = selectors.former_status(user, person)
    earlier = [e for e in episodes if not e.is_open]
    reopened = bool(earlier) and former is None and any(e.is_open for e in episodes)
    return {
        "former": former,
        "earlier": [(e, list(e.transitions.select_related("recorded_by"))) for e in earlier],
        "carried": carried_forward(person, earlier[0] if earlier else None,
                                   today=selectors.today()) if reopened else [],
    }


def known_on_register(request, form):
    """After a registration refused for a known NHS number: the person, only if the team held
    them (to open or re-refer), with the referral typed so far to carry into a re-referral."""
    if not form.is_bound or "nhs_number" not in form.errors:
        return None
    try:  # the service's error took it out of cleaned_data
        number = nhs_number.validate(form.data.get("nhs_number", ""))
    except nhs_number.InvalidNHSNumber:
        return None
    known = selectors.known_number(selectors.staff_for(request.user), number)
    if known is None or known.person is None:
        return None
    return {"known": known, "carry": {k: form.data.get(k, "") for k in
                                      ("referral_date", "referral_source", "key_worker")}}


@login_required
def rerefer(request, person_id: int):
    """Re-refer someone the team held before: a new episode on the same record."""
    staff = selectors.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        raise Http404("No caseload")
    if repeat := repeated(request):
        return repeat
    person = selectors.person_for(request.user, person_id, include_former=True)
    if person is None:
        raise Http404("Not on your caseload")
    former = selectors.former_status(request.user, person)
    if former is None:  # on the caseload already: nothing to re-refer
        return redirect(reverse("episode", args=[person.pk]))
    team_staff = selectors.team_clinicians(staff.team)
    form = None
    if former.may_rerefer:
        if request.method == "POST":
            form = ReReferForm(request.POST, team_staff=team_staff)

            def save(data) -> str:
                services_episode.episode_rerefer(
                    person=person, by=staff, request=request,
                    referral_date=data["referral_date"],
                    referral_source=data["referral_source"],
                    key_worker=next(s for s in team_staff if s.pk == data["key_worker"]),
                    note=data["note"])
                return reverse("episode", args=[person.pk]) + "?saved=rereferred"

            if saved := save_form(request, form, save):
                return saved
        else:
            initial = {"referral_date": selectors.today(), "key_worker": staff.pk}
            try:
                initial["referral_date"] = date.fromisoformat(request.GET["referral_date"])
            except (KeyError, ValueError):
                pass
            source = request.GET.get("referral_source", "")
            if source in ReferralSource.values:
                initial["referral_source"] = source
            if request.GET.get("key_worker", "").isdigit() and int(
                    request.GET["key_worker"]) in {s.pk for s in team_staff}:
                initial["key_worker"] = int(request.GET["key_worker"])
            form = ReReferForm(team_staff=team_staff, initial=initial)
    audit_record(request=request, person_id=person.pk, action=AuditAction.VIEW,
                 what="re-referral form")
    return render(request, "records/rerefer.jinja", {
        "person": person, "former": former, "form": form, "nav": "caseload",
    })
