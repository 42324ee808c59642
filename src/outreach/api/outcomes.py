"""Outcomes and equality figures for BI tools, as JSON or CSV (`?format=csv`):

- /api/v1/governance/outcomes: the mirror image (each horizon), DIALOG+, contacts against
  target, accommodation, activity and employment, with the caveats;
- /api/v1/governance/equality: every dashboard figure, and the outcomes, by ethnic group,
  age band, sex or deprivation (`by=`);
- /api/v1/governance/equality/pcref: the PCREF report.

Same rules as the governance API (outreach.api.governance): team staff get their own team,
exact; commissioners any team, service or the trust, small numbers suppressed with
secondary suppression; nobody is ever listed, so nothing here is audited per person.
"""

from __future__ import annotations

from typing import Literal

from ninja import Router, Status

from outreach.api.governance import CSV_RESPONSE, Error, _csv, _resolve
from outreach.core import outcomes as core
from outreach.core.equality import By
from outreach.core.suppression import Shown
from outreach.governance.config import measure_params, suppression_config
from outreach.outcomes import equality, presenters, selectors
from outreach.outcomes.config import outcomes_config
from outreach.records import selectors as records

router = Router(tags=["governance"])

Scope = Literal["team", "service", "trust"]
Format = Literal["json", "csv"]


def _v(shown: Shown | None):
    return None if shown is None else shown.value


def _head(viewer, scope, key, title, teams, as_of) -> dict:
    d = viewer.disclosure
    return {"scope": scope, "key": key or "", "title": title, "teams": [t.code for t in teams],
            "as_of": as_of.isoformat(), "suppressed": d.suppresses,
            "suppression_rule": suppression_config().rule_text() if d.suppresses else ""}


@router.get("/outcomes", response={200: dict, 400: Error, 403: Error, 404: Error},
            openapi_extra=CSV_RESPONSE)
def outcomes(request, scope: Scope = "team", key: str | None = None, format: Format = "json"):
    """Outcomes before and after acceptance for a team, a service or the trust, with the
    people left out of each horizon and why. Not proof of effect: see `caveats`."""
    found, error = _resolve(request, scope, key)
    if error:
        return error
    viewer, key, title, teams = found
    as_of, d = records.today(), viewer.disclosure
    s = selectors.summarise_team(selectors.team_facts([t.pk for t in teams], as_of=as_of),
                                 as_of=as_of)
    rows = []
    for h in s.horizons:
        for r in presenters.horizon_rows(h, d):
            rows.append({
                "horizon_years": h.years, "outcome": r["key"], "title": r["title"],
                "people_compared": _v(d.count(h.included)),
                "total_before": _v(r["total_before"]), "total_after": _v(r["total_after"]),
                "mean_before": _v(r["mean_before"]), "mean_after": _v(r["mean_after"]),
                "people_with_before": _v(r["people_with_before"]),
                "people_with_after": _v(r["people_with_after"]),
                "mean_change": r["change_value"], "change_ci_low": r["change_low"],
                "change_ci_high": r["change_high"],
            })
    left = [{"horizon_years": h.years, "reason": reason, "people": _v(d.count(n))}
            for h in s.horizons for reason, n in sorted(h.left_out.items())]
    if format == "csv":
        return _csv([{"scope": scope, "key": key or "", **r} for r in rows],
                    f"outcomes-{scope}-{key or 'trust'}-{as_of}.csv")
    small_dialog = d.is_small(s.dialog_people)
    return Status(200, {
        **_head(viewer, scope, key, title, teams, as_of), "caveats": list(core.CAVEATS),
        "mirror_image": rows, "left_out": left,
        "dialog": {"people": _v(d.count(s.dialog_people)),
                   "quality_of_life_change": None if small_dialog else s.dialog_qol,
                   "treatment_satisfaction_change": None if small_dialog else s.dialog_treatment},
        "contacts_against_target": {
            "people": _v(d.count(s.contacts_people)),
            "weeks": _v(d.count(s.contacts.weeks)),
            "weeks_met_percent": _v(d.percentage(s.contacts.weeks_met, s.contacts.weeks))},
        "settled_accommodation": {
            "people": _v(d.count(s.accommodation.people)),
            "at_acceptance_percent": _v(d.percentage(s.accommodation.good_at_acceptance,
                                                     s.accommodation.people)),
            "now_percent": _v(d.percentage(s.accommodation.good_now, s.accommodation.people))},
        "work_study_or_volunteering": {
            "people": _v(d.count(s.employment.people)),
            "at_acceptance_percent": _v(d.percentage(s.employment.good_at_acceptance,
                                                     s.employment.people)),
            "now_percent": _v(d.percentage(s.employment.good_now, s.employment.people))},
    })


@router.get("/equality", response={200: dict, 400: Error, 403: Error, 404: Error},
            openapi_extra=CSV_RESPONSE)
