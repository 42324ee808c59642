"""Writes about who is working: staff leave and sickness, and cover for the people of a key
worker who is away, so that no person is ever without a named worker (design rule 3).

Cover itself is written by records.services.cover_assign (one row per person and period,
audited against the person); this module decides who needs it and for which days.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.core.caseload import uncovered_days
from outreach.core.periods import Period
from outreach.records import services as record_services
from outreach.records.models import (
    OPEN_STATUSES,
    CoverAssignment,
    CoverReason,
    Episode,
    KeyWorkerAssignment,
)
from outreach.records.services import ValidationFailed
from outreach.teams.models import Absence, AbsenceKind, StaffMember

END_BEFORE_START = "The last day must be the same as or after the first day"
NOT_ON_TEAM = "Choose someone on your team"
CHOOSE_KIND = "Choose leave, sickness, training or other"
OVERLAPS = "{name} is already recorded as away from {start:%-d %B %Y} to {end:%-d %B %Y}"
COVER_IS_AWAY = "{name} is also away from {start:%-d %B %Y} to {end:%-d %B %Y}: choose someone else"
COVER_SELF = "Choose someone other than the person who is away"
COVER_NOT_CLINICIAN = "Cover must be a clinician on the team"
COVER_HAS_LEFT = "{name} leaves the team on {left:%-d %B %Y}, before this absence ends"

COVER_REASON = {
    AbsenceKind.LEAVE: CoverReason.LEAVE,
    AbsenceKind.SICKNESS: CoverReason.SICKNESS,
    AbsenceKind.TRAINING: CoverReason.OTHER,
    AbsenceKind.OTHER: CoverReason.OTHER,
}


@transaction.atomic
def absence_record(
    *, staff: StaffMember, by: StaffMember, request, kind: str, start: date, end: date
) -> Absence:
    """Record leave or sickness for someone on the recorder's team; inclusive dates that do
    not overlap another absence of the same person."""
    errors: dict[str, list[str]] = {}
    if staff.team_id is None or staff.team_id != by.team_id:
        errors["staff"] = [NOT_ON_TEAM]
    if kind not in AbsenceKind.values:
        errors["kind"] = [CHOOSE_KIND]
    if end < start:
        errors["end"] = [END_BEFORE_START]
    if not errors:
        # Locks the person's absences so that two overlapping ones cannot both be saved.
        clash = (
            Absence.objects.select_for_update()
            .filter(staff=staff, start__lte=end, end__gte=start)
            .order_by("start")
            .first()
        )
        if clash is not None:
            errors["start"] = [OVERLAPS.format(name=staff.name, start=clash.start, end=clash.end)]
    if errors:
        raise ValidationFailed(errors)
    absence = Absence.objects.create(staff=staff, kind=kind, start=start, end=end)
    audit_record(request=request, person_id=None, action=AuditAction.CREATE,
                 what=f"absence recorded: {staff.name}, {kind} {start}..{end}")
    return absence


@dataclass(frozen=True)
class NeedsCover:
    episode: Episode
    uncovered: list[Period]


def people_needing_cover(absence: Absence) -> list[NeedsCover]:
    """The absent worker's people (they are the key worker of an open episode on the team)
    with the days of the absence nobody covers yet; people already covered are left out."""
    period = Period(absence.start, absence.end)
    assignments = (
        KeyWorkerAssignment.objects.filter(
            staff_id=absence.staff_id, end__isnull=True, episode__status__in=OPEN_STATUSES,
            episode__team_id=absence.staff.team_id,
        )
        .select_related("episode__person")
        .order_by("episode__person__family_name", "episode__person__given_name", "episode_id")
    )
    episodes = [a.episode for a in assignments]
    covers: dict[int, list[Period]] = {}
    for c in CoverAssignment.objects.filter(
        episode__in=episodes, start__lte=absence.end, end__gte=absence.start
    ):
        covers.setdefault(c.episode_id, []).append(
            Period(max(c.start, absence.start), min(c.end, absence.end))
        )
    needs = []
    for episode in episodes:
        uncovered = uncovered_days(absences=[period], covers=covers.get(episode.pk, []))
        if uncovered:
            needs.append(NeedsCover(episode, uncovered))
    return needs


def _cover_problems(absence: Absence, cover: StaffMember) -> list[str]:
    if cover.pk == absence.staff_id:
        return [COVER_SELF]
    if cover.team_id != absence.staff.team_id or not cover.is_clinical:
        return [COVER_NOT_CLINICIAN]
    if cover.left is not None and cover.left <= absence.end:
        return [COVER_HAS_LEFT.format(name=cover.name, left=cover.left)]
    away = (
        Absence.objects.filter(staff=cover, start__lte=absence.end, end__gte=absence.start)
        .order_by("start")
        .first()
    )
    if away is not None:
        return [COVER_IS_AWAY.format(name=cover.name, start=away.start, end=away.end)]
    return []


@transaction.atomic
def cover_assign_for_absence(
    *, absence: Absence, cover: StaffMember, by: StaffMember, request
) -> list[CoverAssignment]:
    """One cover worker for all the absent key worker's people over the absence, skipping the
    days (and people) already covered. All or nothing: one refusal saves no cover at all."""
    if absence.staff.team_id != by.team_id:
        raise ValidationFailed({"staff": [NOT_ON_TEAM]})
    problems = _cover_problems(absence, cover)
    if problems:
        raise ValidationFailed({"staff": problems})
    reason = COVER_REASON.get(absence.kind, CoverReason.OTHER)
    created = []
    for need in people_needing_cover(absence):
        for days in need.uncovered:
            created.append(record_services.cover_assign(
                episode=need.episode, staff=cover, by=by, request=request, start=days.start,
                end=days.end, reason=reason,
            ))
    return created
