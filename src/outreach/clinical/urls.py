"""Pages of a person's clinical record, all under /people/<id>/record/."""

from django.urls import path, register_converter

from outreach.clinical.views import dialog, entries, events, printing, record
from outreach.clinical.views.kinds import KINDS


class KindConverter:
    """A kind of entry, spelled as in its URL: care-plan, depot, cto ..."""

    regex = "|".join(sorted(KINDS, key=len, reverse=True))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "kind")

P = "people/<int:person_id>/record/"

urlpatterns = [
    path(P, record.clinical_record, name="clinical-record"),
    path(f"{P}care-plan/dialog/", dialog.dialog_scores, name="clinical-dialog"),
    path(f"{P}<kind:kind>/new/", entries.entry_new, name="clinical-new"),
    path(f"{P}<kind:kind>/history/", entries.entry_history, name="clinical-history"),
    path(f"{P}<kind:kind>/print/", printing.print_plan, name="clinical-print"),
    path(f"{P}<kind:kind>/<int:entry_id>/new-version/", entries.entry_new_version,
         name="clinical-new-version"),
    path(f"{P}<kind:kind>/<int:entry_id>/amend/", entries.entry_amend, name="clinical-amend"),
    path(f"{P}depot/<int:depot_id>/dose/", events.depot_dose, name="clinical-depot-dose"),
    path(f"{P}depot/<int:depot_id>/stop/", events.depot_stop, name="clinical-depot-stop"),
    path(f"{P}medication/<int:medication_id>/stop/", events.medication_stop,
         name="clinical-medication-stop"),
    path(f"{P}medication/<int:medication_id>/restart/", events.medication_restart,
         name="clinical-medication-restart"),
    path(f"{P}relapse-signature/seen/", events.sign_observed, name="clinical-sign-observed"),
    path(f"{P}relapse-signature/seen/<int:observation_id>/resolved/", events.sign_cleared,
         name="clinical-sign-cleared"),
    path(f"{P}carer-contact/<int:contact_id>/follow-up/", events.carer_follow_up,
         name="clinical-carer-follow-up"),
    path(f"{P}cto/<int:cto_id>/renew/", events.cto_renew, name="clinical-cto-renew"),
    path(f"{P}section-117/<int:s117_id>/review/", events.s117_review,
         name="clinical-s117-review"),
]
