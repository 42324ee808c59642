"""The engagement ladder for lists, computed in SQL.

The rule lives in outreach.core.engagement (state_for_days). Here the same thresholds are
turned into cut-off dates so that the database can rate a whole caseload in one query:
`days >= T` is the same as `anchor <= today - T`. tests/records/test_engagement_sql.py
proves the two agree.

Every correlated subquery here is keyed on the person (joined to their open episode), never
on another subquery, and the ladder evaluates its anchor date once per row
(EngagementLadder): Django would otherwise inline the anchor expression in each WHEN.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Expression,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from outreach.core.discharge import EngagementRule, Evidence, evidence
from outreach.core.engagement import EngagementConfig, EngagementState, Thresholds
from outreach.records.models import (
    OPEN_STATUSES,
    SUCCESSFUL_WITH,
    Contact,
    ContactMode,
    ContactOutcome,
    Episode,
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


def _cutoffs(thresholds: Thresholds, today: date) -> list[tuple[EngagementState, date]]:
    return [
        (EngagementState.ESCALATED, today - timedelta(days=thresholds.escalated_after_days)),
        (EngagementState.LOST_CONTACT,
         today - timedelta(days=thresholds.lost_contact_after_days)),
        (EngagementState.OVERDUE, today - timedelta(days=thresholds.overdue_after_days)),
        (EngagementState.DUE, today - timedelta(days=thresholds.due_after_days)),
    ]


class EngagementLadder(Expression):
    """CASE over the anchor date with the standard or stepped-up cut-offs, written so that
    the anchor and the stepped-up flag are computed once per row:

        (SELECT CASE WHEN l.s = 1 AND l.a <= ? THEN 'escalated' ... ELSE 'on_track' END
           FROM (SELECT <anchor> AS a, <stepped> AS s) AS l)
    """

    output_field = CharField()

    def __init__(self, anchor, stepped, *, standard, stepped_up):
        super().__init__()
        self.anchor, self.stepped = anchor, stepped
        self.standard, self.stepped_up = standard, stepped_up

    def get_source_expressions(self):
        return [self.anchor, self.stepped]

    def set_source_expressions(self, exprs):
        self.anchor, self.stepped = exprs

    def as_sql(self, compiler, connection):
        anchor_sql, anchor_params = compiler.compile(self.anchor)
        stepped_sql, stepped_params = compiler.compile(self.stepped)
        whens, params = [], []
        adapt = connection.ops.adapt_datefield_value
        for (state, std), (_, up) in zip(self.standard, self.stepped_up, strict=True):
            whens.append("WHEN (l.s = 1 AND l.a <= %s) OR (l.s = 0 AND l.a <= %s) THEN %s")
            params += [adapt(up), adapt(std), state.value]
        sql = (
            f"(SELECT CASE {' '.join(whens)} ELSE %s END FROM "
            f"(SELECT {anchor_sql} AS a, {stepped_sql} AS s) l)"
        )
        return sql, (*params, EngagementState.ON_TRACK.value, *anchor_params, *stepped_params)


def _open_episode():
    return Episode.objects.filter(person=OuterRef("pk"), status__in=OPEN_STATUSES).order_by(
        "-referral_date", "-id"
    )


def annotate_engagement(people: QuerySet, *, today: date) -> QuerySet:
    """Add the open episode (episode_id, episode_status, episode_start,
    episode_weekly_target) and the engagement (last_successful_contact, contacts_this_week,
    weekly_target_value, anchor_date, engagement_state) to a Person queryset.

    Only the open episode's contacts count, so a re-referral starts a new ladder."""
    config = engagement_config()
    monday = today - timedelta(days=today.weekday())
    episode = _open_episode()
    start = Coalesce("accepted_date", "referral_date")
    current = {"person": OuterRef("pk"), "episode__status__in": OPEN_STATUSES,
               "date__lte": today}
    last = successful_contacts(**current).order_by("-date")
    week = (
        successful_contacts(**current, date__gte=monday).order_by().values("person")
        .annotate(n=Count("id")).values("n")
    )
    status = Subquery(episode.values("status")[:1])
    anchor = Coalesce(
        Subquery(last.values("date")[:1]),
        Subquery(episode.annotate(s=start).values("s")[:1]),
    )
    stepped = Case(When(Q(episode_status=EpisodeStatus.STEPPED_UP), then=Value(1)),
                   default=Value(0), output_field=IntegerField())
    return people.annotate(
        episode_id=Subquery(episode.values("id")[:1]),
        episode_status=status,
        episode_start=Subquery(episode.annotate(s=start).values("s")[:1]),
        episode_weekly_target=Subquery(episode.values("weekly_target")[:1]),
        last_successful_contact=Subquery(last.values("date")[:1]),
        contacts_this_week=Coalesce(Subquery(week, output_field=IntegerField()), 0),
        anchor_date=anchor,
    ).annotate(
        weekly_target_value=Coalesce(
            "episode_weekly_target",
            Case(When(Q(episode_status=EpisodeStatus.STEPPED_UP),
                      then=Value(config.stepped_up_weekly_target)),
                 default=Value(config.weekly_target)),
        ),
        engagement_state=EngagementLadder(
            anchor, stepped,
            standard=_cutoffs(config.standard, today),
            stepped_up=_cutoffs(config.stepped_up, today),
        ),
    )


def days_since_seen(row, today: date) -> int:
    """Days since the last successful face-to-face contact (or the episode start) of a row
    annotated by annotate_engagement; never negative."""
    return max((today - row.anchor_date).days, 0) if row.anchor_date else 0


def discharge_rule() -> EngagementRule:
    """N and M of the record-based end-of-care rule (settings.OUTREACH_DISCHARGE)."""
    return EngagementRule(**getattr(settings, "OUTREACH_DISCHARGE", {}))


def stepped_up_on(episode: Episode, on: date) -> bool:
    """Whether the episode was stepped up on that day: the status after its latest
    transition dated on or before it (the episode's own status if it has none)."""
    latest = (episode.transitions.filter(date__lte=on)
              .exclude(status_after=EpisodeStatus.DISCHARGED)
              .order_by("-date", "-id").values_list("status_after", flat=True).first())
    return (latest or episode.status) == EpisodeStatus.STEPPED_UP


def evidence_for(episode: Episode, on: date) -> Evidence:
    """The person's engagement on `on`, from the record (core.discharge.evidence): the
    episode's successful face-to-face contacts up to that day, its start, whether it was
    stepped up then and its weekly target."""
    config = engagement_config()
    stepped = stepped_up_on(episode, on)
    target = episode.weekly_target or (
        config.stepped_up_weekly_target if stepped else config.weekly_target)
    dates = list(successful_contacts(episode=episode, date__lte=on)
                 .values_list("date", flat=True))
    return evidence(successful_f2f_dates=dates, episode_start=episode.start_date, on=on,
                    stepped_up=stepped, weekly_target=target, config=config,
                    rule=discharge_rule())
