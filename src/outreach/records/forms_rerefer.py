"""The re-referral form: the route back in for someone the team held before."""

from django import forms

from outreach.core import limits
from outreach.records.forms_episode import NotFutureMixin, _date
from outreach.records.models import ReferralSource
from outreach.web.forms import OneSubmissionForm, text


class ReReferForm(NotFutureMixin, OneSubmissionForm):
    not_future = ("referral_date",)

    referral_date = _date("Date of referral", "Enter the date of the referral")
    referral_source = forms.ChoiceField(
        label="Who referred them?", choices=ReferralSource.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose who referred them"})
    key_worker = forms.TypedChoiceField(label="Key worker", coerce=int, error_messages={
        "required": "Choose the key worker", "invalid_choice": "Choose someone on your team"})
    note = text("What brings them back (optional)", limits.CONTACT_NOTE,
                what="What brings them back")

    def __init__(self, *args, team_staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].choices = [(s.pk, s.name) for s in team_staff]
