"""Red flags: what a worker must see first about a person, with why, since when and what clears it.

Lessons from serious incidents (002 ch.3) are that warning signs were on the record but not
obvious: a family asking for help, medication stopped or a depot missed, loss of contact, losing
housing, police contact, substance use, early warning signs from the person's own relapse
signature, CTO and Section 117 deadlines, MAPPA and MARAC. Design rule 5 puts these at the top of
the record and on the handover board; this module derives them from a snapshot of the record.

A flag is a fact with its reason, never a prediction. Nothing here scores, weights or ranks a
person's risk (design rule 6; NICE NG225, cited in 002 ch.3): risk is formulated by clinicians
in a structured narrative. Flags are listed in the order of design rule 5, which is a
fixed display order, not a ranking of how risky a person is.

Each flag stands while its cause stands, and only a recorded action clears it (a follow-up, a
restart, a dose given, a contact made), except police contact, which is shown for a set number of
days. A clearing date earlier than the thing it would clear is a recording error: it does not
clear the flag, which stays until the record is corrected (fail safe). Entries dated after today
have not happened yet and are ignored, except legal deadlines, which are about the future.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from outreach.core.engagement import EngagementState


class FlagKind(StrEnum):
    FAMILY_CONCERN = "family_concern"
    MEDICATION_STOPPED = "medication_stopped"
    DEPOT_MISSED = "depot_missed"
    DEPOT_REFUSED = "depot_refused"
    DEPOT_OVERDUE = "depot_overdue"
    LOST_CONTACT = "lost_contact"
    HOUSING_LOSS = "housing_loss"
    POLICE_CONTACT = "police_contact"
    SUBSTANCE_USE = "substance_use"
    EARLY_WARNING_SIGN = "early_warning_sign"
    LEGAL_DEADLINE = "legal_deadline"
    MAPPA = "mappa"
    MARAC = "marac"


# Display order: design rule 5's list (from 002 ch.3). A fixed order, not a ranking of risk.
ORDER: tuple[FlagKind, ...] = tuple(FlagKind)

LABELS: dict[FlagKind, str] = {
    FlagKind.FAMILY_CONCERN: "Family concern",
    FlagKind.MEDICATION_STOPPED: "Medication stopped",
    FlagKind.DEPOT_MISSED: "Depot missed",
    FlagKind.DEPOT_REFUSED: "Depot refused",
    FlagKind.DEPOT_OVERDUE: "Depot overdue",
    FlagKind.LOST_CONTACT: "Lost contact",
    FlagKind.HOUSING_LOSS: "Housing at risk or lost",
    FlagKind.POLICE_CONTACT: "Police contact",
    FlagKind.SUBSTANCE_USE: "Substance use",
    FlagKind.EARLY_WARNING_SIGN: "Early warning sign",
    FlagKind.LEGAL_DEADLINE: "Legal deadline",
    FlagKind.MAPPA: "MAPPA",
    FlagKind.MARAC: "MARAC",
}


class DoseOutcome(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    MISSED = "missed"


class MultiAgencyKind(StrEnum):
    MAPPA = "mappa"
    MARAC = "marac"


DEFAULT_HOUSING_STATUSES: frozenset[str] = frozenset({"at_risk", "homeless", "no_fixed_abode"})

HOUSING_STATUS_LABELS: dict[str, str] = {
    "settled": "settled accommodation",
    "temporary": "temporary accommodation",
    "at_risk": "accommodation at risk",
    "homeless": "homeless",
    "no_fixed_abode": "no fixed abode",
}

LEGAL_KIND_LABELS: dict[str, str] = {
    "cto_expiry": "CTO expiry",
    "cto_renewal": "CTO renewal",
    "s117_review": "Section 117 review",
    "tribunal": "Tribunal hearing",
}

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Reasons: plain English for clinicians, each citing the recorded fact.
FAMILY_CONCERN_REASON = "Family or carer raised a concern on {raised}, not yet followed up"
MEDICATION_STOPPED_REASON = "Stopped {medicine} on {stopped}, against advice, and not restarted."
DEPOT_MISSED_REASON = "Depot ({medicine}) due {due} was missed."
DEPOT_REFUSED_REASON = "Depot ({medicine}) due {due} was refused."
DEPOT_REPEATED = " {count} {outcome} doses since the last one given on {given}."
DEPOT_REPEATED_NEVER_GIVEN = " {count} {outcome} doses and none recorded as given."
DEPOT_OVERDUE_REASON = (
    "Depot ({medicine}) was due {due} and is {days} overdue, past the {tolerance}-day "
    "window, with no dose recorded as given."
)
LOST_CONTACT_REASON = "{state}: last successful face-to-face contact on {last}, {days} ago."
LOST_CONTACT_NEVER_SEEN = "{state}: no successful face-to-face contact recorded."
LOST_CONTACT_STATES: dict[EngagementState, str] = {
    EngagementState.LOST_CONTACT: "Lost contact",
    EngagementState.ESCALATED: "Lost contact, escalated to the consultant and team manager",
}
HOUSING_REASON = "Housing: {status} since {since}."
POLICE_CONTACT_REASON = "Police contact on {on}"
POLICE_CONTACT_COUNT = " {count} police contacts in the last {days}."
SUBSTANCE_USE_REASON = "Current use of {substance}, recorded since {since}."
EARLY_WARNING_SIGN_REASON = "Early warning sign observed on {observed}"
LEGAL_DUE_REASON = "{kind} due {due}, in {days}"
LEGAL_DUE_TOMORROW_REASON = "{kind} due {due}, tomorrow"
LEGAL_DUE_TODAY_REASON = "{kind} due today, {due}"
LEGAL_OVERDUE_REASON = "{kind} was due {due} and is overdue by {days}"
MAPPA_REASON = "Managed under MAPPA (multi-agency public protection arrangements) since {since}."
MARAC_REASON = (
    "Open to MARAC (multi-agency risk assessment conference, for domestic abuse) since {since}."
)

# What clears each flag: an action someone records, or (police contact only) time.
FAMILY_CONCERN_CLEARS = (
    "Clears when a worker records that they followed up the concern with the family or carer. "
    "It never clears with time alone."
)
MEDICATION_STOPPED_CLEARS = "Clears when a restart of {medicine} is recorded."
DEPOT_DOSE_CLEARS = "Clears when a later dose of {medicine} is recorded as given."
DEPOT_OVERDUE_CLEARS = (
    "Clears when a dose of {medicine} due on or after {due} is recorded as given."
)
LOST_CONTACT_CLEARS = (
    "Clears when a successful face-to-face contact is recorded. Losing contact is never a reason "
    "to discharge."
)
HOUSING_CLEARS = "Clears when accommodation is recorded that is not one of: {statuses}."
POLICE_CONTACT_CLEARS = (
    "Clears by itself on {expires}, {days} after the last police contact, unless there is "
    "another. This is the only red flag that clears with time."
)
SUBSTANCE_USE_CLEARS = (
    "Clears when a worker records that the person is no longer using {substance}."
)
EARLY_WARNING_SIGN_CLEARS = "Clears when a clinician records that the sign has resolved."
LEGAL_CLEARS = (
    "Clears when the deadline is recorded as met, for example the renewal made, the review held "
    "or the hearing heard."
)
MAPPA_CLEARS = "Clears when MAPPA management is recorded as ended."
MARAC_CLEARS = "Clears when the MARAC case is recorded as closed."

# Validation messages.
DAYS_NOT_WHOLE = "Red flag periods must be whole numbers of days, at least 1."
HOUSING_STATUSES_EMPTY = (
    "Give at least one accommodation status that raises the housing flag, as a list of names."
)
UNKNOWN_SETTING = "Unknown red flag setting"
NOT_A_MAPPING = "Red flag settings must be given as a mapping of names to values"
UNKNOWN_DOSE_OUTCOME = "A depot dose outcome must be given, refused, missed, or not yet recorded"
TOLERANCE_NOT_WHOLE = "A depot's tolerance must be a whole number of days, at least 0."
UNKNOWN_MULTI_AGENCY = "Multi-agency arrangements must be mappa or marac"
UNKNOWN_ENGAGEMENT_STATE = "Unknown engagement state"


def _is_whole(value: object, minimum: int) -> bool:
    # bool is an int subclass; True must not pass as "1 day" from a settings file.
    return type(value) is int and value >= minimum


def format_date(d: date) -> str:
    """A date as the pages show it, e.g. 3 Nov 2026 (locale independent)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _cite(text: str, detail: str) -> str:
    """The text, then the recorded detail when there is one, as one sentence."""
    detail = detail.strip()
    sentence = f"{text}: {detail}" if detail else text
    return sentence if sentence.endswith((".", "!", "?")) else f"{sentence}."


