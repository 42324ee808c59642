"""Families and carers, social circumstances, police contact, physical health, occupational
therapy."""

import pytest

from outreach.clinical import selectors, services
from outreach.clinical.config import add_months
from outreach.clinical.models import (
    CarerContact,
    OTAssessment,
    PhysicalHealthCheck,
    PoliceContact,
    SocialCircumstances,
    SubstanceUse,
)
from outreach.records.models import Amendment
from tests.clinical.conftest import add_carer, audit_whats, days_ago, days_ahead, today

# --- Families and carers ---------------------------------------------------------------------


def test_carer_contact_with_a_concern_and_its_follow_up(person, practitioner):
    carer = add_carer(person)
    contact = services.carer_contact_create(
        person=person, carer=carer, by=practitioner, request=None, date=days_ago(2),
        what_they_said="She has stopped eating and is up all night", concern=True,
    )
    sheet = selectors.front_sheet(person, today=today())
    assert sheet.carers[0].latest_contact == contact
    assert sheet.carers[0].open_concerns == (contact,)
    services.carer_concern_follow_up(contact=contact, by=practitioner, request=None,
                                     expected_version=1, followed_up_on=today(),
                                     note="Visited with her sister; crisis plan reviewed")
    contact.refresh_from_db()
    assert contact.followed_up_by == practitioner and contact.version == 2
    assert selectors.front_sheet(person, today=today()).carers[0].open_concerns == ()
    assert audit_whats(person) == ["carer contact with a concern", "carer concern followed up"]


def test_carer_follow_up_refuses_nonsense(person, practitioner):
    carer = add_carer(person)
    contact = services.carer_contact_create(person=person, carer=carer, by=practitioner,
                                            request=None, date=days_ago(2),
                                            what_they_said="worried", concern=True)
    with pytest.raises(services.ValidationFailed) as exc:
        services.carer_concern_follow_up(contact=contact, by=practitioner, request=None,
                                         expected_version=1, followed_up_on=days_ago(3),
                                         note="")
    assert set(exc.value.errors) == {"followed_up_on", "note"}
    calm = services.carer_contact_create(person=person, carer=carer, by=practitioner,
                                         request=None, date=today(), what_they_said="fine")
    with pytest.raises(services.ValidationFailed) as exc:
        services.carer_concern_follow_up(contact=calm, by=practitioner, request=None,
                                         expected_version=1, followed_up_on=today(),
                                         note="n")
    assert "contact" in exc.value.errors
    stale = CarerContact.objects.get(pk=contact.pk)  # a second worker's form, opened now
    services.carer_concern_follow_up(contact=contact, by=practitioner, request=None,
                                     expected_version=1, followed_up_on=today(), note="n")
    with pytest.raises(services.StaleEdit):
        services.carer_concern_follow_up(contact=stale, by=practitioner, request=None,
                                         expected_version=1, followed_up_on=today(),
                                         note="again")


def test_carer_of_another_person_is_refused(person, stranger, practitioner):
    carer = add_carer(stranger)
    with pytest.raises(services.ValidationFailed) as exc:
        services.carer_contact_create(person=person, carer=carer, by=practitioner,
                                      request=None, date=days_ahead(1), what_they_said="")
    assert set(exc.value.errors) == {"carer", "date", "what_they_said"}
    assert not CarerContact.objects.exists()


def test_carer_contact_amendment(person, practitioner):
    carer = add_carer(person)
    contact = services.carer_contact_create(person=person, carer=carer, by=practitioner,
                                            request=None, date=today(), what_they_said="x")
    services.carer_contact_amend(contact=contact, by=practitioner, request=None,
                                 expected_version=1, reason="it was a concern",
                                 changes={"concern": True})
    assert Amendment.objects.get(entity="carercontact").changes == {"concern": [False, True]}


# --- Social circumstances --------------------------------------------------------------------


