"""The engagement ladder for lists, computed in SQL.

The rule lives in outreach.core.engagement (state_for_days). Here the same thresholds are
turned into cut-off dates so that the database can rate a whole caseload in one query:
`days >= T` is the same as `anchor <= today - T`. tests/records/test_engagement_sql.py
proves the two agree.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from outreach.core.engagement import EngagementConfig, EngagementState, Thresholds
from outreach.records.models import (
    SUCCESSFUL_WITH,
    Contact,
    ContactMode,
    ContactOutcome,
    EpisodeStatus,
)


def engagement_config() -> EngagementConfig:
    return EngagementConfig.from_mapping(settings.OUTREACH_ENGAGEMENT)


def successful_contacts(**filters) -> QuerySet[Contact]:
    return Contact.objects.filter(
        outcome=ContactOutcome.ATTENDED,
        mode=ContactMode.FACE_TO_FACE,
        with_whom__in=SUCCESSFUL_WITH,
        **filters,
    )


def _ladder(anchor, thresholds: Thresholds, today: date, condition: Q) -> list[When]:
    steps = [
        (thresholds.escalated_after_days, EngagementState.ESCALATED),
        (thresholds.lost_contact_after_days, EngagementState.LOST_CONTACT),
        (thresholds.overdue_after_days, EngagementState.OVERDUE),
        (thresholds.due_after_days, EngagementState.DUE),
    ]
    return [
        When(condition & Q(**{f"{anchor}__lte": today - timedelta(days=days)}),
             then=Value(state.value))
        for days, state in steps
    ]


def annotate_engagement(people: QuerySet, *, today: date, episode_ref: str = "episode_id"):
    """Add last_successful_contact, contacts_this_week, weekly_target_value and
    engagement_state to a Person queryset already annotated with the open episode's
    id, status, start date and target (see selectors.caseload)."""
    config = engagement_config()
    monday = today - timedelta(days=today.weekday())
    # Only the current episode's contacts count: a re-referral starts a new ladder.
    last = successful_contacts(
        person=OuterRef("pk"), episode=OuterRef(episode_ref), date__lte=today
    ).order_by("-date")
    week = (
        successful_contacts(
            person=OuterRef("pk"), episode=OuterRef(episode_ref), date__gte=monday,
            date__lte=today,
        )
        .order_by()
        .values("person")
        .annotate(n=Count("id"))
        .values("n")
    )
    stepped = Q(episode_status=EpisodeStatus.STEPPED_UP)
    people = people.annotate(
        last_successful_contact=Subquery(last.values("date")[:1]),
        contacts_this_week=Coalesce(Subquery(week, output_field=IntegerField()), 0),
    ).annotate(anchor_date=Coalesce("last_successful_contact", "episode_start"))
    return people.annotate(
        weekly_target_value=Coalesce(
            "episode_weekly_target",
            Case(When(stepped, then=Value(config.stepped_up_weekly_target)),
                 default=Value(config.weekly_target)),
        ),
        engagement_state=Case(
            *_ladder("anchor_date", config.stepped_up, today, stepped),
            *_ladder("anchor_date", config.standard, today, ~stepped),
            default=Value(EngagementState.ON_TRACK.value),
            output_field=CharField(),
        ),
    )