def _key(name: str) -> str:
    """Names match whatever their case or spacing (Zuclopenthixol, zuclopenthixol)."""
    return " ".join(name.split()).casefold()


def _cleared(start: date, cleared_on: date | None, today: date) -> bool:
    """A clearing action counts once it has happened, and only if dated on or after its cause."""
    return cleared_on is not None and start <= cleared_on <= today


# Inputs: one frozen dataclass per kind of entry. `ref` is the entry's own id (for example its
# database key); when given, the flag's source uses it, so a page can link a flag to its entry.


@dataclass(frozen=True)
class CarerConcern:
    """A concern raised by family or a carer: a potential red flag (002 ch.3)."""

    raised_on: date
    summary: str
    followed_up_on: date | None = None
    ref: str = ""


@dataclass(frozen=True)
class MedicationStop:
    """A medicine the person stopped taking."""

    medicine: str
    stopped_on: date
    against_advice: bool
    restarted_on: date | None = None
    ref: str = ""


@dataclass(frozen=True)
class DepotDose:
    """One scheduled depot injection and what happened (None: not yet recorded)."""

    medicine: str
    due_on: date
    outcome: str | None = None
    dose: str = ""  # e.g. "200 mg", shown after the medicine's name

    def __post_init__(self) -> None:
        if self.outcome is not None and self.outcome not in set(DoseOutcome):
            raise ValueError(UNKNOWN_DOSE_OUTCOME)


