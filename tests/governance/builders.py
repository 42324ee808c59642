"""Small records for the governance tests, built with the ORM at explicit dates (the measures
are computed as on a fixed day, AS_OF, so the examples do not depend on today's date)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from outreach.clinical.models import (
    CarePlan,
    CommunityTreatmentOrder,
    DialogItem,
    DialogRating,
    PhysicalHealthCheck,
    RelapseSignature,
    RiskFormulation,
    SafetyPlan,
    Section117,
    WarningSign,
)
from outreach.records.models import (
    AnnualReview,
    Contact,
    ContactMode,
    ContactOutcome,
    ContactPlace,
    ContactWith,
    DischargeDecision,
    Episode,
    EpisodeStatus,
    KeyWorkerAssignment,
    Person,
    RefusedDischarge,
    Transition,
)
from outreach.teams.models import Discipline, Role, StaffMember, Team
from tests import factories

AS_OF = date(2026, 3, 18)  # a Wednesday
_n = itertools.count(1)


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def staff(team: Team | None, *, role: str = Role.PRACTITIONER,
          discipline: str = Discipline.NURSE, fte: float = 1.0, joined: date = date(2020, 1, 1),
          left: date | None = None, username: str | None = None) -> StaffMember:
    member = factories.make_staff(team, role=role, discipline=discipline, fte=fte,
                                  username=username)
    StaffMember.objects.filter(pk=member.pk).update(joined=joined, left=left)
    member.refresh_from_db()
    return member


def person() -> Person:
    n = next(_n)
    return Person.objects.create(nhs_number=factories.next_nhs_number(), given_name=f"Gov{n}",
                                 family_name=f"Person{n}", date_of_birth=date(1980, 1, 1))


def episode(team: Team, key_worker: StaffMember | None = None, *, who: Person | None = None,
            accepted: date | None = None, referral: date | None = None,
            assessment: date | None = None, status: str = EpisodeStatus.ACCEPTED,
            discharged: date | None = None, first_intervention: date | None = None,
            weekly_target: int | None = None) -> Episode:
    """An episode on the caseload since `accepted` (default: a year and a half before
    AS_OF), with a key worker from then."""
    who = who or person()
    if accepted is None and status not in (EpisodeStatus.REFERRED, EpisodeStatus.NOT_ACCEPTED):
        accepted = ago(540)
    referral = referral or (accepted - timedelta(days=20) if accepted else ago(30))
    e = Episode.objects.create(
        person=who, team=team, referral_date=referral, referral_source="cmht",
        assessment_date=assessment if assessment is not None else accepted,
        accepted_date=accepted, first_intervention_date=first_intervention, status=status,
        criteria=["psychosis", "struggles_with_routine_care"], discharged_date=discharged,
        weekly_target=weekly_target,
    )
    if key_worker is not None and accepted is not None:
        KeyWorkerAssignment.objects.create(episode=e, staff=key_worker, start=accepted,
                                           end=discharged)
    return e


def care_plan(e: Episode, by: StaffMember, *, on: date, due: date,
              supersedes: CarePlan | None = None, rated: int = 0,
              co_produced_with: str = "") -> CarePlan:
    plan = CarePlan.objects.create(person=e.person, episode=e, recorded_by=by, date=on,
                                   review_due=due, supersedes=supersedes,
                                   co_produced_with=co_produced_with)
    DialogRating.objects.bulk_create(
        DialogRating(plan=plan, item=item, score=4, wants_more_help=False)
        for item in DialogItem.values[:rated])
    return plan


def safety_plan(e: Episode, by: StaffMember, *, on: date, due: date) -> SafetyPlan:
    return SafetyPlan.objects.create(person=e.person, episode=e, recorded_by=by, date=on,
                                     review_due=due, wants_in_crisis="Call my sister",
                                     who_to_contact="Sister")


def relapse_signature(e: Episode, by: StaffMember, *, on: date, signs: int = 1
                      ) -> RelapseSignature:
    sig = RelapseSignature.objects.create(person=e.person, episode=e, recorded_by=by, date=on)
    for order in range(1, signs + 1):
        WarningSign.objects.create(signature=sig, order=order, sign=f"Sign {order}")
    return sig


def risk_formulation(e: Episode, by: StaffMember, *, on: date, due: date) -> RiskFormulation:
    return RiskFormulation.objects.create(
        person=e.person, episode=e, recorded_by=by, history="h", triggers="t",
        protective_factors="p", what_reduces_risk="w", reviewed_on=on, review_due=due)


def physical_check(e: Episode, by: StaffMember, *, on: date) -> PhysicalHealthCheck:
    return PhysicalHealthCheck.objects.create(person=e.person, episode=e, recorded_by=by,
                                              date=on)


def annual_review(e: Episode, by: StaffMember, *, on: date) -> AnnualReview:
    return AnnualReview.objects.create(episode=e, held_on=on, agencies="GP, housing",
                                       outcome="Plan agreed", recorded_by=by)


def cto(e: Episode, by: StaffMember, *, start: date, expiry: date,
        renewal_due: date | None = None, ended_on: date | None = None
        ) -> CommunityTreatmentOrder:
    return CommunityTreatmentOrder.objects.create(
        person=e.person, episode=e, recorded_by=by, start=start, expiry=expiry,
        renewal_due=renewal_due, ended_on=ended_on)


def section117(e: Episode, by: StaffMember, *, since: date, due: date) -> Section117:
    return Section117.objects.create(person=e.person, episode=e, recorded_by=by,
                                     eligible=True, eligible_from=since, review_due=due)


def discharge(e: Episode, by: StaffMember, *, on: date, reason: str, engaged: bool | None = True,
              **handover) -> DischargeDecision:
    Episode.objects.filter(pk=e.pk).update(status=EpisodeStatus.DISCHARGED, discharged_date=on)
    KeyWorkerAssignment.objects.filter(episode=e, end__isnull=True).update(end=on)
    return DischargeDecision.objects.create(
        episode=e, reason=reason, date=on, rationale="r", relapse_indicators="i",
        known_risks="k", route_back_in="Call the team", shared_with=["the person", "GP"],
        decided_by=by, engaged=engaged, **handover)


def refused(e: Episode, by: StaffMember, *, on: date, reason: str,
            not_engaged: bool = False) -> RefusedDischarge:
    row = RefusedDischarge.objects.create(episode=e, reason=reason, problems={"reason": ["x"]},
                                          attempted_by=by, not_engaged=not_engaged)
    at = timezone.make_aware(datetime.combine(on, time(11)))
    RefusedDischarge.objects.filter(pk=row.pk).update(attempted_at=at)
    return row


def contact(e: Episode, by: StaffMember, *, on: date, at: time | None = time(11),
            mode: str = ContactMode.FACE_TO_FACE, with_whom: str = ContactWith.PERSON,
            outcome: str = ContactOutcome.ATTENDED, place: str = ContactPlace.HOME,
            second: StaffMember | None = None, minutes: int | None = 45) -> Contact:
    return Contact.objects.create(
        person=e.person, episode=e, date=on, time=at, staff=by, second_staff=second,
        with_whom=with_whom, mode=mode, place=place, outcome=outcome,
        duration_minutes=minutes)


def transition(e: Episode, *, on: date, kind: str, status_after: str) -> Transition:
    return Transition.objects.create(episode=e, kind=kind, date=on, status_after=status_after)


def weekday_ago(days: int, weekday: int) -> date:
    """The date `days` or more before AS_OF that falls on `weekday` (0 Monday)."""
    d = ago(days)
    while d.weekday() != weekday:
        d -= timedelta(days=1)
    return d
