"""The daily handover and weekly MDT agendas: generated from the record, with discussed
items, decisions, and actions that stay until done."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from outreach.audit.models import AuditEvent
from outreach.meetings import agenda
from outreach.meetings.models import Action
from outreach.records.models import (
    AnnualReview,
    CoverAssignment,
    EpisodeStatus,
    PlannedVisit,
)
from outreach.teams.models import Absence
from tests import factories
from tests.conftest import login


def _section(a, key):
    return next(s for s in a.sections if s.key == key)


def _titles(a, key):
    return [i.title for i in _section(a, key).items]


def test_handover_lists_overdue_and_lost_contact_people(team, practitioner):
    """Everyone overdue or worse is on the handover, most days since seen first."""
    overdue = factories.make_person(team, practitioner, family_name="Overdue")
    lost = factories.make_person(team, practitioner, family_name="Lost")
    fine = factories.make_person(team, practitioner, family_name="Fine")
    factories.add_contact(overdue, practitioner, days_ago=8)
    factories.add_contact(lost, practitioner, days_ago=20)
    factories.add_contact(fine, practitioner, days_ago=1)
    a = agenda.handover(practitioner.user, team=team, today=factories.today())
    titles = _titles(a, "engagement")
    assert len(titles) == 2
    assert "Lost" in titles[0] and "lost contact" in titles[0]
    assert "Overdue" in titles[1]


def test_handover_shows_yesterdays_missed_contacts(team, practitioner, person):
    """A did-not-attend yesterday is on today's handover."""
    factories.add_contact(person, practitioner, days_ago=1, outcome="did_not_attend")
    a = agenda.handover(practitioner.user, team=team, today=factories.today())
    assert any("did not attend" in t for t in _titles(a, "outcomes"))


def test_handover_shows_visits_staff_away_and_cover_gaps(team, practitioner, person):
    """Today's visits, who is away, and a person left without cover are all shown."""
    today = factories.today()
    PlannedVisit.objects.create(person=person, episode=person.episodes.get(), staff=practitioner,
                                date=today, place="home")
    Absence.objects.create(staff=practitioner, kind="sickness", start=today, end=today)
    a = agenda.handover(practitioner.user, team=team, today=today)
    assert any(person.family_name in t for t in _titles(a, "visits"))
    cover = _titles(a, "cover")
    assert any("sickness" in t for t in cover)
    assert any(t.startswith("NO COVER") for t in cover)
    nurse = factories.make_staff(team, username="nurse2")
    CoverAssignment.objects.create(episode=person.episodes.get(), staff=nurse, start=today,
                                   end=today, reason="sickness")
    cover = _titles(agenda.handover(practitioner.user, team=team, today=today), "cover")
    assert not any(t.startswith("NO COVER") for t in cover)
    assert any("covers" in t for t in cover)


def test_handover_shows_inpatients_and_stepped_up(team, practitioner):
    """People in hospital or stepped up are listed."""
    factories.make_person(team, practitioner, status=EpisodeStatus.INPATIENT, family_name="Ward")
    factories.make_person(team, practitioner, status=EpisodeStatus.STEPPED_UP,
                          family_name="Crisis")
    titles = _titles(agenda.handover(practitioner.user, team=team, today=factories.today()),
                     "crisis")
    assert any("Ward" in t and "in hospital" in t for t in titles)
    assert any("Crisis" in t and "stepped up" in t for t in titles)


def test_mdt_lists_referrals_and_annual_reviews_due(team, practitioner, manager):
    """New referrals and people open 11 months without a review are on the MDT agenda."""
    factories.make_person(team, practitioner, status=EpisodeStatus.REFERRED, family_name="New")
    long = factories.make_person(team, practitioner, accepted_days_ago=400, family_name="Long")
    reviewed = factories.make_person(team, practitioner, accepted_days_ago=400,
                                     family_name="Reviewed")
    AnnualReview.objects.create(episode=reviewed.episodes.get(), held_on=factories.today(),
                                agencies="GP", outcome="continue", recorded_by=manager)
    a = agenda.mdt(practitioner.user, team=team, today=factories.today())
    assert any("New" in t for t in _titles(a, "referrals"))
    annual = _titles(a, "annual")
    assert any("Long" in t for t in annual)
    assert not any("Reviewed" in t for t in annual)
    assert long


