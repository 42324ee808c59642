"""The skills gaps as the governance dashboard shows them: per team, through the viewer's
Disclosure (exact for the team's staff, suppressed for commissioners: a count of one or two
staff could identify a colleague)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from outreach.core.skills import GapCount
from outreach.core.suppression import Disclosure, Shown
from outreach.skills import selectors
from outreach.skills.config import warning_days
from outreach.teams.models import Team


@dataclass(frozen=True)
class GapRow:
    team: Team | None  # None: the teams together
    required: Shown
    gaps: Shown
    missing: Shown
    expired: Shown
    expiring: Shown
    met: Shown  # % of required competencies met (current)


def _row(team: Team | None, g: GapCount, d: Disclosure) -> GapRow:
    return GapRow(team, d.count(g.required), d.count(g.gaps), d.count(g.missing),
                  d.count(g.expired), d.count(g.expiring), d.percentage(g.met, g.required))


@dataclass(frozen=True)
class GapSection:
    rows: list[GapRow]
    warn_days: int
    on: date


def governance_section(teams: list[Team], *, on: date, disclosure: Disclosure) -> GapSection:
    counts = selectors.gaps_by_team(teams, on=on)
    rows = [_row(t, counts[t.pk], disclosure) for t in teams]
    if len(teams) > 1:
        total = GapCount(*(sum(getattr(c, f) for c in counts.values())
                           for f in ("required", "missing", "expired", "expiring")))
        rows.append(_row(None, total, disclosure))
    return GapSection(rows, warning_days(), on)
