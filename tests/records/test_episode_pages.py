"""Referral, acceptance, transitions and discharge in the browser: register and refer, accept or
decline against the chapter 2 criteria, step up / admission / step down, discharge through the
guard with a printable decision record, a discharge proposed for the MDT, the annual review,
a change of key worker; scoping, double submission, stale edits and the audit trail."""

from datetime import timedelta

import pytest
from markupsafe import escape

from outreach.audit.models import AuditAction, AuditEvent
from outreach.core import discharge as discharge_rules
from outreach.core import eligibility
from outreach.core.nhs_number import BAD_CHECK_DIGIT
from outreach.meetings import agenda
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


def _discharge(client, person, *, stale=False, **fields):
    data = {"reason": "step_down", "on": factories.today().isoformat(),
            "version": _episode(person).version, "submission_key": "d-1", **RECORD}
    data.update(fields)
    # stale: posted from a page opened before the episode changed (no form today).
    post = client.post_stale if stale else client.post
    return post(f"/people/{person.pk}/discharge/", data)


def _propose(client, person, **fields):
    data = {"reason": "transfer_out", "submission_key": "p-1", **RECORD}
    data.update(fields)
    return client.post(f"/people/{person.pk}/proposals/new/", data)


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
    assert client.get(f"/people/{referral.pk}/episode/").status_code == 404
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


def test_discharge_form_offers_only_allowed_reasons(person, practitioner):
    """Non-engagement reasons are not offered as radios."""
    html = _html(login(practitioner).get(f"/people/{person.pk}/discharge/"))
    for reason in discharge_rules.ALLOWED_REASONS:
        assert f'value="{reason.value}"' in html
    for reason in discharge_rules.NON_ENGAGEMENT_REASONS:
        assert f'value="{reason.value}"' not in html


@pytest.mark.parametrize("reason", sorted(r.value for r in discharge_rules.NON_ENGAGEMENT_REASONS))
def test_non_engagement_discharge_posted_directly_is_refused(person, practitioner, reason):
    """A tampered non-engagement reason with a full record is refused by the guard: the rule
    is shown next to the reason, the episode stays open, and the refusal is counted."""
    response = _discharge(login(practitioner), person, reason=reason)
    html = _html(response)
    assert response.status_code == 200
    message = str(escape(discharge_rules.NON_ENGAGEMENT_REFUSED))
    assert html.count(message) == 2  # in the error summary and next to the reason
    assert 'href="#id_reason_0"' in html
    assert _episode(person).status == EpisodeStatus.ACCEPTED
    assert not DischargeDecision.objects.exists()
    assert RefusedDischarge.objects.filter(reason=reason, episode__person=person).count() == 1
    assert AuditEvent.objects.filter(person_id=person.pk,
                                     action=AuditAction.DISCHARGE_REFUSED).count() == 1


def test_discharge_without_a_decision_record_is_refused_field_by_field(person, practitioner):
    """Every missing part of the decision record is reported next to its field."""
    html = _html(_discharge(login(practitioner), person, rationale="", relapse_indicators="",
                            known_risks="", route_back_in="", shared_with=[],
                            shared_with_other=""))
    for name, message in discharge_rules.FIELD_REQUIRED.items():
        assert _has(html, message), name
    assert _episode(person).status == EpisodeStatus.ACCEPTED
    assert not DischargeDecision.objects.exists()


def test_discharge_with_a_bad_date_still_shows_the_guards_refusal(person, practitioner):
    """A form error does not hide the guard's rule, and nothing is attempted or saved."""
    html = _html(_discharge(login(practitioner), person, reason="did_not_attend",
                            on="2026-02-31"))
    assert "Enter a real date" in html
    assert _has(html, discharge_rules.NON_ENGAGEMENT_REFUSED)
    assert _episode(person).status == EpisodeStatus.ACCEPTED


def test_discharge_with_a_full_record_and_a_printable_decision_record(person, practitioner):
    """An allowed reason with the full record discharges; the decision record page prints it."""
    client = login(practitioner)
    response = _discharge(client, person)
    decision = DischargeDecision.objects.get(episode__person=person)
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/discharges/{decision.pk}/"
    episode = _episode(person)
    assert episode.status == EpisodeStatus.DISCHARGED
    assert episode.discharged_date == factories.today()
    assert decision.shared_with == ["The person", "Their GP", "housing officer"]
    assert episode.transitions.get().kind == "step_down_cmht"
    page = client.get(response["Location"])
    html = _html(page)
    assert page.status_code == 200
    for text in (RECORD["rationale"], RECORD["relapse_indicators"], RECORD["known_risks"],
                 "The person, Their GP, housing officer", person.nhs_number,
                 discharge_rules.LABELS[discharge_rules.DischargeReason.STEP_DOWN]):
        assert _has(html, text), text
    assert '<button type="button" class="nhsuk-button nhsuk-button--secondary" data-print>' \
        in html
    assert '<style media="print">' in html
    assert AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.DISCHARGE).exists()
    assert AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.VIEW,
                                     what="discharge decision record").exists()


def test_discharge_twice_discharges_once(person, practitioner):
    """A double submission goes to the same decision record, with no refusal recorded."""
    client = login(practitioner)
    first = _discharge(client, person)
    second = client.post_again()
    assert second["Location"] == first["Location"]
    assert DischargeDecision.objects.count() == 1
    assert not RefusedDischarge.objects.exists()


def test_stale_discharge_is_refused(person, practitioner):
    """A discharge form read before someone else changed the episode saves nothing."""
    client = login(practitioner)
    _transition(client, person, "step_up_crisis", "t-1")
    html = _html(_discharge(client, person, version=1))
    assert _has(html, services.STALE_EDIT)
    assert _episode(person).status == EpisodeStatus.STEPPED_UP
    assert not DischargeDecision.objects.exists()


