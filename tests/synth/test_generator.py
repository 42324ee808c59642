"""The synthetic data generator: deterministic, valid, and plausible (docs/synthetic-data.md).

Small scales keep this quick; the demo scale is used where its logins are the subject.
"""

import math
from collections import Counter, defaultdict
from dataclasses import astuple
from datetime import date, timedelta

import nhs_number as reference
import pytest

from outreach.core import discharge, eligibility
from outreach.core.nhs_number import is_valid
from outreach.synth import generator
from outreach.synth.generator import BENCH, DEMO, OPEN_STATUSES, TRUST, generate, small_scale

TODAY = date(2026, 3, 5)  # a Thursday
SMALL = small_scale(north=60, south=12, history_days=150)
SUCCESSFUL_WITH = ("person", "person_and_carer")


@pytest.fixture(scope="module")
def small():
    return generate(SMALL, seed=7, today=TODAY)


@pytest.fixture(scope="module")
def small_contacts(small):
    return [c for batch in small.contacts() for c in batch]


@pytest.fixture(scope="module")
def demo():
    return generate(DEMO, seed=3, today=TODAY)


@pytest.fixture(scope="module")
def demo_contacts(demo):
    return [c for batch in demo.contacts() for c in batch]


def _snapshot(data) -> tuple:
    tables = tuple(tuple(astuple(row) for row in getattr(data, name)) for name in data.counts())
    return tables + (tuple(c for batch in data.contacts(999) for c in batch),)


def _days(start: date, end: date):
    return (start + timedelta(days=i) for i in range((end - start).days + 1))


def _successful(contact) -> bool:
    return (contact.outcome == "attended" and contact.mode == "face_to_face"
            and contact.with_whom in SUCCESSFUL_WITH)


def test_same_seed_and_day_give_identical_data(small):
    """Same seed + same today -> identical rows, contacts included."""
    again = generate(SMALL, seed=7, today=TODAY)
    assert _snapshot(again) == _snapshot(small)


def test_another_seed_or_day_gives_different_data(small):
    """The seed and the anchor date both matter."""
    assert generate(SMALL, seed=8, today=TODAY).people != small.people
    moved = generate(SMALL, seed=7, today=TODAY + timedelta(days=1))
    assert moved.episodes != small.episodes


def test_contacts_can_be_read_twice_in_any_batch_size(small, small_contacts):
    """Streaming is deterministic and independent of the batch size; ids run 1..n."""
    batches = list(small.contacts(batch_size=1000))
    assert all(len(b) <= 1000 for b in batches)
    assert [c for b in batches for c in b] == small_contacts
    assert [c.id for c in small_contacts] == list(range(1, len(small_contacts) + 1))


def test_nhs_numbers_are_valid_unique_and_synthetic(small):
    """Every NHS number passes our check and the reference package's, is unique, and is in
    the 999 range that is never issued to a person."""
    numbers = [p.nhs_number for p in small.people]
    assert len(set(numbers)) == len(numbers)
    for n in numbers:
        assert is_valid(n) and reference.is_valid(n)
        assert n.startswith("999") and reference.REGION_SYNTHETIC.contains_number(n)


def test_every_open_episode_has_exactly_one_current_key_worker(demo):
    """Exactly one current key worker per open episode, none for closed ones; the history
    has no overlaps; the current one is on the episode's team and still in post."""
    staff = {s.id: s for s in demo.staff}
    by_episode = defaultdict(list)
    for k in demo.key_workers:
        by_episode[k.episode_id].append(k)
    for episode in demo.episodes:
        history = sorted(by_episode[episode.id], key=lambda k: k.start)
        current = [k for k in history if k.end is None]
        assert len(current) == (1 if episode.status in OPEN_STATUSES else 0), episode
        for earlier, later in zip(history, history[1:], strict=False):
            assert earlier.end is not None and earlier.end < later.start
        for k in current:
            assert staff[k.staff_id].team_id == episode.team_id
            assert staff[k.staff_id].left is None
        assert history[0].start == episode.referral_date


def test_caseloads_are_level_and_near_the_standard(demo):
    """Full-time key workers on the demo team carry 9-14 people (003: caseloads 10-12)."""
    caseload = Counter(k.staff_id for k in demo.key_workers if k.end is None)
    full_time = [s for s in demo.staff if s.team_id == 1 and s.left is None and s.fte == 1
                 and s.discipline in ("nurse", "social_worker", "str_worker")]
    assert full_time
    assert all(9 <= caseload[s.id] <= 14 for s in full_time), [caseload[s.id] for s in full_time]


