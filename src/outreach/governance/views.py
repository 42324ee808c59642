"""Governance pages: the compliance dashboard (team, service, trust) with trends and
drill-down, the caseload RAG review, fidelity (features table and DACTS), the ICB review
return and its action plan.

Short views: who may see what is governance.access; figures come from governance.selectors;
people are reached only through records.selectors (people_for / caseload), and every list of
people is audited before the page is rendered. Commissioners never reach a person.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from outreach.audit.services import audit_list
from outreach.core.fidelity import (
    COLUMN_TITLES,
    DACTS,
    FEATURES,
    FEATURES_BY_KEY,
    SUBSCALE_TITLES,
    Column,
    DactsScore,
    Subscale,
    dacts_evidence,
    dacts_values,
    score_item,
)
from outreach.core.measures import BY_KEY, HEADLINE, MEASURES, Group
from outreach.core.rag import LABELS as RAG_LABELS
from outreach.core.rag import SEVERITY, STANDARDS, Rag, Standard
from outreach.governance import presenters, returns, selectors, services
from outreach.governance.access import COMMISSIONER_NO_PEOPLE, Viewer, viewer_for
from outreach.governance.config import measure_params, rag_config, suppression_config
from outreach.governance.forms import (
    ActionForm,
    ActionStatusForm,
    DactsForm,
    FeatureForm,
    ReturnForm,
)
from outreach.governance.models import (
    ActionStatus,
    DactsAssessment,
    PlanAction,
    ReviewReturn,
)
from outreach.governance.pdf import pdf_bytes
from outreach.records import selectors as records
from outreach.records.services import StaleEdit, ValidationFailed
from outreach.skills.presenters import governance_section as skills_section
from outreach.teams.models import ServiceType, Team
from outreach.web.forms import save_form

RAG_TAGS = {Rag.RED: "nhsuk-tag--red", Rag.AMBER: "nhsuk-tag--orange",
            Rag.GREEN: "nhsuk-tag--green", Rag.NOT_APPLICABLE: "nhsuk-tag--grey"}
STATUS_TAGS = {"met": "nhsuk-tag--green", "partly_met": "nhsuk-tag--orange",
               "not_met": "nhsuk-tag--red", "": "nhsuk-tag--grey"}


SERVICE_TITLES = {ServiceType.FULL_AO.value: "All full assertive outreach teams",
                  ServiceType.DEDICATED_FUNCTION.value: "All dedicated functions within CMHTs"}


def _viewer(request) -> Viewer:
    viewer = viewer_for(request.user)
    if viewer is None:
        raise Http404("No governance pages for this account")
    return viewer


@dataclass(frozen=True)
class Scope:
    kind: str  # team, service, trust
    title: str
    teams: list[Team]
    team: Team | None = None
    service_type: str | None = None

    @property
    def team_ids(self) -> list[int]:
        return [t.pk for t in self.teams]

    @property
    def args(self) -> list[str]:
        return [self.team.code] if self.team else [self.service_type] if self.service_type \
            else []

    def url(self, name: str, *extra) -> str:
        return reverse(f"governance-{self.kind}-{name}", args=[*self.args, *extra])


def _team(viewer: Viewer, code: str) -> Team:
    team = next((t for t in selectors.teams() if t.code == code), None)
    if team is None or not viewer.sees_team(team.pk):
        raise Http404("No such team")
    return team


def _scope(viewer: Viewer, kind: str, key: str | None = None) -> Scope:
    if kind == "team":
        team = _team(viewer, key or "")
        return Scope("team", team.name, [team], team=team)
    if not viewer.sees_all_teams:
        raise Http404("Team staff see their own team")
    if kind == "service":
        if key not in ServiceType.values:
            raise Http404("No such service")
        return Scope("service", SERVICE_TITLES[key], selectors.teams(service_type=key),
                     service_type=key)
    return Scope("trust", "All teams", selectors.teams())


def _nav(viewer: Viewer, scope: Scope | None = None) -> dict:
    """Links between scopes: commissioners move between the trust, services and teams."""
    teams = selectors.teams() if viewer.sees_all_teams else [viewer.staff.team]
    return {
        "viewer": viewer, "scope": scope, "nav_teams": teams,
        "services": list(SERVICE_TITLES.items()),
        "suppression_rule": suppression_config().rule_text() if viewer.commissioner else "",
    }


# --- Dashboard --------------------------------------------------------------------------------


@login_required
def home(request):
    viewer = _viewer(request)
    if viewer.sees_all_teams:
        return redirect("governance-trust-dashboard")
    return redirect("governance-team-dashboard", viewer.staff.team.code)


def _figures(scope: Scope, viewer: Viewer, measures, *, trend: bool = True):
    params = measure_params()
    as_of = records.today()
    results = selectors.compute(scope.team_ids, as_of=as_of, params=params,
                                measures=measures, trend=trend)
    if results.trend_at is not None:
        results.trend_at = timezone.localtime(results.trend_at)
    d = viewer.disclosure
    views = [presenters.figure(m, results, scope.team_ids, d, params, chart_id=f"c-{m.key}",
                               texts=m.texts(params)) for m in measures]
    return results, views, params, as_of


@login_required
def dashboard(request, kind: str, key: str | None = None):
    viewer = _viewer(request)
    scope = _scope(viewer, kind, key)
    results, views, params, as_of = _figures(scope, viewer, MEASURES)
    groups = [(g.value, [v for v in views if v.measure.group == g]) for g in Group]
    return render(request, "governance/dashboard.jinja", {
        **_nav(viewer, scope), "groups": groups, "as_of": as_of, "trend_at": results.trend_at,
        "can_drill": scope.team is not None and viewer.can_drill_down(scope.team.pk),
        "nav": "governance", "section": "dashboard",
        "skills": skills_section(scope.teams, on=as_of, disclosure=viewer.disclosure),
    })


@login_required
def measure(request, kind: str, measure_key: str, key: str | None = None):
    viewer = _viewer(request)
    scope = _scope(viewer, kind, key)
    m = BY_KEY.get(measure_key)
    if m is None:
        raise Http404("No such measure")
    results, [view], params, as_of = _figures(scope, viewer, [m])
    d = viewer.disclosure
    teams = [(t, presenters.shown_value(m, results.tally(m.key, HEADLINE, [t.pk]), d),
              results.tally(m.key, HEADLINE, [t.pk])) for t in scope.teams]
    context = {
        **_nav(viewer, scope), "view": view, "as_of": as_of, "trend_at": results.trend_at,
        "by_team": [(t, v, presenters.detail_text(m, tally, d)) for t, v, tally in teams]
        if len(scope.teams) > 1 else [],
        "examples": m.examples, "people": None, "hidden": 0,
        "no_people_reason": "", "staff_rows": None, "nav": "governance",
        "section": "dashboard",
    }
    if scope.team is not None and m.key in ("staff_ratio", "practitioner_caseloads") \
            and not viewer.commissioner:
        context["staff_rows"] = selectors.practitioner_caseloads(scope.team.pk, as_of=as_of,
                                                                 params=params)
    if m.drill_down:
        if scope.team is not None and viewer.can_drill_down(scope.team.pk):
            context.update(_drill_down(request, m, scope.team, as_of, params))
        else:
            context["no_people_reason"] = COMMISSIONER_NO_PEOPLE if viewer.commissioner else \
                "Open a team's figure to see the people behind it."
    return render(request, "governance/measure.jinja", context)


def _drill_down(request, m, team: Team, as_of: date, params) -> dict:
    """The people behind a team's headline figure whom this member of staff may see
    (records.selectors.people_for), each listing audited."""
    visible = {p.pk: p for p in records.people_for(request.user)}
    rows, hidden = selectors.drill_down(m, team.pk, as_of=as_of, params=params,
                                        person_ids=sorted(visible))
    rows.sort(key=lambda r: (r.counted >= r.of, visible[r.person_id].family_name,
                             visible[r.person_id].given_name))
    audit_list(request=request, person_ids=sorted({r.person_id for r in rows}),
               what=f"governance figure: {m.key}")
    return {
        "people": [(visible[r.person_id], r, presenters.explain(m, r)) for r in rows],
        "hidden": hidden,
    }


# --- Caseload RAG review ----------------------------------------------------------------------


@login_required
def rag_team(request, key: str):
    viewer = _viewer(request)
    team = _team(viewer, key)
    today = records.today()
    config = rag_config()
    params = measure_params()
    if not viewer.can_drill_down(team.pk):
        return _rag_counts(request, viewer, [team], today, params, config)
    visible = {p.pk: p for p in records.people_for(request.user)}
    episodes = selectors.open_episodes(team_ids=[team.pk], person_ids=sorted(visible),
                                       today=today)
    ratings = selectors.rag_for(episodes, today=today, params=params, config=config)
    only = request.GET.get("rag", "")
    rows = sorted(
        ((visible[pid], r) for pid, r in ratings.items()
         if not only or r.overall.value == only),
        key=lambda x: (-SEVERITY[x[1].overall], min((s.since or today) for s in x[1].reasons)
                       if x[1].reasons else today, x[0].family_name),
    )
    audit_list(request=request, person_ids=[p.pk for p, _ in rows], what="caseload RAG review")
    counts = {rag: sum(1 for r in ratings.values() if r.overall == rag)
              for rag in (Rag.RED, Rag.AMBER, Rag.GREEN)}
    return render(request, "governance/rag.jinja", {
        **_nav(viewer, Scope("team", team.name, [team], team=team)), "team": team,
        "rows": rows, "counts": counts, "only": only, "today": today,
        "standards": [(s, STANDARDS[s]) for s in Standard], "rag_tags": RAG_TAGS,
        "rag_labels": RAG_LABELS, "config": config, "nav": "governance", "section": "rag",
    })


@login_required
def rag_all(request):
    viewer = _viewer(request)
    if not viewer.sees_all_teams:
        return redirect("governance-team-rag", viewer.staff.team.code)
    return _rag_counts(request, viewer, selectors.teams(), records.today(), measure_params(),
                       rag_config())


def _rag_counts(request, viewer, teams, today, params, config):
    """RAG as counts per team, for commissioners: no one is named."""
    d = viewer.disclosure
    episodes = selectors.open_episodes(team_ids=[t.pk for t in teams], today=today)
    ratings = selectors.rag_for(episodes, today=today, params=params, config=config)
    team_of = {e["person_id"]: e["team_id"] for e in episodes}
    rows = []
    for team in teams:
        mine = [r for pid, r in ratings.items() if team_of[pid] == team.pk]
        overall = {rag: d.count(sum(1 for r in mine if r.overall == rag))
                   for rag in (Rag.RED, Rag.AMBER, Rag.GREEN)}
        red_by = {s: d.count(sum(1 for r in mine if r.of(s).rag == Rag.RED)) for s in Standard}
        rows.append((team, d.count(len(mine)), overall, red_by))
    return render(request, "governance/rag_counts.jinja", {
        **_nav(viewer), "rows": rows, "today": today,
        "standards": [(s, STANDARDS[s]) for s in Standard], "rag_labels": RAG_LABELS,
        "nav": "governance", "section": "rag",
    })


# --- Fidelity -------------------------------------------------------------------------------


@login_required
def fidelity_all(request):
    viewer = _viewer(request)
    if not viewer.sees_all_teams:
        return redirect("governance-team-fidelity", viewer.staff.team.code)
    teams = selectors.teams()
    today = records.today()
    figures = selectors.fidelity_figures([t.pk for t in teams], as_of=today,
                                         params=measure_params())
    assessed = returns.latest_features([t.pk for t in teams])
    dacts = returns.latest_dacts([t.pk for t in teams])
    rows = [(t, returns.feature_rows(t, figures[t.pk], assessed, viewer.disclosure),
             returns.dacts_summary(dacts.get(t.pk))) for t in teams]
    return render(request, "governance/fidelity_all.jinja", {
        **_nav(viewer), "rows": rows, "features": FEATURES, "status_tags": STATUS_TAGS,
        "today": today, "nav": "governance", "section": "fidelity",
    })


@login_required
def fidelity_team(request, key: str):
    viewer = _viewer(request)
    team = _team(viewer, key)
    today = records.today()
    figures = selectors.fidelity_figures([team.pk], as_of=today, params=measure_params())[
        team.pk]
    assessed = returns.latest_features([team.pk])
    rows = returns.feature_rows(team, figures, assessed, viewer.disclosure)
    history = list(DactsAssessment.objects.filter(team=team).select_related("assessor")
                   .prefetch_related("items"))
    return render(request, "governance/fidelity.jinja", {
        **_nav(viewer, Scope("team", team.name, [team], team=team)), "team": team,
        "rows": rows, "column": COLUMN_TITLES[Column(team.service_type)],
        "other_column": COLUMN_TITLES[next(c for c in Column if c != team.service_type)],
        "status_tags": STATUS_TAGS, "can_assess": viewer.can_assess(team.pk),
        "dacts_items": _dacts_preview(figures, viewer),
        "history": [(a, returns.dacts_summary(a)) for a in history], "today": today,
        "nav": "governance", "section": "fidelity",
    })


def _dacts_preview(figures, viewer) -> list[dict]:
    values = dacts_values(figures)
    d = viewer.disclosure
    items = []
    for item in DACTS:
        value = values.get(item.figure) if item.figure else None
        items.append({
            "item": item, "value": value,
            "score": score_item(item.code, value) if value is not None else None,
            "evidence": dacts_evidence(item, figures, d),
            "unit": item.bands.unit if item.bands else "",
        })
    return items


def _assessor(request, key: str):
    viewer = _viewer(request)
    team = _team(viewer, key)
    if not viewer.can_assess(team.pk):
        raise Http404("Only the team's manager or consultant, or a commissioner, assesses")
    return viewer, team


@login_required
def feature_assess(request, key: str, feature: str):
    viewer, team = _assessor(request, key)
    f = FEATURES_BY_KEY.get(feature)
    if f is None:
        raise Http404("No such feature")
    today = records.today()
    form = FeatureForm(request.POST or None, initial={"assessed_on": today})

    def save(data) -> str:
        services.feature_assess(team=team, by=viewer.staff, feature=feature, today=today,
                                **data)
        return reverse("governance-team-fidelity", args=[team.code]) + f"#{feature}"

    if saved := save_form(request, form, save):
        return saved
    figures = selectors.fidelity_figures([team.pk], as_of=today, params=measure_params())[
        team.pk]
    row = next(r for r in returns.feature_rows(team, figures, returns.latest_features(
        [team.pk]), viewer.disclosure) if r["key"] == feature)
    return render(request, "governance/feature_form.jinja", {
        **_nav(viewer), "team": team, "feature": f, "row": row, "form": form,
        "column": COLUMN_TITLES[Column(team.service_type)], "nav": "governance",
        "section": "fidelity",
    }, status=400 if request.method == "POST" else 200)


@login_required
def dacts_new(request, key: str):
    viewer, team = _assessor(request, key)
    today = records.today()
    figures = selectors.fidelity_figures([team.pk], as_of=today, params=measure_params())[
        team.pk]
    preview = _dacts_preview(figures, viewer)
    computed = {p["item"].code: (p["value"], p["score"]) for p in preview
                if p["item"].computed}
    initial = {"assessed_on": today}
    initial.update({f"score_{code}": str(score) for code, (_, score) in computed.items()
                    if score is not None})
    form = DactsForm(request.POST or None, initial=initial)

    def save(data) -> str:
        assessment = services.dacts_record(
            team=team, by=viewer.staff, assessed_on=data["assessed_on"], today=today,
            scores=form.scores(), evidence=form.evidence(), computed=computed,
            reviewers=data["reviewers"], notes=data["notes"])
        return reverse("governance-dacts", args=[assessment.pk])

    if saved := save_form(request, form, save):
        return saved
    return render(request, "governance/dacts_form.jinja", {
        **_nav(viewer), "team": team, "form": form, "preview": preview,
        "subscales": SUBSCALE_TITLES, "nav": "governance", "section": "fidelity",
    }, status=400 if request.method == "POST" else 200)


@login_required
def dacts_view(request, assessment_id: int):
    viewer = _viewer(request)
    assessment = DactsAssessment.objects.filter(pk=assessment_id).select_related(
        "team", "assessor").first()
    if assessment is None or not viewer.sees_team(assessment.team_id):
        raise Http404("No such review")
    items = {i.code: i for i in assessment.items.all()}
    score = DactsScore({c: i.score for c, i in items.items()})
    return render(request, "governance/dacts.jinja", {
        **_nav(viewer), "assessment": assessment, "team": assessment.team,
        "rows": [(item, items.get(item.code)) for item in DACTS],
        "score": score,
        "subscales": [(SUBSCALE_TITLES[s], score.subscale_mean(s), len(score.subscale_items(s)))
                      for s in Subscale],
        "nav": "governance", "section": "fidelity",
    })


# --- ICB review returns ----------------------------------------------------------------------


def _unversioned(data: dict) -> dict:
    """A form's values for the service, without the version read (passed on its own)."""
    return {k: v for k, v in data.items() if k != "version"}


