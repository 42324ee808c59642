"""Every end of the team's care, judged by the person's record and decided at the MDT with the
consultant (issue 13): propose, agree (consultant only), carry out. A person who is not
engaged is never discharged, stepped down or transferred without acceptance, whatever the
reason or wording; refusals are recorded and governance counts by the record."""

import itertools
from datetime import timedelta

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from outreach.audit.models import AuditAction, AuditEvent
from outreach.clinical.models import RelapseSignature, RiskFormulation, WarningSign
from outreach.core import discharge as rules
from outreach.core.measures import BY_KEY, HEADLINE
from outreach.governance import selectors as governance
from outreach.governance.config import measure_params
from outreach.records import services_episode as ends
from outreach.records.engagement import engagement_config, evidence_for
from outreach.records.models import (
    DischargeDecision,
    DischargeProposal,
    EpisodeStatus,
    RefusedDischarge,
)
from outreach.teams.models import Discipline, Role
from tests import factories
from tests.conftest import login

RECORD = {
    "rationale": "Well for two years, wants to move to the CMHT",
    "relapse_indicators": "Stops sleeping, talks about the neighbours",
    "known_risks": "Self-neglect within weeks",
    "route_back_in": "Sister or GP calls the duty line; re-referral fast-tracked",
    "shared_with": ["The person", "Their GP"],
    "shared_with_other": "",
}


@pytest.fixture
def consultant(team):
    return factories.make_staff(team, role=Role.CONSULTANT, discipline=Discipline.PSYCHIATRIST,
                                username="consultant")


@pytest.fixture
def engaged(team, practitioner):
    person = factories.make_person(team, practitioner, accepted_days_ago=200)
    factories.seen_twice_a_week(person, practitioner)
    return person


def _tally(team, key: str):
    results = governance.compute([team.pk], as_of=factories.today(), params=measure_params(),
                                 measures=[BY_KEY[key]], trend=False)
    return results.tally(key, HEADLINE, [team.pk])


def _html(response) -> str:
    return response.content.decode()


def _episode(person):
    return person.episodes.get()


def _propose(client, person, **fields):
    data = {"reason": "step_down", "receiving_team": "Leeds East CMHT", **RECORD,
            "submission_key": f"p-{person.pk}"}
    data.update(fields)
    return client.post(f"/people/{person.pk}/proposals/new/", data)


def _decide(client, person, proposal, decision="agreed", **fields):
    data = {"decision": decision, "mdt_held_on": factories.today().isoformat(),
            "note": "Discussed at the MDT with Dr Patel: agreed, joint visit first",
            "submission_key": f"d-{proposal.pk}-{decision}"}
    data.update(fields)
    return client.post(f"/people/{person.pk}/proposals/{proposal.pk}/", data)


def _carry_out(client, person, proposal, *, stale=False, **fields):
    """Carry out from the proposal's page; `stale`: posted without the page offering the
    form (before the MDT agreed), as a tampered or old page would."""
    data = {"on": factories.today().isoformat(), "version": _episode(person).version,
            "submission_key": f"c-{proposal.pk}"}
    data.update(fields)
    url = f"/people/{person.pk}/proposals/{proposal.pk}/carry-out/"
    if stale:
        return client.post_stale(url, data)
    return client.post(url, data, page=f"/people/{person.pk}/proposals/{proposal.pk}/")


# --- Refused by the record, whatever the label ---------------------------------------------


@pytest.mark.parametrize("fields", [
    {"reason": "step_down", "rationale": "Disengaged, so stepping down to CMHT"},
    {"reason": "step_down", "rationale": "Doing really well, graduating to the CMHT"},
    {"reason": "long_term_placement"},
    {"reason": "transfer_out", "receiving_team": "Leeds East CMHT"},  # not accepted
    {"reason": "died"},  # no date of death
])
def test_the_47_day_case_is_refused_whatever_reason_and_text(team, practitioner, manager,
                                                              fields):
    """Escalated and unseen for 47 days: no reason and no wording ends their care. The
    refusal names the rule and the evidence and says what to do; nothing reaches the MDT;
    the attempt is counted as one refused for a person not engaged."""
    person = factories.make_person(team, practitioner, accepted_days_ago=300)
    factories.add_contact(person, practitioner, days_ago=47)
    html = _html(_propose(login(manager), person, **fields))
    assert "cannot leave the team&#39;s care while they are not engaged" in html
    assert "engagement escalated: last successful face-to-face contact" in html
    assert "47 days ago" in html
    assert "raise them at the MDT" in html
    assert not DischargeProposal.objects.exists()
    refused = RefusedDischarge.objects.get(episode__person=person)
    assert refused.not_engaged and "engagement" in refused.problems
    assert AuditEvent.objects.filter(person_id=person.pk,
                                     action=AuditAction.DISCHARGE_REFUSED).count() == 1
    assert _episode(person).status == EpisodeStatus.ACCEPTED


