"""An MDT decision is never empty, and a decision to accept, decline or end care goes straight
to the step that does it, with its words carried; until that step is done the agenda says so."""

import re

from outreach.core import limits
from outreach.meetings.models import ItemNote
from outreach.meetings.services import CHOOSE_OUTCOME, DECISION_REQUIRED
from outreach.records.models import DischargeProposal, EpisodeStatus
from tests import factories
from tests.conftest import login


def _referral(team, practitioner, **fields):
    person = factories.make_person(team, practitioner, status=EpisodeStatus.REFERRED, **fields)
    return person, f"referral:{person.episodes.get().pk}"


def test_an_empty_mdt_decision_is_refused_and_nothing_is_marked(team, practitioner):
    person, key = _referral(team, practitioner)
    response = login(practitioner).post("/mdt/notes/", {
        "item_key": key, "person": person.pk, "outcome": "record", "decision": "  "}, page="/mdt/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    anchor = key.replace(":", "-")
    assert f'href="#decision-{anchor}"' in page and DECISION_REQUIRED.replace("'", "&#39;") in page
    assert not ItemNote.objects.exists()


def test_a_referral_decision_must_say_what_was_decided(team, practitioner):
    person, key = _referral(team, practitioner)
    response = login(practitioner).post("/mdt/notes/", {
        "item_key": key, "person": person.pk, "decision": "Sounds right for us"}, page="/mdt/")
    assert response.status_code == 400
    assert CHOOSE_OUTCOME in response.content.decode()
    assert not ItemNote.objects.exists()


def test_an_overlong_decision_is_refused(team, practitioner):
    person, key = _referral(team, practitioner)
    response = login(practitioner).post("/mdt/notes/", {
        "item_key": key, "person": person.pk, "outcome": "record",
        "decision": "x" * (limits.MDT_DECISION + 1)}, page="/mdt/")
    assert response.status_code == 400
    assert "Decision must be 2,000 characters or fewer" in response.content.decode()
    assert not ItemNote.objects.exists()


def test_accept_goes_to_the_accept_form_with_the_mdts_words(team, practitioner):
    person, key = _referral(team, practitioner)
    client = login(practitioner)
    response = client.post("/mdt/notes/", {
        "item_key": key, "person": person.pk, "outcome": "accept",
        "decision": "Accept: psychosis, two admissions this year"}, page="/mdt/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"/people/{person.pk}/referral/accept/?mdt=")
    form = client.get(response["Location"]).content.decode()
    assert "Accept: psychosis, two admissions this year" in form


def test_a_decision_not_carried_out_stays_on_the_agenda(team, practitioner):
    person, key = _referral(team, practitioner)
    client = login(practitioner)
    client.post("/mdt/notes/", {"item_key": key, "person": person.pk, "outcome": "decline",
                                "decision": "Not psychosis: back to CMHT"}, page="/mdt/")
    page = client.get("/mdt/").content.decode()
    anchor = key.replace(":", "-")
    card = page[page.index(f'id="{anchor}"'):]
    card = card[:card.index("Add an action")]
    assert "Not carried out" in card
    assert re.search(rf'href="/people/{person.pk}/referral/decline/\?mdt=\d+"', card)


def test_another_teams_note_is_not_carried(team, practitioner, other_practitioner):
    """The ?mdt= of another team's note carries nothing onto the form."""
    person, key = _referral(team, practitioner)
    login(practitioner).post("/mdt/notes/", {"item_key": key, "person": person.pk,
                                             "outcome": "accept", "decision": "Secret words"},
                             page="/mdt/")
    note = ItemNote.objects.get()
    other_person, _ = _referral(other_practitioner.team, other_practitioner)
    page = login(other_practitioner).get(
        f"/people/{other_person.pk}/referral/accept/?mdt={note.pk}").content.decode()
    assert "Secret words" not in page


def test_propose_discharge_opens_the_proposal_form_and_is_done_once_proposed(
        team, practitioner):
    person = factories.make_person(team, practitioner, accepted_days_ago=400)
    episode = person.episodes.get()
    key = f"annual:{episode.pk}"
    client = login(practitioner)
    response = client.post("/mdt/notes/", {
        "item_key": key, "person": person.pk, "outcome": "propose_discharge",
        "decision": "Well for two years: plan a step-down to the CMHT"}, page="/mdt/")
    assert response["Location"].startswith(f"/people/{person.pk}/proposals/new/?mdt=")
    assert "Well for two years" in client.get(response["Location"]).content.decode()
    assert "Not carried out" in client.get("/mdt/").content.decode()
    DischargeProposal.objects.create(
        episode=episode, reason="step_down", rationale="r", relapse_indicators="i",
        known_risks="k", route_back_in="b", proposed_by=practitioner)
    assert "Not carried out" not in client.get("/mdt/").content.decode()


def test_handover_may_just_mark_an_item_discussed(team, practitioner, person):
    factories.add_contact(person, practitioner, days_ago=20)
    key = f"engagement:{person.pk}"
    response = login(practitioner).post("/handover/notes/", {"item_key": key,
                                                             "person": person.pk},
                                        page="/handover/")
    assert response.status_code == 302
    assert ItemNote.objects.get().discussed
