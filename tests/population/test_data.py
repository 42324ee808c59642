"""Bad input is refused with one report naming file, column and rows; CSV reads like Parquet."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from outreach.population.data import InvalidInput, load
from outreach.population.engines import connect
from outreach.population.rules import CohortConfig, person_reasons
from tests.population.builders import Region


def _problems(path):
    with pytest.raises(InvalidInput) as e:
        load(path, connect("duckdb"))
    return e.value


def test_csv_input_gives_the_same_people_as_parquet(spec_dir, spec_duckdb, tmp_path):
    from tests.population.spec import spec_region

    region, _ = spec_region()
    csv_dir = region.write(tmp_path / "csv", fmt="csv")
    a = person_reasons(load(csv_dir, connect("duckdb")).tables, CohortConfig())
    b = person_reasons(spec_duckdb[0].tables, CohortConfig())
    key = lambda r: r["Person_ID"]  # noqa: E731
    assert sorted(a.to_pyarrow().to_pylist(), key=key) == sorted(
        b.to_pyarrow().to_pylist(), key=key)


def test_every_problem_is_reported_at_once(tmp_path):
    """A duplicate person, an unknown code and a missing required value are all named with
    file, column and example rows; a missing table file is named too."""
    r = Region()
    r.person("p1")
    r.person("p1")
    r.person("p2", Gender="Q")
    ref = r.referral("p2", "2024-01-01", team="A99")
    r.contact("p2", ref, "2024-02-01", attend="8")
    path = r.write(tmp_path / "d")
    (path / "MHS404CommTreatOrder.parquet").unlink()
    err = _problems(path)
    text = str(err)
    assert "nothing was computed" in text
    assert ("MHS001MPI.parquet: Person_ID: 1 value(s) appear more than once (each must be "
            "unique) (e.g. 'p1' x2)") in text
    assert "MHS001MPI.parquet: Gender: 1 row(s) have a code that is not in the code list " \
           "(e.g. Person_ID p2: 'Q')" in text
    assert "MHS102ServiceTypeReferredTo.parquet: ServTeamTypeRefToMH" in text
    assert "MHS201CareContact.parquet: AttendOrDNACode" in text
    assert "no MHS404CommTreatOrder.parquet or MHS404CommTreatOrder.csv" in text
    assert len(err.problems) == 5


def test_csv_bad_dates_name_their_lines(tmp_path):
    r = Region()
    r.person("p1")
    r.referral("p1", "2024-01-01")
    path = r.write(tmp_path / "d", fmt="csv")
    f = path / "MHS101Referral.csv"
    f.write_text(f.read_text().replace("2024-01-01", "01/01/2024"))
    text = str(_problems(path))
    assert ("MHS101Referral.csv: ReferralRequestReceivedDate: 1 value(s) are not dates "
            "(YYYY-MM-DD) (e.g. line 2: '01/01/2024')") in text


def test_missing_column_and_wrong_parquet_type(tmp_path):
    r = Region()
    r.person("p1")
    path = r.write(tmp_path / "d")
    t = pq.read_table(path / "MHS001MPI.parquet").drop_columns(["LADistrictAuth"])
    pq.write_table(t, path / "MHS001MPI.parquet")
    t = pq.read_table(path / "MHS201CareContact.parquet")
    t = t.set_column(t.schema.get_field_index("CareContDate"), "CareContDate",
                     pa.array([], pa.string()))
    pq.write_table(t, path / "MHS201CareContact.parquet")
    text = str(_problems(path))
    assert "MHS001MPI.parquet: LADistrictAuth: column missing" in text
    assert "MHS201CareContact.parquet: CareContDate: has type string, expected date" in text
