"""Governance writes: DACTS reviews, feature ratings, ICB review returns and the action plan.

Keyword-only functions, one transaction each, attributed to a member of staff, raising
ValidationFailed (field errors, as records.services) or StaleEdit. Nothing here is about one
person, so there is no audit event: the rows themselves say who wrote what and when, and
assessments and status changes are history rows that are never edited.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.db.models import F, Max

from outreach.core.fidelity import DACTS, DACTS_BY_CODE, FEATURES_BY_KEY, DactsScore, Status
from outreach.governance.models import (
    ActionStatus,
    ActionUpdate,
    DactsAssessment,
    DactsItemScore,
    FeatureAssessment,
    Partner,
    PlanAction,
    ReturnStatus,
    ReviewReturn,
    Section,
    Timeframe,
)
from outreach.records.services import StaleEdit, ValidationFailed
from outreach.teams.models import StaffMember, Team

Errors = dict[str, list[str]]

SCORE_REQUIRED = "Choose a score from 1 to 5."
EVIDENCE_REQUIRED = "Write the evidence for this score."
OVERRIDE_NEEDS_EVIDENCE = (
    "The record gave a different score: say what the assessor found that the record does not "
    "show."
)
NOT_IN_FUTURE = "The date cannot be in the future."
STATUS_REQUIRED = "Choose met, partly met or not met."
UNKNOWN_FEATURE = "No such feature."
RETURN_SUBMITTED = "This return has been submitted: its figures and words are frozen."
DNA_NOT_CONFIRMED = (
    "Confirm that did-not-attend is never a reason for discharge before submitting "
    "(NHS England guidance, chapter 5), or record why it cannot be confirmed in the barriers."
)
TITLE_REQUIRED = "Enter a title."
ORGANISATION_REQUIRED = "Enter the integrated care board."
ACTION_REQUIRED = "Describe the action."
LEAD_REQUIRED = "Enter the lead organisation."
DONE_NEEDS_NOTE = "Say what was done."
NOTE_REQUIRED = "Write a note on the change."
DONE_DATE_REQUIRED = "Enter the date it was done."


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationFailed(errors)


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _not_future(errors: Errors, field: str, value: date | None, today: date) -> None:
    if value is not None and value > today:
        _add(errors, field, NOT_IN_FUTURE)


# --- DACTS ---------------------------------------------------------------------------------


@transaction.atomic
def dacts_record(*, team: Team, by: StaffMember, assessed_on: date, today: date,
                 scores: Mapping[str, int | None], evidence: Mapping[str, str],
                 computed: Mapping[str, tuple[float | None, int | None]],
                 reviewers: str = "", notes: str = "") -> DactsAssessment:
    """Record a DACTS review: every item scored with its evidence. `computed` is what the
    record gave for the computed items on the day (value, score), kept with the review; a
    score that differs from it needs evidence that says why."""
    errors: Errors = {}
    _not_future(errors, "assessed_on", assessed_on, today)
    clean: dict[str, int] = {}
    for item in DACTS:
        score = scores.get(item.code)
        text = (evidence.get(item.code) or "").strip()
        if score is None or type(score) is not int or not 1 <= score <= 5:
            _add(errors, f"score_{item.code}", SCORE_REQUIRED)
            continue
        clean[item.code] = score
        computed_score = computed.get(item.code, (None, None))[1]
        if computed_score is not None and score != computed_score and not text:
            _add(errors, f"evidence_{item.code}", OVERRIDE_NEEDS_EVIDENCE)
        elif computed_score is None and not text:
            _add(errors, f"evidence_{item.code}", EVIDENCE_REQUIRED)
    _raise(errors)
    total = DactsScore(clean).total
    assert total is not None  # every item is scored
    assessment = DactsAssessment.objects.create(
        team=team, assessed_on=assessed_on, assessor=by, reviewers=reviewers.strip(),
        notes=notes.strip(), total=total,
    )
    DactsItemScore.objects.bulk_create(
        DactsItemScore(
            assessment=assessment, code=item.code, score=clean[item.code],
            evidence=(evidence.get(item.code) or "").strip(),
            computed_value=computed.get(item.code, (None, None))[0],
            computed_score=computed.get(item.code, (None, None))[1],
        )
        for item in DACTS
    )
    return assessment


def dacts_item_label(code: str) -> str:
    item = DACTS_BY_CODE[code]
    return f"{item.code} {item.name}"


# --- Features ------------------------------------------------------------------------------


@transaction.atomic
def feature_assess(*, team: Team, by: StaffMember, feature: str, status: str, evidence: str,
                   gaps: str = "", assessed_on: date, today: date) -> FeatureAssessment:
    errors: Errors = {}
    if feature not in FEATURES_BY_KEY:
        _add(errors, "feature", UNKNOWN_FEATURE)
    if status not in {s.value for s in Status}:
        _add(errors, "status", STATUS_REQUIRED)
    if not evidence.strip():
        _add(errors, "evidence", EVIDENCE_REQUIRED)
    _not_future(errors, "assessed_on", assessed_on, today)
    _raise(errors)
    return FeatureAssessment.objects.create(
        team=team, feature=feature, status=status, evidence=evidence.strip(),
        gaps=gaps.strip(), assessed_on=assessed_on, assessed_by=by,
    )


# --- ICB review returns --------------------------------------------------------------------

RETURN_FIELDS = ("title", "organisation", "as_of", "partners", "policies_reviewed", "cohort",
                 "gaps_workforce", "gaps_resourcing", "barriers", "dna_policy_confirmed")


def _check_return(values: Mapping, today: date) -> Errors:
    errors: Errors = {}
    if not (values.get("title") or "").strip():
        _add(errors, "title", TITLE_REQUIRED)
    if not (values.get("organisation") or "").strip():
        _add(errors, "organisation", ORGANISATION_REQUIRED)
    _not_future(errors, "as_of", values.get("as_of"), today)
    partners = values.get("partners") or []
    if any(p not in Partner.values for p in partners):
        _add(errors, "partners", "Choose partners from the list.")
    return errors


@transaction.atomic
def return_create(*, by: StaffMember, today: date, **values) -> ReviewReturn:
    _raise(_check_return(values, today))
    data = {k: values[k] for k in RETURN_FIELDS if k in values}
    return ReviewReturn.objects.create(created_by=by, **data)


@transaction.atomic
def return_update(*, review: ReviewReturn, expected_version: int, today: date,
                  **values) -> ReviewReturn:
    if not review.is_draft:
        raise ValidationFailed({"__all__": [RETURN_SUBMITTED]})
    _raise(_check_return(values, today))
    updated = ReviewReturn.objects.filter(
        pk=review.pk, version=expected_version, status=ReturnStatus.DRAFT,
    ).update(version=F("version") + 1, **{k: values[k] for k in RETURN_FIELDS if k in values})
    if not updated:
        raise StaleEdit()
    review.refresh_from_db()
    return review


@transaction.atomic
def return_submit(*, review: ReviewReturn, by: StaffMember, expected_version: int,
                  today: date, snapshot: dict) -> ReviewReturn:
    """Freeze the return as sent: its figures, features and action plan go in `snapshot`."""
    if not review.is_draft:
        raise ValidationFailed({"__all__": [RETURN_SUBMITTED]})
    if not review.dna_policy_confirmed and not review.barriers.strip():
        raise ValidationFailed({"dna_policy_confirmed": [DNA_NOT_CONFIRMED]})
    updated = ReviewReturn.objects.filter(
        pk=review.pk, version=expected_version, status=ReturnStatus.DRAFT,
    ).update(version=F("version") + 1, status=ReturnStatus.SUBMITTED, snapshot=snapshot,
             submitted_on=today, submitted_by=by)
    if not updated:
        raise StaleEdit()
    review.refresh_from_db()
    return review


# --- The action plan -----------------------------------------------------------------------

ACTION_FIELDS = ("section", "action", "timeframe", "lead_organisation", "due_date",
                 "cost_implication")


def _check_action(values: Mapping) -> Errors:
    errors: Errors = {}
    if values.get("section") not in Section.values:
        _add(errors, "section", "Choose a section.")
    if not (values.get("action") or "").strip():
        _add(errors, "action", ACTION_REQUIRED)
    if values.get("timeframe") not in Timeframe.values:
        _add(errors, "timeframe", "Choose a timeframe.")
    if not (values.get("lead_organisation") or "").strip():
        _add(errors, "lead_organisation", LEAD_REQUIRED)
    return errors


@transaction.atomic
def action_create(*, by: StaffMember, **values) -> PlanAction:
    _raise(_check_action(values))
    # Numbered in order, as the Somerset plan is; the lock keeps two new actions apart.
    last = PlanAction.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0
    data = {k: values[k] for k in ACTION_FIELDS if k in values}
    data["cost_implication"] = (data.get("cost_implication") or "").strip() or "None"
    return PlanAction.objects.create(number=last + 1, created_by=by, **data)


@transaction.atomic
def action_update(*, action: PlanAction, expected_version: int, **values) -> PlanAction:
    _raise(_check_action(values))
    data = {k: values[k] for k in ACTION_FIELDS if k in values}
    data["cost_implication"] = (data.get("cost_implication") or "").strip() or "None"
    updated = PlanAction.objects.filter(pk=action.pk, version=expected_version).update(
        version=F("version") + 1, **data)
    if not updated:
        raise StaleEdit()
    action.refresh_from_db()
    return action


@transaction.atomic
def action_status(*, action: PlanAction, by: StaffMember, expected_version: int, status: str,
                  note: str, on: date, today: date) -> PlanAction:
    """Move an action on (or back): a history row says who, when, what and why."""
    errors: Errors = {}
    if status not in ActionStatus.values:
        _add(errors, "status", "Choose a status.")
    if not note.strip():
        _add(errors, "note", DONE_NEEDS_NOTE if status == ActionStatus.DONE else NOTE_REQUIRED)
    if on is None:
        _add(errors, "on", DONE_DATE_REQUIRED)
    _not_future(errors, "on", on, today)
    _raise(errors)
    updated = PlanAction.objects.filter(pk=action.pk, version=expected_version).update(
        version=F("version") + 1, status=status,
        done_on=on if status == ActionStatus.DONE else None,
    )
    if not updated:
        raise StaleEdit()
    ActionUpdate.objects.create(action=action, status=status, note=note.strip(), on=on, by=by)
    action.refresh_from_db()
    return action
