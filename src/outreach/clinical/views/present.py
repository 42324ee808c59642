"""How entries read on the pages: each kind's rows (label, value), and amendments as what
changed from what to what. Values are plain text; the templates show them as written (with
line breaks kept). Nothing here scores anything."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import dateformat

from outreach.clinical.models import DialogItem


def fmt_date(value: date | None) -> str:
    return dateformat.format(value, "j M Y") if value else ""


def fmt(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date) and not isinstance(value, datetime):
        return fmt_date(value)
    if isinstance(value, datetime):
        return dateformat.format(value, "j M Y, H:i")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(fmt(v) for v in value if fmt(v))
    return str(value)


@dataclass(frozen=True)
class Row:
    label: str
    get: Callable[[Any], Any]
    brief: bool = True  # shown in the record page's summary, not only in full

    def value(self, entry) -> str:
        return fmt(self.get(entry))


def attr(name: str) -> Callable[[Any], Any]:
    return lambda e: getattr(e, name)


def display(name: str) -> Callable[[Any], Any]:
    return lambda e: getattr(e, f"get_{name}_display")()


def areas(values: Iterable[str]) -> list[str]:
    return [str(DialogItem(v).label) if v in DialogItem.values else v for v in values]


def _actions(plan) -> str:
    return "\n".join(f"{n}. {a.what} ({a.who})" for n, a in enumerate(plan.actions.all(), 1))


def _ratings(plan) -> str:
    lines = []
    for r in sorted(plan.ratings.all(), key=lambda r: DialogItem.values.index(r.item)):
        more = ", wants more help" if r.wants_more_help else ""
        lines.append(f"{DialogItem(r.item).label}: {r.score}{more}")
    return "\n".join(lines)


def _signs(signature) -> str:
    return "\n".join(
        f"{s.order}. {s.sign}" + (f" – {s.what_to_do}" if s.what_to_do else "")
        for s in signature.signs.all()
    )


def _substances(circumstances) -> str:
    return "\n".join(
        f"{s.substance}: {'uses now' if s.current else 'not now'}, since {fmt_date(s.since)}"
        for s in circumstances.substance_use.all()
    )


def _blood_pressure(check) -> str:
    if check.bp_systolic is None:
        return ""
    return f"{check.bp_systolic}/{check.bp_diastolic} mmHg"


SHARING = [Row("Made with", attr("co_produced_with"), brief=False),
           Row("Copies shared with", attr("shared_with"), brief=False)]

ROWS: dict[str, list[Row]] = {
    "care-plan": [
        Row("Date", attr("date")), Row("Review by", attr("review_due")),
        Row("In the person's words", attr("persons_words")),
        Row("Areas chosen", lambda p: areas(p.chosen_domains)),
        Row("Actions: who does what", _actions),
        Row("DIALOG ratings", _ratings, brief=False), *SHARING,
    ],
    "safety-plan": [
        Row("Date", attr("date")), Row("Review by", attr("review_due")),
        Row("What the person wants in a crisis", attr("wants_in_crisis")),
        Row("Who to contact", attr("who_to_contact")),
        Row("What helps", attr("what_helps"), brief=False),
        Row("What does not help", attr("what_does_not_help"), brief=False), *SHARING,
    ],
    "advance-choice": [
        Row("Date", attr("date")), Row("Statements", attr("statements")), *SHARING,
    ],
    "relapse-signature": [
        Row("Date", attr("date")), Row("Early warning signs, in order", _signs), *SHARING,
    ],
    "risk-formulation": [
        Row("Reviewed on", attr("reviewed_on")), Row("Next review by", attr("review_due")),
        Row("History and situations", attr("history"), brief=False),
        Row("Triggers", attr("triggers")),
        Row("Protective factors", attr("protective_factors"), brief=False),
        Row("What reduces the risk", attr("what_reduces_risk")),
        Row("Visits need two staff", attr("two_staff_visits")), *SHARING,
    ],
    "medication": [
        Row("Medicine", attr("name")), Row("Dose", attr("dose")),
        Row("How often", attr("frequency")), Row("Started on", attr("started")),
        Row("Stopped on", attr("stopped")),
        Row("Stopped against advice", attr("stopped_against_advice")),
        Row("Restarted on", attr("restarted")),
    ],
    "depot": [
        Row("Medicine", attr("medicine")), Row("Dose", attr("dose")),
        Row("Every", lambda d: f"{d.interval_days} days"),
        Row("Next injection due", attr("next_due")),
        Row("Days late before overdue", attr("tolerance_days"), brief=False),
        Row("Started on", attr("started_on"), brief=False),
        Row("Stopped on", attr("stopped_on")),
        Row("Stopped against advice", lambda d: d.stopped_against_advice if d.stopped_on
            else None),
    ],
    "depot-dose": [
        Row("Due on", attr("due_on")), Row("Outcome", display("outcome")),
        Row("Given on", attr("given_on")),
        Row("Given by", lambda d: d.given_by.name if d.given_by_id else None),
        Row("Injection site", display("site")), Row("Batch number", attr("batch")),
        Row("Note", attr("note")),
    ],
    "detention": [
        Row("Section", display("section")), Row("Started on", attr("start")),
        Row("Ended on", attr("end")),
    ],
    "cto": [
        Row("Started on", attr("start")), Row("Expires on", attr("expiry")),
        Row("Renewal examination due by", attr("renewal_due")),
        Row("Conditions", attr("conditions")), Row("Recalled on", attr("recalled_on")),
        Row("Ended on", attr("ended_on")),
    ],
    "section-117": [
        Row("Eligible", attr("eligible")), Row("Eligible from", attr("eligible_from")),
        Row("Next review due", attr("review_due")),
        Row("Last reviewed on", attr("last_reviewed_on")),
        Row("Aftercare ended on", attr("ended_on")),
    ],
    "mappa-marac": [
        Row("Arrangement", display("kind")),
        Row("MAPPA level", lambda m: m.level),
        Row("Started on", attr("active_since")), Row("Ended on", attr("ended_on")),
    ],
    "carer-contact": [
        Row("Who", lambda c: f"{c.carer.name} ({c.carer.relationship})"),
        Row("Date", attr("date")), Row("What they said", attr("what_they_said")),
        Row("A concern", attr("concern")),
        Row("Followed up on", attr("followed_up_on")),
        Row("How it was followed up", attr("follow_up_note")),
    ],
    "social-circumstances": [
        Row("Assessed on", attr("assessed_on")),
        Row("Accommodation", display("accommodation_status")),
        Row("In this accommodation since", attr("accommodation_since")),
        Row("Finances and benefits", attr("finances")),
        Row("Employment and activity", attr("employment")),
        Row("Substance use", _substances),
        Row("Offending history", attr("offending_history"), brief=False),
    ],
    "police-contact": [Row("Date", attr("date")), Row("What happened", attr("summary"))],
    "physical-health": [
        Row("Date of the check", attr("date")), Row("BMI", attr("bmi")),
        Row("Blood pressure", _blood_pressure),
        Row("Blood glucose (mmol/L)", attr("glucose_mmol_l")),
        Row("HbA1c (mmol/mol)", attr("hba1c_mmol_mol")),
        Row("Total cholesterol (mmol/L)", attr("cholesterol_mmol_l")),
        Row("Smoking", display("smoking_status")),
        Row("Alcohol (units a week)", attr("alcohol_units_week")),
        Row("Note", attr("note"), brief=False),
    ],
    "ot-assessment": [
        Row("Assessment", display("kind")), Row("Date", attr("date")),
        Row("Summary", attr("summary")), Row("Strengths", attr("strengths"), brief=False),
        Row("Barriers", attr("barriers"), brief=False), Row("Goals", attr("goals")),
    ],
}


def rows(kind: str, entry, *, brief: bool = False) -> list[tuple[str, str]]:
    """(label, value) of an entry; in brief, only the rows a summary shows."""
    return [(r.label, r.value(entry)) for r in ROWS[kind] if r.brief or not brief]


# --- Amendments: what changed -----------------------------------------------------------------


def _amended_value(name: str, value: Any) -> str:
    if value is None or value == "":
        return "blank"
    if name.startswith("rating:") and isinstance(value, list) and len(value) == 2:
        score, more = value
        return f"{score}{', wants more help' if more else ''}"
    if name == "chosen_domains" and isinstance(value, list):
        return ", ".join(areas(value)) or "none"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return fmt_date(date.fromisoformat(value))
        except ValueError:
            return value
    return fmt(value) or "blank"


def field_labels(*form_classes) -> dict[str, str]:
    labels: dict[str, str] = {}
    for cls in form_classes:
        for name, field in cls.base_fields.items():
            label = str(field.label or name.replace("_", " ").capitalize())
            labels.setdefault(name, label.replace(" (optional)", ""))
    for item, label in DialogItem.choices:
        labels[f"rating:{item}"] = f"DIALOG rating: {label}"
    return labels


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def changes(amendment, labels: dict[str, str]) -> list[Change]:
    """What an amendment (a correction, or an event that replaced dates) changed."""
    out = []
    for name, pair in (amendment.changes or {}).items():
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        out.append(Change(labels.get(name, name.replace("_", " ").capitalize()),
                          _amended_value(name, before), _amended_value(name, after)))
    return out
