"""The daily handover and weekly MDT agendas, generated from the record.

Each section is built with a fixed number of queries over the team's caseload (one caseload
query, then one query per kind of item), so a bigger caseload costs more rows, not more
queries. Items carry a stable key (e.g. "overdue:123") so that "discussed", decisions and
actions attach to them across page loads.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, Q

from outreach.clinical import selectors as clinical
from outreach.core import depots
from outreach.core.engagement import ACTIONS, EngagementState
from outreach.core.redflags import LABELS as FLAG_LABELS
from outreach.meetings.models import Action, ItemNote, Meeting, MeetingKind, Outcome
from outreach.records import selectors
from outreach.records.engagement import days_since_seen
from outreach.records.models import (
    Contact,
    ContactOutcome,
    CoverAssignment,
    DischargeProposal,
    Episode,
    EpisodeStatus,
    PlannedVisit,
    Transition,
    VisitStatus,
)
from outreach.teams import selectors as team_selectors
from outreach.teams.models import Absence

LOOKAHEAD_DAYS = 7
ANNUAL_REVIEW_AFTER_DAYS = 335  # open 11 months or more (004)
ATTENTION_STATES = (EngagementState.OVERDUE, EngagementState.LOST_CONTACT,
                    EngagementState.ESCALATED)
MISSED_OUTCOMES = (ContactOutcome.DID_NOT_ATTEND, ContactOutcome.NO_ACCESS,
                   ContactOutcome.CANCELLED_BY_PERSON)


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    detail: str = ""
    person_id: int | None = None
    urgent: bool = False


@dataclass
class Section:
    key: str
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Agenda:
    kind: str
    date: date
    sections: list[Section]
    notes: dict[str, ItemNote]
    actions: list[Action]
    # MDT decisions (of any day) that open a step not yet done: an accept or decline of a
    # referral still waiting, a proposal still undecided, a discharge not yet proposed.
    pending: dict[str, ItemNote] = field(default_factory=dict)

    @property
    def person_ids(self) -> set[int]:
        ids = {i.person_id for s in self.sections for i in s.items if i.person_id}
        return ids | {a.person_id for a in self.actions if a.person_id}


class _Caseload:
    """The team caseload rows (with engagement) and each person's current flags."""

    def __init__(self, user, today: date):
        self.rows = {r.pk: r for r in selectors.caseload(user, on=today)}
        engagement = {pk: (r.engagement_state, r.last_successful_contact)
                      for pk, r in self.rows.items()}
        self.flags = clinical.flags_for_people(list(self.rows), today=today,
                                               engagement=engagement)

    def name(self, pk: int) -> str:
        return self.rows[pk].display_name


def _engagement_section(case: _Caseload, today: date) -> Section:
    section = Section("engagement", "Overdue, lost contact or escalated",
                      "Everyone has been seen within their target.")
    rows = [r for r in case.rows.values() if r.engagement_state in ATTENTION_STATES]
    for r in sorted(rows, key=lambda r: r.anchor_date or today):
        state = EngagementState(r.engagement_state)
        days = days_since_seen(r, today)
        section.items.append(Item(
            key=f"engagement:{r.pk}", person_id=r.pk,
            title=f"{r.display_name}: {state.value.replace('_', ' ')}, {days} days since seen",
            detail=f"Key worker {r.key_worker_name or 'NONE'}. {ACTIONS[state]}",
            urgent=state != EngagementState.OVERDUE,
        ))
    return section


def _flag_section(case: _Caseload, *, since: date | None, title: str) -> Section:
    section = Section("flags", title, "No red flags." if since is None else "No new red flags.")
    for pk, flags in case.flags.items():
        for flag in flags:
            if since is not None and (flag.since is None or flag.since < since):
                continue
            section.items.append(Item(
                key=f"flag:{pk}:{flag.source}", person_id=pk, urgent=True,
                title=f"{case.name(pk)}: {FLAG_LABELS[flag.kind]}",
                detail=f"{flag.reason} {flag.clears_when}",
            ))
    return section


