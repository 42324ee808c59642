"""Synthetic experience feedback and staff training records (docs/synthetic-data.md,
"Experience feedback and training"), written after the main load for every team that has
none yet. Deterministic from the seed and the anchor date: `random.Random` seeded with
(seed, 14, team id), so each team's rows do not depend on the others.

- Training: each clinician holds each competency their role or discipline requires with
  probability 0.85 (0.6 for a competency that never expires); the completion date is spread
  over 1.25 renewal periods before the anchor date, so about one in five has expired and
  some expire within the warning period; the expiry is the competency's renewal rule.
- Feedback: for each of the last 12 months, 1-8 forms per team (a quarter from carers):
  40% with a worker (linked to someone on the caseload), 20% on paper (half named), 40%
  through the team's anonymous link. Answers lean positive, as FFT returns do (about 80%
  "very good" or "good"); a third carry a comment from a fixed list, 70% of them agreed to
  share (an anonymous comment not agreed is not kept, as the service does).
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction

from outreach.core.experience import QUESTION_KEYS
from outreach.core.skills import add_months, default_expiry, required_of
from outreach.experience.models import Channel, Feedback, FeedbackLink
from outreach.records.models import OPEN_STATUSES, Episode
from outreach.skills import selectors as skills
from outreach.skills.models import TrainingRecord
from outreach.teams.models import Role, StaffMember, Team

STREAM = 14
MONTHS = 12
FFT_WEIGHTS = {"very_good": 50, "good": 30, "neither": 8, "poor": 5, "very_poor": 3,
               "dont_know": 4}
AGREE_WEIGHTS = {"strongly_agree": 35, "agree": 35, "neither": 12, "disagree": 8,
                 "strongly_disagree": 4, "not_applicable": 6}
COMMENTS = (
    "Seeing the same worker every week makes a difference.",
    "I wish I could text instead of always having visits.",
    "They listened when I said the tablets made me tired.",
    "The interpreter was booked and it helped my mother understand.",
    "Sometimes nobody tells me who is coming.",
    "They helped me get back to the allotment.",
    "I felt the focus was only on my medication.",
    "Staff were kind when I was in hospital.",
)


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _training(team: Team, rng: random.Random, today: date) -> list[TrainingRecord]:
    comps = skills.competencies()
    rules = skills.requirements()
    staff = list(StaffMember.objects.filter(team=team, role__in=(
        Role.PRACTITIONER, Role.CONSULTANT, Role.MANAGER), left__isnull=True).order_by("id"))
    manager = next((s for s in staff if s.role == Role.MANAGER), staff[0] if staff else None)
    rows = []
    for s in staff:
        needed = required_of(rules, s.role, s.discipline)
        for c in comps:
            if c.key not in needed or rng.random() > (0.85 if c.renewal_months else 0.6):
                continue
            span = int((c.renewal_months or 36) * 30.4 * 1.25)
            done = date.fromordinal(today.toordinal() - rng.randint(1, span))
            rows.append(TrainingRecord(
                staff=s, competency=c, completed_on=done,
                expires_on=default_expiry(done, c.renewal_months),
                provider=rng.choice(["Trust e-learning", "Trust classroom course",
                                     "Regional AO network"]), recorded_by=manager))
    return rows


def _feedback(team: Team, rng: random.Random, today: date) -> list[Feedback]:
    people = sorted(Episode.objects.filter(team=team, status__in=OPEN_STATUSES)
                    .values_list("person_id", flat=True))
    staff = list(StaffMember.objects.filter(team=team, role=Role.PRACTITIONER)
                 .order_by("id").values_list("id", flat=True))
    first = today.replace(day=1)
    rows = []
    for back in range(MONTHS - 1, -1, -1):
        month = add_months(first, -back)
        last_day = min(today.toordinal() - 1, add_months(month, 1).toordinal() - 1)
        if last_day < month.toordinal():
            continue
        for _ in range(rng.randint(1, 8)):
            roll = rng.random()
            channel = (Channel.WITH_WORKER if roll < 0.4 else Channel.PAPER if roll < 0.6
                       else Channel.ONLINE)
            named = bool(people and staff) and (channel == Channel.WITH_WORKER or (
                channel == Channel.PAPER and rng.random() < 0.5))
            if channel == Channel.WITH_WORKER and not named:
                channel = Channel.ONLINE
            answers = {k: _pick(rng, AGREE_WEIGHTS) for k in QUESTION_KEYS
                       if rng.random() < 0.9}
            comment, shared = "", None
            if rng.random() < 0.33:
                comment, shared = rng.choice(COMMENTS), rng.random() < 0.7
                if not named and not shared:
                    comment, shared = "", None
            rows.append(Feedback(
                team=team, month=month,
                respondent="carer" if rng.random() < 0.25 else "person",
                channel=channel, person_id=rng.choice(people) if named else None,
                given_on=date.fromordinal(rng.randint(month.toordinal(), last_day))
                if named else None,
                entered_by_id=rng.choice(staff) if channel != Channel.ONLINE and staff
                else None,
                fft=_pick(rng, FFT_WEIGHTS) if rng.random() < 0.95 else "",
                comment=comment, comment_shared=shared, **answers))
    return rows


@transaction.atomic
def load_experience_and_skills(*, seed: int, today: date) -> dict[str, int]:
    """Feedback links, feedback and training for every team that has none yet."""
    counts = {"feedback": 0, "training records": 0}
    for team in Team.objects.order_by("id"):
        if Feedback.objects.filter(team=team).exists() or TrainingRecord.objects.filter(
                staff__team=team).exists():
            continue
        rng = random.Random(f"{seed}:{STREAM}:{team.code}")
        FeedbackLink.objects.create(team=team, code=f"{team.code}-{rng.getrandbits(48):012x}")
        training = _training(team, rng, today)
        TrainingRecord.objects.bulk_create(training)
        feedback = _feedback(team, rng, today)
        Feedback.objects.bulk_create(feedback)
        counts["feedback"] += len(feedback)
        counts["training records"] += len(training)
    return counts
