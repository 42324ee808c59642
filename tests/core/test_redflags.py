"""Red flags: derived from the record, each with its reason, since when and what clears it."""

import ast
import inspect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.core import redflags
from outreach.core.engagement import EngagementState
from outreach.core.redflags import (
    DAYS_NOT_WHOLE,
    DEFAULT_FLAG_CONFIG,
    DEFAULT_HOUSING_STATUSES,
    HOUSING_STATUSES_EMPTY,
    LABELS,
    NOT_A_MAPPING,
    ORDER,
    TOLERANCE_NOT_WHOLE,
    UNKNOWN_DOSE_OUTCOME,
    UNKNOWN_ENGAGEMENT_STATE,
    UNKNOWN_MULTI_AGENCY,
    UNKNOWN_SETTING,
    Accommodation,
    CarerConcern,
    Depot,
    DepotDose,
    Flag,
    FlagConfig,
    FlagKind,
    LegalDeadline,
    MedicationStop,
    MultiAgency,
    PoliceContact,
    RecordSnapshot,
    SubstanceUse,
    WarningSignObserved,
    derive_flags,
    format_date,
)

DAY = timedelta(days=1)
SCALAR_FIELDS = ("today", "engagement_state", "last_successful_contact")
ENTRY_FIELDS = tuple(f.name for f in fields(RecordSnapshot) if f.name not in SCALAR_FIELDS)

# Separate pools of medicine names, so "other content" can be unrelated to a cause.
OTHER_MEDICINES = ("olanzapine", "Aripiprazole", "paliperidone")
EXTRA_MEDICINES = ("flupentixol", "haloperidol", "Risperidone")
CAUSE_MEDICINE = "zuclopenthixol"
OTHER_REFS = ("", "", "1", "2", "x")  # "" falls back to the entry's date or name
CAUSE = "cause"  # the ref of the entry under test, so its flag's source is known
LOST = (EngagementState.LOST_CONTACT, EngagementState.ESCALATED)
NOT_LOST = tuple(s for s in EngagementState if s not in LOST)

ANCHOR = date(2026, 11, 12)  # entries are drawn around this day, then moved to a random today
SPREAD = 200  # days either side of today that generated entries fall in
texts = st.sampled_from(["", "Mother phoned: not eating", "  spaces  ", "Says he is watched."])
ages = st.integers(0, 4000)  # days before today: these flags stand for years if need be
periods = st.integers(1, 90)
configs = st.builds(FlagConfig, police_contact_days=periods, legal_notice_days=periods)


def shift(d: date, days: int) -> date:
    return d + timedelta(days=days)


def moved(entry, days: int):
    """The entry with every date on it moved by days."""
    dates = {k: shift(v, days) for k, v in asdict(entry).items() if isinstance(v, date)}
    return replace(entry, **dates)


def moved_entries(found: dict, days: int) -> dict:
    return {name: tuple(moved(e, days) for e in group) for name, group in found.items()}


def _entries(medicines) -> st.SearchStrategy[dict]:
    """Arbitrary record entries of every kind, dated up to SPREAD days either side of ANCHOR."""
    when = st.integers(-SPREAD, SPREAD).map(lambda n: shift(ANCHOR, n))
    maybe_when = st.none() | when
    refs = st.sampled_from(OTHER_REFS)
    meds = st.sampled_from(medicines)
    kinds = {
        "carer_concerns": st.builds(CarerConcern, when, texts, maybe_when, refs),
        "medication_stops": st.builds(MedicationStop, meds, when, st.booleans(), maybe_when, refs),
        "depot_doses": st.builds(
            DepotDose,
            meds,
            when,
            st.sampled_from([None, "given", "refused", "missed"]),
            st.sampled_from(["", "200 mg"]),
        ),
        "depots": st.builds(Depot, meds, when, st.integers(0, 14)),
        "accommodation": st.builds(
            Accommodation,
            st.sampled_from(["settled", "temporary", "at_risk", "homeless", "no_fixed_abode"]),
            when,
            refs,
        ),
        "police_contacts": st.builds(PoliceContact, when, texts, refs),
        "substance_use": st.builds(
            SubstanceUse, st.sampled_from(["cannabis", "alcohol"]), st.booleans(), when, refs
        ),
        "warning_signs": st.builds(WarningSignObserved, texts, when, maybe_when, refs),
        "legal_deadlines": st.builds(
            LegalDeadline,
            st.sampled_from(["cto_expiry", "s117_review", "Tribunal hearing"]),
            texts,
            when,
            maybe_when,
            refs,
        ),
        "multi_agency": st.builds(
            MultiAgency, st.sampled_from(["mappa", "marac"]), when, maybe_when, refs
        ),
    }
    return st.fixed_dictionaries(
        {name: st.lists(s, max_size=2).map(tuple) for name, s in kinds.items()}
    )


other_entries = _entries(OTHER_MEDICINES)
extra_entries = _entries(EXTRA_MEDICINES)  # about medicines no snapshot below mentions


def _snapshot(found: dict, state, last_age, days: int) -> RecordSnapshot:
    today = shift(ANCHOR, days)
    last = None if last_age is None else shift(today, -last_age)
    return RecordSnapshot(
        today=today,
        engagement_state=state,
        last_successful_contact=last,
        **moved_entries(found, days),
    )


