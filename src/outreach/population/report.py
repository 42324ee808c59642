"""The cohort report: a table by locality, a chart, the workforce and cost of closing the
gap, as HTML, CSV and JSON.

Commissioners (the default audience) get every count through `core.suppression` (below 5,
zero included, shown as "*"; others rounded to the nearest 5) and workforce figures worked
out from those rounded counts, so no exact number can be recovered from a ratio. Providers
(`audience="provider"`) get exact counts and the identifiable list of people with their
reasons. Everything is written into a temporary directory beside the output and moved into
place only when complete: a failed run leaves the previous report, never half of a new one.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape

from outreach.core.equality import BY_TITLES, By, hidden_groups, wilson
from outreach.core.suppression import Disclosure, SuppressionConfig
from outreach.core.workforce import WorkforceConfig, demand_capacity, estimate, totals
from outreach.population.rules import (
    CASELOAD_LABELS,
    CASELOADS,
    CRITERIA,
    NO_CASELOAD,
    REASON_LABELS,
    REASON_NAMES,
)
from outreach.population.run import CohortResult

AUDIENCES = ("commissioner", "provider")
DEFAULT_BY = (By.ETHNICITY.value,)  # always in the report, like the locality table
GROUP_COLUMNS_SHOWN = (
    ("smi_known", "SMI cohort known to secondary care"),
    ("cohort", "People meeting the criteria"),
    ("cohort_on_ao", "On an AO caseload"),
    ("cohort_not_on_ao", "Not on an AO caseload"),
)
RATE_NOTE = (
    "Cohort rate: people meeting the criteria who are in the SMI cohort known to secondary "
    "care, per 1,000 of that cohort, with a 95% confidence interval (Wilson). Where two "
    "groups' intervals overlap the difference may be chance; a rate is not shown when its "
    "count would be hidden."
)
IMD_NOTE = (
    "Deprivation is the Index of Multiple Deprivation decile of the area of residence "
    "(MHS001MPI.LSOA2011); decile 1 is the most deprived tenth. No LSOA, or one not in the "
    "lookup, counts as not known."
)
NO_ETHNICITY = (
    "MHS001MPI has no EthnicCategory column: everyone is counted as not stated or not known."
)
TOTAL = "All people"


def _breakdown(rows: list[dict[str, Any]], by: str, d: Disclosure) -> dict[str, Any]:
    """One breakdown for one audience: counts through the disclosure rule, with secondary
    suppression column by column (core.equality.hidden_groups), and the cohort rate per
    1,000 SMI-known with its Wilson interval, hidden with any count it would give away."""
    keys = [k for k, _ in GROUP_COLUMNS_SHOWN]
    hidden = {k: hidden_groups({r["group"]: int(r[k]) for r in rows}, d) for k in keys}
    # The parts of a hidden cohort are hidden with it (they add up to it).
    for k in ("cohort_on_ao", "cohort_not_on_ao"):
        hidden[k] |= hidden["cohort"]
    total = {"group": TOTAL, **{k: sum(int(r[k]) for r in rows)
                                for k in (*keys, "cohort_smi_known")}}
    out = []
    for r in [*rows, total]:
        row: dict[str, Any] = {"group": r["group"]}
        for k in keys:
            s = d.count(0) if r["group"] in hidden[k] else d.count(int(r[k]))
            row[k] = {"text": s.text, "value": s.value}
        num, den = int(r["cohort_smi_known"]), int(r["smi_known"])
        rate_hidden = (r["group"] in hidden["smi_known"] or r["group"] in hidden["cohort"]
                       or d.is_small(num) or d.is_small(den))
        if rate_hidden:
            sym = d.count(0).text
            row["rate"] = {"text": sym, "value": None, "low": None, "high": None,
                           "interval": sym, "hidden": True}
        elif den == 0:
            row["rate"] = {"text": "no one known", "value": None, "low": None, "high": None,
                           "interval": "", "hidden": False}
        else:
            lo, hi = wilson(num, den)  # type: ignore[misc]
            row["rate"] = {"text": f"{1000 * num / den:,.1f}",
                           "value": round(1000 * num / den, 1),
                           "low": round(1000 * lo, 1), "high": round(1000 * hi, 1),
                           "interval": f"{1000 * lo:,.1f} to {1000 * hi:,.1f}",
                           "hidden": False}
        out.append(row)
    title = BY_TITLES[By(by)]
    return {"by": by, "title": title, "heading": f"By {title[0].lower()}{title[1:]}",
            "rows": out}


def equality(result: CohortResult, d: Disclosure, by: tuple[str, ...] = DEFAULT_BY
             ) -> dict[str, Any]:
    """The breakdowns asked for (ethnicity always first), with the notes that go with them."""
    wanted = [b.value for b in By if b.value in {*DEFAULT_BY, *by}]
    notes = [RATE_NOTE]
    if ("MHS001MPI", "EthnicCategory") in result.missing_columns:
        notes.append(NO_ETHNICITY)
    if By.IMD.value in wanted:
        notes.append(IMD_NOTE)
    return {
        "columns": [{"key": k, "label": label} for k, label in GROUP_COLUMNS_SHOWN],
        "sections": [_breakdown(result.groups[b], b, d) for b in wanted if b in result.groups],
        "notes": notes,
    }
MULTIPLIER_NOTE = (
    "The multiplier estimate is 10-15% of the SMI cohort known to secondary care, as in "
    "NHS England's regional model. It is not a count of anyone and must not be used for "
    "planning (Greater Manchester ICB's FOI reply); it is shown only for comparison with the "
    "people identified."
)
COLUMNS = (
    ("cohort", "People meeting the criteria"),
    ("cohort_on_ao", "On an AO caseload"),
    ("cohort_not_on_ao", "Not on an AO caseload"),
    *((f"cohort_{k}", f"Now on: {label}") for k, label, _ in CASELOADS if k != "ao"),
    (f"cohort_{NO_CASELOAD}", "Now on: no caseload"),
    ("smi_known", "SMI cohort known to secondary care"),
    ("ao_caseload", "Everyone on AO caseloads"),
)


def figures(result: CohortResult, *, audience: str = "commissioner",
            suppression: SuppressionConfig | None = None,
            workforce: WorkforceConfig | None = None,
            staff_in_post: dict[str, float] | None = None,
            by: tuple[str, ...] = DEFAULT_BY) -> dict[str, Any]:
    """Every figure of the report for one audience, as {text, value} pairs; `by` adds
    breakdowns by age, sex or deprivation to the one by ethnic group."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}")
    d = Disclosure.exact() if audience == "provider" else Disclosure.suppressed(suppression)
    wf = workforce or WorkforceConfig()
    cfg = result.config

    def show(n: int) -> dict[str, Any]:
        s = d.count(int(n))
        return {"text": s.text, "value": s.value}

    rows = list(result.localities)
    total = {k: sum(r[k] for r in rows) for k in rows[0] if k != "locality"} if rows else {}
    # Workforce from the figures this audience may see (rounded for commissioners).
    seen = {r["locality"]: d.count(r["cohort"]).value for r in rows}
    in_post = staff_in_post if staff_in_post is not None else {
        r["locality"]: (d.count(r["ao_caseload"]).value or 0) * wf.fte_per_100[0] / 100
        for r in rows}
    gaps = {g.locality: g for g in demand_capacity(
        {k: v or 0 for k, v in seen.items()}, in_post, cfg=wf)}

    def money(x: float) -> str:
        return f"£{x / 1e6:,.1f}m"

    out_rows = []
    for r in [*rows, {"locality": "All localities", **total}]:
        row: dict[str, Any] = {"locality": r["locality"]}
        for key, _ in COLUMNS:
            row[key] = show(r[key])
        lo = round(r["smi_known"] * cfg.multiplier_low)
        hi = round(r["smi_known"] * cfg.multiplier_high)
        a, b = d.count(lo), d.count(hi)
        row["multiplier"] = {"text": f"{a.text}-{b.text}", "low": a.value, "high": b.value}
        g = gaps.get(r["locality"])
        if r["locality"] == "All localities":
            g = totals(list(gaps.values()))
        if g is None or seen.get(r["locality"], 0) is None:
            row["staff"] = {"needed": "*", "in_post": "*", "gap_fte": "*", "gap_cost": "*",
                            "values": [None] * 4}
        else:
            row["staff"] = {"needed": f"{g.staff_needed:,.1f}",
                            "in_post": f"{g.staff_in_post:,.1f}",
                            "gap_fte": f"{g.gap_fte:,.1f}", "gap_cost": money(g.gap_cost),
                            "values": [round(g.staff_needed, 1), round(g.staff_in_post, 1),
                                       round(g.gap_fte, 1), round(g.gap_cost)]}
        out_rows.append(row)
    people_total = d.count(total.get("cohort", 0)).value or 0
    est = estimate(people_total, people_total, wf)
    reasons = [{"name": n, "label": REASON_LABELS[n], **show(result.reasons.get(n, 0))}
               for n in REASON_NAMES]
    criteria = [{"name": c.name, "label": c.label, **show(result.reasons.get(c.name, 0))}
                for c in CRITERIA]
    return {
        "audience": audience,
        "suppression": d.config.rule_text() if d.config else "Exact figures (provider).",
        "period_end": cfg.period_end.isoformat(),
        "engine": result.engine,
        "config": cfg.as_dict(),
        "columns": [{"key": k, "label": label} for k, label in COLUMNS],
        "localities": out_rows,
        "reasons": reasons,
        "criteria": criteria,
        "workforce": {
            "people": people_total, **est.as_dict(),
            "staff_in_post_source": "given" if staff_in_post is not None else
            "estimated: AO caseload at the low end of the staffing ratio",
        },
        "multiplier_note": MULTIPLIER_NOTE,
        "equality": equality(result, d, by),
    }