def test_no_contact_after_today_or_outside_the_episode(demo, demo_contacts):
    """Contacts fall in the history window, before today, within their episode."""
    episodes = {e.id: e for e in demo.episodes}
    for c in demo_contacts:
        e = episodes[c.episode_id]
        assert demo.window_start <= c.date < TODAY
        assert e.referral_date <= c.date <= (e.discharged_date or TODAY)
        assert c.person_id == e.person_id


def test_contacts_are_made_by_staff_of_the_team_who_are_at_work(demo, demo_contacts):
    """The worker (and any second worker) is on the person's team, in post, not absent."""
    staff = {s.id: s for s in demo.staff}
    episodes = {e.id: e for e in demo.episodes}
    absent = defaultdict(set)
    for a in demo.absences:
        absent[a.staff_id].update(_days(a.start, a.end))
    for c in demo_contacts:
        for who in filter(None, (c.staff_id, c.second_staff_id)):
            s = staff[who]
            assert s.team_id == episodes[c.episode_id].team_id
            assert s.joined <= c.date and (s.left is None or c.date <= s.left)
            assert c.date not in absent[who]
        assert c.second_staff_id != c.staff_id


def test_contact_outcomes_modes_and_places_are_plausible(demo_contacts):
    """About 70% attended, 15% did not attend, 10% no access, the rest cancelled; mostly
    face to face; ward visits only happen; some two-worker and carer contacts."""
    n = len(demo_contacts)
    outcome = Counter(c.outcome for c in demo_contacts)
    assert 0.6 <= outcome["attended"] / n <= 0.8
    assert 0.1 <= outcome["did_not_attend"] / n <= 0.2
    assert 0.05 <= outcome["no_access"] / n <= 0.15
    cancelled = outcome["cancelled_by_person"] + outcome["cancelled_by_team"]
    assert 0.02 <= cancelled / n <= 0.08
    assert Counter(c.mode for c in demo_contacts)["face_to_face"] / n > 0.6
    assert {c.place for c in demo_contacts} >= {"home", "public_place", "clinic", "ward"}
    assert 0.02 < sum(c.second_staff_id is not None for c in demo_contacts) / n < 0.2
    assert sum(c.with_whom == "carer" for c in demo_contacts) > 0


def test_contact_volume_is_about_the_weekly_target(demo, demo_contacts):
    """Successful face-to-face contacts average around 2 a week per open person (001; the
    default target), counted over the people open throughout the window."""
    open_all_along = {e.id for e in demo.episodes if e.status == "accepted"
                      and e.first_intervention_date < demo.window_start}
    weeks = DEMO.history_days / 7
    seen = sum(1 for c in demo_contacts if c.episode_id in open_all_along and _successful(c))
    assert 1.6 <= seen / len(open_all_along) / weeks <= 2.8


def test_most_people_are_on_track_and_a_minority_drift(demo, demo_contacts):
    """At today most accepted people were seen in the last week; a realistic minority have
    not been seen for two weeks or more (lost contact), but not many."""
    last = {}
    for c in demo_contacts:
        if _successful(c):
            last[c.episode_id] = max(last.get(c.episode_id, c.date), c.date)
    accepted = [e for e in demo.episodes if e.status == "accepted"]
    days = [(TODAY - last[e.id]).days for e in accepted]
    assert sum(d < 7 for d in days) / len(days) >= 0.6
    assert 0.02 <= sum(d >= 14 for d in days) / len(days) <= 0.2


def test_first_intervention_is_the_first_successful_contact_after_acceptance(
        demo, demo_contacts):
    """For episodes accepted inside the window, first_intervention_date is the day of the
    first successful contact on or after acceptance (004 measures this wait)."""
    first = {}
    episodes = {e.id: e for e in demo.episodes}
    for c in demo_contacts:
        e = episodes[c.episode_id]
        if _successful(c) and e.accepted_date and c.date >= e.accepted_date:
            first[e.id] = min(first.get(e.id, c.date), c.date)
    recent = [e for e in demo.episodes if e.accepted_date and e.accepted_date >= demo.window_start]
    assert recent
    for e in recent:
        assert first[e.id] == e.first_intervention_date


def test_episodes_meet_the_chapter_2_criteria(demo):
    """Accepted episodes: psychosis plus 1-4 other criteria, passing the acceptance rule;
    referrals awaiting assessment have no criteria and no dates yet."""
    for e in demo.episodes:
        if e.accepted_date is not None:
            assert eligibility.check_acceptance(set(e.criteria)).allowed
            assert 2 <= len(e.criteria) <= 5
            assert e.referral_date < e.assessment_date < e.accepted_date
            assert e.accepted_date < e.first_intervention_date < TODAY
        elif e.status == "referred":
            assert e.criteria == () and e.assessment_date is None
            assert TODAY - timedelta(days=42) <= e.referral_date < TODAY
    assert min(e.referral_date for e in demo.episodes) >= TODAY - timedelta(days=8 * 366 + 60)