# A whole record with arbitrary content of every kind, on a day from 2024 to 2029.
snapshots = st.builds(
    _snapshot,
    other_entries,
    st.none() | st.sampled_from(EngagementState),
    st.none() | st.integers(-5, SPREAD),
    st.integers(-800, 800),
)


def near_today(today: date, found: dict) -> dict:
    """Entries drawn around ANCHOR, moved to the same days around today."""
    return moved_entries(found, (today - ANCHOR).days)


def after_today(today: date, found: dict) -> dict:
    """Entries drawn around ANCHOR, moved so that every date on them is after today."""
    return moved_entries(found, (today - ANCHOR).days + SPREAD + 1)


def add(snapshot: RecordSnapshot, **more) -> RecordSnapshot:
    """The snapshot with more entries appended (and any scalar fields replaced).

    Added accommodation becomes the current one: earlier history is kept, later entries dropped.
    """
    changes = {}
    for name, value in more.items():
        if name in SCALAR_FIELDS:
            changes[name] = value
            continue
        existing = getattr(snapshot, name)
        if name == "accommodation" and value:
            first = min(a.since for a in value)
            existing = tuple(a for a in existing if a.since < first)
        changes[name] = existing + tuple(value)
    return replace(snapshot, **changes)


def without(snapshot: RecordSnapshot, *names: str) -> RecordSnapshot:
    return replace(snapshot, **{name: () for name in names})


def find(flags, kind: FlagKind, source: str) -> Flag | None:
    return next((f for f in flags if f.kind == kind and f.source == source), None)


def minus(flags, kind: FlagKind, source: str) -> tuple[Flag, ...]:
    return tuple(f for f in flags if not (f.kind == kind and f.source == source))


def content(flag: Flag) -> tuple:
    """A flag without its source (which gains a :2 suffix when two entries share a key)."""
    return (flag.kind, flag.reason, flag.since, flag.clears_when)


# Flags whose cause is one dated entry, cleared by a later recorded action.


@dataclass(frozen=True)
class Case:
    kind: FlagKind
    source: str
    # (cause date, clearing date or None) -> entries to add to a snapshot
    make: Callable[[date, date | None], dict]
    min_age: int = 0  # days the cause must be in the past before the flag shows
    clears_after: int = 0  # how many days after the cause the clearing action may be dated
    since: Callable[[date], date] = lambda start: start

    def __str__(self) -> str:
        return str(self.kind)


TOLERANCE = 3


def _doses(outcome):
    def make(start, cleared_on):
        given = () if cleared_on is None else (DepotDose(CAUSE_MEDICINE, cleared_on, "given"),)
        return {"depot_doses": (DepotDose(CAUSE_MEDICINE, start, outcome, "200 mg"), *given)}

    return make


def _overdue(start, cleared_on):
    given = () if cleared_on is None else (DepotDose(CAUSE_MEDICINE, cleared_on, "given"),)
    return {"depots": (Depot(CAUSE_MEDICINE, start, TOLERANCE),), "depot_doses": given}


def _housing(start, cleared_on):
    move = () if cleared_on is None else (Accommodation("settled", cleared_on, "moved"),)
    return {"accommodation": (Accommodation("homeless", start, CAUSE), *move)}


CASES = [
    Case(
        FlagKind.FAMILY_CONCERN,
        f"carer_concern:{CAUSE}",
        lambda start, c: {"carer_concerns": (CarerConcern(start, "Sister worried", c, CAUSE),)},
    ),
    Case(
        FlagKind.MEDICATION_STOPPED,
        f"medication_stop:{CAUSE}",
        lambda start, c: {
            "medication_stops": (MedicationStop(CAUSE_MEDICINE, start, True, c, CAUSE),)
        },
    ),
    Case(FlagKind.DEPOT_MISSED, f"depot:{CAUSE_MEDICINE}", _doses("missed")),
    Case(FlagKind.DEPOT_REFUSED, f"depot:{CAUSE_MEDICINE}", _doses("refused")),
    Case(
        FlagKind.DEPOT_OVERDUE,
        f"depot:{CAUSE_MEDICINE}",
        _overdue,
        min_age=TOLERANCE + 1,
        since=lambda start: shift(start, TOLERANCE + 1),
    ),
    Case(FlagKind.HOUSING_LOSS, f"accommodation:{CAUSE}", _housing, clears_after=1),
    Case(
        FlagKind.EARLY_WARNING_SIGN,
        f"warning_sign:{CAUSE}",
        lambda start, c: {
            "warning_signs": (WarningSignObserved("Pacing at night", start, c, CAUSE),)
        },
    ),
    Case(
        FlagKind.MAPPA,
        f"mappa:{CAUSE}",
        lambda start, c: {"multi_agency": (MultiAgency("mappa", start, c, CAUSE),)},
    ),
    Case(
        FlagKind.MARAC,
        f"marac:{CAUSE}",
        lambda start, c: {"multi_agency": (MultiAgency("marac", start, c, CAUSE),)},
    ),
]
cases = pytest.mark.parametrize("case", CASES, ids=str)


@st.composite
def cause_dates(draw, case: Case):
    """A record with arbitrary other content, and a date for the cause on or before today."""
    base = draw(snapshots)
    age = draw(st.integers(case.min_age + case.clears_after, 4000))
    return base, shift(base.today, -age)


# The vocabulary


def test_every_kind_has_a_label_and_one_place_in_the_order():
    """All thirteen kinds have a short label and appear once in the display order."""
    assert set(LABELS) == set(FlagKind) and all(label.strip() for label in LABELS.values())
    assert sorted(ORDER) == sorted(FlagKind) and len(ORDER) == len(set(ORDER)) == 13


