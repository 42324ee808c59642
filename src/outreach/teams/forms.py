from django import forms

from outreach.teams.models import AbsenceKind
from outreach.web.forms import OneSubmissionForm


def _date(label: str, required_message: str) -> forms.DateField:
    return forms.DateField(label=label, error_messages={
        "required": required_message, "invalid": "Enter a real date"})


class AbsenceForm(OneSubmissionForm):
    staff = forms.TypedChoiceField(label="Who is away", coerce=int, error_messages={
        "required": "Choose who is away", "invalid_choice": "Choose someone on your team"})
    kind = forms.ChoiceField(label="Why", choices=AbsenceKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose leave, sickness, training or "
                                                         "other"})
    start = _date("First day away", "Enter the first day away")
    end = _date("Last day away", "Enter the last day away (for sickness, the expected last "
                                 "day: it can be extended)")

    def __init__(self, *args, team_staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [("", "Choose")] + [(s.pk, s.name) for s in team_staff]


class CoverForm(OneSubmissionForm):
    staff = forms.TypedChoiceField(label="Who covers", coerce=int, error_messages={
        "required": "Choose who covers",
        "invalid_choice": "Choose a clinician on your team"})

    def __init__(self, *args, team_staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [("", "Choose")] + [
            (s.pk, f"{s.name} ({s.get_discipline_display()})") for s in team_staff]