def test_status_mix(demo):
    """Most accepted; a few referred, stepped up, inpatient and discharged (docs)."""
    status = Counter(e.status for e in demo.episodes)
    assert set(status) == {"accepted", "referred", "stepped_up", "inpatient", "discharged",
                           "not_accepted"}
    assert status["accepted"] / len(demo.episodes) > 0.6


def test_transitions_end_in_the_episode_status(demo):
    """The last transition's status_after is the episode's status (referred: none yet)."""
    last = {}
    for t in sorted(demo.transitions, key=lambda t: (t.date, t.id)):
        last[t.episode_id] = t
    for e in demo.episodes:
        if e.status == "referred":
            assert e.id not in last
        else:
            assert last[e.id].status_after == e.status, e


def test_discharges_have_an_allowed_reason_and_a_full_decision_record(demo):
    """Every discharge passes the discharge guard (design rule 1): an allowed reason and
    rationale, relapse indicators, known risks, route back in and who it was shared with."""
    discharged = {e.id: e for e in demo.episodes if e.status == "discharged"}
    assert {d.episode_id for d in demo.discharges} == set(discharged)
    for d in demo.discharges:
        record = discharge.DecisionRecord(d.rationale, d.relapse_indicators, d.known_risks,
                                          d.route_back_in, d.shared_with)
        assert discharge.check_discharge(d.reason, record).allowed
        assert d.date == discharged[d.episode_id].discharged_date


def test_every_key_worker_absence_is_covered_by_default(demo):
    """Each day a key worker is away (or has left), each person on their caseload has a
    cover worker, who is at work that day (design rule 3: never a gap)."""
    absent = defaultdict(set)
    for a in demo.absences:
        absent[a.staff_id].update(_days(a.start, a.end))
    covered = {}
    for c in demo.covers:
        for day in _days(c.start, c.end):
            covered[(c.episode_id, day)] = c.staff_id
            assert day not in absent[c.staff_id]
    episodes = {e.id: e for e in demo.episodes}
    for k in demo.key_workers:
        closed = episodes[k.episode_id].discharged_date or date.max
        for day in absent[k.staff_id]:
            if k.start <= day <= min(k.end or date.max, closed):
                assert (k.episode_id, day) in covered


def test_cover_gaps_only_when_asked(demo):
    """The cover_gaps flag leaves some absences without cover."""
    gappy = generate(DEMO, seed=3, today=TODAY, cover_gaps=0.2)
    assert 0.6 * len(demo.covers) < len(gappy.covers) < 0.95 * len(demo.covers)


def test_demo_logins(demo):
    """practitioner: a north-ao nurse with a caseload of 10-12 who is covering today;
    manager, consultant and other-team as named; commissioner with no team."""
    logins = demo.logins
    assert set(logins) == {"practitioner", "manager", "consultant", "other-team",
                           "commissioner"}
    teams = {t.id: t.code for t in demo.teams}
    practitioner = logins["practitioner"]
    assert (practitioner.role, practitioner.discipline) == ("practitioner", "nurse")
    assert teams[practitioner.team_id] == "north-ao"
    caseload = sum(1 for k in demo.key_workers if k.staff_id == practitioner.id and k.end is None)
    assert 10 <= caseload <= 12
    assert any(c.staff_id == practitioner.id and c.start <= TODAY <= c.end for c in demo.covers)
    assert (logins["manager"].role, teams[logins["manager"].team_id]) == ("manager", "north-ao")
    consultant = logins["consultant"]
    assert (consultant.role, consultant.discipline) == ("consultant", "psychiatrist")
    assert teams[consultant.team_id] == "north-ao"
    other = logins["other-team"]
    assert (other.role, teams[other.team_id]) == ("practitioner", "south-ao")
    assert (logins["commissioner"].role, logins["commissioner"].team_id) == ("commissioner", None)
    assert all(s.left is None for s in logins.values())


