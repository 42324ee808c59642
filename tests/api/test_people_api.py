"""JSON API v1: token auth, scoping (404 for other teams), field errors, the discharge
guard (422), stale edits (409), the audit trail (manager only)."""

from django.test import Client

from outreach.audit.models import AuditEvent
from outreach.records.models import Contact, Episode, EpisodeStatus, Person, RefusedDischarge
from outreach.records.services_episode import MDT_DECISION_REQUIRED
from tests import factories

JSON = "application/json"


def test_token_needs_the_right_password(practitioner):
    """A wrong password gets 401 and no token."""
    response = Client().post("/api/v1/auth/token",
                             {"username": "practitioner", "password": "wrong"}, content_type=JSON)
    assert response.status_code == 401
    assert "token" not in response.json()


def test_requests_without_a_token_are_refused(person):
    """No bearer token, no data."""
    assert Client().get("/api/v1/people").status_code == 401
    assert Client().get("/api/v1/people", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_openapi_schema_is_published(db):
    """The schema documents every v1 path."""
    schema = Client().get("/api/v1/openapi.json").json()
    for path in ("/api/v1/people", "/api/v1/people/{person_id}", "/api/v1/auth/token",
                 "/api/v1/people/{person_id}/contacts", "/api/v1/people/{person_id}/discharge",
                 "/api/v1/people/{person_id}/audit"):
        assert path in schema["paths"]


def test_people_lists_the_caseload_with_engagement(person, stranger, practitioner, api_token):
    """The list holds the caller's team's people with their engagement, and audits each."""
    factories.add_contact(person, practitioner, days_ago=8)
    response = Client().get("/api/v1/people", **api_token(practitioner))
    assert response.status_code == 200
    body = response.json()
    assert [p["id"] for p in body] == [person.pk]
    row = body[0]
    assert row["nhs_number"] == person.nhs_number
    assert row["key_worker"] == practitioner.name
    assert row["engagement"]["state"] == "overdue"
    assert row["engagement"]["days_since_last_successful_contact"] == 8
    assert AuditEvent.objects.filter(person_id=person.pk, action="list").count() == 1
    assert not AuditEvent.objects.filter(person_id=stranger.pk).exists()


def test_another_teams_person_is_not_found(stranger, practitioner, api_token):
    """Another team's person is 404 on every person endpoint, indistinguishable from absent."""
    auth = api_token(practitioner)
    client = Client()
    assert client.get(f"/api/v1/people/{stranger.pk}", **auth).status_code == 404
    assert client.get("/api/v1/people/999999", **auth).status_code == 404
    post = client.post(f"/api/v1/people/{stranger.pk}/contacts",
                       {"date": str(factories.today()), "outcome": "attended"},
                       content_type=JSON, **auth)
    assert post.status_code == 404
    assert not Contact.objects.filter(person=stranger).exists()


def test_commissioner_gets_no_identifiable_data(person, commissioner, api_token):
    """Commissioners are refused the people endpoints outright."""
    auth = api_token(commissioner)
    assert Client().get("/api/v1/people", **auth).status_code == 403
    assert Client().get(f"/api/v1/people/{person.pk}", **auth).status_code == 403


def test_person_detail_is_audited(person, practitioner, api_token):
    """Reading a record writes a view event naming who and which person."""
    response = Client().get(f"/api/v1/people/{person.pk}", **api_token(practitioner))
    assert response.status_code == 200
    assert response.json()["nhs_number"] == person.nhs_number
    event = AuditEvent.objects.get(person_id=person.pk, action="view")
    assert event.username == "practitioner"


def test_create_person_validates_the_nhs_number(practitioner, api_token):
    """A bad check digit is a 400 with a field error, and nothing is saved."""
    payload = {"nhs_number": "9434765918", "given_name": "Ada", "family_name": "Test",
               "date_of_birth": "1980-01-02", "referral_date": str(factories.today()),
               "referral_source": "gp"}
    response = Client().post("/api/v1/people", payload, content_type=JSON,
                             **api_token(practitioner))
    assert response.status_code == 400
    assert "nhs_number" in response.json()["errors"]
    assert not Person.objects.filter(family_name="Test").exists()


def test_create_person_opens_a_referral_with_a_key_worker(practitioner, api_token):
    """A new person is on the creator's team caseload, with the creator as key worker."""
    payload = {"nhs_number": "943 476 5919", "given_name": "Ada", "family_name": "Test",
               "date_of_birth": "1980-01-02", "referral_date": str(factories.today()),
               "referral_source": "gp"}
    response = Client().post("/api/v1/people", payload, content_type=JSON,
                             **api_token(practitioner))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["nhs_number"] == "9434765919"
    assert body["key_worker"] == practitioner.name
    assert body["episode_status"] == EpisodeStatus.REFERRED


def test_missing_fields_are_field_errors(practitioner, api_token):
    """Schema errors are 400s naming the field, like service errors."""
    response = Client().post("/api/v1/people", {"nhs_number": "9434765919"}, content_type=JSON,
                             **api_token(practitioner))
    assert response.status_code == 400
    assert "given_name" in response.json()["errors"]


def test_log_a_contact_updates_engagement(person, practitioner, api_token):
    """A face-to-face attended contact today puts the person back on track."""
    auth = api_token(practitioner)
    response = Client().post(f"/api/v1/people/{person.pk}/contacts",
                             {"date": str(factories.today()), "outcome": "attended"},
                             content_type=JSON, **auth)
    assert response.status_code == 201, response.content
    detail = Client().get(f"/api/v1/people/{person.pk}", **auth).json()
    assert detail["engagement"]["state"] == "on_track"
    assert detail["engagement"]["contacts_this_week"] == 1


def test_contact_with_a_bad_outcome_is_a_field_error(person, practitioner, api_token):
    """An unknown outcome names the field and saves nothing."""
    response = Client().post(f"/api/v1/people/{person.pk}/contacts",
                             {"date": str(factories.today()), "outcome": "maybe"},
                             content_type=JSON, **api_token(practitioner))
    assert response.status_code == 400
    assert "outcome" in response.json()["errors"]
    assert not Contact.objects.exists()


def _agreed(person, proposer, *, reason="step_down", **handover):
    """An end of care proposed and agreed at the MDT by the team's consultant (the service
    would refuse the proposal for someone not engaged, so it is written as agreed here)."""
    from outreach.records.models import DischargeProposal
    from outreach.teams.models import Discipline, Role

    consultant = factories.make_staff(proposer.team, role=Role.CONSULTANT,
                                      discipline=Discipline.PSYCHIATRIST)
    return DischargeProposal.objects.create(
        episode=person.episodes.get(), reason=reason, rationale="Well for two years",
        relapse_indicators="Sleep", known_risks="Stops medication",
        route_back_in="CMHT refers same day", shared_with=["GP", "the person"],
        proposed_by=proposer, decided="agreed", decided_by=consultant,
        decided_on=factories.today(), mdt_held_on=factories.today(),
        receiving_team=handover.get("receiving_team", "Leeds East CMHT"))


def _discharge(person, auth, **overrides):
    episode = person.episodes.get()
    payload = {"date": str(factories.today()), "episode_version": episode.version}
    payload.update(overrides)
    return Client().post(f"/api/v1/people/{person.pk}/discharge", payload, content_type=JSON,
                         **auth)


def test_discharge_without_the_mdts_agreement_is_refused(person, practitioner, api_token):
    """Nobody discharges alone: 422 naming the MDT step; nothing changes."""
    response = _discharge(person, api_token(practitioner))
    assert response.status_code == 422
    assert MDT_DECISION_REQUIRED in response.json()["errors"]["proposal"]
    assert Episode.objects.get(person=person).status == EpisodeStatus.ACCEPTED


def test_discharge_of_someone_not_engaged_is_refused_even_when_agreed(person, practitioner,
                                                                      api_token):
    """The record is judged on the day: unseen since acceptance, so refused with the rule,
    the episode stays open, and the attempt is counted and audited."""
    _agreed(person, practitioner)
    response = _discharge(person, api_token(practitioner))
    assert response.status_code == 422
    assert "while they are not engaged" in response.json()["errors"]["engagement"][0]
    assert Episode.objects.get(person=person).status == EpisodeStatus.ACCEPTED
    assert RefusedDischarge.objects.get(episode__person=person).not_engaged
    assert AuditEvent.objects.filter(person_id=person.pk, action="discharge_refused").exists()


def test_discharge_carries_out_the_agreed_end_of_care(person, practitioner, api_token):
    """Seen twice a week: the agreed step-down closes the episode and leaves the caseload."""
    factories.seen_twice_a_week(person, practitioner)
    _agreed(person, practitioner)
    auth = api_token(practitioner)
    response = _discharge(person, auth)
    assert response.status_code == 200, response.content
    assert response.json()["engaged"] is True
    episode = Episode.objects.get(person=person)
    assert episode.status == EpisodeStatus.DISCHARGED
    assert episode.discharge.shared_with == ["GP", "the person"]
    assert Client().get(f"/api/v1/people/{person.pk}", **auth).status_code == 404


def test_stale_discharge_is_refused(person, practitioner, api_token):
    """A discharge based on an old read of the episode is refused with 409."""
    factories.seen_twice_a_week(person, practitioner)
    _agreed(person, practitioner)
    Episode.objects.filter(person=person).update(version=5)
    response = _discharge(person, api_token(practitioner), episode_version=4)
    assert response.status_code == 409
    assert Episode.objects.get(person=person).status == EpisodeStatus.ACCEPTED


def test_stale_edit_is_refused_and_fresh_edit_amends(person, practitioner, api_token):
    """PATCH with an old version is 409 and changes nothing; with the current one it is
    saved and the original kept as an amendment."""
    auth = api_token(practitioner)
    ok = Client().patch(f"/api/v1/people/{person.pk}",
                        {"version": 1, "reason": "moved", "postcode": "M1 1AA"},
                        content_type=JSON, **auth)
    assert ok.status_code == 200, ok.content
    stale = Client().patch(f"/api/v1/people/{person.pk}",
                           {"version": 1, "reason": "typo", "postcode": "M2 2BB"},
                           content_type=JSON, **auth)
    assert stale.status_code == 409
    person.refresh_from_db()
    assert person.postcode == "M1 1AA"
    amendment = person.amendments.get()
    assert amendment.changes == {"postcode": ["", "M1 1AA"]}
    assert amendment.reason == "moved"


def test_audit_trail_is_for_the_manager_only(person, practitioner, manager, api_token):
    """The practitioner gets 403; the manager sees who read the record."""
    Client().get(f"/api/v1/people/{person.pk}", **api_token(practitioner))
    assert Client().get(f"/api/v1/people/{person.pk}/audit",
                        **api_token(practitioner)).status_code == 403
    response = Client().get(f"/api/v1/people/{person.pk}/audit", **api_token(manager))
    assert response.status_code == 200
    assert any(e["username"] == "practitioner" and e["action"] == "view"
               for e in response.json())
