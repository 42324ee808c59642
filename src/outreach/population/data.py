"""Read a directory of MHSDS-shaped files into an engine, refusing bad input with one report.

Checks, all gathered before anything is computed: a table file missing, a column missing,
a column of the wrong type (Parquet: its declared type; CSV: every value must parse), a
value missing where it is required, a code not in the table's code list, a duplicate key
(two rows for one person in MHS001MPI, one referral or contact id twice). The report names
the file, the column, how many rows and up to three example rows (the CSV line number, or
the row's id). An optional column (MHS001MPI.EthnicCategory) may be left out: it is read as
empty and `Loaded.missing_columns` says so, for the report.

The area-of-residence lookup (LSOA 2011 code to IMD decile) is registered beside the tables
as `schema.IMD_LOOKUP`; the one shipped is synthetic (outreach/outcomes/data/README.md).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from outreach.population.schema import DATE, IMD_LOOKUP, INT, STRING, TABLES, Table

LINE = "_line"  # the CSV line number kept for the report (1 is the header)
EXAMPLES = 3

NO_FILE = "no {name}.parquet or {name}.csv"
NO_COLUMN = "column missing"
WRONG_TYPE = "has type {got}, expected {want}"
NOT_PARSED = "{n:,} value(s) are not {want}"
MISSING_VALUE = "{n:,} row(s) have no value, and one is required"
UNKNOWN_CODE = "{n:,} row(s) have a code that is not in the code list"
DUPLICATE = "{n:,} value(s) appear more than once (each must be unique)"


@dataclass(frozen=True)
class Problem:
    file: str
    column: str
    message: str
    examples: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f"{self.file}: {self.column}" if self.column else self.file
        ex = f" (e.g. {'; '.join(self.examples)})" if self.examples else ""
        return f"{where}: {self.message}{ex}"


class InvalidInput(Exception):
    """The input cannot be used; `problems` says where and why. Nothing was computed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"The input has {len(self.problems)} problem(s); nothing was computed:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


@dataclass
class Loaded:
    """The tables as Ibis expressions on one backend, restricted to the schema's columns."""

    backend: Any
    tables: dict[str, ir.Table]
    files: dict[str, Path]
    raw: dict[str, ir.Table] = field(default_factory=dict)
    missing_columns: list[tuple[str, str]] = field(default_factory=list)  # (table, column)


def find_files(data: Path) -> tuple[dict[str, Path], list[Problem]]:
    files, problems = {}, []
    for name, spec in TABLES.items():
        for ext in ("parquet", "csv"):
            p = data / f"{name}.{ext}"
            if p.exists():
                files[name] = p
                break
        else:
            if not spec.optional:
                problems.append(Problem(str(data / name), "", NO_FILE.format(name=name)))
    return files, problems


def _arrow_type_ok(got: pa.DataType, want: str) -> bool:
    if want == STRING:
        return pa.types.is_string(got) or pa.types.is_large_string(got) or (
            pa.types.is_dictionary(got) and pa.types.is_string(got.value_type))
    if want == DATE:
        return pa.types.is_date(got)
    if want == INT:
        return pa.types.is_integer(got)
    raise AssertionError(want)  # pragma: no cover


def _check_parquet_schema(path: Path, spec: Table) -> list[Problem]:
    schema = pq.read_schema(path)
    problems = []
    for c in spec.columns:
        if c.name not in schema.names:
            if not c.optional:
                problems.append(Problem(path.name, c.name, NO_COLUMN))
        elif not _arrow_type_ok(schema.field(c.name).type, c.type):
            got = schema.field(c.name).type
            problems.append(Problem(path.name, c.name, WRONG_TYPE.format(got=got, want=c.type)))
    return problems


def _arrow_type(want: str) -> pa.DataType:
    return pa.date32() if want == DATE else pa.int64() if want == INT else pa.string()


def imd_lookup() -> pa.Table:
    """The LSOA 2011 code to IMD decile lookup (synthetic: see outcomes/data/README.md)."""
    from outreach.outcomes.areas import LOOKUP

    return pacsv.read_csv(LOOKUP, convert_options=pacsv.ConvertOptions(
        column_types={"lsoa_code": pa.string(), "imd_decile": pa.int64()}))


def _missing_optional(t: ir.Table, spec: Table) -> list[str]:
    return [c.name for c in spec.columns if c.optional and c.name not in t.columns]


def _parse_value(text: str, want: str) -> Any:
    if want == DATE:
        return date.fromisoformat(text)
    return int(text)


