"""Team-level reads: caseload sizes against the limits, and gaps in key-worker cover."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum

from outreach.core.caseload import (
    CaseloadCheck,
    RatioCheck,
    practitioner_caseload,
    team_ratio,
    uncovered_days,
)
from outreach.core.periods import Period
from outreach.records.models import OPEN_STATUSES, CoverAssignment, Episode, KeyWorkerAssignment
from outreach.teams.models import Absence, Role, StaffMember, Team

# Who counts as staff time for the 1:12 ratio: the clinicians who carry the caseload.
CASELOAD_ROLES = (Role.PRACTITIONER, Role.CONSULTANT)


def active_staff(team: Team, on: date):
    return team.staff.filter(Q(left__isnull=True) | Q(left__gt=on), joined__lte=on)


@dataclass(frozen=True)
class CaseloadReport:
    ratio: RatioCheck
    people: int
    staff_fte: float
    practitioners: list[tuple[StaffMember, CaseloadCheck]]


def team_caseload_report(team: Team, *, on: date) -> CaseloadReport:
    people = Episode.objects.filter(team=team, status__in=OPEN_STATUSES).count()
    staff = active_staff(team, on).filter(role__in=CASELOAD_ROLES)
    fte = float(staff.aggregate(total=Sum("fte"))["total"] or 0)
    counted = staff.filter(role=Role.PRACTITIONER).annotate(
        caseload=Count(
            "key_worker_of",
            filter=Q(key_worker_of__end__isnull=True,
                     key_worker_of__episode__status__in=OPEN_STATUSES),
        )
    )
    return CaseloadReport(
        ratio=team_ratio(staff_fte=fte, people=people),
        people=people,
        staff_fte=fte,
        practitioners=[(s, practitioner_caseload(s.caseload)) for s in counted],
    )


@dataclass(frozen=True)
class CoverGap:
    episode: Episode
    key_worker: StaffMember
    uncovered: list[Period]


def cover_gaps(team: Team, *, start: date, end: date) -> list[CoverGap]:
    """People whose key worker is away (leave, sickness, or has left) on days in the window
    with nobody covering: the gaps a manager must fill (design rule 3)."""
    window = Period(start, end)
    current = KeyWorkerAssignment.objects.filter(
        episode__team=team, episode__status__in=OPEN_STATUSES, end__isnull=True
    ).select_related("staff", "episode__person")
    absences: dict[int, list[Period]] = defaultdict(list)
    for a in Absence.objects.filter(staff__team=team, start__lte=end, end__gte=start):
        absences[a.staff_id].append(Period(max(a.start, start), min(a.end, end)))
    for s in team.staff.filter(left__isnull=False, left__lte=end):
        absences[s.pk].append(Period(max(s.left, start), end))
    covers: dict[int, list[Period]] = defaultdict(list)
    for c in CoverAssignment.objects.filter(episode__team=team, start__lte=end, end__gte=start):
        covers[c.episode_id].append(Period(max(c.start, start), min(c.end, end)))
    gaps = []
    for kw in current:
        away = [p for p in absences.get(kw.staff_id, []) if p.overlaps(window)]
        if not away:
            continue
        uncovered = uncovered_days(absences=away, covers=covers.get(kw.episode_id, []))
        if uncovered:
            gaps.append(CoverGap(kw.episode, kw.staff, uncovered))
    return gaps
