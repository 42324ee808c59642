"""DIALOG+ scores over time: a table of every rating, and a line chart drawn on the server as
inline SVG (no script), with a text alternative.

The ratings are the person's own satisfaction with parts of their life and their care, from
1 (totally dissatisfied) to 7 (totally satisfied). The averages are DIALOG's own (life areas;
treatment). None of it is a measure of risk.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required

from outreach.clinical import selectors as clinical
from outreach.clinical.models import DIALOG_MAX, DIALOG_MIN, DialogItem
from outreach.clinical.views.common import read_scope, show
from outreach.clinical.views.present import fmt_date

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 56, 16, 48
MAX_X_LABELS = 6
AVERAGES = "averages"
SERIES_STYLE = [("outreach-chart__line--1", "circle"), ("outreach-chart__line--2", "square")]


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    label: str  # the date


@dataclass(frozen=True)
class Series:
    label: str
    css: str
    marker: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def summary(self) -> str:
        if not self.points:
            return f"{self.label}: no ratings."
        first, last = self.points[0], self.points[-1]
        if len(self.points) == 1:
            return f"{self.label}: {first.value:g} on {first.label}."
        return (f"{self.label}: {first.value:g} on {first.label}, {last.value:g} on "
                f"{last.label} ({len(self.points)} ratings).")


def _chart(points, show: str) -> dict:
    dates = [p.date for p in points]
    start, end = min(dates), max(dates)
    span = (end - start).days
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(d) -> float:
        return LEFT + (inner_w * (d - start).days / span if span else inner_w / 2)

    def y(v: float) -> float:
        return TOP + inner_h * (DIALOG_MAX - v) / (DIALOG_MAX - DIALOG_MIN)

    if show == AVERAGES:
        wanted = [("Average of the 8 life areas", lambda p: p.sqol),
                  ("Average of the 3 treatment aspects", lambda p: p.treatment_satisfaction)]
    else:
        wanted = [(str(DialogItem(show).label), lambda p: p.scores.get(show))]
    series = []
    for (label, get), (css, marker) in zip(wanted, SERIES_STYLE, strict=False):
        pts = tuple(Point(x(p.date), y(get(p)), round(get(p), 1), fmt_date(p.date))
                    for p in points if get(p) is not None)
        series.append(Series(label, css, marker, pts))
    step = max(1, -(-len(points) // MAX_X_LABELS))
    x_labels = [(x(p.date), fmt_date(p.date)) for p in points[::step]]
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
        "bottom": HEIGHT - BOTTOM, "series": series, "x_labels": x_labels,
        "y_ticks": [(v, y(v)) for v in range(DIALOG_MIN, DIALOG_MAX + 1)],
        "description": " ".join(s.summary for s in series),
    }


@login_required
def dialog_scores(request, person_id: int):
    _, person = read_scope(request, person_id)
    points = clinical.dialog_scores_over_time(person)
    show_ = request.GET.get("show", AVERAGES)
    if show_ != AVERAGES and show_ not in DialogItem.values:
        show_ = AVERAGES
    table = [(str(label), [(p.scores.get(item), item in p.wants_more_help) for p in points])
             for item, label in DialogItem.choices]
    return show(request, person, "clinical/dialog.jinja", {
        "points": points, "table": table, "chart": _chart(points, show_) if points else None,
        "showing": show_, "choices": [(AVERAGES, "Averages")] + list(DialogItem.choices),
        "averages": [
            ("Average of the 8 life areas", [p.sqol for p in points]),
            ("Average of the 3 treatment aspects", [p.treatment_satisfaction for p in points]),
        ],
    }, what="DIALOG scores over time")
