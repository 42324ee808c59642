"""The synthetic clinical record and the team's work (docs/synthetic-data.md, "The clinical
record" and "The team's work"): valid by the services' own checks, one current version per
plan per person, and plausible shares. Generator only, no database: see test_demo_record.py
for the demo loaded into the database.
"""

from collections import Counter, defaultdict
from dataclasses import asdict, fields
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from outreach.core import discharge
from outreach.synth import clinical, teamwork
from outreach.synth.generator import DEMO, TRUST, generate, table_names
from outreach.teams.models import StaffMember

TODAY = date(2026, 3, 5)  # a Thursday
CASELOAD = {"accepted", "stepped_up", "inpatient"}
# Versioned entries and the date a new version may not go back before.
VERSIONED = {"care_plans": "date", "safety_plans": "date", "advance_choices": "date",
             "relapse_signatures": "date", "risk_formulations": "reviewed_on",
             "social_circumstances": "assessed_on"}


@pytest.fixture(scope="module")
def trust():
    return generate(TRUST, seed=11, today=TODAY)


@pytest.fixture(scope="module")
def demo():
    return generate(DEMO, seed=3, today=TODAY)


def _caseload(data) -> set[int]:
    return {e.person_id for e in data.episodes if e.status in CASELOAD}


def _heads(rows) -> dict[int, object]:
    superseded = {r.supersedes_id for r in rows}
    return {r.person_id: r for r in rows if r.id not in superseded}


def _share(people: set[int], of: set[int]) -> float:
    return len(people & of) / len(of)


def _weekday(d: date) -> bool:
    return d.isoweekday() <= 5


def test_every_caseload_person_has_one_consistent_chain_of_versions(trust):
    """Each versioned entry is a chain per person: oldest first, each version superseding
    the one before it (same person, not later), exactly one head; everyone on the caseload
    has a current care plan and social circumstances. Referrals awaiting assessment and
    closed episodes have no clinical record."""
    caseload = _caseload(trust)
    for name, when in VERSIONED.items():
        rows = getattr(trust, name)
        by_id = {r.id: r for r in rows}
        supersedes = [r.supersedes_id for r in rows if r.supersedes_id is not None]
        assert len(supersedes) == len(set(supersedes)), f"{name}: a version superseded twice"
        by_person = defaultdict(list)
        for r in rows:
            by_person[r.person_id].append(r)
            assert r.version == 1
            if r.supersedes_id is not None:
                old = by_id[r.supersedes_id]
                assert old.person_id == r.person_id and old.id < r.id, name
                assert getattr(old, when) <= getattr(r, when), name
        heads = _heads(rows)
        for person, versions in by_person.items():
            chain, row = [], heads[person]
            while row is not None:
                chain.append(row)
                row = by_id.get(row.supersedes_id)
            assert sorted(r.id for r in chain) == sorted(r.id for r in versions), (name, person)
        assert set(by_person) <= caseload, name
    assert set(_heads(trust.care_plans)) == caseload
    assert set(_heads(trust.social_circumstances)) == caseload
    assert any(r.supersedes_id for r in trust.care_plans)  # older versions exist