def test_a_refused_attempt_is_counted_by_governance(team, practitioner, manager):
    person = factories.make_person(team, practitioner, accepted_days_ago=300)
    _propose(login(manager), person)
    tally = _tally(team, "refused_discharge_attempts")
    assert tally.numerator == 1


def test_the_form_says_before_anything_is_typed_that_the_person_is_not_engaged(
        person, practitioner):
    html = _html(login(practitioner).get(f"/people/{person.pk}/proposals/new/"))
    assert f"{escape(person.display_name)} is not engaged" in html
    assert "no successful face-to-face contact in this episode" in html.lower()


# --- Nobody discharges alone ---------------------------------------------------------------


def test_the_old_discharge_address_leads_to_the_mdt_proposal(engaged, practitioner):
    response = login(practitioner).get(f"/people/{engaged.pk}/discharge/?reason=step_down")
    assert response.status_code == 302
    assert response["Location"] == f"/people/{engaged.pk}/proposals/new/?reason=step_down"


@pytest.mark.parametrize("who", ["practitioner", "manager"])
def test_a_practitioner_or_manager_cannot_agree_an_end_of_care(engaged, practitioner, manager,
                                                               who):
    staff = {"practitioner": practitioner, "manager": manager}[who]
    client = login(staff)
    _propose(client, engaged)
    proposal = DischargeProposal.objects.get()
    html = _html(_decide(client, engaged, proposal))
    assert str(escape(ends.CONSULTANT_ONLY)) in html
    proposal.refresh_from_db()
    assert proposal.decided == ""
    assert _episode(engaged).status == EpisodeStatus.ACCEPTED
    assert not DischargeDecision.objects.exists()


def test_an_empty_mdt_decision_is_refused(engaged, practitioner, consultant):
    _propose(login(practitioner), engaged)
    proposal = DischargeProposal.objects.get()
    html = _html(_decide(login(consultant), engaged, proposal, decision="", note="",
                         mdt_held_on=""))
    for message in ("Choose what the MDT decided", ends.MDT_REASONS_REQUIRED,
                    "Enter the date of the MDT that discussed it"):
        assert str(escape(message)) in html, message
    proposal.refresh_from_db()
    assert proposal.decided == ""


def test_anyone_on_the_team_can_record_not_agreed(engaged, practitioner):
    client = login(practitioner)
    _propose(client, engaged)
    proposal = DischargeProposal.objects.get()
    response = _decide(client, engaged, proposal, decision="not_agreed",
                       note="Keep working with the family first")
    assert response["Location"] == f"/people/{engaged.pk}/episode/?saved=not_agreed"
    proposal.refresh_from_db()
    assert (proposal.decided, proposal.decided_by) == ("not_agreed", practitioner)
    assert _episode(engaged).status == EpisodeStatus.ACCEPTED


