"""The engagement ladder: days since the last successful face-to-face contact, and targets."""

from dataclasses import asdict, astuple, fields
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from outreach.core.engagement import (
    ACTIONS,
    LADDER,
    NOT_A_MAPPING,
    STEPPED_UP_LOOSER,
    STEPPED_UP_TARGET_LOWER,
    TARGET_NOT_POSITIVE,
    THRESHOLD_NOT_WHOLE_DAYS,
    THRESHOLDS_NOT_INCREASING,
    UNKNOWN_SETTING,
    EngagementConfig,
    EngagementState,
    Thresholds,
    assess,
    contacts_this_week,
    days_since,
    state_for_days,
    week_start,
)

THRESHOLD_NAMES = [f.name for f in fields(Thresholds)]

thresholds = (
    st.lists(st.integers(1, 400), min_size=4, max_size=4, unique=True)
    .map(sorted)
    .map(lambda days: Thresholds(*days))
)


@st.composite
def configs(draw):
    """Valid configurations: stepped-up thresholds are each no later than the standard ones."""
    standard = draw(thresholds)
    other = draw(thresholds)
    # The element-wise minimum of two strictly increasing sequences is strictly increasing.
    stepped_up = Thresholds(*map(min, astuple(standard), astuple(other)))
    target = draw(st.integers(1, 7))
    return EngagementConfig(standard, stepped_up, target, draw(st.integers(target, 14)))


days = st.integers(0, 1000)
DAYS_IN_WEEK = 7
dates = st.dates(date(2024, 1, 1), date(2027, 12, 31))


def step(state: EngagementState) -> int:
    return LADDER.index(state)


def test_ladder_holds_every_state_once_each_with_an_action():
    """The ladder orders all five states, and each has a non-empty expected action."""
    assert sorted(LADDER) == sorted(EngagementState)
    assert len(set(LADDER)) == len(LADDER)
    assert set(ACTIONS) == set(EngagementState)
    assert all(action.strip() for action in ACTIONS.values())


def test_default_targets_follow_the_guidance():
    """By default: at least two contacts a week, daily when stepped up (design rule 2; 002)."""
    config = EngagementConfig()
    assert config.weekly_target >= 2
    assert config.stepped_up_weekly_target == DAYS_IN_WEEK


@given(thresholds, days, days)
def test_more_days_never_gives_a_lower_step(t, a, b):
    """The state is monotonic: waiting longer never moves a person down the ladder."""
    fewer, more = sorted((a, b))
    assert step(state_for_days(fewer, t)) <= step(state_for_days(more, t))


@given(thresholds)
def test_each_step_starts_exactly_at_its_threshold(t):
    """On the threshold day the step starts; the day before, the person is one step lower."""
    for index, name in enumerate(THRESHOLD_NAMES, start=1):
        boundary = getattr(t, name)
        assert state_for_days(boundary, t) == LADDER[index]
        assert state_for_days(boundary - 1, t) == LADDER[index - 1]


@given(thresholds)
def test_day_zero_is_on_track(t):
    """Seen today means on track, whatever the thresholds."""
    assert state_for_days(0, t) == EngagementState.ON_TRACK


@given(configs(), days)
def test_stepped_up_is_never_lower_than_standard(config, d):
    """For the same days, stepped-up care is at least as far up the ladder as standard care."""
    assert step(state_for_days(d, config.stepped_up)) >= step(state_for_days(d, config.standard))


@given(st.lists(dates, max_size=10), dates, dates, st.booleans(), configs())
def test_contact_today_puts_the_person_on_track(contacts, episode_start, today, stepped, config):
    """A successful face-to-face contact today gives on track, zero days, whatever came before."""
    result = assess(
        successful_f2f_dates=[*contacts, today],
        episode_start=episode_start,
        today=today,
        stepped_up=stepped,
        config=config,
    )
    assert result.state == EngagementState.ON_TRACK
    assert result.days_since_last_contact == 0
    assert result.action == ACTIONS[EngagementState.ON_TRACK]


@given(st.lists(dates, max_size=10), dates, dates, st.booleans(), configs())
def test_assess_places_the_person_by_days_since_last_contact(
    contacts, episode_start, today, stepped, config
):
    """assess uses the latest contact (or episode start) and the thresholds for the care level."""
    result = assess(
        successful_f2f_dates=contacts,
        episode_start=episode_start,
        today=today,
        stepped_up=stepped,
        config=config,
    )
    expected_days = days_since(max(contacts, default=None), episode_start, today)
    t = config.stepped_up if stepped else config.standard
    assert result.days_since_last_contact == expected_days
    assert result.state == state_for_days(expected_days, t)
    assert result.action == ACTIONS[result.state]


@given(dates, dates, dates)
def test_days_since_counts_from_last_contact_and_is_never_negative(last, episode_start, today):
    """Days count from the last contact; a contact after today counts as today."""
    result = days_since(last, episode_start, today)
    assert result >= 0
    if last <= today:
        assert last + timedelta(days=result) == today
    else:
        assert result == 0


@given(dates, dates)
def test_days_since_counts_from_episode_start_when_never_seen(episode_start, today):
    """With no successful contact yet, the clock runs from the start of the episode."""
    assert days_since(None, episode_start, today) == max(0, (today - episode_start).days)


@given(dates)
def test_week_starts_on_the_monday_on_or_before_the_day(d):
    """week_start is a Monday, no later than the day and less than a week before it."""
    monday = week_start(d)
    assert monday.isoweekday() == 1
    assert timedelta(0) <= d - monday < timedelta(days=7)


