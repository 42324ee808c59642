"""Events from their pages: a depot dose given, refused or missed; a depot and a medicine
stopped; a medicine restarted; a warning sign seen and resolved; a carer's concern followed
up; a CTO renewed; a Section 117 review held. Each with its field errors, one event for a
double submission, and the stale-edit message when someone else got there first."""

from datetime import timedelta

import pytest

from outreach.clinical import services
from outreach.clinical.models import DoseOutcome
from outreach.records.models import Amendment
from outreach.records.services import STALE_EDIT
from tests.clinical.conftest import add_carer, days_ago, days_ahead, today
from tests.clinical.test_pages import html, iso, post, record_url, section
from tests.conftest import login


@pytest.fixture
def depot(person, practitioner):
    return services.depot_start(person=person, by=practitioner, request=None,
                                medicine="Zuclopenthixol", dose="200 mg", interval_days=14,
                                next_due=days_ago(1), started_on=days_ago(60))


def _dose(client, person, depot, *, key=None, **fields):
    data = {"outcome": "given", "due_on": iso(depot.next_due), "given_on": iso(today()),
            "given_by": depot.recorded_by_id, "site": "dorsogluteal_left", "batch": "AB1234",
            "expected_version": depot.version, "note": ""}
    data.update(fields)
    return post(client, person, f"depot/{depot.pk}/dose/", data, key=key)


def test_dose_form_starts_from_the_dose_due(person, practitioner, depot):
    page = html(login(practitioner).get(record_url(person, f"depot/{depot.pk}/dose/")))
    assert f'value="{iso(depot.next_due)}"' in page
    assert 'name="outcome" type="radio" value="refused"' in page
    assert "Zuclopenthixol" in page


def test_record_a_dose_given_moves_the_next_due_date(person, practitioner, depot):
    client = login(practitioner)
    response = _dose(client, person, depot)
    assert response.status_code == 302
    assert response["Location"].endswith("?saved=depot#medication")
    depot.refresh_from_db()
    assert depot.next_due == today() + timedelta(days=14)
    dose = depot.doses.get()
    assert dose.outcome == DoseOutcome.GIVEN and dose.given_by == practitioner


@pytest.mark.parametrize("outcome", ["refused", "missed"])
def test_a_refused_or_missed_dose_leaves_the_depot_due_and_is_tagged(person, practitioner,
                                                                     depot, outcome):
    client = login(practitioner)
    # A date given is ignored for a dose not given (the field says "if given").
    assert _dose(client, person, depot, outcome=outcome).status_code == 302
    depot.refresh_from_db()
    assert depot.next_due == days_ago(1)
    assert depot.doses.get().given_on is None
    medication = section(html(client.get(record_url(person))), "medication")
    assert f'nhsuk-tag--red">{outcome.capitalize()}' in medication.replace("\n", "")


def test_dose_errors_save_nothing(person, practitioner, depot):
    client = login(practitioner)
    page = html(_dose(client, person, depot, given_on="2026-02-30"))
    assert "The date the dose was given must be a real date." in page
    page = html(_dose(client, person, depot, given_on=""))
    assert "Enter the date the dose was given." in page
    page = html(_dose(client, person, depot, outcome=""))
    assert "Choose whether the dose was given, refused or missed." in page
    assert not depot.doses.exists()


def test_double_submitted_dose_is_recorded_once(person, practitioner, depot):
    client = login(practitioner)
    first = _dose(client, person, depot, key="dose-once")
    second = _dose(client, person, depot, key="dose-once")
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert depot.doses.count() == 1


def test_a_dose_recorded_by_someone_else_first_is_a_stale_edit(person, practitioner, depot):
    client = login(practitioner)
    services.depot_dose_record(depot=depot, by=practitioner, request=None,
                               expected_version=1, outcome=DoseOutcome.MISSED)
    response = _dose(client, person, depot, expected_version=1)
    assert response.status_code == 409 and STALE_EDIT in html(response)
    assert depot.doses.count() == 1


