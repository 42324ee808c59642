"""Write generated synthetic data into the database: fast, and in one transaction, so a
failed load leaves nothing behind.

Rows keep the generator's ids shifted past the ids already in each table, so foreign keys
need no lookups and contacts can be streamed. Every table but contacts goes in with
`bulk_create`. Contacts, the one big table (2.3 million rows at the bench scale), are
streamed in batches: on PostgreSQL with psycopg 3's COPY FROM STDIN; on SQLite with one
prepared INSERT per batch (`executemany`) using the backend's own value adapters, which
measured 3.2 times faster than `bulk_create` here (206,434 contacts: 6.5 s against 20.8 s;
Django's per-row SQL assembly is the cost); on any other backend with `bulk_create`.

The clinical record and the team's work (care plans, depots and their doses, meetings...)
go in the same way, after the tables they point at; versioned plans are written oldest
first, so each `supersedes` points at a row already written. Agenda item keys on meeting
notes and actions ("engagement:<person id>") have their id shifted like a foreign key.

Auditing: a bulk load is not audited row by row. It is the system writing made-up
records, not a user viewing or changing a person's record, which is what the audit log is
for; an audit row per contact would also double the largest table. One AuditEvent records
the load itself (who: "synth"; what: scale and seed).

The demo logins get one argon2 hash, computed once (argon2 is deliberately slow), of the
password in OUTREACH_DEMO_PASSWORD, or of "outreach-demo": for a local demo on synthetic
data only, never for a server that holds real records.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import DateTimeField, Max, Model

from outreach.audit.models import AuditAction, AuditEvent
from outreach.clinical.models import (
    AdvanceChoice,
    CarePlan,
    CarePlanAction,
    CarerContact,
    CommunityTreatmentOrder,
    Depot,
    DepotDose,
    DialogRating,
    Medication,
    MHADetention,
    MultiAgency,
    OTAssessment,
    PhysicalHealthCheck,
    PoliceContact,
    RelapseSignature,
    RiskFormulation,
    SafetyPlan,
    Section117,
    SignObservation,
    SocialCircumstances,
    SubstanceUse,
    WarningSign,
)
from outreach.meetings.models import Action, ItemNote, Meeting
from outreach.outcomes.models import AreaPopulation, CrisisEpisode, EmploymentRecord, HospitalSpell
from outreach.records.engagement import evidence_for
from outreach.records.models import (
    AnnualReview,
    Carer,
    Contact,
    CoverAssignment,
    DischargeDecision,
    DischargeProposal,
    Episode,
    KeyWorkerAssignment,
    Person,
    PlannedVisit,
    Transition,
)
from outreach.synth.generator import ContactRow, SynthData
from outreach.teams.models import Absence, StaffMember, Team

DEMO_PASSWORD_ENV = "OUTREACH_DEMO_PASSWORD"
DEFAULT_DEMO_PASSWORD = "outreach-demo"  # a local demo on synthetic data only
AUDIT_USERNAME = "synth"

# The demo logins and what each shows; the generator marks who they are.
DEMO_LOGINS: tuple[tuple[str, str], ...] = (
    ("practitioner", "a nurse on north-ao with a caseload of 10-12, covering for a colleague"),
    ("manager", "team manager of north-ao"),
    ("consultant", "consultant psychiatrist of north-ao"),
    ("other-team", "a practitioner on south-ao (sees none of north-ao's people)"),
    ("commissioner", "ICB commissioner: no team, no identifiable records"),
)

# Generator attribute -> model, in foreign-key order.
TABLES: tuple[tuple[str, type[Model]], ...] = (
    ("teams", Team),
    ("staff", StaffMember),
    ("absences", Absence),
    ("people", Person),
    ("episodes", Episode),
    ("transitions", Transition),
    ("key_workers", KeyWorkerAssignment),
    ("covers", CoverAssignment),
    ("carers", Carer),
    ("discharges", DischargeDecision),
    # The clinical record.
    ("social_circumstances", SocialCircumstances),
    ("substance_use", SubstanceUse),
    ("police_contacts", PoliceContact),
    ("care_plans", CarePlan),
    ("dialog_ratings", DialogRating),
    ("care_plan_actions", CarePlanAction),
    ("safety_plans", SafetyPlan),
    ("advance_choices", AdvanceChoice),
    ("relapse_signatures", RelapseSignature),
    ("warning_signs", WarningSign),
    ("sign_observations", SignObservation),
    ("risk_formulations", RiskFormulation),
    ("medications", Medication),
    ("depots", Depot),
    ("depot_doses", DepotDose),
    ("detentions", MHADetention),
    ("ctos", CommunityTreatmentOrder),
    ("section117s", Section117),
    ("multi_agency", MultiAgency),
    ("carer_contacts", CarerContact),
    ("physical_health_checks", PhysicalHealthCheck),
    ("ot_assessments", OTAssessment),
    # The team's work.
    ("planned_visits", PlannedVisit),
    ("annual_reviews", AnnualReview),
    ("discharge_proposals", DischargeProposal),
    ("meetings", Meeting),
    ("item_notes", ItemNote),
    ("actions", Action),
    # Outcomes: history before acceptance, employment, local populations.
    ("hospital_spells", HospitalSpell),
    ("crisis_episodes", CrisisEpisode),
    ("employment_records", EmploymentRecord),
    ("area_populations", AreaPopulation),
    ("history_police_contacts", PoliceContact),
)
NOT_COLUMNS = frozenset({"login"})  # generator-only fields
# Agenda item keys end in the id of a person or an episode (outreach.meetings.agenda).
ITEM_KEY_IDS: dict[str, type[Model]] = {
    "engagement": Person, "crisis": Person, "review": Person, "annual": Episode,
}
CONTACT_BATCH = 50_000
BULK_BATCH = 2000


class SynthConflict(Exception):
    """The database already holds rows this load would duplicate."""


@dataclass(frozen=True)
class LoadReport:
    counts: dict[str, int]
    seconds: float


def demo_password() -> str:
    return os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD


def load(data: SynthData, *, password: str | None = None) -> LoadReport:
    """Load everything in one transaction; SynthConflict if it would duplicate rows."""
    started = time.perf_counter()
    models = [model for _, model in TABLES] + [Contact]
    with _sqlite_bulk_settings(), transaction.atomic(), _given_timestamps(data):
        _refuse_conflicts(data)
        _lock(models)
        bases = {model: _max_id(model) for model in models}
        users = _create_users(data, password or demo_password())
        counts: dict[str, int] = {"users": len(users)}
        for name, model in TABLES:
            rows = getattr(data, name)
            extra = None
            if model is StaffMember:
                extra = _user_links(rows, users)
            elif model in (ItemNote, Action):
                extra = _item_keys(rows, bases)
            _bulk_create(model, rows, bases, extra)
            counts[name] = len(rows)
        write_contacts = {"postgresql": _copy_contacts, "sqlite": _executemany_contacts}.get(
            connection.vendor, _bulk_create_contacts)
        counts["contacts"] = write_contacts(data.contacts(CONTACT_BATCH), bases)
        _reset_sequences(models)
        _judge_discharges(bases[DischargeDecision])
        _analyze(models)
        AuditEvent.objects.create(
            user_id=None, username=AUDIT_USERNAME, person_id=None, action=AuditAction.CREATE,
            what=f"synthetic load: {data.scale.name} seed {data.seed}",
        )
    _checkpoint_sqlite()
    return LoadReport(counts, time.perf_counter() - started)


def _judge_discharges(base: int) -> int:
    """Each loaded discharge keeps the person's engagement on its day, judged from the
    loaded record as the service judges a real one (records.engagement.evidence_for), so
    that governance reads the synthetic history as it would a real one."""
    judged = 0
    for decision in DischargeDecision.objects.filter(pk__gt=base).select_related("episode"):
        found = evidence_for(decision.episode, decision.date)
        DischargeDecision.objects.filter(pk=decision.pk).update(
            engaged=found.engaged, evidence=found.as_json())
        judged += 1
    return judged


def _refuse_conflicts(data: SynthData) -> None:
    """Say plainly what is already there, instead of failing on a unique index mid-load."""
    codes = [t.code for t in data.teams]
    if taken := sorted(Team.objects.filter(code__in=codes).values_list("code", flat=True)):
        raise SynthConflict(f"Teams already exist: {', '.join(taken)}. "
                            "Load synthetic data into an empty database.")
    logins = list(data.logins)
    User = get_user_model()
    if taken := sorted(User.objects.filter(username__in=logins).values_list(
            "username", flat=True)):
        raise SynthConflict(f"Users already exist: {', '.join(taken)}.")
    numbers = [p.nhs_number for p in data.people]
    for chunk in _chunks(numbers, 500):
        if Person.objects.filter(nhs_number__in=chunk).exists():
            raise SynthConflict("Some of these NHS numbers are already registered.")


def _lock(models: Iterable[type[Model]]) -> None:
    """On PostgreSQL, keep other writers out while explicit ids are written (SQLite's
    IMMEDIATE transaction already holds the write lock)."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