def test_kind_values_are_lower_snake_case():
    """Kinds are stored and sent as lower_snake_case strings."""
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", kind.value) for kind in FlagKind)


def test_a_flag_is_a_fact_with_a_reason_never_a_score():
    """A flag holds kind, reason, since, what clears it and its source: no score (rule 6)."""
    assert [f.name for f in fields(Flag)] == ["kind", "reason", "since", "clears_when", "source"]
    assert "NG225" in redflags.__doc__ and "never a prediction" in redflags.__doc__


def test_the_module_imports_no_django_and_nothing_outside_the_core():
    """The rules core stays plain Python: no Django, no outreach package but outreach.core."""
    tree = ast.parse(inspect.getsource(redflags))
    names = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    names += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [n for n in names if n.startswith("django")]
    assert all(n.startswith("outreach.core") for n in names if n.startswith("outreach"))


def test_dates_are_shown_as_the_pages_show_them():
    """Reasons cite dates as 3 Nov 2026, whatever the machine's locale."""
    assert format_date(date(2026, 11, 3)) == "3 Nov 2026"
    assert format_date(date(2027, 1, 31)) == "31 Jan 2027"


# Each trigger raises its flag, whatever else is on the record


@cases
@given(data=st.data())
def test_each_cause_raises_its_flag_whatever_else_is_recorded(case, data):
    """A cause on or before today raises its flag, with the cause's date as since."""
    base, start = data.draw(cause_dates(case))
    flag = find(derive_flags(add(base, **case.make(start, None))), case.kind, case.source)
    assert flag is not None
    assert flag.since == case.since(start) <= base.today
    assert flag.reason.strip() and flag.clears_when.strip()
    assert format_date(start) in flag.reason


@given(snapshots, st.sampled_from(LOST), st.none() | st.integers(0, 4000))
def test_lost_contact_or_escalated_raises_lost_contact(base, state, age):
    """Lost contact and escalated both raise the flag, since the last successful contact."""
    last = None if age is None else shift(base.today, -age)
    snapshot = replace(base, engagement_state=state, last_successful_contact=last)
    flag = find(derive_flags(snapshot), FlagKind.LOST_CONTACT, "engagement")
    assert flag is not None and flag.since == last
    if last is not None:
        assert format_date(last) in flag.reason


@given(snapshots, st.sampled_from(NOT_LOST), st.none() | st.integers(0, 4000))
def test_no_lost_contact_flag_below_lost_contact(base, state, age):
    """On track, due or overdue: no lost-contact flag (those steps have their own actions)."""
    last = None if age is None else shift(base.today, -age)
    snapshot = replace(base, engagement_state=state, last_successful_contact=last)
    assert not [f for f in derive_flags(snapshot) if f.kind == FlagKind.LOST_CONTACT]


@given(snapshots, st.sampled_from(sorted(DEFAULT_HOUSING_STATUSES)), ages)
def test_current_housing_at_risk_or_lost_raises_housing(base, status, age):
    """At risk, homeless or no fixed abode as the current accommodation raises the flag."""
    since = shift(base.today, -age)
    snapshot = add(base, accommodation=(Accommodation(status, since, CAUSE),))
    flag = find(derive_flags(snapshot), FlagKind.HOUSING_LOSS, f"accommodation:{CAUSE}")
    assert flag is not None and flag.since == since


@given(snapshots, st.sampled_from(["settled", "temporary"]), ages)
def test_settled_or_temporary_housing_raises_no_flag_by_default(base, status, age):
    """Settled and temporary accommodation are not in the default housing flag list."""
    snapshot = add(base, accommodation=(Accommodation(status, shift(base.today, -age)),))
    assert not [f for f in derive_flags(snapshot) if f.kind == FlagKind.HOUSING_LOSS]


@given(snapshots, ages)
def test_a_team_can_flag_temporary_accommodation_too(base, age):
    """The housing statuses that raise the flag are configuration."""
    config = FlagConfig(housing_statuses=DEFAULT_HOUSING_STATUSES | {"temporary"})
    snapshot = add(base, accommodation=(Accommodation("temporary", shift(base.today, -age)),))
    assert [f for f in derive_flags(snapshot, config) if f.kind == FlagKind.HOUSING_LOSS]


@given(snapshots, configs, st.data())
def test_recent_police_contact_raises_police_contact(base, config, data):
    """A police contact in the last police_contact_days days raises the flag."""
    age = data.draw(st.integers(0, config.police_contact_days - 1))
    contact = PoliceContact(shift(base.today, -age), "Arrested for shoplifting", CAUSE)
    flags = derive_flags(add(base, police_contacts=(contact,)), config)
    assert [f for f in flags if f.kind == FlagKind.POLICE_CONTACT]


@given(snapshots, ages, st.sampled_from(["cannabis", "Spice"]))
def test_current_substance_use_raises_substance_use(base, age, substance):
    """Substance use recorded as current raises the flag, naming the substance."""
    use = SubstanceUse(substance, True, shift(base.today, -age), CAUSE)
    flag = find(
        derive_flags(add(base, substance_use=(use,))), FlagKind.SUBSTANCE_USE, "substance_use:cause"
    )
    assert flag is not None and substance in flag.reason and flag.since == use.since


