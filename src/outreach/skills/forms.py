from django import forms

from outreach.web.forms import OneSubmissionForm


def _date(label: str, required: bool = True, required_message: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, error_messages={
        "required": required_message, "invalid": "Enter a real date"})


class TrainingForm(OneSubmissionForm):
    competency = forms.TypedChoiceField(label="Competency", coerce=int, error_messages={
        "required": "Choose the competency", "invalid_choice": "Choose a competency"})
    completed_on = _date("Date completed", required_message="Enter the date it was completed")
    expires_on = _date("Expiry date (optional)", required=False)
    provider = forms.CharField(label="Course or provider (optional)", required=False,
                               max_length=200)

    def __init__(self, *args, competencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [("", "Choose")] + [
            (c.pk, c.title) for c in competencies]


class AmendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    completed_on = _date("Date completed", required_message="Enter the date it was completed")
    expires_on = _date("Expiry date (leave blank if it does not expire)", required=False)
    provider = forms.CharField(label="Course or provider (optional)", required=False,
                               max_length=200)
    reason = forms.CharField(label="Why is it being changed?", widget=forms.Textarea,
                             error_messages={"required": "Say why the record is being changed"})


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Why was it entered in error?", widget=forms.Textarea,
                             error_messages={"required": "Say why the record is withdrawn"})