def _max_id(model: type[Model]) -> int:
    return model.objects.aggregate(m=Max("pk"))["m"] or 0


def _create_users(data: SynthData, password: str) -> dict[str, int]:
    User = get_user_model()
    hashed = make_password(password)  # once: argon2 takes a noticeable fraction of a second
    users = []
    for login, staff in data.logins.items():
        given, _, family = staff.name.partition(" ")
        users.append(User(username=login, password=hashed, first_name=given,
                          last_name=family))
    User.objects.bulk_create(users)
    return {u.username: u.pk for u in users}


def _user_links(rows: Sequence, users: dict[str, int]) -> list[dict]:
    return [{"user_id": users.get(row.login)} for row in rows]


def _item_keys(rows: Sequence, bases: dict[type[Model], int]) -> list[dict]:
    """Shift the id at the end of each agenda item key, as its foreign key would be."""
    extra = []
    for row in rows:
        key = row.item_key
        prefix, _, ident = key.rpartition(":")
        model = ITEM_KEY_IDS.get(key.split(":", 1)[0])
        if model is not None and bases.get(model):
            key = f"{prefix}:{int(ident) + bases[model]}"
        extra.append({"item_key": key})
    return extra


def _offsets(model: type[Model], names: Sequence[str],
             bases: dict[type[Model], int]) -> list[tuple[int, int]]:
    """(position, offset) for each id column: own ids by the table's base, foreign keys by
    the base of the table they point at."""
    found = []
    for i, name in enumerate(names):
        field = model._meta.get_field(name)
        if field.primary_key:
            offset = bases[model]
        elif field.is_relation:
            offset = bases.get(field.related_model, 0)
        else:
            continue
        if offset:
            found.append((i, offset))
    return found


