"""The skills matrix for BI tools, under /api/v1/governance/skills (JSON, or CSV with
?format=csv).

- `/governance/skills`: gap counts per team and competency (required, missing, expired,
  expiring), for team staff (their team, exact) and commissioners (any scope, suppressed).
- `/governance/skills/matrix`: each clinician's status per competency, for the team's
  manager only (commissioners and other staff: 403)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Router, Schema, Status

from outreach.api.governance import Error, _csv, _error, _resolve
from outreach.core.skills import GapCount
from outreach.records.selectors import staff_for, today
from outreach.skills import selectors
from outreach.skills.config import warning_days
from outreach.teams.models import Role

router = Router(tags=["governance"])

MANAGER_ONLY = "Only the team's manager sees each member of staff's training."


class ShownOut(Schema):
    value: float | None
    text: str
    suppressed: bool


class GapOut(Schema):
    team: str
    competency: str
    required: ShownOut
    met: ShownOut
    missing: ShownOut
    expired: ShownOut
    expiring: ShownOut


class GapsOut(Schema):
    scope: str
    title: str
    as_of: date
    expiring_within_days: int
    suppressed: bool
    gaps: list[GapOut]


def _shown(s) -> dict:
    return {"value": s.value, "text": s.text, "suppressed": s.suppressed}


CSV = {"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                           "description": "JSON, or CSV with ?format=csv"}}}


@router.get("", response={200: GapsOut, 400: Error, 403: Error, 404: Error},
            openapi_extra=CSV)
def gaps(request, scope: Literal["team", "service", "trust"] = "team",
         key: str | None = None, format: Literal["json", "csv"] = "json"):
    """Required competencies not held (missing, expired) and expiring, per team and
    competency ("all" for every competency together)."""
    found, error = _resolve(request, scope, key)
    if error:
        return error
    viewer, key, title, teams = found
    on, d = today(), viewer.disclosure
    counts = selectors.gaps_by_team_and_competency(teams, on=on)
    comps = selectors.competencies()
    out = []
    for t in teams:
        for label, g in [(c.key, counts.get((t.pk, c.key), GapCount())) for c in comps] + [
                ("all", _sum(counts.get((t.pk, c.key), GapCount()) for c in comps))]:
            out.append({"team": t.code, "competency": label,
                        "required": _shown(d.count(g.required)),
                        "met": _shown(d.percentage(g.met, g.required)),
                        "missing": _shown(d.count(g.missing)),
                        "expired": _shown(d.count(g.expired)),
                        "expiring": _shown(d.count(g.expiring))})
    if format == "csv":
        return _csv([{"team": r["team"], "competency": r["competency"],
                      **{f: r[f]["text"] for f in ("required", "met", "missing", "expired",
                                                   "expiring")}} for r in out],
                    f"skills-{scope}-{key or 'trust'}-{on}.csv")
    return Status(200, {"scope": scope, "title": title, "as_of": on,
                        "expiring_within_days": warning_days(), "suppressed": d.suppresses,
                        "gaps": out})


def _sum(counts) -> GapCount:
    total = GapCount()
    for g in counts:
        total = GapCount(total.required + g.required, total.missing + g.missing,
                         total.expired + g.expired, total.expiring + g.expiring)
    return total


class CellOut(Schema):
    staff: str
    discipline: str
    competency: str
    required: bool
    status: str
    expires_on: date | None


class MatrixOut(Schema):
    team: str
    as_of: date
    expiring_within_days: int
    cells: list[CellOut]


@router.get("/matrix", response={200: MatrixOut, 403: Error}, openapi_extra=CSV)
def matrix(request, format: Literal["json", "csv"] = "json"):
    """The signed-in manager's team: every clinician's status per competency."""
    staff = staff_for(request.user)
    if staff is None or not staff.is_clinical or staff.role != Role.MANAGER:
        return _error(403, MANAGER_ONLY)
    on = today()
    m = selectors.team_matrix(staff.team, on=on)
    cells = [{"staff": s.name, "discipline": s.discipline, "competency": c.competency,
              "required": c.required, "status": c.status.value,
              "expires_on": c.held.training.expires_on if c.held.training else None}
             for s in m.staff for c in m.row(s)]
    if format == "csv":
        return _csv(cells, f"skills-matrix-{staff.team.code}-{on}.csv")
    return Status(200, {"team": staff.team.code, "as_of": on,
                        "expiring_within_days": m.warn_days, "cells": cells})
