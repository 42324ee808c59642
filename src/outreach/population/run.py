"""Run the cohort rules on a directory of MHSDS-shaped files: the library behind
`outreach cohort`, the benchmark and a `spark-submit` job.

    result = run_cohort(Path("region"), engine="duckdb")
    write_report(result, Path("out"), audience="commissioner")
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from outreach.core.equality import By, group_order
from outreach.population.data import load
from outreach.population.engines import connect
from outreach.population.rules import (
    CRITERION_NAMES,
    GROUP_COLUMNS,
    GROUP_COUNTS,
    REASON_NAMES,
    CohortConfig,
    by_group,
    by_locality,
    person_reasons,
)

Progress = Callable[[str], None]


@dataclass
class CohortResult:
    config: CohortConfig
    engine: str
    data: str
    localities: list[dict[str, Any]]  # exact counts (rules.LOCALITY_COUNTS) by locality
    reasons: dict[str, int]  # people in the cohort with each reason and criterion
    people: list[dict[str, Any]] | None = None  # the cohort, identifiable: providers only
    seconds: dict[str, float] = field(default_factory=dict)
    # Exact counts (rules.GROUP_COUNTS) by equality group, per breakdown ("ethnicity", ...),
    # every group of core.equality.group_order in order, empty ones included.
    groups: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    missing_columns: list[tuple[str, str]] = field(default_factory=list)  # (table, column)

    def total(self, key: str) -> int:
        return sum(r[key] for r in self.localities)


def marginals(cross: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each breakdown from the cross-tabulation by every group column (one query for all):
    the counts added up per group, every group listed in reading order."""
    out = {}
    for by in By:
        col = GROUP_COLUMNS[by]
        sums = {g: dict.fromkeys(GROUP_COUNTS, 0) for g in group_order(by)}
        for r in cross:
            row = sums.setdefault(r[col], dict.fromkeys(GROUP_COUNTS, 0))
            for k in GROUP_COUNTS:
                row[k] += int(r[k] or 0)
        out[by.value] = [{"group": g, **v} for g, v in sums.items()]
    return out


def latest_contact(tables: dict[str, Any]) -> date | None:
    t = tables["MHS201CareContact"]
    return t.CareContDate.max().to_pyarrow().as_py()


def run_cohort(data: Path, *, engine: str = "duckdb", config: CohortConfig | None = None,
               period_end: date | None = None, identifiable: bool = False,
               session: Any = None, threads: int | None = None,
               progress: Progress = lambda _: None) -> CohortResult:
    """Validate the input, then identify the cohort. With no `config` the period end is
    `period_end`, or else the date of the latest care contact in the data."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    progress(f"starting {engine}")
    backend = connect(engine, session=session, threads=threads)
    seconds["connect"] = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="outreach-cohort-") as scratch:
        t1 = time.perf_counter()
        loaded = load(Path(data), backend, scratch=Path(scratch), progress=progress)
        seconds["validate"] = time.perf_counter() - t1
        cfg = config or CohortConfig()
        if config is None:
            end = period_end or latest_contact(loaded.tables) or cfg.period_end
            cfg = replace(cfg, period_end=end)
        elif period_end:
            cfg = replace(cfg, period_end=period_end)
        progress(f"identifying the cohort (period end {cfg.period_end})")
        t2 = time.perf_counter()
        persons = person_reasons(loaded.tables, cfg)
        if engine == "spark":
            persons = persons.cache()
        localities = by_locality(persons).to_pyarrow().to_pylist()
        coh = persons.filter(persons.in_cohort)
        counts = coh.aggregate(**{n: coh[n].cast("int64").sum()
                                  for n in (*REASON_NAMES, *CRITERION_NAMES)})
        reasons = {k: int(v or 0) for k, v in counts.to_pyarrow().to_pylist()[0].items()}
        progress("counting by ethnic group, age band, sex and deprivation")
        cross = by_group(persons, tuple(By)).to_pyarrow().to_pylist()
        groups = marginals(cross)
        people = None
        if identifiable:
            progress("listing the people in the cohort")
            people = coh.order_by(["locality", "Person_ID"]).to_pyarrow().to_pylist()
        seconds["rules"] = time.perf_counter() - t2
    seconds["total"] = time.perf_counter() - t0
    progress(f"done in {seconds['total']:.1f} s")
    return CohortResult(cfg, engine, str(data), localities, reasons, people, seconds, groups,
                        list(loaded.missing_columns))