def _in_hospital_or_crisis(case: _Caseload) -> Section:
    section = Section("crisis", "Inpatients and people in crisis",
                      "Nobody is in hospital or stepped up.")
    for r in case.rows.values():
        if r.episode_status in (EpisodeStatus.INPATIENT, EpisodeStatus.STEPPED_UP):
            label = "in hospital (keep in-reach contact)" \
                if r.episode_status == EpisodeStatus.INPATIENT else "stepped up"
            section.items.append(Item(key=f"crisis:{r.pk}", person_id=r.pk,
                                      title=f"{r.display_name}: {label}"))
    return section


def _visits_today(case: _Caseload, today: date) -> Section:
    section = Section("visits", "Today's planned visits", "No visits planned for today.")
    visits = (PlannedVisit.objects.filter(person_id__in=list(case.rows), date=today,
                                          status=VisitStatus.PLANNED)
              .select_related("staff", "second_staff").order_by("staff__name", "time"))
    for v in visits:
        who = v.staff.name + (f" with {v.second_staff.name}" if v.second_staff else "")
        when = v.time.strftime("%H:%M") if v.time else "any time"
        section.items.append(Item(
            key=f"visit:{v.pk}", person_id=v.person_id,
            title=f"{who}: {case.name(v.person_id)} at {when}",
            detail=f"{v.get_place_display()}. {v.purpose}".strip(),
        ))
    return section


def _outcomes_since(case: _Caseload, since: date, today: date) -> Section:
    section = Section("outcomes", f"Missed contacts since {since:%A %-d %B}",
                      "No missed contacts.")
    contacts = (Contact.objects.filter(person_id__in=list(case.rows), date__gte=since,
                                       date__lt=today, outcome__in=MISSED_OUTCOMES)
                .select_related("staff"))
    for c in contacts:
        section.items.append(Item(
            key=f"outcome:{c.pk}", person_id=c.person_id,
            title=f"{case.name(c.person_id)}: {c.get_outcome_display().lower()} on {c.date:%a}",
            detail=f"{c.staff.name}. {c.note}".strip(),
        ))
    return section


def _last_site(site: str) -> str:
    """Where the last dose went, so that whoever gives the next one rotates the site."""
    return f". Last given in the {depots.site_label(site)}." if site else ""


def _deadlines(case: _Caseload, today: date) -> Section:
    section = Section("deadlines", f"Depots and legal deadlines in the next {LOOKAHEAD_DAYS} days",
                      "Nothing due.")
    end = today + timedelta(days=LOOKAHEAD_DAYS)
    ids = list(case.rows)
    for d in clinical.depots_due(ids, start=today, end=end):
        when = f"overdue since {d.due_on:%-d %b}" if d.overdue else f"due {d.due_on:%a %-d %b}"
        section.items.append(Item(key=f"depot:{d.depot_id}:{d.due_on}", person_id=d.person_id,
                                  title=f"{case.name(d.person_id)}: depot {when}",
                                  detail=f"{d.medicine} {d.dose}{_last_site(d.last_site)}",
                                  urgent=d.overdue))
    for d in clinical.legal_deadlines_due(ids, start=today, end=end, today=today):
        overdue = d.due_on < today
        when = f"overdue since {d.due_on:%-d %b}" if overdue else f"due {d.due_on:%a %-d %b}"
        section.items.append(Item(key=f"legal:{d.kind}:{d.entry_id}", person_id=d.person_id,
                                  title=f"{case.name(d.person_id)}: {d.label} {when}",
                                  detail=d.description, urgent=overdue))
    return section