def test_entries_pass_the_services_own_checks(trust, monkeypatch):
    """Every generated entry is one the services would accept (outreach.clinical.services),
    on the anchor date: dates not in the future, reviews within their limits, ratings 1-7
    for all 11 items, doses not given before the depot started, and so on."""
    from outreach.clinical import services as s

    monkeypatch.setattr(s, "_today", lambda: TODAY)
    problems = []

    def check(name, rows, fn):
        for row in rows:
            if errors := fn(row):
                problems.append((name, row.id, errors))

    check("care plan", trust.care_plans, lambda r: s._check_care_plan(asdict(r)))
    ratings = defaultdict(dict)
    for r in trust.dialog_ratings:
        ratings[r.plan_id][r.item] = (r.score, r.wants_more_help)
    actions = defaultdict(list)
    for a in trust.care_plan_actions:
        actions[a.plan_id].append({"what": a.what, "who": a.who, "domain": a.domain})
    for plan in trust.care_plans:
        errors = {}
        s._check_ratings(errors, ratings[plan.id])
        s._check_actions(errors, actions[plan.id])
        if errors:
            problems.append(("ratings and actions", plan.id, errors))
    check("safety plan", trust.safety_plans, lambda r: s._check_safety_plan(asdict(r)))
    check("advance choice", trust.advance_choices, lambda r: s._check_advance_choice(asdict(r)))
    check("relapse signature", trust.relapse_signatures,
          lambda r: s._check_relapse_signature(asdict(r)))
    check("risk", trust.risk_formulations, lambda r: s._check_risk(asdict(r)))
    check("medication", trust.medications, lambda r: s._check_medication(asdict(r)))
    check("depot", [d for d in trust.depots if d.active], lambda r: s._check_depot(asdict(r)))
    depots = {d.id: SimpleNamespace(started_on=d.started_on, interval_days=d.interval_days)
              for d in trust.depots}
    # A dose given has a giver (its id here), a site and a batch, as the service asks.
    check("dose", trust.depot_doses,
          lambda r: s._check_dose({**asdict(r), "given_by": StaffMember(pk=r.given_by_id)
                                   if r.given_by_id else None}, depots[r.depot_id]))
    check("detention", trust.detentions, lambda r: s._check_detention(asdict(r)))
    check("cto", trust.ctos, lambda r: s._check_cto(asdict(r)))
    check("section 117", trust.section117s, lambda r: s._check_s117(asdict(r)))
    check("multi-agency", trust.multi_agency, lambda r: s._check_multi_agency(asdict(r)))
    check("carer contact", trust.carer_contacts, lambda r: s._check_carer_contact(asdict(r)))
    check("social", trust.social_circumstances, lambda r: s._check_social(asdict(r)))
    substances = defaultdict(list)
    for u in trust.substance_use:
        substances[u.circumstances_id].append(
            {"substance": u.substance, "current": u.current, "since": u.since})
    for c in trust.social_circumstances:
        errors = {}
        s._check_substances(errors, substances[c.id], c.assessed_on)
        if errors:
            problems.append(("substance use", c.id, errors))
    check("police", trust.police_contacts, lambda r: s._check_police_contact(asdict(r)))
    check("physical", trust.physical_health_checks, lambda r: s._check_physical(asdict(r)))
    check("ot", trust.ot_assessments, lambda r: s._check_ot(asdict(r)))
    assert problems == []


def test_nothing_is_recorded_after_the_anchor_date(trust):
    """Facts are dated before today and recorded no later than this morning; only what is
    about the future (review dates, expiry, next depot due, planned visits) is later."""
    latest = TODAY.toordinal()
    for name in table_names():
        for row in getattr(trust, name):
            for f in fields(row):
                value = getattr(row, f.name)
                if f.name in ("recorded_at", "created_at", "opened_at", "proposed_at",
                              "decided_at"):
                    assert value.date() <= TODAY, (name, row)
                elif f.name in ("date", "observed_on", "given_on", "started", "assessed_on",
                                "reviewed_on", "held_on", "done_on", "followed_up_on",
                                "stopped", "restarted", "cleared_on", "active_since"):
                    if value is not None and name != "planned_visits":
                        assert value.toordinal() < latest, (name, row)


