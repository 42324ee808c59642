"""Figures as they are shown: the measure's words, its value for this audience (exact for
team staff, suppressed for commissioners and returns), the numerator and denominator, the
target, and the trend as a chart with its table. No database access here: presenters work
on selectors.Results, so they can be tested without one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup

from outreach.core.measures import HEADLINE, Kind, Measure, Tally, Window, nearest_rank, value_of
from outreach.core.suppression import Disclosure, Shown
from outreach.governance.charts import Point, bar_chart


@dataclass(frozen=True)
class Line:
    label: str
    shown: Shown


@dataclass(frozen=True)
class TrendRow:
    label: str
    start: date
    end: date
    value: Shown
    numerator: Shown | None
    denominator: Shown | None


@dataclass
class FigureView:
    measure: Measure
    texts: Mapping[str, str]  # numerator, denominator, period
    window: Window
    value: Shown
    detail: str
    lines: list[Line]
    target_text: str
    meets: bool | None
    trend: list[TrendRow] = field(default_factory=list)
    chart: Markup | None = None
    numerator: Shown | None = None
    denominator: Shown | None = None

    @property
    def key(self) -> str:
        return self.measure.key

    @property
    def status(self) -> str:
        """The figure against its target, in words (never colour alone)."""
        if self.meets is None:
            return ""
        return "Meets the target" if self.meets else "Does not meet the target"


def _count_pair(measure: Measure, tally: Tally, d: Disclosure) -> tuple[Shown | None,
                                                                         Shown | None]:
    if measure.kind in (Kind.SHARE, Kind.COUNT, Kind.RATE):
        return d.count(tally.numerator), d.count(tally.denominator)
    if measure.kind == Kind.WAIT:
        return None, d.count(tally.denominator)
    if measure.kind == Kind.RATIO:
        return d.count(tally.numerator), Shown(f"{tally.fte:.1f} FTE", round(tally.fte, 2))
    return None, None  # pragma: no cover - every kind is handled above


def shown_value(measure: Measure, tally: Tally, d: Disclosure) -> Shown:
    """The headline number of a tally for this audience."""
    if measure.kind == Kind.SHARE:
        return d.percentage(tally.numerator, tally.denominator)
    if measure.kind == Kind.COUNT:
        return d.count(tally.numerator)
    if measure.kind == Kind.WAIT:
        return d.statistic(nearest_rank(tally.values, 50), len(tally.values), unit=" days")
    if measure.kind == Kind.RATE:
        return d.statistic(value_of(measure, tally), tally.denominator, places=1,
                           unit=" a week")
    return d.statistic(value_of(measure, tally), tally.numerator, places=1)


def _detail(measure: Measure, tally: Tally, d: Disclosure) -> tuple[str, list[Line]]:
    n, of = d.count(tally.numerator).text, d.count(tally.denominator).text
    unit = measure.unit
    if measure.kind == Kind.SHARE:
        return f"{n} of {of} {unit}", []
    if measure.kind == Kind.COUNT:
        if measure.key == "refused_discharge_attempts":
            return f"{n} {unit}", []
        return f"{n} of {of} {unit}", []
    if measure.kind == Kind.WAIT:
        waits = len(tally.values)
        lines = [
            Line("90th percentile", d.statistic(nearest_rank(tally.values, 90), waits,
                                                unit=" days")),
            Line(f"{unit.capitalize()} counted", d.count(waits)),
            Line("Still waiting on the day", d.count(tally.still_waiting)),
            Line("Longest wait so far of those still waiting",
                 d.statistic(tally.longest_waiting, tally.still_waiting, unit=" days")),
        ]
        return f"median of {d.count(waits).text} {unit}", lines
    if measure.kind == Kind.RATE:
        return f"{n} {unit} for {of} people", []
    return f"{n} people, {tally.fte:.1f} FTE", []


def detail_text(measure: Measure, tally: Tally, d: Disclosure) -> str:
    """The words under a figure, e.g. "92 of 106 people"."""
    return _detail(measure, tally, d)[0]


def _chart_scale(measure: Measure) -> tuple[float | None, str]:
    if measure.kind == Kind.SHARE:
        return 100.0, "%"
    return None, ""


def figure(measure: Measure, results, team_ids: Sequence[int], d: Disclosure,
           params: Mapping[str, object], *, chart_id: str, texts: Mapping[str, str]
           ) -> FigureView:
    """One measure for a set of teams (a team, a service, the trust)."""
    windows = results.windows[measure.key]
    head = windows[-1]
    tally = results.tally(measure.key, HEADLINE, team_ids)
    value = shown_value(measure, tally, d)
    detail, lines = _detail(measure, tally, d)
    raw = value_of(measure, tally)
    meets = None if value.suppressed else measure.meets_target(raw, params)
    target = measure.target_value(params)
    numerator, denominator = _count_pair(measure, tally, d)
    view = FigureView(
        measure=measure, texts=texts, window=head, value=value, detail=detail, lines=lines,
        target_text=measure.target_text.format(**params) if measure.target_text else "",
        meets=meets, numerator=numerator, denominator=denominator,
    )
    points = []
    for w in windows[:-1]:
        t = results.tally(measure.key, w.key, team_ids)
        shown = shown_value(measure, t, d)
        num, den = _count_pair(measure, t, d)
        view.trend.append(TrendRow(w.label, w.start, w.end, shown, num, den))
        points.append(Point(w.label, shown.value, shown.text))
    if points:
        maximum, unit = _chart_scale(measure)
        view.chart = bar_chart(
            points, chart_id=chart_id, title=f"{measure.title}: last 12 months",
            description=(f"{measure.title} by month from {windows[0].label} to "
                         f"{windows[-2].label}; the table after the chart has the figures."),
            maximum=maximum, unit=unit, target=target,
            target_text=f"Target {view.target_text}" if view.target_text else "",
        )
    return view


def _d(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, date):
        value = date.fromisoformat(str(value)[:10])
    return f"{value.day} {value:%b %Y}"


DISCHARGE_REASONS = {
    "did_not_attend": "did not attend", "no_access": "no access", "disengaged": "disengaged",
    "declined_contact": "declined contact", "step_down": "stepped down",
    "transfer_out": "transferred out", "moved_away": "moved away", "died": "died",
    "long_term_placement": "long-term placement",
}


def explain(measure: Measure, row) -> str:
    """Why one person counts, or does not, in a figure: the drill-down's last column."""
    d = row.detail
    key = measure.key
    if key == "care_plan_in_date":
        if d.get("cp_due") is None:
            return "No care plan recorded."
        return f"Review due {_d(d['cp_due'])}." if row.counted else \
            f"Review was due {_d(d['cp_due'])}."
    if key == "dialog_completed":
        if d.get("cp_due") is None:
            return "No care plan recorded."
        return f"{d.get('dialog_n') or 0} of 11 DIALOG items rated on the current plan."
    if key == "crisis_plan_and_signature":
        missing = []
        if not d.get("has_crisis_plan"):
            missing.append("no crisis plan")
        if not d.get("has_signs"):
            missing.append("no relapse signature with early warning signs")
        return "Both recorded." if not missing else "; ".join(missing).capitalize() + "."
    if key == "risk_formulation_reviewed":
        if d.get("risk_due") is None:
            return "No risk formulation recorded."
        return f"Review due {_d(d['risk_due'])}." if row.counted else \
            f"Review was due {_d(d['risk_due'])}."
    if key == "physical_health_check":
        return f"Last check {_d(d['last_check'])}." if d.get("last_check") else \
            "No physical health check recorded."
    if key == "annual_review":
        return f"Last review {_d(d['last_review'])}." if d.get("last_review") else \
            f"No annual review since accepted on {_d(d.get('accepted_date'))}."
    if key == "legal_deadlines_met":
        return "Every date is still ahead." if row.counted else \
            "A CTO or Section 117 date has passed."
    if key == "non_engagement_discharges":
        reason = DISCHARGE_REASONS.get(str(d.get("reason")), str(d.get("reason")))
        return f"Discharged on {_d(d.get('on_date'))}: {reason}."
    if key == "refused_discharge_attempts":
        reason = DISCHARGE_REASONS.get(str(d.get("reason")), str(d.get("reason")))
        return f"Attempt refused: {reason}."
    if measure.kind == Kind.WAIT:
        if d.get("waiting"):
            return f"Still waiting: {d['days']} days so far (since {_d(d['since'])})."
        return f"{d['days']} days ({_d(d['since'])} to {_d(d['reached'])})."
    if key in ("contact_target_met", "contacts_per_person_week"):
        needed = -(-int(d.get("target") or 0) * int(d.get("days") or 0) // 7)
        return (f"{d.get('seen', 0)} face-to-face contacts; the target for the period is "
                f"{needed}.")
    return f"{row.counted} of {row.of} {measure.unit}."
