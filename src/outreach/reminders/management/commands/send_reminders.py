"""Send the queued reminders: through GOV.UK Notify when OUTREACH_NOTIFY_API_KEY is set,
otherwise leave them in the outbox for workers. Either way each one is first checked
against the person's current record, and one whose number or address is no longer there is
marked failed with the reason. Phone calls are never sent by a machine.

Run it from cron or a systemd timer, e.g. every 15 minutes in the team's working hours.
"""

from django.core.management.base import BaseCommand

from outreach.reminders import services
from outreach.reminders.senders import sender_from_settings


class Command(BaseCommand):
    help = "Check and send queued appointment reminders (GOV.UK Notify, or leave in outbox)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500,
                            help="At most this many reminders in one run (default 500).")

    def handle(self, *args, limit: int, **options):
        sender = sender_from_settings()
        counts = services.send_queued(sender=sender, limit=limit)
        self.stdout.write(
            f"sender: {sender.name}; sent {counts['sent']}, not sent {counts['failed']}, "
            f"cancelled {counts['cancelled']}, left in the outbox {counts['queued']}"
        )
