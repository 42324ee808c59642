"""JSON API v1: a small, versioned surface over the record.

Every endpoint reads through the caller's scope (records.selectors) and writes through
records.services, so the API enforces exactly what the web pages do. Errors have one shape:
{"detail": "...", "errors": {"field": ["message", ...]}}.
"""

from datetime import date, timedelta
from typing import Annotated

from django.contrib.auth import authenticate
from django.utils import timezone
from ninja import NinjaAPI, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import Field

from outreach.api.models import ApiToken, digest
from outreach.audit.models import AuditAction
from outreach.audit.selectors import audit_for_person
from outreach.audit.services import audit_list, audit_record
from outreach.core import limits
from outreach.core.engagement import ACTIONS, EngagementState
from outreach.records import selectors, services, services_episode
from outreach.records.engagement import days_since_seen
from outreach.records.models import ContactMode, ContactPlace, ContactWith


def Text(limit: int):  # noqa: N802 - a type
    """A string held to its core.limits limit in the schema (and so in the OpenAPI)."""
    return Annotated[str, Field(max_length=limit)]


NOT_FOUND = "No person with that id on your caseload."
MANAGER_ONLY = "Only the team manager can see who accessed a record."
CLINICAL_ONLY = "Only members of a clinical team can see people's records."


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_digest=digest(token), expires_at__gt=timezone.now())
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="outreach API", version="1", auth=BearerToken(), urls_namespace="api-v1",
    description="Assertive outreach record. Send `Authorization: Bearer <token>`; get a token "
    "from POST /api/v1/auth/token.",
)


def error(status: int, detail: str, errors: dict | None = None):
    return Status(status, {"detail": detail, "errors": errors or {}})


@api.exception_handler(NinjaValidationError)
def bad_input(request, exc: NinjaValidationError):
    """Schema errors are reported like service errors: 400 with the field named."""
    errors: dict[str, list[str]] = {}
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "payload", "query", "path")]
        errors.setdefault(".".join(loc) or "body", []).append(e.get("msg", "Invalid value"))
    return api.create_response(
        request, {"detail": "Check the fields named in errors.", "errors": errors}, status=400
    )


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: str