def test_stop_a_depot_needs_a_reason(person, practitioner, depot):
    client = login(practitioner)
    url = f"depot/{depot.pk}/stop/"
    page = html(post(client, person, url, {"stopped_on": iso(today()), "reason": "",
                                           "expected_version": depot.version}))
    assert "Say why the depot is stopped." in page
    response = post(client, person, url, {"stopped_on": iso(today()), "reason": "Side effects",
                                          "against_advice": "on",
                                          "expected_version": depot.version})
    assert response.status_code == 302
    depot.refresh_from_db()
    assert not depot.active and depot.stopped_against_advice
    history = html(client.get(record_url(person, "depot/history/")))
    assert "Depot stopped: Side effects" in history


def test_stop_a_medicine_against_advice_then_restart_it(person, practitioner):
    medication = services.medication_start(person=person, by=practitioner, request=None,
                                           name="Lithium", dose="400 mg", frequency="nightly",
                                           started=days_ago(100))
    client = login(practitioner)
    response = post(client, person, f"medication/{medication.pk}/stop/", {
        "stopped": iso(days_ago(2)), "against_advice": "on", "expected_version": 1})
    assert response.status_code == 302
    page = section(html(client.get(record_url(person))), "medication")
    assert "Stopped against advice" in page and "Lithium 400 mg, stopped" in page
    restart = record_url(person, f"medication/{medication.pk}/restart/")
    assert 'value="400 mg"' in html(client.get(restart))
    response = post(client, person, f"medication/{medication.pk}/restart/", {
        "restarted": iso(days_ago(1)), "dose": "200 mg", "frequency": "nightly",
        "expected_version": 2})
    assert response.status_code == 302
    medication.refresh_from_db()
    assert medication.restarted == days_ago(1)
    assert person.medications.get(restarted__isnull=True, stopped__isnull=True).dose == "200 mg"


def test_a_medicine_cannot_stop_before_it_started(person, practitioner):
    medication = services.medication_start(person=person, by=practitioner, request=None,
                                           name="Lithium", dose="400 mg", frequency="nightly",
                                           started=days_ago(10))
    page = html(post(login(practitioner), person, f"medication/{medication.pk}/stop/", {
        "stopped": iso(days_ago(20)), "expected_version": 1}))
    assert "A medicine cannot be stopped before it was started" in page
    medication.refresh_from_db()
    assert medication.stopped is None


# --- Early warning signs ----------------------------------------------------------------------


@pytest.fixture
def signature(person, practitioner):
    return services.relapse_signature_create(
        person=person, by=practitioner, request=None, date=days_ago(30),
        signs=[{"sign": "Sleeping less"}, {"sign": "Hearing voices", "what_to_do": "Call"}])


def test_record_a_sign_seen_and_that_it_resolved(person, practitioner, signature):
    second = signature.signs.get(order=2)
    client = login(practitioner)
    page = html(client.get(record_url(person, f"relapse-signature/seen/?sign={second.pk}")))
    assert f'value="{second.pk}" checked' in page and "1. Sleeping less" in page
    response = post(client, person, "relapse-signature/seen/", {
        "sign": second.pk, "observed_on": iso(days_ago(2)), "note": "Talking to the wall"})
    assert response.status_code == 302
    observation = person.sign_observations.get()
    assert observation.sign == second and observation.observed_by == practitioner
    assert "1 sign seen" in section(html(client.get(record_url(person))), "relapse-signature")
    url = f"relapse-signature/seen/{observation.pk}/resolved/"
    page = html(post(client, person, url, {"cleared_on": iso(days_ago(3)),
                                           "expected_version": observation.version}))
    assert "A sign cannot resolve before it was seen" in page
    response = post(client, person, url, {"cleared_on": iso(today()),
                                          "expected_version": observation.version})
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.cleared_on == today()
    assert "sign seen" not in section(html(client.get(record_url(person))), "relapse-signature")


def test_a_sign_must_be_chosen_from_the_current_signature(person, practitioner, signature,
                                                          stranger, other_practitioner):
    theirs = services.relapse_signature_create(
        person=stranger, by=other_practitioner, request=None, date=days_ago(3),
        signs=[{"sign": "Theirs"}]).signs.get()
    response = post(login(practitioner), person, "relapse-signature/seen/", {
        "sign": theirs.pk, "observed_on": iso(today())})
    assert "Choose the sign you saw." in html(response)
    assert not person.sign_observations.exists() and not stranger.sign_observations.exists()


