from django import forms

from outreach.core import limits
from outreach.meetings.models import Outcome
from outreach.web.forms import OneSubmissionForm, text


class ActionForm(OneSubmissionForm):
    item_key = forms.CharField(widget=forms.HiddenInput, required=False)
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = text("Action", limits.ACTION, required=True,
                       error_messages={"required": "Say what needs to be done."})
    owner = forms.TypedChoiceField(label="Owner", coerce=int,
                                   error_messages={"required": "Choose who owns the action."})
    due = forms.DateField(label="Due", error_messages={
        "required": "Enter the date it is due.", "invalid": "Enter a real date."})

    def __init__(self, *args, team_staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Choose")] + [(s.pk, s.name) for s in team_staff]


class NoteForm(forms.Form):
    """An item marked discussed (handover) or the MDT's decision on it; the service says
    what an MDT decision must have (meetings.services.item_note_problems)."""

    item_key = forms.CharField(widget=forms.HiddenInput, max_length=120)
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = text("Decision", limits.MDT_DECISION)
    outcome = forms.ChoiceField(label="What did the MDT decide?", choices=Outcome.choices,
                                required=False, widget=forms.RadioSelect,
                                error_messages={"invalid_choice": "Choose what the MDT decided"})
