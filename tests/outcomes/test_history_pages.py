"""Entering the history the outcomes need: saved once, audited, errors by field, scoped."""

from datetime import timedelta

from outreach.audit.models import AuditEvent
from outreach.outcomes import services
from outreach.outcomes.models import CrisisEpisode, EmploymentRecord, HospitalSpell
from tests import factories
from tests.conftest import login


def test_record_a_hospital_stay_before_acceptance(practitioner, person):
    admitted = factories.today() - timedelta(days=300)
    r = login(practitioner).post(f"/people/{person.pk}/outcomes/hospital-stay/new/", {
        "admitted_on": admitted.isoformat(),
        "discharged_on": (admitted + timedelta(days=20)).isoformat(),
        "detained": "yes", "hospital": "Synthetic Ward"})
    assert r.status_code == 302 and r["Location"].endswith("/outcomes/#history")
    spell = HospitalSpell.objects.get(person=person)
    assert spell.detained and spell.recorded_by == practitioner
    assert AuditEvent.objects.filter(person_id=person.pk, action="create",
                                     what__contains="hospital stay").exists()


def test_errors_are_reported_by_field(practitioner, person):
    future = factories.today() + timedelta(days=3)
    r = login(practitioner).post(f"/people/{person.pk}/outcomes/hospital-stay/new/", {
        "admitted_on": "", "discharged_on": future.isoformat()})
    html = r.content.decode()
    assert r.status_code == 200
    assert services.ENTER_ADMITTED in html and services.IN_FUTURE in html
    assert not HospitalSpell.objects.exists()


def test_end_before_start_is_refused(practitioner, person):
    start = factories.today() - timedelta(days=10)
    r = login(practitioner).post(f"/people/{person.pk}/outcomes/crisis-episode/new/", {
        "kind": "home_treatment", "start": start.isoformat(),
        "end": (start - timedelta(days=1)).isoformat()})
    assert services.ENDS_BEFORE in r.content.decode()
    assert not CrisisEpisode.objects.exists()


def test_record_crisis_and_employment(practitioner, person):
    client = login(practitioner)
    day = (factories.today() - timedelta(days=30)).isoformat()
    client.post(f"/people/{person.pk}/outcomes/crisis-episode/new/",
                {"kind": "place_of_safety", "start": day})
    client.post(f"/people/{person.pk}/outcomes/employment/new/",
                {"assessed_on": day, "status": "07"})
    assert CrisisEpisode.objects.get(person=person).kind == "place_of_safety"
    assert EmploymentRecord.objects.get(person=person).status == "07"
    html = client.get(f"/people/{person.pk}/outcomes/").content.decode()
    assert "Unpaid voluntary work" in html


def test_choices_are_required(practitioner, person):
    r = login(practitioner).post(f"/people/{person.pk}/outcomes/employment/new/",
                                 {"assessed_on": factories.today().isoformat()})
    assert services.CHOOSE_STATUS in r.content.decode()


def test_another_teams_person_cannot_be_written(other_practitioner, person):
    r = login(other_practitioner).post_stale(f"/people/{person.pk}/outcomes/employment/new/",
                                       {"assessed_on": "2025-01-01", "status": "01"})
    assert r.status_code == 404
    assert not EmploymentRecord.objects.exists()


def test_unknown_form_is_not_found(practitioner, person):
    assert login(practitioner).get(
        f"/people/{person.pk}/outcomes/tattoos/new/").status_code == 404
