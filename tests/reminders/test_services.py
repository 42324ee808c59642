"""Making a reminder: the channel follows the person's preferred means only, the number or
address comes from their record (or a consenting carer's), the words say only when and
where; before sending, a number the person no longer gives is never used."""

import pytest

from outreach.audit.models import AuditEvent
from outreach.records.models import PlannedVisit
from outreach.records.services import ValidationFailed
from outreach.reminders import services, wording
from outreach.reminders.models import Channel, Reminder, Status
from outreach.reminders.senders import OutboxSender
from tests import factories
from tests.reminders.conftest import MOBILE, make_carer, make_visit, queue


@pytest.mark.parametrize(("means", "channel", "recipient"), [
    ("text", Channel.TEXT, MOBILE),
    ("phone", Channel.PHONE_CALL, MOBILE),
    ("letter", Channel.LETTER, "12 Mill Lane\nLeeds\nLS1 4AB"),
    ("via_carer", Channel.VIA_CARER, "07700 900456"),
])
def test_channel_follows_preferred_means(team, practitioner, means, channel, recipient):
    """Text, letter, a worker's phone call or a carer's text, as the person prefers."""
    person = factories.make_person(team, practitioner, phone=MOBILE, address="12 Mill Lane, Leeds",
                                   postcode="ls1 4ab", preferred_contact_means=means)
    make_carer(person)
    reminder = queue(make_visit(person, practitioner), practitioner)
    assert (reminder.channel, reminder.recipient) == (channel, recipient)
    assert reminder.status == Status.QUEUED
    assert (reminder.carer is not None) == (channel == Channel.VIA_CARER)


def test_text_without_a_recorded_number_is_refused(team, practitioner):
    """No number on the record: refused next to the phone field, nothing queued."""
    person = factories.make_person(team, practitioner, preferred_contact_means="text")
    with pytest.raises(ValidationFailed) as refused:
        queue(make_visit(person, practitioner), practitioner)
    assert "No phone number is recorded" in refused.value.errors["phone"][0]
    assert not Reminder.objects.exists()


def test_letter_without_a_postcode_is_refused(team, practitioner):
    """A letter needs a full address with a postcode."""
    person = factories.make_person(team, practitioner, address="12 Mill Lane",
                                   preferred_contact_means="letter")
    with pytest.raises(ValidationFailed) as refused:
        queue(make_visit(person, practitioner), practitioner)
    assert "postcode" in refused.value.errors["address"][0]


def test_a_landline_never_gets_a_text(team, practitioner):
    """A text to a landline is refused, with the advice to phone instead."""
    person = factories.make_person(team, practitioner, phone="0113 496 0000",
                                   preferred_contact_means="text")
    with pytest.raises(ValidationFailed) as refused:
        queue(make_visit(person, practitioner), practitioner)
    assert "not a mobile" in refused.value.errors["phone"][0]


@pytest.mark.parametrize("means", ["visit", "email", ""])
def test_means_a_reminder_cannot_follow_are_refused(team, practitioner, means):
    """Visit without appointment, email or no preference: refused, never another channel."""
    person = factories.make_person(team, practitioner, phone=MOBILE, address="1 Road",
                                   postcode="LS1 1AA", preferred_contact_means=means)
    with pytest.raises(ValidationFailed) as refused:
        queue(make_visit(person, practitioner), practitioner)
    assert refused.value.errors["preferred_contact_means"]
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("consent", [False, True])
def test_carer_without_consent_is_never_used(team, practitioner, consent):
    """Through a carer only with their consent to share; never the person's own number."""
    person = factories.make_person(team, practitioner, phone=MOBILE,
                                   preferred_contact_means="via_carer")
    carer = make_carer(person, consent=consent)
    visit = make_visit(person, practitioner)
    if consent:
        assert queue(visit, practitioner).recipient == carer.phone
        return
    with pytest.raises(ValidationFailed) as refused:
        queue(visit, practitioner)
    assert "has not agreed to share" in refused.value.errors["carer"][0]
    assert not Reminder.objects.exists()


def test_body_says_when_and_where_and_nothing_clinical(visit, practitioner, team):
    """Date, time and place in plain words; no purpose, medication, team or service name."""
    body = queue(visit, practitioner).body
    assert wording.plain_date(visit.date) in body
    assert "2:30pm" in body and "at your home" in body
    for secret in ("depot", "risperidone", "mental", "outreach", team.name.lower(),
                   practitioner.name.lower()):
        assert secret not in body.lower()


def test_carer_text_names_the_person_not_the_care(team, practitioner):
    """A carer's text says whose appointment it is, when and where, and nothing more."""
    person = factories.make_person(team, practitioner, preferred_name="Sam",
                                   preferred_contact_means="via_carer")
    make_carer(person)
    body = queue(make_visit(person, practitioner, place="clinic"), practitioner).body
    assert body.startswith(f"Reminder: {person.display_name} has an appointment")
    assert "at the team base" in body and "depot" not in body.lower()


def test_plain_times():
    """Times in GOV.UK style."""
    from datetime import time

    assert [wording.plain_time(t) for t in (time(10), time(14, 30), time(12), time(0))] == [
        "10am", "2:30pm", "midday", "midnight"]


def test_double_submission_makes_one_reminder(visit, practitioner):
    """The same key twice returns the first reminder."""
    first = queue(visit, practitioner, key="r-1")
    again = queue(visit, practitioner, key="r-1")
    assert first.pk == again.pk and Reminder.objects.count() == 1


