"""Events that move an entry on: a depot dose given, refused or missed; a depot or medicine
stopped; a medicine restarted; an early warning sign seen, and resolved; a carer's concern
followed up; a CTO renewed; a Section 117 review held."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from outreach.clinical import forms, services
from outreach.clinical.views import present
from outreach.clinical.views.common import adding_row, one, scope, show, status_of, submit, today
from outreach.clinical.views.entries import form_context, givers, record_url
from outreach.clinical.views.kinds import KINDS


def _event(request, person, *, form_class, save: Callable[[forms.EntryForm], None],
           initial: dict, kind: str, heading: str, what: str, submit_label: str, entry=None,
           entry_kind: str = "", intro: str = "", form_kwargs: dict | None = None,
           blocked: tuple[str, str, str] | None = None):
    """A page with one event form: show it, or save it once and go back to the record."""
    k = KINDS[kind]
    if request.method == "POST":
        form = form_class(request.POST, adding_row=adding_row(request), **(form_kwargs or {}))

        def do() -> str:
            save(form)
            return record_url(person, k, saved=kind)

        response = submit(request, form, do)
        if response is not None:
            return response
    else:
        if entry is not None and "expected_version" in form_class.base_fields:
            initial = {"expected_version": entry.version, **initial}
        form = form_class(initial=initial, **(form_kwargs or {}))
    return show(request, person, "clinical/entry_form.jinja", form_context(
        form, kind=k, heading=heading, entry=entry, intro=intro, submit_label=submit_label,
        entry_rows=present.rows(entry_kind, entry) if entry is not None and entry_kind else [],
        back=record_url(person, k), blocked=blocked,
    ), what=what, status=status_of(form))


def _version(form) -> int:
    return form.cleaned_data["expected_version"]


@login_required
def depot_dose(request, person_id: int, depot_id: int):
    staff, person = scope(request, person_id)
    depot = one(person.depots, depot_id)
    team = givers(person)
    return _event(
        request, person, form_class=forms.DoseForm, kind="depot", entry=depot,
        entry_kind="depot", heading=f"Record a dose of {depot.medicine}",
        intro="A dose given moves the next due date on. A refused or missed dose leaves "
        "the depot due, and raises a red flag.",
        form_kwargs={"givers": team, "last_given": services.last_given_dose(depot)},
        initial={"due_on": depot.next_due, "given_on": today(),
                 "given_by": staff.pk if staff in team else None},
        save=lambda form: services.depot_dose_record(
            depot=depot, by=staff, request=request, expected_version=_version(form),
            **form.values()),
        what=f"depot {depot.pk}: dose form", submit_label="Save dose",
    )


@login_required
def depot_stop(request, person_id: int, depot_id: int):
    staff, person = scope(request, person_id)
    depot = one(person.depots, depot_id)
    return _event(
        request, person, form_class=forms.DepotStopForm, kind="depot", entry=depot,
        entry_kind="depot", heading=f"Stop {depot.medicine}",
        intro="A stopped depot leaves the lists of depots due.",
        initial={"stopped_on": today()},
        save=lambda form: services.depot_stop(
            depot=depot, by=staff, request=request, expected_version=_version(form),
            **form.values()),
        what=f"depot {depot.pk}: stop form", submit_label="Stop the depot",
    )


@login_required
def medication_stop(request, person_id: int, medication_id: int):
    staff, person = scope(request, person_id)
    medication = one(person.medications, medication_id)
    return _event(
        request, person, form_class=forms.MedicationStopForm, kind="medication",
        entry=medication, entry_kind="medication", heading=f"Stop {medication.name}",
        initial={"stopped": today()},
        save=lambda form: services.medication_stop(
            medication=medication, by=staff, request=request,
            expected_version=_version(form), **form.values()),
        what=f"medication {medication.pk}: stop form", submit_label="Save",
    )


@login_required
def medication_restart(request, person_id: int, medication_id: int):
    staff, person = scope(request, person_id)
    medication = one(person.medications, medication_id)
    return _event(
        request, person, form_class=forms.MedicationRestartForm, kind="medication",
        entry=medication, entry_kind="medication", heading=f"Restart {medication.name}",
        intro="The restart clears the red flag of a medicine stopped against advice.",
        initial={"restarted": today(), "dose": medication.dose,
                 "frequency": medication.frequency},
        save=lambda form: services.medication_restart(
            medication=medication, by=staff, request=request,
            expected_version=_version(form), **form.values()),
        what=f"medication {medication.pk}: restart form", submit_label="Save",
    )


@login_required
def sign_observed(request, person_id: int):
    staff, person = scope(request, person_id)
    signature = KINDS["relapse-signature"].current(person)
    signs = list(signature.signs.all()) if signature is not None else []
    chosen = request.GET.get("sign", "")
    return _event(
        request, person, form_class=forms.SignObservedForm, kind="relapse-signature",
        form_kwargs={"signs": signs}, heading="Record an early warning sign you saw",
        intro="A sign seen is a red flag until someone records that it has resolved.",
        initial={"observed_on": today(), "sign": int(chosen) if chosen.isdigit() else None},
        save=lambda form: services.sign_observed(by=staff, request=request,
                                                 **form.values()),
        what="early warning sign form", submit_label="Save",
        blocked=None if signs else (
            f"No relapse signature is recorded for {person.display_name}.",
            "Record their early warning signs", reverse("clinical-new",
                                                        args=[person.pk, "relapse-signature"])),
    )


@login_required
def sign_cleared(request, person_id: int, observation_id: int):
    staff, person = scope(request, person_id)
    observation = one(person.sign_observations.select_related("sign"), observation_id)
    return _event(
        request, person, form_class=forms.SignClearedForm, kind="relapse-signature",
        entry=observation,
        heading=f"The sign has resolved: {observation.sign.sign}",
        intro=f"Seen on {present.fmt_date(observation.observed_on)}.",
        initial={"cleared_on": today()},
        save=lambda form: services.sign_cleared(
            observation=observation, by=staff, request=request,
            expected_version=_version(form), **form.values()),
        what=f"early warning sign {observation.pk}: resolved form", submit_label="Save",
    )


@login_required
def carer_follow_up(request, person_id: int, contact_id: int):
    staff, person = scope(request, person_id)
    contact = one(person.carer_contacts.select_related("carer"), contact_id)
    return _event(
        request, person, form_class=forms.FollowUpForm, kind="carer-contact", entry=contact,
        entry_kind="carer-contact", heading="Follow up a concern from the family or a carer",
        intro="Following up the concern clears its red flag.",
        initial={"followed_up_on": today()},
        save=lambda form: services.carer_concern_follow_up(
            contact=contact, by=staff, request=request, expected_version=_version(form),
            **form.values()),
        what=f"carer contact {contact.pk}: follow-up form", submit_label="Save",
    )


@login_required
def cto_renew(request, person_id: int, cto_id: int):
    staff, person = scope(request, person_id)
    cto = one(person.ctos, cto_id)
    return _event(
        request, person, form_class=forms.CTORenewForm, kind="cto", entry=cto,
        entry_kind="cto", heading="Renew the community treatment order",
        intro="The old expiry and renewal dates are kept in the order's history.",
        initial={"renewed_on": today()},
        save=lambda form: services.cto_renew(
            cto=cto, by=staff, request=request, expected_version=_version(form),
            **form.values()),
        what=f"cto {cto.pk}: renewal form", submit_label="Save renewal",
    )


@login_required
def s117_review(request, person_id: int, s117_id: int):
    staff, person = scope(request, person_id)
    s117 = one(person.section117s, s117_id)
    return _event(
        request, person, form_class=forms.Section117ReviewForm, kind="section-117",
        entry=s117, entry_kind="section-117", heading="Section 117 review held",
        initial={"held_on": today()},
        save=lambda form: services.section117_review_held(
            s117=s117, by=staff, request=request, expected_version=_version(form),
            **form.values()),
        what=f"section 117 {s117.pk}: review form", submit_label="Save",
    )
