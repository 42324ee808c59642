"""Reads of patient data, always through the signed-in user's scope.

Views and the API never use Person.objects directly (scripts/check_scoping.py enforces it):
they call people_for(), which returns only the people on the user's team caseload and the
people they are covering. Anyone else gets an empty queryset, so another team's person is
simply "not found" (404), never "forbidden" (which would confirm they exist).

A record outlives its episode: held_people_for() adds everyone the user's team has ever held
(discharged, or a referral not accepted), to read, never to write. Writes reach a person only
through open_person_for(), which refuses a former person with ReadOnlyRecord (a page that says
so, web.middleware), never a bare 404 to the team that cared for them.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import dateformat, timezone

from outreach.core import discharge as discharge_rules
from outreach.records.engagement import annotate_engagement
from outreach.records.models import (
    OPEN_STATUSES,
    Contact,
    ContactPlace,
    CoverAssignment,
    DischargeDecision,
    Episode,
    EpisodeStatus,
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


def crisis_discharged_days() -> int:
    """How long after a discharge the crisis line still finds the person, with the route back
    in (settings.OUTREACH_CRISIS_DISCHARGED_DAYS, docs/configuration.md)."""
    return int(getattr(settings, "OUTREACH_CRISIS_DISCHARGED_DAYS", 90))


def _recently_discharged(team_id: int, on: date) -> QuerySet[Episode]:
    """Episodes of this team discharged within the crisis period, of people with no open
    episode anywhere (someone re-referred is on a caseload; someone with another team now is
    that team's)."""
    since = on - timedelta(days=crisis_discharged_days())
    open_anywhere = Episode.objects.filter(status__in=OPEN_STATUSES).values("person_id")
    return Episode.objects.filter(
        team_id=team_id, status=EpisodeStatus.DISCHARGED, discharged_date__gte=since,
        discharged_date__lte=on,
    ).exclude(person_id__in=open_anywhere)


def crisis_people_for(user, *, on: date | None = None) -> QuerySet[Person]:
    """Who may appear on a crisis summary for this user: the team's caseload for its own
    clinicians, and for the 24/7 crisis line the caseload of the team it serves; for both,
    also the people the team discharged within the crisis period (crisis_discharged_days),
    shown with the route back in. The crisis line sees only crisis summaries, never the full
    record (people_for excludes it)."""
    on = on or today()
    staff = staff_for(user)
    if staff is None or staff.team_id is None:
        return Person.objects.none()
    recent = _recently_discharged(staff.team_id, on).values("person_id")
    if staff.role == Role.CRISIS_LINE:
        served = Episode.objects.filter(team_id=staff.team_id, status__in=OPEN_STATUSES)
        return Person.objects.filter(
            Q(id__in=served.values("person_id")) | Q(id__in=recent))
    if not staff.is_clinical:
        return Person.objects.none()
    return Person.objects.filter(Q(id__in=people_for(user, on=on).values("id")) | Q(id__in=recent))


def crisis_discharges(user, person_ids, *, on: date | None = None) -> dict[int, DischargeDecision]:
    """The decision record (with its route back in) of each of these people whom the user's
    team discharged within the crisis period and who has no open episode."""
    staff = staff_for(user)
    if staff is None or staff.team_id is None:
        return {}
    episodes = _recently_discharged(staff.team_id, on or today()).filter(
        person_id__in=list(person_ids))
    decisions = DischargeDecision.objects.filter(episode__in=episodes).select_related(
        "episode").order_by("date", "id")
    return {d.episode.person_id: d for d in decisions}


def held_people_for(user) -> QuerySet[Person]:
    """Everyone the user may read: their people (people_for) and everyone their team has ever
    held, whatever became of the episode (discharged, a referral not accepted, now with another
    team). A record outlives its episode; these reads are read-only (open_person_for) and
    audited like any other. Nobody for commissioners, administrators and the crisis line."""
    staff = staff_for(user)
    current = people_for(user)
    if staff is None or not staff.is_clinical:
        return current
    held = Episode.objects.filter(team_id=staff.team_id)
    return Person.objects.filter(
        Q(id__in=held.values("person_id")) | Q(id__in=current.values("id")))


def person_for(user, person_id: int, *, include_former: bool = False) -> Person | None:
    """The person if on the user's caseload or covered by them; with include_former, also
    anyone their team held before (for reading only)."""
    people = held_people_for(user) if include_former else people_for(user)
    return people.filter(pk=person_id).first()


DISCHARGED_BANNER = "Discharged on {date} ({reason}). Read only."
NOT_ACCEPTED_BANNER = "Referral not accepted on {date}. Read only."
NOW_ELSEWHERE = "Now with {team} since {date}: contact them about current care."


@dataclass(frozen=True)
class FormerStatus:
    """Why a person the team held is no longer on its caseload."""

    episode: Episode  # the team's latest episode with them, closed
    decision: DischargeDecision | None  # its decision record, when discharged
    ended_on: date | None
    open_elsewhere: Episode | None  # an open episode with another team now

    @property
    def discharged(self) -> bool:
        return self.episode.status == EpisodeStatus.DISCHARGED

    @property
    def died(self) -> bool:
        died = discharge_rules.DischargeReason.DIED
        return self.decision is not None and self.decision.reason == died

    @property
    def may_rerefer(self) -> bool:
        """The route back in: a new referral, unless they have an open episode elsewhere (that
        team refers them) or died."""
        return self.open_elsewhere is None and not self.died

    @property
    def reason_label(self) -> str:
        if self.decision is None:
            return "no decision record"
        return discharge_rules.LABELS.get(self.decision.reason, self.decision.reason)

    @property
    def headline(self) -> str:
        when = dateformat.format(self.ended_on, "j F Y") if self.ended_on else "a date not recorded"
        if self.discharged:
            return DISCHARGED_BANNER.format(date=when, reason=self.reason_label)
        return NOT_ACCEPTED_BANNER.format(date=when)

    @property
    def elsewhere_note(self) -> str:
        if self.open_elsewhere is None:
            return ""
        return NOW_ELSEWHERE.format(
            team=self.open_elsewhere.team.name,
            date=dateformat.format(self.open_elsewhere.referral_date, "j F Y"))


def former_status(user, person: Person) -> FormerStatus | None:
    """The user's team's last closed episode with a person who is not on their caseload, or
    None (on the caseload, covered, or never held by the team)."""
    staff = staff_for(user)
    if staff is None or not staff.is_clinical:
        return None
    if people_for(user).filter(pk=person.pk).exists():
        return None
    episode = (person.episodes.filter(team_id=staff.team_id)
               .order_by("-referral_date", "-id").first())
    if episode is None or episode.is_open:
        return None
    decision = DischargeDecision.objects.filter(episode=episode).select_related(
        "decided_by").first()
    ended = episode.discharged_date
    if ended is None:
        closing = episode.transitions.filter(status_after=episode.status).order_by(
            "-date", "-id").first()
        ended = closing.date if closing is not None else episode.assessment_date
    elsewhere = (person.episodes.filter(status__in=OPEN_STATUSES).select_related("team")
                 .order_by("-referral_date", "-id").first())
    return FormerStatus(episode=episode, decision=decision, ended_on=ended,
                        open_elsewhere=elsewhere)


class ReadOnlyRecord(Exception):
    """A write was asked for someone the team held before who has no open episode with it.
    web.middleware shows a page that says so (403), with the way back in."""

    def __init__(self, person: Person, status: FormerStatus | None):
        super().__init__(person.pk)
        self.person, self.status = person, status


def open_person_for(user, person_id: int) -> Person | None:
    """The person, for a write: on the caseload or covered (as person_for); someone the team
    held before raises ReadOnlyRecord; anyone else is None (404)."""
    person = person_for(user, person_id)
    if person is None:
        former = person_for(user, person_id, include_former=True)
        if former is not None:
            raise ReadOnlyRecord(former, former_status(user, former))
    return person


def team_discharge_decision(user, *, person_id: int, decision_id: int) -> DischargeDecision | None:
    """A discharge decision record of the user's own team (another team's is None, shown as
    404). Reached through the team rather than the caseload, since the person has left it."""
    staff = staff_for(user)
    if staff is None or not staff.is_clinical:
        return None
    return (
        DischargeDecision.objects.filter(
            pk=decision_id, episode__person_id=person_id, episode__team_id=staff.team_id
        )
        .select_related("episode__person", "episode__team", "decided_by",
                        "proposal__decided_by")
        .first()
    )


def team_episodes(user, person: Person) -> list[Episode]:
    """The user's team's episodes with this person, newest first, with their decision records
    (the history a re-referral carries forward)."""
    staff = staff_for(user)
    if staff is None or not staff.is_clinical:
        return []
    return list(person.episodes.filter(team_id=staff.team_id)
                .select_related("discharge").order_by("-referral_date", "-id"))


@dataclass(frozen=True)
class KnownNumber:
    """What a team may be told about an NHS number already registered."""

    relation: str  # one of the constants below
    person: Person | None  # None when the team never held them: nothing about them is shown
    team_name: str = ""  # the other team, only when this team held them before

    OPEN_HERE = "open_here"
    FORMER_HERE = "former_here"
    NOW_ELSEWHERE = "now_elsewhere"
    ELSEWHERE = "elsewhere"


def known_number(staff: StaffMember, nhs_number: str) -> KnownNumber | None:
    """An NHS number already registered, as the staff member's team may see it: open with the
    team, held before (may be re-referred), held before and now with another team, or only
    ever another team's (no name, no details). None if nobody has the number."""
    person = Person.objects.filter(nhs_number=nhs_number).first()
    if person is None:
        return None
    ours = person.episodes.filter(team_id=staff.team_id)
    if ours.filter(status__in=OPEN_STATUSES).exists():
        return KnownNumber(KnownNumber.OPEN_HERE, person)
    if not ours.exists():
        return KnownNumber(KnownNumber.ELSEWHERE, None)
    elsewhere = (person.episodes.filter(status__in=OPEN_STATUSES).select_related("team")
                 .order_by("-referral_date", "-id").first())
    if elsewhere is not None:
        return KnownNumber(KnownNumber.NOW_ELSEWHERE, person, elsewhere.team.name)
    return KnownNumber(KnownNumber.FORMER_HERE, person)


SEARCH_MIN_CHARS = 2
SEARCH_MIN_DIGITS = 4
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Found:
    """A person found by a search, with where they are in their care with the team."""

    person: Person
    status: str  # on_caseload, referred, covering, discharged, not_accepted, elsewhere
    since: date | None  # the day it ended, for discharged and not accepted


def _search_filter(query: str) -> Q | None:
    """An NHS number (digits, with or without spaces: 4 or more, matched from the start) or
    names (every word matching a given, family or preferred name, any case, in part)."""
    digits = "".join(ch for ch in query if not ch.isspace() and ch != "-")
    if digits.isdigit():
        return Q(nhs_number__startswith=digits) if len(digits) >= SEARCH_MIN_DIGITS else None
    words = query.split()
    if len("".join(words)) < SEARCH_MIN_CHARS:
        return None
    match = Q()
    for word in words:
        match &= (Q(given_name__icontains=word) | Q(family_name__icontains=word)
                  | Q(preferred_name__icontains=word))
    return match


def search_people(user, query: str) -> list[Found] | None:
    """The user's current and former people (held_people_for) matching the query, by family
    then given name, at most SEARCH_LIMIT; None when the query is too short to search."""
    match = _search_filter(query.strip())
    if match is None:
        return None
    staff = staff_for(user)
    people = list(held_people_for(user).filter(match)
                  .order_by("family_name", "given_name", "id")[:SEARCH_LIMIT])
    if not people:
        return []
    episodes: dict[int, list[Episode]] = {}
    for e in Episode.objects.filter(person__in=people).order_by("-referral_date", "-id"):
        episodes.setdefault(e.person_id, []).append(e)
    found = []
    for person in people:
        mine = [e for e in episodes.get(person.pk, []) if e.team_id == staff.team_id]
        open_any = [e for e in episodes.get(person.pk, []) if e.is_open]
        latest = mine[0] if mine else None
        since = None
        if latest is not None and latest.is_open:
            status = "referred" if latest.status == EpisodeStatus.REFERRED else "on_caseload"
        elif latest is None:
            status = "covering"
        elif open_any:
            status, since = "elsewhere", latest.discharged_date
        else:
            status = latest.status
            since = latest.discharged_date
            if since is None:
                closing = latest.transitions.order_by("-date", "-id").first()
                since = closing.date if closing is not None else None
        found.append(Found(person=person, status=status, since=since))
    return found


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
