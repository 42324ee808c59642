"""Caseload RAG review: each person's care rated red / amber / green against named standards,
for the MDT caseload review (004 action 40: "RAG rate patient records with best practice
standards"; design rule 6).

It rates the CARE, never the person: whether the team has done what the standards ask (a plan
reviewed in time, contact at the agreed intensity, a physical health check, legal deadlines
met, the family kept in touch). Nothing here reads the content of a risk formulation, a red
flag, or anything else that could become a prediction of what a person will do; CareFacts has
no field for it. Every rating says which standard it is about, why, and since when, so the
review can act on it.

Settings: `OUTREACH_RAG`, a mapping of RagConfig's fields (keys left out keep the defaults).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

NOT_A_MAPPING = "OUTREACH_RAG must be a mapping of names to values"
UNKNOWN = "Unknown RAG setting"
NOT_WHOLE = "RAG periods must be whole numbers of days, at least 1"
BAD_SHARE = "contact_amber_share must be a number between 0 and 1"
CARER_ORDER = "carer_red_days must be more than carer_green_days"


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_APPLICABLE = "not_applicable"


SEVERITY: dict[Rag, int] = {Rag.NOT_APPLICABLE: -1, Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}
LABELS: dict[Rag, str] = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red",
                          Rag.NOT_APPLICABLE: "Not applicable"}


class Standard(StrEnum):
    CARE_PLAN = "care_plan"
    CRISIS_PLAN = "crisis_plan"
    RISK_FORMULATION = "risk_formulation"
    CONTACT = "contact"
    PHYSICAL_HEALTH = "physical_health"
    LEGAL = "legal"
    CARER_CONTACT = "carer_contact"


@dataclass(frozen=True)
class StandardInfo:
    title: str
    text: str  # the named best-practice standard, in words
    source: str


STANDARDS: dict[Standard, StandardInfo] = {
    Standard.CARE_PLAN: StandardInfo(
        "Care plan",
        "A co-produced DIALOG+ care plan, reviewed by its review date.",
        "NHS Somerset action plan, actions 7, 12, 14 and 40; NHS England guidance, chapter 4 "
        "(co-produced care plans)",
    ),
    Standard.CRISIS_PLAN: StandardInfo(
        "Crisis plan",
        "A crisis (safety) plan, reviewed by its review date.",
        "NHS England guidance, chapter 4 (care and safety planning)",
    ),
    Standard.RISK_FORMULATION: StandardInfo(
        "Risk formulation review",
        "A risk formulation (a narrative, not a score), reviewed by its review date.",
        "NHS England guidance, chapter 3 (NICE NG225: formulation, not prediction); "
        "NHS Somerset action plan, action 23",
    ),
    Standard.CONTACT: StandardInfo(
        "Contact against target",
        "Face-to-face contacts with the person at their weekly target.",
        "The assertive outreach model; NHS England guidance, annex B (intensity)",
    ),
    Standard.PHYSICAL_HEALTH: StandardInfo(
        "Physical health check",
        "A physical health check in the last 12 months.",
        "NHS Somerset action plan, actions 3, 32 and 37; NHS England guidance, chapter 4 "
        "(physical health needs)",
    ),
    Standard.LEGAL: StandardInfo(
        "Legal deadlines",
        "CTO renewals and expiry, and Section 117 aftercare reviews, dealt with by their dates.",
        "NHS England guidance, chapter 4 (use of legal frameworks)",
    ),
    Standard.CARER_CONTACT: StandardInfo(
        "Carer contact",
        "The team in touch with the person's carer or family at least every 3 months, where "
        "there is one.",
        "NHS England guidance, chapters 3 and 4 (families and carers)",
    ),
}


def _whole(value: object, minimum: int = 1) -> bool:
    return type(value) is int and value >= minimum


@dataclass(frozen=True)
class RagConfig:
    # A review (plan, formulation, health check) due within this many days is amber.
    due_soon_days: int = 28
    # Someone new to the caseload has this long to get a first plan before it is red.
    first_plan_days: int = 28
    # Contact: face-to-face contacts over this many days against the weekly target.
    contact_window_days: int = 14
    # At least this share of the expected contacts is amber; fewer is red.
    contact_amber_share: float = 0.5
    # Carer or family contact within this many days is green, beyond red_days red.
    carer_green_days: int = 90
    carer_red_days: int = 180
    # A legal deadline within this many days is amber (as the red-flag notice period).
    legal_notice_days: int = 28

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name != "contact_amber_share" and not _whole(getattr(self, f.name)):
                raise ValueError(f"{NOT_WHOLE} ({f.name})")
        share = self.contact_amber_share
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            raise ValueError(BAD_SHARE)
        if self.carer_red_days <= self.carer_green_days:
            raise ValueError(CARER_ORDER)

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any]) -> RagConfig:
        if not isinstance(d, Mapping):
            raise ValueError(NOT_A_MAPPING)
        unknown = set(d) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"{UNKNOWN}: {', '.join(sorted(map(str, unknown)))}")
        return replace(cls(), **d)


@dataclass(frozen=True)
class Review:
    """The current version of a plan (or the latest check): its date and its review date."""

    on: date
    due: date


@dataclass(frozen=True)
class Deadline:
    label: str  # e.g. "CTO expiry"
    due: date


@dataclass(frozen=True)
class CareFacts:
    """What the record says about one person's care on one day. Nothing about their risk."""

    today: date
    on_caseload_since: date
    care_plan: Review | None
    crisis_plan: Review | None
    risk_formulation: Review | None
    # Successful contacts: attended, face to face, with the person, up to and including today.
    contact_dates: Sequence[date]
    # The last successful contact of the episode, if earlier than the contact window.
    last_seen: date | None
    weekly_target: int
    physical_health: Review | None  # `on` the last check, `due` the next
    legal_deadlines: Sequence[Deadline]  # open deadlines (CTO in force, Section 117 reviews)
    has_carer: bool
    last_carer_contact: date | None


