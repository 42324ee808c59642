"""The embedded database is set up for durability, and lists cost a constant number of
queries whatever the caseload size."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories


@pytest.mark.django_db
def test_acknowledged_writes_are_durable():
    """An acknowledged write survives a crash: on SQLite WAL with synchronous=FULL; on
    PostgreSQL fsync and synchronous commit are on."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for setting in ("fsync", "synchronous_commit"):
                cursor.execute(f"SHOW {setting}")
                assert cursor.fetchone()[0] == "on"
            return
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def _people_queries(staff, auth) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get("/api/v1/people", **auth)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_people_list_queries_do_not_grow_with_the_caseload(team, practitioner, api_token):
    """GET /api/v1/people costs the same number of queries for 2 people as for 14."""
    auth = api_token(practitioner)
    for _ in range(2):
        person = factories.make_person(team, practitioner)
        factories.add_contact(person, practitioner, days_ago=3)
    small = _people_queries(practitioner, auth)
    for _ in range(12):
        person = factories.make_person(team, practitioner)
        factories.add_contact(person, practitioner, days_ago=3)
    assert _people_queries(practitioner, auth) == small
