"""Every measure, on hand-built records where the answer is known: each worked example of
core.measures (the words on the page and in docs/measures.md) is built here as a record and
computed in SQL, and must give what the example says. So a definition's text and its
computation cannot drift apart. The drill-down must list exactly the units counted."""

from datetime import date, time

import pytest

from outreach.core.measures import BY_KEY, HEADLINE, MEASURES, Kind, add_months, nearest_rank
from outreach.core.measures import value_of as measure_value
from outreach.governance import selectors
from outreach.governance.config import measure_params
from outreach.records.models import ContactMode, EpisodeStatus
from outreach.teams.models import Discipline
from tests.governance.builders import (
    AS_OF,
    ago,
    annual_review,
    care_plan,
    contact,
    cto,
    discharge,
    episode,
    physical_check,
    refused,
    relapse_signature,
    risk_formulation,
    safety_plan,
    section117,
    staff,
    weekday_ago,
)


def _contacts(e, by, n, *, mode=ContactMode.FACE_TO_FACE):
    for i in range(n):
        contact(e, by, on=ago(1 + 3 * i), mode=mode)


def _newer_overdue(t, w):
    e = episode(t, w)
    v1 = care_plan(e, w, on=ago(100), due=ago(-80))
    care_plan(e, w, on=ago(60), due=ago(30), supersedes=v1)


def _older_rated(t, w):
    e = episode(t, w)
    v1 = care_plan(e, w, on=ago(100), due=ago(-80), rated=11)
    care_plan(e, w, on=ago(10), due=ago(-170), supersedes=v1)


def _both(t, w):
    e = episode(t, w)
    safety_plan(e, w, on=ago(30), due=ago(-150))
    relapse_signature(e, w, on=ago(30), signs=2)


def _signature_without_signs(t, w):
    e = episode(t, w)
    safety_plan(e, w, on=ago(30), due=ago(-150))
    relapse_signature(e, w, on=ago(30), signs=0)


def _review_too_old(t, w):
    e = episode(t, w, accepted=ago(800))
    annual_review(e, w, on=ago(400))


def _stranger(t, w):
    e = episode(t, w)
    contact(e, staff(t), on=ago(3))


def _known(t, w):
    e = episode(t, w)
    other = staff(t)
    contact(e, other, on=ago(24))
    contact(e, other, on=ago(3))


def _twelve_per_fte(t, w):
    staff(t)  # a second full-time practitioner: 2 FTE with the key worker
    for _ in range(24):
        episode(t, w)


def _visit_and_call(t, w):
    e = episode(t, w)
    contact(e, w, on=ago(2))
    contact(e, w, on=ago(3), mode=ContactMode.TELEPHONE)


def _caseload(n):
    def build(t, w):
        for _ in range(n):
            episode(t, w)
    return build