def _shifted(values: list, offsets: list[tuple[int, int]]) -> list:
    for i, offset in offsets:
        if values[i] is not None:
            values[i] += offset
    return values


def _bulk_create(model: type[Model], rows: Sequence, bases: dict[type[Model], int],
                 extra: list[dict] | None) -> None:
    if not rows:
        return
    names = [f.name for f in fields(rows[0]) if f.name not in NOT_COLUMNS]
    offsets = _offsets(model, names, bases)
    objects = []
    for i, row in enumerate(rows):
        values = _shifted([_db_value(getattr(row, n)) for n in names], offsets)
        kwargs = dict(zip(names, values, strict=True))
        if extra is not None:
            kwargs.update(extra[i])
        objects.append(model(**kwargs))
    model.objects.bulk_create(objects, batch_size=BULK_BATCH)


def _db_value(value):
    return list(value) if isinstance(value, tuple) else value  # JSON lists


def _bulk_create_contacts(batches: Iterator[list[ContactRow]],
                          bases: dict[type[Model], int]) -> int:
    names = list(ContactRow._fields)
    offsets = _offsets(Contact, names, bases)
    count = 0
    for batch in batches:
        Contact.objects.bulk_create(
            [Contact(**dict(zip(names, _shifted(list(row), offsets), strict=True)))
             for row in batch],
            batch_size=CONTACT_BATCH,
        )
        count += len(batch)
    return count


