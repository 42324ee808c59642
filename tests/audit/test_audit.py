"""The audit log is append-only in the database, and a read whose audit write fails returns
no patient data."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from outreach.audit.models import AuditEvent
from tests.conftest import login


def _event():
    return AuditEvent.objects.create(username="someone", person_id=1, action="view", what="x")


@pytest.mark.django_db
def test_database_refuses_update_of_audit_rows():
    """Even raw SQL from the application's own role cannot rewrite an audit event."""
    event = _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET username = 'nobody' WHERE id = %s",
                       [event.pk])
    event.refresh_from_db()
    assert event.username == "someone"


@pytest.mark.django_db
def test_database_refuses_delete_of_audit_rows():
    """Raw DELETE fails, and so does the ORM's delete, on every backend."""
    event = _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_model_refuses_to_save_an_existing_event():
    """Changing a loaded event and saving it is refused by the model."""
    event = _event()
    event.what = "rewritten"
    with pytest.raises(PermissionError):
        event.save()


def _break_audit_inserts():
    """Make the real audit table refuse inserts, as a full disk or a lost grant would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("""CREATE FUNCTION pg_temp.no_audit() RETURNS trigger
                              LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$""")
            cursor.execute("""CREATE TRIGGER no_audit BEFORE INSERT ON audit_auditevent
                              FOR EACH ROW EXECUTE FUNCTION pg_temp.no_audit()""")
        else:
            cursor.execute("""CREATE TEMP TRIGGER no_audit BEFORE INSERT ON audit_auditevent
                              BEGIN SELECT RAISE(ABORT, 'audit down'); END""")


def test_no_patient_data_when_the_audit_write_fails(person, practitioner, api_token):
    """If the read cannot be audited, the response is an error without the record."""
    auth = api_token(practitioner)
    _break_audit_inserts()
    client = Client(raise_request_exception=False)
    for url in (f"/api/v1/people/{person.pk}", "/api/v1/people"):
        response = client.get(url, **auth)
        assert response.status_code == 500
        assert person.nhs_number.encode() not in response.content
        assert person.family_name.encode() not in response.content


def test_no_page_when_the_audit_write_fails(person, practitioner):
    """The front sheet is not rendered if its read cannot be audited."""
    client = login(practitioner)
    client.raise_request_exception = False
    _break_audit_inserts()
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 500
    assert person.nhs_number.encode() not in response.content
