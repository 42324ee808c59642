"""Equality (PCREF): who people are, in the groups figures are broken down by, and the
statistics that keep small differences from being over-read.

- Ethnic category: the NHS Data Dictionary ETHNIC CATEGORY codes (A-S, Z not stated, 99 not
  known), reported in the five broad groups of the 2021 Census plus "not stated or not
  known" (detailed categories would make most cells too small to show).
- Age band on a day, sex (NHS Data Dictionary PERSON PHENOTYPIC SEX codes) and the Index of
  Multiple Deprivation decile of the area of residence (1: the most deprived tenth).
- 95% confidence intervals: Wilson score for a proportion, Byar's approximation to the exact
  Poisson interval for a rate. Both are written here so that they can be tested with
  hypothesis (no SciPy).
- A breakdown of a figure by group, for an audience: exact for the team's own staff; for
  commissioners every count below the threshold is suppressed with its percentage and
  interval, and when only one group in a breakdown would be suppressed the next smallest is
  suppressed too (secondary suppression), so the hidden group cannot be worked out from the
  total. The total is shown.

No Django here (import-linter).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from outreach.core.suppression import Disclosure, Shown

Z95 = 1.959963984540054
NOT_KNOWN = "Not stated or not known"
BAD_COUNTS = "A count cannot be negative or exceed its denominator"
BAD_EXPOSURE = "The exposure (person-years, people) must be positive"


class BroadGroup(StrEnum):
    WHITE = "White"
    MIXED = "Mixed or multiple ethnic groups"
    ASIAN = "Asian or Asian British"
    BLACK = "Black, Black British, Caribbean or African"
    OTHER = "Other ethnic group"
    NOT_KNOWN = NOT_KNOWN


# NHS Data Dictionary, ETHNIC CATEGORY (the 2001 Census categories used in MHSDS).
ETHNIC_CATEGORIES: dict[str, tuple[str, BroadGroup]] = {
    "A": ("White - British", BroadGroup.WHITE),
    "B": ("White - Irish", BroadGroup.WHITE),
    "C": ("White - Any other White background", BroadGroup.WHITE),
    "D": ("Mixed - White and Black Caribbean", BroadGroup.MIXED),
    "E": ("Mixed - White and Black African", BroadGroup.MIXED),
    "F": ("Mixed - White and Asian", BroadGroup.MIXED),
    "G": ("Mixed - Any other mixed background", BroadGroup.MIXED),
    "H": ("Asian or Asian British - Indian", BroadGroup.ASIAN),
    "J": ("Asian or Asian British - Pakistani", BroadGroup.ASIAN),
    "K": ("Asian or Asian British - Bangladeshi", BroadGroup.ASIAN),
    "L": ("Asian or Asian British - Any other Asian background", BroadGroup.ASIAN),
    "M": ("Black or Black British - Caribbean", BroadGroup.BLACK),
    "N": ("Black or Black British - African", BroadGroup.BLACK),
    "P": ("Black or Black British - Any other Black background", BroadGroup.BLACK),
    "R": ("Other ethnic groups - Chinese", BroadGroup.OTHER),
    "S": ("Other ethnic groups - Any other ethnic group", BroadGroup.OTHER),
    "Z": ("Not stated", BroadGroup.NOT_KNOWN),
    "99": ("Not known", BroadGroup.NOT_KNOWN),
}

# NHS Data Dictionary, PERSON PHENOTYPIC SEX.
SEXES: dict[str, str] = {"1": "Male", "2": "Female", "9": "Indeterminate", "X": "Not known"}

AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 17, "Under 18"), (18, 24, "18 to 24"), (25, 34, "25 to 34"), (35, 44, "35 to 44"),
    (45, 54, "45 to 54"), (55, 64, "55 to 64"), (65, None, "65 and over"),
)


class By(StrEnum):
    """What a figure can be broken down by."""

    ETHNICITY = "ethnicity"
    AGE = "age"
    SEX = "sex"
    IMD = "imd"


BY_TITLES = {By.ETHNICITY: "Ethnic group", By.AGE: "Age band", By.SEX: "Sex",
             By.IMD: "Deprivation (IMD decile of the area of residence)"}


def ethnic_group(code: str | None) -> str:
    found = ETHNIC_CATEGORIES.get((code or "").strip().upper())
    return found[1].value if found else NOT_KNOWN


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_band(born: date | None, on: date) -> str:
    if born is None:
        return NOT_KNOWN
    age = age_on(born, on)
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return NOT_KNOWN  # a date of birth after the day


def sex_group(code: str | None) -> str:
    key = (code or "").strip().upper()
    return NOT_KNOWN if key in ("", "X") or key not in SEXES else SEXES[key]


def imd_group(decile: int | None) -> str:
    if decile is None or not 1 <= decile <= 10:
        return NOT_KNOWN
    suffix = " (most deprived)" if decile == 1 else " (least deprived)" if decile == 10 else ""
    return f"Decile {decile}{suffix}"


def group_order(by: By) -> list[str]:
    """Every group of a breakdown in reading order (empty groups are shown too, so that a
    missing group is visible rather than silently absent)."""
    if by == By.ETHNICITY:
        return [g.value for g in BroadGroup]
    if by == By.AGE:
        return [label for _, _, label in AGE_BANDS] + [NOT_KNOWN]
    if by == By.SEX:
        return ["Male", "Female", "Indeterminate", NOT_KNOWN]
    return [imd_group(d) for d in range(1, 11)] + [NOT_KNOWN]


@dataclass(frozen=True)
class Demographics:
    born: date | None
    ethnic_category: str | None
    sex: str | None
    imd_decile: int | None

    def group(self, by: By, on: date) -> str:
        if by == By.ETHNICITY:
            return ethnic_group(self.ethnic_category)
        if by == By.AGE:
            return age_band(self.born, on)
        if by == By.SEX:
            return sex_group(self.sex)
        return imd_group(self.imd_decile)


# --- Confidence intervals ------------------------------------------------------------------


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion k/n (None when n is 0). Within [0, 1],
    and sensible at 0 and n, unlike the normal approximation."""
    if k < 0 or n < 0 or k > n:
        raise ValueError(BAD_COUNTS)
    if n == 0:
        return None
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    # Exact at the ends: rounding must not make 0/n or n/n fall outside its interval.
    return (0.0 if k == 0 else low, 1.0 if k == n else high)