def test_dialog_ratings_are_plausible(trust):
    """11 ratings 1-7 per plan; this group is least satisfied with mental health, work and
    accommodation, most with the team's meetings; people want help where they are
    dissatisfied; chosen areas (up to 3) are ones they want help with, each with an action."""
    by_plan = defaultdict(dict)
    for r in trust.dialog_ratings:
        by_plan[r.plan_id][r.item] = r
    assert all(len(items) == 11 for items in by_plan.values())
    mean = {item: sum(p[item].score for p in by_plan.values()) / len(by_plan)
            for item in clinical.DIALOG_ITEMS}
    low = max(mean["mental_health"], mean["job_situation"], mean["accommodation"])
    assert low < min(mean[i] for i in ("partner_family", "personal_safety", "medication",
                                       "practical_help", "meetings"))
    assert 2.5 < mean["job_situation"] < 3.5 and 4.5 < mean["meetings"] < 5.5
    low_help = [r.wants_more_help for p in by_plan.values() for r in p.values() if r.score <= 2]
    high_help = [r.wants_more_help for p in by_plan.values() for r in p.values() if r.score >= 6]
    assert sum(low_help) / len(low_help) > 0.6 > 0.1 > sum(high_help) / len(high_help)
    actions = Counter(a.plan_id for a in trust.care_plan_actions)
    for plan in trust.care_plans:
        assert len(plan.chosen_domains) <= 3
        assert all(by_plan[plan.id][d].wants_more_help for d in plan.chosen_domains)
        assert actions[plan.id] == len(plan.chosen_domains)


def test_shares_are_plausible(trust):
    """The shares in docs/synthetic-data.md, within what chance allows at 640 people."""
    caseload = _caseload(trust)
    heads = {name: _heads(getattr(trust, name)) for name in VERSIONED}
    overdue = {name: {p for p, r in heads[name].items() if r.review_due < TODAY}
               for name in ("care_plans", "safety_plans", "risk_formulations")}
    assert 0.06 <= _share(overdue["care_plans"], caseload) <= 0.14
    assert 0.85 <= _share(set(heads["safety_plans"]), caseload) <= 0.95
    assert 0.05 <= _share(overdue["safety_plans"], caseload) <= 0.11
    assert 0.19 <= _share(set(heads["advance_choices"]), caseload) <= 0.31
    assert 0.79 <= _share(set(heads["relapse_signatures"]), caseload) <= 0.91
    assert 0.91 <= _share(set(heads["risk_formulations"]), caseload) <= 0.99
    two_staff = {p for p, r in heads["risk_formulations"].items() if r.two_staff_visits}
    assert 0.05 <= _share(two_staff, caseload) <= 0.11
    housing = Counter(r.accommodation_status for r in heads["social_circumstances"].values())
    assert 0.03 <= (housing["homeless"] + housing["no_fixed_abode"]) / len(caseload) <= 0.10
    assert 0.05 <= housing["at_risk"] / len(caseload) <= 0.12
    current = {c.id for c in heads["social_circumstances"].values()}
    using = {u.circumstances_id for u in trust.substance_use if u.current}
    assert 0.28 <= len(using & current) / len(caseload) <= 0.44
    police = {p.person_id for p in trust.police_contacts}
    recent = {p.person_id for p in trust.police_contacts if (TODAY - p.date).days < 28}
    assert 0.11 <= _share(police, caseload) <= 0.19 and 0.01 <= _share(recent, caseload) <= 0.05
    on_depot = {d.person_id for d in trust.depots if d.active}
    assert 0.38 <= _share(on_depot, caseload) <= 0.52
    ctos = {c.person_id for c in trust.ctos if c.ended_on is None}
    assert 0.11 <= _share(ctos, caseload) <= 0.19
    assert 0.36 <= _share({s.person_id for s in trust.section117s}, caseload) <= 0.44
    mappa = {m.person_id for m in trust.multi_agency if m.kind == "mappa"}
    marac = {m.person_id for m in trust.multi_agency if m.kind == "marac"}
    assert 0.015 <= _share(mappa, caseload) <= 0.045 and 0.01 <= _share(marac, caseload) <= 0.035
    inpatients = {e.person_id for e in trust.episodes if e.status == "inpatient"}
    detained = {d.person_id for d in trust.detentions if d.end is None}
    assert detained <= inpatients and 0.3 <= len(detained) / len(inpatients) <= 0.7
    last = {}
    for c in trust.physical_health_checks:
        last[c.person_id] = max(last.get(c.person_id, c.date), c.date)
    behind = {p for p in caseload if p not in last or (TODAY - last[p]).days > 365}
    assert 0.17 <= _share(behind, caseload) <= 0.32
    full_ao = {e.person_id for e in trust.episodes if e.team_id != 2} & caseload
    assert 0.32 <= _share({o.person_id for o in trust.ot_assessments}, full_ao) <= 0.48
    open_signs = {o.person_id for o in trust.sign_observations if o.cleared_on is None}
    concerns = {c.person_id for c in trust.carer_contacts if c.concern and not c.followed_up_on}
    assert 0.02 <= _share(open_signs, caseload) <= 0.045
    assert 0.02 <= _share(concerns, caseload) <= 0.045
    stopped = {m.person_id for m in trust.medications
               if m.stopped_against_advice and m.restarted is None}
    assert 0.01 <= _share(stopped, caseload) <= 0.035


