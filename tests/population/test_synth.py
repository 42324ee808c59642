"""The synthetic MHSDS region: deterministic, valid against the schema, and with the
distributions docs/population.md describes (at the tiny scale, loosely)."""

import pyarrow.compute as pc

from outreach.population.data import load
from outreach.population.engines import connect
from outreach.population.synth import generate, write_region


def test_same_seed_same_region_other_seed_other_region():
    a, b, c = generate(20_000, seed=1), generate(20_000, seed=1), generate(20_000, seed=2)
    assert all(a[n].equals(b[n]) for n in a)
    assert not a["MHS201CareContact"].equals(c["MHS201CareContact"])


def test_region_passes_every_input_check(tmp_path):
    w = write_region(tmp_path / "r", scale="tiny", seed=3)
    loaded = load(w.path, connect("duckdb"))
    assert loaded.tables["MHS001MPI"].count().to_pyarrow().as_py() == 600
    assert not list(tmp_path.glob(".r-*"))  # no temporary directory left behind


def test_distributions_are_plausible():
    t = generate(100_000, seed=5)
    people = t["MHS001MPI"].num_rows
    assert people == 2_000  # 2% of residents
    contacts = t["MHS201CareContact"]
    dna = pc.sum(pc.is_in(contacts["AttendOrDNACode"], value_set=pc.cast(
        ["3", "7"], "string"))).as_py() / contacts.num_rows
    assert 0.05 < dna < 0.2
    per_person = contacts.num_rows / people
    assert 15 < per_person < 80
    refs = t["MHS101Referral"]
    counts = refs.group_by("Person_ID").aggregate([("UniqServReqID", "count")])
    rereferred = pc.sum(pc.greater(counts["UniqServReqID_count"], 1)).as_py()
    assert 0.05 < rereferred / people < 0.5
    not_settled = pc.sum(pc.equal(t["MHS003AccommStatus"]["SettledAccommodationInd"],
                                  "N")).as_py() / people
    assert 0.02 < not_settled < 0.12
    sections = t["MHS401MHActPeriod"]["LegalStatusCode"].to_pylist()
    assert sections.count("03") > 10 and sections.count("20") > 5
    assert t["MHS404CommTreatOrder"].num_rows > 0
    teams = set(t["MHS102ServiceTypeReferredTo"]["ServTeamTypeRefToMH"].to_pylist())
    assert {"A08", "A14", "A06", "A02", "B01", "D01", "D02", "D08"} <= teams
