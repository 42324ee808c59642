"""Referral, acceptance, transitions and discharge in the browser: register and refer, accept or
decline against the chapter 2 criteria, step up / admission / step down, discharge through the
guard with a printable decision record, a discharge proposed for the MDT, the annual review,
a change of key worker; scoping, double submission, stale edits and the audit trail."""

from datetime import timedelta

import pytest
from markupsafe import escape

from outreach.audit.models import AuditAction, AuditEvent
from outreach.core import eligibility
from outreach.core.nhs_number import BAD_CHECK_DIGIT
from outreach.records import services
from outreach.records.models import (
    AnnualReview,
    DischargeDecision,
    DischargeProposal,
    Episode,
    EpisodeStatus,
    KeyWorkerAssignment,
    Person,
    RefusedDischarge,
    Transition,
)
from tests import factories
from tests.conftest import login


def _html(response) -> str:
    return response.content.decode()


def _has(html: str, message: str) -> bool:
    return str(escape(message)) in html


def _episode(person) -> Episode:
    return person.episodes.get()


@pytest.fixture
def referral(team, practitioner):
    return factories.make_person(team, practitioner, status=EpisodeStatus.REFERRED)


RECORD = {
    "rationale": "Well for two years, wants to move to the CMHT",
    "relapse_indicators": "Stops sleeping, talks about the neighbours",
    "known_risks": "Self-neglect within weeks",
    "route_back_in": "Sister or GP calls the duty line; re-referral fast-tracked",
    "shared_with": ["The person", "Their GP"],
    "shared_with_other": "housing officer",
}


# Registration


def _register(client, staff, **fields):
    data = {"nhs_number": factories.next_nhs_number(), "given_name": "Ada",
            "family_name": "Lovelace", "date_of_birth": "1980-03-01",
            "referral_date": factories.today().isoformat(), "referral_source": "cmht",
            "key_worker": staff.pk, "submission_key": "r-1"}
    data.update(fields)
    return client.post("/people/new/", data)


def test_register_with_a_bad_nhs_number_shows_a_field_error_and_saves_nothing(practitioner):
    """A wrong check digit is reported next to the NHS number; no person, no episode."""
    response = _register(login(practitioner), practitioner, nhs_number="943 476 5918")
    html = _html(response)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert _has(html, BAD_CHECK_DIGIT)
    assert 'href="#id_nhs_number"' in html
    assert not Person.objects.exists() and not Episode.objects.exists()


def test_register_refers_with_the_chosen_key_worker(team, practitioner, manager):
    """A good registration opens a referral with the key worker chosen, and is audited."""
    client = login(practitioner)
    assert 'name="nhs_number"' in _html(client.get("/people/new/"))
    response = _register(client, manager, nhs_number="943 476 5919")
    person = Person.objects.get(nhs_number="9434765919")
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/episode/?saved=registered"
    episode = _episode(person)
    assert episode.status == EpisodeStatus.REFERRED and episode.team == team
    assert episode.key_workers.get(end__isnull=True).staff == manager
    assert AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.CREATE).exists()
    page = _html(client.get(response["Location"]))
    assert "Accept onto the caseload" in page and "Registered and referred" in page


def test_register_missing_fields_are_reported_together(practitioner):
    """Blank names, dates and source are each reported; nothing is saved."""
    html = _html(_register(login(practitioner), practitioner, given_name="", family_name="",
                           date_of_birth="1980-02-31", referral_source=""))
    for message in ("Enter the person&#39;s given name", "Enter the person&#39;s family name",
                    "Enter a real date", "Choose who referred them"):
        assert message in html
    assert not Person.objects.exists()


def test_register_twice_creates_one_person(practitioner):
    """The same registration posted twice (a double tap) registers one person."""
    client = login(practitioner)
    number = factories.next_nhs_number()
    first = _register(client, practitioner, nhs_number=number)
    second = _register(client, practitioner, nhs_number=number)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Person.objects.count() == 1


# Accept or decline


