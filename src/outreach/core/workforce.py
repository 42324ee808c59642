"""Workforce and cost of intensive and assertive community care for a number of people.

From people to practitioners (caseload 10-12 each), to the whole multidisciplinary team
(8-10 whole-time equivalents per 100 people, in a configurable mix of roles), to an annual
cost from a configurable table of NHS Agenda for Change pay bands plus employer on-costs.
The ranges and ratios come from the Greater Manchester FOI reply (003) and the assertive
outreach model (001, 002 ch.4). Demand and capacity by locality compares the staff needed
for the people identified with the staff in post.

Pure Python, no Django: the `outreach workforce` command, the cohort report and the API use
it. Worked examples (tests/core/test_workforce.py, docs/population.md) reproduce the
published figures with the assumptions stated there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

NEGATIVE = "Numbers of people and staff cannot be negative"
BAD_RANGE = "A range needs a low end no higher than its high end, both above zero"
BAD_MIX = "The role mix must give every role a positive share and a known pay band"
BAD_RATE = "On-costs and overheads are shares of pay between 0 and 1"
UNKNOWN_SETTING = "Unknown workforce setting"

CASELOAD = (10, 12)  # people per practitioner (003)
FTE_PER_100 = (8.0, 10.0)  # whole team, whole-time equivalents per 100 people (003)

# Illustrative annual pay, 2025/26, England (mid-points of the Agenda for Change bands and
# the consultant scale). Configuration: replace with the current NHS Employers tables.
PAY_BANDS: dict[str, float] = {
    "band_3": 25_767,
    "band_4": 28_823,
    "band_5": 34_423,
    "band_6": 42_631,
    "band_7": 51_260,
    "band_8a": 59_186,
    "consultant": 127_601,
}
ON_COSTS = 0.28  # employer National Insurance and pension, as a share of pay
OVERHEADS = 0.0  # non-pay (travel, phones, estates), as a share of pay with on-costs


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    band: str
    per_10: float  # whole-time equivalents in a team of 10 FTE
    carries_caseload: bool


ROLES: tuple[Role, ...] = (
    Role("consultant", "Consultant psychiatrist", "consultant", 0.6, False),
    Role("nurse", "Mental health nurses", "band_6", 2.6, True),
    Role("ot", "Occupational therapist", "band_6", 0.8, True),
    Role("social_worker", "Social worker", "band_6", 1.0, True),
    Role("psychologist", "Clinical psychologist", "band_8a", 0.6, True),
    Role("str_worker", "Support, time and recovery workers", "band_3", 2.2, True),
    Role("peer_support", "Peer support workers", "band_4", 1.0, True),
    Role("manager", "Team manager", "band_7", 0.5, False),
    Role("admin", "Administrator", "band_3", 0.7, False),
)


@dataclass(frozen=True)
class Costing:
    """How a whole-time equivalent is costed: each role's band from `pay`, plus on-costs
    and overheads; or, when `flat_per_fte` is set, one figure for every post (to reproduce
    a published estimate that was made that way)."""

    pay: Mapping[str, float] = field(default_factory=lambda: dict(PAY_BANDS))
    on_costs: float = ON_COSTS
    overheads: float = OVERHEADS
    flat_per_fte: float | None = None

    def __post_init__(self) -> None:
        if not (0 <= self.on_costs <= 1 and 0 <= self.overheads <= 1):
            raise ValueError(BAD_RATE)
        if self.flat_per_fte is not None and self.flat_per_fte < 0:
            raise ValueError(NEGATIVE)

    def per_fte(self, role: Role) -> float:
        if self.flat_per_fte is not None:
            return self.flat_per_fte
        return self.pay[role.band] * (1 + self.on_costs) * (1 + self.overheads)


@dataclass(frozen=True)
class WorkforceConfig:
    caseload: tuple[int, int] = CASELOAD
    fte_per_100: tuple[float, float] = FTE_PER_100
    roles: tuple[Role, ...] = ROLES
    costing: Costing = field(default_factory=Costing)

    def __post_init__(self) -> None:
        for lo, hi in (self.caseload, self.fte_per_100):
            if not 0 < lo <= hi:
                raise ValueError(BAD_RANGE)
        if not self.roles or any(
            r.per_10 <= 0 or (self.costing.flat_per_fte is None
                              and r.band not in self.costing.pay) for r in self.roles
        ):
            raise ValueError(BAD_MIX)

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any]) -> WorkforceConfig:
        known = {"caseload", "fte_per_100", "pay", "on_costs", "overheads", "flat_per_fte"}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"{UNKNOWN_SETTING}: {', '.join(sorted(unknown))}")
        costing = Costing()
        cost_keys = {k: d[k] for k in ("on_costs", "overheads", "flat_per_fte") if k in d}
        if "pay" in d:
            cost_keys["pay"] = {**PAY_BANDS, **d["pay"]}
        costing = replace(costing, **cost_keys)
        cfg = cls(costing=costing)
        if "caseload" in d:
            cfg = replace(cfg, caseload=tuple(d["caseload"]))
        if "fte_per_100" in d:
            cfg = replace(cfg, fte_per_100=tuple(float(x) for x in d["fte_per_100"]))
        return cfg


@dataclass(frozen=True)
class Bound:
    """One end of a range: the people, the ratio and caseload used, and what follows."""

    people: int
    fte_per_100: float
    caseload: int
    practitioners: int  # people / caseload, rounded up
    team_fte: float
    by_role: dict[str, float]
    cost: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "people": self.people, "fte_per_100": self.fte_per_100, "caseload": self.caseload,
            "practitioners": self.practitioners, "team_fte": round(self.team_fte, 1),
            "by_role": {k: round(v, 2) for k, v in self.by_role.items()},
            "annual_cost": round(self.cost),
        }


@dataclass(frozen=True)
class Estimate:
    low: Bound
    high: Bound

    def as_dict(self) -> dict[str, Any]:
        return {"low": self.low.as_dict(), "high": self.high.as_dict()}


def team(people: int, fte_per_100: float, caseload: int,
         cfg: WorkforceConfig | None = None) -> Bound:
    """The team for `people` at one ratio and caseload."""
    cfg = cfg or WorkforceConfig()
    if people < 0:
        raise ValueError(NEGATIVE)
    total = people * fte_per_100 / 100
    mix_total = sum(r.per_10 for r in cfg.roles)
    by_role = {r.name: total * r.per_10 / mix_total for r in cfg.roles}
    cost = sum(by_role[r.name] * cfg.costing.per_fte(r) for r in cfg.roles)
    return Bound(people, fte_per_100, caseload, math.ceil(people / caseload), total, by_role,
                 cost)


def estimate(people_low: int, people_high: int | None = None,
             cfg: WorkforceConfig | None = None) -> Estimate:
    """The low end (fewest people, lowest ratio, largest caseload) and the high end."""
    cfg = cfg or WorkforceConfig()
    people_high = people_low if people_high is None else people_high
    if people_low < 0 or people_high < 0:
        raise ValueError(NEGATIVE)
    if people_low > people_high:
        raise ValueError(BAD_RANGE)
    return Estimate(
        team(people_low, cfg.fte_per_100[0], cfg.caseload[1], cfg),
        team(people_high, cfg.fte_per_100[1], cfg.caseload[0], cfg),
    )


@dataclass(frozen=True)
class LocalityGap:
    locality: str
    people: int  # needing intensive and assertive care
    staff_needed: float  # at the chosen ratio
    staff_in_post: float
    gap_fte: float  # needed minus in post (negative: more staff than the need)
    gap_cost: float  # the cost of closing the gap (0 when there is no gap)

    def as_dict(self) -> dict[str, Any]:
        return {"locality": self.locality, "people": self.people,
                "staff_needed": round(self.staff_needed, 1),
                "staff_in_post": round(self.staff_in_post, 1),
                "gap_fte": round(self.gap_fte, 1), "gap_cost": round(self.gap_cost)}


def demand_capacity(people: Mapping[str, int], in_post: Mapping[str, float], *,
                    fte_per_100: float | None = None,
                    cfg: WorkforceConfig | None = None) -> list[LocalityGap]:
    """For each locality: staff needed for the people identified (at `fte_per_100`, the low
    end of the range by default), staff in post, the gap and what closing it costs (the
    team's average cost per FTE)."""
    cfg = cfg or WorkforceConfig()
    ratio = cfg.fte_per_100[0] if fte_per_100 is None else fte_per_100
    per_fte = team(100, 10, cfg.caseload[1], cfg).cost / 10
    out = []
    for loc in sorted(set(people) | set(in_post)):
        n, staff = people.get(loc, 0), in_post.get(loc, 0.0)
        if n < 0 or staff < 0:
            raise ValueError(NEGATIVE)
        need = n * ratio / 100
        gap = need - staff
        out.append(LocalityGap(loc, n, need, staff, gap, max(gap, 0) * per_fte))
    return out


def average_cost_per_fte(cfg: WorkforceConfig | None = None) -> float:
    cfg = cfg or WorkforceConfig()
    return team(100, 10, cfg.caseload[1], cfg).cost / 10


def totals(rows: Sequence[LocalityGap]) -> LocalityGap:
    return LocalityGap("all", sum(r.people for r in rows), sum(r.staff_needed for r in rows),
                       sum(r.staff_in_post for r in rows), sum(r.gap_fte for r in rows),
                       sum(r.gap_cost for r in rows))
