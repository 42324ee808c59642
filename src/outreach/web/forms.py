"""Form helpers shared by every app's pages.

Forms are plain Django forms rendered with NHS.UK components (jinja2/web/fields.jinja).
Services do the real validation and raise ValidationFailed with field errors; `add_errors`
puts those on the form so they show in the NHS.UK error summary and next to the field.

One entry per form: services without a submission key column of their own are protected from a
double submission by keeping the form's one-time key (OneSubmissionForm) in the session with
the page the first submission went to; a second submission of the same form goes there too and
makes no second entry. The key is read under a lock on the session's row and saved in the
request's transaction (ATOMIC_REQUESTS) with the entry: a second submission racing the first
waits for it, then sees its key. An entry and its key are committed together or not at all.

`save_form` is the one way a page saves a valid posted form through its service: the
redirect when saved, or the form again with the service's errors or a stale edit.
"""

import uuid
from collections.abc import Callable

from django import forms
from django.contrib.sessions.backends.db import SessionStore as DatabaseSession
from django.http import HttpResponse
from django.shortcuts import redirect

from outreach.core import limits
from outreach.records.services import STALE_EDIT, StaleEdit, ValidationFailed

HANDLED = "outreach.handled_submissions"
HANDLED_KEEP = 100


def text(label: str, limit: int, *, textarea: bool = True, required: bool = False,
         what: str | None = None, error_messages: dict | None = None,
         **kwargs) -> forms.CharField:
    """Free text held to its core.limits limit, refused NHS.UK style ("Note must be 5,000
    characters or fewer"); `what` names it in that message when the label is a question.
    The limit is not put in a maxlength attribute: a browser would cut a pasted note short
    without saying so."""
    return forms.CharField(
        label=label, max_length=limit, required=required,
        widget=forms.Textarea if textarea else forms.TextInput,
        error_messages={"max_length": limits.too_long(what or label, limit),
                        **(error_messages or {})},
        **kwargs,
    )


def limit_messages(field: forms.CharField, what: str) -> forms.CharField:
    """The NHS.UK message for a field whose max_length was set elsewhere."""
    field.error_messages["max_length"] = limits.too_long(what, field.max_length)
    return field


class DatesFrom1900(forms.Form):
    """No date before 1900 in a form (core.limits): a year typed as 1800 is a slip."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if isinstance(field, forms.DateField) and value is not None:
                for message in limits.date_problems(value):
                    self.add_error(name, message)
        return cleaned


class OneSubmissionForm(DatesFrom1900):
    """Carries a one-time key so that a form submitted twice creates one entry."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)


def add_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    for name, messages in errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def error_list(form: forms.Form) -> list[dict]:
    """The NHS.UK error summary's list: each message linked to its field."""
    items = []
    for name, messages in form.errors.items():
        anchor = f"#id_{name}" if name != "__all__" else "#main-form"
        if name in form.fields and isinstance(form.fields[name].widget,
                                              forms.RadioSelect | forms.CheckboxSelectMultiple):
            anchor = f"#id_{name}_0"
        items.extend({"text": str(m), "href": anchor} for m in messages)
    return items


def _handled(request) -> dict[str, str]:
    """Keys of the forms already saved in this session, read afresh under a row lock."""
    session = request.session
    if isinstance(session, DatabaseSession) and session.session_key:
        row = (session.model.objects.select_for_update()
               .filter(session_key=session.session_key).first())
        if row is not None:
            return dict(session.decode(row.session_data).get(HANDLED) or {})
    return dict(session.get(HANDLED) or {})


def handled_redirect(request, key: str | None) -> str | None:
    """Where the first submission with this one-time key went, if it was already handled."""
    return _handled(request).get(key) if key else None


def remember_handled(request, key: str | None, url: str) -> None:
    if not key:
        return
    handled = _handled(request)
    handled[key] = url
    # Dicts keep insertion order: drop the oldest keys beyond the limit.
    request.session[HANDLED] = dict(list(handled.items())[-HANDLED_KEEP:])
    request.session.save()  # now, in the request's transaction, with the entry


def repeated(request):
    """A redirect to where this POST went the first time, if it repeats a handled form."""
    if request.method != "POST":
        return None
    url = handled_redirect(request, request.POST.get("submission_key"))
    return redirect(url) if url else None


def handled(request, form: forms.Form, url: str):
    """Remember that this form was handled, and go where it went."""
    remember_handled(request, form.cleaned_data.get("submission_key"), url)
    return redirect(url)


def save_form(request, form: forms.Form, save: Callable[[dict], str], *,
              remember: bool = True) -> HttpResponse | None:
    """Save a valid posted form through its service; the redirect when saved, else None.

    Every page wrote the same try/except around its service: this is it, once, so that the
    service's field errors, a stale edit and the one-time key are treated alike everywhere.
    `save(cleaned_data)` calls the service and returns the URL to go to. The form's one-time
    key (if any) is remembered with that URL (`handled`); `remember=False` where the service
    keeps the key in a column of its own. None means show the form again: not a POST, an
    invalid form, the service's field errors put on the form (a form's own
    `add_service_errors` maps them, if it has one), or a stale edit (a non-field error, and
    `form.stale` for the pages that answer 409). A page that may be re-posted checks
    `repeated` first, before it looks anything up.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        url = save(form.cleaned_data)
    except ValidationFailed as exc:
        put = getattr(form, "add_service_errors", None)
        if put is not None:
            put(exc.errors)
        else:
            add_errors(form, exc.errors)
        return None
    except StaleEdit:
        form.add_error(None, STALE_EDIT)
        form.stale = True
        return None
    return handled(request, form, url) if remember else redirect(url)