def test_depot_doses_given_record_site_and_batch_in_rotation(trust):
    """Every dose given has a real site and a batch fit for a recall; consecutive doses of a
    depot alternate sides (rotation); a medicine's batch is shared by the doses of a quarter,
    so a recall finds several people; a dose not given has neither."""
    from outreach.core import depots as rules

    doses = defaultdict(list)
    for d in trust.depot_doses:
        if d.outcome != "given":
            assert d.site == "" and d.batch == ""
            continue
        assert d.site in rules.SITES and rules.batch_errors(d.batch) == []
        doses[d.depot_id].append(d)
    for given in doses.values():
        given.sort(key=lambda d: d.given_on)
        assert all(a.site != b.site for a, b in zip(given, given[1:], strict=False))
    people_per_batch = defaultdict(set)
    for d in trust.depot_doses:
        if d.batch:
            people_per_batch[d.batch].add(d.person_id)
    assert max(len(p) for p in people_per_batch.values()) >= 3


def test_depot_doses_follow_the_schedule(trust):
    """Realistic depots at 14, 21 or 28 days; each dose given on a weekday by a nurse;
    the next due date is the interval after the last dose given (as depot_dose_record sets
    it), unless a dose is outstanding; a missed or refused dose in the history was given
    later; about 3-5% of people have a dose missed, refused or overdue today; some depots
    are due in the next 7 days."""
    caseload = _caseload(trust)
    nurses = {s.id for s in trust.staff if s.discipline == "nurse"}
    doses = defaultdict(list)
    for d in trust.depot_doses:
        doses[d.depot_id].append(d)
    names = set()
    outstanding = set()
    for depot in trust.depots:
        assert depot.interval_days in (14, 21, 28) and depot.tolerance_days == 7
        names.add((depot.medicine, depot.dose, depot.interval_days))
        given = sorted((d for d in doses[depot.id] if d.outcome == "given"),
                       key=lambda d: d.given_on)
        assert len({d.due_on for d in given}) == len(given)
        for d in doses[depot.id]:
            assert d.due_on >= depot.started_on
            if d.outcome == "given":
                assert _weekday(d.given_on) and d.given_by_id in nurses
                assert depot.started_on <= d.given_on
            elif depot.active and d.due_on < depot.next_due:
                assert any(g.due_on == d.due_on and g.given_on > d.due_on for g in given)
        if not depot.active:
            continue
        if given and given[-1].given_on + timedelta(days=depot.interval_days) != depot.next_due:
            pytest.fail(f"next due does not follow the last dose: {depot}")
        if depot.next_due < TODAY:
            outstanding.add(depot.person_id)
    assert {("Aripiprazole", "400 mg", 28), ("Paliperidone palmitate", "100 mg", 28),
            ("Zuclopenthixol decanoate", "200 mg", 14),
            ("Flupentixol decanoate", "40 mg", 14)} <= names
    assert 0.025 <= _share(outstanding, caseload) <= 0.06
    soon = {d.person_id for d in trust.depots
            if d.active and TODAY <= d.next_due < TODAY + timedelta(days=7)}
    assert 0.08 <= _share(soon, caseload) <= 0.25
    outcomes = Counter(d.outcome for d in trust.depot_doses)
    assert 0.85 <= outcomes["given"] / sum(outcomes.values()) <= 0.95


