"""The outcome facts joined from the record and the outcomes app, on hand-built records."""

from outreach.core.outcomes import SHORT_FOLLOW_UP, Outcome
from outreach.outcomes import selectors
from outreach.records.models import Transition, TransitionKind
from tests import factories
from tests.outcomes.conftest import days_ago, detention


def _image(person, years):
    f = selectors.person_facts(person, as_of=factories.today())
    return next(m for m in f.images(factories.today(), [years]) if m.years == years)


def test_veteran_counts_before_and_after(veteran):
    one = _image(veteran, 1)
    assert one.included
    assert one.counts_before.admissions == 1 and one.counts_before.bed_days == 10
    assert one.counts_before.detentions == 0
    assert one.counts_before.crisis_episodes == 2 and one.counts_before.police_contacts == 1
    assert one.counts_after.admissions == 1 and one.counts_after.bed_days == 5
    assert one.counts_after.crisis_episodes == 0
    two = _image(veteran, 2)
    assert two.included
    assert two.counts_before.admissions == 2 and two.counts_before.detentions == 1
    assert two.counts_before.bed_days == 30
    assert two.counts_after.crisis_episodes == 1


def test_accepted_less_than_a_year_ago_is_not_compared(newcomer):
    m = _image(newcomer, 1)
    assert not m.included and m.reason == SHORT_FOLLOW_UP.format(years="1 year")


def test_admission_recorded_as_transitions_and_its_detention(team, practitioner):
    """An admission while on the caseload (transitions) with a section 3: counted once as an
    admission and once as a detention, even when also entered as a hospital spell."""
    p = factories.make_person(team, practitioner, accepted_days_ago=500)
    e = p.episodes.get()
    Transition.objects.create(episode=e, kind=TransitionKind.ADMITTED, date=days_ago(400),
                              status_after="inpatient")
    Transition.objects.create(episode=e, kind=TransitionKind.LEFT_HOSPITAL, date=days_ago(380),
                              status_after="accepted")
    detention(p, practitioner, start_ago=400, days=21)
    from tests.outcomes.conftest import spell
    spell(p, practitioner, start_ago=400, days=21, detained=True)
    m = _image(p, 1)
    assert m.counts_after.admissions == 1 and m.counts_after.detentions == 1
    assert m.counts_after.bed_days == 21
    assert m.counts_before.admissions == 0  # no admissions before


def test_team_summary_counts_people_left_out(veteran, newcomer):
    s = selectors.summarise_team(selectors.team_facts([veteran.episodes.get().team_id],
                                                      as_of=factories.today()),
                                 as_of=factories.today())
    one = s.horizons[0]
    assert one.years == 1 and one.included == 1
    assert one.left_out == {SHORT_FOLLOW_UP.format(years="1 year"): 1}
    crisis = next(o for o in one.outcomes if o.outcome == Outcome.CRISIS)
    assert (crisis.total_before, crisis.total_after) == (2, 0)


def test_demographics_with_imd_from_the_synthetic_lookup(veteran):
    f = selectors.person_facts(veteran, as_of=factories.today())
    assert f.demographics.ethnic_category == "M"
    assert f.demographics.imd_decile == 9  # E01900001 in data/synthetic_lsoa_imd.csv


def test_outcome_breakdown_hides_small_groups_and_their_left_out(team, practitioner):
    """Six White people compared and three Black people left out (accepted recently): for a
    commissioner the three left out are hidden, with every other small left-out count, so the
    three cannot be worked out from the total left out; staff see them exactly."""
    from outreach.core.equality import By
    from outreach.core.suppression import Disclosure
    from outreach.outcomes.equality import outcome_breakdown

    for _ in range(6):
        factories.make_person(team, practitioner, accepted_days_ago=800, ethnic_category="A")
    for _ in range(3):
        factories.make_person(team, practitioner, accepted_days_ago=100, ethnic_category="N")
    facts = selectors.team_facts([team.pk], as_of=factories.today(), full=False)
    rows = {g.group: g for g in outcome_breakdown(facts, by=By.ETHNICITY,
                                                  as_of=factories.today(), years=1,
                                                  disclosure=Disclosure.suppressed())}
    white = rows["White"]
    black = rows["Black, Black British, Caribbean or African"]
    assert white.people.value == 5 and not white.suppressed  # 6, rounded to 5
    assert black.left_out.value is None
    assert white.left_out.value is None  # zero is below 5: hidden too
    exact = {g.group: g for g in outcome_breakdown(facts, by=By.ETHNICITY,
                                                   as_of=factories.today(), years=1,
                                                   disclosure=Disclosure.exact())}
    assert exact["Black, Black British, Caribbean or African"].left_out.value == 3
