"""The kinds of entry in the clinical record, and for each: its forms, its services, and how
it is reached from the person (never by a bare query)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import Http404

from outreach.clinical import forms, services
from outreach.records.models import Person


@dataclass(frozen=True)
class Kind:
    slug: str  # in the URL
    title: str  # "Care plan"
    noun: str  # "care plan", for headings and audit events
    related: str  # the related name on Person: how entries are reached
    section: str  # the record page's section (its anchor)
    amend_form: type
    amend: Callable
    arg: str  # the services' keyword for the entry: plan, document, depot ...
    form: type | None = None
    create: Callable | None = None
    version_form: type | None = None
    new_version: Callable | None = None
    printable: bool = False
    dated: str = "date"  # the field that dates an entry (its heading in the history)
    # Fields a new entry or a new version starts with: today's date, or blank (worked out
    # by the service, e.g. the review date).
    today_fields: tuple[str, ...] = ()
    blank_on_version: tuple[str, ...] = ()
    create_initial: dict = field(default_factory=dict)

    @property
    def versioned(self) -> bool:
        return self.new_version is not None

    def entries(self, person):
        return getattr(person, self.related)

    def current(self, person):
        """The current version (versioned kinds): the head of the person's one chain."""
        return self.entries(person).filter(superseded_by__isnull=True).first()

    @property
    def model_name(self) -> str:
        """The name the services' Amendment rows give the entry."""
        return Person._meta.get_field(self.related).related_model._meta.model_name


KINDS: dict[str, Kind] = {k.slug: k for k in [
    Kind("care-plan", "Care plan", "care plan", "care_plans", "care-plan",
         form=forms.CarePlanForm, create=services.care_plan_create,
         version_form=forms.CarePlanVersionForm, new_version=services.care_plan_new_version,
         amend_form=forms.CarePlanAmendForm, amend=services.care_plan_amend, arg="plan",
         printable=True, today_fields=("date",), blank_on_version=("review_due",)),
    Kind("safety-plan", "Safety and crisis plan", "safety and crisis plan", "safety_plans",
         "safety-plan", form=forms.SafetyPlanForm, create=services.safety_plan_create,
         version_form=forms.SafetyPlanVersionForm, new_version=services.safety_plan_new_version,
         amend_form=forms.SafetyPlanAmendForm, amend=services.safety_plan_amend, arg="plan",
         printable=True, today_fields=("date",), blank_on_version=("review_due",)),
    Kind("advance-choice", "Advance choice document", "advance choice document",
         "advance_choices", "advance-choice", form=forms.AdvanceChoiceForm,
         create=services.advance_choice_create, version_form=forms.AdvanceChoiceVersionForm,
         new_version=services.advance_choice_new_version,
         amend_form=forms.AdvanceChoiceAmendForm, amend=services.advance_choice_amend,
         arg="document", printable=True, today_fields=("date",)),
    Kind("relapse-signature", "Relapse signature (early warning signs)", "relapse signature",
         "relapse_signatures", "relapse-signature", form=forms.RelapseSignatureForm,
         create=services.relapse_signature_create,
         version_form=forms.RelapseSignatureVersionForm,
         new_version=services.relapse_signature_new_version,
         amend_form=forms.RelapseSignatureAmendForm, amend=services.relapse_signature_amend,
         arg="signature", printable=True, today_fields=("date",)),
    Kind("risk-formulation", "Risk formulation", "risk formulation", "risk_formulations",
         "risk-formulation", form=forms.RiskFormulationForm,
         create=services.risk_formulation_create,
         version_form=forms.RiskFormulationVersionForm,
         new_version=services.risk_formulation_new_version,
         amend_form=forms.RiskFormulationAmendForm, amend=services.risk_formulation_amend,
         arg="formulation", dated="reviewed_on", today_fields=("reviewed_on",),
         blank_on_version=("review_due",)),
    Kind("medication", "Medicine", "medicine", "medications", "medication",
         form=forms.MedicationForm, create=services.medication_start,
         amend_form=forms.MedicationAmendForm, amend=services.medication_amend,
         arg="medication", dated="started", today_fields=("started",)),
    Kind("depot", "Depot", "depot", "depots", "medication", form=forms.DepotForm,
         create=services.depot_start, amend_form=forms.DepotAmendForm,
         amend=services.depot_amend, arg="depot", dated="started_on"),
    Kind("depot-dose", "Depot dose", "depot dose", "depot_doses", "medication",
         amend_form=forms.DoseAmendForm, amend=services.depot_dose_amend, arg="dose",
         dated="due_on"),
    Kind("detention", "Detention under the Mental Health Act", "detention", "mha_detentions",
         "legal", form=forms.DetentionForm, create=services.mha_detention_create,
         amend_form=forms.DetentionAmendForm, amend=services.mha_detention_amend,
         arg="detention", dated="start"),
    Kind("cto", "Community treatment order (CTO)", "community treatment order", "ctos",
         "legal", form=forms.CTOForm, create=services.cto_create,
         amend_form=forms.CTOAmendForm, amend=services.cto_amend, arg="cto", dated="start"),
    Kind("section-117", "Section 117 aftercare", "section 117 aftercare", "section117s",
         "legal", form=forms.Section117Form, create=services.section117_create,
         amend_form=forms.Section117AmendForm, amend=services.section117_amend, arg="s117",
         dated="eligible_from", create_initial={"eligible": True}),
    Kind("mappa-marac", "MAPPA or MARAC", "MAPPA or MARAC involvement", "multi_agency",
         "legal", form=forms.MultiAgencyForm, create=services.multi_agency_create,
         amend_form=forms.MultiAgencyAmendForm, amend=services.multi_agency_amend,
         arg="entry", dated="active_since"),
    Kind("carer-contact", "Contact with a carer or family", "carer contact", "carer_contacts",
         "carers", form=forms.CarerContactForm, create=services.carer_contact_create,
         amend_form=forms.CarerContactAmendForm, amend=services.carer_contact_amend,
         arg="contact", today_fields=("date",)),
    Kind("social-circumstances", "Social circumstances", "social circumstances",
         "social_circumstances", "social", form=forms.SocialCircumstancesForm,
         create=services.social_circumstances_create,
         version_form=forms.SocialCircumstancesVersionForm,
         new_version=services.social_circumstances_new_version,
         amend_form=forms.SocialCircumstancesAmendForm,
         amend=services.social_circumstances_amend, arg="circumstances",
         dated="assessed_on", today_fields=("assessed_on",)),
    Kind("police-contact", "Police contact", "police contact", "police_contacts", "social",
         form=forms.PoliceContactForm, create=services.police_contact_record,
         amend_form=forms.PoliceContactAmendForm, amend=services.police_contact_amend,
         arg="contact"),
    Kind("physical-health", "Physical health check", "physical health check",
         "physical_health_checks", "physical-health", form=forms.PhysicalHealthForm,
         create=services.physical_health_check_create, amend_form=forms.PhysicalHealthAmendForm,
         amend=services.physical_health_check_amend, arg="check", today_fields=("date",)),
    Kind("ot-assessment", "Occupational therapy assessment", "OT assessment", "ot_assessments",
         "ot", form=forms.OTAssessmentForm, create=services.ot_assessment_create,
         amend_form=forms.OTAssessmentAmendForm, amend=services.ot_assessment_amend,
         arg="assessment", today_fields=("date",)),
]}

PRINTABLE = tuple(slug for slug, k in KINDS.items() if k.printable)


def kind_or_404(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404("No such kind of entry")
    return kind