def _accept(client, person, *, stale=False, **fields):
    today = factories.today().isoformat()
    data = {"criteria": ["psychosis", "multiple_social_needs"], "other_reason": "",
            "assessment_date": today, "accepted_date": today,
            "version": _episode(person).version, "submission_key": "a-1"}
    data.update(fields)
    # stale: posted from a page opened before the episode changed (no form today).
    post = client.post_stale if stale else client.post
    return post(f"/people/{person.pk}/referral/accept/", data)


def test_accept_without_psychosis_is_refused_with_the_rule(referral, practitioner):
    """Acceptance needs psychosis: the rule is shown next to the criteria, nothing changes."""
    client = login(practitioner)
    page = _html(client.get(f"/people/{referral.pk}/referral/accept/"))
    assert _has(page, eligibility.DESCRIPTIONS[eligibility.Criterion.PSYCHOSIS])
    html = _html(_accept(client, referral, criteria=["family_concern"]))
    assert _has(html, eligibility.PSYCHOSIS_REQUIRED)
    assert 'href="#id_criteria_0"' in html
    assert _episode(referral).status == EpisodeStatus.REFERRED
    assert not Transition.objects.exists()


def test_accept_against_the_criteria(referral, practitioner):
    """Psychosis and another need: accepted, with the criteria and a transition."""
    response = _accept(login(practitioner), referral)
    assert response.status_code == 302
    episode = _episode(referral)
    assert episode.status == EpisodeStatus.ACCEPTED
    assert episode.criteria == ["multiple_social_needs", "psychosis"]
    assert episode.transitions.get().kind == "accepted"


def test_accept_twice_records_one_acceptance(referral, practitioner):
    """A double submission goes where the first went and records one transition."""
    client = login(practitioner)
    first = _accept(client, referral)
    second = client.post_again()
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Transition.objects.filter(episode__person=referral).count() == 1


def test_stale_acceptance_is_refused(referral, practitioner):
    """A form read before someone else changed the episode is refused with STALE_EDIT."""
    Episode.objects.filter(person=referral).update(version=2)
    html = _html(_accept(login(practitioner), referral, version=1))
    assert _has(html, services.STALE_EDIT)
    assert _episode(referral).status == EpisodeStatus.REFERRED


def _decline(client, person, *, stale=False, **fields):
    today = factories.today().isoformat()
    data = {"criteria": ["family_concern"], "reasons": "No psychosis; advice to GP, "
            "referred to primary care mental health", "assessment_date": today,
            "decided_on": today, "version": _episode(person).version, "submission_key": "n-1"}
    data.update(fields)
    # stale: posted from a page opened before the episode changed (no form today).
    post = client.post_stale if stale else client.post
    return post(f"/people/{person.pk}/referral/decline/", data)


def test_decline_needs_reasons(referral, practitioner):
    """Not accepted without saying why is refused next to the reasons field."""
    html = _html(_decline(login(practitioner), referral, reasons=" "))
    assert "Say why the referral was not accepted" in html
    assert _episode(referral).status == EpisodeStatus.REFERRED


def test_decline_with_reasons(referral, practitioner):
    """Not accepted: status, criteria found, the reasons as a transition, key worker ended."""
    client = login(practitioner)
    response = _decline(client, referral)
    assert response.status_code == 302 and response["Location"] == "/people/declined/"
    episode = _episode(referral)
    assert episode.status == EpisodeStatus.NOT_ACCEPTED
    assert episode.criteria == ["family_concern"]
    transition = episode.transitions.get()
    assert transition.kind == "not_accepted" and "primary care" in transition.note
    assert not KeyWorkerAssignment.objects.filter(episode=episode, end__isnull=True).exists()
    # No longer on the caseload, but the team that assessed them still reads the record (read
    # only), and a change is refused with a page that says why (tests/records/test_former.py).
    page = client.get(f"/people/{referral.pk}/episode/")
    assert page.status_code == 200 and "Referral not accepted on" in _html(page)
    assert client.get(f"/people/{referral.pk}/referral/accept/").status_code == 403
    assert "Referral not accepted" in _html(client.get(response["Location"]))


