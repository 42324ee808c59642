"""Outcomes before and after acceptance: the mirror-image comparison used in assertive
outreach evaluations (001: bed use, admissions, legal problems), and the other outcomes the
team follows (DIALOG+ quality of life and treatment satisfaction, contacts against target,
accommodation, activity and employment).

The mirror image compares the N years before the day a person was accepted with the same
N years after it. A person is in the comparison for a horizon only with the whole of the
after-period behind them and still with the team: accepted less than N years ago, or their
care ended early (discharged, transferred, moved away, died), and they are left out of that
horizon and counted as left out, with the reason. No one with short follow-up is ever
counted as improved.

These are descriptions of what happened, not evidence that the team caused it: there is no
comparison group, people are often accepted after their worst year (regression to the
mean), and the people left out may differ from those counted. CAVEATS says so in plain
words, and every page and export carries it. Nothing here predicts anything about a person.

No Django here (import-linter).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from outreach.core.equality import mean_ci
from outreach.core.periods import Period, merge

CAVEATS: tuple[str, ...] = (
    "There is no comparison group: these figures describe what happened to the people "
    "the team worked with, not what would have happened without the team. They are not "
    "proof that the team caused any change.",
    "People are often accepted after a crisis or a long admission, their worst time. Some "
    "improvement afterwards would be expected whatever the service did (regression to the "
    "mean).",
    "Only people with the whole follow-up period behind them, still with the team, are "
    "counted. People accepted more recently, and people whose care ended early (discharged, "
    "transferred, moved away or died), are left out and counted separately; they may have "
    "done better or worse than those counted.",
    "Events before acceptance are only as complete as the history entered for them.",
    "These figures say nothing about any one person's future and must not be used to "
    "predict it.",
)

SHORT_FOLLOW_UP = "accepted less than {years} ago: not yet enough follow-up"
ENDED_EARLY = "care ended before {years} (discharged, transferred, moved away or died)"
NOT_ACCEPTED = "never accepted"
BAD_HORIZON = "A horizon must be a whole number of years, at least 1"


class Outcome(StrEnum):
    BED_DAYS = "bed_days"
    ADMISSIONS = "admissions"
    DETENTIONS = "detentions"
    CRISIS = "crisis_episodes"
    POLICE = "police_contacts"


OUTCOME_TITLES = {
    Outcome.BED_DAYS: "Inpatient bed days",
    Outcome.ADMISSIONS: "Admissions to hospital",
    Outcome.DETENTIONS: "Detentions under the Mental Health Act",
    Outcome.CRISIS: "Crisis episodes",
    Outcome.POLICE: "Police or criminal justice contacts",
}


def years_text(years: int) -> str:
    return "1 year" if years == 1 else f"{years} years"


def add_years(d: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


@dataclass(frozen=True)
class History:
    """What the mirror image needs of one person. Spells and detentions are periods (end
    None: still going); crisis episodes and police contacts are the days they began."""

    accepted: date | None
    care_ended: date | None = None  # discharged or transferred out (last day with the team)
    spells: Sequence[tuple[date, date | None]] = ()
    detentions: Sequence[tuple[date, date | None]] = ()
    crisis: Sequence[date] = ()
    police: Sequence[date] = ()


@dataclass(frozen=True)
class Counts:
    bed_days: int = 0
    admissions: int = 0
    detentions: int = 0
    crisis_episodes: int = 0
    police_contacts: int = 0

    def get(self, outcome: Outcome) -> int:
        return getattr(self, outcome.value)


@dataclass(frozen=True)
class MirrorImage:
    years: int
    included: bool
    reason: str  # why left out; "" when included
    before: Period | None
    after: Period | None
    counts_before: Counts | None
    counts_after: Counts | None


def _periods(items: Iterable[tuple[date, date | None]], until: date) -> list[Period]:
    out = []
    for start, end in items:
        last = min(end, until) if end is not None else until
        if last >= start:
            out.append(Period(start, last))
    return merge(out)


def _overlap_days(periods: Sequence[Period], window: Period) -> int:
    total = 0
    for p in periods:
        lo, hi = max(p.start, window.start), min(p.end, window.end)
        if hi >= lo:
            total += (hi - lo).days + 1
    return total


def count_in(history: History, window: Period, *, as_of: date) -> Counts:
    """The events of a window. Overlapping or back-to-back hospital spells are one admission
    (a transfer between wards is not a new admission); an admission counts in the window it
    began in; bed days are the days of any spell inside the window; a section 2 followed by
    a section 3 without a gap is one detention."""
    spells = _periods(history.spells, as_of)
    detentions = _periods(history.detentions, as_of)
    return Counts(
        bed_days=_overlap_days(spells, window),
        admissions=sum(window.contains(p.start) for p in spells),
        detentions=sum(window.contains(p.start) for p in detentions),
        crisis_episodes=sum(window.contains(d) for d in history.crisis),
        police_contacts=sum(window.contains(d) for d in history.police),
    )


def mirror_image(history: History, *, as_of: date, years: int) -> MirrorImage:
    """The N years before acceptance against the N years from acceptance, or why this
    person is left out of the N-year comparison."""
    if type(years) is not int or years < 1:
        raise ValueError(BAD_HORIZON)
    if history.accepted is None:
        return MirrorImage(years, False, NOT_ACCEPTED, None, None, None, None)
    accepted = history.accepted
    before = Period(add_years(accepted, -years), accepted - timedelta(days=1))
    after = Period(accepted, add_years(accepted, years) - timedelta(days=1))
    text = years_text(years)
    if after.end >= as_of:
        return MirrorImage(years, False, SHORT_FOLLOW_UP.format(years=text), before, after,
                           None, None)
    if history.care_ended is not None and history.care_ended < after.end:
        return MirrorImage(years, False, ENDED_EARLY.format(years=text), before, after,
                           None, None)
    return MirrorImage(years, True, "", before, after,
                       count_in(history, before, as_of=as_of),
                       count_in(history, after, as_of=as_of))


@dataclass(frozen=True)
class OutcomeSummary:
    """One outcome across the people included for a horizon."""

    outcome: Outcome
    people: int
    total_before: int
    total_after: int
    people_with_before: int  # people with at least one (a bed day, an admission...) before
    people_with_after: int
    change: tuple[float, float, float] | None  # mean per-person change after - before, 95% CI

    @property
    def mean_before(self) -> float | None:
        return self.total_before / self.people if self.people else None

    @property
    def mean_after(self) -> float | None:
        return self.total_after / self.people if self.people else None


@dataclass(frozen=True)
class HorizonSummary:
    years: int
    included: int
    left_out: dict[str, int]  # reason -> people
    outcomes: list[OutcomeSummary]


def summarise(images: Sequence[MirrorImage], years: int) -> HorizonSummary:
    """Totals, means and the mean paired change with its 95% interval, over the people
    included; the people left out counted by reason."""
    mine = [m for m in images if m.years == years]
    inc = [m for m in mine if m.included]
    left: dict[str, int] = {}
    for m in mine:
        if not m.included:
            left[m.reason] = left.get(m.reason, 0) + 1
    out = []
    for o in Outcome:
        before = [m.counts_before.get(o) for m in inc if m.counts_before is not None]
        after = [m.counts_after.get(o) for m in inc if m.counts_after is not None]
        out.append(OutcomeSummary(
            o, len(inc), sum(before), sum(after), sum(1 for v in before if v > 0),
            sum(1 for v in after if v > 0),
            mean_ci([a - b for a, b in zip(after, before, strict=True)]),
        ))
    return HorizonSummary(years, len(inc), left, out)


# --- DIALOG+ over time ---------------------------------------------------------------------

QOL_ITEMS = 8  # the first 8 DIALOG items are life domains: subjective quality of life
SATISFACTION_ITEMS = 3  # the last 3: satisfaction with treatment


@dataclass(frozen=True)
class DialogPoint:
    on: date
    quality_of_life: float | None  # mean of the 8 life domains rated (1-7)
    treatment: float | None  # mean of the 3 treatment aspects rated (1-7)


def dialog_point(on: date, scores: dict[str, int], life: Sequence[str],
                 treatment: Sequence[str]) -> DialogPoint:
    """The two DIALOG scores of one assessment: means of the items rated (an assessment
    with no life domain rated has no quality-of-life score)."""
    ql = [scores[i] for i in life if i in scores]
    tr = [scores[i] for i in treatment if i in scores]
    return DialogPoint(on, sum(ql) / len(ql) if ql else None,
                       sum(tr) / len(tr) if tr else None)


MIN_DIALOG_GAP_DAYS = 90


@dataclass(frozen=True)
class DialogChange:
    first: DialogPoint
    latest: DialogPoint

    @property
    def quality_of_life(self) -> float | None:
        if self.first.quality_of_life is None or self.latest.quality_of_life is None:
            return None
        return self.latest.quality_of_life - self.first.quality_of_life

    @property
    def treatment(self) -> float | None:
        if self.first.treatment is None or self.latest.treatment is None:
            return None
        return self.latest.treatment - self.first.treatment


def dialog_change(points: Sequence[DialogPoint], min_gap_days: int = MIN_DIALOG_GAP_DAYS
                  ) -> DialogChange | None:
    """First against latest assessment, when they are at least min_gap_days apart (a
    change over a few weeks says little); None otherwise."""
    ordered = sorted(points, key=lambda p: p.on)
    if len(ordered) < 2 or (ordered[-1].on - ordered[0].on).days < min_gap_days:
        return None
    return DialogChange(ordered[0], ordered[-1])


# --- Contacts against target ---------------------------------------------------------------


@dataclass(frozen=True)
class ContactsAgainstTarget:
    weeks: int  # whole weeks counted
    weeks_met: int
    contacts: int
    expected: int

    @property
    def share_met(self) -> float | None:
        return self.weeks_met / self.weeks if self.weeks else None


def contacts_against_target(successful: Iterable[date], *, start: date, end: date,
                            target: int) -> ContactsAgainstTarget:
    """Successful face-to-face contacts in each whole week (Monday to Sunday) from start to
    end, both included, against the weekly target. Part-weeks at either end are left out."""
    first_monday = start + timedelta(days=(7 - start.weekday()) % 7)
    weeks: list[date] = []
    monday = first_monday
    while monday + timedelta(days=6) <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    per_week = dict.fromkeys(weeks, 0)
    for d in successful:
        key = d - timedelta(days=d.weekday())
        if key in per_week:
            per_week[key] += 1
    return ContactsAgainstTarget(len(weeks), sum(1 for n in per_week.values() if n >= target),
                                 sum(per_week.values()), target * len(weeks))


# --- Accommodation, activity and employment ----------------------------------------------


@dataclass(frozen=True)
class StatusChange:
    """A person's status at acceptance and now (e.g. settled accommodation; in work, study
    or voluntary work), and how many times it changed in between."""

    at_acceptance: str | None
    now: str | None
    good_at_acceptance: bool | None
    good_now: bool | None
    changes: int = 0


def status_change(statuses: Sequence[tuple[date, str]], *, accepted: date, good: Iterable[str],
                  grace_days: int = 28) -> StatusChange:
    """The status in force at acceptance (the latest assessed on or before it, else the
    first within grace_days after it, assessments often following acceptance) and the latest
    status, with the number of changes of status between them."""
    good_set = set(good)
    ordered = sorted(statuses, key=lambda s: s[0])
    if not ordered:
        return StatusChange(None, None, None, None)
    before = [s for s in ordered if s[0] <= accepted]
    soon = [s for s in ordered if accepted < s[0] <= accepted + timedelta(days=grace_days)]
    start = before[-1] if before else (soon[0] if soon else None)
    latest = ordered[-1]
    changes = 0
    if start is not None:
        seq = [s[1] for s in ordered[ordered.index(start):]]
        changes = sum(1 for a, b in zip(seq, seq[1:], strict=False) if a != b)
    return StatusChange(
        start[1] if start else None, latest[1],
        (start[1] in good_set) if start else None, latest[1] in good_set, changes,
    )


@dataclass
class ShareBeforeAfter:
    """People with a good status at acceptance and now, among those with both known."""

    people: int = 0
    good_at_acceptance: int = 0
    good_now: int = 0
    unknown: int = 0
    changes: list[int] = field(default_factory=list)

    def add(self, change: StatusChange) -> None:
        if change.good_at_acceptance is None or change.good_now is None:
            self.unknown += 1
            return
        self.people += 1
        self.good_at_acceptance += int(change.good_at_acceptance)
        self.good_now += int(change.good_now)
        self.changes.append(change.changes)
