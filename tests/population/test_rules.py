"""Spec tests: every rule on small hand-made tables (tests/population/spec.py), on DuckDB."""

from datetime import date

import pytest

from outreach.population.rules import (
    CRITERION_NAMES,
    REASON_NAMES,
    CohortConfig,
    by_locality,
    person_reasons,
)
from tests.population.spec import CRITERIA_OF


def _rows(loaded, cfg=None):
    out = person_reasons(loaded.tables, cfg or CohortConfig()).to_pyarrow().to_pylist()
    return {r["Person_ID"]: r for r in out}


def test_every_spec_example_gives_its_reasons_cohort_and_caseload(spec_duckdb):
    """Each example person has exactly the expected reasons, criteria, cohort membership,
    caseload and SMI-known flag."""
    loaded, expect = spec_duckdb
    rows = _rows(loaded)
    assert set(rows) == set(expect)
    wrong = []
    for pid, e in expect.items():
        r = rows[pid]
        got = {n for n in REASON_NAMES if r[n]}
        crit = {n for n in CRITERION_NAMES if r[n]}
        want_crit = {CRITERIA_OF.get(n, "psychosis") for n in e.reasons}
        if (got, crit, r["in_cohort"], r["caseload"], r["smi_known"]) != (
                set(e.reasons), want_crit, e.in_cohort, e.caseload, e.smi_known):
            wrong.append((pid, e.why, sorted(got), sorted(crit), r["in_cohort"],
                          r["caseload"], r["smi_known"]))
    assert not wrong, wrong


def test_by_locality_counts_the_cohort_and_where_they_are(spec_duckdb):
    loaded, expect = spec_duckdb
    rows = by_locality(person_reasons(loaded.tables, CohortConfig())).to_pyarrow().to_pylist()
    second = next(r for r in rows if r["locality"] == "E08000002")
    assert second["cohort"] == 3
    assert second["cohort_on_ao"] == 1 and second["cohort_not_on_ao"] == 2
    assert second["cohort_cmht"] == 1 and second["cohort_none"] == 1
    assert second["ao_caseload"] == 1
    assert second["smi_known"] == sum(
        1 for p, e in expect.items() if e.smi_known and p in {
            "cohort-cmht", "cohort-ao", "cohort-discharged", "psychosis-dna-only",
            "bipolar-open", "forensic"})
    first = next(r for r in rows if r["locality"] == "E08000001")
    assert first["cohort"] == 0
    assert sum(r["people"] for r in rows) == len(expect)


def test_thresholds_are_configuration(spec_duckdb):
    """Two DNAs count when dna_min is 2; psychosis alone puts someone in the cohort when
    only psychosis is required and no other criterion is needed."""
    loaded, _ = spec_duckdb
    rows = _rows(loaded, CohortConfig(dna_min=2))
    assert rows["dna-2"]["repeated_dna"]
    rows = _rows(loaded, CohortConfig(required=("psychosis",), min_other=0))
    assert rows["dx-f20"]["in_cohort"] and rows["eip"]["in_cohort"]
    assert not rows["dx-depression"]["in_cohort"]


def test_a_later_period_end_moves_every_window(spec_duckdb):
    """A year on, the 2024 detention still counts (730 days) but the DNAs of winter 2024-25
    are no longer in the 365-day engagement window."""
    loaded, _ = spec_duckdb
    rows = _rows(loaded, CohortConfig(period_end=date(2026, 3, 31)))
    assert rows["s3"]["detention"]
    assert not rows["dna-3"]["repeated_dna"]


@pytest.mark.parametrize("bad", [
    {"required": ("psychosis", "astrology")}, {"dna_min": 0}, {"gap_days": 1.5},
    {"multiplier_low": 0.2, "multiplier_high": 0.1}, {"nonsense": 1},
])
def test_bad_configuration_is_refused(bad):
    with pytest.raises(ValueError):
        CohortConfig.from_mapping(bad)