def test_accepted_person_cannot_be_accepted_or_declined_again(person, practitioner):
    """The accept and decline pages are only for a referral waiting for a decision."""
    client = login(practitioner)
    assert _accept(client, person, stale=True).status_code == 302
    assert _decline(client, person, stale=True, submission_key="n-2").status_code == 302
    assert _episode(person).status == EpisodeStatus.ACCEPTED
    assert not Transition.objects.exists()


# Transitions


def _transition(client, person, kind, key):
    return client.post(f"/people/{person.pk}/transition/", {
        "kind": kind, "on": factories.today().isoformat(), "note": "",
        "version": _episode(person).version, "submission_key": key})


def test_step_up_admission_and_step_down_change_status_with_transitions(person, practitioner):
    """Each change sets the status and leaves a transition in the history."""
    client = login(practitioner)
    page = _html(client.get(f"/people/{person.pk}/transition/"))
    assert "Stepped up: crisis team" in page and 'value="left_hospital"' not in page
    assert _transition(client, person, "step_up_crisis", "t-1").status_code == 302
    assert _episode(person).status == EpisodeStatus.STEPPED_UP
    assert _transition(client, person, "admitted", "t-2").status_code == 302
    assert _episode(person).status == EpisodeStatus.INPATIENT
    assert _transition(client, person, "left_hospital", "t-3").status_code == 302
    assert _episode(person).status == EpisodeStatus.ACCEPTED
    assert _transition(client, person, "step_up_acute", "t-4").status_code == 302
    assert _transition(client, person, "stepped_down", "t-5").status_code == 302
    assert _episode(person).status == EpisodeStatus.ACCEPTED
    assert list(_episode(person).transitions.values_list("kind", flat=True)) == [
        "step_up_crisis", "admitted", "left_hospital", "step_up_acute", "stepped_down"]
    history = _html(client.get(f"/people/{person.pk}/episode/"))
    assert "Admitted to hospital" in history


def test_transition_form_refuses_a_discharge_and_a_future_date(person, practitioner):
    """A discharge is not a transition, and a change cannot be dated tomorrow."""
    client = login(practitioner)
    html = _html(_transition(client, person, "discharged", "t-1"))
    assert "Choose what has changed" in html
    tomorrow = (factories.today() + timedelta(days=1)).isoformat()
    html = _html(client.post(f"/people/{person.pk}/transition/", {
        "kind": "admitted", "on": tomorrow, "version": 1, "submission_key": "t-2"}))
    assert _has(html, services.FUTURE_DATE)
    assert _episode(person).status == EpisodeStatus.ACCEPTED


# Discharge through the guard


def test_referral_is_declined_not_discharged(referral, practitioner):
    """A referral not yet accepted has no end of care to propose: it is accepted or declined."""
    client = login(practitioner)
    for page in ("discharge/", "proposals/new/"):
        response = client.get(f"/people/{referral.pk}/{page}")
        assert response.status_code == 302
        assert response["Location"] == f"/people/{referral.pk}/episode/"
    assert _episode(referral).status == EpisodeStatus.REFERRED


# Annual review and key worker


def test_annual_review_is_recorded_once(person, practitioner):
    """The review is saved with who took part; a double submission saves one."""
    client = login(practitioner)
    data = {"held_on": factories.today().isoformat(), "agencies": "GP, housing, probation",
            "outcome": "Stays with the team; housing referral", "submission_key": "ar-1"}
    assert client.post(f"/people/{person.pk}/annual-reviews/new/", data).status_code == 302
    assert client.post(f"/people/{person.pk}/annual-reviews/new/", data).status_code == 302
    review = AnnualReview.objects.get()
    assert review.agencies == "GP, housing, probation" and review.recorded_by == practitioner
    assert "housing referral" in _html(client.get(f"/people/{person.pk}/episode/"))


def test_annual_review_needs_agencies_and_outcome(person, practitioner):
    html = _html(login(practitioner).post(f"/people/{person.pk}/annual-reviews/new/", {
        "held_on": factories.today().isoformat(), "agencies": "", "outcome": "",
        "submission_key": "ar-1"}))
    assert "Enter who took part" in html and "Enter what the review found" in html
    assert not AnnualReview.objects.exists()


