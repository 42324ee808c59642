"""Every kind of entry through its pages: recorded from its form, nonsense dates refused with
a message and nothing saved, one entry for a double submission, and corrected with a reason
(the old values kept)."""

from datetime import date

import pytest

from outreach.clinical.views.kinds import KINDS
from outreach.records.models import Amendment
from outreach.records.services import REASON_REQUIRED
from tests.clinical.conftest import add_carer, days_ago, days_ahead, fill_record
from tests.clinical.test_pages import care_plan_data, html, iso, post, record_url
from tests.conftest import login


def valid(kind: str, person) -> dict:
    """Form data that records one entry of this kind."""
    if kind == "carer-contact":
        carer = person.carers.first() or add_carer(person)
        return {"carer": carer.pk, "date": iso(days_ago(1)),
                "what_they_said": "She is worried he is not eating", "concern": "on"}
    return {
        "care-plan": care_plan_data(),
        "safety-plan": {"date": iso(days_ago(1)), "wants_in_crisis": "Stay home",
                        "who_to_contact": "Sister"},
        "advance-choice": {"date": iso(days_ago(1)), "statements": "No depot in the thigh"},
        "relapse-signature": {"date": iso(days_ago(1)), "signs_rows": "1",
                              "signs_0_sign": "Pacing at night"},
        "risk-formulation": {"history": "h", "triggers": "t", "protective_factors": "p",
                             "what_reduces_risk": "w", "reviewed_on": iso(days_ago(1))},
        "medication": {"name": "Olanzapine", "dose": "10 mg", "frequency": "at night",
                       "started": iso(days_ago(10))},
        "depot": {"medicine": "Aripiprazole", "dose": "400 mg", "interval_days": "28",
                  "next_due": iso(days_ahead(20)), "started_on": iso(days_ago(8))},
        "detention": {"section": "3", "start": iso(days_ago(300)), "end": iso(days_ago(200))},
        "cto": {"start": iso(days_ago(30)), "expiry": iso(days_ahead(150)),
                "renewal_due": iso(days_ahead(140)), "conditions": "Live at home"},
        "section-117": {"eligible": "on", "eligible_from": iso(days_ago(30)),
                        "review_due": iso(days_ahead(300))},
        "mappa-marac": {"kind": "mappa", "level": "2", "active_since": iso(days_ago(40))},
        "social-circumstances": {"assessed_on": iso(days_ago(1)),
                                 "accommodation_status": "settled",
                                 "accommodation_since": iso(days_ago(500))},
        "police-contact": {"date": iso(days_ago(2)), "summary": "Found in the road, taken home"},
        "physical-health": {"date": iso(days_ago(3)), "bmi": "27.5", "bp_systolic": "124",
                            "bp_diastolic": "82", "smoking_status": "current"},
        "ot-assessment": {"kind": "ocairs", "date": iso(days_ago(4)),
                          "summary": "Wants to work", "goals": "Volunteer"},
    }[kind]


CREATABLE = sorted(slug for slug, k in KINDS.items() if k.create is not None)

# The date field of each form, and the message a date that does not exist gets.
NONSENSE_DATE = {
    "care-plan": ("date", "The date of the care plan must be a real date."),
    "safety-plan": ("date", "The date of the safety plan must be a real date."),
    "advance-choice": ("date", "The date of the advance choice document must be a real date."),
    "relapse-signature": ("date", "The date of the relapse signature must be a real date."),
    "risk-formulation": ("reviewed_on", "The date of the review must be a real date."),
    "medication": ("started", "The date it was started must be a real date."),
    "depot": ("next_due", "The date the next injection is due must be a real date."),
    "detention": ("start", "The date the detention started must be a real date."),
    "cto": ("expiry", "The date the CTO expires must be a real date."),
    "section-117": ("eligible_from",
                    "The date aftercare eligibility starts must be a real date."),
    "mappa-marac": ("active_since", "The date it started must be a real date."),
    "carer-contact": ("date", "The date of the contact must be a real date."),
    "social-circumstances": ("assessed_on", "The date of the assessment must be a real date."),
    "police-contact": ("date", "The date of the police contact must be a real date."),
    "physical-health": ("date", "The date of the check must be a real date."),
    "ot-assessment": ("date", "The date of the assessment must be a real date."),
}


