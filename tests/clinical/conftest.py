"""Helpers for the clinical record's tests: dates relative to today, a full set of DIALOG
ratings, and a person whose record has an entry of every kind (made through the services)."""

from datetime import date, timedelta

import pytest

from outreach.audit.models import AuditEvent
from outreach.clinical import services
from outreach.clinical.models import DialogItem, DoseOutcome
from outreach.core.redflags import FlagKind
from outreach.records.models import Carer, Person
from outreach.teams.models import StaffMember
from tests import factories

DAY = timedelta(days=1)


def today() -> date:
    return factories.today()


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


def days_ahead(n: int) -> date:
    return today() + timedelta(days=n)


def ratings(score: int = 4, help_with: tuple[str, ...] = ()) -> dict:
    return {item: (score, item in help_with) for item in DialogItem.values}


def audit_whats(person: Person) -> list[str]:
    return list(
        AuditEvent.objects.filter(person_id=person.pk).order_by("id").values_list("what",
                                                                                  flat=True)
    )


def add_carer(person: Person, *, name: str = "Sam Carer", consent: bool = True,
              relationship: str = "sister") -> Carer:
    return Carer.objects.create(person=person, name=name, relationship=relationship,
                                consent_to_share=consent)


def kinds(person_id: int, flags: dict) -> set[FlagKind]:
    return {f.kind for f in flags[person_id]}


def fill_record(person: Person, by: StaffMember) -> None:
    """An entry of every kind, several of them raising red flags."""
    t = today()
    services.care_plan_create(person=person, by=by, request=None, date=days_ago(10),
                              ratings=ratings(3, ("mental_health",)),
                              chosen_domains=["mental_health"],
                              actions=[{"what": "Weekly walk", "who": "key worker"}])
    services.safety_plan_create(person=person, by=by, request=None, date=days_ago(10),
                                wants_in_crisis="Call my sister", who_to_contact="Sister")
    services.advance_choice_create(person=person, by=by, request=None, date=days_ago(10),
                                   statements="No haloperidol")
    signature = services.relapse_signature_create(
        person=person, by=by, request=None, date=days_ago(10),
        signs=[{"sign": "Sleeping less", "what_to_do": "Call the team"}],
    )
    services.sign_observed(sign=signature.signs.get(), by=by, request=None,
                           observed_on=days_ago(1))
    services.risk_formulation_create(
        person=person, by=by, request=None, history="h", triggers="t",
        protective_factors="p", what_reduces_risk="w", reviewed_on=days_ago(10),
        two_staff_visits=True,
    )
    medication = services.medication_start(person=person, by=by, request=None,
                                           name="Lithium", dose="400 mg", frequency="nightly",
                                           started=days_ago(200))
    services.medication_stop(medication=medication, by=by, request=None, expected_version=1,
                             stopped=days_ago(3), against_advice=True)
    services.medication_start(person=person, by=by, request=None, name="Sertraline",
                              dose="50 mg", frequency="daily", started=days_ago(100))
    depot = services.depot_start(person=person, by=by, request=None,
                                 medicine="Zuclopenthixol", dose="200 mg", interval_days=14,
                                 next_due=days_ago(2), started_on=days_ago(100))
    services.depot_dose_record(depot=depot, by=by, request=None, expected_version=1,
                               outcome=DoseOutcome.MISSED)
    services.mha_detention_create(person=person, by=by, request=None, section="3",
                                  start=days_ago(400), end=days_ago(300))
    services.cto_create(person=person, by=by, request=None, start=days_ago(300),
                        expiry=days_ahead(10), renewal_due=days_ahead(5))
    services.section117_create(person=person, by=by, request=None, eligible=True,
                               eligible_from=days_ago(300), review_due=days_ahead(100))
    services.multi_agency_create(person=person, by=by, request=None, kind="mappa", level=2,
                                 active_since=days_ago(50))
    carer = add_carer(person)
    services.carer_contact_create(person=person, carer=carer, by=by, request=None,
                                  date=days_ago(1), what_they_said="He is not sleeping",
                                  concern=True)
    services.social_circumstances_create(
        person=person, by=by, request=None, assessed_on=days_ago(5),
        accommodation_status="homeless", accommodation_since=days_ago(6),
        substance_use=[{"substance": "Cannabis", "current": True, "since": days_ago(60)}],
        police_contacts=[{"date": days_ago(4), "summary": "Arrested, released"}],
    )
    services.physical_health_check_create(person=person, by=by, request=None, date=t,
                                          bmi=31.0, bp_systolic=130, bp_diastolic=85)
    services.ot_assessment_create(person=person, by=by, request=None, kind="mohost",
                                  date=days_ago(20), summary="Motivated for work")


@pytest.fixture
def make_person(team, practitioner):
    def make(**fields) -> Person:
        return factories.make_person(team, practitioner, **fields)

    return make