def test_second_reminder_while_one_waits_is_refused(visit, practitioner):
    """One waiting reminder per visit: a second (new key) is refused."""
    queue(visit, practitioner, key="r-1")
    with pytest.raises(ValidationFailed):
        queue(visit, practitioner, key="r-2")
    assert Reminder.objects.count() == 1


def test_making_a_reminder_is_audited(visit, practitioner):
    """An audit event names the person and the reminder."""
    reminder = queue(visit, practitioner)
    event = AuditEvent.objects.get(person_id=visit.person_id)
    assert event.action == "create" and f"reminder {reminder.pk} queued" in event.what


def test_changed_number_is_not_sent_and_fails_with_reason(visit, practitioner, fake_notify,
                                                          notify_sender):
    """The person changed their number: nothing reaches Notify, failed with the reason."""
    reminder = queue(visit, practitioner)
    person = visit.person
    person.phone = "07700 900999"
    person.save()
    services.send_queued(sender=notify_sender)
    reminder.refresh_from_db()
    assert fake_notify.requests == []
    assert reminder.status == Status.FAILED
    assert "number has changed" in reminder.failure_reason
    assert AuditEvent.objects.filter(person_id=person.pk, username="send_reminders",
                                     what__contains="not sent").exists()


def test_number_only_reformatted_is_still_sent(visit, practitioner, fake_notify, notify_sender):
    """Spaces or +44 do not make a different number: the reminder goes."""
    reminder = queue(visit, practitioner)
    visit.person.phone = "+447700900123"
    visit.person.save()
    services.send_queued(sender=notify_sender)
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT
    assert len(fake_notify.requests) == 1


def test_phone_key_keeps_every_digit():
    """Formatting aside, one different digit is a different number."""
    assert wording.phone_key("07700 900123") == wording.phone_key("+44 7700-900123")
    assert wording.phone_key("07700 900123") != wording.phone_key("07700 900124")
    assert wording.phone_key("0044 7700 900123") == "07700900123"


def test_withdrawn_carer_consent_stops_the_text(team, practitioner, fake_notify, notify_sender):
    """Consent withdrawn after queueing: the carer is not texted."""
    person = factories.make_person(team, practitioner, preferred_contact_means="via_carer")
    carer = make_carer(person)
    reminder = queue(make_visit(person, practitioner), practitioner)
    carer.consent_to_share = False
    carer.save()
    services.send_queued(sender=notify_sender)
    reminder.refresh_from_db()
    assert fake_notify.requests == []
    assert reminder.status == Status.FAILED and "no longer agrees" in reminder.failure_reason


def test_changed_address_stops_the_letter(team, practitioner, fake_notify, notify_sender):
    """A letter is not posted to an address the person has moved from."""
    person = factories.make_person(team, practitioner, address="1 Old Road", postcode="LS1 1AA",
                                   preferred_contact_means="letter")
    reminder = queue(make_visit(person, practitioner), practitioner)
    person.address = "2 New Street"
    person.save()
    services.send_queued(sender=notify_sender)
    reminder.refresh_from_db()
    assert fake_notify.requests == []
    assert reminder.status == Status.FAILED and "address" in reminder.failure_reason


def test_changed_preference_stops_the_text(visit, practitioner, fake_notify, notify_sender):
    """Someone who no longer wants texts is not texted."""
    reminder = queue(visit, practitioner)
    visit.person.preferred_contact_means = "letter"
    visit.person.save()
    services.send_queued(sender=notify_sender)
    reminder.refresh_from_db()
    assert fake_notify.requests == [] and reminder.status == Status.FAILED


def test_moved_visit_is_not_reminded_with_the_old_time(visit, practitioner, fake_notify,
                                                       notify_sender):
    """A visit moved after queueing: the old time is never sent."""
    from datetime import time

    reminder = queue(visit, practitioner)
    PlannedVisit.objects.filter(pk=visit.pk).update(time=time(9))
    services.send_queued(sender=notify_sender)
    reminder.refresh_from_db()
    assert fake_notify.requests == [] and reminder.status == Status.FAILED


def test_cancelled_visit_cancels_the_reminder(visit, practitioner, fake_notify, notify_sender):
    """No reminder for a visit that is no longer planned."""
    reminder = queue(visit, practitioner)
    PlannedVisit.objects.filter(pk=visit.pk).update(status="cancelled")
    services.send_queued(sender=notify_sender)
    reminder.refresh_from_db()
    assert fake_notify.requests == [] and reminder.status == Status.CANCELLED


def test_outbox_sender_leaves_reminders_queued(visit, practitioner):
    """Without Notify, a checked reminder stays in the outbox for a worker."""
    reminder = queue(visit, practitioner)
    counts = services.send_queued(sender=OutboxSender())
    reminder.refresh_from_db()
    assert reminder.status == Status.QUEUED and counts["queued"] == 1


def test_marking_sent_by_hand_rechecks_the_number(visit, practitioner):
    """A worker's 'mark sent' on a number no longer given marks it failed instead."""
    reminder = queue(visit, practitioner)
    visit.person.phone = ""
    visit.person.save()
    reminder = services.mark_sent(reminder=reminder, by=practitioner, request=None)
    assert reminder.status == Status.FAILED and reminder.sent_at is None


def test_reminders_are_never_deleted(visit, practitioner):
    """Delete is refused; cancel keeps the row."""
    reminder = queue(visit, practitioner)
    with pytest.raises(PermissionError):
        reminder.delete()
    services.cancel(reminder=reminder, by=practitioner, request=None)
    assert Reminder.objects.get(pk=reminder.pk).status == Status.CANCELLED
