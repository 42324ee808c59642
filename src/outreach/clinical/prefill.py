"""What the clinical record already knows, put where a form needs it.

The decision record of an end of care carries the person's relapse indicators and known
risks (NHS England guidance, chapters 3 and 4). They are written already, in the current
relapse signature and risk formulation: the proposal form starts from them, and the team
edits them for the MDT.
"""

from dataclasses import dataclass

from outreach.clinical.models import RelapseSignature, RiskFormulation
from outreach.records.models import Person


@dataclass(frozen=True)
class DischargePrefill:
    relapse_indicators: str
    known_risks: str
    signature_date: object = None  # the relapse signature's date, if any
    formulation_reviewed: object = None  # the risk formulation's review date, if any


def _current(model, person: Person):
    return (model.objects.filter(person=person, superseded_by__isnull=True)
            .order_by("-id").first())


def discharge_prefill(person: Person) -> DischargePrefill:
    """The relapse indicators from the current relapse signature (each warning sign and what
    to do), and the known risks from the current risk formulation."""
    signature = _current(RelapseSignature, person)
    signs = ""
    if signature is not None:
        signs = "\n".join(
            f"- {s.sign}" + (f" (what to do: {s.what_to_do})" if s.what_to_do else "")
            for s in signature.signs.order_by("order", "id"))
    risk = _current(RiskFormulation, person)
    risks = ""
    if risk is not None:
        risks = "\n".join(part for part in (
            f"History: {risk.history}" if risk.history else "",
            f"Triggers: {risk.triggers}" if risk.triggers else "",
            f"Protective factors: {risk.protective_factors}" if risk.protective_factors else "",
            f"What reduces risk: {risk.what_reduces_risk}" if risk.what_reduces_risk else "",
            "Two staff for visits." if risk.two_staff_visits else "",
        ) if part)
    return DischargePrefill(
        relapse_indicators=signs, known_risks=risks,
        signature_date=signature.date if signature else None,
        formulation_reviewed=risk.reviewed_on if risk else None)
