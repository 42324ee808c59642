"""`outreach export_mhsds DIR`: outreach's own record as MHSDS-shaped Parquet files,
pseudonymised, every person's export audited (docs/population.md)."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand

from outreach.population.export import export_mhsds


class Command(BaseCommand):
    help = ("Write the people, episodes, contacts, detentions and CTOs of outreach's record as "
            "MHSDS-shaped Parquet files (Person_ID pseudonymised; no names, NHS numbers or "
            "addresses), so `outreach cohort` can run on them. Each person exported is audited.")

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="directory to write")
        parser.add_argument("--team", action="append", help="a team code (repeatable)")
        parser.add_argument("--period-end", type=date.fromisoformat, help="default: today")

    def handle(self, *args, out, team, period_end, **options):
        counts = export_mhsds(out, teams=team, period_end=period_end)
        self.stdout.write(f"Wrote {out}:")
        for name, n in counts.items():
            self.stdout.write(f"  {name:<32}{n:>10,}")
