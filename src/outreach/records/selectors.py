"""Reads of patient data, always through the signed-in user's scope.

Views and the API never use Person.objects directly (scripts/check_scoping.py enforces it):
they call people_for(), which returns only the people on the user's team caseload and the
people they are covering. Anyone else gets an empty queryset, so another team's person is
simply "not found" (404), never "forbidden" (which would confirm they exist).
"""

from datetime import date

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from outreach.records.engagement import annotate_engagement
from outreach.records.models import (
    OPEN_STATUSES,
    Contact,
    ContactPlace,
    CoverAssignment,
    Episode,
    KeyWorkerAssignment,
    Person,
    PlannedVisit,
    VisitStatus,
)
from outreach.teams.models import Role, StaffMember


def today() -> date:
    return timezone.localdate()


def staff_for(user) -> StaffMember | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.staff
    except StaffMember.DoesNotExist:
        return None


def people_for(user, *, on: date | None = None) -> QuerySet[Person]:
    staff = staff_for(user)
    if staff is None or not staff.is_clinical:
        return Person.objects.none()
    on = on or today()
    team_people = Episode.objects.filter(team_id=staff.team_id, status__in=OPEN_STATUSES)
    covered = CoverAssignment.objects.filter(
        staff=staff, start__lte=on, end__gte=on, episode__status__in=OPEN_STATUSES
    )
    return Person.objects.filter(
        Q(id__in=team_people.values("person_id")) | Q(id__in=covered.values("episode__person_id"))
    )


def current_episode_subquery():
    return Episode.objects.filter(person=OuterRef("pk"), status__in=OPEN_STATUSES).order_by(
        "-referral_date", "-id"
    )


def caseload(user, *, on: date | None = None, only_mine: bool = False) -> QuerySet[Person]:
    """The user's visible people with everything a caseload row shows, in one query."""
    on = on or today()
    open_episode = {"episode__person": OuterRef("pk"), "episode__status__in": OPEN_STATUSES}
    key_worker = KeyWorkerAssignment.objects.filter(**open_episode, end__isnull=True)
    cover = CoverAssignment.objects.filter(
        **open_episode, start__lte=on, end__gte=on
    ).order_by("-start", "-id")
    last_contact = Contact.objects.filter(person=OuterRef("pk")).order_by("-date", "-id")
    next_visit = PlannedVisit.objects.filter(
        person=OuterRef("pk"), status=VisitStatus.PLANNED, date__gte=on
    ).order_by("date", "time")
    people = people_for(user, on=on).annotate(
        last_contact_date=Subquery(last_contact.values("date")[:1]),
        last_contact_outcome=Subquery(last_contact.values("outcome")[:1]),
        next_visit_date=Subquery(next_visit.values("date")[:1]),
        key_worker_id=Subquery(key_worker.values("staff_id")[:1]),
        key_worker_name=Subquery(key_worker.values("staff__name")[:1]),
        cover_id=Subquery(cover.values("staff_id")[:1]),
        cover_name=Subquery(cover.values("staff__name")[:1]),
    )
    if only_mine:
        staff = staff_for(user)
        people = people.filter(Q(key_worker_id=staff.pk) | Q(cover_id=staff.pk))
    people = annotate_engagement(people, today=on)
    return people.order_by(F("anchor_date").asc(nulls_first=True), "family_name", "id")


def crisis_people_for(user, *, on: date | None = None) -> QuerySet[Person]:
    """Who may appear on a crisis summary for this user: the team's caseload for its own
    clinicians, and for the 24/7 crisis line the caseload of the team it serves. The crisis
    line sees only crisis summaries, never the full record (people_for excludes it)."""
    staff = staff_for(user)
    if staff is not None and staff.role == Role.CRISIS_LINE and staff.team_id is not None:
        served = Episode.objects.filter(team_id=staff.team_id, status__in=OPEN_STATUSES)
        return Person.objects.filter(id__in=served.values("person_id"))
    return people_for(user, on=on)


def person_for(user, person_id: int) -> Person | None:
    return people_for(user).filter(pk=person_id).first()


def current_episode(person: Person) -> Episode | None:
    return (
        person.episodes.filter(status__in=OPEN_STATUSES).order_by("-referral_date", "-id").first()
    )


def can_view_audit(user) -> bool:
    staff = staff_for(user)
    return staff is not None and staff.role == Role.MANAGER and staff.team_id is not None


def team_clinicians(team) -> list[StaffMember]:
    on = today()
    return list(
        team.staff.filter(role__in=(Role.PRACTITIONER, Role.CONSULTANT, Role.MANAGER))
        .filter(Q(left__isnull=True) | Q(left__gt=on))
    )


def usual_place(person: Person) -> str:
    """Where the person is usually seen: the commonest place of their last ten successful
    contacts, or home."""
    recent = person.contacts.filter(outcome="attended").order_by("-date")[:10]
    counts = (
        Person.contacts.rel.related_model.objects.filter(pk__in=recent.values("pk"))
        .values("place").annotate(n=Count("id")).order_by("-n", "place")
    )
    first = counts.first()
    return first["place"] if first else ContactPlace.HOME


def planned_visit_for(person: Person, visit_id) -> PlannedVisit | None:
    if not visit_id:
        return None
    try:
        return person.planned_visits.filter(pk=int(visit_id), status=VisitStatus.PLANNED).first()
    except (TypeError, ValueError):
        return None
