"""An end of the team's care judged by the person's record, not by the label (issue 13).

Properties try to get around the rule: any reason, any wording, any handover text. A person
whose record shows them not engaged never leaves except by death or an accepted transfer."""

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from outreach.core.discharge import (
    ACCEPTED_BY_REQUIRED,
    DEATH_DATE_REQUIRED,
    MOVED_AWAY_IS_TRANSFER,
    RECEIVING_TEAM_REQUIRED,
    DecisionRecord,
    DischargeReason,
    EngagementRule,
    Handover,
    Problem,
    allowed_while_not_engaged,
    check_end,
    counts_as_not_engaged,
    evidence,
)
from outreach.core.engagement import EngagementState

ON = date(2026, 12, 8)  # a Tuesday
START = ON - timedelta(days=400)
FULL = DecisionRecord("Well for two years", "Stops sleeping", "Self-neglect",
                      "Sister calls the duty line", ("The person", "GP"))
ACCEPTED = Handover("Leeds East CMHT", "Dr A Khan, consultant", ON - timedelta(days=3))

text = st.text(max_size=40)
any_reason = st.sampled_from([r.value for r in DischargeReason]) | text
any_handover = st.builds(Handover, text, text, st.none() | st.dates(ON - timedelta(days=60),
                                                                      ON))
any_record = st.builds(DecisionRecord, text, text, text, text,
                       st.lists(text, max_size=2).map(tuple))
contact_days = st.lists(st.integers(0, 120), max_size=40)


def _evidence(days_ago: list[int], *, stepped_up=False, target=2, start=START):
    return evidence(successful_f2f_dates=[ON - timedelta(days=d) for d in days_ago],
                    episode_start=start, on=ON, stepped_up=stepped_up, weekly_target=target)


def _twice_weekly(weeks: int = 10) -> list[int]:
    """Seen on Monday and Thursday of each of the last weeks, and yesterday."""
    monday = ON.weekday()  # days since this week's Monday
    return [1] + [monday + 7 * k - off for k in range(1, weeks + 1) for off in (0, 3)]


def test_seen_twice_a_week_is_engaged():
    found = _evidence(_twice_weekly())
    assert found.engaged and found.reasons == ()
    assert (found.weeks_judged, found.weeks_unmet) == (8, 0)
    assert found.state == EngagementState.ON_TRACK


def test_unseen_for_47_days_is_not_engaged_and_says_why():
    """The person of the issue: escalated, unseen for 47 days."""
    found = _evidence([47])
    assert not found.engaged
    assert found.state == EngagementState.ESCALATED
    assert "47 days ago" in found.reasons[0]
    assert any("unmet in 8 of the last 8 weeks" in r for r in found.reasons)


def test_target_unmet_in_most_weeks_is_not_engaged_even_if_seen_yesterday():
    """Seen yesterday, but only once a week for two months: the target (2) unmet in 8/8."""
    monday = ON.weekday()
    found = _evidence([1] + [monday + 7 * k for k in range(1, 9)])
    assert found.state == EngagementState.ON_TRACK
    assert not found.engaged
    assert found.weeks_unmet == 8


def test_half_the_weeks_unmet_is_still_engaged():
    """'Most' is more than half: 4 of 8 weeks unmet is not most."""
    monday = ON.weekday()
    days = [1] + [monday + 7 * k + off for k in range(1, 9) for off in
                  ((0, -3) if k % 2 else (0,))]
    found = _evidence(days)
    assert found.weeks_unmet == 4 and found.engaged


def test_weeks_before_the_episode_started_are_not_judged():
    """A person accepted three weeks ago is judged on those full weeks only."""
    monday = ON.weekday()
    start = ON - timedelta(days=monday + 21)
    found = _evidence([1] + [monday + 7 * k - off for k in range(1, 4) for off in (0, 3)],
                      start=start)
    assert found.weeks_judged == 3 and found.engaged


