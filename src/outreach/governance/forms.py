"""Governance forms: plain Django forms rendered with the NHS.UK macros (web/fields.jinja).
The services do the real validation; these only parse."""

from django import forms

from outreach.core import limits
from outreach.core.fidelity import DACTS, STATUS_LABELS, Status
from outreach.governance.models import ActionStatus, Partner, Section, Timeframe
from outreach.web.forms import DatesFrom1900, text

DATE_ERRORS = {"required": "Enter a date.", "invalid": "Enter a real date, for example 2026-11-23."}


def _text(label: str, *, required: bool = False, rows: bool = True, **kwargs) -> forms.Field:
    return text(label, limits.NARRATIVE if rows else limits.SHORT_LABEL, textarea=rows,
                required=required, strip=True, **kwargs)


class FeatureForm(DatesFrom1900):
    status = forms.ChoiceField(
        label="Is the feature in place?", widget=forms.RadioSelect,
        choices=[(s.value, STATUS_LABELS[s]) for s in Status],
        error_messages={"required": "Choose met, partly met or not met."})
    evidence = _text("Evidence", required=True,
                     error_messages={"required": "Write the evidence for this rating."})
    gaps = _text("Gaps and barriers (workforce, resourcing)")
    assessed_on = forms.DateField(label="Date of the assessment", error_messages=DATE_ERRORS)


class DactsForm(DatesFrom1900):
    """All 28 items: a score (radios, each labelled with its anchor) and the evidence."""

    assessed_on = forms.DateField(label="Date of the review", error_messages=DATE_ERRORS)
    reviewers = _text("Who else took part (optional)", rows=False)
    notes = _text("Notes (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in DACTS:
            self.fields[f"score_{item.code}"] = forms.TypedChoiceField(
                label=f"{item.code} {item.name}", coerce=int, required=False,
                widget=forms.RadioSelect,
                choices=[(str(n), f"{n}: {anchor}") for n, anchor in enumerate(item.anchors, 1)],
            )
            self.fields[f"evidence_{item.code}"] = _text(f"Evidence for {item.code}")

    def scores(self) -> dict[str, int | None]:
        return {i.code: self.cleaned_data.get(f"score_{i.code}") or None for i in DACTS}

    def evidence(self) -> dict[str, str]:
        return {i.code: self.cleaned_data.get(f"evidence_{i.code}", "") for i in DACTS}


class ReturnForm(DatesFrom1900):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = text("Title", limits.SHORT_LABEL, textarea=False)
    organisation = text("Integrated care board", limits.SHORT_LABEL, textarea=False)
    as_of = forms.DateField(label="Figures as on", error_messages=DATE_ERRORS)
    partners = forms.MultipleChoiceField(
        label="Who was involved in the review (NHS England guidance, chapter 5)", required=False,
        widget=forms.CheckboxSelectMultiple, choices=Partner.choices)
    policies_reviewed = _text("Policies and practices reviewed")
    cohort = _text("How people in scope are identified (NHS England guidance, chapter 2)")
    gaps_workforce = _text("Gaps and barriers: workforce")
    gaps_resourcing = _text("Gaps and barriers: resourcing")
    barriers = _text("Other gaps and barriers")
    dna_policy_confirmed = forms.BooleanField(
        label="We confirm that service policies and practice are clear that did-not-attend "
              "(DNA) is never a reason for discharge for this group", required=False)


class ActionForm(DatesFrom1900):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    section = forms.ChoiceField(label="Section", choices=Section.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Choose a section."})
    action = _text("Action", error_messages={"required": "Describe the action."})
    timeframe = forms.ChoiceField(label="Timeframe", choices=Timeframe.choices,
                                  widget=forms.RadioSelect,
                                  error_messages={"required": "Choose a timeframe."})
    lead_organisation = text("Lead organisation", limits.SHORT_LABEL, textarea=False)
    due_date = forms.DateField(label="Due date (leave empty if to be confirmed)",
                               required=False, error_messages=DATE_ERRORS)
    cost_implication = text(
        "Cost implication", 100, textarea=False,
        help_text="As the plan writes it: None, £50k, Yes* (indicative, needs analysis), TBC")


class ActionStatusForm(DatesFrom1900):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Choose a status."})
    on = forms.DateField(label="Date", error_messages=DATE_ERRORS)
    note = _text("What happened", error_messages={"required": "Write a note on the change."})