def test_referral_is_declined_not_discharged(referral, practitioner):
    """A referral not yet accepted has no discharge form: it is accepted or declined."""
    response = _discharge(login(practitioner), referral, stale=True)
    assert response.status_code == 302
    assert response["Location"] == f"/people/{referral.pk}/episode/"
    assert _episode(referral).status == EpisodeStatus.REFERRED


# Proposed discharge for the MDT


def _mdt_proposals(staff, team):
    a = agenda.mdt(staff.user, team=team, today=factories.today())
    return next(s for s in a.sections if s.key == "proposals").items


def test_proposal_for_non_engagement_is_refused_and_never_reaches_the_mdt(
        person, practitioner, team):
    """The guard runs at proposal: the rule is shown, nothing is proposed, refusal counted."""
    html = _html(_propose(login(practitioner), person, reason="disengaged"))
    assert _has(html, discharge_rules.NON_ENGAGEMENT_REFUSED)
    assert not DischargeProposal.objects.exists()
    assert RefusedDischarge.objects.filter(reason="disengaged").count() == 1
    assert _mdt_proposals(practitioner, team) == []


def test_proposal_is_listed_on_the_mdt_with_its_decision_record(person, practitioner, team):
    """An allowed proposal with its record is on the MDT agenda; its page prints the record."""
    client = login(practitioner)
    response = _propose(client, person)
    proposal = DischargeProposal.objects.get()
    assert response["Location"] == f"/people/{person.pk}/proposals/{proposal.pk}/?saved=1"
    items = _mdt_proposals(practitioner, team)
    assert [i.key for i in items] == [f"proposal:{proposal.pk}"]
    assert RECORD["route_back_in"] in items[0].detail
    html = _html(client.get(response["Location"]))
    assert "data-print" in html and _has(html, RECORD["known_risks"])
    assert "Waiting for the MDT" in html
    assert _episode(person).status == EpisodeStatus.ACCEPTED


def test_proposal_twice_proposes_once_and_a_second_waits(person, practitioner):
    """A double submission proposes once; a different second proposal is refused."""
    client = login(practitioner)
    _propose(client, person)
    _propose(client, person)
    assert DischargeProposal.objects.count() == 1
    html = _html(_propose(client, person, submission_key="p-2", reason="moved_away"))
    assert "already waiting for the MDT" in html
    assert DischargeProposal.objects.count() == 1


def test_mdt_agrees_a_proposal_and_the_person_is_discharged(person, practitioner, team):
    """Agreed: discharged with the proposal's decision record; off the agenda."""
    client = login(practitioner)
    _propose(client, person)
    proposal = DischargeProposal.objects.get()
    response = client.post(f"/people/{person.pk}/proposals/{proposal.pk}/", {
        "decision": "agreed", "on": factories.today().isoformat(), "note": "MDT 12 May",
        "version": _episode(person).version, "submission_key": "m-1"})
    decision = DischargeDecision.objects.get()
    assert response["Location"] == f"/people/{person.pk}/discharges/{decision.pk}/"
    assert decision.reason == "transfer_out" and decision.rationale == RECORD["rationale"]
    proposal.refresh_from_db()
    assert proposal.decided == "agreed"
    assert (proposal.decided_by, proposal.decision_note) == (practitioner, "MDT 12 May")
    assert _episode(person).status == EpisodeStatus.DISCHARGED
    assert _episode(person).transitions.get().kind == "transfer_out"


def test_mdt_does_not_agree_a_proposal(person, practitioner, team):
    """Not agreed: the person stays, and the proposal leaves the agenda."""
    client = login(practitioner)
    _propose(client, person)
    proposal = DischargeProposal.objects.get()
    response = client.post(f"/people/{person.pk}/proposals/{proposal.pk}/", {
        "decision": "not_agreed", "on": factories.today().isoformat(),
        "note": "  Keep working with the family first ",
        "version": _episode(person).version, "submission_key": "m-1"})
    assert response["Location"] == f"/people/{person.pk}/episode/?saved=not_agreed"
    proposal.refresh_from_db()
    assert proposal.decided == "not_agreed"
    # The decision record keeps who recorded it, for which day, and what the MDT said.
    assert (proposal.decided_by, proposal.decided_on, proposal.decision_note) == (
        practitioner, factories.today(), "Keep working with the family first")
    page = client.get(f"/people/{person.pk}/proposals/{proposal.pk}/").content.decode()
    assert f"Not agreed, recorded by {practitioner.name}" in page
    assert "Keep working with the family first" in page
    assert _episode(person).status == EpisodeStatus.ACCEPTED
    assert _mdt_proposals(practitioner, team) == []


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
        assert client.post_stale(url, {**RECORD, "reason": "step_down", "submission_key": page,
                                 "version": 1}).status_code == 404, url
    episode = _episode(stranger)
    proposal = DischargeProposal.objects.create(
        episode=episode, reason="step_down", rationale="r", relapse_indicators="r",
        known_risks="r", route_back_in="r", shared_with=["GP"], proposed_by=other_practitioner)
    assert client.get(f"/people/{stranger.pk}/proposals/{proposal.pk}/").status_code == 404
    services.episode_discharge(episode=episode, by=other_practitioner, request=None,
                               expected_version=1, reason="moved_away", on=factories.today(),
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
    assert {"episode page", "transition form", "discharge form",
            "discharge proposal form", "annual review form", "key worker form"} <= seen


def test_sign_in_required(person, client):
    response = client.get(f"/people/{person.pk}/discharge/")
    assert response.status_code == 302 and "/login/" in response["Location"]