def test_social_circumstances_are_versioned_and_keep_police_contacts(person, practitioner):
    first = services.social_circumstances_create(
        person=person, by=practitioner, request=None, assessed_on=days_ago(30),
        accommodation_status="temporary", accommodation_since=days_ago(90),
        finances="ESA; rent arrears", employment="None; wants voluntary work",
        offending_history="Shoplifting 2015",
        substance_use=[{"substance": "Alcohol", "current": True, "since": days_ago(400)}],
        police_contacts=[{"date": days_ago(40), "summary": "Welfare check"}],
    )
    second = services.social_circumstances_new_version(
        circumstances=first, by=practitioner, request=None, expected_version=1,
        assessed_on=today(), accommodation_status="settled", accommodation_since=days_ago(1),
        police_contacts=[{"date": days_ago(2), "summary": "Arrested"}],
    )
    first.refresh_from_db()
    assert first.accommodation_status == "temporary" and not first.is_current
    assert second.finances == "ESA; rent arrears"  # carried over
    assert [s.substance for s in second.substance_use.all()] == ["Alcohol"]  # carried over
    sheet = selectors.front_sheet(person, today=today())
    assert sheet.social_circumstances == second
    assert [p.summary for p in sheet.police_contacts] == ["Arrested", "Welfare check"]
    assert PoliceContact.objects.filter(person=person).count() == 2


def test_social_circumstances_refuse_nonsense_and_save_nothing(person, practitioner):
    with pytest.raises(services.ValidationFailed) as exc:
        services.social_circumstances_create(
            person=person, by=practitioner, request=None, assessed_on=days_ago(5),
            accommodation_status="castle", accommodation_since=days_ago(1),
            substance_use=[{"substance": "Cannabis", "current": "yes", "since": days_ago(1)},
                           {"substance": "cannabis ", "current": True, "since": days_ago(9)}],
            police_contacts=[{"date": days_ahead(1), "summary": ""}],
        )
    assert set(exc.value.errors) == {
        "accommodation_status", "accommodation_since", "substance_use.0.current",
        "substance_use.0.since", "substance_use.1.substance", "police_contacts.0.date",
        "police_contacts.0.summary"}
    assert not SocialCircumstances.objects.exists()
    assert not SubstanceUse.objects.exists() and not PoliceContact.objects.exists()


def test_new_version_must_say_whether_a_substance_is_still_used(person, practitioner):
    """Leaving a current substance out of the new list would drop its red flag silently."""
    first = services.social_circumstances_create(
        person=person, by=practitioner, request=None, assessed_on=days_ago(30),
        accommodation_status="settled", accommodation_since=days_ago(300),
        substance_use=[{"substance": "Crack cocaine", "current": True, "since": days_ago(60)}],
    )
    with pytest.raises(services.ValidationFailed) as exc:
        services.social_circumstances_new_version(
            circumstances=first, by=practitioner, request=None, expected_version=1,
            assessed_on=today(), substance_use=[],
        )
    assert "Crack cocaine" in exc.value.errors["substance_use"][0]
    first.refresh_from_db()
    assert first.is_current and first.version == 1


def test_accommodation_is_assessed_at_transfer_of_care(person, practitioner):
    transfer = days_ago(10)
    services.social_circumstances_create(
        person=person, by=practitioner, request=None, assessed_on=days_ago(40),
        accommodation_status="settled", accommodation_since=days_ago(400),
    )
    assert selectors.accommodation_assessed_since(person, transfer) is None
    first = person.social_circumstances.get()
    second = services.social_circumstances_new_version(
        circumstances=first, by=practitioner, request=None, expected_version=1,
        assessed_on=days_ago(3),
    )
    assert selectors.accommodation_assessed_since(person, transfer) == second


def test_police_contact_recorded_and_amended(person, practitioner):
    contact = services.police_contact_record(person=person, by=practitioner, request=None,
                                             date=days_ago(1), summary="Section 136")
    services.police_contact_amend(contact=contact, by=practitioner, request=None,
                                  expected_version=1, reason="wrong day",
                                  changes={"date": days_ago(2)})
    with pytest.raises(services.ValidationFailed) as exc:
        services.police_contact_record(person=person, by=practitioner, request=None,
                                       date=days_ahead(1), summary=" ")
    assert set(exc.value.errors) == {"date", "summary"}
    assert audit_whats(person) == ["police contact recorded",
                                   f"amended police contact {contact.pk}: date"]


# --- Physical health -------------------------------------------------------------------------


