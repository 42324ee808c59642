"""Medication and depots: stops against advice, restarts, the depot schedule moving on only when
a dose is given, nonsense intervals refused."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings

from outreach.clinical import selectors, services
from outreach.clinical.models import Depot, DepotDose, DoseOutcome, Medication
from outreach.records.models import Amendment
from tests.clinical.conftest import audit_whats, days_ago, days_ahead, today


def start_depot(person, by, *, next_due=None, interval_days=14, **kw):
    return services.depot_start(person=person, by=by, request=None,
                                medicine="Zuclopenthixol decanoate", dose="200 mg",
                                interval_days=interval_days,
                                next_due=next_due or days_ahead(3),
                                started_on=kw.pop("started_on", days_ago(100)), **kw)


def test_medication_stop_against_advice_and_restart_as_a_new_row(person, practitioner):
    med = services.medication_start(person=person, by=practitioner, request=None,
                                    name="Clozapine", dose="300 mg", frequency="nightly",
                                    started=days_ago(300))
    services.medication_stop(medication=med, by=practitioner, request=None, expected_version=1,
                             stopped=days_ago(5), against_advice=True)
    assert selectors.front_sheet(person, today=today()).medications == ()
    new = services.medication_restart(medication=med, by=practitioner, request=None,
                                      expected_version=2, restarted=days_ago(1),
                                      dose="100 mg")
    med.refresh_from_db()
    assert med.stopped == days_ago(5) and med.stopped_against_advice
    assert med.restarted == days_ago(1)  # the history of the stop is kept
    assert new.pk != med.pk and new.started == days_ago(1) and new.dose == "100 mg"
    assert selectors.front_sheet(person, today=today()).medications == (new,)
    assert audit_whats(person) == [
        "medication started: Clozapine", "medication stopped against advice: Clozapine",
        "medication restarted: Clozapine", "medication started: Clozapine"]


def test_medication_dates_that_make_no_sense_are_refused(person, practitioner):
    with pytest.raises(services.ValidationFailed) as exc:
        services.medication_start(person=person, by=practitioner, request=None, name="",
                                  dose="1 mg", frequency="daily", started=days_ahead(1))
    assert set(exc.value.errors) == {"name", "started"}
    med = services.medication_start(person=person, by=practitioner, request=None, name="X",
                                    dose="1 mg", frequency="daily", started=days_ago(10))
    with pytest.raises(services.ValidationFailed) as exc:
        services.medication_stop(medication=med, by=practitioner, request=None,
                                 expected_version=1, stopped=days_ago(11))
    assert "before it was started" in exc.value.errors["stopped"][0]
    with pytest.raises(services.ValidationFailed) as exc:
        services.medication_restart(medication=med, by=practitioner, request=None,
                                    expected_version=1, restarted=today())
    assert "Only a stopped medicine" in exc.value.errors["restarted"][0]
    med.refresh_from_db()
    assert med.version == 1 and Medication.objects.count() == 1


def test_medication_stale_stop_is_refused_and_amend_keeps_history(person, practitioner):
    med = services.medication_start(person=person, by=practitioner, request=None, name="X",
                                    dose="1 mg", frequency="daily", started=days_ago(10))
    services.medication_amend(medication=med, by=practitioner, request=None,
                              expected_version=1, reason="dose typo",
                              changes={"dose": "10 mg"})
    with pytest.raises(services.StaleEdit):
        services.medication_stop(medication=med, by=practitioner, request=None,
                                 expected_version=1, stopped=today())
    assert Amendment.objects.get(entity="medication").changes == {"dose": ["1 mg", "10 mg"]}


def test_depot_given_moves_the_next_due_date_on_by_the_interval(person, practitioner):
    depot = start_depot(person, practitioner, next_due=days_ago(1))
    dose = services.depot_dose_record(depot=depot, by=practitioner, request=None,
                                      expected_version=1, outcome=DoseOutcome.GIVEN,
                                      given_on=today(),
                                      site="deltoid_left", batch="AB1234")
    depot.refresh_from_db()
    assert dose.due_on == days_ago(1) and dose.given_by == practitioner
    assert depot.next_due == today() + timedelta(days=14)
    assert audit_whats(person)[-1] == (
        f"depot dose given: Zuclopenthixol decanoate due {days_ago(1).isoformat()}")


@pytest.mark.parametrize("outcome", [DoseOutcome.REFUSED, DoseOutcome.MISSED])
def test_depot_refused_or_missed_leaves_it_due(person, practitioner, outcome):
    depot = start_depot(person, practitioner, next_due=days_ago(1))
    services.depot_dose_record(depot=depot, by=practitioner, request=None, expected_version=1,
                               outcome=outcome)
    depot.refresh_from_db()
    assert depot.next_due == days_ago(1)
    due = selectors.depots_due([person.pk], start=today(), end=today())
    assert [(d.depot_id, d.overdue) for d in due] == [(depot.pk, True)]


def test_depot_interval_of_zero_is_refused(person, practitioner):
    with pytest.raises(services.ValidationFailed) as exc:
        start_depot(person, practitioner, interval_days=0)
    assert exc.value.errors["interval_days"] == [
        "The interval between injections must be a whole number of days from 1 to 366."]
    assert not Depot.objects.exists()


def test_database_also_refuses_a_depot_interval_of_zero(person, practitioner):
    depot = start_depot(person, practitioner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Depot.objects.filter(pk=depot.pk).update(interval_days=0)


def test_depot_nonsense_is_refused_field_by_field(person, practitioner):
    with pytest.raises(services.ValidationFailed) as exc:
        services.depot_start(person=person, by=practitioner, request=None, medicine=" ",
                             dose="", interval_days=28, tolerance_days=28,
                             started_on=today(), next_due=days_ago(1))
    assert set(exc.value.errors) == {"medicine", "dose", "tolerance_days", "next_due"}


@override_settings(OUTREACH_CLINICAL={"depot_tolerance_days": 3})
def test_depot_tolerance_defaults_from_configuration(person, practitioner):
    assert start_depot(person, practitioner).tolerance_days == 3


def test_depot_dose_recording_refuses_nonsense(person, practitioner):
    depot = start_depot(person, practitioner, next_due=days_ago(1))
    cases = [
        ({"outcome": "given"}, "given_on"),  # given needs a date
        ({"outcome": "given", "given_on": days_ahead(1)}, "given_on"),
        ({"outcome": "refused", "given_on": today()}, "given_on"),
        ({"outcome": "missed", "due_on": days_ahead(2)}, "due_on"),
        ({"outcome": "lost"}, "outcome"),
        ({"outcome": "given", "given_on": today(), "due_on": days_ago(200)}, "due_on"),
    ]
    for kwargs, field in cases:
        with pytest.raises(services.ValidationFailed) as exc:
            services.depot_dose_record(depot=depot, by=practitioner, request=None,
                                       expected_version=1, **kwargs)
        assert field in exc.value.errors, kwargs
    assert not DepotDose.objects.exists()
    depot.refresh_from_db()
    assert depot.version == 1 and depot.next_due == days_ago(1)


def test_depot_dose_on_a_stale_schedule_is_refused(person, practitioner):
    """Two workers record the same injection: the second is refused, not given twice."""
    depot = start_depot(person, practitioner, next_due=today())
    services.depot_dose_record(depot=depot, by=practitioner, request=None, expected_version=1,
                               outcome="given", given_on=today(),
                               site="deltoid_left", batch="AB1234")
    with pytest.raises(services.StaleEdit):
        services.depot_dose_record(depot=depot, by=practitioner, request=None,
                                   expected_version=1, outcome="given", given_on=today(),
                                   site="deltoid_right", batch="AB1234")
    assert DepotDose.objects.count() == 1


def test_the_same_due_dose_cannot_be_given_twice(person, practitioner):
    depot = start_depot(person, practitioner, next_due=days_ago(1))
    services.depot_dose_record(depot=depot, by=practitioner, request=None, expected_version=1,
                               outcome="given", given_on=today(),
                               site="deltoid_left", batch="AB1234")
    with pytest.raises(services.ValidationFailed) as exc:
        services.depot_dose_record(depot=depot, by=practitioner, request=None,
                                   expected_version=2, outcome="given", given_on=today(),
                                   site="deltoid_left", batch="AB1234",
                                   due_on=days_ago(1))
    assert "already recorded as given" in exc.value.errors["due_on"][0]


def test_a_stopped_depot_takes_no_doses_and_leaves_the_due_list(person, practitioner):
    depot = start_depot(person, practitioner, next_due=today())
    services.depot_stop(depot=depot, by=practitioner, request=None, expected_version=1,
                        stopped_on=today(), reason="Switched to oral")
    assert selectors.depots_due([person.pk], start=today(), end=days_ahead(30)) == []
    depot.refresh_from_db()
    with pytest.raises(services.ValidationFailed) as exc:
        services.depot_dose_record(depot=depot, by=practitioner, request=None,
                                   expected_version=depot.version, outcome="given",
                                   given_on=today(),
                                   site="deltoid_left", batch="AB1234")
    assert "depot" in exc.value.errors
    assert Amendment.objects.get(entity="depot").reason == "Depot stopped: Switched to oral"
    with pytest.raises(services.ValidationFailed) as exc:
        services.depot_stop(depot=depot, by=practitioner, request=None,
                            expected_version=depot.version, stopped_on=today(), reason="")
    assert set(exc.value.errors) == {"stopped_on", "reason"}


def test_depot_dose_amendment_keeps_the_original(person, practitioner):
    depot = start_depot(person, practitioner, next_due=days_ago(1))
    dose = services.depot_dose_record(depot=depot, by=practitioner, request=None,
                                      expected_version=1, outcome="missed")
    services.depot_dose_amend(dose=dose, by=practitioner, request=None, expected_version=1,
                              reason="was refused, not missed", changes={"outcome": "refused"})
    assert Amendment.objects.get(entity="depotdose").changes == {
        "outcome": ["missed", "refused"]}
    with pytest.raises(services.ValidationFailed) as exc:
        services.depot_dose_amend(dose=dose, by=practitioner, request=None, expected_version=2,
                                  reason="r", changes={"outcome": "given"})
    assert "given_on" in exc.value.errors


def test_depots_due_lists_the_window_and_what_is_still_overdue(
    person, practitioner, make_person, stranger
):
    other = make_person()
    soon = start_depot(person, practitioner, next_due=days_ahead(3))
    late = start_depot(other, practitioner, next_due=days_ago(4))
    services.depot_start(person=person, by=practitioner, request=None, medicine="Paliperidone",
                         dose="100 mg", interval_days=28, next_due=days_ahead(20),
                         started_on=days_ago(10))
    services.depot_start(person=stranger, by=practitioner, request=None, medicine="X",
                         dose="1 mg", interval_days=28, next_due=days_ahead(1),
                         started_on=days_ago(10))
    due = selectors.depots_due([person.pk, other.pk], start=today(), end=days_ahead(7))
    assert [(d.depot_id, d.overdue) for d in due] == [(late.pk, True), (soon.pk, False)]
    only_window = selectors.depots_due([person.pk, other.pk], start=today(),
                                       end=days_ahead(7), include_overdue=False)
    assert [d.depot_id for d in only_window] == [soon.pk]
