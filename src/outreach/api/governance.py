"""Governance figures for a trust's BI tools: every figure of the governance pages as JSON or
CSV (`?format=csv`), under /api/v1/governance/.

The same rules as the pages (outreach.governance.access): team staff get their own team's
figures, exact; commissioners get every team, each service and the trust with small numbers
suppressed, and never a person (the people behind a figure: 403). A team outside the
caller's scope is 404. Every list of people is audited.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Literal

from django.http import HttpResponse
from ninja import Router, Schema, Status

from outreach.audit.services import audit_list
from outreach.core.fidelity import (
    DACTS,
    SUBSCALE_TITLES,
    DactsScore,
    Subscale,
    dacts_evidence,
    dacts_values,
)
from outreach.core.fidelity import score_item as score
from outreach.core.measures import BY_KEY, MEASURES
from outreach.core.rag import Rag, Standard
from outreach.governance import presenters, returns, selectors
from outreach.governance.access import COMMISSIONER_NO_PEOPLE, Viewer, viewer_for
from outreach.governance.config import measure_params, rag_config, suppression_config
from outreach.governance.models import ReviewReturn
from outreach.records import selectors as records
from outreach.teams.models import ServiceType, Team

router = Router(tags=["governance"])

NO_ACCESS = "No governance figures for this account."
NO_TEAM = "No such team in your scope."
NO_MEASURE = "No such measure."
NO_RETURN = "No such return."
SCOPE_NEEDS_KEY = "Give the team code (scope=team) or the service type (scope=service)."
TEAM_STAFF_OWN_TEAM = "Team staff see their own team's figures."

# Added to the generated 200 response, so the schema says both: JSON, or CSV with ?format=csv.
CSV_RESPONSE = {"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                                    "description": "JSON, or CSV with ?format=csv"}}}


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _error(status: int, detail: str):
    return Status(status, {"detail": detail, "errors": {}})


def _viewer(request) -> Viewer | None:
    return viewer_for(request.user)


def _csv(rows: list[dict], filename: str) -> HttpResponse:
    out = io.StringIO()
    names = list(rows[0]) if rows else ["empty"]
    writer = csv.DictWriter(out, fieldnames=names, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _team(viewer: Viewer, code: str | None) -> Team | None:
    team = next((t for t in selectors.teams() if t.code == code), None)
    if team is None or not viewer.sees_team(team.pk):
        return None
    return team


def _scope(viewer: Viewer, scope: str, key: str | None):
    """(title, teams) or an error response."""
    if scope == "team":
        team = _team(viewer, key)
        return (team.name, [team]) if team else _error(404, NO_TEAM)
    if not viewer.sees_all_teams:
        return _error(403, TEAM_STAFF_OWN_TEAM)
    if scope == "service":
        if key not in ServiceType.values:
            return _error(400, SCOPE_NEEDS_KEY)
        return ServiceType(key).label, selectors.teams(service_type=key)
    return "All teams", selectors.teams()


def _resolve(request, scope: str, key: str | None):
    """((viewer, key, title, teams), None) for the scope asked for, or (None, the error
    response). Team staff asking for "team" without a key get their own team."""
    viewer = _viewer(request)
    if viewer is None:
        return None, _error(403, NO_ACCESS)
    if scope == "team" and key is None and viewer.staff.team is not None:
        key = viewer.staff.team.code
    found = _scope(viewer, scope, key)
    if isinstance(found, Status):
        return None, found
    return (viewer, key, *found), None


# --- Definitions ---------------------------------------------------------------------------


class ExampleOut(Schema):
    text: str


class MeasureOut(Schema):
    key: str
    title: str
    group: str
    kind: str
    timing: str
    numerator: str
    denominator: str
    period: str
    target: float | None
    target_text: str
    higher_is_better: bool
    unit: str
    source: str
    trend: bool
    examples: list[ExampleOut]


@router.get("/measures", response={200: list[MeasureOut], 403: Error})
def measures(request):
    """Every measure's definition: numerator, denominator and period, with the parameters in
    use, and its worked examples."""
    if _viewer(request) is None:
        return _error(403, NO_ACCESS)
    params = measure_params()
    return Status(200, [{
        "key": m.key, "title": m.title, "group": m.group.value, "kind": m.kind.value,
        "timing": m.timing.value, **m.texts(params), "target": m.target_value(params),
        "target_text": m.target_text.format(**params), "higher_is_better": m.higher_is_better,
        "unit": m.unit, "source": m.source, "trend": m.trend,
        "examples": [{"text": e.text} for e in m.examples],
    } for m in MEASURES])


# --- Figures --------------------------------------------------------------------------------


class PointOut(Schema):
    label: str
    start: date
    end: date
    value: float | None
    text: str
    suppressed: bool
    numerator: float | None
    denominator: float | None


class FigureOut(Schema):
    key: str
    title: str
    group: str
    numerator_definition: str
    denominator_definition: str
    period_definition: str
    start: date
    end: date
    value: float | None
    text: str
    suppressed: bool
    numerator: float | None
    denominator: float | None
    detail: str
    details: dict[str, str]
    target: str
    meets_target: bool | None
    trend: list[PointOut]


class FiguresOut(Schema):
    scope: str
    title: str
    teams: list[str]
    as_of: date
    suppressed: bool
    suppression_rule: str
    figures: list[FigureOut]


def _figure_out(view: presenters.FigureView) -> dict:
    return {
        "key": view.key, "title": view.measure.title, "group": view.measure.group.value,
        "numerator_definition": view.texts["numerator"],
        "denominator_definition": view.texts["denominator"],
        "period_definition": view.texts["period"],
        "start": view.window.start, "end": view.window.end,
        "value": view.value.value, "text": view.value.text, "suppressed": view.value.suppressed,
        "numerator": view.numerator.value if view.numerator else None,
        "denominator": view.denominator.value if view.denominator else None,
        "detail": view.detail, "details": {line.label: line.shown.text for line in view.lines},
        "target": view.target_text, "meets_target": view.meets,
        "trend": [{
            "label": r.label, "start": r.start, "end": r.end, "value": r.value.value,
            "text": r.value.text, "suppressed": r.value.suppressed,
            "numerator": r.numerator.value if r.numerator else None,
            "denominator": r.denominator.value if r.denominator else None,
        } for r in view.trend],
    }


@router.get("/figures", response={200: FiguresOut, 400: Error, 403: Error, 404: Error},
            openapi_extra=CSV_RESPONSE)
def figures(request, scope: Literal["team", "service", "trust"] = "team",
            key: str | None = None, trend: bool = True,
            format: Literal["json", "csv"] = "json"):
    """Every dashboard figure for a team (`key`: its code; the default for team staff is
    their own team), a service (`key`: full_ao or dedicated_function) or the trust, with its
    definition, headline value and monthly trend."""
    found, error = _resolve(request, scope, key)
    if error:
        return error
    viewer, key, title, teams = found
    ids = [t.pk for t in teams]
    params = measure_params()
    as_of = records.today()
    results = selectors.compute(ids, as_of=as_of, params=params, trend=trend)
    d = viewer.disclosure
    views = [presenters.figure(m, results, ids, d, params, chart_id=m.key,
                               texts=m.texts(params)) for m in MEASURES]
    out = [_figure_out(v) for v in views]
    if format == "csv":
        rows = []
        for f in out:
            base = {"scope": scope, "key": key or "", "measure": f["key"], "title": f["title"]}
            rows.append({**base, "period": "headline", "start": f["start"], "end": f["end"],
                         "value": f["value"], "text": f["text"], "suppressed": f["suppressed"],
                         "numerator": f["numerator"], "denominator": f["denominator"],
                         "numerator_definition": f["numerator_definition"],
                         "denominator_definition": f["denominator_definition"],
                         "period_definition": f["period_definition"]})
            rows += [{**base, "period": p["label"], "start": p["start"], "end": p["end"],
                      "value": p["value"], "text": p["text"], "suppressed": p["suppressed"],
                      "numerator": p["numerator"], "denominator": p["denominator"]}
                     for p in f["trend"]]
        return _csv(rows, f"governance-{scope}-{key or 'trust'}-{as_of}.csv")
    return Status(200, {
        "scope": scope, "title": title, "teams": [t.code for t in teams], "as_of": as_of,
        "suppressed": d.suppresses,
        "suppression_rule": suppression_config().rule_text() if d.suppresses else "",
        "figures": out,
    })


class PersonRow(Schema):
    person_id: int
    nhs_number: str
    name: str
    counted: int
    of: int
    why: str


class PeopleOut(Schema):
    measure: str
    team: str
    as_of: date
    people: list[PersonRow]
    not_listed: int


@router.get("/figures/{measure_key}/people",
            response={200: PeopleOut, 403: Error, 404: Error}, openapi_extra=CSV_RESPONSE)
def figure_people(request, measure_key: str, team: str | None = None,
                  format: Literal["json", "csv"] = "json"):
    """The people behind a team's headline figure, for staff of that team who have access to
    them (their caseload). Commissioners: 403. Audited."""
    viewer = _viewer(request)
    if viewer is None:
        return _error(403, NO_ACCESS)
    if viewer.commissioner:
        return _error(403, COMMISSIONER_NO_PEOPLE)
    m = BY_KEY.get(measure_key)
    if m is None or not m.drill_down:
        return _error(404, NO_MEASURE)
    found = _team(viewer, team or viewer.staff.team.code)
    if found is None or not viewer.can_drill_down(found.pk):
        return _error(404, NO_TEAM)
    params, as_of = measure_params(), records.today()
    visible = {p.pk: p for p in records.people_for(request.user)}
    rows, hidden = selectors.drill_down(m, found.pk, as_of=as_of, params=params,
                                        person_ids=sorted(visible))
    audit_list(request=request, person_ids=sorted({r.person_id for r in rows}),
               what=f"api governance figure: {m.key}")
    people = [{"person_id": r.person_id, "nhs_number": visible[r.person_id].nhs_number,
               "name": visible[r.person_id].display_name, "counted": r.counted, "of": r.of,
               "why": presenters.explain(m, r)} for r in rows]
    if format == "csv":
        return _csv(people, f"{m.key}-{found.code}-{as_of}.csv")
    return Status(200, {"measure": m.key, "team": found.code, "as_of": as_of,
                        "people": people, "not_listed": hidden})


# --- Caseload RAG review ---------------------------------------------------------------------


class RatingOut(Schema):
    standard: str
    rag: str
    reason: str
    since: date | None


class PersonRagOut(Schema):
    person_id: int
    nhs_number: str
    name: str
    overall: str
    ratings: list[RatingOut]


class TeamRagOut(Schema):
    team: str
    people: float | None
    people_text: str
    red: str
    amber: str
    green: str
    red_by_standard: dict[str, str]


class RagOut(Schema):
    as_of: date
    suppressed: bool
    people: list[PersonRagOut] = []
    teams: list[TeamRagOut] = []


@router.get("/rag", response={200: RagOut, 403: Error, 404: Error},
            openapi_extra=CSV_RESPONSE)
def rag(request, team: str | None = None, format: Literal["json", "csv"] = "json"):
    """The caseload RAG review: each person's care against the named standards (team staff,
    their caseload; audited), or counts by team (commissioners, suppressed). It rates care,
    never the person's risk."""
    viewer = _viewer(request)
    if viewer is None:
        return _error(403, NO_ACCESS)
    params, today, config = measure_params(), records.today(), rag_config()
    d = viewer.disclosure
    if viewer.commissioner:
        teams = selectors.teams() if team is None else [t for t in [_team(viewer, team)] if t]
        if not teams:
            return _error(404, NO_TEAM)
        episodes = selectors.open_episodes(team_ids=[t.pk for t in teams], today=today)
        ratings = selectors.rag_for(episodes, today=today, params=params, config=config)
        team_of = {e["person_id"]: e["team_id"] for e in episodes}
        out = []
        for t in teams:
            mine = [r for pid, r in ratings.items() if team_of[pid] == t.pk]
            total = d.count(len(mine))
            out.append({
                "team": t.code, "people": total.value, "people_text": total.text,
                **{rag.value: d.count(sum(1 for r in mine if r.overall == rag)).text
                   for rag in (Rag.RED, Rag.AMBER, Rag.GREEN)},
                "red_by_standard": {s.value: d.count(sum(1 for r in mine
                                                         if r.of(s).rag == Rag.RED)).text
                                    for s in Standard},
            })
        if format == "csv":
            return _csv([{k: v for k, v in row.items() if k != "red_by_standard"}
                         | {f"red_{s}": v for s, v in row["red_by_standard"].items()}
                         for row in out], f"rag-{today}.csv")
        return Status(200, {"as_of": today, "suppressed": True, "teams": out})
    found = _team(viewer, team or viewer.staff.team.code)
    if found is None:
        return _error(404, NO_TEAM)
    visible = {p.pk: p for p in records.people_for(request.user)}
    episodes = selectors.open_episodes(team_ids=[found.pk], person_ids=sorted(visible),
                                       today=today)
    ratings = selectors.rag_for(episodes, today=today, params=params, config=config)
    audit_list(request=request, person_ids=sorted(ratings), what="api caseload RAG review")
    people = [{
        "person_id": pid, "nhs_number": visible[pid].nhs_number,
        "name": visible[pid].display_name, "overall": r.overall.value,
        "ratings": [{"standard": x.standard.value, "rag": x.rag.value, "reason": x.reason,
                     "since": x.since} for x in r.ratings],
    } for pid, r in sorted(ratings.items())]
    if format == "csv":
        return _csv([{"person_id": p["person_id"], "nhs_number": p["nhs_number"],
                      "name": p["name"], "overall": p["overall"],
                      **{f"{x['standard']}": x["rag"] for x in p["ratings"]},
                      **{f"{x['standard']}_reason": x["reason"] for x in p["ratings"]}}
                     for p in people], f"rag-{found.code}-{today}.csv")
    return Status(200, {"as_of": today, "suppressed": False, "people": people})