@given(st.lists(dates, max_size=10), dates, st.integers(1, 3))
def test_contacts_before_monday_or_after_today_do_not_count(contacts, today, repeat):
    """Only contacts from Monday to today count; each one in that range counts once."""
    before = contacts_this_week(contacts, today)
    outside = [week_start(today) - timedelta(days=1), today + timedelta(days=1)]
    assert contacts_this_week([*contacts, *outside], today) == before
    inside = [week_start(today), today] * repeat
    assert contacts_this_week([*contacts, *inside], today) == before + len(inside)


@given(dates, st.booleans(), configs(), st.one_of(st.none(), st.integers(1, 14)))
def test_weekly_target_override_wins_over_the_care_level(today, stepped, config, override):
    """A person's own target wins; otherwise the target for their level of care applies."""
    result = assess(
        successful_f2f_dates=[],
        episode_start=today,
        today=today,
        stepped_up=stepped,
        config=config,
        weekly_target=override,
    )
    level_target = config.stepped_up_weekly_target if stepped else config.weekly_target
    assert result.weekly_target == (level_target if override is None else override)


@given(dates, st.integers(1, 7))
def test_behind_target_until_the_target_is_met(today, target):
    """behind_target is true with one contact too few this week and false once met."""
    monday = week_start(today)

    def with_contacts(n):
        return assess(
            successful_f2f_dates=[monday] * n,
            episode_start=monday,
            today=today,
            stepped_up=False,
            weekly_target=target,
        )

    assert with_contacts(target - 1).behind_target
    assert not with_contacts(target).behind_target


@pytest.mark.parametrize("bad", [0, -1, True])
def test_weekly_target_override_must_be_positive(bad):
    """A per-person target of zero (or nonsense) is refused: no one is left without contact."""
    with pytest.raises(ValueError, match=TARGET_NOT_POSITIVE):
        assess(
            successful_f2f_dates=[],
            episode_start=date(2026, 1, 5),
            today=date(2026, 1, 5),
            stepped_up=False,
            weekly_target=bad,
        )


@given(st.lists(st.integers(-5, 50), min_size=4, max_size=4))
def test_thresholds_must_be_positive_and_strictly_increasing(values):
    """Thresholds build only from positive, strictly increasing days; else a clear error."""
    positive = all(v >= 1 for v in values)
    increasing = all(a < b for a, b in pairwise(values))
    if positive and increasing:
        assert astuple(Thresholds(*values)) == tuple(values)
    else:
        message = THRESHOLDS_NOT_INCREASING if positive else THRESHOLD_NOT_WHOLE_DAYS
        with pytest.raises(ValueError, match=message):
            Thresholds(*values)


@pytest.mark.parametrize("bad", ["4", 4.0, True, None])
def test_thresholds_refuse_values_that_are_not_whole_days(bad):
    """Strings, floats and booleans from a settings file are refused, not coerced."""
    with pytest.raises(ValueError, match=THRESHOLD_NOT_WHOLE_DAYS):
        Thresholds(bad, 7, 14, 28)


@given(configs())
def test_config_round_trips_through_a_mapping(config):
    """A configuration written out as nested dicts reads back unchanged."""
    assert EngagementConfig.from_mapping(asdict(config)) == config


@given(st.sampled_from(THRESHOLD_NAMES), st.integers(-1, 0))
def test_config_from_mapping_validates_the_thresholds(name, bad):
    """A bad threshold in settings fails on reading, not later on a ward list."""
    with pytest.raises(ValueError, match=THRESHOLD_NOT_WHOLE_DAYS):
        EngagementConfig.from_mapping({"standard": {name: bad}})


def test_config_from_partial_mapping_keeps_other_defaults():
    """Keys left out of settings keep their default values."""
    default = EngagementConfig()
    target = default.weekly_target + 1
    config = EngagementConfig.from_mapping({"weekly_target": target})
    assert config.weekly_target == target
    assert (config.standard, config.stepped_up) == (default.standard, default.stepped_up)


@pytest.mark.parametrize(
    "mapping",
    [{"weekly_targt": 3}, {"standard": {"due_days": 3}}, {"stepped_up": {"bogus": 1}}],
)
def test_config_refuses_unknown_keys(mapping):
    """A misspelt setting is an error rather than silently ignored."""
    with pytest.raises(ValueError, match=UNKNOWN_SETTING):
        EngagementConfig.from_mapping(mapping)


def test_config_refuses_thresholds_that_are_not_a_mapping():
    """Thresholds given as a list instead of named days are refused."""
    with pytest.raises(ValueError, match=NOT_A_MAPPING):
        EngagementConfig.from_mapping({"standard": [4, 7, 14, 28]})


@given(thresholds, st.sampled_from(THRESHOLD_NAMES))
def test_config_refuses_stepped_up_thresholds_looser_than_standard(t, name):
    """Stepping up never waits longer: any stepped-up threshold above standard is refused."""
    # Doubling leaves a gap of at least 2 days between steps, so adding 1 keeps the ladder valid.
    standard = Thresholds(*(2 * d for d in astuple(t)))
    looser = {**asdict(standard), name: getattr(standard, name) + 1}
    with pytest.raises(ValueError, match=STEPPED_UP_LOOSER):
        EngagementConfig.from_mapping({"standard": asdict(standard), "stepped_up": looser})


@given(configs())
def test_config_refuses_stepped_up_target_below_standard(config):
    """The stepped-up weekly target cannot be lower than the standard one."""
    assume(config.weekly_target > 1)
    with pytest.raises(ValueError, match=STEPPED_UP_TARGET_LOWER):
        EngagementConfig(
            config.standard, config.stepped_up, config.weekly_target, config.weekly_target - 1
        )
