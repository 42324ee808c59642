"""Form helpers shared by every app's pages.

Forms are plain Django forms rendered with NHS.UK components (jinja2/web/fields.jinja).
Services do the real validation and raise ValidationFailed with field errors; `add_errors`
puts those on the form so they show in the NHS.UK error summary and next to the field.

One entry per form: a form's one-time key (OneSubmissionForm) is issued with the rendered
form and kept in the database (outreach.submissions), and claimed in the same transaction
as the write: a second submission of the same form (a double tap, a page restored by Back)
makes no second entry and goes where the first went, even racing it (the key's unique
constraint). Back can also fetch the form page afresh with a new key while the browser puts
back what was typed: the same content saved by the same user through the same form within
minutes is taken as that submission again, and the form page says when it was saved.

`save_form` is the one way a page saves a valid posted form through its service: the
redirect when saved, or the form again with the service's errors or a stale edit.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages as notices
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from outreach.core import limits
from outreach.records.services import STALE_EDIT, StaleEdit, ValidationFailed
from outreach.submissions import services as submissions

SAVED_ALREADY = "This {noun} was already saved at {time}. It has not been saved twice."


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
    """Carries a one-time key so that a form submitted twice creates one entry.

    `noun` names what the form saves, in the notices ("You saved this contact at 10:42");
    `same_content_is_a_repeat = False` where saving identical content twice in a row is
    normal (keying in a pile of paper forms)."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)
    noun = "form"
    same_content_is_a_repeat = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.recent_save = None
        if not self.is_bound:
            self.initial.setdefault("submission_key", submissions.new_key())
            request = submissions.current_request()
            if request is not None:
                self.recent_save = submissions.recent_save(
                    user=getattr(request, "user", None), form=request.path)


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


def _time(when) -> str:
    return timezone.localtime(when).strftime("%H:%M")


def _repeat(request, repeat: submissions.Repeat, noun: str = "form"):
    notices.info(request, SAVED_ALREADY.format(noun=noun, time=_time(repeat.saved_at)),
                 fail_silently=True)
    return redirect(repeat.redirect_to)


def handled_redirect(request, key: str | None) -> str | None:
    """Where the first submission with this one-time key went, if it was already saved."""
    repeat = submissions.used(key) if key else None
    return repeat.redirect_to if repeat else None


def repeated(request):
    """A redirect to where this POST went the first time, if it repeats a saved form."""
    if request.method != "POST":
        return None
    repeat = submissions.used(request.POST.get("submission_key") or "")
    return _repeat(request, repeat) if repeat else None


def handled(request, form: forms.Form, url: str):
    """Claim the form's key for the write this request just made, and go where it went. If
    the key was used first by a submission racing this one, this request's write is rolled
    back (the request's transaction) and the user goes where the first went."""
    key = form.cleaned_data.get("submission_key")
    if key:
        repeat = submissions.claim(key=key, user=getattr(request, "user", None),
                                   form=request.path)
        if repeat is not None:
            if transaction.get_connection().in_atomic_block:
                transaction.set_rollback(True)
            return _repeat(request, repeat, getattr(form, "noun", "form"))
        submissions.settle(key=key, redirect_to=url)
    return redirect(url)


def save_form(request, form: forms.Form, save: Callable[[dict], str], *,
              remember: bool = True) -> HttpResponse | None:
    """Save a valid posted form through its service; the redirect when saved, else None.

    Every page wrote the same try/except around its service: this is it, once, so that the
    service's field errors, a stale edit and the one-time key are treated alike everywhere.
    `save(cleaned_data)` calls the service and returns the URL to go to. The form's one-time
    key (if any) is claimed first, in the same transaction as the write: a key used before,
    or the same content saved moments ago, goes where the first went and writes nothing.
    None means show the form again: not a POST, an invalid form, the service's field errors
    put on the form (a form's own `add_service_errors` maps them, if it has one), or a stale
    edit (a non-field error, and `form.stale` for the pages that answer 409).
    `remember` is accepted for older callers and ignored: every key is kept now.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    key = form.cleaned_data.get("submission_key") if "submission_key" in form.fields else None
    try:
        with transaction.atomic():  # the claim and the write: both or neither
            if key:
                repeat = submissions.claim(
                    key=key, user=getattr(request, "user", None), form=request.path,
                    data=form.cleaned_data,
                    same_content_is_a_repeat=getattr(form, "same_content_is_a_repeat", True))
                if repeat is not None:
                    return _repeat(request, repeat, getattr(form, "noun", "form"))
            url = save(form.cleaned_data)
            if key:
                submissions.settle(key=key, redirect_to=url)
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
    return redirect(url)
