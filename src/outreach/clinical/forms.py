"""Forms for the clinical record's pages.

The forms only turn what was typed into Python values (dates, numbers, lists); the services in
clinical/services.py do the real checking and raise ValidationFailed with field errors, which
`EntryForm.add_service_errors` puts on the right field of the form.

Every form carries a one-time submission key (OneSubmissionForm): see views/common.py for how
a second submission of the same form makes no second entry.

Lists inside a form (care plan actions, early warning signs, substance use, police contacts)
are rows of ordinary fields named `<rows>_<n>_<column>`, with a hidden `<rows>_rows` count;
a blank row is ignored, and "Add another" re-shows the form with one more row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.forms.utils import ErrorDict

from outreach.clinical import services
from outreach.clinical.config import clinical_config
from outreach.clinical.models import (
    DIALOG_MAX,
    DIALOG_MIN,
    AccommodationStatus,
    DialogItem,
    DoseOutcome,
    InjectionSite,
    MHASection,
    MultiAgencyKind,
    OTAssessmentKind,
    SmokingStatus,
)
from outreach.core import depots, limits
from outreach.records.services import REASON_REQUIRED
from outreach.web.forms import OneSubmissionForm, add_errors

MAX_ROWS = 40
NOTHING_CHANGED = "You have not changed anything. Change the entry, or go back."


# --- Field helpers ---------------------------------------------------------------------------


def date_field(what: str, *, label: str, hint: str = "") -> forms.DateField:
    """A date typed as YYYY-MM-DD (the date input); a date that does not exist is refused
    here ("The {what} must be a real date."). Whether it may be blank is the service's to
    say ("Enter the {what}."), so that a blank date is reported with the form's other
    errors at once. `what` is the service's own name for the date."""
    return forms.DateField(label=label, required=False, help_text=hint, error_messages={
        "invalid": f"The {what} must be a real date.",
    })


def text_field(label: str, *, long: bool = True, hint: str = "",
               max_length: int | None = None) -> forms.CharField:
    """Text. Left empty, it is for the service to refuse (if it must be given), so that it
    is reported with the form's other errors at once. Held to its limit (core.limits): a
    narrative (crisis plan, formulation) by default, a one-line label when short."""
    limit = max_length or (limits.NARRATIVE if long else limits.SHORT_LABEL)
    return forms.CharField(
        label=label, required=False, help_text=hint, max_length=limit,
        widget=forms.Textarea if long else forms.TextInput,
        error_messages={"max_length": limits.too_long(label, limit)},
    )


def whole_number(label: str, *, hint: str = "") -> forms.IntegerField:
    """A whole number; blank or out of range is for the service to report."""
    return forms.IntegerField(label=label, required=False, help_text=hint,
                              error_messages={"invalid": f"{label} must be a whole number."})


def number(label: str, *, hint: str = "") -> forms.FloatField:
    return forms.FloatField(label=label, required=False, help_text=hint,
                            error_messages={"invalid": f"{label} must be a number."})


def yes(label: str, *, hint: str = "") -> forms.BooleanField:
    """A single checkbox: ticked is yes."""
    return forms.BooleanField(label=label, required=False, help_text=hint)


def radios(label: str, choices, *, required: str = "", hint: str = "",
           coerce: Callable = str) -> forms.TypedChoiceField:
    """One of a few choices. Left blank, it is the service that refuses it (with the form's
    other errors), and `required` is the message shown for it."""
    field = forms.TypedChoiceField(
        label=label, choices=choices, coerce=coerce, required=False, help_text=hint,
        empty_value=None if coerce is not str else "", widget=forms.RadioSelect,
        error_messages={"invalid_choice": required or "Choose one."},
    )
    field.blank_message = required
    return field


def co_produced_field() -> forms.CharField:
    return text_field("Made with (optional)", hint="The person, and any family or carers by "
                      "name, who made this with the team.")


def shared_with_field() -> forms.CharField:
    return text_field("Copies shared with (optional)", hint="One per line, for example: the "
                      "person, GP, sister (with the person's agreement).")


# --- Rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """A list inside a form, e.g. the actions of a care plan."""

    name: str  # "actions": fields actions_0_what ..., and the service's key "actions"
    noun: str  # "action": legends "Action 1", button "Add another action"
    columns: Mapping[str, Callable[[], forms.Field]] = field(default_factory=dict)
    minimum: int = 3

    def field_name(self, n: int, column: str) -> str:
        return f"{self.name}_{n}_{column}"

    @property
    def first_column(self) -> str:
        return next(iter(self.columns))


