"""The staff skills matrix: whether each member of staff holds each competency their role or
discipline requires, on a given day (issue 8; Somerset action plan 004, actions 19-24).

A training record has a completion date and, for competencies that must be renewed, an
expiry date: the training is valid up to and including its expiry date. On a day:

- MET: a valid record that does not expire within the warning period (or never expires);
- EXPIRING: valid, but it expires within `warn_days` days: expiry - day <= warn_days;
- EXPIRED: the latest record's expiry date has passed (hazard H34: an expired competency,
  such as Mental Health Act training, must never be shown as current);
- MISSING: no record at all (a record completed after the day does not count yet).

The status is always worked out for the day it is shown, never stored, so it cannot go stale.
No Django here: the app passes plain values in.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

EXPIRES_BEFORE_COMPLETED = "The expiry date cannot be before the completion date"
COMPLETED_IN_FUTURE = "The completion date cannot be in the future"
WARN_DAYS_NEGATIVE = "The warning period must be a whole number of days, 0 or more"
RENEWAL_NOT_POSITIVE = "A renewal period must be a whole number of months, at least 1"


class Status(StrEnum):
    MET = "met"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"


LABELS = {
    Status.MET: "Met",
    Status.EXPIRING: "Expiring soon",
    Status.EXPIRED: "Expired",
    Status.MISSING: "Missing",
}

# A gap is a required competency that is not currently held.
GAPS = frozenset({Status.EXPIRED, Status.MISSING})


@dataclass(frozen=True)
class Training:
    """One training record: completed on a day, valid to its expiry day (None: never
    expires)."""

    completed_on: date
    expires_on: date | None = None

    def __post_init__(self) -> None:
        if self.expires_on is not None and self.expires_on < self.completed_on:
            raise ValueError(EXPIRES_BEFORE_COMPLETED)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the last day of the month when that month is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_expiry(completed_on: date, renewal_months: int | None) -> date | None:
    """When training completed on a day expires, for a competency renewed every
    `renewal_months` months (None: it does not expire). Valid up to the day before the same
    date `renewal_months` later."""
    if renewal_months is None:
        return None
    if type(renewal_months) is not int or renewal_months < 1:
        raise ValueError(RENEWAL_NOT_POSITIVE)
    return date.fromordinal(add_months(completed_on, renewal_months).toordinal() - 1)


def status_of(training: Training, on: date, warn_days: int) -> Status:
    """The status one training record gives on a day (MISSING if completed after it)."""
    if type(warn_days) is not int or warn_days < 0:
        raise ValueError(WARN_DAYS_NEGATIVE)
    if training.completed_on > on:
        return Status.MISSING
    if training.expires_on is None:
        return Status.MET
    if training.expires_on < on:
        return Status.EXPIRED
    if (training.expires_on - on).days <= warn_days:
        return Status.EXPIRING
    return Status.MET


_RANK = {Status.MET: 3, Status.EXPIRING: 2, Status.EXPIRED: 1, Status.MISSING: 0}


@dataclass(frozen=True)
class Held:
    """A competency's status for one member of staff, and the record it comes from."""

    status: Status
    training: Training | None

    def days_left(self, on: date) -> int | None:
        """Days from `on` to the expiry date (0: expires today); None if it never expires
        or nothing is held."""
        if self.training is None or self.training.expires_on is None:
            return None
        return (self.training.expires_on - on).days


def best(trainings: Iterable[Training], on: date, warn_days: int) -> Held:
    """The status from the best of someone's records of one competency on a day: a renewed
    training replaces an expired one, and an older record never hides a newer expiry."""
    chosen: Held = Held(Status.MISSING, None)
    for t in trainings:
        s = status_of(t, on, warn_days)
        if s is Status.MISSING:
            continue
        if chosen.training is None or _RANK[s] > _RANK[chosen.status] or (
            _RANK[s] == _RANK[chosen.status] and _later(t, chosen.training)
        ):
            chosen = Held(s, t)
    return chosen


def _later(a: Training, b: Training) -> bool:
    if a.expires_on is None or b.expires_on is None:
        return a.expires_on is None and b.expires_on is not None
    return a.expires_on > b.expires_on


@dataclass(frozen=True)
class Requirement:
    """A competency required of staff with a role, or a discipline (None: any). A rule with
    both set requires both."""

    competency: str
    role: str | None = None
    discipline: str | None = None

    def applies(self, role: str, discipline: str) -> bool:
        return (self.role is None or self.role == role) and (
            self.discipline is None or self.discipline == discipline)


def required_of(requirements: Iterable[Requirement], role: str, discipline: str) -> set[str]:
    """The competencies required of a member of staff with this role and discipline."""
    return {r.competency for r in requirements if r.applies(role, discipline)}


@dataclass(frozen=True)
class Cell:
    staff: Hashable
    competency: str
    required: bool
    held: Held

    @property
    def status(self) -> Status:
        return self.held.status

    @property
    def gap(self) -> bool:
        return self.required and self.held.status in GAPS

    @property
    def expiring(self) -> bool:
        return self.required and self.held.status is Status.EXPIRING


@dataclass(frozen=True)
class StaffMember:
    key: Hashable
    role: str
    discipline: str


def matrix(staff: Iterable[StaffMember], competencies: Iterable[str],
           requirements: Iterable[Requirement],
           records: dict[tuple[Hashable, str], list[Training]], on: date,
           warn_days: int) -> list[Cell]:
    """One cell per member of staff per competency, in the order given."""
    competencies = list(competencies)
    requirements = list(requirements)
    cells = []
    for s in staff:
        needed = required_of(requirements, s.role, s.discipline)
        for c in competencies:
            cells.append(Cell(s.key, c, c in needed,
                              best(records.get((s.key, c), ()), on, warn_days)))
    return cells


@dataclass(frozen=True)
class GapCount:
    """Required competency-holdings in a group: how many are required, and of them how many
    are missing, expired, or expiring within the warning period."""

    required: int = 0
    missing: int = 0
    expired: int = 0
    expiring: int = 0

    @property
    def gaps(self) -> int:
        return self.missing + self.expired

    @property
    def met(self) -> int:
        return self.required - self.gaps

    def add(self, cell: Cell) -> GapCount:
        if not cell.required:
            return self
        s = cell.status
        return GapCount(self.required + 1, self.missing + (s is Status.MISSING),
                        self.expired + (s is Status.EXPIRED),
                        self.expiring + (s is Status.EXPIRING))


def count_gaps(cells: Iterable[Cell],
               key: Callable[[Cell], Hashable] = lambda c: None) -> dict[Hashable, GapCount]:
    """Gap counts by a grouping key of each cell (the competency, the team, or later a
    characteristic of staff): only required cells count."""
    out: dict[Hashable, GapCount] = {}
    for cell in cells:
        k = key(cell)
        out[k] = out.get(k, GapCount()).add(cell)
    return out
