"""The saved population cohort run for BI tools, as JSON or CSV (`?format=csv`):

- /api/v1/governance/population/cohort: the counts by locality (`by=locality`, the default)
  or by ethnic group, age band, sex or deprivation (`by=ethnicity|age|sex|imd`, as saved
  with `outreach cohort --save [--by ...]`; ethnicity is always saved).

Only the commissioners' figures are ever saved (small numbers suppressed, with secondary
suppression in the equality breakdowns), so every account with governance access gets the
same suppressed figures; a suppressed figure is null (JSON) or empty (CSV). No person is
read, so nothing here is audited per person.
"""

from __future__ import annotations

from typing import Literal

from ninja import Router

from outreach.api.governance import CSV_RESPONSE, NO_ACCESS, Error, _csv, _error, _viewer
from outreach.population.models import CohortRun

router = Router(tags=["governance"])

NO_RUN = "No cohort run has been saved: outreach cohort --data DIR --save."
NOT_SAVED = "The saved run has no breakdown by {by}: save one with outreach cohort --by {by}."

ByParam = Literal["locality", "ethnicity", "age", "sex", "imd"]
Format = Literal["json", "csv"]


def _locality_rows(f: dict) -> list[dict]:
    keys = [c["key"] for c in f["columns"]]
    return [{"locality": r["locality"], **{k: r[k]["value"] for k in keys},
             "multiplier_low": r["multiplier"]["low"],
             "multiplier_high": r["multiplier"]["high"]} for r in f["localities"]]


def _group_rows(section: dict, keys: list[str]) -> list[dict]:
    return [{"group": r["group"], **{k: r[k]["value"] for k in keys},
             "rate_per_1000_smi_known": r["rate"]["value"], "rate_low": r["rate"]["low"],
             "rate_high": r["rate"]["high"]} for r in section["rows"]]


@router.get("/cohort", response={200: dict, 403: Error, 404: Error},
            openapi_extra=CSV_RESPONSE)
def cohort(request, by: ByParam = "locality", format: Format = "json"):
    """The latest saved cohort run, by locality or by an equality group, suppressed."""
    if _viewer(request) is None:
        return _error(403, NO_ACCESS)
    run = CohortRun.objects.first()
    if run is None:
        return _error(404, NO_RUN)
    f = run.figures
    if by == "locality":
        rows = _locality_rows(f)
    else:
        eq = f.get("equality") or {}
        section = next((s for s in eq.get("sections", []) if s["by"] == by), None)
        if section is None:
            return _error(404, NOT_SAVED.format(by=by))
        rows = _group_rows(section, [c["key"] for c in eq["columns"]])
    if format == "csv":
        return _csv(rows, f"cohort-by-{by}.csv")
    return {"period_end": f["period_end"], "engine": f["engine"],
            "saved_at": run.created_at.isoformat(), "suppressed": True,
            "suppression_rule": f["suppression"], "by": by, "rows": rows,
            "notes": (f.get("equality") or {}).get("notes", []) if by != "locality"
            else [f["multiplier_note"]]}
