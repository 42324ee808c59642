"""Outcomes settings, read with their defaults here.

`OUTREACH_OUTCOMES`: `horizons_years` (default [1, 2]), the mirror-image horizons shown;
`contact_weeks` (default 12), the recent weeks of contacts against target;
`dialog_min_gap_days` (default 90), how far apart two DIALOG+ assessments must be for a
change to be shown. Unknown keys are refused at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

DEFAULTS: dict[str, object] = {"horizons_years": [1, 2], "contact_weeks": 12,
                               "dialog_min_gap_days": 90}
UNKNOWN = "Unknown outcomes setting"
BAD_HORIZONS = "horizons_years must be a list of whole numbers of years, each at least 1"
BAD_WHOLE = "must be a whole number, at least 1"


def outcomes_config() -> dict:
    configured = getattr(settings, "OUTREACH_OUTCOMES", {})
    if not isinstance(configured, Mapping):
        raise ValueError(f"{UNKNOWN}: OUTREACH_OUTCOMES must be a mapping")
    unknown = set(configured) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"{UNKNOWN}: {', '.join(sorted(map(str, unknown)))}")
    out = {**DEFAULTS, **configured}
    horizons = out["horizons_years"]
    if (not isinstance(horizons, list | tuple) or not horizons
            or any(type(h) is not int or h < 1 for h in horizons)):
        raise ValueError(BAD_HORIZONS)
    out["horizons_years"] = sorted(set(horizons))
    for key in ("contact_weeks", "dialog_min_gap_days"):
        if type(out[key]) is not int or out[key] < 1:
            raise ValueError(f"{key} {BAD_WHOLE}")
    return out
