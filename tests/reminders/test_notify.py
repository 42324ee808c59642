"""The GOV.UK Notify sender, through the official client against a local stand-in server:
what it sends (number, template, personalisation, signed token), letters, refusals and
outages, phone calls never sent, and the choice of sender from the environment."""

import jwt
from django.core.management import call_command

from outreach.reminders import services
from outreach.reminders.models import Reminder, Status
from outreach.reminders.senders import NotifySender, OutboxSender, sender_from_settings
from tests import factories
from tests.reminders.conftest import (
    API_KEY,
    LETTER_TEMPLATE,
    SECRET,
    SERVICE_ID,
    SMS_TEMPLATE,
    make_visit,
    queue,
)


def test_notify_sends_the_persons_number_and_the_body(visit, practitioner, fake_notify,
                                                      notify_sender):
    """One SMS request: their number, our template, the body, a signed token; marked sent."""
    reminder = queue(visit, practitioner)
    services.send_queued(sender=notify_sender)
    [request] = fake_notify.requests
    assert request["path"] == "/v2/notifications/sms"
    assert request["json"] == {
        "phone_number": "07700 900123", "template_id": SMS_TEMPLATE,
        "personalisation": {"body": reminder.body},
        "reference": f"outreach-reminder-{reminder.pk}",
    }
    token = request["headers"]["Authorization"].removeprefix("Bearer ")
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["iss"] == SERVICE_ID
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT and reminder.sent_at is not None
    assert reminder.provider_reference == "6b1a8a3c-notify-id"


def test_notify_letter_has_name_address_and_postcode_last(team, practitioner, fake_notify,
                                                          notify_sender):
    """A letter goes to the recorded address, one line each, postcode last."""
    person = factories.make_person(team, practitioner, preferred_name="Sam",
                                   address="Flat 2\n12 Mill Lane\nLeeds", postcode="LS1 4AB",
                                   preferred_contact_means="letter")
    reminder = queue(make_visit(person, practitioner), practitioner)
    services.send_queued(sender=notify_sender)
    [request] = fake_notify.requests
    assert request["path"] == "/v2/notifications/letter"
    assert request["json"]["template_id"] == LETTER_TEMPLATE
    assert request["json"]["personalisation"] == {
        "address_line_1": person.display_name, "address_line_2": "Flat 2",
        "address_line_3": "12 Mill Lane", "address_line_4": "Leeds",
        "address_line_5": "LS1 4AB", "body": reminder.body,
    }


def test_phone_calls_are_never_made_by_a_machine(team, practitioner, fake_notify,
                                                 notify_sender):
    """A phone-call reminder stays in the outbox for a worker, whatever the sender."""
    person = factories.make_person(team, practitioner, phone="0113 496 0000",
                                   preferred_contact_means="phone")
    reminder = queue(make_visit(person, practitioner), practitioner)
    services.send_queued(sender=notify_sender)
    services.dispatch(reminder_id=reminder.pk, sender=notify_sender)
    reminder.refresh_from_db()
    assert fake_notify.requests == [] and reminder.status == Status.QUEUED


def test_notify_refusal_marks_failed_with_its_reason(visit, practitioner, fake_notify,
                                                     notify_sender):
    """A 400 from Notify: failed, with Notify's message kept for the worker."""
    fake_notify.status = 400
    fake_notify.reply = {"errors": [{"error": "ValidationError",
                                     "message": "phone_number Not a UK mobile number"}]}
    reminder = queue(visit, practitioner)
    services.send_queued(sender=notify_sender)
    reminder.refresh_from_db()
    assert reminder.status == Status.FAILED
    assert "Not a UK mobile number" in reminder.failure_reason


def test_notify_outage_keeps_it_queued_to_try_again(visit, practitioner, fake_notify,
                                                    notify_sender):
    """A 500 from Notify is passing: still queued, with a note, sent on the next run."""
    fake_notify.status = 500
    fake_notify.reply = {"errors": [{"error": "Exception", "message": "Internal error"}]}
    reminder = queue(visit, practitioner)
    services.send_queued(sender=notify_sender)
    reminder.refresh_from_db()
    assert reminder.status == Status.QUEUED and "try again" in reminder.failure_reason
    fake_notify.status, fake_notify.reply = 201, {"id": "second-try"}
    services.send_queued(sender=notify_sender)
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT and len(fake_notify.requests) == 2


def test_sender_is_chosen_by_the_api_key(settings, monkeypatch):
    """No key: the outbox. A key: GOV.UK Notify with the configured templates."""
    for name in ("OUTREACH_NOTIFY_API_KEY", "OUTREACH_NOTIFY_SMS_TEMPLATE"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(sender_from_settings(), OutboxSender)
    monkeypatch.setenv("OUTREACH_NOTIFY_API_KEY", API_KEY)
    monkeypatch.setenv("OUTREACH_NOTIFY_SMS_TEMPLATE", SMS_TEMPLATE)
    sender = sender_from_settings()
    assert isinstance(sender, NotifySender) and sender.sms_template == SMS_TEMPLATE
    assert sender.client.service_id == SERVICE_ID


def test_send_reminders_command_uses_notify_when_configured(visit, practitioner, fake_notify,
                                                            settings, capsys):
    """The management command sends through Notify when a key is set in the environment."""
    settings.OUTREACH_NOTIFY_API_KEY = API_KEY
    settings.OUTREACH_NOTIFY_SMS_TEMPLATE = SMS_TEMPLATE
    settings.OUTREACH_NOTIFY_BASE_URL = fake_notify.url
    reminder = queue(visit, practitioner)
    call_command("send_reminders")
    assert "sender: GOV.UK Notify; sent 1" in capsys.readouterr().out
    assert Reminder.objects.get(pk=reminder.pk).status == Status.SENT
    assert fake_notify.requests[0]["json"]["phone_number"] == "07700 900123"


def test_send_reminders_command_without_key_leaves_the_outbox(visit, practitioner, settings,
                                                              monkeypatch, capsys):
    """No key: the command sends nothing and says so."""
    monkeypatch.delenv("OUTREACH_NOTIFY_API_KEY", raising=False)
    queue(visit, practitioner)
    call_command("send_reminders")
    assert "sender: outbox; sent 0" in capsys.readouterr().out
    assert Reminder.objects.get().status == Status.QUEUED
