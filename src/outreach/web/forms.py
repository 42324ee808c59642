"""Form helpers shared by every app's pages.

Forms are plain Django forms rendered with NHS.UK components (jinja2/web/fields.jinja).
Services do the real validation and raise ValidationFailed with field errors; `add_errors`
puts those on the form so they show in the NHS.UK error summary and next to the field.
"""

import uuid

from django import forms


class OneSubmissionForm(forms.Form):
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
