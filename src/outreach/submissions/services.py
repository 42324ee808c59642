"""One-time form keys: issued with the rendered form, claimed with the write.

- `new_key()` makes a key for a form being rendered and notes it for this request; the
  `IssueKeys` middleware stores the request's keys with the user and the page once the page
  has been rendered (status 200), so a key is only ever issued with a form someone saw.
- `claim()` is called in the transaction of the write (web.forms.save_form, handled): the
  first claim marks the key used; any later one finds it used and is told where the first
  went. A conditional UPDATE, or an INSERT under the key's unique constraint for a key not
  issued here (a form older than KEEP), so two claims racing each other cannot both win.
- Same content again: Back fetches a form page afresh, with a new key, while the browser
  puts back what was typed. A form whose content is identical to the same user's latest
  save through the same form, within REPEAT_WINDOW, is taken as that submission again
  (forms can opt out: `same_content_is_a_repeat = False`, e.g. keying in a pile of paper
  forms).
"""

import hashlib
import json
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from outreach.submissions.models import SubmissionKey

REPEAT_WINDOW = timedelta(minutes=15)
KEEP = timedelta(days=2)  # longer than a session (8 hours): an older form cannot be posted

_issued: ContextVar[list[str] | None] = ContextVar("outreach_issued_keys", default=None)
_request: ContextVar[object | None] = ContextVar("outreach_request", default=None)


@dataclass(frozen=True)
class Repeat:
    """A submission seen before: where it went and when it was saved."""

    redirect_to: str
    saved_at: datetime
    same_content: bool = False  # a fresh key, but the content of an earlier save


def new_key() -> str:
    key = uuid.uuid4().hex
    issued = _issued.get()
    if issued is not None:
        issued.append(key)
    return key


def current_request():
    return _request.get()


def _user_id(user) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def issue(keys: list[str], *, user, page: str, now: datetime | None = None) -> None:
    """Store the keys of the forms on a page just rendered; forget keys older than KEEP."""
    now = now or timezone.now()
    SubmissionKey.objects.filter(issued_at__lt=now - KEEP).delete()
    SubmissionKey.objects.bulk_create(
        [SubmissionKey(key=k, user_id=_user_id(user), page=page[:300], issued_at=now)
         for k in keys], ignore_conflicts=True)


# Not content: the key, and the version a form was rendered at (a page fetched again after
# the first save carries the next version, with the same answers).
NOT_CONTENT = frozenset({"submission_key", "version", "expected_version"})


def fingerprint(data: dict) -> str:
    """A hash of what a form says: its cleaned data without its key or version."""
    content = {k: str(v) for k, v in sorted(data.items()) if k not in NOT_CONTENT}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _first_use(key: str, *, user_id, form: str, fp: str, now: datetime) -> bool:
    """Mark the key used; False if it was used already (by this request's rivals too)."""
    if SubmissionKey.objects.filter(key=key, used_at__isnull=True).update(
            used_at=now, form=form[:300], fingerprint=fp, user_id=user_id):
        return True
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the caller's work intact
            SubmissionKey.objects.create(key=key, user_id=user_id, form=form[:300],
                                         issued_at=now, used_at=now, fingerprint=fp)
    except IntegrityError:
        return False  # the unique key: used before, or by a submission racing this one
    return True


def claim(*, key: str, user, form: str, data: dict | None = None,
          now: datetime | None = None, same_content_is_a_repeat: bool = True) -> Repeat | None:
    """Claim a form's key in the caller's transaction. None: this is the first submission,
    go on and write (then `settle` with the URL). A Repeat: do not write, go where it says."""
    now = now or timezone.now()
    user_id = _user_id(user)
    fp = fingerprint(data) if data is not None else ""
    if not _first_use(key, user_id=user_id, form=form, fp=fp, now=now):
        row = SubmissionKey.objects.get(key=key)
        return Repeat(row.redirect_to or form, row.used_at or now)
    if fp and same_content_is_a_repeat and user_id is not None:
        # The user's latest save through this form, if it said the same: an edit made,
        # changed and made again (X, Y, X) is saved each time.
        earlier = (SubmissionKey.objects
                   .filter(user_id=user_id, form=form[:300], used_at__gte=now - REPEAT_WINDOW)
                   .exclude(key=key).exclude(redirect_to="").order_by("-used_at", "-pk")
                   .first())
        if earlier is not None and earlier.fingerprint == fp:
            settle(key=key, redirect_to=earlier.redirect_to)
            return Repeat(earlier.redirect_to, earlier.used_at, same_content=True)
    return None


def settle(*, key: str, redirect_to: str) -> None:
    """Where the first submission with this key went: later claims go there too."""
    SubmissionKey.objects.filter(key=key).update(redirect_to=redirect_to[:500])


def used(key: str) -> Repeat | None:
    """The key's first submission, if it was made (a read, for a check before validation)."""
    row = (SubmissionKey.objects.filter(key=key, used_at__isnull=False)
           .exclude(redirect_to="").first()) if key else None
    return Repeat(row.redirect_to, row.used_at) if row else None


def recent_save(*, user, form: str, now: datetime | None = None) -> Repeat | None:
    """The user's latest save through this form within REPEAT_WINDOW, if any."""
    user_id = _user_id(user)
    if user_id is None:
        return None
    now = now or timezone.now()
    row = (SubmissionKey.objects
           .filter(user_id=user_id, form=form[:300], used_at__gte=now - REPEAT_WINDOW)
           .exclude(redirect_to="").order_by("-used_at").first())
    return Repeat(row.redirect_to, row.used_at) if row else None


class IssueKeys:
    """Middleware: collect the keys of the forms rendered in a request, store them once
    the page is rendered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        keys: list[str] = []
        issued_token, request_token = _issued.set(keys), _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _issued.reset(issued_token)
            _request.reset(request_token)
        if keys and response.status_code == 200:
            issue(keys, user=getattr(request, "user", None), page=request.path)
        return response
