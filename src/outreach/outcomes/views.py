"""Outcome and equality pages.

- The person's outcomes: reached through the clinical record's scope (records.selectors.
  person_for; anyone else 404), audited before it is shown.
- A team's (or the trust's) outcomes, governance figures by group, and the PCREF report:
  aggregates, with who sees what decided by governance.access (team staff: their own team,
  exact; commissioners: every team and the trust, small numbers suppressed). No person is
  listed on any of them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from outreach.clinical.views.common import scope as person_scope
from outreach.clinical.views.common import show
from outreach.core import outcomes as core
from outreach.core.equality import BY_TITLES, By
from outreach.governance.config import measure_params
from outreach.governance.views import _nav, _scope, _viewer
from outreach.outcomes import equality, forms, presenters, selectors, services
from outreach.outcomes.config import outcomes_config
from outreach.outcomes.models import EmploymentStatus
from outreach.records import selectors as records
from outreach.records.models import EpisodeStatus
from outreach.web.forms import save_form


@login_required
def person_outcomes(request, person_id: int):
    _, person = person_scope(request, person_id)
    as_of = records.today()
    cfg = outcomes_config()
    facts = selectors.person_facts(person, as_of=as_of)
    context: dict = {"facts": facts, "as_of": as_of, "caveats": core.CAVEATS,
                     "titles": core.OUTCOME_TITLES, "outcomes": list(core.Outcome)}
    if facts is not None:
        images = facts.images(as_of, cfg["horizons_years"])
        context.update({
            "images": images,
            "dialog": facts.dialog,
            "dialog_change": core.dialog_change(facts.dialog, cfg["dialog_min_gap_days"]),
            "contacts": facts.contacts(as_of, cfg["contact_weeks"]),
            "contact_weeks": cfg["contact_weeks"],
            "target": facts.weekly_target(),
            "accommodation": facts.accommodation_change(),
            "employment": facts.employment_change(),
            "employment_labels": dict(EmploymentStatus.choices),
            "episode_closed": facts.episode.status == EpisodeStatus.DISCHARGED,
        })
    return show(request, person, "outcomes/person.jinja", context,
                what="outcomes before and after acceptance")


def _team_context(request, kind: str, key: str | None) -> tuple:
    viewer = _viewer(request)
    scope = _scope(viewer, kind, key)
    return viewer, scope, records.today()


@login_required
def team_outcomes(request, kind: str, key: str | None = None):
    viewer, scope, as_of = _team_context(request, kind, key)
    d = viewer.disclosure
    summary = selectors.summarise_team(selectors.team_facts(scope.team_ids, as_of=as_of),
                                       as_of=as_of)
    horizons = [(presenters.horizon_title(h.years), presenters.horizon_rows(h, d),
                 presenters.left_out_rows(h, d), d.count(h.included)) for h in summary.horizons]
    return render(request, "outcomes/team.jinja", {
        **_nav(viewer, scope), "section": "outcomes", "nav": "governance", "as_of": as_of,
        "summary": summary, "horizons": horizons, "caveats": core.CAVEATS, "d": d,
        "pkind": kind, "pkey": key,
    })


def _by(request) -> By:
    try:
        return By(request.GET.get("by", By.ETHNICITY.value))
    except ValueError as exc:
        raise Http404("No such breakdown") from exc


@login_required
def equality_figures(request, kind: str, key: str | None = None):
    viewer, scope, as_of = _team_context(request, kind, key)
    by = _by(request)
    d = viewer.disclosure
    figures = equality.measure_breakdowns(scope.team_ids, by=by, as_of=as_of,
                                          params=measure_params(), disclosure=d)
    facts = selectors.team_facts(scope.team_ids, as_of=as_of, full=False)
    years = outcomes_config()["horizons_years"][0]
    outcomes = equality.outcome_breakdown(facts, by=by, as_of=as_of, years=years, disclosure=d)
    return render(request, "outcomes/equality.jinja", {
        **_nav(viewer, scope), "section": "equality", "nav": "governance", "as_of": as_of,
        "by": by, "by_titles": BY_TITLES, "figures": figures, "outcomes": outcomes,
        "outcome_years": years, "titles": core.OUTCOME_TITLES, "pkind": kind, "pkey": key,
        "caveats": core.CAVEATS,
    })


@login_required
def pcref(request, kind: str, key: str | None = None):
    viewer, scope, as_of = _team_context(request, kind, key)
    years = outcomes_config()["horizons_years"][0]
    report = equality.pcref(scope.team_ids, as_of=as_of, disclosure=viewer.disclosure,
                            outcome_years=years)
    return render(request, "outcomes/pcref.jinja", {
        **_nav(viewer, scope), "section": "pcref", "nav": "governance", "as_of": as_of,
        "report": report, "titles": core.OUTCOME_TITLES, "pkind": kind, "pkey": key,
        "caveats": core.CAVEATS,
    })


# --- Entering history -------------------------------------------------------------------------

ENTRY_FORMS = {
    "hospital-stay": ("Record a hospital stay", forms.HospitalSpellForm,
                      services.hospital_spell_record,
                      "A stay in a mental health hospital bed, including those before the "
                      "person was accepted, from their history or the hospital's records."),
    "crisis-episode": ("Record a crisis episode", forms.CrisisEpisodeForm,
                       services.crisis_episode_record,
                       "Contact with a crisis service, including before the person was "
                       "accepted. Step-ups to the crisis team recorded on the episode of care "
                       "are counted already: do not enter them again."),
    "employment": ("Record employment status", forms.EmploymentForm,
                   services.employment_record,
                   "Employment status as the person describes it (MHSDS employment status)."),
}


@login_required
def history_new(request, person_id: int, what: str):
    staff, person = person_scope(request, person_id)
    if what not in ENTRY_FORMS:
        raise Http404("No such entry")
    heading, form_class, record, intro = ENTRY_FORMS[what]
    form = form_class(request.POST or None)
    status = 200

    def save(data) -> str:
        record(person=person, by=staff, request=request, **data)
        return reverse("person-outcomes", args=[person.pk]) + "#history"

    if saved := save_form(request, form, save):
        return saved
    return show(request, person, "outcomes/history_form.jinja",
                {"form": form, "heading": heading, "intro": intro, "what": what},
                what=f"outcomes form: {what}", status=status)