@dataclass(frozen=True)
class Depot:
    """An active depot prescription: the next dose's date and how late it may be given."""

    medicine: str
    next_due: date
    tolerance_days: int
    dose: str = ""

    def __post_init__(self) -> None:
        if not _is_whole(self.tolerance_days, 0):
            raise ValueError(TOLERANCE_NOT_WHOLE)


@dataclass(frozen=True)
class Accommodation:
    """The person's accommodation status from a date (settled, temporary, homeless, ...)."""

    status: str
    since: date
    ref: str = ""


@dataclass(frozen=True)
class PoliceContact:
    on: date
    summary: str
    ref: str = ""


@dataclass(frozen=True)
class SubstanceUse:
    substance: str
    current: bool
    since: date
    ref: str = ""


@dataclass(frozen=True)
class WarningSignObserved:
    """An early warning sign from the person's relapse signature, seen by a worker."""

    sign: str
    observed_on: date
    cleared_on: date | None = None
    ref: str = ""


@dataclass(frozen=True)
class LegalDeadline:
    """A Mental Health Act date: CTO expiry or renewal, Section 117 review, tribunal."""

    kind: str  # a code from LEGAL_KIND_LABELS, or the deadline's name as it should be shown
    description: str
    due_on: date
    met_on: date | None = None  # when the renewal was made, the review held, ...
    ref: str = ""


@dataclass(frozen=True)
class MultiAgency:
    """Management under MAPPA, or a case open to MARAC."""

    kind: str
    active_since: date
    ended_on: date | None = None
    ref: str = ""

    def __post_init__(self) -> None:
        if self.kind not in set(MultiAgencyKind):
            raise ValueError(UNKNOWN_MULTI_AGENCY)


