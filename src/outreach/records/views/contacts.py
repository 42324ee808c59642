"""Log a contact in seconds from a phone, plan a visit, and what to do after a missed one."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from outreach.records import selectors, services
from outreach.records.forms import DNA_LIKE, ContactForm, PlannedVisitForm
from outreach.records.models import ContactMode, ContactWith
from outreach.web.forms import save_form


def _scope(request, person_id: int):
    """The signed-in clinician, the person (if on their caseload) and the open episode."""
    staff = selectors.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        raise Http404("No caseload")
    person = selectors.open_person_for(request.user, person_id)  # former: read only
    if person is None:
        raise Http404("Not on your caseload")
    return staff, person, selectors.current_episode(person)


@login_required
def contact_new(request, person_id: int):
    staff, person, episode = _scope(request, person_id)
    team_staff = selectors.team_clinicians(staff.team)
    visit = selectors.planned_visit_for(person, request.GET.get("visit"))
    if request.method == "POST":
        form = ContactForm(request.POST, team_staff=team_staff)

        def save(data) -> str:
            second = next((s for s in team_staff if s.pk == data["second_staff"]), None)
            contact = services.contact_log(
                person=person, episode=episode, by=staff, request=request,
                date=data["date"], time=data["time"], outcome=data["outcome"],
                mode=data["mode"], place=data["place"], with_whom=data["with_whom"],
                second_staff=second, duration_minutes=data["duration_minutes"],
                note=data["note"], submission_key=data["submission_key"] or None,
                planned_visit=selectors.planned_visit_for(person, data["planned_visit"]),
            )
            if contact.outcome in DNA_LIKE:
                return reverse("contact-next", kwargs={"person_id": person.pk,
                                                       "contact_id": contact.pk})
            return f"/people/{person.pk}/?logged={contact.pk}"

        if saved := save_form(request, form, save):
            return saved
    else:
        form = ContactForm(team_staff=team_staff, initial={
            "date": selectors.today(), "mode": ContactMode.FACE_TO_FACE,
            "with_whom": ContactWith.PERSON,
            "place": visit.place if visit else selectors.usual_place(person),
            "planned_visit": visit.pk if visit else None,
        })
    return render(request, "records/contact_form.jinja", {
        "person": person, "form": form, "visit": visit,
    })


@login_required
def contact_next(request, person_id: int, contact_id: int):
    """After a did-not-attend or no access: the next steps, never a discharge."""
    _, person, _ = _scope(request, person_id)
    contact = person.contacts.filter(pk=contact_id).first()
    if contact is None:
        raise Http404("No such contact")
    return render(request, "records/contact_next.jinja", {
        "person": person, "contact": contact, "carers": person.carers.all(),
        "tomorrow": selectors.today() + timedelta(days=1),
    })


@login_required
def visit_new(request, person_id: int):
    staff, person, episode = _scope(request, person_id)
    team_staff = selectors.team_clinicians(staff.team)
    if request.method == "POST":
        form = PlannedVisitForm(request.POST, team_staff=team_staff)

        def save(data) -> str:
            services.visit_plan(
                person=person, episode=episode, by=staff, request=request,
                staff=next(s for s in team_staff if s.pk == data["staff"]),
                date=data["date"], time=data["time"], place=data["place"],
                purpose=data["purpose"], submission_key=data["submission_key"] or None,
            )
            return f"/people/{person.pk}/?planned=1"

        if saved := save_form(request, form, save):
            return saved
    else:
        form = PlannedVisitForm(team_staff=team_staff, initial={
            "date": request.GET.get("date") or selectors.today(), "staff": staff.pk,
            "place": request.GET.get("place") or selectors.usual_place(person),
        })
    return render(request, "records/visit_form.jinja", {"person": person, "form": form})
