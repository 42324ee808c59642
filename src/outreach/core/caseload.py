"""Caseload limits and key-worker cover (design rule 3; 001, 002 ch.4, 003).

Small caseloads are what make intensive, assertive contact possible: at most 12 people per
whole-time member of staff across the team, 10-12 per practitioner, and a named worker
responsible for each person on every day, including when the key worker is away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from outreach.core.periods import Period, subtract

MAX_PEOPLE_PER_FTE = 12
CASELOAD_RANGE = (10, 12)

RATIO_WITHIN = "Team ratio 1:{ratio:.1f} (staff to people), within the limit of 1:{limit}."
RATIO_OVER = (
    "Team ratio 1:{ratio:.1f} (staff to people) is over the limit of 1:{limit}. "
    "Review staffing or the caseload."
)
NO_STAFF = "No staff time is recorded for this team, so nobody is available to see {people} people."
NO_STAFF_NO_PEOPLE = "No staff time and nobody on the caseload."
CASELOAD_BELOW = "{count} people: below the usual range of {low}-{high} per practitioner."
CASELOAD_WITHIN = "{count} people: within the usual range of {low}-{high} per practitioner."
CASELOAD_OVER = (
    "Warning: {count} people is over the maximum of {high} per practitioner, too many to keep "
    "up intensive and assertive contact. Review at MDT."
)
NEGATIVE_COUNT = "Staff time and numbers of people cannot be negative"
BAD_LIMIT = "A caseload limit must be at least 1, and the low end of a range no more than the high"

K = TypeVar("K")


@dataclass(frozen=True)
class RatioCheck:
    people_per_fte: float | None  # None when the team has no staff time
    within_limit: bool
    message: str


def team_ratio(
    *, staff_fte: float, people: int, max_people_per_fte: int = MAX_PEOPLE_PER_FTE
) -> RatioCheck:
    """People on the team's caseload per whole-time equivalent member of staff."""
    if staff_fte < 0 or people < 0:
        raise ValueError(NEGATIVE_COUNT)
    if max_people_per_fte < 1:
        raise ValueError(BAD_LIMIT)
    if staff_fte == 0:
        # With people and no staff, the ratio is unbounded: never within the limit.
        if people:
            return RatioCheck(None, False, NO_STAFF.format(people=people))
        return RatioCheck(None, True, NO_STAFF_NO_PEOPLE)
    ratio = people / staff_fte
    within = ratio <= max_people_per_fte
    template = RATIO_WITHIN if within else RATIO_OVER
    return RatioCheck(ratio, within, template.format(ratio=ratio, limit=max_people_per_fte))


class CaseloadStatus(StrEnum):
    BELOW = "below"
    WITHIN = "within"
    OVER = "over"


@dataclass(frozen=True)
class CaseloadCheck:
    count: int
    status: CaseloadStatus
    message: str


def practitioner_caseload(
    count: int, *, low: int = CASELOAD_RANGE[0], high: int = CASELOAD_RANGE[1]
) -> CaseloadCheck:
    """Where one practitioner's caseload sits against the 10-12 range."""
    if count < 0:
        raise ValueError(NEGATIVE_COUNT)
    if high < 1 or not 0 <= low <= high:
        raise ValueError(BAD_LIMIT)
    if count > high:
        status, template = CaseloadStatus.OVER, CASELOAD_OVER
    elif count < low:
        status, template = CaseloadStatus.BELOW, CASELOAD_BELOW
    else:
        status, template = CaseloadStatus.WITHIN, CASELOAD_WITHIN
    return CaseloadCheck(count, status, template.format(count=count, low=low, high=high))


def uncovered_days(*, absences: Sequence[Period], covers: Sequence[Period]) -> list[Period]:
    """Days the key worker is away (leave, sickness, left) with no cover, as maximal periods."""
    return subtract(absences, covers)


def responsible_worker(
    *, key_worker: K, on: date, absences: Sequence[Period], covers: Sequence[tuple[Period, K]]
) -> K | None:
    """Who is responsible for the person on a day; None is a gap in cover to fix."""
    if not any(absence.contains(on) for absence in absences):
        return key_worker
    # Where cover assignments overlap, the first listed wins: callers order them by priority.
    return next((worker for period, worker in covers if period.contains(on)), None)