_ENTRY_FIELDS = (
    "carer_concerns",
    "medication_stops",
    "depot_doses",
    "depots",
    "accommodation",
    "police_contacts",
    "substance_use",
    "warning_signs",
    "legal_deadlines",
    "multi_agency",
)


@dataclass(frozen=True)
class RecordSnapshot:
    """What the record says about one person, as of today. Lists are stored as tuples."""

    today: date
    carer_concerns: tuple[CarerConcern, ...] = ()
    medication_stops: tuple[MedicationStop, ...] = ()
    depot_doses: tuple[DepotDose, ...] = ()
    depots: tuple[Depot, ...] = ()  # active depot prescriptions only
    engagement_state: str | None = None  # an EngagementState value
    last_successful_contact: date | None = None
    accommodation: tuple[Accommodation, ...] = ()  # history: the latest on or before today counts
    police_contacts: tuple[PoliceContact, ...] = ()
    substance_use: tuple[SubstanceUse, ...] = ()
    warning_signs: tuple[WarningSignObserved, ...] = ()
    legal_deadlines: tuple[LegalDeadline, ...] = ()
    multi_agency: tuple[MultiAgency, ...] = ()

    def __post_init__(self) -> None:
        if self.engagement_state is not None and self.engagement_state not in set(EngagementState):
            raise ValueError(f"{UNKNOWN_ENGAGEMENT_STATE}: {self.engagement_state}")
        for name in _ENTRY_FIELDS:
            object.__setattr__(self, name, tuple(getattr(self, name)))


@dataclass(frozen=True)
class FlagConfig:
    """How long a police contact is shown, how early legal deadlines show, which housing flags."""

    police_contact_days: int = 28
    legal_notice_days: int = 28
    housing_statuses: frozenset[str] = DEFAULT_HOUSING_STATUSES

    def __post_init__(self) -> None:
        if not (_is_whole(self.police_contact_days, 1) and _is_whole(self.legal_notice_days, 1)):
            raise ValueError(DAYS_NOT_WHOLE)
        statuses = self.housing_statuses
        # A bare string is iterable too: "homeless" must not become {"h", "o", "m", ...}.
        if isinstance(statuses, str | bytes) or not isinstance(statuses, Iterable):
            raise ValueError(HOUSING_STATUSES_EMPTY)
        names = list(statuses)
        # An empty set would switch the housing flag off without anyone noticing.
        if not names or not all(isinstance(s, str) and s.strip() for s in names):
            raise ValueError(HOUSING_STATUSES_EMPTY)
        object.__setattr__(self, "housing_statuses", frozenset(map(_key, names)))

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any]) -> FlagConfig:
        """Build from settings; keys left out keep their defaults, unknown keys are refused."""
        if not isinstance(d, Mapping):
            raise ValueError(NOT_A_MAPPING)
        # A misspelt key would otherwise be ignored silently and the default used.
        unknown = set(d) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"{UNKNOWN_SETTING}: {', '.join(sorted(map(str, unknown)))}")
        return replace(cls(), **d)


DEFAULT_FLAG_CONFIG = FlagConfig()


@dataclass(frozen=True)
class Flag:
    """A red flag: a recorded fact, why it matters now, since when, and what clears it."""

    kind: FlagKind
    reason: str
    since: date | None  # None when the start is not recorded (lost contact, never seen)
    clears_when: str
    # The entry it comes from, e.g. "depot:zuclopenthixol" or "carer_concern:17": unique among
    # the flags of one kind, so two concerns give two distinct flags.
    source: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def _source(prefix: str, ref: str, natural: str) -> str:
    return f"{prefix}:{ref.strip() or natural}"


def _family_concerns(concerns: Iterable[CarerConcern], today: date) -> Iterable[Flag]:
    for c in concerns:
        if c.raised_on > today or _cleared(c.raised_on, c.followed_up_on, today):
            continue
        reason = FAMILY_CONCERN_REASON.format(raised=format_date(c.raised_on))
        yield Flag(
            FlagKind.FAMILY_CONCERN,
            _cite(reason, c.summary),
            c.raised_on,
            FAMILY_CONCERN_CLEARS,
            _source("carer_concern", c.ref, c.raised_on.isoformat()),
        )


