"""Population analytics for commissioners: MHSDS-shaped data, cohort rules in Ibis on
DuckDB or Spark, the report (docs/population.md)."""
