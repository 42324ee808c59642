"""docs/population.md stays true: every reason, threshold, table and command it must
describe is there."""

from dataclasses import fields
from pathlib import Path

from outreach.population.rules import REASON_NAMES, CohortConfig
from outreach.population.schema import TABLES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "population.md").read_text()


def test_every_reason_threshold_and_table_is_documented():
    missing = [n for n in REASON_NAMES if f"| {n} |" not in DOC]
    missing += [f.name for f in fields(CohortConfig) if f'"{f.name}"' not in DOC]
    missing += [t for t in TABLES if t not in DOC]
    assert not missing, missing


def test_the_commands_are_documented():
    for cmd in ("outreach cohort --data", "outreach workforce --people",
                "outreach synth --mhsds", "outreach export_mhsds", "spark-submit"):
        assert cmd in DOC, cmd