def _csv(fig: dict[str, Any]) -> str:
    """Numbers without separators; a suppressed figure as its symbol."""
    buf = io.StringIO()
    w = csv.writer(buf)
    keys = [c["key"] for c in fig["columns"]]

    def cell(v: Any) -> Any:
        return "*" if v is None else v

    w.writerow(["locality", *keys, "multiplier_low", "multiplier_high", "staff_needed_fte",
                "staff_in_post_fte", "gap_fte", "gap_cost"])
    for r in fig["localities"]:
        st = r["staff"]  # numbers: FTE needed, in post, gap; cost of the gap in pounds
        w.writerow([r["locality"], *(cell(r[k]["value"]) for k in keys),
                    cell(r["multiplier"]["low"]), cell(r["multiplier"]["high"]),
                    *(cell(v) for v in st["values"])])
    return buf.getvalue()


def _group_csv(section: dict[str, Any]) -> str:
    """One breakdown: numbers without separators; a hidden figure as its symbol."""
    buf = io.StringIO()
    w = csv.writer(buf)
    keys = [k for k, _ in GROUP_COLUMNS_SHOWN]
    w.writerow(["group", *keys, "rate_per_1000_smi_known", "rate_low", "rate_high"])
    for r in section["rows"]:
        rate = r["rate"]
        sym = rate["text"] if rate["hidden"] else ""  # no one known: left empty
        w.writerow([r["group"], *(r[k]["text"] if r[k]["value"] is None else r[k]["value"]
                                  for k in keys),
                    *(sym if rate["value"] is None else rate[k]
                      for k in ("value", "low", "high"))])
    return buf.getvalue()


