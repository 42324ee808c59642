"""Engagement state: how long since the team last saw a person face to face, and what to do.

The ladder (on track -> due -> overdue -> lost contact -> escalated) makes a loss of contact
visible early and says who acts at each step (design rule 2; 002 ch.3-4, annex B). Thresholds
are configuration, not code: a team can tighten them in settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass, fields, replace
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Any


class EngagementState(StrEnum):
    ON_TRACK = "on_track"
    DUE = "due"
    OVERDUE = "overdue"
    LOST_CONTACT = "lost_contact"
    ESCALATED = "escalated"


# Least to most concerning; LADDER.index(state) orders people for handover and MDT lists.
LADDER: tuple[EngagementState, ...] = (
    EngagementState.ON_TRACK,
    EngagementState.DUE,
    EngagementState.OVERDUE,
    EngagementState.LOST_CONTACT,
    EngagementState.ESCALATED,
)

ACTIONS: dict[EngagementState, str] = {
    EngagementState.ON_TRACK: (
        "No extra action. Keep to the planned visits and the weekly contact target."
    ),
    EngagementState.DUE: (
        "Plan a face-to-face visit in the next day or two, at a time and place that suits "
        "the person."
    ),
    EngagementState.OVERDUE: (
        "Raise at the daily handover. Try other places and times to see the person, and "
        "contact their family or carer."
    ),
    EngagementState.LOST_CONTACT: (
        "Raise at the MDT and with the consultant. Contact the family or carer and the other "
        "agencies involved (GP, pharmacy, housing, probation), and visit the places the person "
        "is known to go. Losing contact is never a reason to discharge."
    ),
    EngagementState.ESCALATED: (
        "The consultant and team manager review the person today. Consider a welfare check "
        "and a safeguarding referral, and record who is doing what and by when."
    ),
}

THRESHOLD_NOT_WHOLE_DAYS = "Engagement thresholds must be whole numbers of days, at least 1."
THRESHOLDS_NOT_INCREASING = (
    "Engagement thresholds must increase: due, then overdue, then lost contact, then escalated."
)
STEPPED_UP_LOOSER = (
    "Stepped-up thresholds must each be no longer than the standard ones: stepping up care "
    "never waits longer before acting."
)
TARGET_NOT_POSITIVE = "A weekly contact target must be a whole number, at least 1."
STEPPED_UP_TARGET_LOWER = "The stepped-up weekly target must be at least the standard target."
UNKNOWN_SETTING = "Unknown engagement setting"
NOT_A_MAPPING = "Engagement thresholds must be given as a mapping of names to days"


def _is_whole(value: object, minimum: int) -> bool:
    # bool is an int subclass; True must not pass as "1 day" from a settings file.
    return type(value) is int and value >= minimum


@dataclass(frozen=True)
class Thresholds:
    """Days without a successful face-to-face contact at which each ladder step starts."""

    due_after_days: int
    overdue_after_days: int
    lost_contact_after_days: int
    escalated_after_days: int

    def __post_init__(self) -> None:
        days = astuple(self)
        if not all(_is_whole(d, 1) for d in days):
            raise ValueError(THRESHOLD_NOT_WHOLE_DAYS)
        if any(later <= earlier for earlier, later in pairwise(days)):
            raise ValueError(THRESHOLDS_NOT_INCREASING)


@dataclass(frozen=True)
class EngagementConfig:
    """Ladder thresholds and weekly contact targets, for standard and stepped-up care."""

    standard: Thresholds = Thresholds(4, 7, 14, 28)
    stepped_up: Thresholds = Thresholds(1, 2, 4, 7)
    weekly_target: int = 2
    stepped_up_weekly_target: int = 7

    def __post_init__(self) -> None:
        pairs = zip(astuple(self.stepped_up), astuple(self.standard), strict=True)
        if any(up > standard for up, standard in pairs):
            raise ValueError(STEPPED_UP_LOOSER)
        if not (_is_whole(self.weekly_target, 1) and _is_whole(self.stepped_up_weekly_target, 1)):
            raise ValueError(TARGET_NOT_POSITIVE)
        if self.stepped_up_weekly_target < self.weekly_target:
            raise ValueError(STEPPED_UP_TARGET_LOWER)

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any]) -> EngagementConfig:
        """Build from settings: nested mappings; keys left out keep their defaults."""
        _reject_unknown(d, cls)
        default = cls()
        changes = dict(d)
        for name in ("standard", "stepped_up"):
            if name in changes:
                given = changes[name]
                if not isinstance(given, Mapping):
                    raise ValueError(f"{NOT_A_MAPPING}: {name}")
                _reject_unknown(given, Thresholds)
                changes[name] = replace(getattr(default, name), **given)
        return replace(default, **changes)


def _reject_unknown(given: Mapping[str, Any], cls: type) -> None:
    # A misspelt key would otherwise be ignored silently and the default used.
    unknown = set(given) - {f.name for f in fields(cls)}
    if unknown:
        raise ValueError(f"{UNKNOWN_SETTING}: {', '.join(sorted(map(str, unknown)))}")


DEFAULT_CONFIG = EngagementConfig()


def days_since(last_successful: date | None, episode_start: date, today: date) -> int:
    """Days since the last successful face-to-face contact, or since the episode started."""
    since = episode_start if last_successful is None else last_successful
    # A contact (or start) dated in the future counts as today rather than as negative days.
    return max(0, (today - since).days)


def state_for_days(days: int, thresholds: Thresholds) -> EngagementState:
    """The ladder step for a number of days. Mirrored by a SQL CASE: keep it thresholds only."""
    if days >= thresholds.escalated_after_days:
        return EngagementState.ESCALATED
    if days >= thresholds.lost_contact_after_days:
        return EngagementState.LOST_CONTACT
    if days >= thresholds.overdue_after_days:
        return EngagementState.OVERDUE
    if days >= thresholds.due_after_days:
        return EngagementState.DUE
    return EngagementState.ON_TRACK


def week_start(d: date) -> date:
    """The Monday of d's week."""
    return d - timedelta(days=d.weekday())


def contacts_this_week(successful_f2f_dates: Iterable[date], today: date) -> int:
    """Successful face-to-face contacts from Monday up to and including today."""
    monday = week_start(today)
    # Each contact counts, so two visits on one day (e.g. twice-daily medication) count twice.
    return sum(1 for d in successful_f2f_dates if monday <= d <= today)


@dataclass(frozen=True)
class Engagement:
    state: EngagementState
    days_since_last_contact: int
    contacts_this_week: int
    weekly_target: int
    action: str

    @property
    def behind_target(self) -> bool:
        """The weekly contact target has not been met yet this week."""
        return self.contacts_this_week < self.weekly_target


def assess(
    *,
    successful_f2f_dates: Sequence[date],
    episode_start: date,
    today: date,
    stepped_up: bool,
    config: EngagementConfig = DEFAULT_CONFIG,
    weekly_target: int | None = None,
) -> Engagement:
    """The engagement state, contacts against target and expected action for one person."""
    if weekly_target is not None and not _is_whole(weekly_target, 1):
        raise ValueError(TARGET_NOT_POSITIVE)
    thresholds = config.stepped_up if stepped_up else config.standard
    default_target = config.stepped_up_weekly_target if stepped_up else config.weekly_target
    days = days_since(max(successful_f2f_dates, default=None), episode_start, today)
    state = state_for_days(days, thresholds)
    return Engagement(
        state=state,
        days_since_last_contact=days,
        contacts_this_week=contacts_this_week(successful_f2f_dates, today),
        weekly_target=default_target if weekly_target is None else weekly_target,
        action=ACTIONS[state],
    )