@given(snapshots, configs, st.data())
def test_legal_deadline_within_notice_or_overdue_raises_legal_deadline(base, config, data):
    """A deadline within legal_notice_days, or already past, raises the flag."""
    days_left = data.draw(st.integers(-4000, config.legal_notice_days))
    deadline = LegalDeadline("cto_expiry", "CTO ends", shift(base.today, days_left), ref=CAUSE)
    flags = derive_flags(add(base, legal_deadlines=(deadline,)), config)
    flag = find(flags, FlagKind.LEGAL_DEADLINE, "legal_deadline:cause")
    assert flag is not None and "CTO expiry" in flag.reason
    assert ("overdue" in flag.reason) == (days_left < 0)
    assert flag.since == shift(deadline.due_on, -config.legal_notice_days)


@given(snapshots, ages, st.none() | st.integers(1, 100))
def test_medication_stopped_on_advice_raises_no_flag(base, age, restart_in):
    """A planned stop (not against advice) is not a red flag, restarted or not."""
    stopped = shift(base.today, -age)
    restarted = None if restart_in is None else shift(stopped, restart_in)
    stop = MedicationStop(CAUSE_MEDICINE, stopped, False, restarted, CAUSE)
    flags = derive_flags(add(base, medication_stops=(stop,)))
    assert find(flags, FlagKind.MEDICATION_STOPPED, "medication_stop:cause") is None


# A flag never disappears while its cause stands


@given(snapshots, st.data())
def test_unrelated_entries_never_remove_a_flag(base, data):
    """Adding entries about other things (other medicines, older housing) keeps every flag."""
    extra = near_today(base.today, data.draw(extra_entries))
    # Housing history from before the current accommodation is unrelated to the current status.
    first = min((a.since for a in base.accommodation), default=date.max)
    extra["accommodation"] = tuple(a for a in extra["accommodation"] if a.since < first)
    before = derive_flags(base)
    after = derive_flags(
        replace(base, **{name: getattr(base, name) + extra[name] for name in ENTRY_FIELDS})
    )
    # Police contact is one flag citing the latest contact: a newer contact changes its reason.
    kept = Counter(content(f) for f in after if f.kind != FlagKind.POLICE_CONTACT)
    needed = Counter(content(f) for f in before if f.kind != FlagKind.POLICE_CONTACT)
    assert not needed - kept
    police = [f for f in before if f.kind == FlagKind.POLICE_CONTACT]
    assert not police or [f for f in after if f.kind == FlagKind.POLICE_CONTACT]


@given(snapshots, st.data())
def test_more_missed_or_refused_doses_keep_the_depot_flags(base, data):
    """Another missed or refused dose of the same depot never removes a missed or refused flag."""
    medicine = data.draw(st.sampled_from(OTHER_MEDICINES))
    due = shift(base.today, -data.draw(st.integers(0, 400)))
    outcome = data.draw(st.sampled_from(["missed", "refused"]))
    before = derive_flags(base)
    after = derive_flags(add(base, depot_doses=(DepotDose(medicine, due, outcome),)))
    depot_kinds = {FlagKind.DEPOT_MISSED, FlagKind.DEPOT_REFUSED}
    assert {(f.kind, f.source) for f in before if f.kind in depot_kinds} <= {
        (f.kind, f.source) for f in after
    }


def _recorded_by(entry, today: date) -> bool:
    """Nothing on the entry is dated after today, but a depot's next dose or a deadline's date."""
    if isinstance(entry, Depot):
        return True
    if isinstance(entry, LegalDeadline):
        return entry.met_on is None or entry.met_on <= today
    return all(v <= today for v in asdict(entry).values() if isinstance(v, date))


@given(snapshots, configs, st.integers(1, 4000))
def test_time_alone_clears_no_flag_but_police_contact(base, config, jump):
    """Nothing more is recorded and time passes: every flag but police contact is still there."""
    today = base.today
    snapshot = replace(
        base,
        **{
            name: tuple(e for e in getattr(base, name) if _recorded_by(e, today))
            for name in ENTRY_FIELDS
        },
    )
    now = derive_flags(snapshot, config)
    later = derive_flags(replace(snapshot, today=shift(today, jump)), config)
    # Reasons move on ("9 days overdue" becomes "40 days overdue"); kind and source stay.
    stays = Counter((f.kind, f.source) for f in now if f.kind != FlagKind.POLICE_CONTACT)
    assert not stays - Counter((f.kind, f.source) for f in later)


def test_a_family_concern_never_expires_by_time_alone():
    """Ten years on, a concern nobody followed up is still a red flag (002 ch.3)."""
    concern = CarerConcern(date(2026, 11, 1), "Father says she is not sleeping")
    for years in (0, 1, 10):
        today = date(2026 + years, 11, 2)
        flags = derive_flags(RecordSnapshot(today=today, carer_concerns=(concern,)))
        assert [f.kind for f in flags] == [FlagKind.FAMILY_CONCERN]
    assert "never clears with time" in flags[0].clears_when


# Each clearing action clears exactly its flag


@cases
@given(data=st.data())
def test_each_clearing_action_clears_exactly_its_flag(case, data):
    """Recording the action that clears a flag removes that flag and changes no other."""
    base, start = data.draw(cause_dates(case))
    cleared_on = shift(start, data.draw(st.integers(case.clears_after, (base.today - start).days)))
    before = derive_flags(add(base, **case.make(start, None)))
    after = derive_flags(add(base, **case.make(start, cleared_on)))
    assert find(before, case.kind, case.source) is not None
    assert after == minus(before, case.kind, case.source)


