from django import forms

from outreach.core import limits
from outreach.web.forms import DatesFrom1900, OneSubmissionForm, text


def _date(label: str, required: bool = True, required_message: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, error_messages={
        "required": required_message, "invalid": "Enter a real date"})


class TrainingForm(OneSubmissionForm):
    competency = forms.TypedChoiceField(label="Competency", coerce=int, error_messages={
        "required": "Choose the competency", "invalid_choice": "Choose a competency"})
    completed_on = _date("Date completed", required_message="Enter the date it was completed")
    expires_on = _date("Expiry date (optional)", required=False)
    provider = text("Course or provider (optional)", limits.SHORT_LABEL, textarea=False)

    def __init__(self, *args, competencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [("", "Choose")] + [
            (c.pk, c.title) for c in competencies]


class AmendForm(DatesFrom1900):
    version = forms.IntegerField(widget=forms.HiddenInput)
    completed_on = _date("Date completed", required_message="Enter the date it was completed")
    expires_on = _date("Expiry date (leave blank if it does not expire)", required=False)
    provider = text("Course or provider (optional)", limits.SHORT_LABEL, textarea=False)
    reason = text("Why is it being changed?", limits.REASON, required=True, what="The reason",
                  error_messages={"required": "Say why the record is being changed"})


class WithdrawForm(DatesFrom1900):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = text("Why was it entered in error?", limits.REASON, required=True,
                  what="The reason",
                  error_messages={"required": "Say why the record is withdrawn"})