def _return(viewer: Viewer, return_id: int) -> ReviewReturn:
    review = ReviewReturn.objects.filter(pk=return_id).first()
    if review is None:
        raise Http404("No such return")
    return review


@login_required
def return_list(request):
    viewer = _viewer(request)
    return render(request, "governance/returns.jinja", {
        **_nav(viewer), "returns": ReviewReturn.objects.select_related("created_by"),
        "can_edit": viewer.can_edit_returns, "nav": "governance", "section": "returns",
    })


@login_required
def return_new(request):
    viewer = _viewer(request)
    if not viewer.can_edit_returns:
        raise Http404("Only commissioners write returns")
    today = records.today()
    form = ReturnForm(request.POST or None, initial={
        "as_of": today, "title": f"Intensive and assertive community care review {today.year}",
    })

    def save(data) -> str:
        review = services.return_create(by=viewer.staff, today=today, **_unversioned(data))
        return reverse("governance-return", args=[review.pk])

    if saved := save_form(request, form, save):
        return saved
    return render(request, "governance/return_form.jinja", {
        **_nav(viewer), "form": form, "review": None, "nav": "governance",
        "section": "returns",
    }, status=400 if request.method == "POST" else 200)


@login_required
def return_edit(request, return_id: int):
    viewer = _viewer(request)
    review = _return(viewer, return_id)
    if not viewer.can_edit_returns or not review.is_draft:
        raise Http404("This return cannot be edited")
    today = records.today()
    initial = {f: getattr(review, f) for f in services.RETURN_FIELDS}
    form = ReturnForm(request.POST or None, initial={**initial, "version": review.version})

    def save(data) -> str:
        services.return_update(review=review, today=today,
                               expected_version=data["version"] or 0, **_unversioned(data))
        return reverse("governance-return", args=[review.pk])

    if saved := save_form(request, form, save):
        return saved
    return render(request, "governance/return_form.jinja", {
        **_nav(viewer), "form": form, "review": review, "nav": "governance",
        "section": "returns",
    }, status=400 if request.method == "POST" else 200)