@cases
@given(data=st.data())
def test_a_clearing_action_dated_after_today_does_not_clear_yet(case, data):
    """A follow-up, restart or dose dated after today has not happened: the flag stays."""
    base, start = data.draw(cause_dates(case))
    cleared_on = shift(base.today, data.draw(st.integers(1, 400)))
    before = derive_flags(add(base, **case.make(start, None)))
    assert derive_flags(add(base, **case.make(start, cleared_on))) == before


@cases
@given(data=st.data())
def test_a_clearing_action_dated_before_its_cause_does_not_clear_it(case, data):
    """A follow-up dated before the concern (a recording error) leaves the flag up: fail safe."""
    base, start = data.draw(cause_dates(case))
    cleared_on = shift(start, -data.draw(st.integers(1, 400)))
    flags = derive_flags(add(base, **case.make(start, cleared_on)))
    assert find(flags, case.kind, case.source) is not None


@given(snapshots, st.sampled_from(LOST), st.sampled_from(NOT_LOST), ages)
def test_a_successful_contact_clears_exactly_the_lost_contact_flag(base, lost, found, age):
    """When the engagement state drops below lost contact, only that flag goes."""
    last = shift(base.today, -age)
    before = derive_flags(replace(base, engagement_state=lost, last_successful_contact=last))
    after = derive_flags(replace(base, engagement_state=found, last_successful_contact=last))
    assert after == minus(before, FlagKind.LOST_CONTACT, "engagement")


@given(snapshots, ages)
def test_recording_that_use_stopped_clears_exactly_the_substance_flag(base, age):
    """Substance use recorded as no longer current clears that flag and no other."""
    use = SubstanceUse("cannabis", True, shift(base.today, -age), CAUSE)
    before = derive_flags(add(base, substance_use=(use,)))
    after = derive_flags(add(base, substance_use=(replace(use, current=False),)))
    assert after == minus(before, FlagKind.SUBSTANCE_USE, "substance_use:cause")


@given(snapshots, configs, st.data())
def test_a_met_legal_deadline_clears_exactly_its_flag(base, config, data):
    """A deadline recorded as met on or before today clears it, even if met before it was due."""
    due = shift(base.today, data.draw(st.integers(-400, config.legal_notice_days)))
    met = shift(base.today, -data.draw(st.integers(0, 800)))
    deadline = LegalDeadline("s117_review", "", due, ref=CAUSE)
    before = derive_flags(add(base, legal_deadlines=(deadline,)), config)
    after = derive_flags(add(base, legal_deadlines=(replace(deadline, met_on=met),)), config)
    assert after == minus(before, FlagKind.LEGAL_DEADLINE, "legal_deadline:cause")


@given(snapshots, configs, st.data())
def test_a_legal_deadline_met_after_today_is_not_met_yet(base, config, data):
    """A met date after today (a hearing booked, not held) leaves the deadline flagged."""
    due = shift(base.today, data.draw(st.integers(-400, config.legal_notice_days)))
    met = shift(base.today, data.draw(st.integers(1, 400)))
    deadline = LegalDeadline("tribunal", "", due, ref=CAUSE)
    before = derive_flags(add(base, legal_deadlines=(deadline,)), config)
    after = derive_flags(add(base, legal_deadlines=(replace(deadline, met_on=met),)), config)
    assert after == before and find(after, FlagKind.LEGAL_DEADLINE, "legal_deadline:cause")


def test_two_housing_entries_on_one_day_keep_the_flag():
    """Homeless and settled from the same day: unclear which is current, so flag it (fail safe)."""
    day = date(2026, 11, 1)
    for history in (
        (Accommodation("homeless", day), Accommodation("settled", day)),
        (Accommodation("settled", day), Accommodation("homeless", day)),
    ):
        snapshot = RecordSnapshot(today=date(2026, 11, 12), accommodation=history)
        assert [f.kind for f in derive_flags(snapshot)] == [FlagKind.HOUSING_LOSS]


# Boundaries


@given(snapshots, periods)
def test_police_contact_shows_for_exactly_police_contact_days(base, days):
    """Shown on the day of contact and the days-1 days after it; gone on day `days`."""
    config = FlagConfig(police_contact_days=days)
    base = without(base, "police_contacts")
    last_day = add(base, police_contacts=(PoliceContact(shift(base.today, 1 - days), "", CAUSE),))
    expired = add(base, police_contacts=(PoliceContact(shift(base.today, -days), "", CAUSE),))
    shown = derive_flags(last_day, config)
    flag = find(shown, FlagKind.POLICE_CONTACT, "police_contact:cause")
    assert flag is not None
    assert format_date(shift(base.today, 1)) in flag.clears_when
    assert "clears by itself" in flag.clears_when.lower()
    assert derive_flags(expired, config) == minus(shown, FlagKind.POLICE_CONTACT, flag.source)


@given(snapshots, periods)
def test_legal_deadline_shows_from_exactly_legal_notice_days_before(base, notice):
    """Shown when due in `notice` days; not when due in `notice + 1` days."""
    config = FlagConfig(legal_notice_days=notice)
    at = LegalDeadline("cto_renewal", "", shift(base.today, notice), ref=CAUSE)
    beyond = replace(at, due_on=shift(base.today, notice + 1))
    flags = derive_flags(add(base, legal_deadlines=(at,)), config)
    flag = find(flags, FlagKind.LEGAL_DEADLINE, "legal_deadline:cause")
    assert flag is not None and flag.since == base.today
    assert derive_flags(add(base, legal_deadlines=(beyond,)), config) == minus(
        flags, FlagKind.LEGAL_DEADLINE, flag.source
    )


