"""Staff see only their own team's caseload and the people they cover; commissioners see
nobody identifiable."""

from datetime import timedelta

from outreach.records import selectors
from outreach.records.models import CoverAssignment, EpisodeStatus
from tests import factories


def test_practitioner_sees_own_team_only(person, stranger, practitioner):
    """A practitioner's visible people are their team's, never another team's."""
    visible = set(selectors.people_for(practitioner.user).values_list("pk", flat=True))
    assert person.pk in visible
    assert stranger.pk not in visible


def test_discharged_people_leave_the_caseload(team, practitioner):
    """Only open episodes make a caseload."""
    gone = factories.make_person(team, practitioner, status=EpisodeStatus.DISCHARGED)
    assert not selectors.people_for(practitioner.user).filter(pk=gone.pk).exists()


def test_cover_gives_access_only_during_the_cover(stranger, practitioner, other_practitioner):
    """A worker covering someone on another team sees them only while covering."""
    episode = stranger.episodes.get()
    today = factories.today()
    CoverAssignment.objects.create(episode=episode, staff=practitioner, start=today,
                                   end=today + timedelta(days=6), reason="leave")
    assert selectors.person_for(practitioner.user, stranger.pk) is not None
    later = today + timedelta(days=7)
    assert not selectors.people_for(practitioner.user, on=later).filter(pk=stranger.pk).exists()


def test_commissioner_sees_nobody(person, commissioner):
    """A commissioner has no identifiable records at all."""
    assert selectors.people_for(commissioner.user).count() == 0


def test_my_caseload_is_key_worker_and_cover(team, practitioner, manager):
    """'My people' are those I key-work plus those I cover today."""
    other = factories.make_staff(team, username="nurse2")
    mine = factories.make_person(team, practitioner)
    theirs = factories.make_person(team, other)
    covered = factories.make_person(team, other)
    today = factories.today()
    CoverAssignment.objects.create(episode=covered.episodes.get(), staff=practitioner,
                                   start=today, end=today, reason="sickness")
    rows = {r.pk for r in selectors.caseload(practitioner.user, only_mine=True)}
    assert rows == {mine.pk, covered.pk}
    assert theirs.pk in {r.pk for r in selectors.caseload(practitioner.user)}