def _medication_stops(stops: Iterable[MedicationStop], today: date) -> Iterable[Flag]:
    for s in stops:
        if not s.against_advice or s.stopped_on > today:
            continue
        if _cleared(s.stopped_on, s.restarted_on, today):
            continue
        medicine = s.medicine.strip()
        yield Flag(
            FlagKind.MEDICATION_STOPPED,
            MEDICATION_STOPPED_REASON.format(medicine=medicine, stopped=format_date(s.stopped_on)),
            s.stopped_on,
            MEDICATION_STOPPED_CLEARS.format(medicine=medicine),
            _source("medication_stop", s.ref, _key(medicine)),
        )


def _depot_name(medicine: str, dose: str) -> str:
    return " ".join(part for part in (medicine.strip(), dose.strip()) if part)


def _depot_doses(doses: Iterable[DepotDose], today: date) -> Iterable[Flag]:
    """Per medicine: a missed (or refused) dose stands until a dose due on or after it is given."""
    by_medicine: dict[str, list[DepotDose]] = {}
    for d in doses:
        if d.due_on <= today and d.outcome is not None:
            by_medicine.setdefault(_key(d.medicine), []).append(d)
    for key, recorded in by_medicine.items():
        given = [d.due_on for d in recorded if d.outcome == DoseOutcome.GIVEN]
        last_given = max(given, default=None)
        for outcome, kind, template in (
            (DoseOutcome.MISSED, FlagKind.DEPOT_MISSED, DEPOT_MISSED_REASON),
            (DoseOutcome.REFUSED, FlagKind.DEPOT_REFUSED, DEPOT_REFUSED_REASON),
        ):
            standing = sorted(
                (d for d in recorded if d.outcome == outcome),
                key=lambda d: (d.due_on, d.dose, d.medicine),
            )
            if last_given is not None:
                standing = [d for d in standing if d.due_on > last_given]
            if not standing:
                continue
            latest = standing[-1]
            reason = template.format(
                medicine=_depot_name(latest.medicine, latest.dose), due=format_date(latest.due_on)
            )
            if len(standing) > 1:
                extra = DEPOT_REPEATED if last_given is not None else DEPOT_REPEATED_NEVER_GIVEN
                reason += extra.format(
                    count=len(standing),
                    outcome=str(outcome),
                    given="" if last_given is None else format_date(last_given),
                )
            yield Flag(
                kind,
                reason,
                standing[0].due_on,
                DEPOT_DOSE_CLEARS.format(medicine=latest.medicine.strip()),
                f"depot:{key}",
            )


def _depots_overdue(
    depots: Iterable[Depot], doses: Iterable[DepotDose], today: date
) -> Iterable[Flag]:
    given: dict[str, list[date]] = {}
    for d in doses:
        if d.outcome == DoseOutcome.GIVEN and d.due_on <= today:
            given.setdefault(_key(d.medicine), []).append(d.due_on)
    for depot in depots:
        key = _key(depot.medicine)
        overdue_from = depot.next_due + timedelta(days=depot.tolerance_days + 1)
        if today < overdue_from:
            continue
        if any(depot.next_due <= g for g in given.get(key, ())):
            continue
        medicine = depot.medicine.strip()
        yield Flag(
            FlagKind.DEPOT_OVERDUE,
            DEPOT_OVERDUE_REASON.format(
                medicine=_depot_name(medicine, depot.dose),
                due=format_date(depot.next_due),
                days=_days((today - depot.next_due).days),
                tolerance=depot.tolerance_days,
            ),
            overdue_from,
            DEPOT_OVERDUE_CLEARS.format(medicine=medicine, due=format_date(depot.next_due)),
            f"depot:{key}",
        )


