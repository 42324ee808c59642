"""Write services: field errors, amendments with history, stale edits, key worker and cover
continuity, acceptance against the chapter-2 criteria, transitions."""

from datetime import timedelta

import pytest

from outreach.core import eligibility
from outreach.records import services
from outreach.records.models import (
    Contact,
    EpisodeStatus,
    KeyWorkerAssignment,
    Transition,
)
from outreach.teams.models import Absence
from outreach.teams.selectors import cover_gaps, team_caseload_report
from tests import factories


def test_contact_amendment_keeps_the_original(person, practitioner):
    """A correction saves the new value and an Amendment with the old one, who and why."""
    contact = factories.add_contact(person, practitioner, days_ago=1)
    services.contact_amend(contact=contact, by=practitioner, request=None, expected_version=1,
                           reason="wrong outcome", changes={"outcome": "no_access"})
    contact.refresh_from_db()
    assert contact.outcome == "no_access" and contact.version == 2
    amendment = person.amendments.get()
    assert amendment.changes == {"outcome": ["attended", "no_access"]}
    assert amendment.amended_by == practitioner


def test_stale_contact_amendment_is_refused(person, practitioner):
    """Two workers correct the same contact: the second, from a stale read, is refused."""
    contact = factories.add_contact(person, practitioner, days_ago=1)
    services.contact_amend(contact=contact, by=practitioner, request=None, expected_version=1,
                           reason="first", changes={"note": "first"})
    with pytest.raises(services.StaleEdit):
        services.contact_amend(contact=contact, by=practitioner, request=None,
                               expected_version=1, reason="second", changes={"note": "second"})
    contact.refresh_from_db()
    assert contact.note == "first"
    assert person.amendments.count() == 1


def test_amendment_needs_a_reason(person, practitioner):
    """No reason, no correction."""
    contact = factories.add_contact(person, practitioner, days_ago=1)
    with pytest.raises(services.ValidationFailed) as exc:
        services.contact_amend(contact=contact, by=practitioner, request=None,
                               expected_version=1, reason=" ", changes={"note": "x"})
    assert "reason" in exc.value.errors


def test_contact_in_the_future_is_refused(person, practitioner):
    """A contact cannot be logged for tomorrow."""
    with pytest.raises(services.ValidationFailed) as exc:
        services.contact_log(person=person, episode=person.episodes.get(), by=practitioner,
                             request=None, date=factories.today() + timedelta(days=1),
                             outcome="attended")
    assert "date" in exc.value.errors
    assert not Contact.objects.exists()


def test_first_successful_contact_sets_first_intervention(person, practitioner):
    """The waiting time to first intervention ends with the first successful contact."""
    episode = person.episodes.get()
    services.contact_log(person=person, episode=episode, by=practitioner, request=None,
                         date=factories.today(), outcome="did_not_attend")
    episode.refresh_from_db()
    assert episode.first_intervention_date is None
    services.contact_log(person=person, episode=episode, by=practitioner, request=None,
                         date=factories.today(), outcome="attended")
    episode.refresh_from_db()
    assert episode.first_intervention_date == factories.today()


def test_key_worker_handover_leaves_exactly_one(person, team, practitioner):
    """Changing key worker ends the old assignment: there is always exactly one current."""
    episode = person.episodes.get()
    new = factories.make_staff(team, username="nurse2")
    services.key_worker_assign(episode=episode, staff=new, by=practitioner, request=None,
                               start=factories.today())
    current = KeyWorkerAssignment.objects.filter(episode=episode, end__isnull=True)
    assert [a.staff for a in current] == [new]
    assert KeyWorkerAssignment.objects.filter(episode=episode).count() == 2


def test_key_worker_must_be_on_the_team(person, practitioner, other_practitioner):
    """Someone from another team cannot be a person's key worker."""
    with pytest.raises(services.ValidationFailed):
        services.key_worker_assign(episode=person.episodes.get(), staff=other_practitioner,
                                   by=practitioner, request=None, start=factories.today())


def test_acceptance_follows_the_chapter_two_criteria(team, practitioner):
    """Acceptance needs psychosis and another criterion; a valid one records a transition."""
    person = factories.make_person(team, practitioner, status=EpisodeStatus.REFERRED)
    episode = person.episodes.get()
    today = factories.today()
    with pytest.raises(services.ValidationFailed) as exc:
        services.episode_accept(episode=episode, by=practitioner, request=None,
                                expected_version=1, assessment_date=today, accepted_date=today,
                                criteria=["family_concern"])
    assert eligibility.PSYCHOSIS_REQUIRED in exc.value.errors["criteria"]
    services.episode_accept(episode=episode, by=practitioner, request=None, expected_version=1,
                            assessment_date=today, accepted_date=today,
                            criteria=["psychosis", "family_concern"])
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ACCEPTED
    assert Transition.objects.get(episode=episode).kind == "accepted"


def test_step_up_and_admission_change_status_with_history(person, practitioner):
    """Step-up and admission are recorded transitions that set the episode's status."""
    episode = person.episodes.get()
    services.episode_transition(episode=episode, by=practitioner, request=None,
                                expected_version=1, kind="step_up_crisis", on=factories.today())
    services.episode_transition(episode=episode, by=practitioner, request=None,
                                expected_version=2, kind="admitted", on=factories.today())
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.INPATIENT
    assert list(episode.transitions.values_list("kind", flat=True)) == [
        "step_up_crisis", "admitted"]


def test_transition_cannot_discharge(person, practitioner):
    """Leaving the team only goes through the discharge guard."""
    with pytest.raises(services.ValidationFailed):
        services.episode_transition(episode=person.episodes.get(), by=practitioner,
                                    request=None, expected_version=1, kind="discharged",
                                    on=factories.today())


def test_cover_gap_found_until_cover_assigned(person, team, practitioner, manager):
    """A key worker's leave with no cover is a gap; assigning cover closes it."""
    today = factories.today()
    Absence.objects.create(staff=practitioner, kind="leave", start=today,
                           end=today + timedelta(days=4))
    window = {"start": today, "end": today + timedelta(days=13)}
    gaps = cover_gaps(team, **window)
    assert [(g.episode.person_id, g.uncovered[0].days()) for g in gaps] == [(person.pk, 5)]
    cover = factories.make_staff(team, username="nurse2")
    services.cover_assign(episode=person.episodes.get(), staff=cover, by=manager, request=None,
                          start=today, end=today + timedelta(days=4))
    assert cover_gaps(team, **window) == []


def test_a_leaver_leaves_a_gap(person, team, practitioner):
    """A key worker who has left the team leaves their people uncovered until reassigned."""
    practitioner.left = factories.today()
    practitioner.save()
    gaps = cover_gaps(team, start=factories.today(), end=factories.today())
    assert [g.episode.person_id for g in gaps] == [person.pk]


def test_caseload_report_warns_over_twelve(team, practitioner):
    """A practitioner with 13 people is over the limit; the team ratio is over too."""
    for _ in range(13):
        factories.make_person(team, practitioner)
    report = team_caseload_report(team, on=factories.today())
    assert report.people == 13
    assert not report.ratio.within_limit
    [(staff, check)] = report.practitioners
    assert staff == practitioner and check.status == "over"