EXAMPLES = {
    ("care_plan_in_date", "due_today"):
        lambda t, w: care_plan(episode(t, w), w, on=ago(180), due=AS_OF),
    ("care_plan_in_date", "overdue"):
        lambda t, w: care_plan(episode(t, w), w, on=ago(180), due=ago(1)),
    ("care_plan_in_date", "no_plan"): lambda t, w: episode(t, w),
    ("care_plan_in_date", "newer_version_overdue"): _newer_overdue,
    ("care_plan_in_date", "referral_not_counted"):
        lambda t, w: care_plan(episode(t, w, status=EpisodeStatus.REFERRED), w, on=ago(5),
                               due=ago(-100)),
    ("care_plan_in_date", "discharged_not_counted"):
        lambda t, w: care_plan(episode(t, w, status=EpisodeStatus.DISCHARGED,
                                       discharged=ago(10)), w, on=ago(100), due=ago(-80)),
    ("dialog_completed", "all_rated"):
        lambda t, w: care_plan(episode(t, w), w, on=ago(30), due=ago(-150), rated=11),
    ("dialog_completed", "ten_rated"):
        lambda t, w: care_plan(episode(t, w), w, on=ago(30), due=ago(-150), rated=10),
    ("dialog_completed", "older_version_rated"): _older_rated,
    ("crisis_plan_and_signature", "both"): _both,
    ("crisis_plan_and_signature", "plan_only"):
        lambda t, w: safety_plan(episode(t, w), w, on=ago(30), due=ago(-150)),
    ("crisis_plan_and_signature", "signature_without_signs"): _signature_without_signs,
    ("risk_formulation_reviewed", "in_date"):
        lambda t, w: risk_formulation(episode(t, w), w, on=ago(30), due=ago(-150)),
    ("risk_formulation_reviewed", "overdue"):
        lambda t, w: risk_formulation(episode(t, w), w, on=ago(200), due=ago(1)),
    ("risk_formulation_reviewed", "none"): lambda t, w: episode(t, w),
    ("physical_health_check", "recent"):
        lambda t, w: physical_check(episode(t, w), w, on=add_months(AS_OF, -11)),
    ("physical_health_check", "too_old"):
        lambda t, w: physical_check(episode(t, w), w, on=add_months(AS_OF, -13)),
    ("physical_health_check", "never"): lambda t, w: episode(t, w),
    ("annual_review", "reviewed"):
        lambda t, w: annual_review(episode(t, w, accepted=ago(365)), w, on=ago(60)),
    ("annual_review", "never_reviewed"): lambda t, w: episode(t, w, accepted=ago(365)),
    ("annual_review", "review_too_old"): _review_too_old,
    ("annual_review", "open_six_months"): lambda t, w: episode(t, w, accepted=ago(180)),
    ("legal_deadlines_met", "cto_in_date"):
        lambda t, w: cto(episode(t, w), w, start=ago(100), expiry=ago(-30),
                         renewal_due=ago(-20)),
    ("legal_deadlines_met", "cto_renewal_passed"):
        lambda t, w: cto(episode(t, w), w, start=ago(100), expiry=ago(-30),
                         renewal_due=ago(2)),
    ("legal_deadlines_met", "s117_overdue"):
        lambda t, w: section117(episode(t, w), w, since=ago(300), due=ago(5)),
    ("legal_deadlines_met", "cto_ended"):
        lambda t, w: cto(episode(t, w), w, start=ago(300), expiry=ago(10),
                         ended_on=ago(20)),
    ("non_engagement_discharges", "dna_discharge"):
        lambda t, w: discharge(episode(t, w), w, on=ago(30), reason="did_not_attend"),
    ("non_engagement_discharges", "step_down"):
        lambda t, w: discharge(episode(t, w), w, on=ago(30), reason="step_down"),
    ("non_engagement_discharges", "not_engaged_step_down"):
        lambda t, w: discharge(episode(t, w), w, on=ago(30), reason="step_down", engaged=False),
    ("non_engagement_discharges", "written_around"):
        lambda t, w: discharge(episode(t, w), w, on=ago(30), reason="step_down", engaged=None),
    ("non_engagement_discharges", "died"):
        lambda t, w: discharge(episode(t, w), w, on=ago(30), reason="died", engaged=False,
                               died_on=ago(32)),
    ("non_engagement_discharges", "accepted_transfer"):
        lambda t, w: discharge(episode(t, w), w, on=ago(30), reason="transfer_out",
                               engaged=False, receiving_team="Leeds East CMHT",
                               accepted_by="Dr A Khan", accepted_on=ago(31)),
    ("refused_discharge_attempts", "refused_not_engaged"):
        lambda t, w: refused(episode(t, w), w, on=ago(40), reason="step_down",
                             not_engaged=True),
    ("refused_discharge_attempts", "refused_dna"):
        lambda t, w: refused(episode(t, w), w, on=ago(40), reason="did_not_attend"),
    ("refused_discharge_attempts", "refused_incomplete"):
        lambda t, w: refused(episode(t, w), w, on=ago(40), reason="step_down"),
    ("wait_referral_to_assessment", "assessed"):
        lambda t, w: episode(t, w, referral=ago(40), assessment=ago(26), accepted=ago(20)),
    ("wait_referral_to_assessment", "not_yet_assessed"):
        lambda t, w: episode(t, w, status=EpisodeStatus.REFERRED, referral=ago(10),
                             assessment=None),
    ("wait_assessment_to_intervention", "seen"):
        lambda t, w: episode(t, w, referral=ago(40), assessment=ago(30), accepted=ago(28),
                             first_intervention=ago(23)),
    ("wait_assessment_to_intervention", "still_waiting"):
        lambda t, w: episode(t, w, referral=ago(40), assessment=ago(30), accepted=ago(28)),
    ("contact_target_met", "eight_in_four_weeks"): lambda t, w: _contacts(episode(t, w), w, 8),
    ("contact_target_met", "seven_in_four_weeks"): lambda t, w: _contacts(episode(t, w), w, 7),
    ("contact_target_met", "phone_not_counted"):
        lambda t, w: _contacts(episode(t, w), w, 8, mode=ContactMode.TELEPHONE),
    ("contact_target_met", "new_to_caseload"):
        lambda t, w: _contacts(episode(t, w, accepted=ago(10)), w, 3),
    ("contact_target_met", "stepped_up_daily_target"):
        lambda t, w: _contacts(episode(t, w, status=EpisodeStatus.STEPPED_UP), w, 8),
    ("contacts_per_person_week", "two_a_week"): lambda t, w: _contacts(episode(t, w), w, 8),
    ("face_to_face_share", "one_of_two"): _visit_and_call,
    ("face_to_face_share", "dna_not_counted"):
        lambda t, w: contact(episode(t, w), w, on=ago(2), outcome="did_not_attend"),
    ("out_of_hours_share", "evening"):
        lambda t, w: contact(episode(t, w), w, on=weekday_ago(2, 1), at=time(18)),
    ("out_of_hours_share", "daytime"):
        lambda t, w: contact(episode(t, w), w, on=weekday_ago(2, 1), at=time(10)),
    ("out_of_hours_share", "no_time"):
        lambda t, w: contact(episode(t, w), w, on=weekday_ago(2, 1), at=None),
    ("weekend_share", "saturday"):
        lambda t, w: contact(episode(t, w), w, on=weekday_ago(2, 5)),
    ("weekend_share", "monday"): lambda t, w: contact(episode(t, w), w, on=weekday_ago(2, 0)),
    ("continuity", "key_worker"): lambda t, w: contact(episode(t, w), w, on=ago(3)),
    ("continuity", "stranger"): _stranger,
    ("continuity", "known_worker"): _known,
    ("staff_ratio", "twelve"): _twelve_per_fte,
    ("practitioner_caseloads", "thirteen"): _caseload(13),
    ("practitioner_caseloads", "twelve"): _caseload(12),
}


