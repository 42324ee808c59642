from django import forms

from outreach.core import limits
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
    item_key = forms.CharField(widget=forms.HiddenInput)
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.CharField(label="Decision", widget=forms.Textarea, required=False)
