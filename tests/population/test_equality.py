"""Issue 8's equality breakdown of the population figures: each person's ethnic group, age
band, sex and deprivation decile worked out by the rules, counts by group, and what each
audience sees (small groups and their neighbours hidden for commissioners, exact for
providers), on hand-built regions where the answer is known."""

import csv
import json
from datetime import date
from io import StringIO

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach.core.equality import (
    NOT_KNOWN,
    By,
    age_band,
    ethnic_group,
    group_order,
    imd_group,
    sex_group,
    wilson,
)
from outreach.core.suppression import Disclosure
from outreach.outcomes.areas import imd_decile
from outreach.population.data import InvalidInput, load
from outreach.population.engines import connect
from outreach.population.report import NO_ETHNICITY, TOTAL, equality, figures
from outreach.population.rules import CohortConfig, by_group, person_reasons
from outreach.population.run import CohortResult, run_cohort
from tests.population.builders import END, Region

CFG = CohortConfig()
COHORT_ROW = {"smi_known": 0, "cohort": 0, "cohort_smi_known": 0, "cohort_on_ao": 0,
              "cohort_not_on_ao": 0}


def cohort_person(r: Region, pid: str, *, ao: bool = False, **demo) -> str:
    """Someone in the cohort by the default rules (psychosis, disengagement and a social
    need), in the SMI cohort known to secondary care; on an AO caseload if `ao`."""
    r.person(pid, **demo)
    r.diagnosis(pid, "F20.0")
    ref = r.referral(pid, "2024-01-01", team="A08" if ao else "A06")
    for day in ("2024-06-01", "2024-07-01", "2024-08-01"):
        r.contact(pid, ref, day, attend="3")
    r.contact(pid, ref, "2025-03-20")
    r.accommodation(pid, "N", "2024-10-01")
    return pid


def known_person(r: Region, pid: str, **demo) -> str:
    """In the SMI cohort known to secondary care, not in the cohort (seen regularly)."""
    r.person(pid, **demo)
    r.diagnosis(pid, "F20.0")
    r.contact(pid, r.referral(pid, "2024-01-01"), "2025-03-20")
    return pid


def region_by_ethnicity() -> Region:
    """White: 8 in the cohort (3 on AO) and 12 known; Black (codes M, N): 3 in the cohort and
    2 more known; Mixed (D): 6 in the cohort; nobody else."""
    r = Region()
    for i in range(8):
        cohort_person(r, f"w{i}", ao=i < 3, EthnicCategory="A" if i % 2 else "C")
    for i in range(4):
        known_person(r, f"wk{i}", EthnicCategory="B")
    for i, code in enumerate("MNM"):
        cohort_person(r, f"b{i}", EthnicCategory=code)
    for i in range(2):
        known_person(r, f"bk{i}", EthnicCategory="N")
    for i in range(6):
        cohort_person(r, f"m{i}", EthnicCategory="D")
    return r


@pytest.fixture(scope="module")
def ethnic_region(tmp_path_factory):
    return region_by_ethnicity().write(tmp_path_factory.mktemp("eq") / "r")


def _counts(rows, key):
    return {r[key]: {k: r[k] for k in COHORT_ROW} for r in rows}


def test_by_group_counts_known_cohort_and_ao_per_ethnic_group(ethnic_region):
    loaded = load(ethnic_region, connect("duckdb"))
    rows = by_group(person_reasons(loaded.tables, CFG), By.ETHNICITY).to_pyarrow().to_pylist()
    assert _counts(rows, "ethnic_group") == {
        "White": {"smi_known": 12, "cohort": 8, "cohort_smi_known": 8, "cohort_on_ao": 3,
                  "cohort_not_on_ao": 5},
        "Black, Black British, Caribbean or African": {
            "smi_known": 5, "cohort": 3, "cohort_smi_known": 3, "cohort_on_ao": 0,
            "cohort_not_on_ao": 3},
        "Mixed or multiple ethnic groups": {
            "smi_known": 6, "cohort": 6, "cohort_smi_known": 6, "cohort_on_ao": 0,
            "cohort_not_on_ao": 6},
    }


def test_run_gives_every_group_in_order_and_the_same_counts(ethnic_region):
    result = run_cohort(ethnic_region, period_end=END)
    assert set(result.groups) == {b.value for b in By}
    eth = result.groups["ethnicity"]
    assert [r["group"] for r in eth] == group_order(By.ETHNICITY)  # empty groups listed
    by = {r["group"]: r for r in eth}
    assert by["Asian or Asian British"]["smi_known"] == 0
    assert by["White"]["cohort_on_ao"] == 3
    # Every breakdown adds up to the same totals as the locality table.
    for rows in result.groups.values():
        assert sum(r["cohort"] for r in rows) == result.total("cohort") == 17
        assert sum(r["smi_known"] for r in rows) == result.total("smi_known") == 23
    assert {r["group"]: r["cohort"] for r in result.groups["age"]}["35 to 44"] == 17
    assert {r["group"]: r["cohort"] for r in result.groups["sex"]}["Male"] == 17
    assert {r["group"]: r["cohort"] for r in result.groups["imd"]}[NOT_KNOWN] == 17


