"""Reads of experience feedback: the responses of some teams as the core rules see them,
and results by team and quarter through a Disclosure. Experience results are suppressed for
every audience, team staff included (docs/decisions/0011): a handful of answers in a quarter
could be placed by the worker who handed out the forms."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date

from outreach.core.experience import (
    QUESTION_KEYS,
    Agree,
    Fft,
    Respondent,
    Response,
    Result,
    Tally,
    by_team_and_quarter,
    quarter_label,
    quarter_of,
    result,
    tally,
)
from outreach.core.skills import add_months
from outreach.core.suppression import Disclosure
from outreach.experience.models import Feedback, FeedbackLink
from outreach.teams.models import Team


def quarters_to(on: date, n: int) -> list[tuple[int, int]]:
    """The n calendar quarters ending with the one holding `on`, oldest first."""
    first = date(on.year, (on.month - 1) // 3 * 3 + 1, 1)
    return [quarter_of(add_months(first, -3 * i)) for i in range(n - 1, -1, -1)]


def quarter_start(quarter: tuple[int, int]) -> date:
    return date(quarter[0], (quarter[1] - 1) * 3 + 1, 1)


def responses(team_ids: Iterable[int], *, since: date) -> list[Response]:
    """Every response of these teams from `since`; comments only if shared (H35)."""
    rows = Feedback.objects.filter(team_id__in=list(team_ids), month__gte=since).values(
        "team_id", "month", "respondent", "fft", "comment", "comment_shared", *QUESTION_KEYS)
    return [Response(
        r["team_id"], r["month"], Respondent(r["respondent"]), Fft(r["fft"]) if r["fft"] else None,
        {k: Agree(r[k]) for k in QUESTION_KEYS if r[k]},
        r["comment"] if r["comment_shared"] is True else "") for r in rows]


@dataclass(frozen=True)
class Column:
    quarter: tuple[int, int]
    label: str
    result: Result


@dataclass(frozen=True)
class TeamResults:
    team: Team | None  # None: all the teams together
    columns: list[Column]


def results(teams: list[Team], *, on: date, quarters: int, disclosure: Disclosure,
            respondent: str | None = None,
            key: Callable[[Response], Hashable] = by_team_and_quarter) -> list[TeamResults]:
    """Per team (and, with more than one team, all together) per quarter."""
    qs = quarters_to(on, quarters)
    rows = [r for r in responses([t.pk for t in teams], since=quarter_start(qs[0]))
            if respondent is None or r.respondent == respondent]
    groups = tally(rows, key)
    together = tally(rows, lambda r: (None, quarter_of(r.month)))
    def cols(team_key, source):
        return [Column(q, quarter_label(q), result(source.get((team_key, q), Tally()),
                                                   disclosure)) for q in qs]

    out = [TeamResults(t, cols(t.pk, groups)) for t in teams]
    if len(teams) > 1:
        out.append(TeamResults(None, cols(None, together)))
    return out


def links(team: Team) -> list[FeedbackLink]:
    return list(FeedbackLink.objects.filter(team=team, active=True))


def link_by_code(code: str) -> FeedbackLink | None:
    return FeedbackLink.objects.filter(code=code, active=True).select_related("team").first()


def person_feedback(person) -> list[Feedback]:
    return list(Feedback.objects.filter(person=person).select_related("entered_by")
                .order_by("-given_on"))