def test_agenda_queries_do_not_grow_with_the_caseload(team, practitioner):
    """Handover and MDT cost the same number of queries for 2 people as for 12."""
    def count():
        with CaptureQueriesContext(connection) as ctx:
            agenda.handover(practitioner.user, team=team, today=factories.today())
            agenda.mdt(practitioner.user, team=team, today=factories.today())
        return len(ctx.captured_queries)

    for _ in range(2):
        p = factories.make_person(team, practitioner)
        factories.add_contact(p, practitioner, days_ago=9, outcome="did_not_attend")
    small = count()
    for _ in range(10):
        p = factories.make_person(team, practitioner)
        factories.add_contact(p, practitioner, days_ago=9, outcome="did_not_attend")
    assert count() == small


def test_mark_discussed_and_actions_stay_until_done(team, practitioner, person):
    """An item marked discussed shows so; an action stays on the handover until done."""
    factories.add_contact(person, practitioner, days_ago=10)
    client = login(practitioner)
    key = f"engagement:{person.pk}"
    client.post("/handover/notes/", {"item_key": key, "person": person.pk}, page="/handover/")
    page = client.get("/handover/").content.decode()
    assert "Discussed" in page
    due = (factories.today() + timedelta(days=1)).isoformat()
    form = {"description": "Visit with a colleague", "owner": practitioner.pk, "due": due,
            "item_key": key, "person": person.pk, "submission_key": "a-1"}
    client.post("/handover/actions/", form)
    client.post_again()  # a double tap
    action = Action.objects.get()
    assert "Visit with a colleague" in client.get("/handover/").content.decode()
    assert "Visit with a colleague" in client.get("/mdt/").content.decode()
    client.post(f"/handover/actions/{action.pk}/done/", {"version": action.version},
                page="/handover/")
    assert "Visit with a colleague" not in client.get("/handover/").content.decode()
    assert AuditEvent.objects.filter(person_id=person.pk, what__startswith="handover").exists()


def test_action_needs_an_owner_and_a_due_date(team, practitioner, person):
    """An action without owner or due date is refused with field errors, nothing saved."""
    response = login(practitioner).post("/handover/actions/", {
        "description": "Something", "owner": "", "due": "", "submission_key": "a-2"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "Choose who owns the action." in html
    assert not Action.objects.exists()


def test_action_form_opens_from_an_item_for_that_person(team, practitioner, person):
    """"Add an action" opens one form for the item, preset to today and the person, and
    the read of the person's name is audited."""
    factories.add_contact(person, practitioner, days_ago=10)
    client = login(practitioner)
    agenda = client.get("/handover/").content.decode()
    link = f"/handover/actions/?item=engagement%3A{person.pk}&amp;person={person.pk}"
    assert link in agenda
    page = client.get(link.replace("&amp;", "&")).content.decode()
    assert person.display_name in page and "Overdue, lost contact or escalated" in page
    assert f'value="engagement:{person.pk}"' in page
    assert factories.today().isoformat() in page
    assert AuditEvent.objects.filter(person_id=person.pk, what="handover action form").exists()


def test_action_form_for_another_teams_person_is_404(person, other_practitioner):
    """The action form never shows a person from another team."""
    response = login(other_practitioner).get(f"/handover/actions/?person={person.pk}")
    assert response.status_code == 404


def test_mdt_records_a_decision(team, practitioner):
    """A decision typed against an MDT item is kept and shown."""
    new = factories.make_person(team, practitioner, status=EpisodeStatus.REFERRED)
    key = f"referral:{new.episodes.get().pk}"
    client = login(practitioner)
    client.post("/mdt/notes/", {"item_key": key, "person": new.pk, "outcome": "record",
                                "decision": "Discuss again: psychosis and family concern"},
                page="/mdt/")
    assert "Discuss again: psychosis and family concern" in client.get("/mdt/").content.decode()


def test_other_team_cannot_see_our_handover_people(team, person, other_practitioner):
    """Another team's handover does not mention our people."""
    factories.add_contact(person, factories.make_staff(team), days_ago=20)
    page = login(other_practitioner).get("/handover/").content.decode()
    assert person.family_name not in page