def test_every_creatable_kind_has_a_nonsense_date_case():
    assert sorted(NONSENSE_DATE) == CREATABLE


@pytest.mark.parametrize("kind", CREATABLE)
def test_record_each_kind_of_entry(person, practitioner, kind):
    client = login(practitioner)
    assert client.get(record_url(person, f"{kind}/new/")).status_code == 200
    response = post(client, person, f"{kind}/new/", valid(kind, person))
    assert response.status_code == 302, html(response)
    assert response["Location"].startswith(record_url(person) + f"?saved={kind}#")
    assert KINDS[kind].entries(person).count() == 1
    assert f"{KINDS[kind].title}: saved." in html(client.get(response["Location"]))


@pytest.mark.parametrize("kind", CREATABLE)
def test_nonsense_dates_are_refused_and_nothing_is_saved(person, practitioner, kind):
    name, message = NONSENSE_DATE[kind]
    data = {**valid(kind, person), name: "2026-02-30"}
    response = post(login(practitioner), person, f"{kind}/new/", data)
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert f'href="#id_{name}"' in page
    assert KINDS[kind].entries(person).count() == 0


@pytest.mark.parametrize("kind", CREATABLE)
def test_double_submission_makes_one_entry(person, practitioner, kind):
    client = login(practitioner)
    data = valid(kind, person)
    first = post(client, person, f"{kind}/new/", data, key=f"twice-{kind}")
    second = client.post_again()  # the same form, as it was
    assert first.status_code == second.status_code == 302
    assert KINDS[kind].entries(person).count() == 1


def test_a_new_form_key_records_a_second_entry(person, practitioner):
    """The key stops a repeat of the same form, not a second entry made on purpose (with
    content of its own: identical content moments later is taken as the same form again)."""
    client = login(practitioner)
    post(client, person, "police-contact/new/", valid("police-contact", person))
    post(client, person, "police-contact/new/", {"date": iso(days_ago(5)),
                                                 "summary": "Stopped and searched, let go"})
    assert person.police_contacts.count() == 2


@pytest.mark.parametrize("kind,data,message", [
    ("depot", {"interval_days": "0"},
     "The interval between injections must be a whole number of days from 1 to 366."),
    ("depot", {"interval_days": "fortnightly"}, "Days between injections must be a whole "
     "number."),
    ("cto", {"start": iso(days_ago(10)), "expiry": iso(days_ago(20)), "renewal_due": ""},
     "A CTO must expire after the day it starts"),
    ("cto", {"renewal_due": iso(days_ahead(200))}, "The renewal must be due by the day the "
     "CTO expires"),
    ("detention", {"end": iso(days_ago(400))}, "A detention cannot end before it started"),
    ("medication", {"started": iso(days_ahead(3))}, "The date cannot be in the future."),
    ("mappa-marac", {"level": ""}, "Give the MAPPA level: 1, 2 or 3."),
    ("section-117", {"review_due": ""}, "Enter the date of the next review."),
    ("physical-health", {"bp_diastolic": "130"},
     "The diastolic pressure must be lower than the systolic."),
    ("physical-health", {"bmi": "heavy"}, "BMI must be a number."),
    ("physical-health", {"bmi": "400"}, "BMI must be between 10 and 80"),
    ("ot-assessment", {"summary": ""}, "Write a summary of the assessment."),
    ("carer-contact", {"what_they_said": ""}, "Write what they said."),
    ("police-contact", {"summary": "", "date": ""}, "Enter the date of the police contact."),
])
def test_entries_that_make_no_sense_are_refused(person, practitioner, kind, data, message):
    response = post(login(practitioner), person, f"{kind}/new/",
                    {**valid(kind, person), **data})
    page = html(response)
    assert response.status_code == 200 and message in page, page
    assert KINDS[kind].entries(person).count() == 0


