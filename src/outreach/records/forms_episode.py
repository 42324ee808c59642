"""Forms for registration, referral decisions, transitions, discharge, MDT proposals, the annual
review and key worker changes. The services do the real validation (the guard, the criteria);
these parse input and say what to enter, NHS.UK style.

Services without a submission key of their own are protected from a double submission by
`web.forms.repeated` / `web.forms.handled` (the one-time key kept in the session).
"""

from django import forms
from django.utils import timezone

from outreach.core import discharge as discharge_rules
from outreach.core import eligibility, limits, nhs_number
from outreach.records.models import EpisodeStatus, ReferralSource, TransitionKind
from outreach.records.services import FUTURE_DATE
from outreach.web.forms import OneSubmissionForm, text


def _date(label: str, required_message: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, error_messages={
        "required": required_message, "invalid": "Enter a real date"}, **kwargs)


class NotFutureMixin:
    """Date fields named in not_future cannot be after today."""

    not_future: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in self.not_future:
            value = cleaned.get(name)
            if value is not None and value > today:
                self.add_error(name, FUTURE_DATE)
        return cleaned


class VersionedForm(OneSubmissionForm):
    """Carries the episode's version as read; a missing or tampered one is a stale edit."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReferralFields(OneSubmissionForm):
    """A referral's date, source and key worker (one of `team_staff`): registration and
    re-referral ask the same."""

    referral_date = _date("Date of referral", "Enter the date of the referral")
    referral_source = forms.ChoiceField(
        label="Who referred them?", choices=ReferralSource.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose who referred them"})
    key_worker = forms.TypedChoiceField(label="Key worker", coerce=int, error_messages={
        "required": "Choose the key worker", "invalid_choice": "Choose someone on your team"})

    def __init__(self, *args, team_staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].choices = [(s.pk, s.name) for s in team_staff]


class RegisterForm(ReferralFields):
    field_order = ("nhs_number", "given_name", "family_name", "date_of_birth",
                   "referral_date", "referral_source", "key_worker")
    nhs_number = text("NHS number", 20, textarea=False, required=True, error_messages={
        "required": "Enter the person's NHS number"})
    given_name = text("Given name", limits.NAME, textarea=False, required=True,
                      error_messages={"required": "Enter the person's given name"})
    family_name = text("Family name", limits.NAME, textarea=False, required=True,
                       error_messages={"required": "Enter the person's family name"})
    date_of_birth = _date("Date of birth", "Enter the person's date of birth")

    def clean_nhs_number(self) -> str:
        """Checked here too, so that its error shows with the others on the first try."""
        try:
            return nhs_number.validate(self.cleaned_data["nhs_number"])
        except nhs_number.InvalidNHSNumber as exc:
            raise forms.ValidationError(str(exc)) from exc


CRITERIA_CHOICES = [(c.value, eligibility.DESCRIPTIONS[c]) for c in eligibility.Criterion]


def _criteria_field(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=CRITERIA_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose criteria from the list"},
    )


class AcceptForm(NotFutureMixin, VersionedForm):
    not_future = ("assessment_date", "accepted_date")
    criteria = _criteria_field("Which chapter 2 criteria does the person meet?")
    other_reason = text("The team's reason in words (optional)", limits.REASON,
                        what="The team's reason")
    assessment_date = _date("Date of assessment", "Enter the date of the assessment")
    accepted_date = _date("Date accepted", "Enter the date the team accepted them")


class DeclineForm(NotFutureMixin, VersionedForm):
    not_future = ("assessment_date", "decided_on")
    criteria = _criteria_field("Which chapter 2 criteria were found at assessment?")
    reasons = text("Why the team is not accepting the referral", limits.NARRATIVE,
                   what="The reasons")
    assessment_date = _date("Date of assessment", "Enter the date of the assessment")
    decided_on = _date("Date of the decision", "Enter the date of the decision")


# What each status can change to here; leaving the team is a discharge (with its record).
TRANSITIONS_FROM = {
    EpisodeStatus.ACCEPTED: (
        TransitionKind.STEP_UP_CRISIS, TransitionKind.STEP_UP_ACUTE,
        TransitionKind.STEP_UP_FORENSIC, TransitionKind.STEP_UP_REHAB, TransitionKind.ADMITTED,
    ),
    EpisodeStatus.STEPPED_UP: (
        TransitionKind.STEPPED_DOWN, TransitionKind.ADMITTED, TransitionKind.STEP_UP_CRISIS,
        TransitionKind.STEP_UP_ACUTE, TransitionKind.STEP_UP_FORENSIC,
        TransitionKind.STEP_UP_REHAB,
    ),
    EpisodeStatus.INPATIENT: (TransitionKind.LEFT_HOSPITAL,),
}


class TransitionForm(NotFutureMixin, VersionedForm):
    not_future = ("on",)
    kind = forms.ChoiceField(label="What has changed?", widget=forms.RadioSelect,
                             error_messages={"required": "Choose what has changed",
                                             "invalid_choice": "Choose what has changed"})
    on = _date("Date", "Enter the date of the change")
    note = text("Note (optional)", limits.CONTACT_NOTE)

    def __init__(self, *args, status: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k.value, k.label) for k in TRANSITIONS_FROM.get(status, ())
        ]


ALLOWED_REASON_CHOICES = [
    (r.value, discharge_rules.LABELS[r])
    for r in discharge_rules.DischargeReason if r in discharge_rules.ALLOWED_REASONS
]


class GuardedReasonField(forms.ChoiceField):
    """Offers only the reasons the guard allows, but passes any value on, so that a tampered
    non-engagement reason is refused by the guard itself, with the rule it breaks."""

    def valid_value(self, value) -> bool:
        return True


SHARED_WITH_CHOICES = [(who, who) for who in (
    "The person", "Their GP", "Their carer or family", "The team or service they move to",
)]


class DecisionRecordForm(OneSubmissionForm):
    """The decision record of design rule 1. Blank fields are refused by the guard, all at
    once and field by field, rather than here."""

    reason = GuardedReasonField(label="Reason", choices=ALLOWED_REASON_CHOICES, required=False,
                                widget=forms.RadioSelect)
    rationale = text("Why the person is being discharged", limits.DECISION_RECORD,
                     what="The rationale")
    relapse_indicators = text("Their relapse indicators (early warning signs)",
                              limits.DECISION_RECORD, what="The relapse indicators")
    known_risks = text("Known risks if a relapse is not responded to promptly",
                       limits.DECISION_RECORD, what="The known risks")
    route_back_in = text("How the person, their family or GP get back to the team",
                         limits.DECISION_RECORD, what="The route back in")
    shared_with = forms.MultipleChoiceField(
        label="Who the decision record was shared with", choices=SHARED_WITH_CHOICES,
        required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the list, or enter others below"})
    shared_with_other = text("Anyone else it was shared with (optional)", 500,
                             textarea=False, what="Others it was shared with")
    receiving_team = text("The team taking over their care", limits.SHORT_LABEL,
                          textarea=False, what="The receiving team",
                          help_text="For a step-down or transfer: the community mental health "
                                    "team, or the team of the area they have moved to")
    accepted_by = text("Who in that team accepted them", limits.SHORT_LABEL, textarea=False,
                       what="Who accepted them",
                       help_text="For a transfer: name and role, for example Dr A Khan, "
                                 "consultant")
    accepted_on = _date("Date they accepted", "Enter the date they accepted", required=False)
    died_on = _date("Date of death", "Enter the date of death", required=False)

    def record(self) -> dict:
        data = self.cleaned_data
        others = [w.strip() for w in data["shared_with_other"].split(",") if w.strip()]
        return {
            "reason": data["reason"] or "",
            "rationale": data["rationale"], "relapse_indicators": data["relapse_indicators"],
            "known_risks": data["known_risks"], "route_back_in": data["route_back_in"],
            "shared_with": [*data["shared_with"], *others],
            "receiving_team": data["receiving_team"], "accepted_by": data["accepted_by"],
            "accepted_on": data["accepted_on"], "died_on": data["died_on"],
        }

    def guard_problems(self) -> dict[str, list[str]]:
        """The guard's problems for whatever was entered, to show alongside a form error
        (nothing is attempted until the form itself is valid)."""
        raw = self.data
        others = [w for w in raw.get("shared_with_other", "").split(",") if w.strip()]
        record = discharge_rules.DecisionRecord(
            rationale=raw.get("rationale", ""),
            relapse_indicators=raw.get("relapse_indicators", ""),
            known_risks=raw.get("known_risks", ""), route_back_in=raw.get("route_back_in", ""),
            shared_with=tuple(raw.getlist("shared_with")) + tuple(others),
        )
        problems: dict[str, list[str]] = {}
        for p in discharge_rules.check_discharge(raw.get("reason", ""), record).problems:
            if p.field not in self.errors:
                problems.setdefault(p.field, []).append(p.message)
        return problems


class ProposalForm(DecisionRecordForm):
    pass


class ProposalDecisionForm(NotFutureMixin, OneSubmissionForm):
    """The MDT's decision on a proposed end of care: agreed only by the consultant."""

    not_future = ("mdt_held_on",)
    decision = forms.ChoiceField(
        label="What did the MDT decide?", widget=forms.RadioSelect,
        choices=[("agreed", "Agreed, with the consultant: the end of care can be carried out"),
                 ("not_agreed", "Not agreed: the person stays with the team")],
        error_messages={"required": "Choose what the MDT decided",
                        "invalid_choice": "Choose what the MDT decided"})
    mdt_held_on = _date("Date of the MDT", "Enter the date of the MDT that discussed it")
    note = text("The MDT's reasons", limits.MDT_DECISION, required=True,
                error_messages={"required": "Enter the MDT's reasons for its decision"})


class CarryOutForm(NotFutureMixin, VersionedForm):
    """Carry out an end of care the MDT agreed: the date the person leaves the team."""

    not_future = ("on",)
    on = _date("Date of discharge", "Enter the date of discharge")


class AnnualReviewForm(OneSubmissionForm):
    held_on = _date("Date the review was held", "Enter the date the review was held")
    agencies = text("Who took part", limits.PERSON_DETAIL)
    outcome = text("What the review found and agreed", limits.NARRATIVE,
                   what="What the review found")


class KeyWorkerForm(NotFutureMixin, OneSubmissionForm):
    not_future = ("start",)
    staff = forms.TypedChoiceField(label="New key worker", coerce=int, error_messages={
        "required": "Choose the new key worker",
        "invalid_choice": "Choose a clinician on your team"})
    start = _date("Key worker from", "Enter the date they take over")

    def __init__(self, *args, team_staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [("", "Choose")] + [(s.pk, s.name) for s in team_staff]
