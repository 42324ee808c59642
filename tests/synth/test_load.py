"""Loading synthetic data into the database, and the demo logins.

Uses the `db` fixture (a transaction rolled back after each test): transactional tests
would flush the audit table, which refuses DELETE.
"""

from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from outreach.audit.models import AuditEvent
from outreach.clinical.models import CarePlan
from outreach.meetings.models import ItemNote
from outreach.records.models import Contact, Episode, KeyWorkerAssignment, Person
from outreach.synth.generator import generate, small_scale
from outreach.synth.load import (
    DEFAULT_DEMO_PASSWORD,
    DEMO_LOGINS,
    DEMO_PASSWORD_ENV,
    SynthConflict,
    load,
)
from outreach.teams.models import StaffMember

TODAY = date(2026, 3, 5)
TINY = small_scale(north=14, south=6, history_days=60)


@pytest.fixture
def tiny():
    return generate(TINY, seed=5, today=TODAY)


@pytest.fixture
def loaded(db, tiny, monkeypatch):
    monkeypatch.delenv(DEMO_PASSWORD_ENV, raising=False)
    return load(tiny)


def test_load_writes_every_row(tiny, loaded):
    """Each table holds exactly the generated rows; the report says so."""
    contacts = sum(len(batch) for batch in tiny.contacts())
    assert loaded.counts == {"users": 5, **tiny.counts(), "contacts": contacts}
    assert Person.objects.count() == len(tiny.people)
    assert Episode.objects.count() == len(tiny.episodes)
    assert StaffMember.objects.count() == len(tiny.staff)
    assert KeyWorkerAssignment.objects.count() == len(tiny.key_workers)
    assert Contact.objects.count() == contacts > 0


def test_open_episodes_have_one_current_key_worker_in_the_database(loaded):
    """The database's partial unique index holds, and no open episode lacks a key worker."""
    for episode in Episode.objects.filter(status__in=["referred", "accepted", "stepped_up",
                                                      "inpatient"]):
        assert episode.key_workers.filter(end__isnull=True).count() == 1


def test_history_keeps_its_own_timestamps(tiny, loaded):
    """recorded_at is the generated time, not the time of the load."""
    first = next(iter(tiny.contacts()))[0]
    stored = Contact.objects.order_by("id").first()
    assert (stored.date, stored.time, stored.recorded_at) == (
        first.date, first.time, first.recorded_at)


def test_demo_users_sign_in_with_the_default_password(loaded):
    """Every demo login authenticates and is linked to its member of staff; others have
    no login."""
    for username, _ in DEMO_LOGINS:
        user = authenticate(username=username, password=DEFAULT_DEMO_PASSWORD)
        assert user is not None, username
        assert user.password.startswith("argon2")
        assert user.staff.name
    assert StaffMember.objects.filter(user__isnull=False).count() == len(DEMO_LOGINS)
    assert authenticate(username="practitioner", password="wrong") is None


def test_demo_password_comes_from_the_environment(db, tiny, monkeypatch):
    """OUTREACH_DEMO_PASSWORD replaces the default."""
    monkeypatch.setenv(DEMO_PASSWORD_ENV, "another-local-password")
    load(tiny)
    assert authenticate(username="manager", password="another-local-password") is not None
    assert authenticate(username="manager", password=DEFAULT_DEMO_PASSWORD) is None


def test_one_audit_event_for_the_whole_load(loaded):
    """A bulk load is one audit event by "synth", not one per row."""
    event = AuditEvent.objects.get()
    assert (event.username, event.person_id, event.action) == ("synth", None, "create")
    assert event.what == "synthetic load: small seed 5"


def test_a_second_load_is_refused_and_changes_nothing(tiny, loaded):
    """Loading the same data again is refused before anything is written."""
    people = Person.objects.count()
    with pytest.raises(SynthConflict, match="north-ao"):
        load(tiny)
    assert Person.objects.count() == people
    assert AuditEvent.objects.count() == 1


def test_synth_if_empty_skips_a_database_with_people(loaded, capsys):
    """--if-empty loads nothing when people exist; demo then lists the logins."""
    call_command("synth", scale="demo", if_empty=True)
    call_command("demo")
    out = capsys.readouterr().out
    assert "nothing loaded" in out
    assert all(name in out for name, _ in DEMO_LOGINS)
    assert DEMO_PASSWORD_ENV in out and "[not in this database]" not in out
    assert Person.objects.count() == 20


def test_loads_alongside_existing_rows(db, tiny):
    """Ids are shifted past existing rows and every foreign key follows; afterwards the
    database hands out new ids without clashing (PostgreSQL sequences moved on)."""
    from tests import factories

    team = factories.make_team("elsewhere")
    worker = factories.make_staff(team)
    factories.add_contact(factories.make_person(team, worker), worker, days_ago=1)
    load(tiny)
    for assignment in KeyWorkerAssignment.objects.exclude(staff=worker).select_related(
            "episode", "staff"):
        assert assignment.staff.team_id == assignment.episode.team_id != team.pk
    loaded = Contact.objects.exclude(staff=worker).select_related("episode", "staff")
    assert loaded.count() == sum(len(batch) for batch in tiny.contacts())
    assert all(c.staff.team_id == c.episode.team_id and c.person_id == c.episode.person_id
               for c in loaded)
    practitioner = StaffMember.objects.get(user__username="practitioner")
    assert practitioner.team.code == "north-ao"
    factories.add_contact(factories.make_person(team, worker), worker, days_ago=0)
    # Agenda item keys end in a person's (or an episode's) id: shifted with the ids.
    notes = ItemNote.objects.select_related("meeting")
    assert notes.exists()
    for note in notes:
        kind, _, ident = note.item_key.rpartition(":")
        person = (Episode.objects.get(pk=ident).person_id if kind == "annual"
                  else int(ident))
        assert person == note.person_id
        assert Episode.objects.get(person_id=person).team_id == note.meeting.team_id
    for plan in CarePlan.objects.exclude(supersedes=None).select_related("supersedes"):
        assert plan.supersedes.person_id == plan.person_id
