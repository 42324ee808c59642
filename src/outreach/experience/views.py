"""Experience feedback pages.

- The public page of a team's feedback link (/feedback/<code>/): no login, CSRF protected,
  a per-link hourly cap; it records nothing about the sender (hazard H33) and writes no audit
  event (there is no person).
- A person's feedback (/people/<id>/feedback/): reached only through records.selectors
  (another team's person is 404), every view and entry audited.
- The team's feedback page: the public link, anonymous paper forms keyed in, results.
- Results by team and quarter (/governance/...experience/): team staff their own team,
  commissioners every team; suppressed for everyone; shared comments only (hazard H35).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.core.experience import (
    AGREE_LABELS,
    FFT_LABELS,
    FFT_QUESTION,
    QUESTIONS,
    RESPONDENT_LABELS,
    Respondent,
)
from outreach.core.suppression import Disclosure
from outreach.experience import selectors, services
from outreach.experience.config import feedback_config
from outreach.experience.forms import ANONYMOUS_SHARE_HINT, FeedbackForm, StaffFeedbackForm
from outreach.governance import selectors as governance
from outreach.governance.access import viewer_for
from outreach.governance.config import suppression_config
from outreach.records import selectors as records
from outreach.records.services import ValidationFailed
from outreach.teams.models import Role
from outreach.web.forms import add_errors, repeated, save_form

TOO_MANY = ("A lot of feedback has come through this link in the last hour. Please try "
            "again later.")


def _respondent(value: str) -> str:
    if value not in Respondent.__members__.values():
        raise Http404("No such form")
    return value


def _clinician(request):
    staff = records.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        raise Http404("No team")
    return staff


# --- Public, anonymous ----------------------------------------------------------------------


def _link(code: str):
    link = selectors.link_by_code(code)
    if link is None:
        raise Http404("No such feedback link")
    return link


def public_start(request, code: str):
    link = _link(code)
    return render(request, "experience/public_start.jinja", {"link": link, "team": link.team})


def _over_limit(link) -> bool:
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"outreach:feedback:{link.pk}:{hour}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > feedback_config()["anonymous_per_hour"]


@csrf_protect
def public_form(request, code: str, respondent: str):
    link = _link(code)
    respondent = _respondent(respondent)
    thanks = reverse("feedback-thanks", args=[code, respondent])
    if request.method == "POST":
        form = FeedbackForm(request.POST, respondent=respondent)
        if form.is_valid():
            if _over_limit(link):
                form.add_error(None, TOO_MANY)
            else:
                try:
                    services.feedback_anonymous(
                        link=link, respondent=respondent, answers=form.answers(),
                        fft=form.cleaned_data["fft"], comment=form.cleaned_data["comment"],
                        comment_shared=form.shared(),
                        submission_key=form.cleaned_data["submission_key"])
                except ValidationFailed as exc:
                    add_errors(form, exc.errors)
                else:
                    return redirect(thanks)
    else:
        form = FeedbackForm(respondent=respondent)
    return render(request, "experience/form.jinja", {
        "form": form, "team": link.team, "respondent": respondent, "public": True,
        "person": None, "share_hint": ANONYMOUS_SHARE_HINT, **_labels()})


def public_thanks(request, code: str, respondent: str):
    link = _link(code)
    return render(request, "experience/thanks.jinja", {"team": link.team, "link": link})


def _labels() -> dict:
    return {"fft_question": FFT_QUESTION, "respondent_labels": RESPONDENT_LABELS}


# --- A person's feedback ---------------------------------------------------------------------


def _person(request, person_id: int):
    staff = _clinician(request)
    person = records.person_for(request.user, person_id)
    if person is None:
        raise Http404("Not on your caseload")
    return staff, person


@login_required
def person_feedback(request, person_id: int):
    staff, person = _person(request, person_id)
    rows = selectors.person_feedback(person)
    audit_record(request=request, person_id=person.pk, action=AuditAction.VIEW,
                 what="experience feedback")
    return render(request, "experience/person.jinja", {
        "person": person, "rows": rows, "questions": QUESTIONS, "agree": AGREE_LABELS,
        "fft": FFT_LABELS, "saved": request.GET.get("saved"), **_labels(), "nav": "caseload"})


@login_required
def person_feedback_new(request, person_id: int, respondent: str):
    staff, person = _person(request, person_id)
    respondent = _respondent(respondent)
    if request.method == "POST":
        if repeat := repeated(request):
            return repeat
        form = StaffFeedbackForm(request.POST, respondent=respondent)

        def save(d) -> str:
            services.feedback_from_person(
                person=person, respondent=respondent, channel=d["channel"],
                given_on=d["given_on"], answers=form.answers(), fft=d["fft"],
                comment=d["comment"], comment_shared=form.shared(), by=staff,
                request=request, submission_key=d["submission_key"])
            return reverse("feedback-person", args=[person.pk]) + "?saved=1"

        if saved := save_form(request, form, save):
            return saved
    else:
        form = StaffFeedbackForm(respondent=respondent, initial={
            "given_on": records.today(), "channel": "with_worker"})
    audit_record(request=request, person_id=person.pk, action=AuditAction.VIEW,
                 what="experience feedback form")
    return render(request, "experience/form.jinja", {
        "form": form, "team": staff.team, "respondent": respondent, "public": False,
        "person": person, "share_hint": "", **_labels(), "nav": "caseload"})


# --- The team's feedback page ----------------------------------------------------------------


@login_required
def team_feedback(request):
    staff = _clinician(request)
    if request.method == "POST":
        if staff.role != Role.MANAGER:
            raise Http404("Only the team manager changes the feedback link")
        return _change_link(request, staff)
    return render(request, "experience/team.jinja", {
        "team": staff.team, "links": selectors.links(staff.team),
        "can_manage": staff.role == Role.MANAGER, "nav": "team",
        "saved": request.GET.get("saved")})


def _change_link(request, staff):
    if request.POST.get("revoke"):
        link = next((x for x in selectors.links(staff.team)
                     if str(x.pk) == request.POST["revoke"]), None)
        if link is None:
            raise Http404("No such link")
        services.link_revoke(link=link)
    else:
        services.link_create(team_id=staff.team_id)
    return redirect(reverse("feedback-team") + "?saved=1")


@login_required
def paper_anonymous(request, respondent: str):
    """An unnamed paper form keyed in: the team, the month, the answers, nothing else."""
    staff = _clinician(request)
    respondent = _respondent(respondent)
    if request.method == "POST":
        form = FeedbackForm(request.POST, respondent=respondent)

        def save(d) -> str:
            services.feedback_anonymous(
                team_id=staff.team_id, entered_by=staff, respondent=respondent,
                answers=form.answers(), fft=d["fft"], comment=d["comment"],
                comment_shared=form.shared(), submission_key=d["submission_key"])
            return reverse("feedback-team") + "?saved=1"

        if saved := save_form(request, form, save):
            return saved
    else:
        form = FeedbackForm(respondent=respondent)
    return render(request, "experience/form.jinja", {
        "form": form, "team": staff.team, "respondent": respondent, "public": False,
        "paper": True, "person": None, "share_hint": ANONYMOUS_SHARE_HINT, **_labels(),
        "nav": "team"})


# --- Results --------------------------------------------------------------------------------


def _viewer(request):
    viewer = viewer_for(request.user)
    if viewer is None:
        raise Http404("No governance pages for this account")
    return viewer


def _results(request, viewer, teams, title: str, team=None):
    respondent = request.GET.get("respondent") or None
    if respondent not in (None, *Respondent.__members__.values()):
        respondent = None
    config = suppression_config()
    rows = selectors.results(teams, on=records.today(), quarters=feedback_config()["quarters"],
                             disclosure=Disclosure.suppressed(config), respondent=respondent)
    return render(request, "experience/results.jinja", {
        "viewer": viewer, "title": title, "rows": rows, "questions": QUESTIONS,
        "team": team, "respondent": respondent, "respondent_labels": RESPONDENT_LABELS,
        "suppression_rule": config.rule_text(), "fft_question": FFT_QUESTION,
        "nav": "governance", "section": "experience", "teams": teams})


@login_required
def results_all(request):
    viewer = _viewer(request)
    if not viewer.sees_all_teams:
        return redirect("experience-results-team", viewer.staff.team.code)
    return _results(request, viewer, governance.teams(), "All teams")


@login_required
def results_team(request, key: str):
    viewer = _viewer(request)
    team = next((t for t in governance.teams() if t.code == key), None)
    if team is None or not viewer.sees_team(team.pk):
        raise Http404("No such team")
    return _results(request, viewer, [team], team.name, team=team)
