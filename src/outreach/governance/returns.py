"""The ICB review return as a document (002 chapter 5): the features table with evidence for
each team, the gaps and barriers, the in-scope cohort and caseload figures, the governance
figures, the latest DACTS reviews and the action plan.

The document is a plain, JSON-serialisable mapping: a draft is built live from the record; a
submitted return stores the mapping it was sent with (ReviewReturn.snapshot) and renders from
that, so it reads back exactly as sent. A return leaves the organisation, so every count in
it is suppressed as for a commissioner, whoever prints it.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from outreach.core.fidelity import (
    COLUMN_TITLES,
    FEATURES,
    STATUS_LABELS,
    SUBSCALE_TITLES,
    Column,
    DactsScore,
    Status,
    Subscale,
    checks_for,
    combine,
    evaluate_checks,
)
from outreach.core.measures import MEASURES, Group
from outreach.core.suppression import Disclosure
from outreach.governance import presenters, selectors
from outreach.governance.config import measure_params, suppression_config
from outreach.governance.models import (
    ActionStatus,
    DactsAssessment,
    FeatureAssessment,
    Partner,
    PlanAction,
    ReviewReturn,
    Section,
    Timeframe,
)
from outreach.teams.models import ServiceType

DOCUMENT_VERSION = 1


def _fmt(d: date | None) -> str:
    return f"{d.day} {d:%b %Y}" if d else ""


def latest_features(team_ids: list[int]) -> dict[tuple[int, str], FeatureAssessment]:
    latest: dict[tuple[int, str], FeatureAssessment] = {}
    for a in FeatureAssessment.objects.filter(team_id__in=team_ids).select_related(
            "assessed_by").order_by("assessed_on", "id"):
        latest[(a.team_id, a.feature)] = a
    return latest


def latest_dacts(team_ids: list[int]) -> dict[int, DactsAssessment]:
    latest: dict[int, DactsAssessment] = {}
    for a in DactsAssessment.objects.filter(team_id__in=team_ids).prefetch_related(
            "items").order_by("assessed_on", "id"):
        latest[a.team_id] = a
    return latest


def feature_rows(team, figures: dict, assessed: dict, d: Disclosure) -> list[dict]:
    """The features table for one team: each feature against the column of the team's
    service type, the data checks with their evidence, and the assessor's rating."""
    column = Column(team.service_type)
    checks = evaluate_checks(figures, d)
    rows = []
    for feature in FEATURES:
        results = [checks[k] for k in checks_for(feature, column)]
        from_data = combine(results)
        assessment = assessed.get((team.pk, feature.key))
        status = Status(assessment.status) if assessment else from_data
        rows.append({
            "key": feature.key, "title": feature.title,
            "criteria": list(feature.criteria(column)),
            # A full model is also held to the core elements of a dedicated function.
            "core": list(feature.dedicated_function) if column == Column.FULL_AO else [],
            "status": status.value if status else "",
            "status_label": STATUS_LABELS[status] if status else "Not yet assessed",
            "from_data": STATUS_LABELS[from_data] if from_data else "",
            "checks": [{"title": r.title, "status": STATUS_LABELS[r.status],
                        "evidence": r.evidence} for r in results],
            "assessor": {
                "status": STATUS_LABELS[Status(assessment.status)],
                "evidence": assessment.evidence, "gaps": assessment.gaps,
                "on": _fmt(assessment.assessed_on), "by": assessment.assessed_by.name,
            } if assessment else None,
        })
    return rows


def dacts_summary(assessment: DactsAssessment | None) -> dict | None:
    if assessment is None:
        return None
    score = DactsScore({i.code: i.score for i in assessment.items.all()})
    return {
        "on": _fmt(assessment.assessed_on), "total": score.total,
        "mean": round(score.mean, 2) if score.mean is not None else None,
        "established": score.established,
        "subscales": [{"title": SUBSCALE_TITLES[s], "mean": round(score.subscale_mean(s), 2)}
                      for s in Subscale if score.subscale_mean(s) is not None],
    }


def action_rows() -> list[dict]:
    return [{
        "number": a.number, "section": Section(a.section).label, "action": a.action,
        "timeframe": Timeframe(a.timeframe).label, "lead": a.lead_organisation,
        "due": _fmt(a.due_date) or "TBC", "cost": a.cost_implication,
        "status": ActionStatus(a.status).label,
        "done_on": _fmt(a.done_on),
    } for a in PlanAction.objects.order_by("number")]


def build(review: ReviewReturn) -> dict:
    """The return's content, live from the record, as it would be submitted now."""
    d = Disclosure.suppressed(suppression_config())
    params = measure_params()
    as_of = review.as_of
    teams = selectors.teams()
    team_ids = [t.pk for t in teams]
    results = selectors.compute(team_ids, as_of=as_of, params=params, trend=False)
    figures = []
    for m in MEASURES:
        view = presenters.figure(m, results, team_ids, d, params, chart_id=f"r-{m.key}",
                                 texts=m.texts(params))
        figures.append({
            "key": m.key, "title": m.title, "group": m.group.value, "value": view.value.text,
            "detail": view.detail, "target": view.target_text, "status": view.status,
            "lines": [[line.label, line.shown.text] for line in view.lines],
            **view.texts,
        })
    by_team = []
    for team in teams:
        row = {"team": team.name, "service": ServiceType(team.service_type).label}
        for key in ("care_plan_in_date", "contact_target_met", "staff_ratio",
                    "wait_assessment_to_intervention"):
            m = next(x for x in MEASURES if x.key == key)
            tally = results.tally(key, -1, [team.pk])
            row[key] = presenters.shown_value(m, tally, d).text
        cohort = results.tally("staff_ratio", -1, [team.pk])
        row["caseload"] = d.count(cohort.numerator).text
        row["fte"] = f"{cohort.fte:.1f}"
        waiting = results.tally("wait_referral_to_assessment", -1, [team.pk])
        row["awaiting_assessment"] = d.count(waiting.still_waiting).text
        by_team.append(row)
    facts = selectors.fidelity_figures(team_ids, as_of=as_of, params=params, results=results)
    assessed = latest_features(team_ids)
    dacts = latest_dacts(team_ids)
    return {
        "version": DOCUMENT_VERSION,
        "title": review.title, "organisation": review.organisation,
        "as_of": _fmt(as_of), "built_at": timezone.localtime().strftime("%-d %b %Y %H:%M"),
        "suppression": d.config.rule_text() if d.config else "",
        "partners": [Partner(p).label for p in review.partners if p in Partner.values],
        "policies_reviewed": review.policies_reviewed, "cohort_text": review.cohort,
        "gaps_workforce": review.gaps_workforce, "gaps_resourcing": review.gaps_resourcing,
        "barriers": review.barriers, "dna_policy_confirmed": review.dna_policy_confirmed,
        "groups": [g.value for g in Group],
        "figures": figures, "by_team": by_team,
        "teams": [{
            "name": t.name, "locality": t.locality,
            "service": ServiceType(t.service_type).label,
            "column": COLUMN_TITLES[Column(t.service_type)],
            "features": feature_rows(t, facts[t.pk], assessed, d),
            "dacts": dacts_summary(dacts.get(t.pk)),
        } for t in teams],
        "actions": action_rows(),
    }


def document(review: ReviewReturn) -> dict:
    """What the return shows: as submitted, or live while a draft."""
    if not review.is_draft and review.snapshot:
        return review.snapshot
    return build(review)
