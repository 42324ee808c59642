"""The JSON API refuses oversize text and dates without sense with 4xx and field errors,
never a 500 (core.limits through the schemas and the services)."""

from datetime import date

from django.test import Client

from outreach.core import limits
from outreach.records.models import Contact, Person
from tests import factories

JSON = "application/json"


def _post(path, body, auth):
    return Client().post(path, body, content_type=JSON, **auth)


def test_a_contact_dated_1901_is_400_with_the_field(person, practitioner, api_token):
    response = _post(f"/api/v1/people/{person.pk}/contacts",
                     {"date": "1901-01-01", "outcome": "attended"}, api_token(practitioner))
    assert response.status_code == 400
    (message,) = response.json()["errors"]["date"]
    assert message.startswith("The date cannot be before the person's date of birth")
    assert not Contact.objects.exists()


def test_a_110000_character_note_is_400(person, practitioner, api_token):
    response = _post(f"/api/v1/people/{person.pk}/contacts",
                     {"date": factories.today().isoformat(), "outcome": "attended",
                      "note": "x" * 110_000}, api_token(practitioner))
    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    assert not Contact.objects.exists()


def test_a_birth_in_1800_or_a_long_name_is_400(practitioner, api_token):
    body = {"nhs_number": factories.next_nhs_number(), "given_name": "Ada",
            "family_name": "Lovelace", "date_of_birth": "1800-01-01",
            "referral_date": factories.today().isoformat(), "referral_source": "gp"}
    response = _post("/api/v1/people", body, api_token(practitioner))
    assert response.status_code == 400
    assert response.json()["errors"]["date_of_birth"] == [limits.BEFORE_1900]
    response = _post("/api/v1/people", body | {"date_of_birth": "1980-01-01",
                                              "family_name": "L" * 101},
                     api_token(practitioner))
    assert response.status_code == 400
    assert "family_name" in response.json()["errors"]
    assert not Person.objects.exists()


def test_a_long_address_is_400(person, practitioner, api_token):
    response = Client().patch(
        f"/api/v1/people/{person.pk}", {"version": person.version, "reason": "typo",
                                        "address": "a" * (limits.ADDRESS + 1)},
        content_type=JSON, **api_token(practitioner))
    assert response.status_code == 400
    assert "address" in response.json()["errors"]


def test_a_discharge_before_acceptance_is_422(person, practitioner, api_token):
    from outreach.records.models import DischargeProposal

    episode = person.episodes.get()
    DischargeProposal.objects.create(
        episode=episode, reason="step_down", rationale="r", relapse_indicators="i",
        known_risks="k", route_back_in="b", shared_with=["GP"], receiving_team="CMHT",
        proposed_by=practitioner, decided="agreed", decided_by=practitioner,
        decided_on=date(2000, 1, 1))
    response = _post(f"/api/v1/people/{person.pk}/discharge", {
        "date": "2001-01-01", "episode_version": episode.version}, api_token(practitioner))
    assert response.status_code == 422
    assert response.json()["errors"]["date"][0].startswith("The date of discharge cannot be")
    episode.refresh_from_db()
    assert episode.is_open

