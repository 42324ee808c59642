"""Limits on free text and the sense of dates, declared once.

Forms, services (hence the API) and the database all read these numbers, so a limit cannot
drift between the page that refuses a note and the column that stores it. Each rule is a pure
function returning problems (messages as constants); an empty result means the value is fine.

Free text. Sizes are generous for their use but bounded: a real contact note is a few hundred
words, so 5,000 characters (about 800 words) is far beyond one, while a 110,000-character
paste (which the front sheet once showed in full) is not a note. Narratives that are written
with the person and re-read in a crisis (crisis plan, risk formulation, care plan) may be
longer, 20,000 characters (about 3,000 words), still a document a worker can read on a phone.

Dates. Nothing in the record is before 1900 (a year typed as 1800 or 0199 is a slip). A date
of birth gives an age from 14 to 110 years: assertive outreach is an adult service, but
transition referrals from children's services start at 14 (NHS England's 0-25 transition
guidance), and 110 is above the oldest person living in the UK. A contact or visit belongs to
an episode and a person, so it cannot be before the referral or the birth. An episode ends
on or after the day it began (acceptance, or referral if never accepted). A visit is planned
no more than 26 weeks ahead (a setting, OUTREACH_VISIT_AHEAD_WEEKS): the planner works a week
at a time and a review six months away is a date in the care plan, not a visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# --- Free text: characters ----------------------------------------------------------------

NAME = 100                 # a given, family or preferred name; a carer's name
PHONE = 30                 # a telephone number as typed, with spaces and a +44
POSTCODE = 10              # "SW1A 1AA" with room for a slip of spacing
LANGUAGE = 60
SHORT_LABEL = 200          # a one-line label: a visit's purpose, a relationship, a dose
ADDRESS = 500
PERSON_DETAIL = 1_000      # preferred places, accessibility needs, what a carer may be told
REASON = 1_000             # why an entry is corrected, why something changed
ACTION = 1_000             # an MDT or handover action
MDT_DECISION = 2_000       # what the MDT decided about one agenda item
CONTACT_NOTE = 5_000       # a contact note, a transition note, a planned visit's note
DECISION_RECORD = 5_000    # each field of a discharge decision record
NARRATIVE = 20_000         # crisis plan text, risk formulation, care plan, annual review

# --- Dates -------------------------------------------------------------------------------

EARLIEST = date(1900, 1, 1)
MIN_AGE_YEARS = 14
MAX_AGE_YEARS = 110
VISIT_AHEAD_WEEKS = 26

BEFORE_1900 = "The date must be in 1900 or later. Check the year."
TOO_YOUNG = f"The person must be at least {MIN_AGE_YEARS} years old. Check the date of birth."
TOO_OLD = f"The person cannot be over {MAX_AGE_YEARS} years old. Check the date of birth."
BEFORE_BIRTH = "The date cannot be before the person's date of birth ({birth})."
BEFORE_REFERRAL = "The date cannot be before the person was referred to the team ({referral})."
BEFORE_ACCEPTANCE = "The date of discharge cannot be before the person was accepted ({start})."
DISCHARGE_BEFORE_REFERRAL = (
    "The date of discharge cannot be before the person was referred ({start})."
)
TOO_FAR_AHEAD = (
    "A visit can be planned up to {weeks} weeks ahead (until {last}). "
    "Put a later date in the care plan instead."
)
WORKER_AWAY = (
    "{name} is away that day ({why}). Choose another worker or another day."
)


def too_long(label: str, limit: int) -> str:
    """NHS.UK style: "Note must be 5,000 characters or fewer"."""
    label = label.removesuffix("(optional)").strip().rstrip("?:").strip()
    label = label[:1].upper() + label[1:] if label else "This"
    return f"{label} must be {limit:,} characters or fewer"


def text_problems(value: str | None, limit: int, label: str) -> list[str]:
    """A text over its limit; None or any length up to the limit is fine."""
    if isinstance(value, str) and len(value) > limit:
        return [too_long(label, limit)]
    return []


def _fmt(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def years_between(born: date, on: date) -> int:
    """Whole years of age on a day (a 29 February birthday counts on 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def date_problems(value: date | None) -> list[str]:
    """Any date in the record: not before 1900."""
    if value is not None and value < EARLIEST:
        return [BEFORE_1900]
    return []


def birth_problems(born: date | None, *, today: date, referred: date | None = None) -> list[str]:
    """A date of birth: not before 1900, an age of 14 to 110 today, and at least 14 on the
    day of referral when there is one. (Not in the future is checked by the caller with the
    other future dates.)"""
    if born is None:
        return []
    if problems := date_problems(born):
        return problems
    if born > today:
        return []
    if years_between(born, today) > MAX_AGE_YEARS:
        return [TOO_OLD]
    if years_between(born, referred or today) < MIN_AGE_YEARS:
        return [TOO_YOUNG]
    return []


def event_problems(on: date | None, *, born: date | None, referred: date | None) -> list[str]:
    """A contact or a visit: not before 1900, the birth, or the episode's referral."""
    if on is None:
        return []
    if problems := date_problems(on):
        return problems
    if born is not None and on < born:
        return [BEFORE_BIRTH.format(birth=_fmt(born))]
    if referred is not None and on < referred:
        return [BEFORE_REFERRAL.format(referral=_fmt(referred))]
    return []


def discharge_problems(on: date | None, *, referred: date, accepted: date | None) -> list[str]:
    """An end of care: on or after acceptance, or the referral if never accepted."""
    if on is None:
        return []
    if problems := date_problems(on):
        return problems
    if accepted is not None and on < accepted:
        return [BEFORE_ACCEPTANCE.format(start=_fmt(accepted))]
    if on < referred:
        return [DISCHARGE_BEFORE_REFERRAL.format(start=_fmt(referred))]
    return []


@dataclass(frozen=True)
class Away:
    """A worker's absence over inclusive dates, and what it is (e.g. "annual leave")."""

    start: date
    end: date
    what: str


def visit_problems(on: date | None, *, today: date, ahead_weeks: int = VISIT_AHEAD_WEEKS,
                   ) -> list[str]:
    """How far ahead a visit may be planned (the past is the caller's own message)."""
    if on is None:
        return []
    if problems := date_problems(on):
        return problems
    last = today + timedelta(weeks=ahead_weeks)
    if on > last:
        return [TOO_FAR_AHEAD.format(weeks=ahead_weeks, last=_fmt(last))]
    return []


def worker_away_problems(on: date | None, *, name: str, absences: list[Away]) -> list[str]:
    """A visit with a worker who is away that day is refused, naming the absence. Refused
    rather than warned: a visit whose named worker is on leave or off sick does not happen,
    and the person is left waiting; the planner offers someone else."""
    if on is None:
        return []
    for a in absences:
        if a.start <= on <= a.end:
            return [WORKER_AWAY.format(name=name, why=f"{a.what.lower()} until {_fmt(a.end)}")]
    return []
