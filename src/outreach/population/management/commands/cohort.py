"""`outreach cohort`: identify the people who need intensive and assertive care from
MHSDS-shaped files, by locality, with the workforce and cost of closing the gap."""

import json
import sys
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outreach.core.equality import By
from outreach.core.workforce import WorkforceConfig
from outreach.population.data import InvalidInput
from outreach.population.engines import ENGINES
from outreach.population.report import AUDIENCES, DEFAULT_BY, figures, write_report
from outreach.population.rules import CohortConfig
from outreach.population.run import run_cohort


def _staff(path: Path) -> dict[str, float]:
    import csv

    with open(path, newline="") as f:
        return {r["locality"]: float(r["fte"]) for r in csv.DictReader(f)}


class Command(BaseCommand):
    help = (
        "Identify the cohort for intensive and assertive community care from a directory of "
        "MHSDS-shaped Parquet or CSV files (one per table), by locality, beside the 10-15% "
        "multiplier estimate. Commissioners' figures are suppressed; --provider gives exact "
        "figures and the list of people."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, required=True, help="directory of tables")
        parser.add_argument("--engine", choices=ENGINES, default="duckdb")
        parser.add_argument("--out", type=Path, help="write report.html, CSV and JSON here")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument("--period-end", type=date.fromisoformat,
                            help="YYYY-MM-DD (default: the latest care contact)")
        parser.add_argument("--config", type=Path,
                            help="JSON file of cohort thresholds (docs/population.md)")
        parser.add_argument("--workforce-config", type=Path, help="JSON file of pay and ratios")
        parser.add_argument("--staff", type=Path,
                            help="CSV of staff in post: locality,fte (default: estimated)")
        parser.add_argument("--provider", action="store_true",
                            help="exact figures and the identifiable list (provider staff only)")
        parser.add_argument("--threads", type=int, help="engine threads or Spark cores")
        parser.add_argument("--by", action="append", choices=[b.value for b in By],
                            default=[], help="break the cohort down by this too (repeatable; "
                            "ethnicity is always shown)")
        parser.add_argument("--save", action="store_true",
                            help="keep the commissioners' (suppressed) figures for the "
                                 "population page")

    def handle(self, *args, data, engine, out, json: bool, period_end, config,
               workforce_config, staff, provider, threads, save, by=(), **options):
        started = time.perf_counter()

        def progress(msg: str) -> None:
            sys.stderr.write(f"[{time.perf_counter() - started:6.1f} s] {msg}\n")
            sys.stderr.flush()

        try:
            cfg = CohortConfig.from_mapping(_load_json(config)) if config else None
            wf = WorkforceConfig.from_mapping(_load_json(workforce_config)) \
                if workforce_config else None
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        audience = AUDIENCES[1] if provider else AUDIENCES[0]
        try:
            result = run_cohort(data, engine=engine, config=cfg, period_end=period_end,
                                identifiable=provider, threads=threads, progress=progress)
        except InvalidInput as exc:
            raise CommandError(exc.report()) from exc
        in_post = _staff(staff) if staff else None
        by = tuple(dict.fromkeys([*DEFAULT_BY, *by]))
        fig = figures(result, audience=audience, workforce=wf, staff_in_post=in_post, by=by)
        if save:
            from outreach.population.models import CohortRun

            shown = fig if audience == AUDIENCES[0] else figures(
                result, audience=AUDIENCES[0], workforce=wf, staff_in_post=in_post, by=by)
            CohortRun.objects.create(data=str(data), engine=engine,
                                     period_end=result.config.period_end, figures=shown)
            progress("saved the commissioners' figures for the population page")
        if out:
            written = write_report(result, out, audience=audience, workforce=wf,
                                   staff_in_post=in_post, by=by)
            progress("wrote " + ", ".join(str(p) for p in written))
        if json:
            self.stdout.write(_dumps(fig))
            return
        self._table(fig)

    def _table(self, fig):
        w = self.stdout.write
        w(f"Period end {fig['period_end']}, engine {fig['engine']}, {fig['audience']} figures.")
        w(fig["suppression"])
        head = f"{'locality':<16}{'cohort':>8}{'on AO':>8}{'not AO':>8}{'CMHT':>8}" \
               f"{'crisis':>8}{'forensic':>9}{'none':>8}{'SMI':>8}  multiplier"
        w(head)
        for r in fig["localities"]:
            w(f"{r['locality'][:15]:<16}{r['cohort']['text']:>8}{r['cohort_on_ao']['text']:>8}"
              f"{r['cohort_not_on_ao']['text']:>8}{r['cohort_cmht']['text']:>8}"
              f"{r['cohort_crisis']['text']:>8}{r['cohort_forensic']['text']:>9}"
              f"{r['cohort_none']['text']:>8}{r['smi_known']['text']:>8}  "
              f"{r['multiplier']['text']}")
        wf = fig["workforce"]
        w(f"Workforce for {wf['people']:,} people: {wf['low']['team_fte']}-"
          f"{wf['high']['team_fte']} FTE, £{wf['low']['annual_cost'] / 1e6:,.1f}m-"
          f"£{wf['high']['annual_cost'] / 1e6:,.1f}m a year.")
        w(fig["multiplier_note"])
        for sec in fig["equality"]["sections"]:
            w(f"{sec['heading']}:")
            w(f"{'group':<44}{'SMI':>8}{'cohort':>8}{'on AO':>8}{'not AO':>8}"
              f"{'per 1,000':>11}  95% interval")
            for r in sec["rows"]:
                w(f"{r['group'][:43]:<44}{r['smi_known']['text']:>8}{r['cohort']['text']:>8}"
                  f"{r['cohort_on_ao']['text']:>8}{r['cohort_not_on_ao']['text']:>8}"
                  f"{r['rate']['text']:>11}  {r['rate']['interval']}")
        for note in fig["equality"]["notes"]:
            w(note)


def _load_json(path: Path) -> dict:
    with open(path) as f:
        return json.load(f)


def _dumps(obj) -> str:
    return json.dumps(obj, indent=2)
