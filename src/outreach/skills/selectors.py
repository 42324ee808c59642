"""Reads of the skills matrix: a team's matrix on a day and gap counts for governance.
Statuses are worked out for the day asked (outreach.core.skills), never stored."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from outreach.core import skills as rules
from outreach.records.selectors import team_clinicians
from outreach.skills.config import warning_days
from outreach.skills.models import Competency, Requirement, TrainingRecord
from outreach.teams.models import StaffMember, Team


def competencies() -> list[Competency]:
    return list(Competency.objects.filter(active=True))


def requirements() -> list[rules.Requirement]:
    return [rules.Requirement(r.competency.key, r.role or None, r.discipline or None)
            for r in Requirement.objects.select_related("competency")]


def _records(staff_ids: Iterable[int]) -> dict[tuple[int, str], list[rules.Training]]:
    out: dict[tuple[int, str], list[rules.Training]] = defaultdict(list)
    for r in (TrainingRecord.objects.filter(staff_id__in=list(staff_ids), withdrawn=False)
              .select_related("competency")):
        out[(r.staff_id, r.competency.key)].append(rules.Training(r.completed_on, r.expires_on))
    return out


@dataclass(frozen=True)
class Matrix:
    on: date
    warn_days: int
    competencies: list[Competency]
    staff: list[StaffMember]
    cells: dict[tuple[int, str], rules.Cell]
    total: rules.GapCount
    by_competency: dict[str, rules.GapCount]

    def row(self, staff: StaffMember) -> list[rules.Cell]:
        return [self.cells[(staff.pk, c.key)] for c in self.competencies]


def _cells(staff: list[StaffMember], comps: list[Competency], on: date,
           warn: int) -> list[rules.Cell]:
    return rules.matrix(
        [rules.StaffMember(s.pk, s.role, s.discipline) for s in staff],
        [c.key for c in comps], requirements(), _records(s.pk for s in staff), on, warn)


def team_matrix(team: Team, *, on: date, warn_days: int | None = None) -> Matrix:
    """Every clinician on the team (on the day) against every active competency."""
    warn = warning_days() if warn_days is None else warn_days
    staff = [s for s in team_clinicians(team) if s.joined <= on]
    comps = competencies()
    cells = _cells(staff, comps, on, warn)
    return Matrix(on, warn, comps, staff, {(c.staff, c.competency): c for c in cells},
                  rules.count_gaps(cells)[None] if cells else rules.GapCount(),
                  rules.count_gaps(cells, key=lambda c: c.competency))


def _clinicians(teams: list[Team], on: date) -> list[StaffMember]:
    return [s for s in StaffMember.objects.filter(team__in=teams).order_by("name")
            if s.is_clinical and s.joined <= on and (s.left is None or s.left > on)]


def gaps_by_team(teams: Iterable[Team], *, on: date) -> dict[int, rules.GapCount]:
    """Gap counts (required, missing, expired, expiring) per team, for governance."""
    teams = list(teams)
    staff = _clinicians(teams, on)
    cells = _cells(staff, competencies(), on, warning_days())
    team_of = {s.pk: s.team_id for s in staff}
    counts = rules.count_gaps(cells, key=lambda c: team_of[c.staff])
    return {t.pk: counts.get(t.pk, rules.GapCount()) for t in teams}


def gaps_by_team_and_competency(teams: Iterable[Team], *,
                                on: date) -> dict[tuple[int, str], rules.GapCount]:
    teams = list(teams)
    staff = _clinicians(teams, on)
    cells = _cells(staff, competencies(), on, warning_days())
    team_of = {s.pk: s.team_id for s in staff}
    return rules.count_gaps(cells, key=lambda c: (team_of[c.staff], c.competency))


def staff_records(staff: StaffMember) -> list[TrainingRecord]:
    return list(TrainingRecord.objects.filter(staff=staff)
                .select_related("competency", "recorded_by")
                .prefetch_related("amendments__amended_by"))