def test_no_contact_in_n_weeks_is_named_when_the_ladder_is_looser():
    """With N = 2 weeks and a configured ladder that only says 'overdue' after 21 days, a
    person last seen 15 days ago is still refused, for that rule."""
    from outreach.core.engagement import EngagementConfig, Thresholds
    config = EngagementConfig(standard=Thresholds(10, 21, 30, 40),
                              stepped_up=Thresholds(1, 2, 4, 7))
    found = evidence(successful_f2f_dates=[ON - timedelta(days=15)], episode_start=START,
                     on=ON, stepped_up=False, weekly_target=1, config=config,
                     rule=EngagementRule(recent_contact_weeks=2, target_weeks=2))
    assert found.state == EngagementState.DUE
    assert found.reasons == (
        "no successful face-to-face contact in the last 2 weeks: last successful face-to-face "
        "contact 23 November 2026, 15 days ago",)


@given(any_reason, any_record, any_handover, st.none() | st.dates(START, ON), contact_days,
       st.booleans())
def test_not_engaged_never_leaves_but_by_death_or_accepted_transfer(
        reason, record, handover, died_on, days, stepped_up):
    """Whatever the reason, wording and handover text: a person the record shows not engaged
    is refused, unless they died (with a date) or a named team accepted them."""
    found = _evidence(days, stepped_up=stepped_up)
    assume(not found.engaged)
    check = check_end(reason, record, found, handover=handover, died_on=died_on)
    if check.allowed:
        assert reason in (DischargeReason.DIED, DischargeReason.TRANSFER_OUT)
        assert allowed_while_not_engaged(reason, handover, died_on)
    if not allowed_while_not_engaged(reason, handover, died_on):
        assert not check.allowed
        assert check.problems[0].field == "engagement"


@given(st.sampled_from([DischargeReason.STEP_DOWN, DischargeReason.INPATIENT_LONG_TERM,
                        DischargeReason.MOVED_AWAY]), any_record, any_handover, contact_days)
def test_step_down_of_someone_not_engaged_is_always_refused(reason, record, handover, days):
    found = _evidence(days)
    assume(not found.engaged)
    check = check_end(reason, record, found, handover=handover)
    assert not check.allowed
    assert check.problems[0].field == "engagement"
    assert "not engaged" in check.problems[0].message


def test_engaged_step_down_with_a_receiving_team_is_allowed():
    found = _evidence(_twice_weekly())
    check = check_end("step_down", FULL, found, handover=Handover("Leeds East CMHT"))
    assert check.allowed


def test_step_down_needs_a_receiving_team_and_a_transfer_its_acceptance():
    found = _evidence(_twice_weekly())
    assert check_end("step_down", FULL, found).problems == (
        Problem("receiving_team", RECEIVING_TEAM_REQUIRED),)
    problems = check_end("transfer_out", FULL, found,
                         handover=Handover("Leeds East CMHT")).problems
    assert Problem("accepted_by", ACCEPTED_BY_REQUIRED) in problems


def test_accepted_transfer_and_death_are_allowed_for_someone_not_engaged():
    found = _evidence([47])
    assert check_end("transfer_out", FULL, found, handover=ACCEPTED).allowed
    assert check_end("died", FULL, found, died_on=ON - timedelta(days=2)).allowed
    assert check_end("died", FULL, found).problems[:2] == (
        Problem("engagement", check_end("died", FULL, found).problems[0].message),
        Problem("died_on", DEATH_DATE_REQUIRED))


def test_moving_away_is_a_transfer():
    found = _evidence(_twice_weekly())
    assert Problem("reason", MOVED_AWAY_IS_TRANSFER) in check_end("moved_away", FULL,
                                                                  found).problems


@given(any_reason, st.none() | st.booleans(), st.none() | st.dates(START, ON), any_handover)
def test_governance_counts_by_the_record_not_the_label(reason, engaged, died_on, handover):
    """A discharge counts as one of someone not engaged unless the record judged them
    engaged, or it is one of the two ends allowed then; a non-engagement label always counts."""
    counted = counts_as_not_engaged(reason=reason, engaged=engaged, died_on=died_on,
                                    handover=handover)
    if reason in ("did_not_attend", "no_access", "disengaged", "declined_contact"):
        assert counted
    elif engaged is not True:
        assert counted == (not allowed_while_not_engaged(reason, handover, died_on))
    else:
        assert not counted
