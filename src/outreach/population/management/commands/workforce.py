"""`outreach workforce`: practitioners, the whole team by role and the annual cost of
intensive and assertive care for a number of people."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outreach.core.workforce import ROLES, WorkforceConfig, estimate


def _range(text: str, kind=float) -> tuple:
    lo, _, hi = text.partition("-")
    return kind(lo), kind(hi or lo)


class Command(BaseCommand):
    help = (
        "Workforce and annual cost for N people (or a range N-M): practitioners at caseloads "
        "of 10-12, the whole team at 8-10 FTE per 100 people by role, and the cost from the "
        "Agenda for Change pay table with on-costs (docs/population.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", required=True, help="N or N-M")
        parser.add_argument("--caseload", default="10-12", help="people per practitioner")
        parser.add_argument("--fte-per-100", default="8-10", help="whole-team FTE per 100")
        parser.add_argument("--on-costs", type=float, help="employer on-costs, share of pay")
        parser.add_argument("--flat-cost", type=float,
                            help="one cost per FTE instead of the pay table")
        parser.add_argument("--config", type=Path, help="JSON: pay, on_costs, overheads")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, people, caseload, fte_per_100, on_costs, flat_cost, config,
               json: bool, **options):
        try:
            lo, hi = _range(people, int)
            d = {}
            if config:
                with open(config) as f:
                    d.update(json_load(f))
            d["caseload"] = _range(caseload, int)
            d["fte_per_100"] = _range(fte_per_100)
            if on_costs is not None:
                d["on_costs"] = on_costs
            if flat_cost is not None:
                d["flat_per_fte"] = flat_cost
            cfg = WorkforceConfig.from_mapping(d)
            est = estimate(lo, hi, cfg)
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(json_dumps(est.as_dict()))
            return
        w = self.stdout.write
        lo_b, hi_b = est.low, est.high
        w(f"People: {lo_b.people:,} to {hi_b.people:,}")
        w(f"Practitioners: {lo_b.practitioners:,} (caseload {lo_b.caseload}) to "
          f"{hi_b.practitioners:,} (caseload {hi_b.caseload})")
        w(f"Whole team: {lo_b.team_fte:,.1f} FTE ({lo_b.fte_per_100:g} per 100) to "
          f"{hi_b.team_fte:,.1f} FTE ({hi_b.fte_per_100:g} per 100)")
        for r in ROLES:
            w(f"  {r.label:<38}{lo_b.by_role[r.name]:>8.1f}{hi_b.by_role[r.name]:>8.1f}")
        w(f"Annual cost: £{lo_b.cost / 1e6:,.2f}m to £{hi_b.cost / 1e6:,.2f}m")


def json_load(f):
    return json.load(f)


def json_dumps(obj) -> str:
    return json.dumps(obj, indent=2)
