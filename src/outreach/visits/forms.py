from django import forms

from outreach.records.selectors import today
from outreach.web.forms import DatesFrom1900, OneSubmissionForm

REPLAN_KINDS = [
    ("no_access", "A visit found nobody in: try again later"),
    ("crisis", "Someone needs a crisis visit today"),
    ("off_sick", "This worker has gone off sick"),
]


class PlanWeekForm(OneSubmissionForm):
    start = forms.DateField(label="First day to plan", error_messages={
        "required": "Enter the first day to plan", "invalid": "Enter a real date"})


class AdjustForm(DatesFrom1900):
    date = forms.DateField(label="Day", error_messages={
        "required": "Enter the day of the visit", "invalid": "Enter a real date"})
    time = forms.TimeField(label="Time", error_messages={
        "required": "Enter the time of the visit", "invalid": "Enter a time like 14:30"})
    staff = forms.TypedChoiceField(label="Worker", coerce=int, error_messages={
        "required": "Choose the worker", "invalid_choice": "Choose a worker on the team"})
    second_staff = forms.TypedChoiceField(label="Second worker (optional)", required=False,
                                          coerce=int, empty_value=None, error_messages={
                                              "invalid_choice": "Choose a worker on the team"})
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, team_staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [(s.pk, s.name) for s in team_staff]
        self.fields["second_staff"].choices = [("", "Nobody")] + [
            (s.pk, s.name) for s in team_staff
        ]


class ReplanForm(OneSubmissionForm):
    kind = forms.ChoiceField(label="What happened?", choices=REPLAN_KINDS,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Choose what happened"})
    at = forms.TimeField(label="When", error_messages={
        "required": "Enter when it happened", "invalid": "Enter a time like 14:30"})
    visit = forms.TypedChoiceField(label="The visit with no access", required=False,
                                   coerce=int, empty_value=None)
    person = forms.TypedChoiceField(label="Who needs the crisis visit", required=False,
                                    coerce=int, empty_value=None)
    within_hours = forms.IntegerField(label="Seen within (hours)", required=False,
                                      min_value=1, max_value=12, error_messages={
                                          "invalid": "Enter the hours as a number"})
    minutes = forms.IntegerField(label="Visit length (minutes)", required=False, min_value=15,
                                 max_value=240, error_messages={
                                     "invalid": "Enter the minutes as a number"})
    two_staff = forms.BooleanField(label="Two staff must go", required=False)
    until = forms.DateField(label="Off until (optional)", required=False, error_messages={
        "invalid": "Enter a real date"})

    def __init__(self, *args, visits=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].choices = [("", "Choose the visit")] + list(visits)
        self.fields["person"].choices = [("", "Choose the person")] + list(people)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "no_access" and not data.get("visit"):
            self.add_error("visit", "Choose the visit that found nobody in")
        if kind == "crisis":
            if not data.get("person"):
                self.add_error("person", "Choose who needs the crisis visit")
            data["within_hours"] = data.get("within_hours") or 4
            data["minutes"] = data.get("minutes") or 60
        if kind == "off_sick" and data.get("until") and data["until"] < today():
            self.add_error("until", "The last day off cannot be before today")
        return data
