"""Plans: DIALOG+ care plans, safety (crisis) plans, advance choices, relapse signatures, risk
formulations. Versioned (the old version kept), co-produced, amended with history, stale
edits refused, nonsense refused with field-level errors and nothing saved."""

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings

from outreach.clinical import selectors, services
from outreach.clinical.config import add_months
from outreach.clinical.models import (
    AdvanceChoice,
    CarePlan,
    CarePlanAction,
    DialogItem,
    DialogRating,
    RelapseSignature,
    RiskFormulation,
    SafetyPlan,
    WarningSign,
)
from outreach.records.models import Amendment, EpisodeStatus
from tests.clinical.conftest import audit_whats, days_ago, days_ahead, ratings, today

# --- Care plan -------------------------------------------------------------------------------


def test_care_plan_records_dialog_ratings_actions_and_co_production(person, practitioner):
    """11 ratings 1-7 with wants-more-help, up to 3 chosen areas, who does what, the person's
    words; review 6 months on by default; audited."""
    plan = services.care_plan_create(
        person=person, by=practitioner, request=None, date=today(),
        ratings=ratings(5, help_with=("accommodation", "friendships")),
        persons_words="I want my own flat", chosen_domains=["accommodation", "friendships"],
        actions=[{"what": "Housing referral", "who": "key worker", "domain": "accommodation"},
                 {"what": "Go to the allotment group", "who": "the person"}],
        co_produced_with="the person and his sister Ann", shared_with=["the person", " GP "],
    )
    assert plan.review_due == add_months(today(), 6)
    assert plan.ratings.count() == 11
    assert set(plan.ratings.filter(wants_more_help=True).values_list("item", flat=True)) == {
        "accommodation", "friendships"}
    assert [(a.order, a.who) for a in plan.actions.all()] == [(1, "key worker"),
                                                             (2, "the person")]
    assert plan.shared_with == ["the person", "GP"]
    assert plan.recorded_by == practitioner and plan.episode == person.episodes.get()
    assert plan.is_current
    assert audit_whats(person) == ["care plan created"]


def test_care_plan_review_defaults_to_one_month_when_stepped_up(person, practitioner):
    """Sooner review when the person's episode is stepped up."""
    person.episodes.update(status=EpisodeStatus.STEPPED_UP)
    plan = services.care_plan_create(person=person, by=practitioner, request=None,
                                     date=today(), ratings=ratings())
    assert plan.review_due == add_months(today(), 1)


@override_settings(OUTREACH_CLINICAL={"care_plan_review_months": 3})
def test_care_plan_review_interval_is_configuration(person, practitioner):
    plan = services.care_plan_create(person=person, by=practitioner, request=None,
                                     date=today(), ratings=ratings())
    assert plan.review_due == add_months(today(), 3)


@pytest.mark.parametrize("review_due, message", [
    (add_months(today(), 7), "at most 6 months"),
    (today(), "must be after"),
    (days_ago(1), "must be after"),
])
def test_care_plan_review_must_be_within_six_months_and_after_the_plan(
    person, practitioner, review_due, message
):
    with pytest.raises(services.ValidationFailed) as exc:
        services.care_plan_create(person=person, by=practitioner, request=None, date=today(),
                                  ratings=ratings(), review_due=review_due)
    assert message in exc.value.errors["review_due"][0]
    assert not CarePlan.objects.exists()


def test_care_plan_bad_input_gives_field_errors_and_saves_nothing(person, practitioner):
    """A missing item, a score of 8, four chosen areas, an action without who, a future date:
    every problem is reported against its field, and no row of any table is written."""
    bad = ratings()
    del bad["meetings"]
    bad["mental_health"] = (8, False)
    with pytest.raises(services.ValidationFailed) as exc:
        services.care_plan_create(
            person=person, by=practitioner, request=None, date=days_ahead(1), ratings=bad,
            chosen_domains=["mental_health", "leisure", "friendships", "accommodation"],
            actions=[{"what": "Call", "who": ""}],
        )
    errors = exc.value.errors
    assert "Meetings with mental health professionals" in errors["ratings"][0]
    assert "from 1" in errors["ratings.mental_health"][0]
    assert "up to 3" in errors["chosen_domains"][0]
    assert errors["actions.0.who"] == ["Say who does it."]
    assert errors["date"] == [services.FUTURE_DATE]
    assert not CarePlan.objects.exists()
    assert not DialogRating.objects.exists() and not CarePlanAction.objects.exists()
    assert audit_whats(person) == []


