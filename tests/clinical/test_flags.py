"""Every red-flag trigger, from real rows written by the services, seen through
flags_for_people; each stands while its cause stands and clears only by the recorded action.
The query count does not grow with the number of people."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from outreach.clinical import selectors, services
from outreach.clinical.models import DoseOutcome
from outreach.core.engagement import EngagementState
from outreach.core.redflags import FlagKind
from tests import factories
from tests.clinical.conftest import (
    add_carer,
    days_ago,
    days_ahead,
    fill_record,
    kinds,
    today,
)


def flags(person, **kwargs):
    """Flags from the clinical record alone (engagement given as unknown)."""
    kwargs.setdefault("engagement", {})
    return selectors.flags_for_people([person.pk], today=kwargs.pop("today", today()),
                                      **kwargs)[person.pk]


def of_kind(person, kind: FlagKind, **kwargs):
    return [f for f in flags(person, **kwargs) if f.kind == kind]


def depot(person, by, next_due, tolerance_days=7):
    return services.depot_start(person=person, by=by, request=None, medicine="Flupentixol",
                                dose="40 mg", interval_days=14, next_due=next_due,
                                started_on=days_ago(200), tolerance_days=tolerance_days)


def test_no_record_no_flags(person):
    assert flags(person) == ()


def test_missed_depot_is_flagged_until_a_dose_is_given(person, practitioner):
    d = depot(person, practitioner, next_due=days_ago(2))
    services.depot_dose_record(depot=d, by=practitioner, request=None, expected_version=1,
                               outcome=DoseOutcome.MISSED)
    [flag] = of_kind(person, FlagKind.DEPOT_MISSED)
    assert flag.since == days_ago(2) and "Flupentixol 40 mg" in flag.reason
    assert flag.reason.endswith("was missed.")
    d.refresh_from_db()
    services.depot_dose_record(depot=d, by=practitioner, request=None,
                               expected_version=d.version, outcome=DoseOutcome.GIVEN,
                               given_on=today(),
                               site="deltoid_left", batch="AB1234")
    assert of_kind(person, FlagKind.DEPOT_MISSED) == []


def test_refused_depot_is_flagged(person, practitioner):
    d = depot(person, practitioner, next_due=days_ago(1))
    services.depot_dose_record(depot=d, by=practitioner, request=None, expected_version=1,
                               outcome=DoseOutcome.REFUSED)
    [flag] = of_kind(person, FlagKind.DEPOT_REFUSED)
    assert "was refused" in flag.reason


def test_overdue_depot_is_flagged_once_past_its_tolerance(person, practitioner):
    """Due 8 days ago with 7 days' tolerance: overdue today. Due 7 days ago: not yet."""
    depot(person, practitioner, next_due=days_ago(8))
    [flag] = of_kind(person, FlagKind.DEPOT_OVERDUE)
    assert flag.since == today() and "8 days overdue" in flag.reason
    assert of_kind(person, FlagKind.DEPOT_OVERDUE, today=days_ago(1)) == []


def test_an_unrecorded_depot_is_flagged_overdue_without_any_dose_rows(person, practitioner):
    """Nobody recorded anything at all: the schedule alone raises the flag."""
    depot(person, practitioner, next_due=days_ago(30), tolerance_days=0)
    assert FlagKind.DEPOT_OVERDUE in kinds(person.pk, {person.pk: flags(person)})


def test_medication_stopped_against_advice_is_flagged_until_restarted(person, practitioner):
    med = services.medication_start(person=person, by=practitioner, request=None,
                                    name="Olanzapine", dose="10 mg", frequency="nightly",
                                    started=days_ago(100))
    services.medication_stop(medication=med, by=practitioner, request=None, expected_version=1,
                             stopped=days_ago(4), against_advice=True)
    [flag] = of_kind(person, FlagKind.MEDICATION_STOPPED)
    assert flag.since == days_ago(4) and "Olanzapine" in flag.reason
    services.medication_restart(medication=med, by=practitioner, request=None,
                                expected_version=2, restarted=today())
    assert of_kind(person, FlagKind.MEDICATION_STOPPED) == []


