"""The pages: 'Send a reminder' on a planned visit, and the team's outbox with 'Mark sent'.
Scoped to the user's caseload (another team's is 404), audited, one entry per double tap."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from outreach.audit.models import AuditEvent
from outreach.reminders.models import Reminder, Status
from tests import factories
from tests.conftest import login
from tests.reminders.conftest import MOBILE, make_visit, queue

SEND_BUTTON = re.compile(r"<button[^>]*>\s*Send a reminder\s*</button>")


def _url(visit):
    return f"/people/{visit.person_id}/visits/{visit.pk}/reminder/"


def test_visit_page_shows_what_will_be_sent_and_the_button(visit, practitioner):
    """The page says how, to which number, the words, and offers 'Send a reminder'."""
    html = login(practitioner).get(_url(visit)).content.decode()
    assert "Text message" in html and MOBILE in html
    assert SEND_BUTTON.search(html)
    assert AuditEvent.objects.filter(person_id=visit.person_id, action="view").exists()


def test_send_button_queues_one_reminder_for_a_double_tap(visit, practitioner):
    """The same form posted twice makes one reminder and lands on the outbox."""
    client = login(practitioner)
    first = client.post(_url(visit), {"submission_key": "tap-1"})
    second = client.post(_url(visit), {"submission_key": "tap-1"})
    assert first.status_code == second.status_code == 302
    assert first["Location"].startswith("/reminders/")
    assert Reminder.objects.filter(person=visit.person).count() == 1


def test_refusal_is_explained_without_a_button(team, practitioner):
    """No number recorded: the page says why, with no button to press."""
    person = factories.make_person(team, practitioner, preferred_contact_means="text")
    html = login(practitioner).get(_url(make_visit(person, practitioner))).content.decode()
    assert "A reminder cannot be sent" in html and "No phone number is recorded" in html
    assert not SEND_BUTTON.search(html) and "<form" not in html.split("<main", 1)[1]


def test_refused_post_shows_error_summary_and_saves_nothing(team, practitioner):
    """Posting anyway gives the NHS.UK error summary and no reminder."""
    person = factories.make_person(team, practitioner, preferred_contact_means="email")
    response = login(practitioner).post_stale(_url(make_visit(person, practitioner)),
                                        {"submission_key": "k"})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert not Reminder.objects.exists()


def test_other_teams_visit_is_not_found(stranger, other_practitioner, practitioner):
    """Another team's person's visit: 404 on GET and POST, nothing made."""
    visit = make_visit(stranger, other_practitioner)
    client = login(practitioner)
    assert client.get(_url(visit)).status_code == 404
    assert client.post_stale(_url(visit), {"submission_key": "x"}).status_code == 404
    assert not Reminder.objects.exists()


def test_outbox_shows_own_team_only_and_audits_each_person_once(
        texter, visit, practitioner, other_team, other_practitioner):
    """Own team's reminders listed; another team's invisible; one audit event per person."""
    queue(visit, practitioner)
    queue(make_visit(texter, practitioner, days_ahead=2), practitioner)
    theirs = factories.make_person(other_team, other_practitioner, phone="07700 900777",
                                   family_name="Elsewhere", preferred_contact_means="text")
    queue(make_visit(theirs, other_practitioner), other_practitioner)
    html = login(practitioner).get("/reminders/").content.decode()
    assert texter.display_name in html and "Elsewhere" not in html and "900777" not in html
    listed = AuditEvent.objects.filter(action="list", what="reminders outbox")
    assert [e.person_id for e in listed] == [texter.pk]


def test_other_teams_reminder_cannot_be_marked_or_cancelled(stranger, other_practitioner,
                                                            practitioner):
    """Mark sent and cancel on another team's reminder are 404 and change nothing."""
    stranger.phone, stranger.preferred_contact_means = MOBILE, "text"
    stranger.save()
    reminder = queue(make_visit(stranger, other_practitioner), other_practitioner)
    client = login(practitioner)
    assert client.post_stale(f"/reminders/{reminder.pk}/sent/").status_code == 404
    assert client.post_stale(f"/reminders/{reminder.pk}/cancel/").status_code == 404
    assert Reminder.objects.get(pk=reminder.pk).status == Status.QUEUED


def test_phone_call_task_marked_done_from_the_outbox(team, practitioner):
    """A phone call shows under calls to make; 'Call made' records who and when."""
    person = factories.make_person(team, practitioner, phone="0113 496 0000",
                                   preferred_contact_means="phone")
    reminder = queue(make_visit(person, practitioner), practitioner)
    client = login(practitioner)
    html = client.get("/reminders/").content.decode()
    assert "Phone calls to make (1)" in html and "0113 496 0000" in html
    response = client.post(f"/reminders/{reminder.pk}/sent/", page="/reminders/")
    assert response.status_code == 302 and response["Location"].endswith("done=sent")
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT and reminder.sent_by == practitioner


def test_outbox_warns_of_a_changed_number_and_offers_no_mark_sent(visit, practitioner):
    """A queued text whose number left the record shows 'Do not use' and no Mark sent."""
    reminder = queue(visit, practitioner)
    visit.person.phone = "07700 900999"
    visit.person.save()
    html = login(practitioner).get("/reminders/").content.decode()
    assert "Do not use" in html and "number has changed" in html
    assert f"/reminders/{reminder.pk}/sent/" not in html


def test_outbox_is_a_constant_number_of_queries(team, practitioner):
    """One reminder or five, the outbox issues the same number of queries."""
    client = login(practitioner)

    def count() -> int:
        client.get("/reminders/")  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/reminders/").status_code == 200
        return len(ctx.captured_queries)

    def add():
        person = factories.make_person(team, practitioner, phone=MOBILE,
                                       preferred_contact_means="text")
        queue(make_visit(person, practitioner), practitioner)

    add()
    one = count()
    for _ in range(4):
        add()
    assert count() == one


def test_commissioner_has_no_outbox(commissioner):
    """No caseload, no outbox: 404."""
    assert login(commissioner).get("/reminders/").status_code == 404