def read_csv(path: Path, spec: Table) -> tuple[pa.Table | None, list[Problem]]:
    """All columns read as text, then each converted to its type; bad values reported with
    their line numbers."""
    table = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={c.name: pa.string() for c in spec.columns},
            strings_can_be_null=True, quoted_strings_can_be_null=False,
        ),
    )
    problems = [Problem(path.name, c.name, NO_COLUMN)
                for c in spec.columns if c.name not in table.column_names and not c.optional]
    if problems:
        return None, problems
    cols = {}
    for c in spec.columns:
        if c.name not in table.column_names:  # an optional column left out
            cols[c.name] = pa.nulls(table.num_rows, _arrow_type(c.type))
            continue
        col = pc.utf8_trim_whitespace(table[c.name])
        col = pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)
        if c.type == STRING:
            cols[c.name] = col
            continue
        values, bad = [], []
        for i, v in enumerate(col.to_pylist()):
            try:
                values.append(None if v is None else _parse_value(v, c.type))
            except ValueError:
                values.append(None)
                bad.append(f"line {i + 2}: {v!r}")
        if bad:
            want = "dates (YYYY-MM-DD)" if c.type == DATE else "whole numbers"
            problems.append(Problem(path.name, c.name, NOT_PARSED.format(n=len(bad), want=want),
                                    tuple(bad[:EXAMPLES])))
        cols[c.name] = pa.array(values, pa.date32() if c.type == DATE else pa.int64())
    cols[LINE] = pa.array(range(2, table.num_rows + 2), pa.int64())
    return pa.table(cols), problems


def _csv_header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as f:
        return [h.strip() for h in next(csv.reader(f), [])]


def _examples(t: ir.Table, spec: Table, column: str) -> tuple[str, ...]:
    show = LINE if LINE in t.columns else spec.key
    cols = [show] if show == column else [show, column]
    rows = t.select(*cols).order_by(show).limit(EXAMPLES).to_pyarrow().to_pylist()
    if show == LINE:
        return tuple(f"line {r[LINE]}: {r[column]!r}" for r in rows)
    if show == column:
        return tuple(f"{r[column]!r}" for r in rows)
    return tuple(f"{spec.key} {r[show]}: {r[column]!r}" for r in rows)


def _check_values(name: str, t: ir.Table, spec: Table, file: str) -> list[Problem]:
    """Missing required values, unknown codes and duplicate keys, found by the engine."""
    problems = []
    checks: dict[str, Any] = {}
    for c in spec.columns:
        if not c.nullable:
            checks[f"null__{c.name}"] = t[c.name].isnull()
        if c.codes is not None:
            checks[f"code__{c.name}"] = t[c.name].notnull() & ~t[c.name].isin(sorted(c.codes))
    if checks:
        counts = t.aggregate(**{k: v.cast("int64").sum() for k, v in checks.items()})
        row = counts.to_pyarrow().to_pylist()[0]
        for k, n in row.items():
            if not n:
                continue
            kind, col = k.split("__", 1)
            bad = t.filter(checks[k])
            msg = (MISSING_VALUE if kind == "null" else UNKNOWN_CODE).format(n=n)
            problems.append(Problem(file, col, msg, _examples(bad, spec, col)))
    if spec.unique:
        k = spec.key
        dup = t.group_by(k).agg(n=t.count()).filter(ibis._.n > 1)
        n = dup.count().to_pyarrow().as_py()
        if n:
            ex = dup.order_by(k).limit(EXAMPLES).to_pyarrow().to_pylist()
            problems.append(Problem(file, k, DUPLICATE.format(n=n),
                                    tuple(f"{r[k]!r} x{r['n']}" for r in ex)))
    return problems


def load(data: Path, backend: Any, *, scratch: Path | None = None,
         progress: Callable[[str], None] = lambda _: None) -> Loaded:
    """Validate every file and register the tables on `backend` (an Ibis DuckDB or PySpark
    connection). Raises InvalidInput with every problem found."""
    data = Path(data)
    files, problems = find_files(data)
    raw: dict[str, ir.Table] = {}
    missing: list[tuple[str, str]] = []
    spark = backend.name == "pyspark"

    def register(name: str, arrow: pa.Table) -> ir.Table:
        if spark:
            if scratch is None:  # pragma: no cover - run() always gives one
                raise ValueError("Spark reads CSV input through a scratch directory")
            p = scratch / f"{name}.parquet"
            pq.write_table(arrow, p)
            return backend.read_parquet(str(p), table_name=name)
        return backend.create_table(name, arrow, temp=True, overwrite=True)

    for name, path in files.items():
        spec = TABLES[name]
        progress(f"reading {path.name}")
        if path.suffix == ".parquet":
            found = _check_parquet_schema(path, spec)
            problems += found
            if not found:
                t = backend.read_parquet(str(path), table_name=name)
                gone = _missing_optional(t, spec)
                missing += [(name, c) for c in gone]
                raw[name] = t.mutate(**{c: ibis.null().cast(spec.col[c].type) for c in gone})
        else:
            arrow, found = read_csv(path, spec)
            problems += found
            if arrow is None:
                continue
            header = _csv_header(path)
            missing += [(name, c.name) for c in spec.columns
                        if c.optional and c.name not in header]
            raw[name] = register(name, arrow)
    for name, t in raw.items():
        progress(f"checking {name}")
        problems += _check_values(name, t, TABLES[name], files[name].name)
    if problems:
        raise InvalidInput(problems)
    tables = {n: t.select(*TABLES[n].names) for n, t in raw.items()}
    tables[IMD_LOOKUP] = register(IMD_LOOKUP, imd_lookup())
    return Loaded(backend, tables, files, raw, missing)
