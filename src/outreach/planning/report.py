"""A plan's figures and unmet items as text or JSON, for `outreach plan`.

Both ways in (a benchmark instance file, or a team's week from the record) give the same
shape: the figures (`Figures.as_dict()`, plus what the record kept out of the plan) and the
unmet items as dicts with `person`, `kind`, `day`, `count` and `reason`. Nothing unmet is
ever left out of either form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from outreach.planning.plan import Plan


def unmet_items(plan: Plan) -> list[dict[str, Any]]:
    """The plan's unmet items, the same reason for the same person and day counted once."""
    out: dict[tuple, dict[str, Any]] = {}
    for u in plan.unmet:
        key = (u.person, u.kind.value, u.day, u.reason)
        if key in out:
            out[key]["count"] += u.count
        else:
            out[key] = {"person": u.person, "kind": u.kind.value,
                        "day": u.day.isoformat() if u.day else None, "count": u.count,
                        "reason": u.reason}
    return sorted(out.values(), key=lambda u: (u["person"], u["day"] or "", u["kind"]))


def as_json(title: str, figures: Mapping[str, Any], unmet: Iterable[Mapping[str, Any]],
            **extra: Any) -> dict[str, Any]:
    unmet = list(unmet)
    return {"plan": title, "figures": dict(figures), "unmet_count": len(unmet),
            "unmet": unmet, **extra}


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "100%"


def as_text(title: str, figures: Mapping[str, Any], unmet: Iterable[Mapping[str, Any]]) -> str:
    f = figures
    people = f.get("people", 0) + f.get("people_not_planned", 0)
    contacts = f.get("contacts_target", 0) + f.get("contacts_not_planned", 0)
    depots = f.get("depots_due", 0) + f.get("depots_not_planned", 0)
    met, planned = f.get("people_targets_met", 0), f.get("contacts_planned", 0)
    travel = round(f.get("travel_minutes", 0))
    rows = [
        ("Contact targets met", f"{met} of {people} people ({_share(met, people)})"),
        ("Face-to-face contacts", f"{planned} of {contacts} ({_share(planned, contacts)})"),
        ("Depots planned", f"{f.get('depots_planned', 0)} of {depots}"),
        ("Continuity", f"{f.get('continuity_share', 1):.1%} of visits by the key worker, cover "
                       f"or someone they know (key worker {f.get('key_worker_share', 1):.1%})"),
        ("Travel", f"{travel:,} minutes ({travel // 60} h {travel % 60} min)"),
        ("Visits a worker", f"busiest {f.get('busiest_worker_visits', 0)}, quietest "
                            f"{f.get('quietest_worker_visits', 0)} in the week"),
        ("Runtime", f"{f.get('runtime_seconds', 0):.1f} s"),
    ]
    lines = [title, ""] + [f"  {label:<24}{value}" for label, value in rows]
    unmet = list(unmet)
    lines += ["", f"Not met ({len(unmet)}):" if unmet else "Not met: nothing."]
    for u in unmet:
        when = f", {date.fromisoformat(u['day']):%a %d %b}" if u.get("day") else ""
        times = f" x{u['count']}" if u.get("count", 1) > 1 else ""
        what = u.get("what") or u["kind"]
        lines.append(f"  - {u['person']}: {what}{times}{when}. {u['reason']}")
    return "\n".join(lines) + "\n"