# --- The base form ---------------------------------------------------------------------------


class EntryForm(OneSubmissionForm):
    """A form for an entry of the clinical record.

    - `values()`: keyword arguments for the service, from the cleaned data.
    - `initial_from(entry)`: initial data to show an entry (a new version, an amendment).
    - `add_service_errors(errors)`: the service's field errors, on this form's fields.
    """

    ROWS: tuple[Rows, ...] = ()
    LINES = ("shared_with",)  # text areas holding one item per line
    META = ("submission_key", "expected_version", "reason")
    ALIASES: Mapping[str, str] = {}  # the service's name of a field -> this form's

    def __init__(self, *args, adding_row: str | None = None, **kwargs):
        self.adding_row = adding_row
        super().__init__(*args, **kwargs)
        self.row_counts: dict[str, int] = {}
        self.row_map: dict[str, list[int]] = {}
        for rows in self.ROWS:
            self._add_rows(rows)

    # Rows --------------------------------------------------------------------------------

    def _row_count(self, rows: Rows) -> int:
        if self.is_bound:
            try:
                count = int(self.data.get(f"{rows.name}_rows", rows.minimum))
            except (TypeError, ValueError):
                count = rows.minimum
            if self.adding_row == rows.name:
                count += 1
        else:
            count = max(len(self.initial.get(rows.name) or ()) + 2, rows.minimum)
        return max(1, min(count, MAX_ROWS))

    def _add_rows(self, rows: Rows) -> None:
        count = self._row_count(rows)
        self.row_counts[rows.name] = count
        self.fields[f"{rows.name}_rows"] = forms.IntegerField(widget=forms.HiddenInput,
                                                              required=False)
        self.initial[f"{rows.name}_rows"] = count
        for n, values in enumerate(self.initial.get(rows.name) or ()):
            for column in rows.columns:
                self.initial.setdefault(rows.field_name(n, column), values.get(column))
        for n in range(count):
            for column, make in rows.columns.items():
                self.fields[rows.field_name(n, column)] = make()

    def row_fields(self, name: str) -> list[list[str]]:
        """The field names of each row, for the template."""
        rows = next(r for r in self.ROWS if r.name == name)
        return [[rows.field_name(n, c) for c in rows.columns]
                for n in range(self.row_counts[name])]

    def row_spec(self, name: str) -> Rows:
        return next(r for r in self.ROWS if r.name == name)

    def _row_values(self, rows: Rows) -> list[dict]:
        out, used = [], []
        for n in range(self.row_counts[rows.name]):
            row = {c: self.cleaned_data.get(rows.field_name(n, c)) for c in rows.columns}
            if all(v in (None, "", False) for v in row.values()):
                continue  # a blank row
            out.append(row)
            used.append(n)
        self.row_map[rows.name] = used
        return out

    # Validation --------------------------------------------------------------------------

    def full_clean(self):
        if self.adding_row:
            # Only showing one more row: no errors yet, nothing is saved.
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.adding_row and super().is_valid()

    def kind_of(self, name: str) -> str:
        """Which NHS.UK component shows this field (the templates' `auto` macro)."""
        f = self.fields[name]
        widget = f.widget
        if isinstance(widget, forms.HiddenInput):
            return "hidden"
        if isinstance(f, forms.BooleanField):
            return "checkbox"
        if isinstance(widget, forms.CheckboxSelectMultiple):
            return "checkboxes"
        if isinstance(widget, forms.RadioSelect):
            return "radios"
        if isinstance(widget, forms.Select):
            return "select"
        if isinstance(widget, forms.Textarea):
            return "textarea"
        if isinstance(f, forms.DateField):
            return "date"
        if isinstance(f, forms.FloatField):
            return "decimal"
        if isinstance(f, forms.IntegerField):
            return "numeric"
        return "text"

    def plain_fields(self) -> list[str]:
        """Visible fields that are not part of rows, in order."""
        in_rows = {f"{r.name}_" for r in self.ROWS}
        return [name for name in self.fields
                if name not in self.META and not any(name.startswith(p) for p in in_rows)
                and self.kind_of(name) != "hidden"]

    def layout(self) -> list[tuple[str, str]]:
        """What the form shows, in order: ("field", name), ("rows", rows name), ("dialog", "")."""
        return [("field", n) for n in self.plain_fields()] + [("rows", r.name)
                                                              for r in self.ROWS]

    # To the service and back ----------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments."""
        row_prefixes = tuple(f"{r.name}_" for r in self.ROWS)
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in self.META and not k.startswith(row_prefixes)}
        for name in self.LINES:
            if name in data:
                data[name] = [line.strip() for line in (data[name] or "").splitlines()
                              if line.strip()]
        for rows in self.ROWS:
            data[rows.name] = self._row_values(rows)
        return data

    @classmethod
    def initial_from(cls, entry) -> dict[str, Any]:
        initial = {name: getattr(entry, name) for name in cls.base_fields
                   if name not in cls.META and hasattr(entry, name)}
        for name in cls.LINES:
            if isinstance(initial.get(name), list):
                initial[name] = "\n".join(initial[name])
        return initial

    def add_service_errors(self, errors: Mapping[str, list[str]]) -> None:
        mapped: dict[str, list[str]] = {}
        for key, messages in errors.items():
            name = self._field_for(key)
            blank = getattr(self.fields.get(name), "blank_message", "")
            if blank and self.cleaned_data.get(name) in (None, ""):
                messages = [blank]  # the form's words for a choice left blank
            mapped.setdefault(name, []).extend(messages)
        add_errors(self, mapped)

    def _field_for(self, key: str) -> str:
        key = self.ALIASES.get(key, key)
        parts = key.split(".")
        for rows in self.ROWS:
            if parts[0] != rows.name:
                continue
            used = self.row_map.get(rows.name) or [0]
            n = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            row = used[min(n, len(used) - 1)]
            column = parts[2] if len(parts) > 2 and parts[2] in rows.columns else (
                rows.first_column)
            return rows.field_name(row, column)
        return key


