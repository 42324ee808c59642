"""Front sheet, crisis summary and the due lists: what they show, and that their query counts do
not grow with the number of people."""

from datetime import date

import pytest
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from outreach.audit.models import AuditEvent
from outreach.clinical import selectors, services
from outreach.clinical.config import ClinicalConfig, add_months, clinical_config, flag_config
from outreach.core.redflags import FlagKind
from outreach.records.models import CoverAssignment
from tests import factories
from tests.clinical.conftest import add_carer, days_ago, days_ahead, fill_record, ratings, today


def test_front_sheet_shows_the_whole_clinical_record(person, practitioner):
    fill_record(person, practitioner)
    sheet = selectors.front_sheet(person, today=today())
    assert sheet.person == person and sheet.today == today()
    assert {f.kind for f in sheet.flags} >= {FlagKind.FAMILY_CONCERN, FlagKind.DEPOT_MISSED,
                                             FlagKind.LOST_CONTACT}
    assert sheet.safety_plan.wants_in_crisis == "Call my sister"
    assert sheet.advance_choice.statements == "No haloperidol"
    assert [s.sign for s in sheet.warning_signs] == ["Sleeping less"]
    assert len(sheet.open_sign_observations) == 1
    assert sheet.care_plan.review_due == add_months(days_ago(10), 6)
    assert [a.what for a in sheet.care_plan.actions.all()] == ["Weekly walk"]
    assert not sheet.care_plan_review_overdue
    assert sheet.risk_formulation.two_staff_visits
    assert [m.name for m in sheet.medications] == ["Sertraline"]  # lithium was stopped
    [line] = sheet.depots
    assert line.depot.medicine == "Zuclopenthixol" and line.last_dose.outcome == "missed"
    assert not line.overdue  # due 2 days ago, 7 days' tolerance
    assert sheet.legal.cto.expiry == days_ahead(10)
    assert [d.kind for d in sheet.legal.deadlines] == ["cto_renewal", "cto_expiry",
                                                      "s117_review"]
    assert sheet.legal.detentions == ()  # the section 3 ended
    assert sheet.legal.section117.eligible and len(sheet.legal.multi_agency) == 1
    assert sheet.social_circumstances.accommodation_status == "homeless"
    assert [s.substance for s in sheet.substance_use] == ["Cannabis"]
    assert [p.summary for p in sheet.police_contacts] == ["Arrested, released"]
    assert sheet.physical_health.bmi == 31.0 and not sheet.physical_health_overdue
    assert sheet.carers[0].latest_contact.what_they_said == "He is not sleeping"
    assert sheet.ot_assessment.kind == "mohost"


def test_front_sheet_of_an_empty_record(person):
    sheet = selectors.front_sheet(person, today=today())
    assert sheet.safety_plan is None and sheet.care_plan is None
    assert sheet.depots == () and sheet.carers == () and sheet.legal.deadlines == ()
    assert sheet.physical_health_overdue  # never checked


def test_front_sheet_reuses_the_caseload_rows_engagement(person):
    """A caseload row carries engagement_state; the front sheet uses it as it is."""
    person.engagement_state = "lost_contact"
    person.last_successful_contact = days_ago(20)
    [flag] = [f for f in selectors.front_sheet(person, today=today()).flags
              if f.kind == FlagKind.LOST_CONTACT]
    assert flag.since == days_ago(20)