def test_legal_deadline_reasons_say_today_tomorrow_in_days_or_overdue():
    """The reason says how near the deadline is, and says overdue once it has passed."""
    today = date(2026, 11, 12)

    def reason(days_left: int) -> str:
        deadline = LegalDeadline("cto_expiry", "", shift(today, days_left))
        (flag,) = derive_flags(RecordSnapshot(today=today, legal_deadlines=(deadline,)))
        return flag.reason

    assert reason(5) == "CTO expiry due 17 Nov 2026, in 5 days."
    assert reason(1) == "CTO expiry due 13 Nov 2026, tomorrow."
    assert reason(0) == "CTO expiry due today, 12 Nov 2026."
    assert reason(-1) == "CTO expiry was due 11 Nov 2026 and is overdue by 1 day."
    assert reason(-30) == "CTO expiry was due 13 Oct 2026 and is overdue by 30 days."


@given(st.integers(0, 30), st.integers(0, 60))
def test_depot_overdue_starts_the_day_after_the_tolerance_window(tolerance, late):
    """Overdue once next_due + tolerance_days is before today, not on the last day allowed."""
    today = date(2026, 11, 12)
    depot = Depot(CAUSE_MEDICINE, shift(today, -late), tolerance, "200 mg")
    flags = derive_flags(RecordSnapshot(today=today, depots=(depot,)))
    assert bool(flags) == (late > tolerance)
    if flags:
        assert f"{late} {'day' if late == 1 else 'days'} overdue" in flags[0].reason


# Entries dated after today


@given(snapshots, st.data())
def test_entries_dated_after_today_are_ignored(base, data):
    """Concerns, stops, doses (even given ones), moves and contacts after today change nothing."""
    future = after_today(base.today, data.draw(other_entries))
    future = {k: v for k, v in future.items() if k not in ("depots", "legal_deadlines")}
    merged = replace(base, **{name: getattr(base, name) + future[name] for name in future})
    assert derive_flags(merged) == derive_flags(base)


# Order and identity


@given(snapshots)
def test_flags_come_in_rule_five_order_then_longest_standing_first(snapshot):
    """The order is fixed by kind (design rule 5), then by since; never by a computed risk."""
    keys = [(ORDER.index(f.kind), f.since or date.min) for f in derive_flags(snapshot)]
    assert keys == sorted(keys)


@given(snapshots, st.randoms(use_true_random=False))
def test_the_order_entries_are_given_in_does_not_matter(snapshot, rnd):
    """Shuffling every list in the record gives the same flags in the same order."""
    shuffled = {}
    for name in ENTRY_FIELDS:
        items = list(getattr(snapshot, name))
        rnd.shuffle(items)
        shuffled[name] = tuple(items)
    assert derive_flags(replace(snapshot, **shuffled)) == derive_flags(snapshot)


@given(snapshots)
def test_two_flags_of_one_kind_never_share_a_source(snapshot):
    """Each flag can be told apart (and linked to its entry) by kind and source."""
    flags = derive_flags(snapshot)
    assert len({(f.kind, f.source) for f in flags}) == len(flags)


def test_two_concerns_on_the_same_day_are_two_flags():
    """Mother in the morning and brother in the afternoon: two concerns, two distinct flags."""
    day = date(2026, 11, 1)
    concerns = (CarerConcern(day, "Mother: not eating"), CarerConcern(day, "Brother: shouting"))
    flags = derive_flags(RecordSnapshot(today=date(2026, 11, 2), carer_concerns=concerns))
    assert [f.source for f in flags] == ["carer_concern:2026-11-01", "carer_concern:2026-11-01:2"]
    assert [f.reason for f in flags] == [
        "Family or carer raised a concern on 1 Nov 2026, not yet followed up: Brother: shouting.",
        "Family or carer raised a concern on 1 Nov 2026, not yet followed up: Mother: not eating.",
    ]


def test_a_ref_names_the_entry_in_the_source():
    """Given the entry's own id, the source uses it, so a page can link the flag to its entry."""
    concern = CarerConcern(date(2026, 11, 1), "", ref="17")
    (flag,) = derive_flags(RecordSnapshot(today=date(2026, 11, 2), carer_concerns=(concern,)))
    assert flag.source == "carer_concern:17"
    assert flag.reason == "Family or carer raised a concern on 1 Nov 2026, not yet followed up."


# Reasons cite the facts


def test_missed_depot_reason_cites_the_medicine_dose_and_date():
    """The example from the brief: the reason a clinician reads on the front sheet."""
    doses = (
        DepotDose("zuclopenthixol", date(2026, 10, 20), "given", "200 mg"),
        DepotDose("zuclopenthixol", date(2026, 11, 3), "missed", "200 mg"),
    )
    (flag,) = derive_flags(RecordSnapshot(today=date(2026, 11, 5), depot_doses=doses))
    assert flag.kind == FlagKind.DEPOT_MISSED and flag.label == "Depot missed"
    assert flag.reason == "Depot (zuclopenthixol 200 mg) due 3 Nov 2026 was missed."
    assert flag.since == date(2026, 11, 3) and flag.source == "depot:zuclopenthixol"
    assert flag.clears_when == "Clears when a later dose of zuclopenthixol is recorded as given."