def test_a_failing_child_row_rolls_back_the_whole_plan(person, practitioner):
    """Nothing partial even when the database refuses a row after the plan was inserted."""
    with pytest.raises(IntegrityError), transaction.atomic():
        plan = services.care_plan_create(person=person, by=practitioner, request=None,
                                         date=today(), ratings=ratings())
        DialogRating.objects.create(plan=plan, item="mental_health", score=3,
                                    wants_more_help=False)  # a second rating of one item
    assert not CarePlan.objects.exists() and not DialogRating.objects.exists()


def test_database_refuses_a_dialog_score_outside_1_to_7(person, practitioner):
    plan = services.care_plan_create(person=person, by=practitioner, request=None,
                                     date=today(), ratings=ratings())
    DialogRating.objects.filter(plan=plan, item="leisure").update(score=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        DialogRating.objects.filter(plan=plan, item="leisure").update(score=0)


def test_new_version_keeps_the_old_plan_and_becomes_current(person, practitioner):
    """A review makes a new row that supersedes the old one; the old one is kept as it was."""
    old = services.care_plan_create(person=person, by=practitioner, request=None,
                                    date=days_ago(30), ratings=ratings(2),
                                    persons_words="first words", co_produced_with="the person")
    new = services.care_plan_new_version(plan=old, by=practitioner, request=None,
                                         expected_version=1, date=today(), ratings=ratings(5),
                                         persons_words="new words")
    old.refresh_from_db()
    assert old.persons_words == "first words" and old.ratings.get(item="leisure").score == 2
    assert not old.is_current and new.is_current and new.supersedes == old
    assert new.co_produced_with == "the person"  # carried over
    assert new.review_due == add_months(today(), 6)  # worked out afresh
    assert CarePlan.objects.filter(person=person).count() == 2
    assert selectors.front_sheet(person, today=today()).care_plan == new
    assert audit_whats(person)[-1] == f"care plan new version of {old.pk}"


def test_stale_new_version_is_refused(person, practitioner):
    """Two workers review the same plan: the second, from a stale read, is refused."""
    old = services.care_plan_create(person=person, by=practitioner, request=None,
                                    date=days_ago(30), ratings=ratings())
    services.care_plan_new_version(plan=old, by=practitioner, request=None,
                                   expected_version=1, date=today(), ratings=ratings(5))
    with pytest.raises(services.StaleEdit):
        services.care_plan_new_version(plan=old, by=practitioner, request=None,
                                       expected_version=1, date=today(), ratings=ratings(6))
    assert CarePlan.objects.filter(person=person).count() == 2


def test_a_superseded_version_cannot_be_versioned_again(person, practitioner):
    """Even with its fresh version number: the chain never forks, so one plan is current."""
    old = services.care_plan_create(person=person, by=practitioner, request=None,
                                    date=days_ago(30), ratings=ratings())
    services.care_plan_new_version(plan=old, by=practitioner, request=None,
                                   expected_version=1, date=today(), ratings=ratings(5))
    old.refresh_from_db()
    with pytest.raises(services.ValidationFailed) as exc:
        services.care_plan_new_version(plan=old, by=practitioner, request=None,
                                       expected_version=old.version, date=today(),
                                       ratings=ratings(6))
    assert exc.value.errors["supersedes"] == [services.NOT_CURRENT]
    assert CarePlan.objects.filter(person=person, superseded_by__isnull=True).count() == 1


def test_a_second_first_plan_is_refused(person, practitioner):
    """Creating a plan when there is one already would make two current plans."""
    services.care_plan_create(person=person, by=practitioner, request=None, date=today(),
                              ratings=ratings())
    with pytest.raises(services.ValidationFailed) as exc:
        services.care_plan_create(person=person, by=practitioner, request=None, date=today(),
                                  ratings=ratings())
    assert "new version" in exc.value.errors["person"][0]


def test_new_version_cannot_be_dated_before_the_old_one(person, practitioner):
    old = services.care_plan_create(person=person, by=practitioner, request=None,
                                     date=days_ago(5), ratings=ratings())
    with pytest.raises(services.ValidationFailed) as exc:
        services.care_plan_new_version(plan=old, by=practitioner, request=None,
                                       expected_version=1, date=days_ago(6), ratings=ratings())
    assert "date" in exc.value.errors
    old.refresh_from_db()
    assert old.version == 1 and old.is_current  # the refused attempt left no trace


def test_care_plan_amendment_keeps_old_values_including_ratings(person, practitioner):
    plan = services.care_plan_create(person=person, by=practitioner, request=None,
                                     date=today(), ratings=ratings(4), persons_words="x")
    services.care_plan_amend(plan=plan, by=practitioner, request=None, expected_version=1,
                             reason="typed the wrong score",
                             changes={"persons_words": "y", "ratings": {"leisure": (6, True)}})
    plan.refresh_from_db()
    assert plan.version == 2 and plan.persons_words == "y"
    assert plan.ratings.get(item="leisure").score == 6
    amendment = Amendment.objects.get(entity="careplan", entity_id=plan.pk)
    assert amendment.changes == {"persons_words": ["x", "y"],
                                 "rating:leisure": [[4, False], [6, True]]}
    assert amendment.reason == "typed the wrong score"
    with pytest.raises(services.StaleEdit):
        services.care_plan_amend(plan=plan, by=practitioner, request=None, expected_version=1,
                                 reason="again", changes={"persons_words": "z"})


def test_amendment_is_checked_like_a_new_entry(person, practitioner):
    """An amendment cannot make nonsense (review beyond 6 months) or change who recorded it."""
    plan = services.care_plan_create(person=person, by=practitioner, request=None,
                                     date=today(), ratings=ratings())
    with pytest.raises(services.ValidationFailed) as exc:
        services.care_plan_amend(plan=plan, by=practitioner, request=None, expected_version=1,
                                 reason="r", changes={"review_due": add_months(today(), 9)})
    assert "review_due" in exc.value.errors
    with pytest.raises(services.ValidationFailed) as exc:
        services.care_plan_amend(plan=plan, by=practitioner, request=None, expected_version=1,
                                 reason="r", changes={"recorded_by": None})
    assert exc.value.errors == {"recorded_by": [services.CANNOT_AMEND]}
    plan.refresh_from_db()
    assert plan.version == 1 and not Amendment.objects.exists()


def test_clinical_entries_are_never_deleted(person, practitioner):
    plan = services.care_plan_create(person=person, by=practitioner, request=None,
                                     date=today(), ratings=ratings())
    with pytest.raises(PermissionError):
        plan.delete()
    with pytest.raises(PermissionError):
        CarePlan.objects.all().delete()
    with pytest.raises(PermissionError):
        DialogRating.objects.filter(plan=plan).delete()
    assert CarePlan.objects.count() == 1 and DialogRating.objects.count() == 11


# --- Safety plan and advance choice ----------------------------------------------------------


def test_safety_plan_is_versioned_and_the_front_sheet_shows_only_the_current(
    person, practitioner
):
    old = services.safety_plan_create(
        person=person, by=practitioner, request=None, date=days_ago(200),
        wants_in_crisis="Home treatment", who_to_contact="Mum on 07700 900000",
        what_helps="Music", what_does_not_help="Being rushed",
        co_produced_with="the person and Mum", shared_with=["the person", "Mum"],
    )
    assert old.review_due == add_months(days_ago(200), 6)
    new = services.safety_plan_new_version(plan=old, by=practitioner, request=None,
                                           expected_version=1, date=today(),
                                           who_to_contact="Brother on 07700 900001")
    old.refresh_from_db()
    assert old.who_to_contact == "Mum on 07700 900000"  # kept
    assert new.what_helps == "Music" and new.supersedes == old
    sheet = selectors.front_sheet(person, today=today())
    assert sheet.safety_plan == new and not sheet.safety_plan_review_overdue
    crisis = selectors.crisis_summary(person, today=today())
    assert crisis.safety_plan == new
    assert audit_whats(person) == ["safety plan created",
                                   f"safety plan new version of {old.pk}"]


def test_safety_plan_past_review_is_shown_as_overdue(person, practitioner):
    """An outdated crisis plan is never shown as if it were up to date."""
    plan = services.safety_plan_create(person=person, by=practitioner, request=None,
                                       date=days_ago(200), review_due=days_ago(1),
                                       wants_in_crisis="x", who_to_contact="y")
    sheet = selectors.front_sheet(person, today=today())
    assert sheet.safety_plan == plan and sheet.safety_plan_review_overdue
    assert selectors.crisis_summary(person, today=today()).safety_plan_review_overdue
    assert [r.entry_id for r in selectors.safety_plans_overdue([person.pk],
                                                               today=today())] == [plan.pk]


def test_safety_plan_needs_the_crisis_wishes_and_who_to_contact(person, practitioner):
    with pytest.raises(services.ValidationFailed) as exc:
        services.safety_plan_create(person=person, by=practitioner, request=None,
                                    date=today(), wants_in_crisis=" ", who_to_contact="",
                                    review_due=days_ago(3))
    assert set(exc.value.errors) == {"wants_in_crisis", "who_to_contact", "review_due"}
    assert not SafetyPlan.objects.exists()


def test_safety_plan_amendment_and_stale_edit(person, practitioner):
    plan = services.safety_plan_create(person=person, by=practitioner, request=None,
                                       date=today(), wants_in_crisis="x", who_to_contact="y")
    services.safety_plan_amend(plan=plan, by=practitioner, request=None, expected_version=1,
                               reason="wrong number", changes={"who_to_contact": "z"})
    with pytest.raises(services.StaleEdit):
        services.safety_plan_amend(plan=plan, by=practitioner, request=None,
                                   expected_version=1, reason="r",
                                   changes={"who_to_contact": "w"})
    plan.refresh_from_db()
    assert plan.who_to_contact == "z"
    assert Amendment.objects.get(entity="safetyplan").changes == {"who_to_contact": ["y", "z"]}


def test_advance_choice_versions(person, practitioner):
    doc = services.advance_choice_create(person=person, by=practitioner, request=None,
                                         date=days_ago(10), statements="No ECT",
                                         co_produced_with="the person and advocate")
    new = services.advance_choice_new_version(document=doc, by=practitioner, request=None,
                                              expected_version=1, date=today(),
                                              statements="No ECT; olanzapine helps")
    doc.refresh_from_db()
    assert doc.statements == "No ECT" and new.supersedes == doc
    assert selectors.crisis_summary(person, today=today()).advance_choice == new
    with pytest.raises(services.ValidationFailed) as exc:
        services.advance_choice_create(person=person, by=practitioner, request=None,
                                       date=today(), statements="")
    assert "person" in exc.value.errors and "statements" in exc.value.errors
    assert AdvanceChoice.objects.count() == 2


# --- Relapse signature -----------------------------------------------------------------------


def test_relapse_signature_keeps_the_signs_in_order(person, practitioner):
    signature = services.relapse_signature_create(
        person=person, by=practitioner, request=None, date=today(),
        signs=[{"sign": "Stops answering the phone", "what_to_do": "Visit that day"},
               {"sign": "Says the TV talks to him", "what_to_do": "Tell the consultant"}],
        co_produced_with="the person",
    )
    assert [(s.order, s.sign) for s in signature.signs.all()] == [
        (1, "Stops answering the phone"), (2, "Says the TV talks to him")]
    assert selectors.front_sheet(person, today=today()).warning_signs == tuple(
        signature.signs.all())


def test_relapse_signature_needs_signs_in_the_persons_words(person, practitioner):
    with pytest.raises(services.ValidationFailed) as exc:
        services.relapse_signature_create(person=person, by=practitioner, request=None,
                                          date=today(), signs=[{"sign": "ok"}, {"sign": " "}])
    assert list(exc.value.errors) == ["signs.1.sign"]
    with pytest.raises(services.ValidationFailed) as exc:
        services.relapse_signature_create(person=person, by=practitioner, request=None,
                                          date=today(), signs=[])
    assert "signs" in exc.value.errors
    assert not RelapseSignature.objects.exists() and not WarningSign.objects.exists()


def test_relapse_signature_new_version_carries_signs_and_refuses_old_sign_observations(
    person, practitioner
):
    old = services.relapse_signature_create(person=person, by=practitioner, request=None,
                                            date=days_ago(10), signs=[{"sign": "Pacing"}])
    new = services.relapse_signature_new_version(signature=old, by=practitioner, request=None,
                                                 expected_version=1, date=today())
    assert [s.sign for s in new.signs.all()] == ["Pacing"]
    assert old.signs.count() == 1  # the old version's signs are kept
    with pytest.raises(services.ValidationFailed) as exc:
        services.sign_observed(sign=old.signs.get(), by=practitioner, request=None,
                               observed_on=today())
    assert "earlier version" in exc.value.errors["sign"][0]


# --- Risk formulation ------------------------------------------------------------------------


def test_risk_formulation_is_a_narrative_with_no_score(person, practitioner):
    """Design rule 6: there is no field that could hold a score, level or rating of risk."""
    formulation = services.risk_formulation_create(
        person=person, by=practitioner, request=None,
        history="Assaulted a neighbour in 2019 when using crack and unwell",
        triggers="Access to crack cocaine; eviction notices",
        protective_factors="Sister; dog", what_reduces_risk="Daily contact when using",
        reviewed_on=today(), two_staff_visits=True,
    )
    assert formulation.review_due == add_months(today(), 6)
    numeric = {f.name for f in RiskFormulation._meta.get_fields()
               if f.get_internal_type() in {"IntegerField", "PositiveIntegerField",
                                            "PositiveSmallIntegerField", "SmallIntegerField",
                                            "FloatField", "DecimalField", "BigIntegerField"}}
    assert numeric == {"version"}
    words = ("score", "level", "rating", "rag", "band", "probability", "predict")
    assert not [f.name for f in RiskFormulation._meta.get_fields()
                if any(w in f.name for w in words)]
    assert selectors.crisis_summary(person, today=today()).two_staff_visits


def test_risk_formulation_fields_and_review_dates(person, practitioner):
    with pytest.raises(services.ValidationFailed) as exc:
        services.risk_formulation_create(
            person=person, by=practitioner, request=None, history="", triggers="t",
            protective_factors="", what_reduces_risk="w", reviewed_on=today(),
            review_due=days_ago(10),
        )
    assert set(exc.value.errors) == {"history", "protective_factors", "review_due"}
    assert not RiskFormulation.objects.exists()


def test_risk_formulation_new_version_and_overdue_review(person, practitioner):
    old = services.risk_formulation_create(
        person=person, by=practitioner, request=None, history="h", triggers="t",
        protective_factors="p", what_reduces_risk="w", reviewed_on=days_ago(300),
        review_due=days_ago(100),
    )
    assert [r.entry_id for r in selectors.risk_reviews_overdue([person.pk],
                                                               today=today())] == [old.pk]
    assert selectors.front_sheet(person, today=today()).risk_review_overdue
    new = services.risk_formulation_new_version(formulation=old, by=practitioner, request=None,
                                                expected_version=1, reviewed_on=today(),
                                                triggers="t2")
    assert new.history == "h" and new.triggers == "t2"
    assert selectors.risk_reviews_overdue([person.pk], today=today()) == []
    old.refresh_from_db()
    assert old.triggers == "t"


def test_dialog_scores_over_time_show_every_version(person, practitioner):
    first = services.care_plan_create(person=person, by=practitioner, request=None,
                                      date=days_ago(60), ratings=ratings(2, ("leisure",)))
    better = ratings(5)
    better["medication"] = (7, False)
    services.care_plan_new_version(plan=first, by=practitioner, request=None,
                                   expected_version=1, date=today(), ratings=better)
    points = selectors.dialog_scores_over_time(person)
    assert [p.date for p in points] == [days_ago(60), today()]
    assert points[0].sqol == 2.0 and points[0].wants_more_help == {"leisure"}
    assert points[1].scores["medication"] == 7
    assert points[1].treatment_satisfaction == round((7 + 5 + 5) / 3, 2)
    assert len(points[1].scores) == len(DialogItem.values)