def _lost_contact(snapshot: RecordSnapshot) -> Iterable[Flag]:
    state = snapshot.engagement_state
    if state not in LOST_CONTACT_STATES:
        return
    label = LOST_CONTACT_STATES[EngagementState(state)]
    last = snapshot.last_successful_contact
    if last is not None and last > snapshot.today:
        last = None  # a contact dated in the future has not happened
    if last is None:
        reason = LOST_CONTACT_NEVER_SEEN.format(state=label)
    else:
        reason = LOST_CONTACT_REASON.format(
            state=label, last=format_date(last), days=_days((snapshot.today - last).days)
        )
    yield Flag(FlagKind.LOST_CONTACT, reason, last, LOST_CONTACT_CLEARS, "engagement")


def _status_label(status: str) -> str:
    key = _key(status)
    return HOUSING_STATUS_LABELS.get(key, key.replace("_", " "))


def _housing(
    history: Iterable[Accommodation], today: date, statuses: frozenset[str]
) -> Iterable[Flag]:
    recorded = [a for a in history if a.since <= today]
    if not recorded:
        return
    # The latest entry is the current one; of several on that day, a flagged one wins (fail safe).
    current = max(recorded, key=lambda a: (a.since, _key(a.status) in statuses, a.status, a.ref))
    if _key(current.status) not in statuses:
        return
    yield Flag(
        FlagKind.HOUSING_LOSS,
        HOUSING_REASON.format(
            status=_status_label(current.status), since=format_date(current.since)
        ),
        current.since,
        HOUSING_CLEARS.format(statuses=", ".join(sorted(map(_status_label, statuses)))),
        _source("accommodation", current.ref, current.since.isoformat()),
    )


def _police(contacts: Iterable[PoliceContact], today: date, days: int) -> Iterable[Flag]:
    recorded = sorted(
        (c for c in contacts if c.on <= today), key=lambda c: (c.on, c.summary, c.ref)
    )
    if not recorded:
        return
    latest = recorded[-1].on
    expires = latest + timedelta(days=days)
    if today >= expires:
        return
    # Since: the first contact of the run in which each contact came before the last one expired.
    since = latest
    for c in reversed(recorded):
        if (since - c.on).days < days:
            since = c.on
    on_latest = [c for c in recorded if c.on == latest]
    summary = "; ".join(s for s in (c.summary.strip() for c in on_latest) if s)
    reason = _cite(POLICE_CONTACT_REASON.format(on=format_date(latest)), summary)
    in_window = sum(1 for c in recorded if (today - c.on).days < days)
    if in_window > 1:
        reason += POLICE_CONTACT_COUNT.format(count=in_window, days=_days(days))
    ref = next((c.ref for c in reversed(on_latest) if c.ref.strip()), "")
    yield Flag(
        FlagKind.POLICE_CONTACT,
        reason,
        since,
        POLICE_CONTACT_CLEARS.format(expires=format_date(expires), days=_days(days)),
        _source("police_contact", ref, latest.isoformat()),
    )


def _substances(uses: Iterable[SubstanceUse], today: date) -> Iterable[Flag]:
    for u in uses:
        if not u.current or u.since > today:
            continue
        substance = u.substance.strip()
        yield Flag(
            FlagKind.SUBSTANCE_USE,
            SUBSTANCE_USE_REASON.format(substance=substance, since=format_date(u.since)),
            u.since,
            SUBSTANCE_USE_CLEARS.format(substance=substance),
            _source("substance_use", u.ref, _key(substance)),
        )


def _warning_signs(signs: Iterable[WarningSignObserved], today: date) -> Iterable[Flag]:
    for s in signs:
        if s.observed_on > today or _cleared(s.observed_on, s.cleared_on, today):
            continue
        yield Flag(
            FlagKind.EARLY_WARNING_SIGN,
            _cite(EARLY_WARNING_SIGN_REASON.format(observed=format_date(s.observed_on)), s.sign),
            s.observed_on,
            EARLY_WARNING_SIGN_CLEARS,
            _source("warning_sign", s.ref, s.observed_on.isoformat()),
        )


