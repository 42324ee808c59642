"""Outcome figures as display strings, for pages and exports (tested without a database)."""

from __future__ import annotations

from outreach.core.outcomes import OUTCOME_TITLES, HorizonSummary, Outcome, years_text
from outreach.core.suppression import Disclosure


def mean_text(value: float | None) -> str:
    return "none" if value is None else f"{value:.1f}"


def change_text(change: tuple[float, float, float] | None) -> str:
    if change is None:
        return "not enough people to estimate"
    mean, low, high = change
    return f"{mean:+.1f} (95% confidence interval {low:+.1f} to {high:+.1f})"


def horizon_rows(summary: HorizonSummary, d: Disclosure) -> list[dict]:
    """One row per outcome: people included, totals and means before and after, people with
    any, and the mean change per person with its 95% interval; all suppressed for a small
    group of people (the interval too)."""
    rows = []
    small = d.is_small(summary.included)
    for o in summary.outcomes:
        rows.append({
            "key": o.outcome.value, "title": OUTCOME_TITLES[Outcome(o.outcome)],
            "years": summary.years, "people": d.count(o.people),
            "total_before": d.count(o.total_before) if not small else d.count(0),
            "total_after": d.count(o.total_after) if not small else d.count(0),
            "mean_before": d.statistic(o.mean_before, o.people, places=1),
            "mean_after": d.statistic(o.mean_after, o.people, places=1),
            "people_with_before": d.count(o.people_with_before) if not small else d.count(0),
            "people_with_after": d.count(o.people_with_after) if not small else d.count(0),
            "change": "" if small and d.suppresses else change_text(o.change),
            "change_value": None if (small and d.suppresses) or o.change is None
            else round(o.change[0], 2),
            "change_low": None if (small and d.suppresses) or o.change is None
            else round(o.change[1], 2),
            "change_high": None if (small and d.suppresses) or o.change is None
            else round(o.change[2], 2),
        })
    return rows


def left_out_rows(summary: HorizonSummary, d: Disclosure) -> list[dict]:
    return [{"reason": reason, "people": d.count(n)}
            for reason, n in sorted(summary.left_out.items())]


def horizon_title(years: int) -> str:
    return f"{years_text(years)} before and after acceptance"
