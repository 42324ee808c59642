"""Senders behind one small interface: given a reminder that has passed every check, send
it, or leave it in the outbox. Senders never touch the database; services.dispatch applies
what they return.

- OutboxSender leaves every reminder queued for a worker to send by hand.
- NotifySender sends texts and letters through GOV.UK Notify's official client. A channel it
  has no template for, and every phone call, stays in the outbox.

Which one is used comes from the environment (or settings of the same name):
OUTREACH_NOTIFY_API_KEY, OUTREACH_NOTIFY_SMS_TEMPLATE, OUTREACH_NOTIFY_LETTER_TEMPLATE and,
for tests against a local server only, OUTREACH_NOTIFY_BASE_URL. Without an API key the
outbox is used.
"""

import os
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from outreach.reminders import wording
from outreach.reminders.models import Channel, Reminder

NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
SETTING_NAMES = ("OUTREACH_NOTIFY_API_KEY", "OUTREACH_NOTIFY_SMS_TEMPLATE",
                 "OUTREACH_NOTIFY_LETTER_TEMPLATE", "OUTREACH_NOTIFY_BASE_URL")


@dataclass(frozen=True)
class Outcome:
    """What happened to one reminder. `retry` means a passing fault: keep it queued."""

    sent: bool
    provider_reference: str = ""
    failure_reason: str = ""
    retry: bool = False


class Sender(Protocol):
    name: str

    def send(self, reminder: Reminder) -> Outcome | None:
        """Send it, or return None to leave it in the outbox for a worker."""


class OutboxSender:
    name = "outbox"

    def send(self, reminder: Reminder) -> Outcome | None:
        return None


class NotifySender:
    name = "GOV.UK Notify"

    def __init__(self, api_key: str, *, sms_template: str | None = None,
                 letter_template: str | None = None, base_url: str | None = None,
                 timeout: float = 30):
        from notifications_python_client import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key, base_url=base_url or NOTIFY_BASE_URL,
                                             timeout=timeout)
        self.sms_template = sms_template
        self.letter_template = letter_template

    def send(self, reminder: Reminder) -> Outcome | None:
        from notifications_python_client.errors import APIError

        reference = f"outreach-reminder-{reminder.pk}"  # no personal data in a reference
        try:
            if reminder.channel in (Channel.TEXT, Channel.VIA_CARER) and self.sms_template:
                response = self.client.send_sms_notification(
                    phone_number=reminder.recipient, template_id=self.sms_template,
                    personalisation={"body": reminder.body}, reference=reference,
                )
            elif reminder.channel == Channel.LETTER and self.letter_template:
                lines = wording.letter_lines(reminder.person.display_name, reminder.recipient)
                personalisation = {f"address_line_{n}": line
                                   for n, line in enumerate(lines, start=1)}
                personalisation["body"] = reminder.body
                response = self.client.send_letter_notification(
                    template_id=self.letter_template, personalisation=personalisation,
                    reference=reference,
                )
            else:
                return None
        except APIError as exc:
            passing = exc.status_code >= 500 or exc.status_code == 429
            return Outcome(sent=False, retry=passing,
                           failure_reason=f"GOV.UK Notify did not accept it: {exc}"[:500])
        return Outcome(sent=True, provider_reference=str((response or {}).get("id", "")))


def _setting(name: str) -> str | None:
    return getattr(settings, name, None) or os.environ.get(name) or None


def sender_from_settings() -> Sender:
    api_key = _setting("OUTREACH_NOTIFY_API_KEY")
    if not api_key:
        return OutboxSender()
    return NotifySender(
        api_key, sms_template=_setting("OUTREACH_NOTIFY_SMS_TEMPLATE"),
        letter_template=_setting("OUTREACH_NOTIFY_LETTER_TEMPLATE"),
        base_url=_setting("OUTREACH_NOTIFY_BASE_URL"),
    )
