"""Review intervals of the clinical record: configuration, not code (design rule 2).

Settings `OUTREACH_CLINICAL` (a dict; keys left out keep the defaults below, unknown keys are
refused) and `OUTREACH_FLAGS` (read by `outreach.core.redflags.FlagConfig.from_mapping`).
Both are validated when Django starts (apps.py).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from django.conf import settings

from outreach.core.redflags import FlagConfig

NOT_WHOLE = "Clinical intervals must be whole numbers, at least 1 (depot tolerance at least 0)."
UNKNOWN = "Unknown clinical setting"
NOT_A_MAPPING = "OUTREACH_CLINICAL must be a mapping of names to values"
DEFAULT_OVER_MAX = (
    "care_plan_review_months and care_plan_review_months_stepped_up must not exceed "
    "care_plan_review_max_months"
)


def _whole(value: object, minimum: int) -> bool:
    return type(value) is int and value >= minimum


@dataclass(frozen=True)
class ClinicalConfig:
    # DIALOG+ care plans: reviewed at least every 6 months, sooner (1 month) when stepped up.
    care_plan_review_months: int = 6
    care_plan_review_months_stepped_up: int = 1
    care_plan_review_max_months: int = 6
    # Safety (crisis and contingency) plans and risk formulations follow the same rhythm.
    safety_plan_review_months: int = 6
    safety_plan_review_months_stepped_up: int = 1
    risk_review_months: int = 6
    risk_review_months_stepped_up: int = 1
    # Annual physical health check for people with severe mental illness.
    physical_health_check_months: int = 12
    # Days a depot may be given after its due date before it is overdue (per depot, default).
    depot_tolerance_days: int = 7

    def __post_init__(self) -> None:
        for f in fields(self):
            minimum = 0 if f.name == "depot_tolerance_days" else 1
            if not _whole(getattr(self, f.name), minimum):
                raise ValueError(f"{NOT_WHOLE} ({f.name})")
        if max(self.care_plan_review_months, self.care_plan_review_months_stepped_up) > (
            self.care_plan_review_max_months
        ):
            raise ValueError(DEFAULT_OVER_MAX)

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any]) -> ClinicalConfig:
        if not isinstance(d, Mapping):
            raise ValueError(NOT_A_MAPPING)
        unknown = set(d) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"{UNKNOWN}: {', '.join(sorted(map(str, unknown)))}")
        return replace(cls(), **d)


def clinical_config() -> ClinicalConfig:
    return ClinicalConfig.from_mapping(getattr(settings, "OUTREACH_CLINICAL", {}))


def flag_config() -> FlagConfig:
    return FlagConfig.from_mapping(getattr(settings, "OUTREACH_FLAGS", {}))


def add_months(d: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    years, month0 = divmod(d.month - 1 + months, 12)
    year, month = d.year + years, month0 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