# --- Fidelity ------------------------------------------------------------------------------


class CheckOut(Schema):
    title: str
    status: str
    evidence: str


class FeatureOut(Schema):
    key: str
    title: str
    status: str
    status_label: str
    from_data: str
    criteria: list[str]
    checks: list[CheckOut]
    assessor: dict | None


class DactsItemOut(Schema):
    code: str
    name: str
    computed: bool
    value: float | None
    score: int | None
    evidence: str
    anchors_verified: bool


class DactsReviewOut(Schema):
    id: int
    assessed_on: date
    total: int
    mean: float
    subscales: dict[str, float]
    scores: dict[str, int]


class FidelityOut(Schema):
    team: str
    service_type: str
    as_of: date
    features: list[FeatureOut]
    dacts_from_record: list[DactsItemOut]
    dacts_reviews: list[DactsReviewOut]


@router.get("/fidelity", response={200: FidelityOut, 403: Error, 404: Error},
            openapi_extra=CSV_RESPONSE)
def fidelity(request, team: str | None = None, format: Literal["json", "csv"] = "json"):
    """A team's features table (NHS England guidance, chapter 4) with evidence, the DACTS
    items computed from the record, and its DACTS reviews."""
    viewer = _viewer(request)
    if viewer is None:
        return _error(403, NO_ACCESS)
    found = _team(viewer, team or (viewer.staff.team.code if viewer.staff.team else None))
    if found is None:
        return _error(404, NO_TEAM)
    today = records.today()
    d = viewer.disclosure
    figs = selectors.fidelity_figures([found.pk], as_of=today, params=measure_params())[
        found.pk]
    rows = returns.feature_rows(found, figs, returns.latest_features([found.pk]), d)
    values = dacts_values(figs)
    items = [{
        "code": i.code, "name": i.name, "computed": i.computed,
        "value": values.get(i.figure) if i.figure else None,
        "score": score(i.code, values[i.figure]) if i.figure and values.get(i.figure)
        is not None else None,
        "evidence": dacts_evidence(i, figs, d), "anchors_verified": i.verified,
    } for i in DACTS]
    reviews = []
    for a in selectors.dacts_reviews(found.pk):
        s = DactsScore({x.code: x.score for x in a.items.all()})
        reviews.append({"id": a.pk, "assessed_on": a.assessed_on, "total": s.total,
                        "mean": round(s.mean, 2),
                        "subscales": {SUBSCALE_TITLES[sub]: round(s.subscale_mean(sub), 2)
                                      for sub in Subscale},
                        "scores": dict(s.scores)})
    if format == "csv":
        return _csv([{"team": found.code, "feature": r["key"], "title": r["title"],
                      "status": r["status_label"], "from_data": r["from_data"],
                      "evidence": " ".join(c["evidence"] for c in r["checks"])}
                     for r in rows], f"fidelity-{found.code}-{today}.csv")
    return Status(200, {"team": found.code, "service_type": found.service_type,
                        "as_of": today, "features": rows, "dacts_from_record": items,
                        "dacts_reviews": reviews})