def test_repeated_missed_doses_are_counted_and_the_flag_dates_from_the_first():
    """Two misses after the last dose given: the reason counts them, since is the first miss."""
    doses = (
        DepotDose("Zuclopenthixol", date(2026, 10, 6), "given"),
        DepotDose("zuclopenthixol ", date(2026, 10, 20), "missed"),
        DepotDose("zuclopenthixol", date(2026, 11, 3), "missed"),
        DepotDose("zuclopenthixol", date(2026, 11, 17), None),
    )
    (flag,) = derive_flags(RecordSnapshot(today=date(2026, 11, 20), depot_doses=doses))
    assert flag.since == date(2026, 10, 20)
    assert flag.reason == (
        "Depot (zuclopenthixol) due 3 Nov 2026 was missed. "
        "2 missed doses since the last one given on 6 Oct 2026."
    )


def test_a_dose_given_on_the_same_day_as_a_miss_clears_it():
    """Missed in the morning, given in the afternoon: the person had their depot."""
    day = date(2026, 11, 3)
    doses = (DepotDose("zuclopenthixol", day, "missed"), DepotDose("zuclopenthixol", day, "given"))
    assert derive_flags(RecordSnapshot(today=day, depot_doses=doses)) == ()


def test_overdue_depot_reason_says_how_late():
    """The overdue reason gives the due date, days late and the window allowed."""
    depot = Depot("zuclopenthixol", date(2026, 11, 3), 7, "200 mg")
    (flag,) = derive_flags(RecordSnapshot(today=date(2026, 11, 12), depots=(depot,)))
    assert flag.kind == FlagKind.DEPOT_OVERDUE and flag.since == date(2026, 11, 11)
    assert flag.reason == (
        "Depot (zuclopenthixol 200 mg) was due 3 Nov 2026 and is 9 days overdue, past the "
        "7-day window, with no dose recorded as given."
    )


def test_lost_contact_reason_cites_the_last_contact_or_says_none():
    """The reason gives the last successful contact and days since, or that there was none."""
    seen = RecordSnapshot(
        today=date(2026, 11, 12),
        engagement_state="lost_contact",
        last_successful_contact=date(2026, 10, 1),
    )
    (flag,) = derive_flags(seen)
    assert flag.reason == (
        "Lost contact: last successful face-to-face contact on 1 Oct 2026, 42 days ago."
    )
    assert "never a reason to discharge" in flag.clears_when
    (never,) = derive_flags(
        replace(seen, engagement_state="escalated", last_successful_contact=None)
    )
    assert never.since is None and "no successful face-to-face contact recorded" in never.reason
    assert never.reason.startswith("Lost contact, escalated")


def test_police_reason_counts_recent_contacts_and_dates_from_the_first():
    """Two contacts close together: one flag citing the latest, counting both, since the first."""
    contacts = (
        PoliceContact(date(2026, 10, 1), "Arrested for shoplifting"),
        PoliceContact(date(2026, 10, 20), "Found on the motorway bridge"),
        PoliceContact(date(2026, 11, 5), "Neighbour dispute"),
    )
    (flag,) = derive_flags(RecordSnapshot(today=date(2026, 11, 12), police_contacts=contacts))
    assert flag.since == date(2026, 10, 1)  # each contact came before the previous one expired
    assert flag.reason == (
        "Police contact on 5 Nov 2026: Neighbour dispute. 2 police contacts in the last 28 days."
    )
    assert flag.source == "police_contact:2026-11-05"
    assert flag.clears_when.startswith("Clears by itself on 3 Dec 2026, 28 days after")


def test_a_police_contact_after_the_last_one_expired_starts_a_new_flag():
    """Since is the first contact of an unbroken run; a gap of police_contact_days breaks it."""
    first = date(2026, 10, 1)

    def since(gap: int) -> date | None:
        contacts = (PoliceContact(first, ""), PoliceContact(shift(first, gap), ""))
        snapshot = RecordSnapshot(today=shift(first, gap), police_contacts=contacts)
        (flag,) = derive_flags(snapshot, FlagConfig(police_contact_days=28))
        return flag.since

    assert since(27) == first
    assert since(28) == shift(first, 28)


def test_a_last_contact_dated_after_today_is_not_cited():
    """A successful contact dated in the future has not happened: lost contact, none recorded."""
    snapshot = RecordSnapshot(
        today=date(2026, 11, 12),
        engagement_state="lost_contact",
        last_successful_contact=date(2026, 11, 13),
    )
    (flag,) = derive_flags(snapshot)
    assert flag.since is None and "no successful face-to-face contact recorded" in flag.reason


def test_housing_reason_names_the_status_and_what_clears_it():
    """The housing reason names the status in words; clearing lists the flagged statuses."""
    history = (
        Accommodation("settled", date(2024, 5, 1)),
        Accommodation("no_fixed_abode", date(2026, 10, 15)),
    )
    (flag,) = derive_flags(RecordSnapshot(today=date(2026, 11, 12), accommodation=history))
    assert flag.reason == "Housing: no fixed abode since 15 Oct 2026."
    assert "homeless" in flag.clears_when and "no fixed abode" in flag.clears_when


