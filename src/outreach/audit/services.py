"""Write audit events. Called explicitly by services and selectors, never from signals, so
that a read is audited in the same transaction that returns its data: if the audit write
fails, the caller's transaction fails and no patient data leaves."""

from collections.abc import Iterable

from outreach.audit.models import AuditAction, AuditEvent


def _who(request) -> tuple[int | None, str, str, str]:
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    username = user.get_username() if user_id is not None else "anonymous"
    addr = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    path = request.path[:300] if request is not None else ""
    return user_id, username, addr, path


def audit_record(*, request, person_id: int, action: str, what: str) -> None:
    user_id, username, addr, path = _who(request)
    AuditEvent.objects.create(
        user_id=user_id, username=username, person_id=person_id, action=action,
        what=what[:200], remote_addr=addr, path=path,
    )


def audit_list(*, request, person_ids: Iterable[int], what: str,
               action: str = AuditAction.LIST) -> None:
    """One event per person shown, in one INSERT."""
    user_id, username, addr, path = _who(request)
    AuditEvent.objects.bulk_create(
        AuditEvent(user_id=user_id, username=username, person_id=pid, action=action,
                   what=what[:200], remote_addr=addr, path=path)
        for pid in person_ids
    )


def audit_by_system(*, person_id: int, action: str, what: str, actor: str) -> None:
    """Changes made by a command (synthetic data, imports) rather than a signed-in user."""
    AuditEvent.objects.create(
        user_id=None, username=actor, person_id=person_id, action=action, what=what[:200]
    )
