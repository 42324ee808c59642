"""Generative check: the Ibis rules agree with an independent, hand-written DuckDB SQL version
of the same rules (bench/population.py) on synthetic regions from any seed, for any
thresholds in their ranges, locality by locality and column by column."""

import importlib.util
from datetime import date
from pathlib import Path

import duckdb
import ibis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach.population.rules import CohortConfig, by_locality, person_reasons
from outreach.population.synth import generate

_spec = importlib.util.spec_from_file_location(
    "bench_population", Path(__file__).resolve().parents[2] / "bench" / "population.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

configs = st.builds(
    CohortConfig,
    period_end=st.dates(date(2024, 6, 1), date(2025, 3, 31)),
    required=st.sampled_from([("psychosis", "disengagement"), ("psychosis",),
                              ("disengagement",), ("psychosis", "relapse_harm")]),
    min_other=st.integers(0, 3), dna_min=st.integers(1, 5), dna_percent=st.integers(1, 60),
    gap_days=st.integers(14, 200), pre_discharge_days=st.integers(10, 120),
    rereferral_days=st.integers(30, 500), harm_window_days=st.integers(90, 1000),
    social_window_days=st.integers(90, 500), min_social_needs=st.integers(1, 3),
    engagement_window_days=st.integers(60, 500), smi_window_days=st.integers(60, 500),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), cfg=configs)
def test_ibis_rules_equal_hand_written_sql(seed, cfg):
    tables = generate(8_000, seed=seed, localities=3)
    ib = ibis.duckdb.connect()
    t = {n: ib.create_table(n, a, temp=True) for n, a in tables.items()}
    got = by_locality(person_reasons(t, cfg)).to_pyarrow().to_pylist()
    con = duckdb.connect()
    for n, a in tables.items():
        con.register(n, a)
    want = con.sql(bench.cohort_sql(cfg)).to_arrow_table().to_pylist()
    assert [{k: (int(v) if k != "locality" else v) for k, v in r.items()} for r in want] == got
