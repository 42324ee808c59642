"""Inclusive date ranges, used for leave, sickness and cover."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

PERIOD_ENDS_BEFORE_START = "A period cannot end before it starts"

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """From start to end, both days included (a one-day absence has start == end)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(PERIOD_ENDS_BEFORE_START)

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def days(self) -> int:
        """How many days the period spans, counting both ends."""
        return (self.end - self.start).days + 1


def merge(periods: Iterable[Period]) -> list[Period]:
    """The same days as sorted, maximal periods: overlapping or touching periods are joined."""
    merged: list[Period] = []
    for period in sorted(periods, key=lambda p: p.start):
        if merged and (period.start - merged[-1].end).days <= 1:
            if period.end > merged[-1].end:
                merged[-1] = Period(merged[-1].start, period.end)
        else:
            merged.append(period)
    return merged


def subtract(periods: Iterable[Period], removed: Iterable[Period]) -> list[Period]:
    """The days in periods that are in none of removed, as sorted, maximal periods."""
    cuts = merge(removed)
    left: list[Period] = []
    for period in merge(periods):
        start = period.start  # first day of period not yet covered by a cut
        for cut in cuts:
            if cut.end < start or cut.start > period.end:
                continue
            if cut.start > start:
                left.append(Period(start, cut.start - _DAY))
            if cut.end >= period.end:
                break
            start = cut.end + _DAY
        else:
            left.append(Period(start, period.end))
    return left