CASES = [(m, e) for m in MEASURES for e in m.examples]


def test_every_worked_example_is_built_here():
    """A measure added to core.measures without a record to check it fails here."""
    assert {(m.key, e.key) for m, e in CASES} == set(EXAMPLES)


def compute_one(team, measure, params=None):
    results = selectors.compute([team.pk], as_of=AS_OF, params=params or measure_params(),
                                measures=[measure], trend=False)
    return results.tally(measure.key, HEADLINE, [team.pk])


@pytest.mark.parametrize("measure, example", CASES,
                         ids=[f"{m.key}:{e.key}" for m, e in CASES])
def test_the_example_computes_what_its_words_say(team, worker, measure, example):
    EXAMPLES[(measure.key, example.key)](team, worker)
    tally = compute_one(team, measure)
    got = {
        "numerator": tally.numerator, "count": tally.numerator,
        "denominator": tally.fte if measure.kind == Kind.RATIO else
        (len(tally.values) if measure.kind == Kind.WAIT else tally.denominator),
        "median": nearest_rank(tally.values, 50), "still_waiting": tally.still_waiting,
        "value": measure_value(measure, tally),
    }
    for key, expected in example.expect.items():
        assert got[key] == pytest.approx(expected), (example.text, key, got)


@pytest.mark.parametrize("measure, example",
                         [(m, e) for m, e in CASES if m.drill_down],
                         ids=[f"{m.key}:{e.key}" for m, e in CASES if m.drill_down])
def test_the_people_listed_are_exactly_the_units_counted(team, worker, measure, example):
    """Drill-down uses the same unit query as the figure: what it lists adds up to it."""
    EXAMPLES[(measure.key, example.key)](team, worker)
    tally = compute_one(team, measure)
    everyone = list(team.episodes.values_list("person_id", flat=True))
    rows, hidden = selectors.drill_down(measure, team.pk, as_of=AS_OF,
                                        params=measure_params(), person_ids=everyone)
    assert hidden == 0
    if measure.kind == Kind.WAIT:
        assert sum(r.counted for r in rows) == len(tally.values)
        assert len(rows) == len(tally.values) + tally.still_waiting
    elif measure.key == "contacts_per_person_week":
        assert sum(r.counted for r in rows) == tally.numerator
        assert len(rows) == tally.denominator
    else:
        assert sum(r.counted for r in rows) == tally.numerator
        assert sum(r.of for r in rows) == tally.denominator


