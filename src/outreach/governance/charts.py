"""Trend charts drawn as inline SVG on the server: no JavaScript, nothing fetched from a CDN
(the content security policy and offline machines forbid it), and the same chart prints and
goes into the PDF.

Readable without colour: one series per chart, every bar labelled with its value, the target
a dashed line labelled in words, a month with no figure or a suppressed one says so in text
("no one", "*"). Each chart has a title and a description for screen readers, and the page
puts a table of the same figures next to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

BAR = "#005eb8"  # NHS blue; the chart never depends on it
INK = "#212b32"
GRID = "#d8dde0"
TARGET = "#212b32"


@dataclass(frozen=True)
class Point:
    label: str  # e.g. "Nov 2026"
    value: float | None  # None: nothing to draw (suppressed or no one)
    text: str  # what the bar is labelled with: "89%", "*", "no one"


def _fmt_axis(value: float, unit: str) -> str:
    text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
    return f"{text}{unit}"


def bar_chart(points: list[Point], *, chart_id: str, title: str, description: str,
              maximum: float | None = None, target: float | None = None,
              target_text: str = "", unit: str = "", height: int = 180) -> Markup:
    """A column chart of a monthly trend."""
    width, left, right, top, bottom = 640, 44, 8, 30, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [p.value for p in points if p.value is not None]
    top_value = max([*values, target or 0, maximum or 0, 1])
    if maximum is None:
        top_value *= 1.15
    slot = plot_w / max(len(points), 1)
    bar_w = slot * 0.62
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="outreach-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'focusable="false" font-family="Arial, sans-serif" font-size="12">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">'
                   f'{escape(_fmt_axis(top_value * fraction, unit))}</text>')
    if target is not None and top_value:
        # The target: a dashed line across the plot, named in a key above it.
        y = top + plot_h * (1 - min(target / top_value, 1))
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>')
        key_x = width - right - 7 * len(target_text or "Target") - 34
        out.append(f'<line x1="{key_x:.0f}" x2="{key_x + 26:.0f}" y1="10" y2="10" '
                   f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{key_x + 32:.0f}" y="14" fill="{INK}" font-weight="bold">'
                   f'{escape(target_text or "Target")}</text>')
    for i, p in enumerate(points):
        x = left + slot * i + (slot - bar_w) / 2
        centre = x + bar_w / 2
        if p.value is not None:
            h = plot_h * min(p.value / top_value, 1) if top_value else 0
            y = top + plot_h - h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                       f'fill="{BAR}"/>')
            if h >= 22 and len(p.text) <= 5:  # inside the top of the bar, clear of the target
                out.append(f'<text x="{centre:.1f}" y="{y + 15:.1f}" text-anchor="middle" '
                           f'fill="#ffffff" font-weight="bold">{escape(p.text)}</text>')
            else:
                out.append(f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                           f'fill="{INK}">{escape(p.text)}</text>')
        else:
            out.append(f'<text x="{centre:.1f}" y="{top + plot_h - 4:.1f}" '
                       f'text-anchor="middle" fill="{INK}">{escape(p.text)}</text>')
        out.append(f'<text x="{centre:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                   f'fill="{INK}">{escape(p.label.split(" ")[0])}</text>')
        if i == 0 or p.label.startswith("Jan"):
            out.append(f'<text x="{centre:.1f}" y="{height - bottom + 30}" '
                       f'text-anchor="middle" fill="{INK}">{escape(p.label[-4:])}</text>')
    out.append("</svg>")
    return Markup("".join(out))
