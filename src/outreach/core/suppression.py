"""Small-number suppression of figures shown to people who have no access to the records
behind them (commissioners, and every report that leaves the organisation).

The default follows NHS England's rules for publishing Mental Health Services Data Set
(MHSDS) figures: a count below 5, zero included, is shown as "*"; every other count is rounded
to the nearest 5; a percentage is worked out from the unrounded counts and suppressed whenever
its numerator is. Statistics of a group (a median wait, a mean, a ratio) are suppressed when
the number of people behind them is. Settings: `OUTREACH_SUPPRESSION`, a mapping of the
fields of SuppressionConfig; keys left out keep these defaults, unknown keys are refused.

`Disclosure.exact()` formats the same figures for staff who may see the people behind them:
the same shapes, nothing hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

NOT_A_MAPPING = "OUTREACH_SUPPRESSION must be a mapping of names to values"
UNKNOWN = "Unknown suppression setting"
BAD_THRESHOLD = "The suppression threshold must be a whole number, at least 1"
BAD_ROUNDING = "Counts must be rounded to a whole number, at least 1"
ROUNDS_TO_ZERO = (
    "Rounding to this base would show some counts at or above the threshold as 0: the "
    "threshold must be more than half the rounding base"
)
BAD_SYMBOL = "The suppression symbol must be a short, non-empty text"
BAD_FLAG = "suppress_complement must be true or false"
BAD_PLACES = "percent_places must be 0, 1 or 2"
NEGATIVE = "Counts cannot be negative"
NUMERATOR_OVER_DENOMINATOR = "A numerator cannot exceed its denominator"

NO_ONE = "no one"  # a share of nobody: not a number, and not a disclosure either


def _whole(value: object, minimum: int) -> bool:
    return type(value) is int and value >= minimum


@dataclass(frozen=True)
class SuppressionConfig:
    # Counts below this (zero included) are suppressed.
    threshold: int = 5
    # Other counts are rounded to the nearest multiple of this (halves up).
    rounding: int = 5
    symbol: str = "*"
    # Decimal places of a published percentage (MHSDS publishes whole numbers).
    percent_places: int = 0
    # Also suppress a percentage when the people NOT counted (denominator - numerator) are
    # fewer than the threshold. Not part of the MHSDS rules, so off by default.
    suppress_complement: bool = False

    def __post_init__(self) -> None:
        if not _whole(self.threshold, 1):
            raise ValueError(BAD_THRESHOLD)
        if not _whole(self.rounding, 1):
            raise ValueError(BAD_ROUNDING)
        if self.rounding > 1 and 2 * self.threshold <= self.rounding:
            raise ValueError(ROUNDS_TO_ZERO)
        if not isinstance(self.symbol, str) or not 0 < len(self.symbol.strip()) <= 3:
            raise ValueError(BAD_SYMBOL)
        if type(self.suppress_complement) is not bool:
            raise ValueError(BAD_FLAG)
        if self.percent_places not in (0, 1, 2) or type(self.percent_places) is not int:
            raise ValueError(BAD_PLACES)

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any]) -> SuppressionConfig:
        if not isinstance(d, Mapping):
            raise ValueError(NOT_A_MAPPING)
        unknown = set(d) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"{UNKNOWN}: {', '.join(sorted(map(str, unknown)))}")
        return replace(cls(), **d)

    def rule_text(self) -> str:
        """The rule in words, for every page and report that applies it."""
        text = (
            f"Counts below {self.threshold}, including zero, are shown as "
            f"\u201c{self.symbol}\u201d"
        )
        if self.rounding > 1:
            text += f"; other counts are rounded to the nearest {self.rounding}"
        text += (
            ". Percentages are worked out from the unrounded counts and are suppressed when "
            "their numerator is (a share short of 100% is never shown as 100%)"
        )
        if self.suppress_complement:
            text += f", or when fewer than {self.threshold} people are not counted"
        return text + (
            ". Medians, percentiles, means and ratios are suppressed when the number of "
            "people behind them is."
        )


@dataclass(frozen=True)
class Shown:
    """A figure as it may be shown: `text` for pages, `value` for JSON and CSV (None when
    suppressed or undefined)."""

    text: str
    value: int | float | None
    suppressed: bool = False


def _round_half_up(n: int, base: int) -> int:
    return (n + base // 2) // base * base


def _check(n: int) -> None:
    if n < 0:
        raise ValueError(NEGATIVE)


def _fmt_number(value: float, places: int) -> str:
    if places == 0:
        return f"{value:,.0f}"
    return f"{value:,.{places}f}"


def _round_percent(value: float, places: int) -> float:
    # Halves up, as published figures are (Python's round() rounds halves to even).
    scale = 10**places
    return int(value * scale + 0.5) / scale


@dataclass(frozen=True)
class Disclosure:
    """How figures are shown to one audience: exact (config None) or suppressed."""

    config: SuppressionConfig | None = None

    @classmethod
    def exact(cls) -> Disclosure:
        return cls(None)

    @classmethod
    def suppressed(cls, config: SuppressionConfig | None = None) -> Disclosure:
        return cls(config or SuppressionConfig())

    @property
    def suppresses(self) -> bool:
        return self.config is not None

    def _hidden(self) -> Shown:
        assert self.config is not None
        return Shown(self.config.symbol, None, True)

    def is_small(self, n: int) -> bool:
        """Whether a count of n people would be suppressed for this audience."""
        return self.config is not None and n < self.config.threshold

    def count(self, n: int) -> Shown:
        _check(n)
        if self.config is None:
            return Shown(f"{n:,}", n)
        if n < self.config.threshold:
            return self._hidden()
        rounded = _round_half_up(n, self.config.rounding)
        return Shown(f"{rounded:,}", rounded)

    def percentage(self, numerator: int, denominator: int) -> Shown:
        """numerator / denominator as a percentage, from the unrounded counts."""
        _check(numerator)
        _check(denominator)
        if numerator > denominator:
            raise ValueError(NUMERATOR_OVER_DENOMINATOR)
        places = self.config.percent_places if self.config is not None else 0
        if self.config is not None:
            if numerator < self.config.threshold:
                return self._hidden()
            if self.config.suppress_complement and (
                denominator - numerator < self.config.threshold
            ) and denominator != numerator:
                return self._hidden()
        if denominator == 0:
            return Shown(NO_ONE, None)
        value = _round_percent(100 * numerator / denominator, places)
        # Rounding never makes a shortfall look like 100%, nor a few look like none.
        step = 10**-places
        if numerator < denominator and value >= 100:
            top = round(100 - step, places)
            return Shown(f"over {_fmt_number(top, places)}%", top)
        if numerator > 0 and value <= 0:
            return Shown(f"under {_fmt_number(step, places)}%", step)
        return Shown(f"{_fmt_number(value, places)}%", value)

    def statistic(self, value: float | None, n: int, *, places: int = 0,
                  unit: str = "") -> Shown:
        """A statistic (median, percentile, mean, ratio) of a group of n people or events:
        suppressed when n would be."""
        _check(n)
        if self.config is not None and n < self.config.threshold:
            return self._hidden()
        if value is None:
            return Shown(NO_ONE if n == 0 else "not known", None)
        shown = round(value, places) if places else round(value)
        return Shown(f"{_fmt_number(shown, places)}{unit}", shown)