def _staff_away(team, case: _Caseload, today: date) -> Section:
    section = Section("cover", "Staff away today and who covers", "Everyone is in today.")
    for a in Absence.objects.filter(staff__team=team, start__lte=today, end__gte=today) \
            .select_related("staff"):
        section.items.append(Item(key=f"away:{a.pk}",
                                  title=f"{a.staff.name}: {a.get_kind_display().lower()}",
                                  detail=f"Back {a.end + timedelta(days=1):%a %-d %b}"))
    covers = CoverAssignment.objects.filter(
        episode__person_id__in=list(case.rows), start__lte=today, end__gte=today
    ).select_related("staff", "episode")
    for c in covers:
        pid = c.episode.person_id
        section.items.append(Item(key=f"cover:{c.pk}", person_id=pid,
                                  title=f"{c.staff.name} covers {case.name(pid)}",
                                  detail=f"Until {c.end:%a %-d %b}"))
    for gap in team_selectors.cover_gaps(team, start=today, end=today):
        section.items.append(Item(
            key=f"gap:{gap.episode.pk}", person_id=gap.episode.person_id, urgent=True,
            title=f"NO COVER: {gap.episode.person.display_name}",
            detail=f"Key worker {gap.key_worker.name} is away. Assign cover today.",
        ))
    return section


def _referrals(case: _Caseload, today: date) -> Section:
    section = Section("referrals", "New referrals to accept or not", "No referrals waiting.")
    for r in case.rows.values():
        if r.episode_status == EpisodeStatus.REFERRED:
            section.items.append(Item(
                key=f"referral:{r.episode_id}", person_id=r.pk,
                title=f"{r.display_name}: referred {r.episode_start:%-d %b %Y}",
                detail=f"Waiting {(today - r.episode_start).days} days. "
                       "Decide against the chapter 2 criteria.",
            ))
    return section


def _stepped_or_admitted(case: _Caseload, today: date) -> Section:
    section = Section("transitions", "Stepped up, admitted or changed this week",
                      "No step-ups or admissions this week.")
    recent = Transition.objects.filter(
        episode__person_id__in=list(case.rows), date__gte=today - timedelta(days=7)
    ).select_related("episode")
    for t in recent:
        pid = t.episode.person_id
        section.items.append(Item(key=f"transition:{t.pk}", person_id=pid,
                                  title=f"{case.name(pid)}: {t.get_kind_display()}",
                                  detail=f"{t.date:%a %-d %b}. {t.note}".strip()))
    return section


def _proposals(case: _Caseload) -> Section:
    section = Section("proposals", "Proposed discharges and transfers",
                      "No discharges or transfers proposed.")
    proposals = DischargeProposal.objects.filter(
        episode__person_id__in=list(case.rows), decided=""
    ).select_related("episode", "proposed_by")
    for p in proposals:
        pid = p.episode.person_id
        section.items.append(Item(
            key=f"proposal:{p.pk}", person_id=pid,
            title=f"{case.name(pid)}: {p.reason.replace('_', ' ')} proposed by "
                  f"{p.proposed_by.name}",
            detail=f"Rationale: {p.rationale} Relapse indicators: {p.relapse_indicators} "
                   f"Known risks: {p.known_risks} Route back in: {p.route_back_in} "
                   f"Shared with: {', '.join(p.shared_with)}",
        ))
    return section


def _annual_reviews(case: _Caseload, today: date) -> Section:
    section = Section("annual", "Annual multi-agency reviews due",
                      "No annual reviews due.")
    open_long = Episode.objects.filter(
        person_id__in=list(case.rows), status__in=selectors.OPEN_STATUSES,
        accepted_date__lte=today - timedelta(days=ANNUAL_REVIEW_AFTER_DAYS),
    ).annotate(last_review=Max("annual_reviews__held_on"))
    for e in open_long:
        if e.last_review and e.last_review > today - timedelta(days=365):
            continue
        months = (today - e.accepted_date).days // 30
        last = f"last review {e.last_review:%-d %b %Y}" if e.last_review else "never reviewed"
        section.items.append(Item(key=f"annual:{e.pk}", person_id=e.person_id,
                                  title=f"{case.name(e.person_id)}: open {months} months",
                                  detail=f"Annual multi-agency review due ({last})."))
    return section


REVIEWS = (
    ("care_plan", "care plan review overdue", clinical.care_plans_overdue),
    ("safety_plan", "crisis plan review overdue", clinical.safety_plans_overdue),
    ("risk", "risk formulation review overdue", clinical.risk_reviews_overdue),
    ("physical_health", "annual physical health check overdue",
     clinical.physical_health_overdue),
)