@api.post("/auth/token", auth=None, response={200: TokenOut, 401: Error}, tags=["auth"])
def token(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        return error(401, "Username or password is wrong.")
    from django.conf import settings

    expires = timezone.now() + timedelta(hours=settings.OUTREACH_API_TOKEN_HOURS)
    _, raw = ApiToken.issue(user, expires)
    return Status(200, {"token": raw, "expires_at": expires.isoformat()})


class Engagement(Schema):
    state: EngagementState
    days_since_last_successful_contact: int
    last_successful_contact: date | None
    contacts_this_week: int
    weekly_target: int
    expected_action: str


class PersonSummary(Schema):
    id: int
    nhs_number: str
    name: str
    date_of_birth: date
    key_worker: str | None
    cover: str | None
    episode_status: str | None
    engagement: Engagement


def _engagement(row, today: date) -> dict:
    days = days_since_seen(row, today)
    state = EngagementState(row.engagement_state)
    return {
        "state": state,
        "days_since_last_successful_contact": days,
        "last_successful_contact": row.last_successful_contact,
        "contacts_this_week": row.contacts_this_week,
        "weekly_target": row.weekly_target_value,
        "expected_action": ACTIONS[state],
    }


def _summary(row, today: date) -> dict:
    return {
        "id": row.pk,
        "nhs_number": row.nhs_number,
        "name": row.display_name,
        "date_of_birth": row.date_of_birth,
        "key_worker": row.key_worker_name,
        "cover": row.cover_name,
        "episode_status": row.episode_status,
        "engagement": _engagement(row, today),
    }


def _require_clinical(request):
    staff = selectors.staff_for(request.user)
    if staff is None or not staff.is_clinical:
        return None
    return staff


@api.get("/people", response={200: list[PersonSummary], 403: Error}, tags=["people"])
def people_list(request, mine: bool = False):
    """The caller's caseload (team caseload plus people they cover), most overdue first."""
    if _require_clinical(request) is None:
        return error(403, CLINICAL_ONLY)
    today = selectors.today()
    rows = list(selectors.caseload(request.user, on=today, only_mine=mine))
    audit_list(request=request, person_ids=[r.pk for r in rows], what="api people list")
    return Status(200, [_summary(r, today) for r in rows])


class CarerOut(Schema):
    name: str
    relationship: str
    phone: str
    consent_to_share: bool
    may_be_told: str


class ContactOut(Schema):
    id: int
    date: date
    staff: str
    with_whom: str
    mode: str
    place: str
    outcome: str
    duration_minutes: int | None
    note: str
    version: int


class PersonDetail(PersonSummary):
    preferred_name: str
    address: str
    postcode: str
    phone: str
    preferred_contact_means: str
    preferred_places: str
    interpreter_needed: bool
    language: str
    accessibility_needs: str
    version: int
    episode_id: int | None
    episode_version: int | None
    carers: list[CarerOut]
    recent_contacts: list[ContactOut]


def _row(request, person_id: int):
    return selectors.caseload(request.user).filter(pk=person_id).first()


@api.get("/people/{person_id}", response={200: PersonDetail, 403: Error, 404: Error},
         tags=["people"])
def person_detail(request, person_id: int):
    if _require_clinical(request) is None:
        return error(403, CLINICAL_ONLY)
    row = _row(request, person_id)
    if row is None:
        return error(404, NOT_FOUND)
    audit_record(request=request, person_id=row.pk, action=AuditAction.VIEW, what="api detail")
    return Status(200, _detail(row))


def _detail(row) -> dict:
    today = selectors.today()
    episode = selectors.current_episode(row)
    contacts = row.contacts.select_related("staff")[:20]
    return {
        **_summary(row, today),
        **{f: getattr(row, f) for f in (
            "preferred_name", "address", "postcode", "phone", "preferred_contact_means",
            "preferred_places", "interpreter_needed", "language", "accessibility_needs",
            "version",
        )},
        "episode_id": episode.pk if episode else None,
        "episode_version": episode.version if episode else None,
        "carers": list(row.carers.all()),
        "recent_contacts": [_contact(c) for c in contacts],
    }


def _contact(c) -> dict:
    return {
        "id": c.pk, "date": c.date, "staff": c.staff.name, "with_whom": c.with_whom,
        "mode": c.mode, "place": c.place, "outcome": c.outcome,
        "duration_minutes": c.duration_minutes, "note": c.note, "version": c.version,
    }


class PersonIn(Schema):
    nhs_number: Text(20)
    given_name: Text(limits.NAME)
    family_name: Text(limits.NAME)
    date_of_birth: date
    referral_date: date
    referral_source: Text(30)
    key_worker_id: int | None = None
    preferred_name: Text(limits.NAME) = ""
    address: Text(limits.ADDRESS) = ""
    postcode: Text(limits.POSTCODE) = ""
    phone: Text(limits.PHONE) = ""
    interpreter_needed: bool = False
    language: Text(limits.LANGUAGE) = "English"
    accessibility_needs: Text(limits.PERSON_DETAIL) = ""


@api.post("/people", response={201: PersonDetail, 400: Error, 403: Error}, tags=["people"])
def person_create(request, payload: PersonIn):
    staff = _require_clinical(request)
    if staff is None:
        return error(403, CLINICAL_ONLY)
    data = payload.dict()
    key_worker_id = data.pop("key_worker_id")
    key_worker = None
    if key_worker_id is not None:
        key_worker = staff.team.staff.filter(pk=key_worker_id).first()
        if key_worker is None:
            return error(400, "Check the fields named in errors.",
                         {"key_worker_id": ["No such worker on your team."]})
    try:
        person = services.person_create(by=staff, request=request, key_worker=key_worker, **data)
    except services.ValidationFailed as exc:
        return error(400, "Check the fields named in errors.", exc.errors)
    return Status(201, _detail(_row(request, person.pk)))


class PersonPatch(Schema):
    version: int
    reason: Text(limits.REASON)
    preferred_name: Text(limits.NAME) | None = None
    address: Text(limits.ADDRESS) | None = None
    postcode: Text(limits.POSTCODE) | None = None
    phone: Text(limits.PHONE) | None = None
    preferred_places: Text(limits.PERSON_DETAIL) | None = None
    interpreter_needed: bool | None = None
    language: Text(limits.LANGUAGE) | None = None
    accessibility_needs: Text(limits.PERSON_DETAIL) | None = None


@api.patch("/people/{person_id}",
           response={200: PersonDetail, 400: Error, 403: Error, 404: Error, 409: Error},
           tags=["people"])
def person_amend(request, person_id: int, payload: PersonPatch):
    """Correct details. `version` is the one you read: if the record changed since, 409."""
    staff = _require_clinical(request)
    if staff is None:
        return error(403, CLINICAL_ONLY)
    person = selectors.person_for(request.user, person_id)
    if person is None:
        return error(404, NOT_FOUND)
    changes = payload.dict(exclude_unset=True, exclude={"version", "reason"})
    try:
        services.person_amend(person=person, by=staff, request=request,
                              expected_version=payload.version, reason=payload.reason,
                              changes=changes)
    except services.StaleEdit:
        return error(409, services.STALE_EDIT)
    except services.ValidationFailed as exc:
        return error(400, "Check the fields named in errors.", exc.errors)
    return Status(200, _detail(_row(request, person_id)))


class ContactIn(Schema):
    date: date
    outcome: str
    mode: str = ContactMode.FACE_TO_FACE.value
    place: str = ContactPlace.HOME.value
    with_whom: str = ContactWith.PERSON.value
    second_staff_id: int | None = None
    duration_minutes: int | None = Field(None, ge=1, le=24 * 60)
    note: Text(limits.CONTACT_NOTE) = ""


@api.post("/people/{person_id}/contacts",
          response={201: ContactOut, 400: Error, 403: Error, 404: Error}, tags=["contacts"])
def contact_create(request, person_id: int, payload: ContactIn):
    staff = _require_clinical(request)
    if staff is None:
        return error(403, CLINICAL_ONLY)
    person = selectors.person_for(request.user, person_id)
    if person is None:
        return error(404, NOT_FOUND)
    data = payload.dict()
    second_id = data.pop("second_staff_id")
    second = staff.team.staff.filter(pk=second_id).first() if second_id else None
    if second_id and second is None:
        return error(400, "Check the fields named in errors.",
                     {"second_staff_id": ["No such worker on your team."]})
    try:
        contact = services.contact_log(
            person=person, episode=selectors.current_episode(person), by=staff,
            request=request, second_staff=second, **data,
        )
    except services.ValidationFailed as exc:
        return error(400, "Check the fields named in errors.", exc.errors)
    return Status(201, _contact(contact))


class DischargeIn(Schema):
    date: date
    episode_version: int


class DischargeOut(Schema):
    episode_id: int
    reason: str
    date: date
    engaged: bool


@api.post("/people/{person_id}/discharge",
          response={200: DischargeOut, 403: Error, 404: Error, 409: Error, 422: Error},
          tags=["episodes"])
def discharge(request, person_id: int, payload: DischargeIn):
    """Carry out the end of care that the MDT agreed with the consultant (nobody discharges
    alone: propose it and record the MDT's decision on the proposal's page first). The guard
    judges the person's record on the day: refusals are 422 with the reasons, field by
    field, and are counted by governance."""
    staff = _require_clinical(request)
    if staff is None:
        return error(403, CLINICAL_ONLY)
    person = selectors.person_for(request.user, person_id)
    if person is None:
        return error(404, NOT_FOUND)
    episode = selectors.current_episode(person)
    agreed = None if episode is None else episode.proposals.filter(
        decided=services_episode.PROPOSAL_AGREED, carried_out__isnull=True).first()
    if agreed is None:
        return error(422, "Discharge refused.",
                     {"proposal": [services_episode.MDT_DECISION_REQUIRED]})
    try:
        decision = services_episode.proposal_carry_out(
            proposal=agreed, by=staff, request=request, on=payload.date,
            expected_version=payload.episode_version)
    except services.DischargeRefused as exc:
        return error(422, "Discharge refused.",
                     {("date" if k == "on" else k): v for k, v in exc.problems.items()})
    except services.ValidationFailed as exc:
        return error(422, "Discharge refused.",
                     {("date" if k == "on" else k): v for k, v in exc.errors.items()})
    except services.StaleEdit:
        return error(409, services.STALE_EDIT)
    return Status(200, {"episode_id": episode.pk, "reason": decision.reason,
                        "date": decision.date, "engaged": bool(decision.engaged)})


class AuditOut(Schema):
    at: str
    username: str
    action: str
    what: str
    remote_addr: str


@api.get("/people/{person_id}/audit",
         response={200: list[AuditOut], 403: Error, 404: Error}, tags=["audit"])
def person_audit(request, person_id: int):
    """Who accessed or changed this record (team manager only)."""
    if _require_clinical(request) is None:
        return error(403, CLINICAL_ONLY)
    person = selectors.person_for(request.user, person_id)
    if person is None:
        return error(404, NOT_FOUND)
    if not selectors.can_view_audit(request.user):
        return error(403, MANAGER_ONLY)
    audit_record(request=request, person_id=person.pk, action=AuditAction.VIEW_AUDIT,
                 what="api audit trail")
    events = audit_for_person(person_id=person.pk)
    return Status(200, [
        {"at": e.at.isoformat(), "username": e.username, "action": e.action, "what": e.what,
         "remote_addr": e.remote_addr}
        for e in events
    ])

from outreach.api.experience import router as experience_router  # noqa: E402
from outreach.api.governance import router as governance_router  # noqa: E402
from outreach.api.skills import router as skills_router  # noqa: E402

api.add_router("/governance/experience", experience_router)
api.add_router("/governance/skills", skills_router)
api.add_router("/governance", governance_router)

from outreach.api.outcomes import router as outcomes_router  # noqa: E402

api.add_router("/governance", outcomes_router)

from outreach.api.population import router as population_router  # noqa: E402

api.add_router("/governance/population", population_router)