def test_legal_status_hangs_together(trust):
    """A CTO follows a section 3 that ended the day it started, expires after it, and its
    renewal examination is due before expiry; Section 117 starts when a section 3 ended;
    everyone who left hospital after a section 3 has Section 117; detentions in force are
    for people in hospital now."""
    section3_ends = defaultdict(set)
    for d in trust.detentions:
        assert d.section in ("2", "3")
        if d.section == "2" and d.end is not None:
            assert (d.end - d.start).days <= 27
        if d.section == "3" and d.end is not None:
            section3_ends[d.person_id].add(d.end)
    for c in trust.ctos:
        assert c.start in section3_ends[c.person_id]
        assert c.start < c.expiry
        if c.ended_on is None:
            assert c.expiry > TODAY and c.start <= c.renewal_due <= c.expiry
    for s in trust.section117s:
        assert s.eligible and s.eligible_from in section3_ends[s.person_id]
        assert s.review_due > s.eligible_from
    assert set(section3_ends) == {s.person_id for s in trust.section117s}


def test_demo_team_has_every_deadline_and_arrangement_to_show(demo):
    """On north-ao: a couple of CTOs expire within the 28 days' notice, and people are
    managed under MAPPA and open to MARAC."""
    north = {e.person_id for e in demo.episodes if e.team_id == 1}
    soon = [c for c in demo.ctos if c.person_id in north and c.ended_on is None
            and (c.expiry - TODAY).days <= 28]
    assert len(soon) >= 2
    kinds = {m.kind for m in demo.multi_agency if m.person_id in north}
    assert kinds == {"mappa", "marac"}


def test_carers_are_heard_about_monthly(trust):
    """Conversations with a carer about every month; about 10% raise a concern, followed up
    within three days, except a few raised in the last days and not yet followed up."""
    carers = {c.id: c.person_id for c in trust.carers}
    by_person = defaultdict(list)
    for c in trust.carer_contacts:
        assert carers[c.carer_id] == c.person_id
        by_person[c.person_id].append(c.date)
        if c.concern and c.followed_up_on is not None:
            assert 0 <= (c.followed_up_on - c.date).days <= 3 and c.followed_up_by_id
        elif c.concern:
            assert (TODAY - c.date).days <= 6
        else:
            assert c.followed_up_on is None
    gaps = [(b - a).days for dates in by_person.values()
            for a, b in zip(sorted(dates), sorted(dates)[1:], strict=False)]
    assert 22 <= sum(gaps) / len(gaps) <= 38
    share = sum(c.concern for c in trust.carer_contacts) / len(trust.carer_contacts)
    assert 0.07 <= share <= 0.14


