"""The caseload list rates engagement in SQL; the rule is outreach.core.engagement.
These tests prove the two agree on generated caseloads."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from outreach.core.engagement import assess
from outreach.records import selectors
from outreach.records.engagement import engagement_config
from outreach.records.models import ContactMode, ContactOutcome, ContactWith, EpisodeStatus
from tests import factories

contact = st.tuples(
    st.integers(min_value=-3, max_value=60),  # days ago; negative = dated in the future
    st.sampled_from(list(ContactOutcome)),
    st.sampled_from(list(ContactMode)),
    st.sampled_from(list(ContactWith)),
)
person_spec = st.tuples(
    st.integers(min_value=0, max_value=90),  # accepted this many days ago
    st.sampled_from([EpisodeStatus.ACCEPTED, EpisodeStatus.STEPPED_UP, EpisodeStatus.INPATIENT]),
    st.lists(contact, max_size=6),
)


class EngagementSqlAgreesWithCore(TestCase):
    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(person_spec, min_size=1, max_size=5))
    def test_sql_state_matches_core_rule(self, specs):
        """For any caseload, the SQL ladder gives each person the state core.assess gives."""
        team = factories.make_team(f"t{factories.next_nhs_number()}")
        worker = factories.make_staff(team, username=f"u{factories.next_nhs_number()}")
        today = factories.today()
        expected = {}
        for accepted_ago, status, contacts in specs:
            person = factories.make_person(team, worker, status=status,
                                           accepted_days_ago=accepted_ago)
            successful = []
            for days_ago, outcome, mode, with_whom in contacts:
                c = factories.add_contact(person, worker, days_ago=days_ago, outcome=outcome,
                                          mode=mode, with_whom=with_whom)
                if c.successful and c.date <= today:
                    successful.append(c.date)
            episode = person.episodes.get()
            expected[person.pk] = assess(
                successful_f2f_dates=successful, episode_start=episode.start_date, today=today,
                stepped_up=status == EpisodeStatus.STEPPED_UP, config=engagement_config(),
            )
        rows = {r.pk: r for r in selectors.caseload(worker.user, on=today)}
        assert rows.keys() == expected.keys()
        for pk, want in expected.items():
            row = rows[pk]
            assert row.engagement_state == want.state.value
            assert (today - row.anchor_date).days == want.days_since_last_contact
            assert row.contacts_this_week == want.contacts_this_week
            assert row.weekly_target_value == want.weekly_target


def test_contacts_of_an_earlier_episode_do_not_count(team, practitioner):
    """A re-referred person's ladder starts from the new episode, not old contacts."""
    from outreach.records.models import Episode, KeyWorkerAssignment

    person = factories.make_person(team, practitioner, status=EpisodeStatus.DISCHARGED,
                                   accepted_days_ago=400)
    factories.add_contact(person, practitioner, days_ago=1)
    start = factories.today() - timedelta(days=30)
    new = Episode.objects.create(
        person=person, team=team, referral_date=start, accepted_date=start,
        referral_source="gp", status=EpisodeStatus.ACCEPTED,
    )
    KeyWorkerAssignment.objects.create(episode=new, staff=practitioner, start=start)
    row = selectors.caseload(practitioner.user).get(pk=person.pk)
    assert row.last_successful_contact is None
    assert row.engagement_state == "escalated"  # 30 days >= 28 with no contact this episode
