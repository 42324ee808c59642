from django import forms

from outreach.core import limits
from outreach.records.models import ContactMode, ContactOutcome, ContactPlace, ContactWith
from outreach.web.forms import OneSubmissionForm, text

DNA_LIKE = (ContactOutcome.DID_NOT_ATTEND, ContactOutcome.NO_ACCESS)


class ContactForm(OneSubmissionForm):
    noun = "contact"
    outcome = forms.ChoiceField(label="What happened?", choices=ContactOutcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Choose what happened"})
    date = forms.DateField(label="Date", error_messages={
        "required": "Enter the date of the contact", "invalid": "Enter a real date"})
    time = forms.TimeField(label="Time (optional)", required=False,
                           error_messages={"invalid": "Enter a time like 14:30"})
    mode = forms.ChoiceField(label="How", choices=ContactMode.choices, widget=forms.RadioSelect)
    place = forms.ChoiceField(label="Where", choices=ContactPlace.choices,
                              widget=forms.RadioSelect)
    with_whom = forms.ChoiceField(label="With", choices=ContactWith.choices,
                                  widget=forms.RadioSelect)
    second_staff = forms.TypedChoiceField(label="Second worker (optional)", required=False,
                                          coerce=int, empty_value=None)
    duration_minutes = forms.IntegerField(label="Minutes (optional)", required=False,
                                          min_value=1, max_value=24 * 60, error_messages={
                                              "invalid": "Enter the minutes as a number"})
    note = text("Note", limits.CONTACT_NOTE)
    planned_visit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, team_staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["second_staff"].choices = [("", "Nobody")] + [
            (s.pk, s.name) for s in team_staff
        ]


class PlannedVisitForm(OneSubmissionForm):
    noun = "visit"
    date = forms.DateField(label="Date", error_messages={
        "required": "Enter the date of the visit", "invalid": "Enter a real date"})
    time = forms.TimeField(label="Time (optional)", required=False,
                           error_messages={"invalid": "Enter a time like 14:30"})
    staff = forms.TypedChoiceField(label="Worker", coerce=int)
    place = forms.ChoiceField(label="Where", choices=ContactPlace.choices,
                              widget=forms.RadioSelect)
    purpose = text("Purpose (optional)", limits.SHORT_LABEL, textarea=False)

    def __init__(self, *args, team_staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [(s.pk, s.name) for s in team_staff]