# --- Returns and the action plan -----------------------------------------------------------


class ReturnSummary(Schema):
    id: int
    title: str
    organisation: str
    as_of: date
    status: str
    submitted_on: date | None


@router.get("/returns", response={200: list[ReturnSummary], 403: Error})
def return_list(request):
    """ICB review returns (NHS England guidance, chapter 5)."""
    if _viewer(request) is None:
        return _error(403, NO_ACCESS)
    return Status(200, [{"id": r.pk, "title": r.title, "organisation": r.organisation,
                         "as_of": r.as_of, "status": r.status, "submitted_on": r.submitted_on}
                        for r in ReviewReturn.objects.all()])


@router.get("/returns/{return_id}", response={200: dict, 403: Error, 404: Error})
def return_detail(request, return_id: int):
    """A return's content: as submitted (frozen), or live while a draft. Every count in it
    is suppressed, whoever asks: a return leaves the organisation."""
    if _viewer(request) is None:
        return _error(403, NO_ACCESS)
    review = ReviewReturn.objects.filter(pk=return_id).first()
    if review is None:
        return _error(404, NO_RETURN)
    return Status(200, {"id": review.pk, "status": review.status,
                        "document": returns.document(review)})


class ActionOut(Schema):
    number: int
    section: str
    action: str
    timeframe: str
    lead: str
    due: str
    cost: str
    status: str
    done_on: str


@router.get("/actions", response={200: list[ActionOut], 403: Error},
            openapi_extra=CSV_RESPONSE)
def actions(request, format: Literal["json", "csv"] = "json"):
    """The action plan: action, timeframe, lead organisation, due date, cost implication and
    status, as NHS Somerset's action plan."""
    if _viewer(request) is None:
        return _error(403, NO_ACCESS)
    rows = returns.action_rows()
    if format == "csv":
        return _csv(rows, "action-plan.csv")
    return Status(200, rows)