def equality_figures(request, scope: Scope = "team", key: str | None = None,
                     by: By = By.ETHNICITY, format: Format = "json"):
    """Every dashboard headline figure, and the first outcome horizon, by group."""
    found, error = _resolve(request, scope, key)
    if error:
        return error
    viewer, key, title, teams = found
    as_of, d = records.today(), viewer.disclosure
    ids = [t.pk for t in teams]
    figures = equality.measure_breakdowns(ids, by=by, as_of=as_of, params=measure_params(),
                                          disclosure=d)
    rows = [{"measure": f.measure.key, "title": f.measure.title, "period": f.period,
             "group": g.group, "value": g.value.value, "text": g.value.text,
             "numerator": _v(g.numerator), "denominator": g.denominator.value,
             "ci_low": None if g.low is None else round(g.low, 1),
             "ci_high": None if g.high is None else round(g.high, 1), "suppressed": g.suppressed}
            for f in figures for g in f.groups]
    years = outcomes_config()["horizons_years"][0]
    facts = selectors.team_facts(ids, as_of=as_of, full=False)
    outcome_rows = [{"horizon_years": years, "group": g.group, "people_compared": g.people.value,
                     "left_out": g.left_out.value, "suppressed": g.suppressed,
                     **{f"{k}_mean_before": m[0].value for k, m in g.means.items()},
                     **{f"{k}_mean_after": m[1].value for k, m in g.means.items()},
                     **{f"{k}_change": m[2] for k, m in g.means.items()}}
                    for g in equality.outcome_breakdown(facts, by=by, as_of=as_of, years=years,
                                                        disclosure=d)]
    if format == "csv":
        return _csv([{"scope": scope, "key": key or "", "by": by.value, **r} for r in rows],
                    f"equality-{by.value}-{scope}-{key or 'trust'}-{as_of}.csv")
    return Status(200, {**_head(viewer, scope, key, title, teams, as_of), "by": by.value,
                        "figures": rows, "outcomes": outcome_rows,
                        "no_breakdown": [f.measure.key for f in figures if f.note]})


def _rate_rows(section: str, row) -> list[dict]:
    return [{"section": section, "figure": row.title, "group": c.group, "count": c.events.value,
             "of": c.population.value, "value": c.rate.value, "unit": "per 100,000 adults",
             "ci_low": None if c.low is None else round(c.low, 1),
             "ci_high": None if c.high is None else round(c.high, 1),
             "suppressed": c.suppressed} for c in row.cells]


def _share_rows(section: str, row) -> list[dict]:
    return [{"section": section, "figure": row.title, "group": c.group, "count": c.count.value,
             "of": c.of.value, "value": c.percent.value, "unit": "per cent",
             "ci_low": None if c.low is None else round(c.low, 1),
             "ci_high": None if c.high is None else round(c.high, 1),
             "suppressed": c.suppressed} for c in row.cells]


@router.get("/equality/pcref", response={200: dict, 400: Error, 403: Error, 404: Error},
            openapi_extra=CSV_RESPONSE)
def pcref(request, scope: Scope = "team", key: str | None = None, format: Format = "json"):
    """The PCREF report by ethnic group against the local population, with 95% intervals:
    access, use of the Mental Health Act and CTOs, restrictive practice (no data: said so),
    outcomes, and experience (the Friends and Family Test, named answers from people)."""
    found, error = _resolve(request, scope, key)
    if error:
        return error
    viewer, key, title, teams = found
    as_of = records.today()
    years = outcomes_config()["horizons_years"][0]
    r = equality.pcref([t.pk for t in teams], as_of=as_of, disclosure=viewer.disclosure,
                       outcome_years=years)
    rows = [*[x for row in r.access_rates for x in _rate_rows("access", row)],
            *_share_rows("access", r.acceptance),
            *[{"section": "access", "figure": "Median wait from referral to assessment (days)",
               "group": w.group, "count": w.people.value, "of": None, "value": w.median.value,
               "unit": "days", "ci_low": None, "ci_high": None,
               "suppressed": w.median.suppressed} for w in r.waits],
            *[x for row in r.mha for x in _rate_rows("mental_health_act", row)],
            *[x for row in r.mha_shares for x in _share_rows("mental_health_act", row)],
            *_share_rows("experience", r.experience)]
    if format == "csv":
        return _csv([{"scope": scope, "key": key or "", **x} for x in rows],
                    f"pcref-{scope}-{key or 'trust'}-{as_of}.csv")
    return Status(200, {
        **_head(viewer, scope, key, title, teams, as_of), "period_start": r.start.isoformat(),
        "population_source": r.population_source, "has_population": r.has_population,
        "figures": rows, "restrictive_practice": r.restrictive_practice,
        "outcome_years": years,
        "outcomes": [{"group": g.group, "people_compared": g.people.value,
                      "left_out": g.left_out.value, "suppressed": g.suppressed,
                      "means": {k: {"before": m[0].value, "after": m[1].value, "change": m[2]}
                                for k, m in g.means.items()}} for g in r.outcomes],
        "experience_note": r.experience.note, "caveats": list(core.CAVEATS),
    })
