"""The same spec examples on Spark (local mode): identical rows to DuckDB, person by person.
Few tests, one SparkSession for the module (it takes seconds to start)."""

import os

import pytest

from outreach.population.data import InvalidInput, load
from outreach.population.engines import connect, spark_session
from outreach.population.rules import CohortConfig, by_locality, person_reasons

pytestmark = [
    pytest.mark.spark,
    # No database here: CI runs these in its SQLite pass and skips them in the PostgreSQL one.
    pytest.mark.skipif(bool(os.environ.get("CI"))
                       and os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="database-independent; run once per CI run, in the SQLite pass"),
]


@pytest.fixture(scope="module")
def spark():
    session = spark_session(cores=2, memory="1g")
    yield session
    session.stop()


def _sorted(table, key):
    return sorted(table.to_pyarrow().to_pylist(), key=lambda r: r[key])


def test_spark_and_duckdb_agree_on_every_person_and_locality(spark, spec_dir, spec_duckdb,
                                                             tmp_path):
    """Every column of every person, and the locality counts, are identical on both engines,
    for the default thresholds and for a changed configuration."""
    path, _ = spec_dir
    duck, _ = spec_duckdb
    sp = load(path, connect("spark", session=spark), scratch=tmp_path)
    for cfg in (CohortConfig(), CohortConfig(dna_min=2, gap_days=60, min_other=0)):
        a = person_reasons(duck.tables, cfg)
        b = person_reasons(sp.tables, cfg)
        assert _sorted(a, "Person_ID") == _sorted(b, "Person_ID")
        assert _sorted(by_locality(a), "locality") == _sorted(by_locality(b), "locality")


def test_spark_refuses_bad_input_like_duckdb(spark, tmp_path):
    """The value checks run on Spark too: an unknown code is reported with its file."""
    from tests.population.builders import Region

    r = Region()
    r.person("p1", Gender="Q")
    with pytest.raises(InvalidInput) as e:
        load(r.write(tmp_path / "bad"), connect("spark", session=spark), scratch=tmp_path)
    assert "MHS001MPI.parquet: Gender" in str(e.value)
