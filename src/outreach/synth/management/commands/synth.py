"""`outreach synth`: load deterministic synthetic data (never real) into the database."""

import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from outreach.population.synth import SCALES as MHSDS_SCALES
from outreach.population.synth import write_mhsds
from outreach.records.models import Person
from outreach.synth.experience import load_experience_and_skills
from outreach.synth.generator import SCALES, generate
from outreach.synth.load import SynthConflict, load

DEFAULT_SEED = 20240701  # the month NHS England's guidance (002) was published


class Command(BaseCommand):
    help = (
        "Generate synthetic teams, staff, people and their history from a seed and load "
        "them in one transaction. The same seed and --today always give the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES) + sorted(MHSDS_SCALES),
                            default=None,
                            help="demo (default): 2 teams, 140 people; trust: 6 teams, 800 "
                                 "people; bench: 40 teams, 5,166 people, over 2 million "
                                 "contacts. With --mhsds: tiny, icb (default) or national")
        parser.add_argument("--mhsds", type=Path, metavar="DIR",
                            help="write a synthetic region as MHSDS-shaped Parquet files into "
                                 "DIR instead of loading the database (docs/population.md)")
        parser.add_argument("--multiplier", type=float, default=1.0,
                            help="with --mhsds: residents times this (e.g. 4 for 12 million)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="anchor date, YYYY-MM-DD (default: today); history ends "
                                 "the day before")
        parser.add_argument("--if-empty", action="store_true",
                            help="load only if there are no people in the database yet")
        parser.add_argument("--cover-gaps", type=float, default=0.0, metavar="SHARE",
                            help="leave this share of key-worker absences without cover, to "
                                 "exercise the gap warnings (default 0: none)")

    def handle(self, *args, scale: str | None, seed: int, today: date | None, if_empty: bool,
               cover_gaps: float, mhsds: Path | None, multiplier: float, **options) -> None:
        if mhsds is not None:
            self.stdout.write(write_mhsds(mhsds, scale=scale or "icb", seed=seed,
                                          multiplier=multiplier, end=today))
            return
        scale = scale or "demo"
        if scale not in SCALES:
            raise CommandError(f"--scale {scale} is for --mhsds")
        if if_empty and Person.objects.exists():
            self.stdout.write("The database already has people in it: nothing loaded.")
            return
        today = today or timezone.localdate()
        started = time.perf_counter()
        data = generate(SCALES[scale], seed=seed, today=today, cover_gaps=cover_gaps)
        generated = time.perf_counter() - started
        try:
            report = load(data)
        except SynthConflict as exc:
            raise CommandError(str(exc)) from exc
        report.counts.update(load_experience_and_skills(seed=seed, today=today))
        self.stdout.write(f"Loaded synthetic data: scale {scale}, seed {seed}, today {today}")
        for name, count in report.counts.items():
            self.stdout.write(f"  {name:<24} {count:>10,}")
        self.stdout.write(
            f"Generated in {generated:.1f} s, loaded (contacts generated as they were "
            f"written) in {report.seconds:.1f} s; {generated + report.seconds:.1f} s in all."
        )