def test_the_whole_route_propose_agree_carry_out(engaged, practitioner, consultant, team):
    """Proposed by the key worker with the record pre-filled, agreed by the consultant at the
    MDT, carried out: the discharge keeps the MDT's proposal and the evidence judged."""
    episode = _episode(engaged)
    signature = RelapseSignature.objects.create(person=engaged, episode=episode,
                                                recorded_by=practitioner,
                                                date=factories.today())
    WarningSign.objects.create(signature=signature, order=1, sign="Stops opening the curtains",
                               what_to_do="Phone his sister")
    RiskFormulation.objects.create(
        person=engaged, episode=episode, recorded_by=practitioner,
        history="Self-neglect in 2021", triggers="Losing his flat",
        protective_factors="His sister", what_reduces_risk="Daily visits",
        reviewed_on=factories.today(), review_due=factories.today() + timedelta(days=180))
    client = login(practitioner)
    form = _html(client.get(f"/people/{engaged.pk}/proposals/new/"))
    assert "Stops opening the curtains (what to do: Phone his sister)" in form
    assert "Triggers: Losing his flat" in form
    assert "is engaged with the team today" in form
    response = _propose(client, engaged)
    proposal = DischargeProposal.objects.get()
    assert response["Location"] == f"/people/{engaged.pk}/proposals/{proposal.pk}/?saved=1"
    # Not yet: carrying out before the MDT's agreement is refused.
    html = _html(_carry_out(client, engaged, proposal, stale=True))
    assert str(escape(ends.MDT_DECISION_REQUIRED)) in html
    assert _episode(engaged).status == EpisodeStatus.ACCEPTED
    response = _decide(login(consultant), engaged, proposal)
    assert response["Location"] == f"/people/{engaged.pk}/proposals/{proposal.pk}/?saved=agreed"
    proposal.refresh_from_db()
    assert (proposal.decided, proposal.decided_by, proposal.mdt_held_on) == (
        "agreed", consultant, factories.today())
    assert _episode(engaged).status == EpisodeStatus.ACCEPTED  # agreed is not yet done
    page = _html(client.get(f"/people/{engaged.pk}/proposals/{proposal.pk}/"))
    assert "Carry out the discharge" in page
    response = _carry_out(client, engaged, proposal)
    decision = DischargeDecision.objects.get()
    assert response["Location"] == f"/people/{engaged.pk}/discharges/{decision.pk}/"
    assert decision.proposal == proposal and decision.engaged is True
    assert decision.receiving_team == "Leeds East CMHT"
    assert decision.evidence["weeks_unmet"] == 0 and decision.evidence["reasons"] == []
    record = _html(client.get(response["Location"]))
    assert "Agreed at the MDT" in record and consultant.name in record
    assert "Engagement on the day" in record and "Not engaged" not in record
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.DISCHARGED
    assert episode.transitions.get(status_after="discharged").kind == "step_down_cmht"
    # Carrying it out twice discharges once.
    again = client.post_again()
    assert again.status_code in (302, 404)
    assert DischargeDecision.objects.count() == 1


def test_agreed_but_no_longer_engaged_on_the_day_is_refused(person, practitioner, consultant):
    """The guard runs again when the end is carried out: a person whose record now shows
    them not engaged is refused even with the MDT's agreement, and the refusal counts."""
    proposal = DischargeProposal.objects.create(
        episode=_episode(person), reason="step_down", receiving_team="CMHT",
        proposed_by=practitioner,
        decided="agreed", decided_by=consultant, decided_on=factories.today(),
        **{k: v for k, v in RECORD.items() if k != "shared_with_other"})
    html = _html(_carry_out(login(practitioner), person, proposal))
    assert "while they are not engaged" in html
    assert not DischargeDecision.objects.exists()
    assert RefusedDischarge.objects.get().not_engaged


def test_a_not_engaged_person_transferred_to_a_team_that_accepted(person, practitioner,
                                                                 consultant, team):
    """The warm handover is allowed; governance does not count it as a drop-out, and the
    discharge keeps that the person was not engaged."""
    client = login(practitioner)
    response = _propose(client, person, reason="transfer_out",
                        receiving_team="Assertive outreach team, Bradford",
                        accepted_by="J Smith, team manager",
                        accepted_on=(factories.today() - timedelta(days=2)).isoformat())
    assert response.status_code == 302, _html(response)
    proposal = DischargeProposal.objects.get()
    _decide(login(consultant), person, proposal)
    _carry_out(client, person, proposal)
    decision = DischargeDecision.objects.get()
    assert decision.engaged is False and decision.accepted_by == "J Smith, team manager"
    tally = _tally(team, "non_engagement_discharges")
    assert (tally.numerator, tally.denominator) == (0, 1)