def _executemany_contacts(batches: Iterator[list[ContactRow]],
                          bases: dict[type[Model], int]) -> int:
    """SQLite: one prepared INSERT run over each batch, values adapted by the backend's own
    converters (dates as ISO text, datetimes in UTC), as Django would store them."""
    names = list(ContactRow._fields)
    offsets = _offsets(Contact, names, bases)
    ops = connection.ops
    qn = ops.quote_name
    columns = ", ".join(qn(Contact._meta.get_field(n).column) for n in names)
    sql = (f"INSERT INTO {qn(Contact._meta.db_table)} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(names))})")
    day, at, when = ops.adapt_datefield_value, ops.adapt_timefield_value, (
        ops.adapt_datetimefield_value)
    i_date, i_time, i_at = (names.index(n) for n in ("date", "time", "recorded_at"))
    count = 0
    with connection.cursor() as cursor:
        for batch in batches:
            rows = []
            for row in batch:
                values = _shifted(list(row), offsets)
                values[i_date], values[i_time], values[i_at] = (
                    day(values[i_date]), at(values[i_time]), when(values[i_at]))
                rows.append(values)
            cursor.executemany(sql, rows)
            count += len(batch)
    return count


def _copy_contacts(batches: Iterator[list[ContactRow]], bases: dict[type[Model], int]) -> int:
    """COPY FROM STDIN on Django's own psycopg connection, so it is inside the load's
    transaction."""
    names = list(ContactRow._fields)
    offsets = _offsets(Contact, names, bases)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(Contact._meta.get_field(n).column) for n in names)
    sql = f"COPY {qn(Contact._meta.db_table)} ({columns}) FROM STDIN"
    connection.ensure_connection()
    count = 0
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for batch in batches:
            for row in batch:
                copy.write_row(_shifted(list(row), offsets) if offsets else row)
            count += len(batch)
    return count


def _reset_sequences(models: Iterable[type[Model]]) -> None:
    """Explicit ids leave PostgreSQL's identity sequences behind: move them on."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _analyze(models: Iterable[type[Model]]) -> None:
    """PostgreSQL: fresh planner statistics now, rather than when autovacuum gets round
    to the tables, so the first caseload queries after a load are planned for millions of
    contacts, not for an empty table."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@contextmanager
def _given_timestamps(data: SynthData) -> Iterator[None]:
    """Keep the generated recorded_at / created_at values instead of "now" for the length
    of the load: history recorded at load time would make every contact look new on the
    handover's "since yesterday". The load is one command in its own process."""
    supplied = {model: {f.name for f in fields(getattr(data, name)[0])}
                for name, model in TABLES if getattr(data, name)}
    supplied[Contact] = set(ContactRow._fields)
    switched = []
    for model, names in supplied.items():
        for field in model._meta.concrete_fields:
            if isinstance(field, DateTimeField) and field.name in names and (
                    field.auto_now or field.auto_now_add):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@contextmanager
def _sqlite_bulk_settings() -> Iterator[None]:
    """A bigger page cache during the load, so the one big transaction spills less."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")  # KiB: 256 MiB
    try:
        yield
    finally:
        if not connection.needs_rollback:  # else the error in hand is the one to see
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _checkpoint_sqlite() -> None:
    """Fold the load's WAL back into the database file, unless a caller's transaction
    (a test) is still open."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
