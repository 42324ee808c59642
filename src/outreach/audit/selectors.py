from outreach.audit.models import AuditEvent


def audit_for_person(*, person_id: int, limit: int = 500):
    return AuditEvent.objects.filter(person_id=person_id)[:limit]