def test_medication_stopped_with_agreement_is_not_flagged(person, practitioner):
    med = services.medication_start(person=person, by=practitioner, request=None,
                                    name="Procyclidine", dose="5 mg", frequency="daily",
                                    started=days_ago(100))
    services.medication_stop(medication=med, by=practitioner, request=None, expected_version=1,
                             stopped=days_ago(4))
    assert flags(person) == ()


def test_depot_stopped_against_advice_is_flagged_until_started_again(person, practitioner):
    d = depot(person, practitioner, next_due=days_ahead(5))
    services.depot_stop(depot=d, by=practitioner, request=None, expected_version=1,
                        stopped_on=days_ago(1), reason="Refuses further injections",
                        against_advice=True)
    [flag] = of_kind(person, FlagKind.MEDICATION_STOPPED)
    assert "Flupentixol" in flag.reason
    services.depot_start(person=person, by=practitioner, request=None, medicine="flupentixol",
                         dose="20 mg", interval_days=14, next_due=days_ahead(14),
                         started_on=today())
    assert of_kind(person, FlagKind.MEDICATION_STOPPED) == []


def test_carer_concern_is_flagged_until_followed_up(person, practitioner):
    carer = add_carer(person, name="Ann Smith", relationship="mother")
    contact = services.carer_contact_create(
        person=person, carer=carer, by=practitioner, request=None, date=days_ago(3),
        what_they_said="He has not left his room for a week", concern=True,
    )
    [flag] = of_kind(person, FlagKind.FAMILY_CONCERN)
    assert flag.since == days_ago(3)
    assert "Ann Smith (mother): He has not left his room for a week" in flag.reason
    assert flag.source == f"carer_concern:{contact.pk}"
    # Time alone never clears it.
    assert of_kind(person, FlagKind.FAMILY_CONCERN, today=days_ahead(300))
    services.carer_concern_follow_up(contact=contact, by=practitioner, request=None,
                                     expected_version=1, followed_up_on=today(),
                                     note="Rang Ann; visited him today")
    assert of_kind(person, FlagKind.FAMILY_CONCERN) == []


def test_carer_contact_without_a_concern_is_not_flagged(person, practitioner):
    services.carer_contact_create(person=person, carer=add_carer(person), by=practitioner,
                                  request=None, date=today(), what_they_said="All fine")
    assert flags(person) == ()


def test_warning_sign_observed_is_flagged_until_cleared(person, practitioner):
    signature = services.relapse_signature_create(
        person=person, by=practitioner, request=None, date=days_ago(50),
        signs=[{"sign": "Stops answering the phone"}, {"sign": "Talks about the neighbours"}],
    )
    sign = signature.signs.get(order=2)
    observation = services.sign_observed(sign=sign, by=practitioner, request=None,
                                         observed_on=days_ago(1), note="On the doorstep")
    [flag] = of_kind(person, FlagKind.EARLY_WARNING_SIGN)
    assert "Talks about the neighbours" in flag.reason
    # A new version of the signature does not make the observed sign go away.
    services.relapse_signature_new_version(signature=signature, by=practitioner, request=None,
                                           expected_version=1, date=today())
    assert len(of_kind(person, FlagKind.EARLY_WARNING_SIGN)) == 1
    with pytest.raises(services.ValidationFailed):
        services.sign_cleared(observation=observation, by=practitioner, request=None,
                              expected_version=1, cleared_on=days_ago(2))
    services.sign_cleared(observation=observation, by=practitioner, request=None,
                          expected_version=1, cleared_on=today(), note="Settled after review")
    assert of_kind(person, FlagKind.EARLY_WARNING_SIGN) == []