def test_commissioners_never_see_the_group_of_3_nor_the_one_that_would_give_it_away(
        ethnic_region):
    """Black: 3 in the cohort, hidden. It is the only small group that is not empty, so the
    next smallest (Mixed, 6) is hidden too: otherwise 17 - 8 - 6 would give the 3 back.
    White's 8 is rounded to 10; the total 17 to 15."""
    f = figures(run_cohort(ethnic_region, period_end=END))
    rows = {r["group"]: r for r in f["equality"]["sections"][0]["rows"]}
    black = rows["Black, Black British, Caribbean or African"]
    mixed = rows["Mixed or multiple ethnic groups"]
    assert black["cohort"] == {"text": "*", "value": None}
    assert mixed["cohort"] == {"text": "*", "value": None}  # secondary suppression
    assert mixed["cohort_not_on_ao"]["value"] is None  # its parts are hidden with it
    assert rows["White"]["cohort"] == {"text": "10", "value": 10}
    assert rows[TOTAL]["cohort"]["value"] == 15
    assert black["rate"]["text"] == "*" and black["rate"]["low"] is None
    assert mixed["rate"]["text"] == "*"
    assert "3" not in json.dumps(black)
    # Known to services: Black 5 (shown), Mixed 6, White 12: none small, nothing hidden.
    assert black["smi_known"]["value"] == 5 and rows["White"]["smi_known"]["value"] == 10
    assert rows["Asian or Asian British"]["smi_known"]["text"] == "*"  # zero is hidden


def test_providers_get_exact_counts_and_every_rate(ethnic_region):
    f = figures(run_cohort(ethnic_region, period_end=END), audience="provider")
    rows = {r["group"]: r for r in f["equality"]["sections"][0]["rows"]}
    black = rows["Black, Black British, Caribbean or African"]
    assert black["cohort"]["value"] == 3 and black["smi_known"]["value"] == 5
    lo, hi = wilson(3, 5)
    assert black["rate"]["value"] == 600.0
    assert (black["rate"]["low"], black["rate"]["high"]) == (round(1000 * lo, 1),
                                                             round(1000 * hi, 1))
    assert rows["White"]["rate"]["value"] == round(1000 * 8 / 12, 1)
    assert rows["Asian or Asian British"]["rate"]["text"] == "no one known"


def _result_with(groups):
    result = CohortResult(CFG, "duckdb", "x", [], {})
    result.groups = {"ethnicity": [{"group": g, **dict(COHORT_ROW, **v)}
                                   for g, v in groups.items()]}
    return result


def test_rate_is_hidden_when_its_numerator_is_small_though_the_group_is_shown():
    """White: 400 known, 4 of them in the cohort: the cohort is hidden (4), and with it the
    rate (10 per 1,000 of a shown 400 would give the 4 back)."""
    groups = {"White": {"smi_known": 400, "cohort": 4, "cohort_smi_known": 4,
                        "cohort_not_on_ao": 4},
              "Asian or Asian British": {"smi_known": 60, "cohort": 12,
                                         "cohort_smi_known": 12, "cohort_not_on_ao": 12},
              "Other ethnic group": {"smi_known": 50, "cohort": 9, "cohort_smi_known": 9,
                                     "cohort_not_on_ao": 9}}
    eq = equality(_result_with(groups), Disclosure.suppressed())
    rows = {r["group"]: r for r in eq["sections"][0]["rows"]}
    assert rows["White"]["smi_known"]["value"] == 400
    assert rows["White"]["rate"]["value"] is None
    assert rows["Other ethnic group"]["cohort"]["text"] == "*"  # next smallest to the 4
    assert rows["Asian or Asian British"]["rate"]["value"] == 200.0


