"""Governance settings, read with their defaults here (settings.py need not name them).

- `OUTREACH_SUPPRESSION`: small-number suppression for commissioners and reports that leave
  the organisation (outreach.core.suppression.SuppressionConfig).
- `OUTREACH_RAG`: the caseload RAG review's periods (outreach.core.rag.RagConfig).
- `OUTREACH_GOVERNANCE`: `trend_max_age_minutes` (default 240), how old the monthly trend
  points may be before a page works them out again. Headline figures are always live.

Measure parameters come from the settings the rest of the record already uses: the weekly
contact targets (OUTREACH_ENGAGEMENT), the physical health check interval (OUTREACH_CLINICAL),
the caseload limits (outreach.core.caseload) and the MDT agenda's annual review rule.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from django.conf import settings

from outreach.clinical.config import clinical_config, flag_config
from outreach.core.caseload import CASELOAD_RANGE, MAX_PEOPLE_PER_FTE
from outreach.core.measures import DEFAULT_PARAMS
from outreach.core.rag import RagConfig
from outreach.core.suppression import SuppressionConfig
from outreach.meetings.agenda import ANNUAL_REVIEW_AFTER_DAYS
from outreach.records.engagement import engagement_config

GOVERNANCE_DEFAULTS = {"trend_max_age_minutes": 240}
UNKNOWN = "Unknown governance setting"
BAD_AGE = "trend_max_age_minutes must be a whole number of minutes, 0 or more"


def suppression_config() -> SuppressionConfig:
    return SuppressionConfig.from_mapping(getattr(settings, "OUTREACH_SUPPRESSION", {}))


def rag_config() -> RagConfig:
    configured = dict(getattr(settings, "OUTREACH_RAG", {}))
    # The legal notice follows the red flags' notice unless set here.
    configured.setdefault("legal_notice_days", flag_config().legal_notice_days)
    return RagConfig.from_mapping(configured)


def governance_config() -> dict[str, int]:
    configured = getattr(settings, "OUTREACH_GOVERNANCE", {})
    if not isinstance(configured, Mapping):
        raise ValueError(f"{UNKNOWN}: OUTREACH_GOVERNANCE must be a mapping")
    unknown = set(configured) - set(GOVERNANCE_DEFAULTS)
    if unknown:
        raise ValueError(f"{UNKNOWN}: {', '.join(sorted(map(str, unknown)))}")
    merged = {**GOVERNANCE_DEFAULTS, **configured}
    age = merged["trend_max_age_minutes"]
    if type(age) is not int or age < 0:
        raise ValueError(BAD_AGE)
    return merged


def measure_params() -> dict[str, object]:
    """The parameters of the measure definitions, as configured."""
    engagement = engagement_config()
    return {
        **DEFAULT_PARAMS,
        "weekly_target": engagement.weekly_target,
        "stepped_up_weekly_target": engagement.stepped_up_weekly_target,
        "physical_check_months": clinical_config().physical_health_check_months,
        "max_people_per_fte": MAX_PEOPLE_PER_FTE,
        "caseload_high": CASELOAD_RANGE[1],
        # The same rule as the MDT agenda's "annual reviews due" (meetings.agenda).
        "annual_review_after_days": ANNUAL_REVIEW_AFTER_DAYS,
    }


def params_key(params: Mapping[str, object]) -> str:
    """A short digest of the parameters, so figures worked out under other settings are
    never reused."""
    text = repr(sorted((k, str(v)) for k, v in params.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
