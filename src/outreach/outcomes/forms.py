"""Forms for the history the outcomes need. Required fields are checked by the services, so
that every error is reported at once."""

from django import forms

from outreach.core import limits
from outreach.outcomes.models import CrisisKind, EmploymentStatus
from outreach.web.forms import DatesFrom1900, text

DATE_HINT = "For example, 2024-03-17"


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, required=False,
                           error_messages={"invalid": f"{label} must be a real date."})


class HospitalSpellForm(DatesFrom1900):
    admitted_on = _date("Date of admission")
    discharged_on = _date("Date of discharge (leave blank if still in hospital)")
    detained = forms.TypedChoiceField(
        label="Detained under the Mental Health Act for any of the stay?",
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda v: v == "yes", required=False,
        empty_value=False, widget=forms.RadioSelect)
    hospital = text("Hospital and ward (optional)", limits.SHORT_LABEL, textarea=False)


class CrisisEpisodeForm(DatesFrom1900):
    kind = forms.ChoiceField(label="Crisis service", choices=CrisisKind.choices,
                             required=False, widget=forms.RadioSelect)
    start = _date("Date it began")
    end = _date("Date it ended (optional)")


class EmploymentForm(DatesFrom1900):
    assessed_on = _date("Date")
    status = forms.ChoiceField(label="Employment status", choices=EmploymentStatus.choices,
                               required=False, widget=forms.RadioSelect)