def test_no_relapse_signature_means_no_sign_to_record(person, practitioner):
    page = html(login(practitioner).get(record_url(person, "relapse-signature/seen/")))
    assert "No relapse signature is recorded" in page and 'name="sign"' not in page


# --- Carers, legal ----------------------------------------------------------------------------


def test_follow_up_a_carers_concern(person, practitioner):
    carer = add_carer(person)
    contact = services.carer_contact_create(person=person, carer=carer, by=practitioner,
                                            request=None, date=days_ago(3),
                                            what_they_said="Not eating", concern=True)
    client = login(practitioner)
    url = f"carer-contact/{contact.pk}/follow-up/"
    page = html(post(client, person, url, {"followed_up_on": iso(days_ago(5)), "note": "",
                                           "expected_version": 1}))
    assert "A follow-up cannot be before the concern was raised" in page
    assert "Say how the concern was followed up." in page
    response = post(client, person, url, {"followed_up_on": iso(today()),
                                          "note": "Visited with the GP",
                                          "expected_version": 1})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.followed_up_on == today() and contact.followed_up_by == practitioner
    assert "Concern not followed up" not in html(client.get(record_url(person)))


def test_renew_a_cto_keeps_the_old_dates(person, practitioner):
    cto = services.cto_create(person=person, by=practitioner, request=None,
                              start=days_ago(170), expiry=days_ahead(10),
                              renewal_due=days_ahead(5))
    client = login(practitioner)
    url = f"cto/{cto.pk}/renew/"
    page = html(post(client, person, url, {"renewed_on": iso(today()),
                                           "new_expiry": iso(days_ahead(5)),
                                           "expected_version": 1}))
    assert "The new expiry must be after the current one" in page
    page = html(post(client, person, url, {"renewed_on": "2026-04-31",
                                           "new_expiry": iso(days_ahead(190)),
                                           "expected_version": 1}))
    assert "The date of the renewal must be a real date." in page
    response = post(client, person, url, {"renewed_on": iso(today()),
                                          "new_expiry": iso(days_ahead(190)),
                                          "next_renewal_due": iso(days_ahead(180)),
                                          "expected_version": 1})
    assert response.status_code == 302
    cto.refresh_from_db()
    assert cto.expiry == days_ahead(190)
    assert Amendment.objects.get(entity="communitytreatmentorder").changes["expiry"] == [
        iso(days_ahead(10)), iso(days_ahead(190))]
    history = html(client.get(record_url(person, "cto/history/")))
    assert "CTO renewed on" in history and "<ins>" in history


def test_renewing_a_cto_twice_from_one_form_renews_it_once(person, practitioner):
    cto = services.cto_create(person=person, by=practitioner, request=None,
                              start=days_ago(170), expiry=days_ahead(10))
    client = login(practitioner)
    data = {"renewed_on": iso(today()), "new_expiry": iso(days_ahead(190)),
            "expected_version": 1}
    for _ in range(2):
        assert post(client, person, f"cto/{cto.pk}/renew/", data,
                    key="renew-once").status_code == 302
    assert Amendment.objects.filter(entity="communitytreatmentorder").count() == 1


def test_hold_a_section_117_review(person, practitioner):
    s117 = services.section117_create(person=person, by=practitioner, request=None,
                                      eligible=True, eligible_from=days_ago(400),
                                      review_due=days_ago(3))
    client = login(practitioner)
    assert "Overdue" in section(html(client.get(record_url(person))), "legal")
    url = f"section-117/{s117.pk}/review/"
    page = html(post(client, person, url, {"held_on": iso(today()),
                                           "next_review_due": iso(days_ago(1)),
                                           "expected_version": 1}))
    assert "The next review must be after this one." in page
    response = post(client, person, url, {"held_on": iso(today()),
                                          "next_review_due": iso(days_ahead(365)),
                                          "expected_version": 1})
    assert response.status_code == 302
    s117.refresh_from_db()
    assert s117.last_reviewed_on == today() and s117.review_due == days_ahead(365)