class AmendMixin(forms.Form):
    """A correction: the reason is required; the version read guards against a stale edit."""

    reason = forms.CharField(label="Why are you correcting this entry?", widget=forms.Textarea,
                             help_text="For example: the wrong date was typed.",
                             max_length=limits.REASON,
                             error_messages={"required": REASON_REQUIRED, "max_length":
                                             limits.too_long("The reason", limits.REASON)})
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    AMENDS: tuple[str, ...] = ()  # the service's amendable fields

    def changes(self, entry) -> dict[str, Any]:
        """Only what differs from the entry as it is."""
        values = self.values()
        return {name: value for name, value in values.items()
                if name in self.AMENDS and value != getattr(entry, name)}


class VersionMixin(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


# --- Care plan (DIALOG+) ----------------------------------------------------------------------

SCORES = [(n, str(n)) for n in range(DIALOG_MIN, DIALOG_MAX + 1)]
AREAS = [("", "Not linked to one area")] + list(DialogItem.choices)


def rating_name(item: str) -> str:
    return f"rating_{item}"


def help_name(item: str) -> str:
    return f"help_{item}"


class DialogRatingsMixin(forms.Form):
    """The 11 DIALOG ratings, each 1-7, and whether the person wants more help with it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item, label in DialogItem.choices:
            self.fields[rating_name(item)] = radios(
                str(label), SCORES, coerce=int,
                required=f"Choose how satisfied the person is with: {str(label).lower()} "
                f"(from {DIALOG_MIN} to {DIALOG_MAX}).",
            )
            self.fields[help_name(item)] = yes("Wants more help with this")

    def ratings(self) -> dict[str, tuple[int, bool]]:
        return {item: (self.cleaned_data[rating_name(item)],
                       bool(self.cleaned_data.get(help_name(item))))
                for item in DialogItem.values}

    @staticmethod
    def ratings_initial(plan) -> dict[str, Any]:
        initial = {}
        for r in plan.ratings.all():
            initial[rating_name(r.item)] = r.score
            initial[help_name(r.item)] = r.wants_more_help
        return initial

    def is_dialog_field(self, name: str) -> bool:
        return name.startswith(("rating_", "help_"))


ACTIONS = Rows("actions", "action", {
    "what": lambda: text_field("What will be done", long=False),
    "who": lambda: text_field("Who does it", long=False, max_length=200),
    "domain": lambda: forms.ChoiceField(label="Area (optional)", choices=AREAS,
                                        required=False),
})


class CarePlanForm(DialogRatingsMixin, EntryForm):
    date = date_field("date of the care plan", label="Date of the care plan")
    review_due = date_field("review date", label="Review by (optional)")
    persons_words = text_field("In the person's own words (optional)",
                               hint="What matters to them, and what they want from the plan.")
    chosen_domains = forms.MultipleChoiceField(
        label="Areas the person chose to talk about (optional)", required=False,
        choices=DialogItem.choices, widget=forms.CheckboxSelectMultiple,
        help_text="Up to 3 areas.",
    )
    co_produced_with = co_produced_field()
    shared_with = shared_with_field()

    ROWS = (ACTIONS,)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        config = clinical_config()
        if "reason" in self.fields:  # a correction: the review date stays as given
            self.fields["review_due"].help_text = (
                f"Within {config.care_plan_review_max_months} months of the plan's date.")
            return
        self.fields["review_due"].help_text = (
            f"Leave blank for the usual review: in {config.care_plan_review_months} months, "
            f"or {config.care_plan_review_months_stepped_up} month when stepped up. It must "
            f"be within {config.care_plan_review_max_months} months."
        )

    def plain_fields(self) -> list[str]:
        return [n for n in super().plain_fields() if not self.is_dialog_field(n)]

    def layout(self) -> list[tuple[str, str]]:
        order = ["date", "#dialog", "chosen_domains", "persons_words", "#actions",
                 "review_due", "co_produced_with", "shared_with"]
        out = []
        for name in order:
            if name == "#dialog":
                out.append(("dialog", ""))
            elif name == "#actions":
                out.extend(("rows", r.name) for r in self.ROWS)
            elif name in self.fields:
                out.append(("field", name))
        return out

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in super().values().items() if not self.is_dialog_field(k)}
        data["ratings"] = self.ratings()
        return data

    @classmethod
    def initial_from(cls, plan) -> dict[str, Any]:
        initial = super().initial_from(plan)
        initial.update(cls.ratings_initial(plan))
        initial["actions"] = [{"what": a.what, "who": a.who, "domain": a.domain}
                              for a in plan.actions.all()]
        return initial

    def _field_for(self, key: str) -> str:
        if key.startswith("ratings."):
            return rating_name(key.split(".", 1)[1])
        return super()._field_for(key)


class CarePlanAmendForm(AmendMixin, CarePlanForm):
    review_due = date_field("review date", label="Review by")
    ROWS = ()  # actions change with a new version of the plan
    AMENDS = services.CARE_PLAN_FIELDS

    def changes(self, plan) -> dict[str, Any]:
        values = self.values()
        changes = {name: value for name, value in values.items()
                   if name in self.AMENDS and value != getattr(plan, name)}
        before = {r.item: (r.score, r.wants_more_help) for r in plan.ratings.all()}
        ratings = {item: rating for item, rating in values["ratings"].items()
                   if before.get(item) != rating}
        if ratings:
            changes["ratings"] = ratings
        return changes


class CarePlanVersionForm(VersionMixin, CarePlanForm):
    pass


# --- Safety plan, advance choice --------------------------------------------------------------


class SafetyPlanForm(EntryForm):
    date = date_field("date of the safety plan", label="Date of the plan")
    wants_in_crisis = text_field("What the person wants to happen in a crisis",
                                 hint="In their own words.")
    who_to_contact = text_field("Who to contact in a crisis", hint="Names and how to reach them.")
    what_helps = text_field("What helps (optional)")
    what_does_not_help = text_field("What does not help (optional)")
    review_due = date_field("review date", label="Review by (optional)")
    co_produced_with = co_produced_field()
    shared_with = shared_with_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        config = clinical_config()
        if "reason" in self.fields:  # a correction: the review date stays as given
            return
        self.fields["review_due"].help_text = (
            f"Leave blank for the usual review: in {config.safety_plan_review_months} months, "
            f"or {config.safety_plan_review_months_stepped_up} month when stepped up."
        )


class SafetyPlanAmendForm(AmendMixin, SafetyPlanForm):
    review_due = date_field("review date", label="Review by")
    AMENDS = services.SAFETY_PLAN_FIELDS


class SafetyPlanVersionForm(VersionMixin, SafetyPlanForm):
    pass


class AdvanceChoiceForm(EntryForm):
    date = date_field("date of the advance choice document", label="Date of the document")
    statements = text_field("The person's statements about their care in a crisis",
                            hint="In their own words: what they want, and what they do not.")
    co_produced_with = co_produced_field()
    shared_with = shared_with_field()


class AdvanceChoiceAmendForm(AmendMixin, AdvanceChoiceForm):
    AMENDS = services.ADVANCE_CHOICE_FIELDS


class AdvanceChoiceVersionForm(VersionMixin, AdvanceChoiceForm):
    pass


# --- Relapse signature ------------------------------------------------------------------------

SIGNS = Rows("signs", "sign", {
    "sign": lambda: text_field("The sign, in the person's words", long=False),
    "what_to_do": lambda: text_field("What to do when it is seen (optional)", long=False),
})


class RelapseSignatureForm(EntryForm):
    date = date_field("date of the relapse signature", label="Date")
    co_produced_with = co_produced_field()
    shared_with = shared_with_field()

    ROWS = (SIGNS,)

    @classmethod
    def initial_from(cls, signature) -> dict[str, Any]:
        initial = super().initial_from(signature)
        initial["signs"] = [{"sign": s.sign, "what_to_do": s.what_to_do}
                            for s in signature.signs.all()]
        return initial


class RelapseSignatureAmendForm(AmendMixin, RelapseSignatureForm):
    ROWS = ()  # the signs change with a new version
    AMENDS = services.RELAPSE_SIGNATURE_FIELDS


class RelapseSignatureVersionForm(VersionMixin, RelapseSignatureForm):
    pass


# --- Risk formulation -------------------------------------------------------------------------


class RiskFormulationForm(EntryForm):
    history = text_field("History, and the situations in which harm happened")
    triggers = text_field("Triggers", hint="For example: access to drugs, losing accommodation.")
    protective_factors = text_field("Protective factors")
    what_reduces_risk = text_field("What reduces the risk")
    two_staff_visits = yes("Visits need two staff")
    reviewed_on = date_field("date of the review", label="Reviewed on")
    review_due = date_field("review date", label="Next review by (optional)",
                            hint="Leave blank for the usual review interval.")
    co_produced_with = co_produced_field()
    shared_with = shared_with_field()


class RiskFormulationAmendForm(AmendMixin, RiskFormulationForm):
    review_due = date_field("review date", label="Next review by", hint="")
    AMENDS = services.RISK_FIELDS


class RiskFormulationVersionForm(VersionMixin, RiskFormulationForm):
    pass


# --- Medication and depots --------------------------------------------------------------------


class MedicationForm(EntryForm):
    name = text_field("Medicine", long=False, max_length=200)
    dose = text_field("Dose", long=False, max_length=100, hint="For example: 400 mg.")
    frequency = text_field("How often", long=False, max_length=100,
                           hint="For example: at night.")
    started = date_field("date it was started", label="Started on")


class MedicationAmendForm(AmendMixin, MedicationForm):
    stopped = date_field("date it was stopped", label="Stopped on (optional)")
    stopped_against_advice = yes("Stopped against advice")
    restarted = date_field("date it was restarted", label="Restarted on (optional)")
    AMENDS = services.MEDICATION_FIELDS


class MedicationStopForm(EntryForm):
    stopped = date_field("date it was stopped", label="Stopped on")
    against_advice = yes("Stopped against advice",
                         hint="A medicine stopped against advice is a red flag until it is "
                         "restarted.")
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    ALIASES = {"stopped_against_advice": "against_advice"}


class MedicationRestartForm(EntryForm):
    restarted = date_field("date it was restarted", label="Restarted on")
    dose = text_field("Dose", long=False, max_length=100)
    frequency = text_field("How often", long=False, max_length=100)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class DepotForm(EntryForm):
    medicine = text_field("Depot medicine", long=False, max_length=200)
    dose = text_field("Dose", long=False, max_length=100)
    interval_days = whole_number("Days between injections",
                                 hint="For example: 14 for fortnightly, 28 for monthly.")
    started_on = date_field("date the depot was started", label="Started on (optional)",
                            hint="Leave blank for today.")
    next_due = date_field("date the next injection is due", label="Next injection due")
    tolerance_days = whole_number(
        "Days late before it is overdue (optional)",
        hint="How many days after the due date a dose may still be given. "
        "Leave blank for the team's usual.")


class DepotAmendForm(AmendMixin, DepotForm):
    started_on = date_field("date the depot was started", label="Started on")
    tolerance_days = whole_number("Days late before it is overdue")
    AMENDS = services.DEPOT_FIELDS


class DepotStopForm(EntryForm):
    stopped_on = date_field("date it was stopped", label="Stopped on")
    reason = text_field("Why is the depot stopped?")
    against_advice = yes("Stopped against advice",
                         hint="A depot stopped against advice is a red flag until the medicine "
                         "is started again.")
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    META = ("submission_key", "expected_version")


class GiversMixin(forms.Form):
    """Who gave a dose: one of the team's clinicians (`givers`), by their id; the one
    recorded before stays a choice when correcting, even if they have left since."""

    given_by = forms.TypedChoiceField(
        label="Given by (if given)", coerce=int, required=False, empty_value=None,
        error_messages={"invalid_choice": depots.GIVER_NOT_ON_TEAM})
    given_by.blank_message = depots.CHOOSE_GIVER

    def __init__(self, *args, givers: Iterable = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.givers = {g.pk: g for g in givers}
        self.fields["given_by"].choices = [("", "Choose who gave it")] + [
            (g.pk, f"{g.name} ({g.get_discipline_display().lower()})")
            for g in sorted(self.givers.values(), key=lambda g: g.name)
        ]

    def values(self) -> dict[str, Any]:
        data = super().values()
        if data.get("given_by") is not None:
            data["given_by"] = self.givers[data["given_by"]]
        return data

    @classmethod
    def initial_from(cls, entry) -> dict[str, Any]:
        initial = super().initial_from(entry)
        initial["given_by"] = entry.given_by_id
        return initial


SITE_HINT = ("Rotate sites: do not use the same site as the last dose unless the person "
             "prefers it.")


def site_field(label: str = "Injection site (if given)") -> forms.TypedChoiceField:
    return radios(label, InjectionSite.choices, required=depots.CHOOSE_SITE, hint=SITE_HINT)


def batch_field() -> forms.CharField:
    # Room for spaces typed between groups, which are dropped; the service checks the rest.
    field = text_field("Batch number (if given)", long=False, max_length=2 * depots.BATCH_MAX,
                       hint="As printed on the box or syringe, for example AB1234. It is "
                       "what a recall names.")
    field.error_messages["max_length"] = depots.BATCH_TOO_LONG
    return field


class DoseForm(GiversMixin, EntryForm):
    outcome = radios("What happened to the dose?", DoseOutcome.choices,
                     required="Choose whether the dose was given, refused or missed.",
                     hint="A refused or missed dose is a red flag.")
    due_on = date_field("date the dose was due", label="Dose due on")
    given_on = date_field("date the dose was given", label="Given on (if given)")
    site = site_field()
    same_site = yes("Give it in the same site as the last dose, on purpose")
    batch = batch_field()
    note = text_field("Note (optional)")
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    field_order = ("outcome", "due_on", "given_on", "given_by", "site", "same_site", "batch")

    def __init__(self, *args, last_given=None, **kwargs):
        """`last_given`: the depot's last dose given, whose site the hint names; the box
        confirming the same site is there only once that site has been chosen again."""
        super().__init__(*args, **kwargs)
        if last_given is not None and last_given.site:
            self.fields["site"].help_text = (
                f"The last dose ({last_given.given_on.day} {last_given.given_on:%b}) was "
                f"given in the {depots.site_label(last_given.site)}. {SITE_HINT}")
        repeated = (self.is_bound and last_given is not None and last_given.site
                    and self.data.get("site") == last_given.site)
        if not repeated:
            del self.fields["same_site"]

    def values(self) -> dict[str, Any]:
        data = super().values()
        if data.get("outcome") != DoseOutcome.GIVEN:
            # only a dose that was given has a date given, a giver, a site and a batch
            data.update(given_on=None, given_by=None, site="", batch="", same_site=False)
        elif data.get("given_by") is None:
            # On the page who gave it is chosen (it starts as the one signed in): left blank,
            # the service says so with the other errors, rather than default to the recorder.
            data["given_by"] = ""
        return data


class DoseAmendForm(AmendMixin, GiversMixin, EntryForm):
    outcome = radios("What happened to the dose?", DoseOutcome.choices,
                     required="Choose whether the dose was given, refused or missed.")
    due_on = date_field("date the dose was due", label="Dose due on")
    given_on = date_field("date the dose was given", label="Given on (if given)")
    site = site_field()
    batch = batch_field()
    note = text_field("Note (optional)")
    AMENDS = services.DOSE_FIELDS
    field_order = ("outcome", "due_on", "given_on", "given_by", "site", "batch")

    def values(self) -> dict[str, Any]:
        data = super().values()
        data["batch"] = depots.normal_batch(data.get("batch"))
        if data.get("outcome") in (DoseOutcome.REFUSED, DoseOutcome.MISSED):
            # Corrected to a dose not given: a chosen site cannot be unticked in a browser,
            # so who, where and which batch go with the correction.
            data.update(given_by=None, site="", batch="")
        return data


# --- Mental Health Act and legal status -------------------------------------------------------


class DetentionForm(EntryForm):
    section = forms.ChoiceField(label="Section", choices=[("", "Choose a section")]
                                + list(MHASection.choices), required=False)
    section.blank_message = "Choose the section."
    start = date_field("date the detention started", label="Started on")
    end = date_field("date the detention ended", label="Ended on (optional)")


class DetentionAmendForm(AmendMixin, DetentionForm):
    AMENDS = services.DETENTION_FIELDS


class CTOForm(EntryForm):
    start = date_field("date the CTO started", label="Started on")
    expiry = date_field("date the CTO expires", label="Expires on",
                        hint="It must be after the day it starts.")
    renewal_due = date_field("date the renewal is due", label="Renewal examination due by "
                             "(optional)", hint="By the day it expires.")
    conditions = text_field("Conditions (optional)")
    recalled_on = date_field("date of the recall", label="Recalled to hospital on (optional)")


class CTOAmendForm(AmendMixin, CTOForm):
    ended_on = date_field("date the CTO ended", label="Ended on (optional)",
                          hint="When the person was discharged from it, or it was revoked.")
    AMENDS = services.CTO_FIELDS


class CTORenewForm(EntryForm):
    renewed_on = date_field("date of the renewal", label="Renewed on")
    new_expiry = date_field("new expiry date", label="New expiry date")
    next_renewal_due = date_field("date the next renewal is due",
                                  label="Next renewal examination due by (optional)")
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    ALIASES = {"expiry": "new_expiry", "renewal_due": "next_renewal_due"}


class Section117Form(EntryForm):
    eligible = yes("Eligible for Section 117 aftercare")
    eligible_from = date_field("date aftercare eligibility starts", label="Eligible from")
    review_due = date_field("date of the next review", label="Next review due",
                            hint="Needed while the person is eligible.")


class Section117AmendForm(AmendMixin, Section117Form):
    last_reviewed_on = date_field("date of the last review", label="Last reviewed on "
                                  "(optional)")
    ended_on = date_field("date aftercare ended", label="Aftercare ended on (optional)")
    AMENDS = services.S117_FIELDS


class Section117ReviewForm(EntryForm):
    held_on = date_field("date of the review", label="Review held on")
    next_review_due = date_field("date of the next review", label="Next review due")
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class MultiAgencyForm(EntryForm):
    kind = radios("Which arrangement?", MultiAgencyKind.choices,
                  required="Choose MAPPA or MARAC.")
    level = radios("MAPPA level (MAPPA only)", [(1, "Level 1"), (2, "Level 2"), (3, "Level 3")],
                   coerce=int)
    active_since = date_field("date it started", label="Started on")
    ended_on = date_field("date it ended", label="Ended on (optional)")


class MultiAgencyAmendForm(AmendMixin, MultiAgencyForm):
    AMENDS = services.MULTI_AGENCY_FIELDS


# --- Families and carers ----------------------------------------------------------------------


class CarerContactForm(EntryForm):
    carer = forms.TypedChoiceField(label="Who", coerce=int,
                                   error_messages={"required": "Choose who you spoke with.",
                                                   "invalid_choice": "Choose who you spoke "
                                                   "with."})
    date = date_field("date of the contact", label="Date")
    what_they_said = text_field("What they said")
    concern = yes("This is a concern",
                  hint="The family or carer is worried or asking for help. It is a red flag "
                  "until someone follows it up.")

    def __init__(self, *args, carers: Iterable = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.carers = {c.pk: c for c in carers}
        if "carer" in self.fields:
            self.fields["carer"].choices = [("", "Choose")] + [
                (c.pk, f"{c.name} ({c.relationship})") for c in self.carers.values()
            ]

    def values(self) -> dict[str, Any]:
        data = super().values()
        if "carer" in data:
            data["carer"] = self.carers[data["carer"]]
        return data


class CarerContactAmendForm(AmendMixin, CarerContactForm):
    AMENDS = services.CARER_CONTACT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["carer"]  # a contact stays with the carer it was recorded for


class FollowUpForm(EntryForm):
    followed_up_on = date_field("date of the follow-up", label="Followed up on")
    note = text_field("How was the concern followed up?")
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


# --- Social circumstances ---------------------------------------------------------------------

SUBSTANCES = Rows("substance_use", "substance", {
    "substance": lambda: text_field("Substance", long=False, max_length=100),
    "current": lambda: yes("Uses it now"),
    "since": lambda: date_field("date since when", label="Since"),
}, minimum=2)
POLICE = Rows("police_contacts", "police contact", {
    "date": lambda: date_field("date of the police contact", label="Date"),
    "summary": lambda: text_field("What happened", long=False),
}, minimum=1)


class SocialCircumstancesForm(EntryForm):
    assessed_on = date_field("date of the assessment", label="Assessed on")
    accommodation_status = radios("Accommodation", AccommodationStatus.choices,
                                  required="Choose the accommodation status.")
    accommodation_since = date_field("date the person has been in this accommodation since",
                                     label="In this accommodation since")
    finances = text_field("Finances and benefits (optional)")
    employment = text_field("Employment and activity (optional)")
    offending_history = text_field("Offending history (optional)")

    ROWS = (SUBSTANCES, POLICE)

    @classmethod
    def initial_from(cls, circumstances) -> dict[str, Any]:
        initial = super().initial_from(circumstances)
        initial["substance_use"] = [
            {"substance": s.substance, "current": s.current, "since": s.since}
            for s in circumstances.substance_use.all()
        ]
        initial["police_contacts"] = []  # earlier contacts stay; a new version adds new ones
        return initial


class SocialCircumstancesAmendForm(AmendMixin, SocialCircumstancesForm):
    ROWS = ()
    AMENDS = services.SOCIAL_FIELDS


class SocialCircumstancesVersionForm(VersionMixin, SocialCircumstancesForm):
    pass


class PoliceContactForm(EntryForm):
    date = date_field("date of the police contact", label="Date")
    summary = text_field("What happened")


class PoliceContactAmendForm(AmendMixin, PoliceContactForm):
    AMENDS = services.POLICE_FIELDS


# --- Physical health, occupational therapy ----------------------------------------------------


class PhysicalHealthForm(EntryForm):
    date = date_field("date of the check", label="Date of the check")
    bmi = number("BMI")
    bp_systolic = whole_number("Blood pressure, systolic (mmHg)")
    bp_diastolic = whole_number("Blood pressure, diastolic (mmHg)")
    glucose_mmol_l = number("Blood glucose (mmol/L)")
    hba1c_mmol_mol = number("HbA1c (mmol/mol)")
    cholesterol_mmol_l = number("Total cholesterol (mmol/L)")
    smoking_status = radios("Smoking", SmokingStatus.choices)
    alcohol_units_week = number("Alcohol (units a week)")
    note = text_field("Note (optional)")


class PhysicalHealthAmendForm(AmendMixin, PhysicalHealthForm):
    AMENDS = services.PHYSICAL_FIELDS


class OTAssessmentForm(EntryForm):
    kind = radios("Assessment", OTAssessmentKind.choices, required="Choose the assessment.")
    date = date_field("date of the assessment", label="Date")
    summary = text_field("Summary")
    strengths = text_field("Strengths (optional)")
    barriers = text_field("Barriers (optional)")
    goals = text_field("Goals (optional)")


class OTAssessmentAmendForm(AmendMixin, OTAssessmentForm):
    AMENDS = services.OT_FIELDS


# --- Early warning signs ----------------------------------------------------------------------


class SignObservedForm(EntryForm):
    sign = forms.TypedChoiceField(label="Which sign did you see?", coerce=int,
                                  widget=forms.RadioSelect,
                                  error_messages={"required": "Choose the sign you saw.",
                                                  "invalid_choice": "Choose the sign you saw."})
    observed_on = date_field("date the sign was seen", label="Seen on")
    note = text_field("What did you see? (optional)")

    def __init__(self, *args, signs: Iterable = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.signs = {s.pk: s for s in signs}
        self.fields["sign"].choices = [(s.pk, f"{s.order}. {s.sign}")
                                       for s in self.signs.values()]

    def values(self) -> dict[str, Any]:
        data = super().values()
        data["sign"] = self.signs[data["sign"]]
        return data


class SignClearedForm(EntryForm):
    cleared_on = date_field("date the sign resolved", label="Resolved on")
    note = text_field("Note (optional)")
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
