"""`outreach demo`: load the demo data set if the database is empty, then say how to sign in."""

import os

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from outreach.synth.load import DEFAULT_DEMO_PASSWORD, DEMO_LOGINS, DEMO_PASSWORD_ENV
from outreach.teams.models import Discipline, Role, StaffMember, Team

CRISIS_LINE = ("crisis-line", "the 24/7 crisis line serving north-ao: crisis summaries only")


class Command(BaseCommand):
    help = "Load the synthetic demo data (if there are no people yet) and list the logins."

    def handle(self, *args, **options) -> None:
        call_command("synth", scale="demo", if_empty=True, stdout=self.stdout)
        self._crisis_line()
        logins = (*DEMO_LOGINS, CRISIS_LINE)
        present = set(get_user_model().objects.filter(
            username__in=[name for name, _ in logins]).values_list("username", flat=True))
        self.stdout.write("\nDemo logins (synthetic data only):")
        for name, what in logins:
            note = "" if name in present else "  [not in this database]"
            self.stdout.write(f"  {name:<14} {what}{note}")
        self.stdout.write(
            f"Password: the value of {DEMO_PASSWORD_ENV} when the data was loaded, or "
            f"'{DEFAULT_DEMO_PASSWORD}' if it was not set. For a local demo only."
        )

    @transaction.atomic
    def _crisis_line(self) -> None:
        """The out-of-hours crisis line is not part of the team, so the generator does not
        make it: add its login to the demo team's database once."""
        User = get_user_model()
        team = Team.objects.filter(code="north-ao").first()
        if team is None or User.objects.filter(username=CRISIS_LINE[0]).exists():
            return
        password = os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD
        user = User.objects.create_user(username=CRISIS_LINE[0], password=password)
        StaffMember.objects.create(
            user=user, team=team, name="Crisis line (out of hours)", role=Role.CRISIS_LINE,
            discipline=Discipline.NONE, fte=0, joined=timezone.localdate(),
        )
