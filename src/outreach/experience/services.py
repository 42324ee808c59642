"""Writes of experience feedback: keyword-only, one transaction.

- `feedback_from_person`: given with a worker or on a named paper form; linked to the
  person, attributed to the member of staff who entered it, audited (CREATE).
- `feedback_anonymous`: the team's public link, or an unnamed paper form keyed in by staff.
  Nothing that identifies the person is taken or stored (hazard H33): no person, no day (the
  month only), no address, no audit event (there is no person to audit), and a comment
  only if its writer agreed to share it.

A comment is part of the results only with a yes to sharing it (hazard H35); no answer to
that question is an error on the form, never a yes.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.core.experience import COMMENT_NEEDS_CONSENT, QUESTION_KEYS, Respondent
from outreach.experience.models import Channel, Feedback, FeedbackLink
from outreach.records.models import Person
from outreach.records.selectors import current_episode, today
from outreach.records.services import ValidationFailed
from outreach.teams.models import StaffMember

NOTHING_ANSWERED = "Answer at least one question, or the Friends and Family Test question"
GIVEN_IN_FUTURE = "The date cannot be in the future"
NOT_ON_TEAM = "This person is not on a team's caseload now"
LINK_REVOKED = "This feedback link is no longer in use"
CHANNEL_NOT_FOR_PERSON = "Choose with a worker or on paper"

__all__ = ["ValidationFailed", "feedback_from_person", "feedback_anonymous"]


def _month(day: date) -> date:
    return day.replace(day=1)


def _check(answers: dict[str, str], fft: str, comment: str,
           comment_shared: bool | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    unknown = set(answers) - set(QUESTION_KEYS)
    if unknown:
        raise ValueError(f"Unknown questions: {sorted(unknown)}")
    if not fft and not any(answers.values()):
        errors["__all__"] = [NOTHING_ANSWERED]
    if comment.strip() and comment_shared is None:
        errors["comment_shared"] = [COMMENT_NEEDS_CONSENT]
    return errors


def _existing(submission_key: str) -> Feedback | None:
    if not submission_key:
        return None
    return Feedback.objects.filter(submission_key=submission_key).first()


@transaction.atomic
def feedback_from_person(*, person: Person, respondent: str, channel: str, given_on: date,
                         answers: dict[str, str], fft: str = "", comment: str = "",
                         comment_shared: bool | None = None, by: StaffMember, request,
                         submission_key: str = "") -> Feedback:
    """Feedback linked to a person (theirs, or their carer's about their care)."""
    if existing := _existing(submission_key):
        return existing
    errors = _check(answers, fft, comment, comment_shared)
    if channel not in (Channel.WITH_WORKER, Channel.PAPER):
        errors["channel"] = [CHANNEL_NOT_FOR_PERSON]
    if given_on > today():
        errors["given_on"] = [GIVEN_IN_FUTURE]
    # The caller reached the person through records.selectors (their scope); the feedback
    # belongs to the team caring for them now.
    episode = current_episode(person)
    if episode is None:
        errors.setdefault("__all__", []).append(NOT_ON_TEAM)
    if errors:
        raise ValidationFailed(errors)
    comment = comment.strip()
    feedback = Feedback.objects.create(
        team_id=episode.team_id, month=_month(given_on), given_on=given_on,
        respondent=Respondent(respondent).value, channel=channel, person=person,
        entered_by=by, fft=fft, comment=comment,
        comment_shared=comment_shared if comment else None,
        submission_key=submission_key, **{k: v for k, v in answers.items() if v})
    audit_record(request=request, person_id=person.pk, action=AuditAction.CREATE,
                 what=f"experience feedback ({Respondent(respondent).value}, {channel})")
    return feedback


@transaction.atomic
def feedback_anonymous(*, link: FeedbackLink | None = None, team_id: int | None = None,
                       respondent: str, answers: dict[str, str], fft: str = "",
                       comment: str = "", comment_shared: bool | None = None,
                       entered_by: StaffMember | None = None,
                       submission_key: str = "") -> Feedback:
    """Anonymous feedback: online through a team's link (`link`), or an unnamed paper form
    keyed in by staff (`team_id` and `entered_by`). Takes no request: there is nothing about
    the sender to record."""
    if existing := _existing(submission_key):
        return existing
    if link is not None and not link.active:
        raise ValidationFailed({"__all__": [LINK_REVOKED]})
    errors = _check(answers, fft, comment, comment_shared)
    if errors:
        raise ValidationFailed(errors)
    online = link is not None
    comment = comment.strip() if comment_shared is True else ""  # unshared: not kept
    return Feedback.objects.create(
        team_id=link.team_id if online else team_id, month=_month(today()),
        respondent=Respondent(respondent).value,
        channel=Channel.ONLINE if online else Channel.PAPER, person=None, given_on=None,
        entered_by=None if online else entered_by, fft=fft, comment=comment,
        comment_shared=True if comment else None, submission_key=submission_key,
        **{k: v for k, v in answers.items() if v})


@transaction.atomic
def link_create(*, team_id: int) -> FeedbackLink:
    return FeedbackLink.objects.create(team_id=team_id)


@transaction.atomic
def link_revoke(*, link: FeedbackLink) -> None:
    FeedbackLink.objects.filter(pk=link.pk).update(active=False)
