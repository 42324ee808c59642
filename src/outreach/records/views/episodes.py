"""Referral, acceptance, transitions and discharge: register and refer, accept or decline
against the chapter 2 criteria, step up / step down / admission, discharge or transfer through
the guard with a printable decision record, a discharge proposed for the MDT, the annual
multi-agency review, and a change of key worker.

Every person is reached through records.selectors (the user's scope: another team's person is
404), every page that shows a person audits the read before rendering, and every write goes
through a service. A repeat of a handled form (same one-time key) redirects to where the
first one went.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.clinical.prefill import discharge_prefill
from outreach.core import discharge as discharge_rules
from outreach.core import eligibility
from outreach.records import selectors, services, services_episode
from outreach.records.forms_episode import (
    TRANSITIONS_FROM,
    AcceptForm,
    AnnualReviewForm,
    CarryOutForm,
    DeclineForm,
    KeyWorkerForm,
    ProposalDecisionForm,
    ProposalForm,
    RegisterForm,
    TransitionForm,
)
from outreach.records.models import EpisodeStatus
from outreach.records.views import rerefer
from outreach.teams.models import Role
from outreach.web.forms import add_errors, handled, repeated, save_form

SAVED = {
    "registered": "Registered and referred. Decide on the referral against the chapter 2 "
                  "criteria.",
    "accepted": "Accepted onto the caseload.",
    "transition": "The change has been recorded.",
    "proposed": "The discharge is proposed: it is on the MDT agenda with its decision record.",
    "not_agreed": "The MDT did not agree the end of care: the person stays with the team.",
    "agreed": "The MDT's agreement is recorded. The end of care can now be carried out.",
    "review": "The annual multi-agency review has been recorded.",
    "key_worker": "The key worker has been changed.",
    "rereferred": "Re-referred: a new episode is open. Decide on the referral, and review "
                  "what comes forward from the previous episode.",
}
KNOWN_CRITERIA = frozenset(c.value for c in eligibility.Criterion)
# Statuses from which a person can leave the team through the discharge guard; a referral
# not yet accepted is declined instead.
DISCHARGEABLE = (EpisodeStatus.ACCEPTED, EpisodeStatus.STEPPED_UP, EpisodeStatus.INPATIENT)


def _staff(request):
    staff = selectors.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        raise Http404("No caseload")
    return staff


def _scope(request, person_id: int):
    """The signed-in clinician, the person (if in their scope) and the open episode. Someone
    the team held before is read only (selectors.ReadOnlyRecord: a page that says so)."""
    staff = _staff(request)
    person = selectors.open_person_for(request.user, person_id)
    if person is None:
        raise Http404("Not on your caseload")
    return staff, person, selectors.current_episode(person)


def _read(request, person, what: str) -> None:
    audit_record(request=request, person_id=person.pk, action=AuditAction.VIEW, what=what)


def _overview(person, saved: str | None = None) -> str:
    url = reverse("episode", args=[person.pk])
    return f"{url}?saved={saved}" if saved else url




def _mdt_words(request, staff, person, outcome: str) -> str:
    """The MDT decision that opened this form (?mdt=<note>), its words carried onto it."""
    from outreach.meetings.services import carried_decision

    return carried_decision(team=staff.team, person=person, note_id=request.GET.get("mdt"),
                            outcome=outcome)


def _version(form) -> int:
    return form.cleaned_data.get("version") or 0


def _stale(form) -> None:
    form.add_error(None, services.STALE_EDIT)


@login_required
def register(request):
    """Register a person and open a referral to the team, with a key worker."""
    staff = _staff(request)
    if repeat := repeated(request):
        return repeat
    team_staff = selectors.team_clinicians(staff.team)
    if request.method == "POST":
        form = RegisterForm(request.POST, team_staff=team_staff)

        def save(data) -> str:
            person = services.person_create(
                by=staff, request=request, nhs_number=data["nhs_number"],
                given_name=data["given_name"], family_name=data["family_name"],
                date_of_birth=data["date_of_birth"], referral_date=data["referral_date"],
                referral_source=data["referral_source"],
                key_worker=next(s for s in team_staff if s.pk == data["key_worker"]),
            )
            return _overview(person, "registered")

        if saved := save_form(request, form, save):
            return saved
    else:
        form = RegisterForm(team_staff=team_staff, initial={
            "referral_date": selectors.today(), "key_worker": staff.pk})
    return render(request, "records/register.jinja", {
        "form": form, "nav": "caseload", "known": rerefer.known_on_register(request, form)})


@login_required
def episode_overview(request, person_id: int):
    """Where the person is in their care with the team, and what can change next; for someone
    the team held before, every episode read only, and after a re-referral what comes forward
    from the previous episode for review."""
    _staff(request)
    person = selectors.person_for(request.user, person_id, include_former=True)
    if person is None:
        raise Http404("Not on your caseload")
    _read(request, person, "episode page")
    history = rerefer.overview_context(request.user, person)
    episode = None if history["former"] else selectors.current_episode(person)
    today = selectors.today()
    context = {"person": person, "episode": episode, "nav": "caseload", **history,
               "saved": SAVED.get(request.GET.get("saved", "")),
               "dischargeable": DISCHARGEABLE, "transitions_from": TRANSITIONS_FROM}
    if episode is not None:
        context.update(
            key_worker=episode.key_workers.filter(end__isnull=True)
            .select_related("staff").first(),
            covers=episode.covers.filter(end__gte=today).select_related("staff")
            .order_by("start"),
            transitions=episode.transitions.select_related("recorded_by"),
            proposals=episode.proposals.select_related("proposed_by").order_by("-proposed_at"),
            reviews=episode.annual_reviews.select_related("recorded_by").order_by("-held_on"),
            criteria=[eligibility.DESCRIPTIONS[eligibility.Criterion(c)]
                      for c in episode.criteria if c in KNOWN_CRITERIA],
        )
    context["decisions"] = [
        e.discharge for e in person.episodes.filter(status=EpisodeStatus.DISCHARGED)
        .select_related("discharge").order_by("-discharged_date")
        if hasattr(e, "discharge")
    ]
    return render(request, "records/episode_overview.jinja", context)


def _referral_or_overview(person, episode):
    if episode is None or episode.status != EpisodeStatus.REFERRED:
        return redirect(_overview(person))
    return None


@login_required
def accept(request, person_id: int):
    """Accept a referral against the chapter 2 criteria (psychosis and at least one more)."""
    if repeat := repeated(request):
        return repeat
    staff, person, episode = _scope(request, person_id)
    if elsewhere := _referral_or_overview(person, episode):
        return elsewhere
    if request.method == "POST":
        form = AcceptForm(request.POST)

        def save(data) -> str:
            services.episode_accept(
                episode=episode, by=staff, request=request, expected_version=_version(form),
                assessment_date=data["assessment_date"], accepted_date=data["accepted_date"],
                criteria=data["criteria"], other_reason=data["other_reason"],
            )
            return _overview(person, "accepted")

        if saved := save_form(request, form, save):
            return saved
    else:
        form = AcceptForm(initial={"version": episode.version, "criteria": episode.criteria,
                                   "assessment_date": episode.assessment_date or selectors.today(),
                                   "accepted_date": selectors.today(),
                                   "other_reason": _mdt_words(request, staff, person, "accept")})
    _read(request, person, "accept referral form")
    return render(request, "records/episode_accept.jinja",
                  {"person": person, "episode": episode, "form": form, "nav": "caseload"})


@login_required
def decline(request, person_id: int):
    """Not accepted: the criteria found and the reasons, kept with the referral."""
    if repeat := repeated(request):
        return repeat
    staff, person, episode = _scope(request, person_id)
    if elsewhere := _referral_or_overview(person, episode):
        return elsewhere
    if request.method == "POST":
        form = DeclineForm(request.POST)

        def save(data) -> str:
            services_episode.episode_decline(
                episode=episode, by=staff, request=request, expected_version=_version(form),
                assessment_date=data["assessment_date"], decided_on=data["decided_on"],
                criteria=data["criteria"], reasons=data["reasons"],
            )
            # No longer on the team's list, so not in scope: a page that shows nothing
            # about them.
            return reverse("episode-declined")

        if saved := save_form(request, form, save):
            return saved
    else:
        form = DeclineForm(initial={"version": episode.version, "criteria": episode.criteria,
                                    "assessment_date": episode.assessment_date or selectors.today(),
                                    "decided_on": selectors.today(),
                                    "reasons": _mdt_words(request, staff, person, "decline")})
    _read(request, person, "decline referral form")
    return render(request, "records/episode_decline.jinja",
                  {"person": person, "episode": episode, "form": form, "nav": "caseload"})


@login_required
def declined(request):
    _staff(request)
    return render(request, "records/episode_declined.jinja", {"nav": "caseload"})


@login_required
def transition(request, person_id: int):
    """Step up, step down, admission and leaving hospital."""
    if repeat := repeated(request):
        return repeat
    staff, person, episode = _scope(request, person_id)
    if episode is None or episode.status not in TRANSITIONS_FROM:
        return redirect(_overview(person))
    if request.method == "POST":
        form = TransitionForm(request.POST, status=episode.status)

        def save(data) -> str:
            services.episode_transition(
                episode=episode, by=staff, request=request, expected_version=_version(form),
                kind=data["kind"], on=data["on"], note=data["note"],
            )
            return _overview(person, "transition")

        if saved := save_form(request, form, save):
            return saved
    else:
        form = TransitionForm(status=episode.status, initial={
            "version": episode.version, "on": selectors.today()})
    _read(request, person, "transition form")
    return render(request, "records/episode_transition.jinja",
                  {"person": person, "episode": episode, "form": form, "nav": "caseload"})


def _allowed_reason(value: str | None) -> str | None:
    allowed = {r.value for r in discharge_rules.ALLOWED_REASONS}
    return value if value in allowed else None


@login_required
def discharge(request, person_id: int):
    """No one discharges alone: every end of care is proposed for the MDT, agreed there with
    the consultant, then carried out. This address (linked from older pages and bookmarks)
    goes to the step the person is at."""
    _, person, episode = _scope(request, person_id)
    if episode is None or episode.status not in DISCHARGEABLE:
        return redirect(_overview(person))
    agreed = episode.proposals.filter(decided=services_episode.PROPOSAL_AGREED,
                                      carried_out__isnull=True).first()
    if agreed is not None:
        return redirect(reverse("proposal", args=[person.pk, agreed.pk]))
    url = reverse("proposal-new", args=[person.pk])
    reason = _allowed_reason(request.GET.get("reason"))
    return redirect(f"{url}?reason={reason}" if reason else url)


@login_required
def discharge_record(request, person_id: int, decision_id: int):
    """The decision record of a discharge, printable. The person has left the caseload, so it
    is found through the team rather than the caseload (same scope: your team's only)."""
    _staff(request)
    decision = selectors.team_discharge_decision(
        request.user, person_id=person_id, decision_id=decision_id)
    if decision is None:
        raise Http404("No such decision record")
    person = decision.episode.person
    _read(request, person, "discharge decision record")
    return render(request, "records/discharge_record.jinja", {
        "person": person, "decision": decision, "nav": "caseload",
        "reason_label": discharge_rules.LABELS.get(decision.reason, decision.reason),
    })


@login_required
def proposal_new(request, person_id: int):
    """Propose an end of care for the MDT, judged by the guard on the person's record. The
    relapse indicators and known risks start from the clinical record."""
    if repeat := repeated(request):
        return repeat
    staff, person, episode = _scope(request, person_id)
    if episode is None or episode.status not in DISCHARGEABLE:
        return redirect(_overview(person))
    waiting = (episode.proposals.filter(decided="").first()
               or episode.proposals.filter(decided=services_episode.PROPOSAL_AGREED,
                                           carried_out__isnull=True).first())
    found = services_episode.engagement_now(episode)
    if request.method == "POST":
        form = ProposalForm(request.POST)
        if form.is_valid():
            try:
                proposal = services_episode.discharge_propose(
                    episode=episode, by=staff, request=request, **form.record())
            except services.DischargeRefused as exc:
                add_errors(form, exc.problems)
            except services.ValidationFailed as exc:
                add_errors(form, exc.errors)
            else:
                return handled(request, form,
                               reverse("proposal", args=[person.pk, proposal.pk]) + "?saved=1")
        else:
            add_errors(form, form.guard_problems())
    else:
        prefill = discharge_prefill(person)
        form = ProposalForm(initial={
            "reason": _allowed_reason(request.GET.get("reason")),
            "rationale": _mdt_words(request, staff, person, "propose_discharge"),
            "relapse_indicators": prefill.relapse_indicators,
            "known_risks": prefill.known_risks,
        })
    _read(request, person, "discharge proposal form")
    return render(request, "records/proposal_form.jinja", {
        "person": person, "episode": episode, "form": form, "waiting": waiting,
        "evidence": found, "nav": "caseload"})


def _proposal(person, episode, proposal_id: int):
    proposal = None
    if episode is not None:
        proposal = (episode.proposals.select_related("proposed_by", "decided_by")
                    .filter(pk=proposal_id).first())
    if proposal is None:
        raise Http404("No such proposal")
    return proposal


def _proposal_page(request, staff, person, episode, proposal, *, decide=None, carry=None):
    if decide is None and proposal.decided == "":
        decide = ProposalDecisionForm(initial={"mdt_held_on": selectors.today()})
    carried = getattr(proposal, "carried_out", None)
    if carry is None and proposal.decided == services_episode.PROPOSAL_AGREED \
            and carried is None:
        carry = CarryOutForm(initial={"version": episode.version, "on": selectors.today()})
    _read(request, person, "discharge proposal")
    return render(request, "records/proposal_record.jinja", {
        "person": person, "episode": episode, "proposal": proposal,
        "form": decide if proposal.decided == "" else None,
        "carry": carry if carried is None else None, "carried": carried,
        "evidence": services_episode.engagement_now(episode),
        "is_consultant": staff.role == Role.CONSULTANT,
        "reason_label": discharge_rules.LABELS.get(proposal.reason, proposal.reason),
        "saved": SAVED.get(request.GET.get("saved", "")) or (
            request.GET.get("saved") and SAVED["proposed"]),
        "nav": "caseload",
    })


@login_required
def proposal_detail(request, person_id: int, proposal_id: int):
    """A proposal's decision record (printable); until decided, the MDT's decision (agreed
    only by the consultant); once agreed, carrying it out."""
    if repeat := repeated(request):
        return repeat
    staff, person, episode = _scope(request, person_id)
    proposal = _proposal(person, episode, proposal_id)
    if request.method != "POST":
        return _proposal_page(request, staff, person, episode, proposal)
    if proposal.decided != "":
        return redirect(reverse("proposal", args=[person.pk, proposal.pk]))
    form = ProposalDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_episode.proposal_decide(
                proposal=proposal, by=staff, request=request, decision=data["decision"],
                on=selectors.today(), note=data["note"], mdt_held_on=data["mdt_held_on"],
            )
        except services.ValidationFailed as exc:
            add_errors(form, exc.errors)
        except services.DischargeRefused as exc:
            add_errors(form, exc.problems)
        else:
            if data["decision"] == services_episode.PROPOSAL_AGREED:
                return handled(request, form, reverse(
                    "proposal", args=[person.pk, proposal.pk]) + "?saved=agreed")
            return handled(request, form, _overview(person, "not_agreed"))
    proposal.refresh_from_db()
    return _proposal_page(request, staff, person, episode, proposal, decide=form)


@login_required
def proposal_carry_out(request, person_id: int, proposal_id: int):
    """Carry out an end of care the MDT agreed: the guard judges the record once more."""
    if repeat := repeated(request):
        return repeat
    staff, person, episode = _scope(request, person_id)
    proposal = _proposal(person, episode, proposal_id)
    if request.method != "POST":
        return redirect(reverse("proposal", args=[person.pk, proposal.pk]))
    form = CarryOutForm(request.POST)
    if form.is_valid():
        try:
            decision = services_episode.proposal_carry_out(
                proposal=proposal, by=staff, request=request, on=form.cleaned_data["on"],
                expected_version=_version(form))
        except services.ValidationFailed as exc:
            add_errors(form, exc.errors)
        except services.DischargeRefused as exc:
            add_errors(form, exc.problems)
        except services.StaleEdit:
            _stale(form)
        else:
            return handled(request, form,
                           reverse("discharge-record", args=[person.pk, decision.pk]))
    return _proposal_page(request, staff, person, episode, proposal, carry=form)


@login_required
def annual_review_new(request, person_id: int):
    """The annual multi-agency review of someone open 11 months or more."""
    if repeat := repeated(request):
        return repeat
    staff, person, episode = _scope(request, person_id)
    if episode is None or episode.status not in DISCHARGEABLE:
        return redirect(_overview(person))
    if request.method == "POST":
        form = AnnualReviewForm(request.POST)

        def save(data) -> str:
            services_episode.annual_review_record(
                episode=episode, by=staff, request=request, held_on=data["held_on"],
                agencies=data["agencies"], outcome=data["outcome"])
            return _overview(person, "review")

        if saved := save_form(request, form, save):
            return saved
    else:
        form = AnnualReviewForm(initial={"held_on": selectors.today()})
    _read(request, person, "annual review form")
    return render(request, "records/annual_review_form.jinja",
                  {"person": person, "episode": episode, "form": form, "nav": "caseload"})


@login_required
def key_worker(request, person_id: int):
    """Hand the person to a new named key worker (there is always exactly one)."""
    if repeat := repeated(request):
        return repeat
    staff, person, episode = _scope(request, person_id)
    if episode is None:
        return redirect(_overview(person))
    current = episode.key_workers.filter(end__isnull=True).select_related("staff").first()
    team_staff = [s for s in selectors.team_clinicians(staff.team)
                  if current is None or s.pk != current.staff_id]
    if request.method == "POST":
        form = KeyWorkerForm(request.POST, team_staff=team_staff)

        def save(data) -> str:
            services.key_worker_assign(
                episode=episode, staff=next(s for s in team_staff if s.pk == data["staff"]),
                by=staff, request=request, start=data["start"])
            return _overview(person, "key_worker")

        if saved := save_form(request, form, save):
            return saved
    else:
        form = KeyWorkerForm(team_staff=team_staff, initial={"start": selectors.today()})
    _read(request, person, "key worker form")
    return render(request, "records/episode_key_worker.jinja", {
        "person": person, "episode": episode, "form": form, "current": current,
        "nav": "caseload"})