def test_cto_expiry_within_notice_is_flagged(person, practitioner):
    """Default notice 28 days: expiry in 28 days is flagged, in 29 days not yet."""
    cto = services.cto_create(person=person, by=practitioner, request=None,
                              start=days_ago(150), expiry=days_ahead(28))
    [flag] = of_kind(person, FlagKind.LEGAL_DEADLINE)
    assert flag.reason.startswith("CTO expiry due") and "in 28 days" in flag.reason
    assert of_kind(person, FlagKind.LEGAL_DEADLINE, today=days_ago(1)) == []
    services.cto_renew(cto=cto, by=practitioner, request=None, expected_version=1,
                       renewed_on=today(), new_expiry=days_ahead(210))
    assert of_kind(person, FlagKind.LEGAL_DEADLINE) == []


def test_cto_expired_and_not_renewed_stays_flagged_until_ended(person, practitioner):
    cto = services.cto_create(person=person, by=practitioner, request=None,
                              start=days_ago(190), expiry=days_ago(3))
    [flag] = of_kind(person, FlagKind.LEGAL_DEADLINE)
    assert "overdue by 3 days" in flag.reason
    services.cto_amend(cto=cto, by=practitioner, request=None, expected_version=1,
                       reason="lapsed; RC informed", changes={"ended_on": days_ago(3)})
    assert of_kind(person, FlagKind.LEGAL_DEADLINE) == []


@override_settings(OUTREACH_FLAGS={"legal_notice_days": 60})
def test_legal_notice_is_configuration(person, practitioner):
    services.cto_create(person=person, by=practitioner, request=None, start=days_ago(150),
                        expiry=days_ahead(40))
    assert of_kind(person, FlagKind.LEGAL_DEADLINE)


def test_section_117_review_within_notice_is_flagged(person, practitioner):
    services.section117_create(person=person, by=practitioner, request=None, eligible=True,
                               eligible_from=days_ago(300), review_due=days_ahead(7))
    [flag] = of_kind(person, FlagKind.LEGAL_DEADLINE)
    assert flag.reason.startswith("Section 117 review due")


@pytest.mark.parametrize("status, flagged", [
    ("homeless", True), ("no_fixed_abode", True), ("at_risk", True),
    ("temporary", False), ("settled", False),
])
def test_homelessness_is_flagged(person, practitioner, status, flagged):
    services.social_circumstances_create(
        person=person, by=practitioner, request=None, assessed_on=today(),
        accommodation_status=status, accommodation_since=days_ago(5),
    )
    assert bool(of_kind(person, FlagKind.HOUSING_LOSS)) == flagged


def test_housing_flag_clears_when_settled_accommodation_is_recorded(person, practitioner):
    first = services.social_circumstances_create(
        person=person, by=practitioner, request=None, assessed_on=days_ago(20),
        accommodation_status="homeless", accommodation_since=days_ago(30),
    )
    services.social_circumstances_new_version(
        circumstances=first, by=practitioner, request=None, expected_version=1,
        assessed_on=today(), accommodation_status="settled", accommodation_since=days_ago(1),
    )
    assert of_kind(person, FlagKind.HOUSING_LOSS) == []


def test_police_contact_is_flagged_for_the_configured_days(person, practitioner):
    services.police_contact_record(person=person, by=practitioner, request=None,
                                   date=days_ago(3), summary="Detained under section 136")
    [flag] = of_kind(person, FlagKind.POLICE_CONTACT)
    assert "Detained under section 136" in flag.reason
    assert of_kind(person, FlagKind.POLICE_CONTACT, today=days_ahead(25)) == []  # 28 days