def test_demo_team_make_up(demo):
    """north-ao: 13 staff in post in the real AO mix (000, 001), 120 people; south-ao: a
    dedicated function with 4 staff, 20 people, weekdays only; FTE 0.6-1.0."""
    current = Counter((s.team_id, s.discipline) for s in demo.staff if s.left is None)
    assert current[(1, "nurse")] == 4 and current[(1, "str_worker")] == 2
    for discipline in ("psychiatrist", "manager", "ot", "ot_technical_instructor",
                       "social_worker", "psychologist", "peer_support"):
        assert current[(1, discipline)] == 1
    assert sum(n for (team, _), n in current.items() if team == 2) == 4
    assert Counter(p.team_id for p in demo.episodes) == {1: 120, 2: 20}
    north, south = demo.teams
    assert north.weekend_opens is not None and south.weekend_opens is None
    assert all(0.6 <= float(s.fte) <= 1.0 for s in demo.staff)
    assert any("6" in s.working_days or "7" in s.working_days
               for s in demo.staff if s.team_id == 1 and s.left is None)


def test_people_are_plausible(demo):
    """Adults 18-70, living within about 8 km of the team base; ~10% need an interpreter;
    ~60% have a carer; some have accessibility needs; phones in Ofcom's drama range."""
    bases = {t.id: (t.base_latitude, t.base_longitude) for t in demo.teams}
    team = {e.person_id: e.team_id for e in demo.episodes}
    for p in demo.people:
        age = (TODAY - p.date_of_birth).days / 365.25
        assert 18 <= age <= 70.1
        lat, lon = bases[team[p.id]]
        km = math.hypot((p.latitude - lat) * 111.32,
                        (p.longitude - lon) * 111.32 * math.cos(math.radians(lat)))
        assert km <= 8.01
        assert p.phone == "" or p.phone.startswith("07700 900")
        assert p.interpreter_needed == (p.language != "English")
    n = len(demo.people)
    assert 0.03 <= sum(p.interpreter_needed for p in demo.people) / n <= 0.2
    assert 0.45 <= len({c.person_id for c in demo.carers}) / n <= 0.75
    assert any(p.accessibility_needs for p in demo.people)


def test_scales():
    """demo 140 people; trust 6 teams, 800 people; bench at least 5,000 people in ~40
    teams, with the longest history (its contact volume passes 2 million: docs)."""
    assert (len(DEMO.teams), DEMO.people) == (2, 140)
    assert (len(TRUST.teams), TRUST.people) == (6, 800)
    assert len(BENCH.teams) == 40 and BENCH.people >= 5000
    assert BENCH.history_days > TRUST.history_days
    assert len({t.code for t in BENCH.teams}) == 40


def test_choice_values_match_the_models():
    """The generator's plain strings are the models' choices (it cannot import Django)."""
    from outreach.records import models as records
    from outreach.teams import models as teams

    def values(choices) -> set[str]:
        return set(choices.values)

    assert set(generator.WITH_WHOM) == values(records.ContactWith)
    assert set(generator.MODES) == values(records.ContactMode)
    assert set(generator.PLACES) == values(records.ContactPlace)
    assert set(generator.OUTCOMES) == values(records.ContactOutcome)
    assert set(generator.CONTACT_MEANS) == values(records.ContactMeans)
    assert set(generator.REFERRAL_SOURCES) == values(records.ReferralSource)
    assert set(generator.STATUS_SHARES) == values(records.EpisodeStatus)
    used = {generator.T_ACCEPTED, generator.T_NOT_ACCEPTED, *generator.STEP_UPS,
            generator.T_STEPPED_DOWN, generator.T_ADMITTED, generator.T_LEFT_HOSPITAL,
            generator.T_STEP_DOWN_CMHT, generator.T_TRANSFER_OUT, generator.T_DISCHARGED}
    # Every kind but a re-referral: the demo gives each person one episode.
    assert used == values(records.TransitionKind) - {records.TransitionKind.RE_REFERRED}
    assert {generator.COVER_LEAVE, generator.COVER_SICKNESS, generator.COVER_LEFT,
            generator.COVER_OTHER} == values(records.CoverReason)
    assert {generator.LEAVE, generator.SICKNESS, generator.TRAINING} <= values(
        teams.AbsenceKind)
    assert {generator.FULL_AO, generator.DEDICATED_FUNCTION} == values(teams.ServiceType)
    disciplines = {d for d, _ in generator._posts(generator.NORTH)} | {generator.NO_DISCIPLINE}
    assert disciplines <= values(teams.Discipline)
    assert {generator.PRACTITIONER, generator.CONSULTANT, generator.MANAGER,
            generator.COMMISSIONER} <= values(teams.Role)
    # Moving away is recorded as a transfer to the team of the new area.
    assert {str(generator.ENDED_AS.get(r, r)) for r in generator.DISCHARGE_REASONS} <= {
        str(r) for r in discharge.ALLOWED_REASONS}
