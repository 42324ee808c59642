"""Experience feedback from people and carers: the questions, the NHS Friends and Family Test
(FFT), and the results by team and quarter (issue 8).

The statements come from what NHS England's guidance (002, annex C) found makes assertive
approaches engaging or not: being listened to, involved in decisions, the same workers over
time, cultural sensitivity and interpreters, choice about medication, and alternatives to
face-to-face contact. Each is answered on a five-point agreement scale, or "does not apply".

The FFT question and its six answers are NHS England's standard wording (since April 2020).
Its published score is the share of positive answers ("very good" or "good") among all
answers, "don't know" included.

Results go out only through a Disclosure (outreach.core.suppression): small numbers are
suppressed. A free-text comment is part of the results only if the person (or carer) agreed
to share it (hazard H35). No Django here.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from outreach.core.suppression import Disclosure, Shown

FFT_QUESTION = "Overall, how was your experience of our service?"


class Fft(StrEnum):
    VERY_GOOD = "very_good"
    GOOD = "good"
    NEITHER = "neither"
    POOR = "poor"
    VERY_POOR = "very_poor"
    DONT_KNOW = "dont_know"


FFT_LABELS = {
    Fft.VERY_GOOD: "Very good",
    Fft.GOOD: "Good",
    Fft.NEITHER: "Neither good nor poor",
    Fft.POOR: "Poor",
    Fft.VERY_POOR: "Very poor",
    Fft.DONT_KNOW: "Don't know",
}
FFT_POSITIVE = frozenset({Fft.VERY_GOOD, Fft.GOOD})
FFT_NEGATIVE = frozenset({Fft.POOR, Fft.VERY_POOR})


class Agree(StrEnum):
    STRONGLY_AGREE = "strongly_agree"
    AGREE = "agree"
    NEITHER = "neither"
    DISAGREE = "disagree"
    STRONGLY_DISAGREE = "strongly_disagree"
    NOT_APPLICABLE = "not_applicable"


AGREE_LABELS = {
    Agree.STRONGLY_AGREE: "Strongly agree",
    Agree.AGREE: "Agree",
    Agree.NEITHER: "Neither agree nor disagree",
    Agree.DISAGREE: "Disagree",
    Agree.STRONGLY_DISAGREE: "Strongly disagree",
    Agree.NOT_APPLICABLE: "Does not apply to me",
}
AGREEING = frozenset({Agree.STRONGLY_AGREE, Agree.AGREE})


class Respondent(StrEnum):
    PERSON = "person"
    CARER = "carer"


RESPONDENT_LABELS = {Respondent.PERSON: "People using the service",
                     Respondent.CARER: "Family members and carers"}


@dataclass(frozen=True)
class Question:
    key: str
    theme: str
    person: str  # the statement as the person reads it
    carer: str  # as a family member or carer reads it

    def text(self, respondent: Respondent | str) -> str:
        return self.carer if respondent == Respondent.CARER else self.person


QUESTIONS: tuple[Question, ...] = (
    Question("listened", "Listened to",
             "Staff listen to me and take what I say seriously.",
             "Staff listen to me and take what I say seriously."),
    Question("involved", "Involved in decisions",
             "I am involved in decisions about my care.",
             "I am involved in decisions about the care of the person I support, as far as "
             "they want me to be."),
    Question("same_workers", "The same workers over time",
             "I see the same workers over time.",
             "The person I support sees the same workers over time."),
    Question("culture", "Cultural sensitivity",
             "Staff respect my culture, faith and background.",
             "Staff respect our culture, faith and background."),
    Question("interpreter", "Interpreters",
             "When I need an interpreter, I get a good one.",
             "When we need an interpreter, we get a good one."),
    Question("medication", "Choice about medication",
             "I have a say in my medication and its effects on my life.",
             "The person I support has a say in their medication."),
    Question("contact", "Alternatives to face-to-face contact",
             "I can choose how we keep in touch, not only by visits.",
             "I can choose how I keep in touch with the team."),
)
QUESTION_KEYS = tuple(q.key for q in QUESTIONS)
BY_KEY = {q.key: q for q in QUESTIONS}

UNKNOWN_QUESTION = "Unknown question"
COMMENT_NEEDS_CONSENT = "Say whether the comment may be shared"


@dataclass(frozen=True)
class Response:
    """One completed form, as the rules see it: where and when it counts, and its answers.
    `comment` is the shared comment only (empty when none was given or agreed to share)."""

    team: Hashable
    month: date
    respondent: Respondent
    fft: Fft | None
    answers: dict[str, Agree] = field(default_factory=dict)
    shared_comment: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.answers) - set(QUESTION_KEYS)
        if unknown:
            raise ValueError(f"{UNKNOWN_QUESTION}: {', '.join(sorted(unknown))}")


def quarter_of(day: date) -> tuple[int, int]:
    """(year, quarter 1-4) of the calendar quarter holding a day."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_label(quarter: tuple[int, int]) -> str:
    year, q = quarter
    first = ("Jan", "Apr", "Jul", "Oct")[q - 1]
    last = ("Mar", "Jun", "Sep", "Dec")[q - 1]
    return f"{first} to {last} {year}"