def test_substance_use_is_flagged_until_recorded_as_stopped(person, practitioner):
    first = services.social_circumstances_create(
        person=person, by=practitioner, request=None, assessed_on=days_ago(10),
        accommodation_status="settled", accommodation_since=days_ago(400),
        substance_use=[{"substance": "Cannabis", "current": True, "since": days_ago(90)},
                       {"substance": "Alcohol", "current": False, "since": days_ago(900)}],
    )
    [flag] = of_kind(person, FlagKind.SUBSTANCE_USE)
    assert "Cannabis" in flag.reason
    services.social_circumstances_new_version(
        circumstances=first, by=practitioner, request=None, expected_version=1,
        assessed_on=today(),
        substance_use=[{"substance": "Cannabis", "current": False, "since": days_ago(90)}],
    )
    assert of_kind(person, FlagKind.SUBSTANCE_USE) == []


@pytest.mark.parametrize("kind, level, flag_kind", [
    ("mappa", 2, FlagKind.MAPPA), ("marac", None, FlagKind.MARAC)])
def test_mappa_and_marac_are_flagged_until_ended(person, practitioner, kind, level,
                                                 flag_kind):
    entry = services.multi_agency_create(person=person, by=practitioner, request=None,
                                         kind=kind, level=level, active_since=days_ago(30))
    assert of_kind(person, flag_kind)
    services.multi_agency_amend(entry=entry, by=practitioner, request=None, expected_version=1,
                                reason="closed at the meeting", changes={"ended_on": today()})
    assert of_kind(person, flag_kind) == []


def test_lost_contact_comes_from_the_callers_engagement(person):
    engagement = {person.pk: (EngagementState.LOST_CONTACT.value, days_ago(20))}
    [flag] = of_kind(person, FlagKind.LOST_CONTACT, engagement=engagement)
    assert flag.since == days_ago(20)


def test_lost_contact_is_worked_out_when_the_caller_does_not_give_it(
    person, practitioner, make_person
):
    """Accepted 100 days ago and never seen: escalated. Seen yesterday: no flag."""
    seen = make_person()
    factories.add_contact(seen, practitioner, days_ago=1)
    result = selectors.flags_for_people([person.pk, seen.pk], today=today())
    assert kinds(person.pk, result) == {FlagKind.LOST_CONTACT}
    assert kinds(seen.pk, result) == set()


def test_a_full_record_raises_each_of_its_flags_for_its_person_only(
    person, practitioner, make_person
):
    other = make_person()
    fill_record(person, practitioner)
    result = selectors.flags_for_people([person.pk, other.pk], today=today(), engagement={})
    assert kinds(person.pk, result) == {
        FlagKind.FAMILY_CONCERN, FlagKind.MEDICATION_STOPPED, FlagKind.DEPOT_MISSED,
        FlagKind.HOUSING_LOSS, FlagKind.POLICE_CONTACT, FlagKind.SUBSTANCE_USE,
        FlagKind.EARLY_WARNING_SIGN, FlagKind.LEGAL_DEADLINE, FlagKind.MAPPA,
    }
    assert result[other.pk] == ()
    snapshot = selectors.snapshot_for_people([person.pk], today=today(),
                                             engagement={})[person.pk]
    assert len(snapshot.legal_deadlines) == 3  # CTO expiry, CTO renewal, S117 review


def _count_queries(person_ids, call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call(person_ids)
    return len(ctx.captured_queries)


def test_flags_for_people_query_count_is_constant(team, practitioner):
    """2 people or 10, every table filled for each: the same number of queries."""
    people = [factories.make_person(team, practitioner) for _ in range(10)]
    for p in people:
        fill_record(p, practitioner)
    ids = [p.pk for p in people]

    def call(some):
        return selectors.flags_for_people(some, today=today())

    two, ten = _count_queries(ids[:2], call), _count_queries(ids, call)
    assert two == ten
    assert ten <= 15
    flagged = selectors.flags_for_people(ids, today=today())
    assert all(FlagKind.DEPOT_MISSED in {f.kind for f in flagged[pid]} for pid in ids)


def test_no_people_no_queries(db):
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.flags_for_people([], today=today()) == {}
    assert len(ctx.captured_queries) == 0
