"""`outreach synth --mhsds`, `outreach cohort` and `outreach workforce`, end to end on the
tiny synthetic region: what each audience gets, JSON output, and bad input refused with
nothing written."""

import csv
import json
import re
from io import StringIO

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from outreach.population.schema import TABLES


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    path = tmp_path_factory.mktemp("region") / "tiny"
    call_command("synth", mhsds=path, scale="tiny", seed=7, stdout=StringIO())
    return path


def _run(*args, **kw):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **kw)
    return out.getvalue()


def test_synth_writes_every_table_and_is_deterministic(region, tmp_path):
    assert {p.stem for p in region.glob("*.parquet")} == set(TABLES)
    again = tmp_path / "again"
    call_command("synth", mhsds=again, scale="tiny", seed=7, stdout=StringIO())
    for name in TABLES:
        assert pq.read_table(region / f"{name}.parquet").equals(
            pq.read_table(again / f"{name}.parquet")), name


def test_commissioners_get_suppressed_counts_and_no_people(region, tmp_path):
    out = tmp_path / "report"
    _run("cohort", data=region, out=out)
    assert sorted(p.name for p in out.iterdir()) == [
        "cohort-by-ethnicity.csv", "cohort-by-locality.csv", "report.html", "summary.json"]
    rows = list(csv.DictReader(open(out / "cohort-by-locality.csv")))
    assert rows[-1]["locality"] == "All localities"
    for r in rows:
        for k in ("cohort", "cohort_on_ao", "cohort_not_on_ao", "cohort_none", "smi_known"):
            v = r[k].replace(",", "")
            assert v == "*" or (int(v) >= 5 and int(v) % 5 == 0), (k, v)
    html = (out / "report.html").read_text()
    assert "<svg" in html and "must not be used for planning" in html
    assert "P0" not in html and not re.search(r"\bP\d+\b", html)  # no Person_ID anywhere


def test_providers_get_exact_counts_and_the_people_with_reasons(region, tmp_path):
    out = tmp_path / "report"
    text = _run("cohort", data=region, out=out, provider=True, json=True)
    fig = json.loads(text)
    people = list(csv.DictReader(open(out / "cohort-people.csv")))
    total = fig["localities"][-1]["cohort"]["value"]
    assert total == len(people) > 0
    assert all(p["reasons"] and p["Person_ID"].startswith("P") for p in people)
    assert fig["audience"] == "provider"


def test_bad_input_writes_nothing_and_keeps_the_previous_report(region, tmp_path):
    out = tmp_path / "report"
    _run("cohort", data=region, out=out)
    before = (out / "summary.json").read_text()
    bad = tmp_path / "bad"
    bad.mkdir()
    for p in region.iterdir():
        (bad / p.name).write_bytes(p.read_bytes())
    t = pq.read_table(bad / "MHS001MPI.parquet")
    import pyarrow as pa
    pq.write_table(pa.concat_tables([t, t.slice(0, 1)]), bad / "MHS001MPI.parquet")
    with pytest.raises(CommandError) as e:
        _run("cohort", data=bad, out=out)
    assert "MHS001MPI.parquet: Person_ID: 1 value(s) appear more than once" in str(e.value)
    assert (out / "summary.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "report"]


def test_workforce_command_prints_fte_by_role_and_cost():
    text = _run("workforce", people="2800-4200")
    assert "Practitioners: 234 (caseload 12) to 420 (caseload 10)" in text
    assert "Whole team: 224.0 FTE (8 per 100) to 420.0 FTE (10 per 100)" in text
    assert "Peer support workers" in text
    data = json.loads(_run("workforce", people="2800-4200", flat_cost=34000,
                           fte_per_100="8", json=True))
    assert round(data["low"]["annual_cost"] / 1e6) == 8
    assert round(data["high"]["annual_cost"] / 1e6) == 11


def test_workforce_refuses_nonsense():
    with pytest.raises(CommandError):
        _run("workforce", people="4200-2800")