def test_a_second_cto_in_force_is_refused(person, practitioner):
    client = login(practitioner)
    post(client, person, "cto/new/", valid("cto", person))
    response = post(client, person, "cto/new/", {**valid("cto", person),
                                                 "conditions": "Live at the hostel"})
    assert "already has a CTO in force" in html(response)
    assert person.ctos.count() == 1


def test_carer_contact_without_carers_says_to_add_them(person, practitioner):
    page = html(login(practitioner).get(record_url(person, "carer-contact/new/")))
    assert "No carers or family are recorded" in page and 'name="what_they_said"' not in page


def test_carer_contact_offers_only_this_persons_carers(person, practitioner, stranger):
    mine = add_carer(person, name="Ann Mine")
    theirs = add_carer(stranger, name="Bob Theirs")
    client = login(practitioner)
    page = html(client.get(record_url(person, f"carer-contact/new/?carer={mine.pk}")))
    assert "Ann Mine" in page and "Bob Theirs" not in page
    assert f'value="{mine.pk}" selected' in page
    response = post(client, person, "carer-contact/new/",
                    {**valid("carer-contact", person), "carer": theirs.pk})
    assert "Choose who you spoke with." in html(response)
    assert not person.carer_contacts.exists()


def test_a_carers_concern_is_a_red_flag_on_the_record(person, practitioner):
    client = login(practitioner)
    post(client, person, "carer-contact/new/", valid("carer-contact", person))
    page = html(client.get(record_url(person)))
    assert "Concern not followed up" in page and "She is worried he is not eating" in page


# --- Corrections ------------------------------------------------------------------------------


def as_post(initial: dict) -> dict:
    """A form's initial data as a browser would post it back."""
    data = {}
    for name, value in initial.items():
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, date):
            data[name] = iso(value)
        elif isinstance(value, list):
            data[name] = value
        else:
            data[name] = str(value)
    return data


CORRECTION = {
    "care-plan": ("persons_words", "Corrected words"),
    "safety-plan": ("what_helps", "A cup of tea"),
    "advance-choice": ("statements", "No haloperidol; tell my sister"),
    "relapse-signature": ("co_produced_with", "Their mum"),
    "risk-formulation": ("triggers", "Running out of money"),
    "medication": ("dose", "600 mg"),
    "depot": ("tolerance_days", "3"),
    "depot-dose": ("note", "Phoned, no answer"),
    "detention": ("end", iso(days_ago(310))),
    "cto": ("conditions", "Live at home"),
    "section-117": ("review_due", iso(days_ahead(90))),
    "mappa-marac": ("level", "3"),
    "carer-contact": ("what_they_said", "He is sleeping badly"),
    "social-circumstances": ("finances", "PIP awarded"),
    "police-contact": ("summary", "Arrested, no charge"),
    "physical-health": ("bmi", "30.5"),
    "ot-assessment": ("goals", "Volunteer at the allotment"),
}


def test_every_kind_has_a_correction_case():
    assert sorted(CORRECTION) == sorted(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_correct_each_kind_of_entry(person, practitioner, kind):
    fill_record(person, practitioner)
    k = KINDS[kind]
    entry = k.entries(person).order_by("id").first()
    client = login(practitioner)
    page = html(client.get(record_url(person, f"{kind}/{entry.pk}/amend/")))
    assert "As recorded now" in page and 'name="reason"' in page
    field, value = CORRECTION[kind]
    data = {**as_post({**k.amend_form.initial_from(entry), "expected_version": entry.version}),
            field: value}
    no_reason = post(client, person, f"{kind}/{entry.pk}/amend/", data)
    assert REASON_REQUIRED in html(no_reason)
    assert not Amendment.objects.exists()
    response = post(client, person, f"{kind}/{entry.pk}/amend/",
                    {**data, "reason": "Typed in error"})
    assert response.status_code == 302, html(response)
    amendment = Amendment.objects.get(entity=k.model_name, entity_id=entry.pk,
                                      reason="Typed in error")
    assert list(amendment.changes) == [field]
    history = html(client.get(response["Location"]))
    assert "Correction saved" in history and "Typed in error" in history