def byar(events: int, exposure: float, z: float = Z95) -> tuple[float, float]:
    """Byar's approximation to the exact 95% Poisson interval of a rate: events per unit of
    exposure (e.g. admissions per person-year). Accurate to a few per cent even for small
    counts; the lower bound of 0 events is 0."""
    if events < 0:
        raise ValueError(BAD_COUNTS)
    if exposure <= 0:
        raise ValueError(BAD_EXPOSURE)
    if events == 0:
        low = 0.0
    else:
        a = events
        low = a * (1 - 1 / (9 * a) - z / (3 * math.sqrt(a))) ** 3
    b = events + 1
    high = b * (1 - 1 / (9 * b) + z / (3 * math.sqrt(b))) ** 3
    return (max(0.0, low) / exposure, high / exposure)


def mean_ci(values: Sequence[float], z: float = Z95) -> tuple[float, float, float] | None:
    """Mean with a normal-approximation 95% interval (mean, low, high); None with fewer than
    two values (no spread to estimate)."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = z * math.sqrt(var / n)
    return (mean, mean - half, mean + half)


def rate_ratio(a: int, exposure_a: float, b: int, exposure_b: float,
               z: float = Z95) -> tuple[float, float, float] | None:
    """The ratio of two rates (group against reference) with a 95% interval on the log
    scale; None when either count is 0 (the ratio or its interval is undefined)."""
    if a <= 0 or b <= 0 or exposure_a <= 0 or exposure_b <= 0:
        return None
    ratio = (a / exposure_a) / (b / exposure_b)
    se = math.sqrt(1 / a + 1 / b)
    return (ratio, ratio * math.exp(-z * se), ratio * math.exp(z * se))


# --- Breakdowns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One group's share: count of denominator, as shown to an audience."""

    group: str
    count: Shown
    of: Shown
    percent: Shown
    low: float | None  # 95% interval of the proportion, in per cent; None when hidden
    high: float | None
    suppressed: bool

    @property
    def interval_text(self) -> str:
        if self.low is None or self.high is None:
            return ""
        return f"{self.low:.0f}% to {self.high:.0f}%"