def test_multi_agency_reasons_spell_out_mappa_and_marac():
    """MAPPA and MARAC reasons say what the acronym is and since when."""
    entries_ = (MultiAgency("mappa", date(2026, 6, 1)), MultiAgency("marac", date(2026, 9, 1)))
    flags = derive_flags(RecordSnapshot(today=date(2026, 11, 12), multi_agency=entries_))
    assert [f.kind for f in flags] == [FlagKind.MAPPA, FlagKind.MARAC]
    assert "public protection" in flags[0].reason and "1 Jun 2026" in flags[0].reason
    assert "domestic abuse" in flags[1].reason and "1 Sep 2026" in flags[1].reason


@given(snapshots, configs)
def test_every_flag_reads_as_sentences(snapshot, config):
    """Every reason and clearing text is a non-empty sentence, and since is never in the future."""
    for flag in derive_flags(snapshot, config):
        assert flag.reason.endswith((".", "!", "?")) and flag.clears_when.endswith(".")
        assert flag.since is None or flag.since <= snapshot.today


# Configuration and input validation


def test_default_config():
    """By default police contact shows for 28 days and legal deadlines from 28 days ahead."""
    assert DEFAULT_FLAG_CONFIG == FlagConfig()
    assert (DEFAULT_FLAG_CONFIG.police_contact_days, DEFAULT_FLAG_CONFIG.legal_notice_days) == (
        28,
        28,
    )
    assert DEFAULT_FLAG_CONFIG.housing_statuses == {"at_risk", "homeless", "no_fixed_abode"}


@pytest.mark.parametrize("name", ["police_contact_days", "legal_notice_days"])
@pytest.mark.parametrize("bad", [0, -1, True, 28.0, "28", None])
def test_config_refuses_periods_that_are_not_whole_positive_days(name, bad):
    """Zero, negative, boolean, float or text periods are refused, not coerced."""
    with pytest.raises(ValueError, match=re.escape(DAYS_NOT_WHOLE)):
        FlagConfig(**{name: bad})


@pytest.mark.parametrize("bad", [frozenset(), [], "homeless", ["homeless", ""], [3], None])
def test_config_refuses_housing_statuses_that_are_not_a_list_of_names(bad):
    """No statuses (the flag silently off), a bare string or blanks are refused."""
    with pytest.raises(ValueError, match=re.escape(HOUSING_STATUSES_EMPTY)):
        FlagConfig(housing_statuses=bad)


@given(periods, periods)
def test_config_from_mapping_reads_settings(police, notice):
    """Settings give periods and a list of statuses; left-out keys keep their defaults."""
    config = FlagConfig.from_mapping(
        {"police_contact_days": police, "housing_statuses": ["Homeless", "temporary"]}
    )
    assert config.police_contact_days == police
    assert config.legal_notice_days == DEFAULT_FLAG_CONFIG.legal_notice_days
    assert config.housing_statuses == {"homeless", "temporary"}
    assert FlagConfig.from_mapping({"legal_notice_days": notice}).legal_notice_days == notice
    assert FlagConfig.from_mapping(asdict(config)) == config


@pytest.mark.parametrize("mapping", [{"police_days": 7}, {"legal_notice_days": 7, "x": 1}])
def test_config_refuses_unknown_keys(mapping):
    """A misspelt setting is an error rather than silently ignored."""
    with pytest.raises(ValueError, match=UNKNOWN_SETTING):
        FlagConfig.from_mapping(mapping)


def test_config_from_mapping_refuses_bad_values_and_non_mappings():
    """Bad values fail on reading settings; so does a list where a mapping belongs."""
    with pytest.raises(ValueError, match=re.escape(DAYS_NOT_WHOLE)):
        FlagConfig.from_mapping({"police_contact_days": 0})
    with pytest.raises(ValueError, match=NOT_A_MAPPING):
        FlagConfig.from_mapping([("police_contact_days", 7)])


@pytest.mark.parametrize("bad", ["late", "GIVEN", ""])
def test_depot_dose_refuses_unknown_outcomes(bad):
    """A dose is given, refused, missed, or not yet recorded (None): nothing else."""
    with pytest.raises(ValueError, match=UNKNOWN_DOSE_OUTCOME):
        DepotDose(CAUSE_MEDICINE, date(2026, 11, 3), bad)


@pytest.mark.parametrize("bad", [-1, True, 7.0])
def test_depot_refuses_a_tolerance_that_is_not_whole_days(bad):
    """A depot's tolerance is zero or more whole days."""
    with pytest.raises(ValueError, match=re.escape(TOLERANCE_NOT_WHOLE)):
        Depot(CAUSE_MEDICINE, date(2026, 11, 3), bad)


def test_multi_agency_must_be_mappa_or_marac():
    """Only MAPPA and MARAC are multi-agency flags."""
    with pytest.raises(ValueError, match=UNKNOWN_MULTI_AGENCY):
        MultiAgency("mash", date(2026, 1, 1))


def test_snapshot_refuses_an_unknown_engagement_state():
    """The engagement state must be one of the ladder's states (or not given)."""
    with pytest.raises(ValueError, match=UNKNOWN_ENGAGEMENT_STATE):
        RecordSnapshot(today=date(2026, 1, 1), engagement_state="missing")


def test_snapshot_stores_lists_as_tuples():
    """Lists from a query become tuples, so a snapshot is immutable and hashable."""
    snapshot = RecordSnapshot(
        today=date(2026, 1, 1), carer_concerns=[CarerConcern(date(2026, 1, 1), "")]
    )
    assert isinstance(snapshot.carer_concerns, tuple)
    assert hash(snapshot) == hash(replace(snapshot))