def test_planned_visits_for_the_coming_week(demo):
    """About two visits per person this week, by the key worker, their cover or a colleague
    at work that day; in pairs when the risk formulation says so; a depot due this week is
    given at a visit by a nurse (unless in hospital); none at weekends for a team closed
    then."""
    staff = {s.id: s for s in demo.staff}
    absent = defaultdict(set)
    for a in demo.absences:
        absent[a.staff_id] |= {a.start + timedelta(days=i)
                               for i in range((a.end - a.start).days + 1)}
    episodes = {e.id: e for e in demo.episodes}
    pairs = {r.person_id for r in _heads(demo.risk_formulations).values() if r.two_staff_visits}
    per_person = Counter()
    for v in demo.planned_visits:
        e = episodes[v.episode_id]
        assert e.status in CASELOAD | {"referred"} and v.person_id == e.person_id
        assert TODAY <= v.date < TODAY + timedelta(days=7) and v.status == "planned"
        for who in filter(None, (v.staff_id, v.second_staff_id)):
            s = staff[who]
            assert s.team_id == e.team_id and s.left is None and v.date not in absent[who]
            assert str(v.date.isoweekday()) in s.working_days.split(",")
        assert v.second_staff_id != v.staff_id
        if v.person_id in pairs:
            assert v.second_staff_id is not None
        if e.team_id == 2:
            assert _weekday(v.date)
        if e.status == "accepted":
            per_person[v.person_id] += 1
    accepted = [e for e in demo.episodes if e.status == "accepted"]
    assert 1.8 <= sum(per_person.values()) / len(accepted) <= 2.6
    # Booked as a team would: a worker's timed visits of a day at least 75 minutes apart,
    # so the planner can keep them (random times once clashed by the hundred).
    times = defaultdict(list)
    for v in demo.planned_visits:
        for who in filter(None, (v.staff_id, v.second_staff_id)):
            if v.time is not None:
                times[(who, v.date)].append(v.time.hour * 60 + v.time.minute)
    for starts in times.values():
        starts.sort()
        assert all(b - a >= 75 for a, b in zip(starts, starts[1:], strict=False))
    # A few stay without a time (a full weekend, a pair never free together): 'time to agree'.
    assert sum(v.time is None for v in demo.planned_visits) <= 0.15 * len(demo.planned_visits)
    in_hospital = {e.person_id for e in demo.episodes if e.status == "inpatient"}
    for depot in demo.depots:  # in hospital, the ward gives it
        if (depot.active and TODAY <= depot.next_due < TODAY + timedelta(days=5)
                and depot.person_id not in in_hospital):
            visits = [v for v in demo.planned_visits
                      if v.person_id == depot.person_id and v.purpose.startswith("Depot")]
            assert visits and staff[visits[0].staff_id].discipline == "nurse"


def test_meetings_notes_and_actions(demo):
    """Handovers every day for four weeks (weekdays for the dedicated function; not on a day
    when nobody is at work) and a weekly MDT, all in the past; notes on items the agenda
    would have shown; actions due after the meeting, most done, some still open and a few
    overdue on the demo team."""
    meetings = {m.id: m for m in demo.meetings}
    assert len({(m.team_id, m.kind, m.date) for m in meetings.values()}) == len(meetings)
    assert all(m.date < TODAY for m in meetings.values())
    handovers = {m.date for m in meetings.values() if m.team_id == 1 and m.kind == "handover"}
    assert TODAY - timedelta(days=1) in handovers and 24 <= len(handovers) <= 28
    assert all(_weekday(m.date) for m in meetings.values() if m.team_id == 2)
    assert Counter(m.kind for m in meetings.values() if m.team_id == 1)["mdt"] == 8
    episodes = {e.id: e for e in demo.episodes}
    keys = set()
    for n in demo.item_notes:
        assert (n.meeting_id, n.item_key) not in keys
        keys.add((n.meeting_id, n.item_key))
        kind, _, ident = n.item_key.rpartition(":")
        person = episodes[int(ident)].person_id if kind == "annual" else int(ident)
        assert person == n.person_id
    open_overdue = open_later = 0
    for a in demo.actions:
        meeting = meetings[a.meeting_id]
        assert a.due > meeting.date and a.team_id == meeting.team_id
        if a.done_on is not None:
            assert meeting.date <= a.done_on < TODAY and a.done_by_id == a.owner_id
        elif a.team_id == 1:
            open_overdue += a.due < TODAY
            open_later += a.due >= TODAY
    assert open_overdue >= 1 and open_later >= 1