def _people_csv(result: CohortResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Person_ID", "locality", "caseload", "reasons", "ethnic_group", "age_band",
                "sex", "imd_group"])
    for p in result.people or []:
        why = "; ".join(REASON_LABELS[n] for n in REASON_NAMES if p[n])
        w.writerow([p["Person_ID"], p["locality"], CASELOAD_LABELS[p["caseload"]], why,
                    *(p.get(k, "") for k in ("ethnic_group", "age_band", "sex",
                                             "imd_group"))])
    return buf.getvalue()


def chart_svg(fig: dict[str, Any]) -> str:
    """Bars: people identified per locality, with the multiplier range as a line beside."""
    rows = [r for r in fig["localities"] if r["locality"] != "All localities"]
    vals = [(r["locality"], r["cohort"]["value"] or 0, r["multiplier"]["low"] or 0,
             r["multiplier"]["high"] or 0, r["cohort_on_ao"]["value"] or 0) for r in rows]
    top = max([max(v[1], v[3]) for v in vals] + [1])
    bar_h, gap, left, width = 18, 12, 110, 420
    h = len(vals) * (bar_h + gap) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" '
             f'height="{h}" role="img" aria-labelledby="chart-title">',
             '<title id="chart-title">People identified by locality (bars), on AO caseloads '
             '(dark part) and the multiplier estimate (line)</title>']
    for i, (loc, n, lo, hi, ao) in enumerate(vals):
        y = 10 + i * (bar_h + gap)
        sx = lambda v: left + width * v / top  # noqa: E731
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end" '
                     f'font-size="12">{loc}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{sx(n) - left:.1f}" height="{bar_h}" '
                     f'fill="#005eb8"/>')
        parts.append(f'<rect x="{left}" y="{y}" width="{sx(ao) - left:.1f}" height="{bar_h}" '
                     f'fill="#003087"/>')
        parts.append(f'<line x1="{sx(lo):.1f}" x2="{sx(hi):.1f}" y1="{y + bar_h + 4}" '
                     f'y2="{y + bar_h + 4}" stroke="#d5281b" stroke-width="3"/>')
    parts.append("</svg>")
    return "\n".join(parts)


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Intensive and assertive care: people identified by locality</title>
<style>
body{font-family:Arial,sans-serif;color:#212b32;margin:2rem;max-width:70rem}
h1{font-size:2rem} table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
th,td{border-bottom:1px solid #d8dde0;padding:.4rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left} .inset{border-left:8px solid #005eb8;
padding:.5rem 1rem;background:#f0f4f5} .warning{border-left-color:#d5281b}
</style></head><body>
<h1>People who need intensive and assertive community care</h1>
<p>Identified from MHSDS-shaped data by the chapter 2 criteria of NHS England's guidance
(2024). Period end {{ f.period_end }}; engine {{ f.engine }}; audience: {{ f.audience }}.</p>
<p class="inset">{{ f.suppression }}</p>
<p class="inset warning">{{ f.multiplier_note }}</p>
<h2>By locality</h2>
{{ svg|safe }}
<p>Bars: people meeting the criteria (dark part: already on an assertive outreach caseload).
Red line: the multiplier estimate's range, for comparison only.</p>
<table><thead><tr><th scope="col">Locality</th>
{% for c in f.columns %}<th scope="col">{{ c.label }}</th>{% endfor %}
<th scope="col">Multiplier estimate (not a count)</th></tr></thead><tbody>
{% for r in f.localities %}<tr><th scope="row">{{ r.locality }}</th>
{% for c in f.columns %}<td>{{ r[c.key].text }}</td>{% endfor %}
<td>{{ r.multiplier.text }}</td></tr>{% endfor %}</tbody></table>
<h2>Why people are in the cohort</h2>
<table><thead><tr><th scope="col">Criterion or reason</th><th scope="col">People</th></tr>
</thead><tbody>{% for c in f.criteria %}<tr><th scope="row"><strong>{{ c.label }}</strong>
</th><td>{{ c.text }}</td></tr>{% endfor %}{% for r in f.reasons %}<tr><td>{{ r.label }}</td>
<td>{{ r.text }}</td></tr>{% endfor %}</tbody></table>
<h2>Workforce and cost</h2>
<p>For {{ "{:,}".format(f.workforce.people) }} people: {{ f.workforce.low.practitioners }}
to {{ f.workforce.high.practitioners }} practitioners (caseloads {{ f.workforce.high.caseload }}
to {{ f.workforce.low.caseload }}); a whole team of {{ f.workforce.low.team_fte }} to
{{ f.workforce.high.team_fte }} FTE; £{{ "{:,.1f}".format(f.workforce.low.annual_cost / 1e6) }}m
to £{{ "{:,.1f}".format(f.workforce.high.annual_cost / 1e6) }}m a year.</p>
<table><thead><tr><th scope="col">Locality</th><th scope="col">Staff needed (FTE)</th>
<th scope="col">Staff in post (FTE)</th><th scope="col">Gap (FTE)</th>
<th scope="col">Cost of the gap a year</th></tr></thead><tbody>
{% for r in f.localities %}<tr><th scope="row">{{ r.locality }}</th>
<td>{{ r.staff.needed }}</td><td>{{ r.staff.in_post }}</td><td>{{ r.staff.gap_fte }}</td>
<td>{{ r.staff.gap_cost }}</td></tr>{% endfor %}</tbody></table>
<p>Staff in post: {{ f.workforce.staff_in_post_source }}.</p>
{% for sec in f.equality.sections %}
<h2>{{ sec.heading }}</h2>
<table><thead><tr><th scope="col">{{ sec.title }}</th>
{% for c in f.equality.columns %}<th scope="col">{{ c.label }}</th>{% endfor %}
<th scope="col">Cohort rate per 1,000 SMI-known</th><th scope="col">95% interval</th>
</tr></thead><tbody>{% for r in sec.rows %}<tr><th scope="row">{{ r.group }}</th>
{% for c in f.equality.columns %}<td>{{ r[c.key].text }}</td>{% endfor %}
<td>{{ r.rate.text }}</td><td>{{ r.rate.interval }}</td></tr>{% endfor %}</tbody></table>
{% endfor %}
{% for n in f.equality.notes %}<p class="inset">{{ n }}</p>{% endfor %}
</body></html>
"""


def render_html(fig: dict[str, Any]) -> str:
    env = Environment(autoescape=select_autoescape(default=True))
    return env.from_string(_HTML).render(f=fig, svg=chart_svg(fig))


def write_report(result: CohortResult, out: Path, *, audience: str = "commissioner",
                 suppression: SuppressionConfig | None = None,
                 workforce: WorkforceConfig | None = None,
                 staff_in_post: dict[str, float] | None = None,
                 by: tuple[str, ...] = DEFAULT_BY) -> list[Path]:
    """Write report.html, cohort-by-locality.csv, cohort-by-<breakdown>.csv (ethnicity
    always) and summary.json (and, for providers, cohort-people.csv) into `out`, all or
    nothing."""
    fig = figures(result, audience=audience, suppression=suppression, workforce=workforce,
                  staff_in_post=staff_in_post, by=by)
    files = {
        "report.html": render_html(fig),
        "cohort-by-locality.csv": _csv(fig),
        **{f"cohort-by-{sec['by']}.csv": _group_csv(sec)
           for sec in fig["equality"]["sections"]},
        "summary.json": json.dumps(fig, indent=2),
    }
    if audience == "provider" and result.people is not None:
        files["cohort-people.csv"] = _people_csv(result)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    old = None
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}-old-{os.getpid()}")
            os.replace(out, old)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
        if old is not None and old.exists():
            shutil.rmtree(old)
    return [out / n for n in files]