@login_required
def return_view(request, return_id: int):
    viewer = _viewer(request)
    review = _return(viewer, return_id)
    doc = returns.document(review)
    context = {"review": review, "doc": doc, "status_tags": STATUS_TAGS,
               "can_edit": viewer.can_edit_returns and review.is_draft,
               "submit_error": request.GET.get("error", ""), "nav": "governance",
               "section": "returns", **_nav(viewer)}
    if request.GET.get("format") == "pdf":
        html = render_to_string("governance/return.jinja", {**context, "pdf": True},
                                request=request)
        response = HttpResponse(pdf_bytes(html, request.build_absolute_uri("/")),
                                content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="icb-return-{review.pk}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "governance/return.jinja", {**context, "pdf": False})


@login_required
@require_POST
def return_submit(request, return_id: int):
    viewer = _viewer(request)
    review = _return(viewer, return_id)
    if not viewer.can_edit_returns:
        raise Http404("Only commissioners submit returns")
    try:
        services.return_submit(review=review, by=viewer.staff, today=records.today(),
                               expected_version=int(request.POST.get("version", 0)),
                               snapshot=returns.build(review))
    except ValidationFailed as exc:
        message = next(iter(exc.errors.values()))[0]
        return redirect(reverse("governance-return", args=[review.pk]) + "?error="
                        + ("dna" if "did-not-attend" in message else "submitted"))
    except StaleEdit:
        return redirect(reverse("governance-return", args=[review.pk]) + "?error=stale")
    return redirect("governance-return", review.pk)


# --- The action plan ----------------------------------------------------------------------


def actions_csv(rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="action-plan.csv"'
    writer = csv.writer(response)
    writer.writerow(["number", "section", "action", "timeframe", "lead organisation",
                     "due date", "cost implication", "status", "done on"])
    for r in rows:
        writer.writerow([r["number"], r["section"], r["action"], r["timeframe"], r["lead"],
                         r["due"], r["cost"], r["status"], r["done_on"]])
    return response


@login_required
def action_list(request):
    viewer = _viewer(request)
    rows = returns.action_rows()
    if request.GET.get("format") == "csv":
        return actions_csv(rows)
    actions = list(PlanAction.objects.all())
    counts = {s: sum(1 for a in actions if a.status == s) for s in ActionStatus.values}
    today = records.today()
    overdue = [a for a in actions if a.status != ActionStatus.DONE and a.due_date
               and a.due_date < today]
    return render(request, "governance/actions.jinja", {
        **_nav(viewer), "actions": actions, "counts": counts, "overdue": overdue,
        "statuses": ActionStatus, "can_edit": viewer.can_edit_actions, "today": today,
        "nav": "governance", "section": "actions",
    })


@login_required
def action_new(request):
    viewer = _viewer(request)
    if not viewer.can_edit_actions:
        raise Http404("Only commissioners and team managers edit the plan")
    form = ActionForm(request.POST or None)

    def save(data) -> str:
        action = services.action_create(by=viewer.staff, **_unversioned(data))
        return reverse("governance-action", args=[action.pk])

    if saved := save_form(request, form, save):
        return saved
    return render(request, "governance/action_form.jinja", {
        **_nav(viewer), "form": form, "action": None, "nav": "governance",
        "section": "actions",
    }, status=400 if request.method == "POST" else 200)


def _action(action_id: int) -> PlanAction:
    action = PlanAction.objects.filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action")
    return action


@login_required
def action_edit(request, action_id: int):
    viewer = _viewer(request)
    if not viewer.can_edit_actions:
        raise Http404("Only commissioners and team managers edit the plan")
    action = _action(action_id)
    initial = {f: getattr(action, f) for f in services.ACTION_FIELDS}
    form = ActionForm(request.POST or None, initial={**initial, "version": action.version})

    def save(data) -> str:
        services.action_update(action=action, expected_version=data["version"] or 0,
                               **_unversioned(data))
        return reverse("governance-action", args=[action.pk])

    if saved := save_form(request, form, save):
        return saved
    return render(request, "governance/action_form.jinja", {
        **_nav(viewer), "form": form, "action": action, "nav": "governance",
        "section": "actions",
    }, status=400 if request.method == "POST" else 200)


@login_required
def action_view(request, action_id: int):
    viewer = _viewer(request)
    action = _action(action_id)
    today = records.today()
    form = ActionStatusForm(request.POST or None, initial={
        "version": action.version, "status": action.status, "on": today})
    status = 200
    if request.method == "POST":
        if not viewer.can_edit_actions:
            raise Http404("Only commissioners and team managers edit the plan")

        def save(data) -> str:
            services.action_status(action=action, by=viewer.staff, today=today,
                                   expected_version=data["version"], status=data["status"],
                                   note=data["note"], on=data["on"])
            return reverse("governance-action", args=[action.pk])

        if saved := save_form(request, form, save):
            return saved
        status = 400
    return render(request, "governance/action.jinja", {
        **_nav(viewer), "action": action, "form": form,
        "updates": action.updates.select_related("by"), "can_edit": viewer.can_edit_actions,
        "today": today, "nav": "governance", "section": "actions",
    }, status=status)

