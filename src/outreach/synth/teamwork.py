"""The team's work around the synthetic record (docs/synthetic-data.md, "The team's work"):
visits planned for the next 7 days, annual multi-agency reviews, discharge proposals for
the MDT, and the past daily handovers and weekly MDTs with their item notes and actions.

Pure Python like generator.py. Runs after clinical.py (it reads what each person's record
says: depot due dates, care plan reviews, two staff on visits...) and draws from its own
streams, `default_rng([seed, 12, part])`.

Item keys (`ItemNote.item_key`, `Action.item_key`) are the agenda's own keys
(outreach.meetings.agenda): "engagement:<person id>", "crisis:<person id>",
"review:care_plan:<person id>", "annual:<episode id>". They hold generator ids: the loader
shifts the id after the last colon with the other ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

import numpy as np

from outreach.core.discharge import DischargeReason
from outreach.synth.clinical import (
    HOUSING_LOSS,
    CasePerson,
    ClinicalRecord,
    World,
    _count,
    _one,
    _weighted,
    people_on_caseload,
)
from outreach.synth.generator import (
    ACCEPTED,
    CONSULTANT,
    DEDICATED_FUNCTION,
    DISCHARGED,
    ENDED_AS,
    INPATIENT,
    KNOWN_RISKS,
    MANAGER,
    NURSE,
    OPEN_STATUSES,
    PRACTITIONER,
    REFERRED,
    RELAPSE_INDICATORS,
    ROUTE_BACK_IN,
    STEPPED_UP,
    CarerRow,
    DischargeRow,
    _at,
    _d,
    _handover,
    _hm,
    _Plan,
    _Staff,
)

HANDOVER, MDT = "handover", "mdt"
PLANNED = "planned"
VISIT_PLACES = ("home", "public_place", "clinic")  # in the order of _Plan.places
LOOKAHEAD = 7  # planned visits for today and the next 6 days
SLOT_MINUTES = 75  # a worker's booked visits are this far apart (a visit and the travel)
HANDOVER_DAYS, MDT_WEEKS = 28, 8  # meetings generated back from yesterday


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedVisitRow:
    id: int
    person_id: int
    episode_id: int
    staff_id: int
    second_staff_id: int | None
    date: date
    time: time | None
    place: str
    purpose: str
    status: str
    version: int
    recorded_by_id: int | None
    recorded_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class AnnualReviewRow:
    id: int
    episode_id: int
    held_on: date
    agencies: str
    outcome: str
    recorded_by_id: int
    recorded_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class DischargeProposalRow:
    id: int
    episode_id: int
    reason: str
    rationale: str
    relapse_indicators: str
    known_risks: str
    route_back_in: str
    shared_with: tuple[str, ...]
    proposed_by_id: int
    proposed_at: datetime
    decided: str
    receiving_team: str = ""
    accepted_by: str = ""
    accepted_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingRow:
    id: int
    team_id: int
    kind: str
    date: date
    opened_by_id: int
    opened_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemNoteRow:
    id: int
    meeting_id: int
    item_key: str
    person_id: int | None
    discussed: bool
    decision: str
    recorded_by_id: int
    recorded_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionRow:
    id: int
    team_id: int
    person_id: int | None
    description: str
    owner_id: int
    due: date
    meeting_id: int | None
    item_key: str
    created_by_id: int
    created_at: datetime
    done_on: date | None
    done_by_id: int | None
    version: int = 1


TABLES: tuple[str, ...] = ("planned_visits", "annual_reviews", "discharge_proposals",
                           "meetings", "item_notes", "actions")


@dataclass
class TeamWork:
    planned_visits: list[PlannedVisitRow] = field(default_factory=list)
    annual_reviews: list[AnnualReviewRow] = field(default_factory=list)
    discharge_proposals: list[DischargeProposalRow] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    item_notes: list[ItemNoteRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Distributions and text (docs/synthetic-data.md, "The team's work")

EXTRA_VISIT = 0.15  # a third visit this week
TWO_WORKER_VISIT = 0.03  # a second worker without a standing two-staff rule
ASSESSMENT_PLANNED = 0.6  # referrals with their assessment visit booked this week
ANNUAL_REVIEW_DUE = 0.05  # open 11 months or more and no review in the last year
PROPOSED, NOT_AGREED = 0.02, 0.01  # of accepted people: awaiting the MDT; turned down
PROPOSAL_REASONS = ((DischargeReason.STEP_DOWN, 0.6), (DischargeReason.TRANSFER_OUT, 0.2),
                    (DischargeReason.MOVED_AWAY, 0.2))
ACTION_FROM_NOTE = 0.5
ACTION_DONE_WHEN_DUE, ACTION_DONE_EARLY = 0.96, 0.2
NOTES_PER_HANDOVER, NOTES_PER_MDT = 6, 10

ROUTINE_PURPOSES = (
    "Weekly visit", "Visit and coffee at the usual café", "Go shopping together",
    "Walk in the park", "Benefits appointment at the job centre", "Check-in visit",
    "Crisis plan review", "Allotment group together", "Help with letters and bills",
)
PROPOSAL_TEXT = {
    DischargeReason.STEP_DOWN: (
        "Stable for over two years and engaging well with weekly contact; wants less "
        "intensive support. Propose stepping down to the CMHT with a named care coordinator, "
        "after a joint visit."),
    DischargeReason.TRANSFER_OUT: (
        "Moving to a supported tenancy in another trust's area next month. Propose transfer "
        "to that area's assertive outreach team after a joint handover visit."),
    DischargeReason.MOVED_AWAY: (
        "Has moved to live with family in another part of the country; the local team there "
        "has agreed to take the referral with the full history."),
}
AGENCIES = ("GP", "housing officer", "probation officer", "carer", "drug and alcohol worker",
            "social worker", "pharmacist")
REVIEW_OUTCOMES = (
    "Continue with assertive outreach: still needs intensive support to stay well at home. "
    "Focus on housing and physical health this year.",
    "Continue; consider stepping down next year if stable. GP to lead on the diabetes review.",
    "Continue with AO; probation and the team to share the crisis plan. Employment referral.",
    "Continue; the family want more involvement: carers' assessment offered.",
)
DECISIONS = {
    "engagement": ("Try the café and the day centre tomorrow; phone the family.",
                   "Joint visit with the consultant on Friday; welfare check if no contact by "
                   "Monday.",
                   "Phone the GP and the pharmacy; visit at a different time of day."),
    "crisis": ("In-reach visit planned; ward round on Thursday.",
               "Daily visits continue; review at the MDT.",
               "Discharge planning meeting booked; check the flat before leave."),
    "review": ("DIALOG+ review booked with the person next week.",
               "Review done at the visit; the new plan to be entered."),
    "annual": ("Annual review booked; invite the GP, housing and the family.",),
}
ACTIONS = {
    "engagement": ("Visit at the café and the day centre; phone the family",
                   "Ask for a police welfare check if not seen by Monday",
                   "Phone the GP and the pharmacy"),
    "crisis": ("Book the discharge planning meeting with the ward",
               "Check the flat and the tenancy before leave"),
    "review": ("Book the DIALOG+ review with the person",),
    "annual": ("Send the invitations for the annual review",),
}
TEAM_ACTIONS = ("Update the weekend rota", "Book the team's breakaway training",
                "Check that every crisis plan has been shared with the GP",
                "Arrange cover for the bank holiday")


def _iso(day: int) -> int:
    return (day - 1) % 7 + 1


# ---------------------------------------------------------------------------------------
# Generation


def generate_teamwork(world: World, record: ClinicalRecord, plans: list[_Plan],
                      carers: list[CarerRow], kw: dict, covers: list,
                      discharges: list[DischargeRow]) -> TeamWork:
    work = TeamWork()
    people = _everyone_open(world, record, plans, carers, kw, covers)
    _planned_visits(world, people, work)
    _space_out(world, work)
    _annual_reviews(world, record, work)
    _proposals(world, record, plans, kw, discharges, work)
    _meetings(world, record, plans, kw, work)
    return work


def _everyone_open(world: World, record: ClinicalRecord, plans: list[_Plan],
                   carers: list[CarerRow], kw: dict, covers: list) -> list[CasePerson]:
    """Everyone with an open episode: the caseload, with their records, and the referrals
    awaiting assessment (who have no clinical record yet)."""
    referred = {p.pid: p for p in people_on_caseload(plans, world.teams, carers, kw, covers,
                                                     frozenset({REFERRED}))}
    return [record.people.get(p.person_id) or referred[p.person_id]
            for p in plans if p.status in OPEN_STATUSES]


def _visitor(world: World, p: CasePerson, day: int, rng, disciplines=()) -> int | None:
    """Who visits: the cover, else the key worker, if at work that day; else a colleague at
    work, of the same discipline first (or of the disciplines asked for)."""
    preferred = world.by_id[p.worker(day)]
    if world.at_work(preferred, day) and (not disciplines or preferred.discipline in
                                          disciplines):
        return preferred.id
    team = [s for s in world.team_staff[p.team.id]
            if s.role in (PRACTITIONER, CONSULTANT) and world.at_work(s, day)]
    if disciplines:
        team = [s for s in team if s.discipline in disciplines] or team
    if not team:
        return None
    order = rng.permutation(len(team)).tolist()
    team = [team[i] for i in order]
    team.sort(key=lambda s: s.discipline != preferred.discipline)
    return team[0].id


def _slot(s: _Staff, rng) -> time:
    start, end = s.shift
    slots = max(1, (end - start - 120) // 15)
    return _hm(start + 30 + 15 * int(rng.integers(0, slots)))


def _planned_visits(world: World, people: list[CasePerson], work: TeamWork) -> None:
    """About two visits a person in the coming week (the weekly target, 15% a third), spread
    through the week; daily when stepped up; one in-reach visit on the ward; the assessment
    visit for most referrals. A depot due this week is given at one of them, by a nurse."""
    rng = np.random.default_rng([world.seed, 12, 1])
    t0 = world.t0
    for p in people:
        plan = p.plan
        weekdays_only = p.team.service_type == DEDICATED_FUNCTION
        days = [d for d in range(t0, t0 + LOOKAHEAD) if not (weekdays_only and _iso(d) > 5)]
        if p.two_staff:  # only on days when two can go
            days = [d for d in days if sum(
                1 for s in world.team_staff[p.team.id]
                if s.role in (PRACTITIONER, CONSULTANT) and world.at_work(s, d)) >= 2] or days
        purposes: dict[int, str] = {}
        place = None
        if plan.status == REFERRED:
            if plan.assessment is not None or rng.random() >= ASSESSMENT_PLANNED:
                continue
            chosen = [_one(rng, days)]
            purposes[chosen[0]] = "Assessment visit"
            place = _one(rng, ("home", "clinic"))
        elif plan.status == INPATIENT:
            chosen = [_one(rng, days)]
            purposes[chosen[0]] = "In-reach visit on the ward"
            place = "ward"
        elif plan.status == STEPPED_UP:
            chosen = days
            purposes = {d: "Daily visit while stepped up: mental state and medication"
                        for d in days}
        else:
            n = (plan.weekly_target or 2) + int(rng.random() < EXTRA_VISIT)
            step = len(days) / n
            first = rng.uniform(0, step)
            chosen = sorted({days[min(len(days) - 1, int(first + k * step))] for k in range(n)})
        depot_day = None
        if p.depot is not None and p.depot[2] < t0 + LOOKAHEAD and plan.status != INPATIENT:
            due = max(p.depot[2], t0)
            depot_day = min((d for d in days if d >= due), default=days[-1])
            if depot_day not in chosen:
                nearest = min(chosen, key=lambda d: (abs(d - depot_day), d))
                chosen = sorted({*chosen, depot_day} - {nearest})
            purposes[depot_day] = f"Depot: {p.depot[0]} {p.depot[1]}"
        if plan.status == ACCEPTED:
            _accepted_purposes(p, chosen, purposes, rng, t0)
        for day in chosen:
            nurse = day == depot_day
            staff = _visitor(world, p, day, rng, (NURSE,) if nurse else ())
            if staff is None:
                continue
            second = None
            if p.two_staff or rng.random() < TWO_WORKER_VISIT:
                others = [s for s in world.team_staff[p.team.id] if s.id != staff
                          and s.role in (PRACTITIONER, CONSULTANT) and world.at_work(s, day)]
                if others:
                    second = others[int(rng.integers(len(others)))].id
                elif p.two_staff:
                    continue  # never alone with someone whose visits need two staff
            where = place or VISIT_PLACES[int(rng.choice(3, p=plan.places))]
            planned_on = t0 - int(rng.integers(1, 8))
            work.planned_visits.append(PlannedVisitRow(
                id=len(work.planned_visits) + 1, person_id=plan.person_id,
                episode_id=plan.episode_id, staff_id=staff, second_staff_id=second,
                date=_d(day), time=_slot(world.by_id[staff], rng), place=where,
                purpose=purposes.get(day) or _one(rng, ROUTINE_PURPOSES), status=PLANNED,
                version=1, recorded_by_id=staff,
                recorded_at=_at(planned_on, 16 * 60 + int(rng.integers(0, 90))),
            ))


def _slots(s: _Staff) -> list[int]:
    """The times a worker would book visits at: 75 minutes apart (a 45-minute visit and the
    travel), the one nearest 12:30 left for lunch when there are four or more."""
    start, end = s.shift
    slots = list(range(start + 30, end - 75 + 1, SLOT_MINUTES))
    if len(slots) >= 4:
        slots.remove(min(slots, key=lambda t: abs(t - 750)))
    return slots


def _space_out(world: World, work: TeamWork) -> None:
    """Book each worker's visits of a day at distinct times, as a team does at handover.

    Visits drawn at random times keep their order. One whose worker has no slot left moves
    to the nearest other day of the week the person has no visit on and the worker has a
    slot (a depot keeps its day), else to the least booked colleague at work with one (a
    nurse for a depot); both workers of a pair must be free. A visit nobody has room for
    keeps no time (the planner reports it). Weekends are thinly staffed, so that is where
    most moves come from.
    """
    booked: dict[tuple[int, date], list[int]] = {}
    seen = {(v.person_id, v.date) for v in work.planned_visits}
    week = sorted({v.date for v in work.planned_visits})

    def slot(staff: int, second: int | None, day: date) -> int | None:
        who = [staff] + ([second] if second is not None else [])
        if not all(world.at_work(world.by_id[w], day.toordinal()) for w in who):
            return None
        busy = [x for w in who for x in booked.get((w, day), ())]
        return next((t for t in _slots(world.by_id[staff])
                     if all(abs(t - x) >= SLOT_MINUTES for x in busy)), None)

    def colleagues(v: PlannedVisitRow, day: date) -> list[int]:
        me = world.by_id[v.staff_id]
        return sorted(
            (s.id for s in world.team_staff[me.team_id]
             if s.id not in (v.staff_id, v.second_staff_id)
             and s.role in (PRACTITIONER, CONSULTANT)
             and (s.discipline == NURSE or not v.purpose.startswith("Depot"))),
            key=lambda s: (len(booked.get((s, day), ())), s))

    def book(v: PlannedVisitRow, days: list[date]) -> tuple[date, int, int] | None:
        # The same worker on another day before a colleague: continuity first.
        for day in days:
            if (at := slot(v.staff_id, v.second_staff_id, day)) is not None:
                return day, v.staff_id, at
        for day in days:
            for staff in colleagues(v, day):
                if (at := slot(staff, v.second_staff_id, day)) is not None:
                    return day, staff, at
        return None

    spaced = {}
    for v in sorted(work.planned_visits, key=lambda v: (v.date, v.staff_id, v.time or time(0))):
        days = [v.date]
        if not v.purpose.startswith("Depot"):
            days += sorted((d for d in week if (v.person_id, d) not in seen),
                           key=lambda d: (abs((d - v.date).days), d))
        found = book(v, days)
        if found is None:
            spaced[v.id] = replace(v, time=None)
            continue
        day, staff, at = found
        seen.discard((v.person_id, v.date))
        seen.add((v.person_id, day))
        for w in filter(None, (staff, v.second_staff_id)):
            booked.setdefault((w, day), []).append(at)
        spaced[v.id] = replace(v, staff_id=staff, date=day, time=_hm(at))
    work.planned_visits[:] = [spaced[v.id] for v in work.planned_visits]


def _accepted_purposes(p: CasePerson, chosen: list[int], purposes: dict[int, str], rng,
                       t0: int) -> None:
    free = [d for d in chosen if d not in purposes]
    last_drift = p.plan.disengaged[-1] if p.plan.disengaged else None
    if last_drift is not None and last_drift[1] >= t0 - 1:
        since = last_drift[0] - 1
        for d in free:
            purposes[d] = (f"Try to see: not seen since {_d(since):%-d %b}; try the usual "
                           "places and ask the family")
        return
    if free and p.care_plan_reviews and p.care_plan_reviews[-1][1] <= t0 + 14:
        purposes[free.pop(0)] = "DIALOG+ care plan review"
    if free and p.physical_due is not None and p.physical_due <= t0 + LOOKAHEAD:
        purposes[free.pop(0)] = "Annual physical health check: bloods and blood pressure"


def _annual_reviews(world: World, record: ClinicalRecord, work: TeamWork) -> None:
    """A multi-agency review once someone has been open 11 months, then yearly (004); a few
    are due now (no review in the last year)."""
    rng = np.random.default_rng([world.seed, 12, 2])
    t0 = world.t0
    for p in record.people.values():
        accepted = p.plan.accepted
        if t0 - accepted < 335:
            continue
        held = []
        day = accepted + int(rng.integers(335, 366))
        while day < t0:
            held.append(day)
            day += int(rng.integers(350, 381))
        if rng.random() < ANNUAL_REVIEW_DUE:
            held = [d for d in held if d <= t0 - 366]
        for day in held:
            if day < world.window_start:
                continue
            agencies = rng.choice(len(AGENCIES), size=int(rng.integers(2, 4)), replace=False)
            who = world.consultant_at(p.team.id, day) or p.worker(day)
            work.annual_reviews.append(AnnualReviewRow(
                id=len(work.annual_reviews) + 1, episode_id=p.episode, held_on=_d(day),
                agencies="The person, key worker, consultant, " + ", ".join(
                    AGENCIES[i] for i in sorted(agencies.tolist())),
                outcome=_one(rng, REVIEW_OUTCOMES), recorded_by_id=who,
                recorded_at=_at(day, 16 * 60 + int(rng.integers(0, 90))),
            ))


def _shared_with(p_carers: list[CarerRow], reason: str) -> tuple[str, ...]:
    shared = ["the person", "GP"]
    if any(c.consent_to_share for c in p_carers):
        shared.append("carer")
    if reason == DischargeReason.STEP_DOWN:
        shared.append("CMHT care coordinator")
    return tuple(shared)


def _stable(p: CasePerson, t0: int) -> bool:
    """Nothing on the record that would make a discharge proposal implausible now."""
    drifting = p.plan.disengaged and p.plan.disengaged[-1][1] >= t0 - 60
    return (p.plan.status == ACCEPTED and t0 - p.plan.accepted >= 2 * 365 and not drifting
            and not (p.cto or p.mappa or p.marac or p.depot_problem or p.medication_stopped
                     or p.open_observation or p.open_concern or p.police_recent
                     or p.housing in HOUSING_LOSS or p.two_staff)
            and not any(b is None or b >= t0 - 365 for _, _, b in p.plan.events))


def _proposals(world: World, record: ClinicalRecord, plans: list[_Plan], kw: dict,
               discharges: list[DischargeRow], work: TeamWork) -> None:
    """Discharge and transfer proposals, each with a full decision record (design rule 1):
    a few awaiting the MDT (at least two on the demo team), some turned down in the past,
    and the agreed proposal behind each planned discharge in the history."""
    rng = np.random.default_rng([world.seed, 12, 3])
    t0 = world.t0
    by_team: dict[int, list[CasePerson]] = {}
    for p in record.people.values():
        by_team.setdefault(p.team.id, []).append(p)

    def add(p: _Plan, reason: str, rationale: str, relapse: str, risks: str,
            shared: tuple[str, ...], by: int, day: int, decided: str) -> None:
        handover = {k: v for k, v in _handover(reason, day).items() if k != "died_on"}
        work.discharge_proposals.append(DischargeProposalRow(
            id=len(work.discharge_proposals) + 1, episode_id=p.episode_id,
            reason=str(ENDED_AS.get(reason, reason)), **handover,
            rationale=rationale, relapse_indicators=relapse, known_risks=risks,
            route_back_in=_one(rng, ROUTE_BACK_IN), shared_with=shared, proposed_by_id=by,
            proposed_at=_at(day, 13 * 60 + int(rng.integers(0, 240))), decided=decided,
        ))

    for team_id, people in sorted(by_team.items()):
        accepted = [p for p in people if p.plan.status == ACCEPTED]
        stable = [p for p in accepted if _stable(p, t0)]
        waiting = _pick(rng, stable, _count(rng, len(accepted), PROPOSED,
                                            2 if team_id == 1 else 0))
        turned_down = _pick(rng, [p for p in stable if p not in waiting],
                            _count(rng, len(accepted), NOT_AGREED))
        for p, decided, ago in [(p, "", (1, 7)) for p in waiting] + [
                (p, "not_agreed", (30, 200)) for p in turned_down]:
            reason = (_weighted(rng, [r for r, _ in PROPOSAL_REASONS],
                                [w for _, w in PROPOSAL_REASONS])
                      if not decided else DischargeReason.STEP_DOWN)
            day = t0 - int(rng.integers(*ago))
            relapse = ("; ".join(p.signs[:3]) + ".") if p.signs else _one(
                rng, RELAPSE_INDICATORS)
            add(p.plan, reason, PROPOSAL_TEXT[reason], relapse, _one(rng, KNOWN_RISKS),
                _shared_with(p.carers, reason), p.key_worker(day), day, decided)
    by_episode = {p.episode_id: p for p in plans if p.status == DISCHARGED}
    for d in discharges:
        if d.reason not in PROPOSAL_TEXT or d.date.toordinal() - 28 < world.window_start:
            continue
        plan = by_episode[d.episode_id]
        day = d.date.toordinal() - int(rng.integers(7, 29))
        segments = kw[plan.episode_id]
        by = next((s for a, b, s in segments if a <= day <= b), segments[-1][2])
        add(plan, d.reason, d.rationale, d.relapse_indicators, d.known_risks,
            tuple(d.shared_with), by, day, "agreed")


def _pick(rng, pool: list[CasePerson], k: int) -> list[CasePerson]:
    if k <= 0 or not pool:
        return []
    idx = rng.choice(len(pool), size=min(k, len(pool)), replace=False)
    return [pool[i] for i in sorted(idx.tolist())]


def _opener(world: World, team_id: int, day: int) -> int | None:
    """Who chairs: the manager if at work, else the consultant, else a practitioner."""
    staff = world.team_staff[team_id]
    for role in (MANAGER, CONSULTANT, PRACTITIONER):
        for s in staff:
            if s.role == role and world.at_work(s, day):
                return s.id
    return None


def _meetings(world: World, record: ClinicalRecord, plans: list[_Plan], kw: dict,
              work: TeamWork) -> None:
    """A handover every day the team is open for the last 4 weeks and a weekly MDT for the
    last 8 weeks; at each a few agenda items discussed, with a decision, and about half of
    them an action for the key worker (most done; a few left open past their due date)."""
    rng = np.random.default_rng([world.seed, 12, 4])
    t0 = world.t0
    by_team: dict[int, list[_Plan]] = {}
    for p in plans:
        if p.status in OPEN_STATUSES:
            by_team.setdefault(p.team_id, []).append(p)
    reviews_soon: dict[int, list[tuple[int, int]]] = {}
    for r in work.annual_reviews:
        reviews_soon.setdefault(r.episode_id, []).append((r.held_on.toordinal(), r.id))
    for team in world.teams:
        weekdays_only = team.service_type == DEDICATED_FUNCTION
        mdt_day = int(_one(rng, (2, 3, 4)))
        days = [(d, HANDOVER) for d in range(t0 - HANDOVER_DAYS, t0)
                if not (weekdays_only and _iso(d) > 5)]
        days += [(d, MDT) for d in range(t0 - 7 * MDT_WEEKS, t0) if _iso(d) == mdt_day]
        for day, kind in sorted(days, key=lambda x: (x[0], x[1] == MDT)):
            chair = _opener(world, team.id, day)
            if chair is None:
                continue
            meeting = MeetingRow(
                id=len(work.meetings) + 1, team_id=team.id, kind=kind, date=_d(day),
                opened_by_id=chair,
                opened_at=_at(day, (9 * 60 if kind == HANDOVER else 13 * 60 + 30)
                              + int(rng.integers(0, 15))),
            )
            work.meetings.append(meeting)
            items = _items(record, by_team.get(team.id, []), day, kind, reviews_soon)
            limit = NOTES_PER_HANDOVER if kind == HANDOVER else NOTES_PER_MDT
            if len(items) > limit:
                keep = rng.choice(len(items), size=limit, replace=False)
                items = [items[i] for i in sorted(keep.tolist())]
            for n, (key, plan) in enumerate(items):
                prefix = key.split(":")[0]
                at = _at(day, meeting.opened_at.hour * 60 + 5 + 3 * n)
                work.item_notes.append(ItemNoteRow(
                    id=len(work.item_notes) + 1, meeting_id=meeting.id, item_key=key,
                    person_id=plan.person_id, discussed=True,
                    decision=_one(rng, DECISIONS[prefix]), recorded_by_id=chair,
                    recorded_at=at,
                ))
                if rng.random() < ACTION_FROM_NOTE:
                    segments = kw[plan.episode_id]
                    owner = next((s for a, b, s in segments if a <= day <= b), segments[-1][2])
                    _action(work, rng, t0, team.id, plan.person_id, _one(rng, ACTIONS[prefix]),
                            owner, day, meeting, key, chair, at)
            if kind == MDT and rng.random() < 0.25:
                _action(work, rng, t0, team.id, None, _one(rng, TEAM_ACTIONS), chair, day,
                        meeting, "", chair, _at(day, 15 * 60))
    # The demo team has at least one action left open past its due date.
    late = [i for i, a in enumerate(work.actions) if a.team_id == 1 and a.due.toordinal() < t0]
    if late and all(work.actions[i].done_on is not None for i in late):
        work.actions[late[-1]] = replace(work.actions[late[-1]], done_on=None, done_by_id=None)


def _items(record: ClinicalRecord, plans: list[_Plan], day: int, kind: str,
           reviews_soon: dict) -> list[tuple[str, _Plan]]:
    """What that day's agenda would have listed: people overdue (handover) or lost to
    contact (MDT), in hospital or stepped up; at the MDT also care plan reviews due and
    annual reviews coming up."""
    items = []
    for p in plans:
        for a, b in p.disengaged:
            if a <= day <= b and day - (a - 1) >= (7 if kind == HANDOVER else 14):
                items.append((f"engagement:{p.person_id}", p))
                break
        if any(a <= day and (b is None or day < b) for _, a, b in p.events):
            items.append((f"crisis:{p.person_id}", p))
        if kind != MDT:
            continue
        person = record.people.get(p.person_id)
        if person is not None and any(abs(due - day) <= 7 for _, due in
                                      person.care_plan_reviews):
            items.append((f"review:care_plan:{p.person_id}", p))
        if any(day < held <= day + 21 for held, _ in reviews_soon.get(p.episode_id, ())):
            items.append((f"annual:{p.episode_id}", p))
    return items


def _action(work: TeamWork, rng, t0: int, team_id: int, person_id: int | None,
            description: str, owner: int, day: int, meeting: MeetingRow, key: str,
            created_by: int, created_at: datetime) -> None:
    due = day + int(rng.integers(1, 9))
    done = None
    if due < t0 and rng.random() < ACTION_DONE_WHEN_DUE:
        done = int(rng.integers(day, min(due + 3, t0 - 1) + 1))
    elif due >= t0 and rng.random() < ACTION_DONE_EARLY:
        done = int(rng.integers(day, t0))
    work.actions.append(ActionRow(
        id=len(work.actions) + 1, team_id=team_id, person_id=person_id,
        description=description, owner_id=owner, due=_d(due), meeting_id=meeting.id,
        item_key=key, created_by_id=created_by, created_at=created_at,
        done_on=_d(done) if done is not None else None,
        done_by_id=owner if done is not None else None,
    ))