def test_crisis_summary_has_what_the_crisis_line_needs(person, team, practitioner):
    fill_record(person, practitioner)
    add_carer(person, name="No Consent", consent=False)
    colleague = factories.make_staff(team, username="colleague")
    CoverAssignment.objects.create(episode=person.episodes.get(), staff=colleague,
                                   start=days_ago(1), end=days_ahead(5), reason="leave")
    crisis = selectors.crisis_summary(person, today=today())
    assert crisis.safety_plan.who_to_contact == "Sister"
    assert [s.sign for s in crisis.warning_signs] == ["Sleeping less"]
    assert crisis.legal.cto is not None and crisis.two_staff_visits
    assert [m.name for m in crisis.medications] == ["Sertraline"]
    assert [d.depot.medicine for d in crisis.depots] == ["Zuclopenthixol"]
    assert [c.name for c in crisis.carers] == ["Sam Carer"]  # only with consent to share
    assert crisis.key_worker == practitioner and crisis.cover == colleague
    assert FlagKind.FAMILY_CONCERN in {f.kind for f in crisis.flags}


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("build", [selectors.front_sheets, selectors.crisis_summaries])
def test_front_sheets_and_crisis_summaries_use_constant_queries(team, practitioner, build):
    people = [factories.make_person(team, practitioner) for _ in range(10)]
    for p in people:
        fill_record(p, practitioner)
        add_carer(p, name="Second carer")
    two = _queries(lambda: build(people[:2], today=today()))
    ten = _queries(lambda: build(people, today=today()))
    assert two == ten
    result = build(people, today=today())
    assert set(result) == {p.pk for p in people}
    # The rows are loaded: reading them costs nothing more.
    assert _queries(lambda: [len(r.warning_signs) + len(r.depots) for r in result.values()]) == 0


def test_care_plans_overdue_lists_missing_and_past_review(person, practitioner, make_person):
    missing, fine = make_person(), make_person()
    old = services.care_plan_create(person=person, by=practitioner, request=None,
                                    date=days_ago(200), ratings=ratings(),
                                    review_due=days_ago(20))
    services.care_plan_create(person=fine, by=practitioner, request=None, date=today(),
                              ratings=ratings())
    overdue = selectors.care_plans_overdue([person.pk, missing.pk, fine.pk], today=today())
    assert [(r.person_id, r.entry_id, r.due_on) for r in overdue] == [
        (missing.pk, None, None), (person.pk, old.pk, days_ago(20))]
    # Reviewing it makes a new current version: the old overdue one no longer counts.
    services.care_plan_new_version(plan=old, by=practitioner, request=None,
                                   expected_version=1, date=today(), ratings=ratings())
    assert [r.person_id for r in selectors.care_plans_overdue(
        [person.pk, fine.pk], today=today())] == []


def test_services_attribute_audit_events_to_the_signed_in_user(person, practitioner):
    request = RequestFactory().post("/people/1/care-plan")
    request.user = practitioner.user
    services.care_plan_create(person=person, by=practitioner, request=request, date=today(),
                              ratings=ratings())
    event = AuditEvent.objects.get(person_id=person.pk)
    assert (event.username, event.action, event.what, event.path) == (
        "practitioner", "create", "care plan created", "/people/1/care-plan")


def test_every_write_in_a_full_record_is_audited(person, practitioner):
    fill_record(person, practitioner)
    assert AuditEvent.objects.filter(person_id=person.pk).count() == 19


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 1, 31), 12) == date(2027, 1, 31)


@pytest.mark.parametrize("mapping", [
    {"care_plan_review_month": 6},  # misspelt
    {"care_plan_review_months": 0},
    {"care_plan_review_months": True},
    {"care_plan_review_months": 7},  # more than the maximum of 6
    {"depot_tolerance_days": -1},
    {"physical_health_check_months": 12.0},
])
def test_clinical_settings_are_validated(mapping):
    with pytest.raises(ValueError):
        ClinicalConfig.from_mapping(mapping)


def test_settings_are_read_from_django_settings():
    assert clinical_config() == ClinicalConfig()
    with override_settings(OUTREACH_CLINICAL={"physical_health_check_months": 6},
                           OUTREACH_FLAGS={"police_contact_days": 14}):
        assert clinical_config().physical_health_check_months == 6
        assert flag_config().police_contact_days == 14
    with override_settings(OUTREACH_FLAGS={"police_days": 14}), pytest.raises(ValueError):
        flag_config()
