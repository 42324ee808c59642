"""The rules that must be right, in plain Python: no Django, no other outreach package.

NHS number check, engagement ladder, discharge guard, caseload limits and cover.
"""

from outreach.core.caseload import (
    CASELOAD_RANGE,
    MAX_PEOPLE_PER_FTE,
    CaseloadCheck,
    CaseloadStatus,
    RatioCheck,
    practitioner_caseload,
    responsible_worker,
    team_ratio,
    uncovered_days,
)
from outreach.core.discharge import (
    ALLOWED_REASONS,
    NON_ENGAGEMENT_REASONS,
    DecisionRecord,
    DischargeCheck,
    DischargeReason,
    Problem,
    check_discharge,
)
from outreach.core.engagement import (
    ACTIONS,
    LADDER,
    Engagement,
    EngagementConfig,
    EngagementState,
    Thresholds,
    assess,
    contacts_this_week,
    days_since,
    state_for_days,
    week_start,
)
from outreach.core.nhs_number import InvalidNHSNumber
from outreach.core.periods import Period

__all__ = [
    "ACTIONS",
    "ALLOWED_REASONS",
    "CASELOAD_RANGE",
    "LADDER",
    "MAX_PEOPLE_PER_FTE",
    "NON_ENGAGEMENT_REASONS",
    "CaseloadCheck",
    "CaseloadStatus",
    "DecisionRecord",
    "DischargeCheck",
    "DischargeReason",
    "Engagement",
    "EngagementConfig",
    "EngagementState",
    "InvalidNHSNumber",
    "Period",
    "Problem",
    "RatioCheck",
    "Thresholds",
    "assess",
    "check_discharge",
    "contacts_this_week",
    "days_since",
    "practitioner_caseload",
    "responsible_worker",
    "state_for_days",
    "team_ratio",
    "uncovered_days",
    "week_start",
]