def test_physical_health_check_is_recorded_and_due_annually(person, practitioner):
    check = services.physical_health_check_create(
        person=person, by=practitioner, request=None, date=days_ago(30), bmi=27.4,
        bp_systolic=128, bp_diastolic=82, hba1c_mmol_mol=41, cholesterol_mmol_l=5.2,
        smoking_status="current", alcohol_units_week=14,
    )
    sheet = selectors.front_sheet(person, today=today())
    assert sheet.physical_health == check and not sheet.physical_health_overdue
    assert sheet.physical_health_due == add_months(days_ago(30), 12)
    assert audit_whats(person) == ["physical health check recorded"]


@pytest.mark.parametrize("kwargs, field", [
    ({"bmi": 270}, "bmi"),
    ({"bmi": 2.7}, "bmi"),
    ({"bp_systolic": 120, "bp_diastolic": 130}, "bp_diastolic"),
    ({"bp_systolic": 120}, "bp_diastolic"),
    ({"bp_systolic": 1200, "bp_diastolic": 80}, "bp_systolic"),
    ({"bp_systolic": 120.5, "bp_diastolic": 80}, "bp_systolic"),
    ({"glucose_mmol_l": 95}, "glucose_mmol_l"),  # mg/dL typed as mmol/L
    ({"hba1c_mmol_mol": 6.5}, "hba1c_mmol_mol"),  # percent typed as mmol/mol
    ({"cholesterol_mmol_l": 200}, "cholesterol_mmol_l"),
    ({"alcohol_units_week": -1}, "alcohol_units_week"),
    ({"smoking_status": "sometimes"}, "smoking_status"),
    ({}, "date"),  # nothing recorded
])
def test_physical_health_values_outside_plausible_ranges_are_refused(
    person, practitioner, kwargs, field
):
    with pytest.raises(services.ValidationFailed) as exc:
        services.physical_health_check_create(person=person, by=practitioner, request=None,
                                              date=today(), **kwargs)
    assert field in exc.value.errors
    assert not PhysicalHealthCheck.objects.exists()


def test_physical_health_overdue_lists_no_check_and_old_checks(
    person, practitioner, make_person
):
    never, recent = make_person(), make_person()
    old = services.physical_health_check_create(person=person, by=practitioner, request=None,
                                                date=days_ago(400), bmi=25.0)
    services.physical_health_check_create(person=recent, by=practitioner, request=None,
                                          date=days_ago(300), smoking_status="never")
    overdue = selectors.physical_health_overdue([person.pk, never.pk, recent.pk],
                                                today=today())
    assert [(r.person_id, r.entry_id) for r in overdue] == [(never.pk, None), (person.pk, old.pk)]
    assert overdue[1].due_on == add_months(days_ago(400), 12)
    assert selectors.front_sheet(never, today=today()).physical_health_overdue


def test_physical_health_amendment_is_range_checked(person, practitioner):
    check = services.physical_health_check_create(person=person, by=practitioner,
                                                  request=None, date=today(), bmi=25.0)
    with pytest.raises(services.ValidationFailed):
        services.physical_health_check_amend(check=check, by=practitioner, request=None,
                                             expected_version=1, reason="typo",
                                             changes={"bmi": 250.0})
    services.physical_health_check_amend(check=check, by=practitioner, request=None,
                                         expected_version=1, reason="typo",
                                         changes={"bmi": 25.5})
    assert Amendment.objects.get(entity="physicalhealthcheck").changes == {
        "bmi": [25.0, 25.5]}


# --- Occupational therapy --------------------------------------------------------------------


def test_ot_assessment(person, practitioner):
    assessment = services.ot_assessment_create(
        person=person, by=practitioner, request=None, kind="ocairs", date=days_ago(3),
        strengths="Cooks for his mother", barriers="Anxiety on buses",
        goals="Volunteer at the food bank", summary="Keen, needs graded exposure",
    )
    assert selectors.front_sheet(person, today=today()).ot_assessment == assessment
    with pytest.raises(services.ValidationFailed) as exc:
        services.ot_assessment_create(person=person, by=practitioner, request=None,
                                      kind="honos", date=today(), summary="")
    assert set(exc.value.errors) == {"kind", "summary"}
    services.ot_assessment_amend(assessment=assessment, by=practitioner, request=None,
                                 expected_version=1, reason="added goal",
                                 changes={"goals": "Volunteer; cook a meal a week"})
    assert OTAssessment.objects.get().version == 2
    assert audit_whats(person) == ["ocairs assessment recorded",
                                   f"amended ot assessment {assessment.pk}: goals"]
