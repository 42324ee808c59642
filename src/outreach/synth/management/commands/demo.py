"""`outreach demo`: load the demo data set if the database is empty, then say how to sign in."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from outreach.synth.load import DEFAULT_DEMO_PASSWORD, DEMO_LOGINS, DEMO_PASSWORD_ENV


class Command(BaseCommand):
    help = "Load the synthetic demo data (if there are no people yet) and list the logins."

    def handle(self, *args, **options) -> None:
        call_command("synth", scale="demo", if_empty=True, stdout=self.stdout)
        present = set(get_user_model().objects.filter(
            username__in=[name for name, _ in DEMO_LOGINS]).values_list("username", flat=True))
        self.stdout.write("\nDemo logins (synthetic data only):")
        for name, what in DEMO_LOGINS:
            note = "" if name in present else "  [not in this database]"
            self.stdout.write(f"  {name:<14} {what}{note}")
        self.stdout.write(
            f"Password: the value of {DEMO_PASSWORD_ENV} when the data was loaded, or "
            f"'{DEFAULT_DEMO_PASSWORD}' if it was not set. For a local demo only."
        )