def _legal_label(kind: str) -> str:
    label = LEGAL_KIND_LABELS.get(_key(kind), kind.strip().replace("_", " ")) or "Legal deadline"
    return label[:1].upper() + label[1:]


def _legal(deadlines: Iterable[LegalDeadline], today: date, notice: int) -> Iterable[Flag]:
    for d in deadlines:
        if d.met_on is not None and d.met_on <= today:
            continue
        left = (d.due_on - today).days
        if left > notice:
            continue
        label, due = _legal_label(d.kind), format_date(d.due_on)
        if left < 0:
            text = LEGAL_OVERDUE_REASON.format(kind=label, due=due, days=_days(-left))
        elif left == 0:
            text = LEGAL_DUE_TODAY_REASON.format(kind=label, due=due)
        elif left == 1:
            text = LEGAL_DUE_TOMORROW_REASON.format(kind=label, due=due)
        else:
            text = LEGAL_DUE_REASON.format(kind=label, due=due, days=_days(left))
        yield Flag(
            FlagKind.LEGAL_DEADLINE,
            _cite(text, d.description),
            d.due_on - timedelta(days=notice),
            LEGAL_CLEARS,
            _source("legal_deadline", d.ref, f"{_key(d.kind)}:{d.due_on.isoformat()}"),
        )


_MULTI_AGENCY: dict[str, tuple[FlagKind, str, str]] = {
    MultiAgencyKind.MAPPA: (FlagKind.MAPPA, MAPPA_REASON, MAPPA_CLEARS),
    MultiAgencyKind.MARAC: (FlagKind.MARAC, MARAC_REASON, MARAC_CLEARS),
}


def _multi_agency(entries: Iterable[MultiAgency], today: date) -> Iterable[Flag]:
    for m in entries:
        if m.active_since > today or _cleared(m.active_since, m.ended_on, today):
            continue
        kind, reason, clears = _MULTI_AGENCY[m.kind]
        yield Flag(
            kind,
            reason.format(since=format_date(m.active_since)),
            m.active_since,
            clears,
            _source(str(kind), m.ref, m.active_since.isoformat()),
        )


def _order(flag: Flag) -> tuple[int, date, str, str, str]:
    since = date.min if flag.since is None else flag.since
    return (ORDER.index(flag.kind), since, flag.reason, flag.source, flag.clears_when)


def _distinct_sources(flags: list[Flag]) -> tuple[Flag, ...]:
    """Number repeated sources of one kind (two concerns raised the same day): source:2, ..."""
    used: set[tuple[FlagKind, str]] = set()
    distinct = []
    for flag in flags:
        source, n = flag.source, 1
        while (flag.kind, source) in used:
            n += 1
            source = f"{flag.source}:{n}"
        used.add((flag.kind, source))
        distinct.append(flag if source == flag.source else replace(flag, source=source))
    return tuple(distinct)


def derive_flags(
    snapshot: RecordSnapshot, config: FlagConfig = DEFAULT_FLAG_CONFIG
) -> tuple[Flag, ...]:
    """The person's current red flags, in design rule 5's order, then longest-standing first."""
    today = snapshot.today
    flags = [
        *_family_concerns(snapshot.carer_concerns, today),
        *_medication_stops(snapshot.medication_stops, today),
        *_depot_doses(snapshot.depot_doses, today),
        *_depots_overdue(snapshot.depots, snapshot.depot_doses, today),
        *_lost_contact(snapshot),
        *_housing(snapshot.accommodation, today, config.housing_statuses),
        *_police(snapshot.police_contacts, today, config.police_contact_days),
        *_substances(snapshot.substance_use, today),
        *_warning_signs(snapshot.warning_signs, today),
        *_legal(snapshot.legal_deadlines, today, config.legal_notice_days),
        *_multi_agency(snapshot.multi_agency, today),
    ]
    return _distinct_sources(sorted(flags, key=_order))