def test_discharge_proposals_have_full_decision_records(demo):
    """Every proposal passes the discharge guard (never for non-engagement; rationale,
    relapse indicators, known risks, route back in, shared with); a few await the MDT,
    at least two on the demo team; agreed ones are the planned discharges in the history."""
    episodes = {e.id: e for e in demo.episodes}
    for p in demo.discharge_proposals:
        record = discharge.DecisionRecord(p.rationale, p.relapse_indicators, p.known_risks,
                                          p.route_back_in, p.shared_with)
        assert discharge.check_discharge(p.reason, record).allowed
        status = episodes[p.episode_id].status
        assert status == {"": "accepted", "not_agreed": "accepted",
                          "agreed": "discharged"}[p.decided]
        assert p.proposed_at.date() < TODAY
    waiting = [p for p in demo.discharge_proposals if not p.decided]
    assert len([p for p in waiting if episodes[p.episode_id].team_id == 1]) >= 2


def test_annual_reviews_once_open_eleven_months(trust):
    """Held from 11 months after acceptance, then about yearly; a few people are due one."""
    accepted = {e.id: e.accepted_date for e in trust.episodes}
    held = defaultdict(list)
    for r in trust.annual_reviews:
        assert (r.held_on - accepted[r.episode_id]).days >= 335 and r.held_on < TODAY
        held[r.episode_id].append(r.held_on)
    for dates in held.values():
        dates.sort()
        assert all((b - a).days >= 340 for a, b in zip(dates, dates[1:], strict=False))
    long_open = [e for e in trust.episodes if e.status in CASELOAD
                 and (TODAY - e.accepted_date).days >= 335 + 30]
    due = [e for e in long_open if not held[e.id] or (TODAY - max(held[e.id])).days > 365]
    assert 0.02 <= len(due) / len(long_open) <= 0.15


def test_risk_is_formulated_never_scored():
    """No score, level or rating of risk anywhere in the generated risk formulation (design
    rule 6; NICE NG225)."""
    names = {f.name for f in fields(clinical.RiskFormulationRow)}
    assert not {n for n in names if any(w in n for w in ("score", "level", "rating"))}


def test_choice_values_match_the_models():
    """The generator's plain strings are the models' choices (it cannot import Django)."""
    from outreach.clinical import models as c
    from outreach.meetings.models import MeetingKind
    from outreach.records.models import ContactPlace, VisitStatus

    assert clinical.DIALOG_ITEMS == tuple(c.DialogItem.values)
    assert clinical.ACCOMMODATION == tuple(c.AccommodationStatus.values)
    assert {clinical.GIVEN, clinical.REFUSED, clinical.MISSED} == set(c.DoseOutcome.values)
    assert set(clinical.SMOKING) == set(c.SmokingStatus.values)
    assert {clinical.OCAIRS, clinical.MOHOST} == set(c.OTAssessmentKind.values)
    assert {clinical.MAPPA, clinical.MARAC} == set(c.MultiAgencyKind.values)
    assert {clinical.S2, clinical.S3} <= set(c.MHASection.values)
    assert {teamwork.HANDOVER, teamwork.MDT} == set(MeetingKind.values)
    assert teamwork.PLANNED in VisitStatus.values
    assert set(teamwork.VISIT_PLACES) | {"ward"} <= set(ContactPlace.values)


def test_the_loader_knows_every_table():
    """The loader writes every table the generator makes, in the same order."""
    from outreach.synth.load import TABLES

    assert tuple(name for name, _ in TABLES) == table_names()


def test_the_generator_needs_no_django():
    """generator.py, clinical.py and teamwork.py are pure: generating imports no Django."""
    import subprocess
    import sys

    code = ("import sys; from datetime import date; from outreach.synth import generator; "
            "generator.generate(generator.small_scale(north=6, south=4, history_days=30), "
            "seed=1, today=date(2026, 3, 5)); "
            "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