def test_missing_ethnic_category_column_counts_everyone_as_not_known_and_says_so(tmp_path):
    r = region_by_ethnicity()
    for fmt in ("parquet", "csv"):
        path = r.write(tmp_path / fmt, fmt=fmt)
        mpi = r.arrow("MHS001MPI").drop_columns(["EthnicCategory"])
        if fmt == "parquet":
            pq.write_table(mpi, path / "MHS001MPI.parquet")
        else:
            with open(path / "MHS001MPI.csv", "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(mpi.column_names)
                w.writerows([["" if v is None else v for v in row.values()]
                             for row in mpi.to_pylist()])
        result = run_cohort(path, period_end=END)
        assert result.missing_columns == [("MHS001MPI", "EthnicCategory")]
        eth = {g["group"]: g["cohort"] for g in result.groups["ethnicity"]}
        assert eth[NOT_KNOWN] == 17 and eth["White"] == 0
        assert NO_ETHNICITY in figures(result)["equality"]["notes"]
    assert NO_ETHNICITY not in figures(run_cohort(r.write(tmp_path / "with"),
                                                  period_end=END))["equality"]["notes"]


def test_an_ethnic_category_not_in_the_code_list_is_refused(tmp_path):
    r = Region()
    r.person("p1", EthnicCategory="Q")
    r.person("p2", EthnicCategory="A")
    with pytest.raises(InvalidInput) as e:
        load(r.write(tmp_path / "bad"), connect("duckdb"))
    assert "MHS001MPI.parquet: EthnicCategory: 1 row(s) have a code" in str(e.value)


LSOAS = st.sampled_from(["E01900001", "E01900004", "E01900009", "E01999999", " e01900003 ",
                         None])
people = st.lists(st.tuples(
    st.sampled_from(["A", "B", "D", "H", "M", "N", "P", "R", "S", "Z", "99", None]),
    st.one_of(st.none(), st.integers(0, 100)),
    st.sampled_from(["1", "2", "9", "X", None]),
    LSOAS,
), min_size=1, max_size=25)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(people=people)
def test_the_engine_puts_people_in_the_groups_core_equality_does(people, tmp_path_factory):
    """The groups worked out by the engine (written once in Ibis) are those of
    core.equality's Python functions, for any codes, ages and areas."""
    r = Region()
    for i, (eth, age, sex, lsoa) in enumerate(people):
        r.person(f"p{i}", EthnicCategory=eth, AgeRepPeriodEnd=age, Gender=sex, LSOA2011=lsoa)
    loaded = load(r.write(tmp_path_factory.mktemp("g")), connect("duckdb"))
    got = {row["Person_ID"]: row for row in
           person_reasons(loaded.tables, CFG).to_pyarrow().to_pylist()}
    for i, (eth, age, sex, lsoa) in enumerate(people):
        row = got[f"p{i}"]
        born = None if age is None else date(END.year - age, END.month, END.day)
        assert row["ethnic_group"] == ethnic_group(eth)
        assert row["age_band"] == age_band(born, END)
        assert row["sex"] == sex_group(sex)
        assert row["imd_group"] == imd_group(imd_decile(lsoa))


def test_deprivation_comes_from_the_area_lookup(tmp_path):
    r = Region()
    cohort_person(r, "most", LSOA2011="E01900004")  # decile 2 in the synthetic lookup
    cohort_person(r, "least", LSOA2011="E01900003")  # decile 10
    cohort_person(r, "nowhere", LSOA2011="E01999999")  # not in the lookup
    result = run_cohort(r.write(tmp_path / "r"), period_end=END)
    imd = {g["group"]: g["cohort"] for g in result.groups["imd"]}
    assert imd["Decile 2"] == 1 and imd["Decile 10 (least deprived)"] == 1
    assert imd[NOT_KNOWN] == 1


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny") / "tiny"
    call_command("synth", mhsds=path, scale="tiny", seed=7, stdout=StringIO())
    return path


def test_cohort_command_by_age_writes_each_breakdown_suppressed(tiny, tmp_path):
    out = tmp_path / "report"
    text = StringIO()
    call_command("cohort", data=tiny, out=out, by=["age"], json=True, stdout=text,
                 stderr=StringIO())
    fig = json.loads(text.getvalue())
    assert [s["by"] for s in fig["equality"]["sections"]] == ["ethnicity", "age"]
    for name in ("cohort-by-ethnicity.csv", "cohort-by-age.csv"):
        rows = list(csv.DictReader(open(out / name)))
        assert rows[-1]["group"] == TOTAL
        for row in rows:
            for k in ("smi_known", "cohort", "cohort_on_ao", "cohort_not_on_ao"):
                assert row[k] == "*" or (int(row[k]) >= 5 and int(row[k]) % 5 == 0)
    html = (out / "report.html").read_text()
    assert "By ethnic group" in html and "By age band" in html
    assert "Cohort rate per 1,000 SMI-known" in html


def test_synthetic_region_has_valid_ethnicity_and_areas_in_the_lookup():
    import pyarrow.compute as pc

    from outreach.population.synth import generate

    mpi = generate(200_000, seed=4)["MHS001MPI"]
    codes = pc.value_counts(mpi["EthnicCategory"]).to_pylist()
    shares = {c["values"]: c["counts"] / mpi.num_rows for c in codes}
    white = sum(shares.get(k, 0) for k in "ABC")
    black = sum(shares.get(k, 0) for k in "MNP")
    assert 0.65 < white < 0.8 and 0.05 < black < 0.1
    lsoa = [x for x in mpi["LSOA2011"].to_pylist() if x is not None]
    assert all(imd_decile(x) is not None for x in lsoa)
    assert 0.005 < 1 - len(lsoa) / mpi.num_rows < 0.04
    deciles = [imd_decile(x) for x in lsoa]
    assert deciles.count(1) > 2 * deciles.count(10)  # weighted towards deprivation
    assert pa.array(lsoa).equals(pa.array(
        [x for x in generate(200_000, seed=4)["MHS001MPI"]["LSOA2011"].to_pylist()
         if x is not None]))