def test_key_worker_change(person, practitioner, manager):
    """The new key worker takes over; there is exactly one current; twice is still one."""
    client = login(practitioner)
    page = _html(client.get(f"/people/{person.pk}/key-worker/"))
    assert manager.name in page
    data = {"staff": manager.pk, "start": factories.today().isoformat(), "submission_key": "k-1"}
    assert client.post(f"/people/{person.pk}/key-worker/", data).status_code == 302
    assert client.post(f"/people/{person.pk}/key-worker/", data).status_code == 302
    episode = _episode(person)
    assert [a.staff for a in episode.key_workers.filter(end__isnull=True)] == [manager]
    assert episode.key_workers.count() == 2


def test_key_worker_must_be_on_the_team(person, practitioner, other_practitioner):
    """Someone from another team is not a choice."""
    html = _html(login(practitioner).post(f"/people/{person.pk}/key-worker/", {
        "staff": other_practitioner.pk, "start": factories.today().isoformat(),
        "submission_key": "k-1"}))
    assert "Choose a clinician on your team" in html
    assert _episode(person).key_workers.get(end__isnull=True).staff == practitioner


# Scope and audit


PERSON_PAGES = ("episode/", "referral/accept/", "referral/decline/", "transition/",
                "discharge/", "proposals/new/", "annual-reviews/new/", "key-worker/")


def test_another_teams_person_is_404_everywhere(stranger, practitioner, other_practitioner):
    """Every page and every POST for someone on another team is 404, and nothing changes."""
    client = login(practitioner)
    for page in PERSON_PAGES:
        url = f"/people/{stranger.pk}/{page}"
        assert client.get(url).status_code == 404, url
        if page != "discharge/":  # only a signpost to the MDT proposal: GET only
            assert client.post_stale(url, {**RECORD, "reason": "step_down",
                                           "submission_key": page,
                                           "version": 1}).status_code == 404, url
    episode = _episode(stranger)
    proposal = DischargeProposal.objects.create(
        episode=episode, reason="step_down", rationale="r", relapse_indicators="r",
        known_risks="r", route_back_in="r", shared_with=["GP"], proposed_by=other_practitioner)
    assert client.get(f"/people/{stranger.pk}/proposals/{proposal.pk}/").status_code == 404
    Episode.objects.filter(pk=episode.pk).update(status=EpisodeStatus.DISCHARGED,
                                                  discharged_date=factories.today())
    DischargeDecision.objects.create(
        episode=episode, reason="transfer_out", date=factories.today(),
        decided_by=other_practitioner, engaged=True,
        **{k: v for k, v in RECORD.items() if k != "shared_with_other"})
    decision = DischargeDecision.objects.get()
    assert client.get(f"/people/{stranger.pk}/discharges/{decision.pk}/").status_code == 404
    assert login(other_practitioner).get(
        f"/people/{stranger.pk}/discharges/{decision.pk}/").status_code == 200
    assert not RefusedDischarge.objects.exists()
    assert not AuditEvent.objects.filter(person_id=stranger.pk,
                                         username=practitioner.user.username).exists()


def test_commissioner_sees_no_episode_pages(person, commissioner):
    client = login(commissioner)
    assert client.get("/people/new/").status_code == 404
    assert client.get(f"/people/{person.pk}/episode/").status_code == 404


def test_pages_showing_a_person_audit_the_read(person, practitioner):
    """Each page that shows the person leaves a view event naming what was seen."""
    client = login(practitioner)
    for page in PERSON_PAGES:
        client.get(f"/people/{person.pk}/{page}")
    seen = set(AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.VIEW)
               .values_list("what", flat=True))
    assert {"episode page", "transition form",
            "discharge proposal form", "annual review form", "key worker form"} <= seen


def test_sign_in_required(person, client):
    response = client.get(f"/people/{person.pk}/discharge/")
    assert response.status_code == 302 and "/login/" in response["Location"]
