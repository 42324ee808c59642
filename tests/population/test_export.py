"""`outreach export-mhsds`: outreach's own record in the MHSDS shape, pseudonymised and
audited, readable by the cohort rules."""

from datetime import date
from io import StringIO

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from outreach.audit.models import AuditAction, AuditEvent
from outreach.population.data import load as load_mhsds
from outreach.population.engines import connect
from outreach.population.rules import CohortConfig, person_reasons
from outreach.records.models import Contact, Episode, Person
from outreach.synth.generator import generate, small_scale
from outreach.synth.load import load

TODAY = date(2026, 3, 5)


@pytest.fixture
def record(db):
    return load(generate(small_scale(north=14, south=6, history_days=90), seed=5,
                         today=TODAY))


def test_export_is_valid_mhsds_pseudonymised_and_audited(record, tmp_path):
    out = tmp_path / "mhsds"
    call_command("export_mhsds", out, period_end=TODAY, stdout=StringIO())
    people = Person.objects.count()
    mpi = pq.read_table(out / "MHS001MPI.parquet")
    assert mpi.num_rows == people
    text = b"".join(p.read_bytes() for p in out.iterdir())
    for p in Person.objects.all()[:5]:
        assert p.nhs_number.encode() not in text and p.family_name.encode() not in text
    refs = pq.read_table(out / "MHS102ServiceTypeReferredTo.parquet")
    assert set(refs["ServTeamTypeRefToMH"].to_pylist()) <= {"A08", "A06"}
    assert refs.num_rows == Episode.objects.count()
    contacts = pq.read_table(out / "MHS201CareContact.parquet")
    assert 0 < contacts.num_rows <= Contact.objects.count()
    exported = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert exported.count() == people
    assert set(exported.values_list("person_id", flat=True)) == set(
        Person.objects.values_list("pk", flat=True))
    # The cohort rules read it: every check passes and every person gets a row.
    loaded = load_mhsds(out, connect("duckdb"))
    rows = person_reasons(loaded.tables, CohortConfig(period_end=TODAY)).to_pyarrow()
    assert rows.num_rows == people
    assert all(c == "ao" or c == "cmht" or c == "none"
               for c in rows["caseload"].to_pylist())


def test_export_of_one_team_only(record, tmp_path):
    out = tmp_path / "north"
    call_command("export_mhsds", out, team=["north"], period_end=TODAY, stdout=StringIO())
    north = Person.objects.filter(episodes__team__code="north").distinct().count()
    assert pq.read_table(out / "MHS001MPI.parquet").num_rows == north < Person.objects.count()