def test_people_outside_the_viewers_scope_are_counted_but_not_listed(team, worker):
    episode(team, worker)
    hidden_one = episode(team, worker)
    rows, hidden = selectors.drill_down(BY_KEY["care_plan_in_date"], team.pk, as_of=AS_OF,
                                        params=measure_params(),
                                        person_ids=[team.episodes.first().person_id])
    assert len(rows) == 1 and hidden == 1 and hidden_one.person_id not in \
        {r.person_id for r in rows}


def test_changing_a_parameter_changes_the_words_and_the_figure_together(team, worker):
    """The physical health check interval: with 6 months, the words say 6 and a check 11
    months ago no longer counts."""
    m = BY_KEY["physical_health_check"]
    physical_check(episode(team, worker), worker, on=add_months(AS_OF, -11))
    twelve, six = measure_params(), {**measure_params(), "physical_check_months": 6}
    assert "12 months" in m.texts(twelve)["numerator"] and compute_one(team, m, twelve
                                                                       ).numerator == 1
    assert "6 months" in m.texts(six)["numerator"] and compute_one(team, m, six).numerator == 0


def test_a_weekly_target_set_for_the_person_is_the_one_used(team, worker):
    m = BY_KEY["contact_target_met"]
    _contacts(episode(team, worker, weekly_target=3), worker, 8)
    assert compute_one(team, m).numerator == 0  # 12 needed in 28 days


def test_stepped_up_status_is_taken_at_the_end_of_each_month(team, worker):
    """Someone stepped up last month and back since is measured against each month's
    target."""
    from tests.governance.builders import transition

    e = episode(team, worker)
    transition(e, on=ago(45), kind="step_up_crisis", status_after="stepped_up")
    transition(e, on=ago(10), kind="stepped_down", status_after="accepted")
    for i in range(8):
        contact(e, worker, on=ago(1 + 3 * i))
    assert compute_one(team, BY_KEY["contact_target_met"]).numerator == 1


def test_contacts_of_other_teams_are_not_counted(team, other_team, worker):
    mine = episode(team, worker)
    theirs = episode(other_team, staff(other_team))
    contact(mine, worker, on=ago(2))
    contact(theirs, worker, on=ago(2))
    assert compute_one(team, BY_KEY["face_to_face_share"]).denominator == 1


def test_second_worker_who_is_the_key_worker_counts_for_continuity(team, worker):
    e = episode(team, worker)
    contact(e, staff(team), on=ago(3), second=worker)
    assert compute_one(team, BY_KEY["continuity"]).numerator == 1


def test_waits_give_median_and_90th_percentile(team, worker):
    for days in (3, 9, 14, 20, 30):
        episode(team, worker, referral=ago(40 + days), assessment=ago(40), accepted=ago(35))
    tally = compute_one(team, BY_KEY["wait_referral_to_assessment"])
    assert sorted(tally.values) == [3, 9, 14, 20, 30]
    assert nearest_rank(tally.values, 50) == 14 and nearest_rank(tally.values, 90) == 30


def test_psychiatrists_and_consultants_in_post_count_towards_the_ratio(team, worker):
    staff(team, role="consultant", discipline=Discipline.PSYCHIATRIST, fte=0.5)
    staff(team, fte=1.0, left=ago(30))  # left: not in post
    for _ in range(18):
        episode(team, worker)
    tally = compute_one(team, BY_KEY["staff_ratio"])
    assert tally.numerator == 18 and tally.fte == pytest.approx(1.5)
    assert measure_value(BY_KEY["staff_ratio"], tally) == pytest.approx(12)


def test_a_trend_point_is_the_figure_as_it_was_then(team, worker):
    """A care plan reviewed late shows as out of date in the month it was overdue."""
    e = episode(team, worker)
    v1 = care_plan(e, worker, on=ago(200), due=ago(50))
    care_plan(e, worker, on=ago(10), due=ago(-170), supersedes=v1)
    m = BY_KEY["care_plan_in_date"]
    results = selectors.compute([team.pk], as_of=AS_OF, params=measure_params(),
                                measures=[m], cached=False)
    by_end = {w.end: results.tally(m.key, w.key, [team.pk]) for w in results.windows[m.key]}
    assert by_end[AS_OF].numerator == 1
    assert by_end[date(2026, 2, 28)].numerator == 0  # the first version overdue since Jan
    assert by_end[date(2025, 12, 31)].numerator == 1 and by_end[date(2025, 12, 31)
                                                                ].denominator == 1
