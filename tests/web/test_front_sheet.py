"""The front sheet puts what matters first; the caseload filters and marks; the crisis line
sees crisis summaries only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outreach.audit.models import AuditEvent
from outreach.clinical.models import CarerContact, CommunityTreatmentOrder, SafetyPlan
from outreach.records.models import Carer, EpisodeStatus
from outreach.teams.models import Discipline, Role
from tests import factories
from tests.conftest import login


@pytest.fixture
def concerned(person, practitioner):
    """A person whose mother raised a concern that nobody has followed up yet."""
    carer = Carer.objects.create(person=person, name="Ann Carer", relationship="mother",
                                 phone="07700 900123", consent_to_share=True)
    CarerContact.objects.create(person=person, carer=carer, date=factories.today(),
                                what_they_said="Not sleeping, shouting at the TV",
                                concern=True, recorded_by=practitioner)
    return person


def test_front_sheet_shows_red_flags_before_anything_else(concerned, practitioner):
    """A family concern is a red flag at the top of the front sheet, above the details."""
    html = login(practitioner).get(f"/people/{concerned.pk}/").content.decode()
    assert "Family concern" in html
    assert html.index("Red flags") < html.index("Crisis and contingency plan")
    assert html.index("Family concern") < html.index("Key worker")
    assert "07700 900123" in html


def test_front_sheet_shows_the_current_crisis_plan_and_legal_deadline(person, practitioner):
    """The current crisis plan and a CTO expiring soon are on the front sheet."""
    today = factories.today()
    SafetyPlan.objects.create(person=person, date=today - timedelta(days=30),
                              review_due=today + timedelta(days=150),
                              wants_in_crisis="Call my sister first", who_to_contact="Sister",
                              recorded_by=practitioner)
    CommunityTreatmentOrder.objects.create(person=person, start=today - timedelta(days=170),
                                           expiry=today + timedelta(days=10),
                                           recorded_by=practitioner)
    html = login(practitioner).get(f"/people/{person.pk}/").content.decode()
    assert "Call my sister first" in html
    assert "Community treatment order" in html
    assert "Legal deadline" in html  # within the 28-day notice


def test_caseload_marks_and_filters_red_flags(team, concerned, practitioner):
    """The caseload marks the flagged person and the flag filter keeps only them."""
    other = factories.make_person(team, practitioner, family_name="Unflagged")
    factories.add_contact(other, practitioner, days_ago=1)
    client = login(practitioner)
    html = client.get("/").content.decode()
    assert "Family concern" in html and "Unflagged" in html
    filtered = client.get("/?flag=family_concern").content.decode()
    assert concerned.family_name in filtered and "Unflagged" not in filtered


def test_caseload_filters_by_state_worker_and_status(team, practitioner):
    """Engagement, worker and episode filters narrow the list in SQL."""
    nurse = factories.make_staff(team, username="nurse2")
    lost = factories.make_person(team, practitioner, family_name="Lostperson")
    seen = factories.make_person(team, nurse, family_name="Seenperson")
    ward = factories.make_person(team, nurse, status=EpisodeStatus.INPATIENT,
                                 family_name="Wardperson")
    factories.add_contact(lost, practitioner, days_ago=20)
    factories.add_contact(seen, nurse, days_ago=1)
    factories.add_contact(ward, nurse, days_ago=1)
    client = login(practitioner)
    by_state = client.get("/?view=team&state=lost_contact").content.decode()
    assert "Lostperson" in by_state and "Seenperson" not in by_state
    by_worker = client.get(f"/?view=team&worker={nurse.pk}").content.decode()
    assert "Seenperson" in by_worker and "Lostperson" not in by_worker
    by_status = client.get("/?view=team&status=inpatient").content.decode()
    assert "Wardperson" in by_status and "Seenperson" not in by_status


def test_caseload_page_queries_do_not_grow(team, practitioner):
    """The caseload page costs the same number of queries for 2 people as for 12."""
    client = login(practitioner)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/?view=team").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        factories.add_contact(factories.make_person(team, practitioner), practitioner,
                              days_ago=2)
    small = count()
    for _ in range(10):
        factories.add_contact(factories.make_person(team, practitioner), practitioner,
                              days_ago=2)
    assert count() == small


def test_crisis_summary_for_one_person_and_the_caseload(concerned, team, practitioner):
    """The crisis summary has the flags and carers; the whole-caseload list audits each."""
    client = login(practitioner)
    one = client.get(f"/people/{concerned.pk}/crisis/").content.decode()
    assert "Family concern" in one and "Ann Carer" in one
    client.get("/crisis/")
    assert AuditEvent.objects.filter(person_id=concerned.pk, what="crisis summaries").exists()


def test_crisis_line_sees_summaries_only(concerned, team):
    """The 24/7 crisis line reads crisis summaries of the team it serves, not the record."""
    line = factories.make_staff(team, role=Role.CRISIS_LINE, discipline=Discipline.NONE,
                                username="crisis-line")
    client = login(line)
    assert client.get("/").status_code == 302  # to the crisis summaries
    assert concerned.family_name in client.get("/crisis/").content.decode()
    assert client.get(f"/people/{concerned.pk}/crisis/").status_code == 200
    assert client.get(f"/people/{concerned.pk}/").status_code == 404
    assert client.get(f"/people/{concerned.pk}/contacts/new/").status_code == 404


def test_other_team_crisis_summary_is_404(stranger, practitioner):
    """Another team's person has no crisis summary for us."""
    assert login(practitioner).get(f"/people/{stranger.pk}/crisis/").status_code == 404
