"""The engines the rules run on: DuckDB (default, one machine) and Spark (PySpark).

Locally Spark runs in local mode; on a cluster, `spark-submit` gives the session and
`connect("spark", session=spark)` uses it (docs/population.md).
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

import ibis

ENGINES = ("duckdb", "spark")
UNKNOWN_ENGINE = "Unknown engine {name}: use one of " + ", ".join(ENGINES)


def spark_session(*, cores: int | None = None, memory: str = "4g") -> Any:
    """A local-mode SparkSession for this interpreter (quiet, no UI, UTC)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    n = cores or os.cpu_count() or 2
    warehouse = tempfile.mkdtemp(prefix="outreach-spark-")
    session = (
        SparkSession.builder.master(f"local[{n}]")
        .appName("outreach-cohort")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(max(2, n * 2)))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", warehouse)
        .config("spark.driver.memory", memory)
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def connect(engine: str = "duckdb", *, session: Any = None, threads: int | None = None) -> Any:
    """An Ibis backend for `engine`."""
    if engine == "duckdb":
        con = ibis.duckdb.connect()
        if threads:
            con.raw_sql(f"SET threads = {int(threads)}")
        return con
    if engine == "spark":
        return ibis.pyspark.connect(session or spark_session(cores=threads))
    raise ValueError(UNKNOWN_ENGINE.format(name=engine))