def hidden_groups(counts: Mapping[str, int], disclosure: Disclosure) -> set[str]:
    """Groups to hide: every small one, and when exactly one non-empty group is small, the
    next smallest too, so that it cannot be worked out as total minus the rest."""
    hidden = {g for g, n in counts.items() if disclosure.is_small(n)}
    if not disclosure.suppresses:
        return set()
    small_nonzero = [g for g in hidden if counts[g] > 0]
    if len(small_nonzero) == 1:
        others = sorted((n, g) for g, n in counts.items() if g not in hidden)
        if others:
            hidden.add(others[0][1])
    return hidden


def share_breakdown(rows: Mapping[str, tuple[int, int]], disclosure: Disclosure
                    ) -> list[Cell]:
    """Per group (in the order given): numerator of denominator, a percentage and its Wilson
    interval. A group is hidden (count, denominator, percentage and interval) when its
    denominator is small for this audience, or by secondary suppression; a percentage is also
    hidden when its numerator is small (core.suppression)."""
    hidden = hidden_groups({g: den for g, (_, den) in rows.items()}, disclosure)
    cells = []
    for group, (num, den) in rows.items():
        if group in hidden:
            symbol = disclosure.count(0)
            cells.append(Cell(group, symbol, symbol, symbol, None, None, True))
            continue
        pct = disclosure.percentage(num, den)
        ci = wilson(num, den) if not pct.suppressed else None
        cells.append(Cell(group, disclosure.count(num), disclosure.count(den), pct,
                          None if ci is None else 100 * ci[0],
                          None if ci is None else 100 * ci[1], pct.suppressed))
    return cells


@dataclass(frozen=True)
class RateCell:
    """One group's rate: events among people, against a population denominator."""

    group: str
    events: Shown
    population: Shown
    rate: Shown  # per 100,000 people (or per the unit given)
    low: float | None
    high: float | None
    suppressed: bool


def rate_breakdown(rows: Mapping[str, tuple[int, float]], disclosure: Disclosure, *,
                   per: float = 100_000, places: int = 0) -> list[RateCell]:
    """Per group: events (people, detentions...) against a population, as a rate per `per`
    with Byar's 95% interval. A group is hidden when its count of events is small for this
    audience (the population denominator is public and is always shown), with secondary
    suppression as in share_breakdown."""
    hidden = hidden_groups({g: ev for g, (ev, _) in rows.items()}, disclosure)
    cells = []
    for group, (events, population) in rows.items():
        pop_int = int(round(population))
        pop_shown = Shown(f"{pop_int:,}", pop_int)
        if group in hidden:
            symbol = disclosure.count(0)
            cells.append(RateCell(group, symbol, pop_shown, symbol, None, None, True))
            continue
        if population <= 0:
            cells.append(RateCell(group, disclosure.count(events), pop_shown,
                                  Shown("no population figure", None), None, None, False))
            continue
        low, high = byar(events, population)
        value = per * events / population
        cells.append(RateCell(group, disclosure.count(events), pop_shown,
                              Shown(f"{value:,.{places}f}", round(value, places)),
                              per * low, per * high, False))
    return cells


def intervals_overlap(a: tuple[float, float] | None, b: tuple[float, float] | None) -> bool:
    """Whether two 95% intervals overlap: if they do, the page says the difference may be
    chance (a cautious reading: non-overlap is a stricter test than a significance test)."""
    if a is None or b is None:
        return True
    return a[0] <= b[1] and b[0] <= a[1]