def _overdue_reviews(case: _Caseload, today: date) -> Section:
    section = Section("reviews", "Care plans and reviews overdue", "Nothing overdue.")
    ids = list(case.rows)
    for kind, label, source in REVIEWS:
        for due in source(ids, today=today):
            since = f"due {due.due_on:%-d %b %Y}" if due.due_on else "none recorded"
            section.items.append(Item(key=f"review:{kind}:{due.person_id}",
                                      person_id=due.person_id,
                                      title=f"{case.name(due.person_id)}: {label}",
                                      detail=f"{since.capitalize()}."))
    return section


def _open_actions(team, case: _Caseload, today: date) -> list[Action]:
    return list(
        Action.objects.filter(team=team, done_on__isnull=True)
        .filter(Q(person__isnull=True) | Q(person_id__in=list(case.rows)))
        .select_related("owner", "person").order_by("due", "id")
    )


def _since_last(team, kind: str, today: date) -> date:
    last = Meeting.objects.filter(team=team, kind=kind, date__lt=today).aggregate(d=Max("date"))
    return last["d"] or today - timedelta(days=1)


STEPS = (Outcome.ACCEPT, Outcome.DECLINE, Outcome.DECIDE_PROPOSAL, Outcome.PROPOSE_DISCHARGE)


def _pending(team, kind, sections) -> dict[str, ItemNote]:
    """The latest decision on each item still on the agenda, where that decision opens a step
    (meetings.services.STEP_OUTCOMES). A referral or proposal leaves the agenda once its step
    is done, so while its item is here the decision is not carried out; a proposed discharge
    is carried out once a proposal was made for the person after the decision."""
    keys = [i.key for s in sections for i in s.items]
    latest: dict[str, ItemNote] = {}
    for n in (ItemNote.objects.filter(meeting__team=team, meeting__kind=kind,
                                      item_key__in=keys)
              .select_related("meeting").order_by("meeting__date", "recorded_at")):
        latest[n.item_key] = n
    pending = {k: n for k, n in latest.items() if n.outcome in STEPS}
    proposing = [n for n in pending.values() if n.outcome == Outcome.PROPOSE_DISCHARGE]
    if proposing:
        proposed = list(DischargeProposal.objects.filter(
            episode__person_id__in=[n.person_id for n in proposing]
        ).values_list("episode__person_id", "proposed_at"))
        for n in proposing:
            if any(pid == n.person_id and at >= n.recorded_at for pid, at in proposed):
                del pending[n.item_key]
    return pending


def _finish(kind, team, case, today, sections) -> Agenda:
    meeting = Meeting.objects.filter(team=team, kind=kind, date=today).first()
    notes = {n.item_key: n for n in meeting.notes.all()} if meeting else {}
    actions = _open_actions(team, case, today)
    pending = _pending(team, kind, sections) if kind == MeetingKind.MDT else {}
    return Agenda(kind=kind, date=today, sections=sections, notes=notes, actions=actions,
                  pending=pending)


def handover(user, *, team, today: date) -> Agenda:
    case = _Caseload(user, today)
    since = _since_last(team, MeetingKind.HANDOVER, today)
    return _finish(MeetingKind.HANDOVER, team, case, today, [
        _flag_section(case, since=since, title="New red flags since the last handover"),
        _engagement_section(case, today),
        _outcomes_since(case, since, today),
        _visits_today(case, today),
        _in_hospital_or_crisis(case),
        _deadlines(case, today),
        _staff_away(team, case, today),
    ])


def mdt(user, *, team, today: date) -> Agenda:
    case = _Caseload(user, today)
    return _finish(MeetingKind.MDT, team, case, today, [
        _referrals(case, today),
        _engagement_section(case, today),
        _flag_section(case, since=None, title="Red flags"),
        _stepped_or_admitted(case, today),
        _proposals(case),
        _annual_reviews(case, today),
        _overdue_reviews(case, today),
    ])
