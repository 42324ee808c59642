"""Experience feedback results for BI tools, under /api/v1/governance/experience (JSON, or
CSV with ?format=csv): per team per quarter, responses, the FFT percentage positive and
negative, the share agreeing with each statement, and the comments people agreed to share.

Same scopes as the governance figures (team staff their own team; commissioners every team,
service and the trust). Suppressed for every audience (docs/decisions/0011), never a
person."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Router, Schema, Status

from outreach.api.governance import Error, _csv, _resolve
from outreach.core.experience import QUESTIONS, Respondent
from outreach.core.suppression import Disclosure, Shown
from outreach.experience import selectors
from outreach.experience.config import feedback_config
from outreach.governance.config import suppression_config
from outreach.records.selectors import today

router = Router(tags=["governance"])


class ShownOut(Schema):
    value: float | None
    text: str
    suppressed: bool


class QuarterOut(Schema):
    team: str
    quarter: str
    start: date
    responses: ShownOut
    fft_positive: ShownOut
    fft_negative: ShownOut
    agree: dict[str, ShownOut]
    comments: list[str]


class ExperienceOut(Schema):
    scope: str
    title: str
    teams: list[str]
    as_of: date
    respondent: str
    suppressed: bool
    suppression_rule: str
    questions: dict[str, str]
    results: list[QuarterOut]


def _shown(s: Shown) -> dict:
    return {"value": s.value, "text": s.text, "suppressed": s.suppressed}


@router.get("", response={200: ExperienceOut, 400: Error, 403: Error, 404: Error},
            openapi_extra={"responses": {200: {
                "content": {"text/csv": {"schema": {"type": "string"}}},
                "description": "JSON, or CSV with ?format=csv"}}})
def experience(request, scope: Literal["team", "service", "trust"] = "team",
               key: str | None = None, respondent: Literal["person", "carer", "all"] = "all",
               format: Literal["json", "csv"] = "json"):
    """Experience results by team and quarter, with small numbers suppressed."""
    found, error = _resolve(request, scope, key)
    if error:
        return error
    viewer, key, title, teams = found
    config = suppression_config()
    on = today()
    rows = selectors.results(teams, on=on, quarters=feedback_config()["quarters"],
                             disclosure=Disclosure.suppressed(config),
                             respondent=None if respondent == "all" else Respondent(respondent))
    out = [{
        "team": row.team.code if row.team else "all", "quarter": c.label,
        "start": selectors.quarter_start(c.quarter),
        "responses": _shown(c.result.responses), "fft_positive": _shown(c.result.fft_positive),
        "fft_negative": _shown(c.result.fft_negative),
        "agree": {k: _shown(v) for k, v in c.result.agree.items()},
        "comments": list(c.result.comments) if row.team else [],
    } for row in rows for c in row.columns]
    if format == "csv":
        csv_rows = []
        for r in out:
            base = {"team": r["team"], "quarter": r["quarter"], "start": r["start"],
                    "respondent": respondent}
            figures = [("responses", r["responses"]), ("fft_positive", r["fft_positive"]),
                       ("fft_negative", r["fft_negative"]),
                       *((f"agree_{k}", v) for k, v in r["agree"].items())]
            csv_rows += [{**base, "figure": name, "value": v["value"], "text": v["text"],
                          "suppressed": v["suppressed"]} for name, v in figures]
        return _csv(csv_rows, f"experience-{scope}-{key or 'trust'}-{on}.csv")
    return Status(200, {
        "scope": scope, "title": title, "teams": [t.code for t in teams], "as_of": on,
        "respondent": respondent, "suppressed": True, "suppression_rule": config.rule_text(),
        "questions": {q.key: q.person for q in QUESTIONS}, "results": out})