@dataclass(frozen=True)
class Rating:
    standard: Standard
    rag: Rag
    reason: str
    since: date | None  # when this rating began (None: not applicable)

    @property
    def title(self) -> str:
        return STANDARDS[self.standard].title

    @property
    def label(self) -> str:
        return LABELS[self.rag]


@dataclass(frozen=True)
class PersonRag:
    ratings: tuple[Rating, ...]

    @property
    def overall(self) -> Rag:
        """The worst of the standards that apply."""
        applicable = [r.rag for r in self.ratings if r.rag != Rag.NOT_APPLICABLE]
        return max(applicable, key=SEVERITY.__getitem__, default=Rag.GREEN)

    def of(self, standard: Standard) -> Rating:
        return next(r for r in self.ratings if r.standard == standard)

    @property
    def reasons(self) -> tuple[Rating, ...]:
        """The red and amber ratings, worst and longest-standing first."""
        flagged = [r for r in self.ratings if r.rag in (Rag.RED, Rag.AMBER)]
        return tuple(sorted(flagged, key=lambda r: (-SEVERITY[r.rag], r.since or date.max)))


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def fmt(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


_DAY = timedelta(days=1)


def _review(standard: Standard, noun: str, review: Review | None, facts: CareFacts,
            config: RagConfig) -> Rating:
    today = facts.today
    if review is None:
        required = facts.on_caseload_since + timedelta(days=config.first_plan_days)
        if today < required:
            return Rating(standard, Rag.AMBER,
                          f"No {noun} yet: needed by {fmt(required)} (on the caseload since "
                          f"{fmt(facts.on_caseload_since)}).", facts.on_caseload_since)
        return Rating(standard, Rag.RED, f"No {noun} recorded; needed since {fmt(required)}.",
                      required)
    if review.due < today:
        return Rating(standard, Rag.RED,
                      f"{_first_upper(noun)} review overdue: it was due on {fmt(review.due)}.",
                      review.due + _DAY)
    soon = review.due - timedelta(days=config.due_soon_days)
    if soon <= today:
        return Rating(standard, Rag.AMBER,
                      f"{_first_upper(noun)} review due on {fmt(review.due)}.", soon)
    return Rating(standard, Rag.GREEN,
                  f"{_first_upper(noun)} of {fmt(review.on)}, next review by {fmt(review.due)}.",
                  review.on)


def _contact(facts: CareFacts, config: RagConfig) -> Rating:
    today = facts.today
    window_start = today - timedelta(days=config.contact_window_days - 1)
    start = max(window_start, facts.on_caseload_since)
    days = (today - start).days + 1
    # Whole contacts due so far: someone new to the caseload is not short of a part-week.
    expected = math.floor(facts.weekly_target * days / 7) if days > 0 else 0
    seen = sorted(d for d in facts.contact_dates if start <= d <= today)
    known = [d for d in (*facts.contact_dates, facts.last_seen) if d is not None and d <= today]
    last = max(known, default=None)
    last_text = f"last seen face to face on {fmt(last)}" if last else "not seen face to face yet"
    count = f"{len(seen)} of {expected} expected face-to-face contacts in the {days} days to " \
            f"{fmt(today)} (target {facts.weekly_target} a week); {last_text}."
    if len(seen) >= expected:
        return Rating(Standard.CONTACT, Rag.GREEN, _first_upper(count), start)
    since = min((last + _DAY) if last else facts.on_caseload_since, today)
    if len(seen) >= config.contact_amber_share * expected:
        return Rating(Standard.CONTACT, Rag.AMBER, _first_upper(count), since)
    return Rating(Standard.CONTACT, Rag.RED, _first_upper(count), since)


def _physical(facts: CareFacts, config: RagConfig) -> Rating:
    check = facts.physical_health
    today = facts.today
    standard = Standard.PHYSICAL_HEALTH
    if check is None:
        required = facts.on_caseload_since + timedelta(days=config.first_plan_days)
        if today < required:
            return Rating(standard, Rag.AMBER,
                          f"No physical health check recorded yet: needed by {fmt(required)}.",
                          facts.on_caseload_since)
        return Rating(standard, Rag.RED,
                      f"No physical health check recorded; needed since {fmt(required)}.",
                      required)
    if check.due < today:
        return Rating(standard, Rag.RED,
                      f"Last check on {fmt(check.on)}; the next was due on {fmt(check.due)}.",
                      check.due + _DAY)
    soon = check.due - timedelta(days=config.due_soon_days)
    if soon <= today:
        return Rating(standard, Rag.AMBER,
                      f"Last check on {fmt(check.on)}; the next is due on {fmt(check.due)}.",
                      soon)
    return Rating(standard, Rag.GREEN,
                  f"Checked on {fmt(check.on)}; next due by {fmt(check.due)}.", check.on)


def _legal(facts: CareFacts, config: RagConfig) -> Rating:
    today = facts.today
    standard = Standard.LEGAL
    if not facts.legal_deadlines:
        return Rating(standard, Rag.NOT_APPLICABLE, "No CTO or Section 117 deadline.", None)
    deadlines = sorted(facts.legal_deadlines, key=lambda d: (d.due, d.label))
    passed = [d for d in deadlines if d.due < today]
    if passed:
        d = passed[0]
        more = f" (and {len(passed) - 1} more)" if len(passed) > 1 else ""
        return Rating(standard, Rag.RED, f"{d.label} was due on {fmt(d.due)}{more}.",
                      d.due + _DAY)
    d = deadlines[0]
    soon = d.due - timedelta(days=config.legal_notice_days)
    if soon <= today:
        return Rating(standard, Rag.AMBER, f"{d.label} due on {fmt(d.due)}.", soon)
    return Rating(standard, Rag.GREEN, f"Next: {d.label} on {fmt(d.due)}.", None)


def _carer(facts: CareFacts, config: RagConfig) -> Rating:
    standard = Standard.CARER_CONTACT
    if not facts.has_carer:
        return Rating(standard, Rag.NOT_APPLICABLE, "No carer or family member recorded.", None)
    last = facts.last_carer_contact
    if last is not None and last > facts.today:
        last = None  # a contact dated in the future does not count yet
    anchor = last or facts.on_caseload_since
    what = f"last contact with the carer or family on {fmt(last)}" if last else \
        f"no contact with the carer or family recorded since {fmt(anchor)}"
    days = (facts.today - anchor).days
    if days <= config.carer_green_days:
        rag, since = Rag.GREEN, anchor
    elif days <= config.carer_red_days:
        rag, since = Rag.AMBER, anchor + timedelta(days=config.carer_green_days + 1)
    else:
        rag, since = Rag.RED, anchor + timedelta(days=config.carer_red_days + 1)
    return Rating(standard, rag, _first_upper(what) + ".", since)


def rate(facts: CareFacts, config: RagConfig | None = None) -> PersonRag:
    """Rate one person's care against every standard, in the standards' order."""
    config = config or RagConfig()
    return PersonRag((
        _review(Standard.CARE_PLAN, "care plan", facts.care_plan, facts, config),
        _review(Standard.CRISIS_PLAN, "crisis plan", facts.crisis_plan, facts, config),
        _review(Standard.RISK_FORMULATION, "risk formulation", facts.risk_formulation, facts,
                config),
        _contact(facts, config),
        _physical(facts, config),
        _legal(facts, config),
        _carer(facts, config),
    ))