def test_a_discharge_written_around_the_service_reads_red(person, practitioner, team):
    """A decision row with no judgement (written around the service) is counted as a
    discharge of someone not engaged, so a bypass never reads green."""
    DischargeDecision.objects.create(
        episode=_episode(person), reason="step_down", date=factories.today(),
        decided_by=practitioner, **{k: v for k, v in RECORD.items() if k != "shared_with_other"})
    assert _tally(team, "non_engagement_discharges").numerator == 1


# --- The API ---------------------------------------------------------------------------------


def test_api_discharge_needs_the_mdts_agreement(engaged, practitioner, consultant, api_token):
    headers = api_token(practitioner)
    url = f"/api/v1/people/{engaged.pk}/discharge"
    body = {"date": factories.today().isoformat(), "episode_version": 1}
    response = Client().post(url, body, content_type="application/json", **headers)
    assert response.status_code == 422
    assert response.json()["errors"]["proposal"] == [ends.MDT_DECISION_REQUIRED]
    ends.discharge_propose(episode=_episode(engaged), by=practitioner, request=None,
                           reason="step_down", receiving_team="CMHT",
                           **{k: v for k, v in RECORD.items() if k != "shared_with_other"})
    ends.proposal_decide(proposal=DischargeProposal.objects.get(), by=consultant, request=None,
                         decision="agreed", on=factories.today(), note="Agreed",
                         mdt_held_on=factories.today())
    response = Client().post(url, body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    assert response.json()["engaged"] is True


# --- The ORM path and the pure rule agree ----------------------------------------------------


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(days=st.lists(st.integers(0, 90), max_size=25), stepped=st.booleans(),
       accepted=st.integers(10, 150), on_days_ago=st.integers(0, 20))
def test_the_record_read_from_the_database_and_the_pure_rule_agree(
        team, practitioner, days, stepped, accepted, on_days_ago):
    """evidence_for (the database) gives exactly what core.discharge.evidence gives for the
    same contacts, start, stepped-up status and day; failed and phone contacts never count."""
    status = EpisodeStatus.STEPPED_UP if stepped else EpisodeStatus.ACCEPTED
    person = factories.make_person(team, practitioner, status=status,
                                   accepted_days_ago=accepted)
    for d in days:
        factories.add_contact(person, practitioner, days_ago=d)
    factories.add_contact(person, practitioner, days_ago=3, outcome="no_access")
    factories.add_contact(person, practitioner, days_ago=2, mode="phone")
    episode = _episode(person)
    on = factories.today() - timedelta(days=on_days_ago)
    config = engagement_config()
    expected = rules.evidence(
        successful_f2f_dates=[factories.today() - timedelta(days=d) for d in days],
        episode_start=episode.start_date, on=on, stepped_up=stepped,
        weekly_target=config.stepped_up_weekly_target if stepped else config.weekly_target,
        config=config)
    assert evidence_for(episode, on) == expected


_teams = itertools.count(1)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(reason=st.sampled_from([r.value for r in rules.DischargeReason]),
       engaged=st.none() | st.booleans(), died=st.booleans(),
       team_name=st.sampled_from(["", "CMHT"]), accepted_by=st.sampled_from(["", "Dr A"]),
       accepted=st.booleans())
def test_governance_sql_and_the_pure_count_agree(db, practitioner, reason, engaged, died,
                                                  team_name, accepted_by, accepted):
    """The governance query counts a discharge as one of someone not engaged exactly when
    core.discharge.counts_as_not_engaged does (a fresh team for each example)."""
    team = factories.make_team(f"prop-{next(_teams)}")
    person = factories.make_person(team, practitioner, status=EpisodeStatus.DISCHARGED)
    today = factories.today()
    died_on, accepted_on = (today if died else None), (today if accepted else None)
    DischargeDecision.objects.create(
        episode=_episode(person), reason=reason, date=today, decided_by=practitioner,
        engaged=engaged, died_on=died_on, receiving_team=team_name, accepted_by=accepted_by,
        accepted_on=accepted_on, **{k: v for k, v in RECORD.items() if k != "shared_with_other"})
    expected = rules.counts_as_not_engaged(
        reason=reason, engaged=engaged, died_on=died_on,
        handover=rules.Handover(team_name, accepted_by, accepted_on))
    tally = _tally(team, "non_engagement_discharges")
    assert (tally.numerator, tally.denominator) == (int(expected), 1)