def shared_comment(comment: str, share: bool | None) -> str:
    """The part of a comment that may appear in results: all of it with consent, else none.
    `share` None (not asked or not answered) is not consent."""
    return comment.strip() if share is True else ""


@dataclass(frozen=True)
class Tally:
    """Raw counts for one group of responses."""

    responses: int = 0
    fft_answered: int = 0
    fft_positive: int = 0
    fft_negative: int = 0
    # per question: (agreeing, answered excluding "does not apply")
    agree: dict[str, tuple[int, int]] = field(default_factory=dict)
    comments: tuple[str, ...] = ()

    def add(self, r: Response) -> Tally:
        agree = dict(self.agree)
        for key, answer in r.answers.items():
            if answer is Agree.NOT_APPLICABLE:
                continue
            yes, n = agree.get(key, (0, 0))
            agree[key] = (yes + (answer in AGREEING), n + 1)
        return Tally(
            self.responses + 1,
            self.fft_answered + (r.fft is not None),
            self.fft_positive + (r.fft in FFT_POSITIVE),
            self.fft_negative + (r.fft in FFT_NEGATIVE),
            agree,
            self.comments + ((r.shared_comment,) if r.shared_comment else ()),
        )


def tally(responses: Iterable[Response],
          key: Callable[[Response], Hashable]) -> dict[Hashable, Tally]:
    """Counts by a grouping key of each response: (team, quarter) for the results pages;
    the lead can group by a characteristic (ethnic group) the same way later."""
    out: dict[Hashable, Tally] = {}
    for r in responses:
        k = key(r)
        out[k] = out.get(k, Tally()).add(r)
    return out


def by_team_and_quarter(r: Response) -> Hashable:
    return r.team, quarter_of(r.month)


@dataclass(frozen=True)
class Result:
    """A group's figures as they may be shown."""

    responses: Shown
    fft_positive: Shown  # % of FFT answers that were very good or good
    fft_negative: Shown
    agree: dict[str, Shown]  # % agreeing, of those to whom it applied
    comments: tuple[str, ...]


def fft_score(t: Tally, d: Disclosure) -> Shown:
    """The FFT percentage positive: (very good + good) / all FFT answers, don't know
    included, as NHS England publishes it."""
    return d.percentage(t.fft_positive, t.fft_answered)


def result(t: Tally, d: Disclosure) -> Result:
    """Figures for one group through a disclosure. Comments are shown only when the group's
    response count itself is shown, so that a lone comment is never set beside a count
    that would let it be placed."""
    responses = d.count(t.responses)
    return Result(
        responses=responses,
        fft_positive=fft_score(t, d),
        fft_negative=d.percentage(t.fft_negative, t.fft_answered),
        agree={q: d.percentage(*t.agree.get(q, (0, 0))) for q in QUESTION_KEYS},
        comments=() if responses.suppressed else tuple(sorted(t.comments)),
    )
