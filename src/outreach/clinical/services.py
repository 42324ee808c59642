"""Writes to the clinical record, in the house style of records/services.py: keyword-only
functions, each one transaction, attributed to a member of staff (`by`), audited explicitly,
field-level errors as ValidationFailed, stale edits refused with StaleEdit.

- `*_create` records a new entry. `*_amend` corrects one: it needs a reason, refuses a stale
  read (compare-and-swap on `version`), checks the corrected entry exactly as a new one would
  be checked, and keeps the old values in records.Amendment.
- `*_new_version` (plans and social circumstances) makes a new row that supersedes the current
  one; the old row is kept unchanged. Fields not given are carried over from the old version.
- Events that move an entry on (a dose recorded, a sign observed or cleared, a concern
  followed up, a CTO renewed, a Section 117 review held) have their own services.

Callers pass a Person (or an entry reached from one) that they got through
records.selectors.people_for, so scoping is the caller's; these functions check that related
entries (a carer, a sign, a depot) belong to the same person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_record
from outreach.clinical.config import add_months, clinical_config
from outreach.clinical.models import (
    DIALOG_MAX,
    DIALOG_MIN,
    MAX_CHOSEN_DOMAINS,
    AccommodationStatus,
    AdvanceChoice,
    CarePlan,
    CarePlanAction,
    CarerContact,
    CommunityTreatmentOrder,
    Depot,
    DepotDose,
    DialogItem,
    DialogRating,
    DoseOutcome,
    InjectionSite,
    Medication,
    MHADetention,
    MHASection,
    MultiAgency,
    MultiAgencyKind,
    OTAssessment,
    OTAssessmentKind,
    PhysicalHealthCheck,
    PoliceContact,
    RelapseSignature,
    RiskFormulation,
    SafetyPlan,
    Section117,
    SignObservation,
    SmokingStatus,
    SocialCircumstances,
    SubstanceUse,
    Versioned,
    WarningSign,
)
from outreach.core import depots, limits
from outreach.records.models import Amendment, Carer, Episode, EpisodeStatus, Person
from outreach.records.selectors import current_episode
from outreach.records.services import (
    FUTURE_DATE,
    REASON_REQUIRED,
    StaleEdit,
    ValidationFailed,
)
from outreach.teams.models import StaffMember

__all__ = ["StaleEdit", "ValidationFailed"]  # re-exported: one exception type for all apps

Errors = dict[str, list[str]]

CANNOT_AMEND = "This cannot be changed by an amendment."
NOT_CURRENT = (
    "This is not the current version: someone has made a newer one. Open the current version."
)
ALREADY_HAS = "{name} already has {what}. Make a new version of it instead."
NEW_VERSION_EARLIER = "A new version cannot be dated before the version it replaces ({date})."
ENTER_DATE = "Enter the {what}."
NOT_THIS_PERSON = "This {what} belongs to someone else's record."


def _today() -> date:
    return timezone.localdate()


def _fmt(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _is_date(value: object) -> bool:
    # A datetime is a date subclass but cannot be compared with one: refused, not crashed on.
    return isinstance(value, date) and not isinstance(value, datetime)


def _check_date(errors: Errors, v: Mapping, name: str, what: str, *, required: bool = True,
                past: bool = True) -> bool:
    """A date field: present when required, a date, and (for facts) not in the future.
    True when the field holds a usable date, for checks that compare it with others."""
    value = v.get(name)
    if value is None:
        if required:
            _add(errors, name, ENTER_DATE.format(what=what))
        return False
    if not _is_date(value):
        _add(errors, name, ENTER_DATE.format(what=what))
        return False
    if past and value > _today():
        _add(errors, name, FUTURE_DATE)
    return True


def _check_text(errors: Errors, v: Mapping, name: str, message: str) -> None:
    value = v.get(name)
    if not isinstance(value, str) or not value.strip():
        _add(errors, name, message)


def _bounds(v: Mapping) -> Errors:
    """Every entry's text within core.limits.NARRATIVE (a crisis plan, a formulation: long,
    but a document, not a paste) and no date before 1900. The forms hold shorter fields to
    their own, shorter limits."""
    errors: Errors = {}
    for name, value in v.items():
        label = name.replace("_", " ")
        for message in limits.text_problems(value, limits.NARRATIVE, label):
            _add(errors, name, message)
        if _is_date(value):
            for message in limits.date_problems(value):
                _add(errors, name, message)
    return errors


def _check_choice(errors: Errors, v: Mapping, name: str, choices, *, blank: bool = False) -> None:
    value = v.get(name)
    if blank and value in ("", None):
        return
    if value not in choices.values:
        labels = "; ".join(str(label) for label in choices.labels)
        _add(errors, name, f"Choose one of: {labels}.")


def _check_bool(errors: Errors, v: Mapping, name: str) -> None:
    if not isinstance(v.get(name), bool):
        _add(errors, name, "Answer yes or no.")


def _clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _clean_list(values: Iterable[str] | None) -> list[str]:
    return [s.strip() for s in (values or ()) if isinstance(s, str) and s.strip()]


def _check_shared_with(errors: Errors, v: Mapping) -> None:
    value = v.get("shared_with")
    if isinstance(value, str) or not isinstance(value, list | tuple):
        _add(errors, "shared_with", "Give a list of who the plan was shared with.")


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    return value


def _bump_version(model: type[Model], pk: int, expected_version: int) -> None:
    """Compare-and-swap on the version column: refuses an edit based on a stale read."""
    updated = model.objects.filter(pk=pk, version=expected_version).update(
        version=F("version") + 1
    )
    if updated != 1:
        raise StaleEdit()


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationFailed(errors)


def _episode(person: Person) -> Episode | None:
    return current_episode(person)


def _stepped_up(episode: Episode | None) -> bool:
    return episode is not None and episode.status == EpisodeStatus.STEPPED_UP


def _lock_person(person: Person) -> None:
    """Serialise writes that must see each other (one current plan per person)."""
    list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk"))


def _audit(request, person_id: int, action: str, what: str) -> None:
    audit_record(request=request, person_id=person_id, action=action, what=what)


def _name(model: type[Model]) -> str:
    return str(model._meta.verbose_name)


def _amend(
    obj: Model, *, by: StaffMember, request, expected_version: int, reason: str,
    changes: Mapping[str, Any], fields: Sequence[str], check: Callable[[dict], Errors],
    extra: Callable[[Model], dict] | None = None, extra_keys: Sequence[str] = (),
) -> Model:
    """Correct an entry: compare-and-swap, re-check the whole entry, keep the old values.

    `extra` applies changes kept in other rows (e.g. DIALOG ratings) and returns their diff.
    """
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationFailed({"reason": [REASON_REQUIRED]})
    if too_long := limits.text_problems(reason, limits.REASON, "Reason"):
        raise ValidationFailed({"reason": too_long})
    unknown = sorted(set(changes) - set(fields) - set(extra_keys))
    if unknown:
        raise ValidationFailed({name: [CANNOT_AMEND] for name in unknown})
    model = type(obj)
    _bump_version(model, obj.pk, expected_version)
    obj.refresh_from_db()
    own = {k: _clean(v) for k, v in changes.items() if k in fields}
    if "shared_with" in own and isinstance(own["shared_with"], list | tuple):
        own["shared_with"] = _clean_list(own["shared_with"])
    values = {name: getattr(obj, name) for name in fields} | own
    _raise(check(values))
    diff = {}
    for name, new in own.items():
        old = getattr(obj, name)
        if old != new:
            diff[name] = [_jsonable(old), _jsonable(new)]
            setattr(obj, name, new)
    obj.save(update_fields=[*own, "version"])
    if extra is not None:
        diff |= extra(obj)
    Amendment.objects.create(
        person_id=obj.person_id, entity=model._meta.model_name, entity_id=obj.pk,
        changes=diff, reason=reason.strip(), amended_by=by,
    )
    _audit(request, obj.person_id, AuditAction.AMEND,
           f"amended {_name(model)} {obj.pk}: {', '.join(sorted(changes)) or 'nothing'}")
    return obj


def _record_history(obj: Model, *, by: StaffMember, old: Mapping[str, Any], reason: str) -> None:
    """Keep the values an event replaced (a CTO's old expiry, a review's old date)."""
    diff = {
        name: [_jsonable(value), _jsonable(getattr(obj, name))]
        for name, value in old.items() if value != getattr(obj, name)
    }
    Amendment.objects.create(
        person_id=obj.person_id, entity=type(obj)._meta.model_name, entity_id=obj.pk,
        changes=diff, reason=reason, amended_by=by,
    )


# --- Versioned entries ---------------------------------------------------------------------


def _already_current(model: type[Versioned], person: Person, what: str) -> Errors:
    """One chain of versions per person, so exactly one current version: a first version
    is refused when there is a current one already."""
    _lock_person(person)
    if model.objects.filter(person=person, superseded_by__isnull=True).exists():
        return {"person": [ALREADY_HAS.format(name=person, what=what)]}
    return {}


def _supersede(old: Versioned, expected_version: int) -> None:
    """Take the old version for superseding: refuses a stale read, or a superseded one."""
    _bump_version(type(old), old.pk, expected_version)
    old.refresh_from_db()
    if not old.is_current:
        raise ValidationFailed({"supersedes": [NOT_CURRENT]})


def _carry(old: Model, fields: Sequence[str], changes: Mapping[str, Any]) -> dict:
    unknown = sorted(set(changes) - set(fields))
    if unknown:
        raise ValidationFailed({name: ["Unknown field."] for name in unknown})
    values = {name: getattr(old, name) for name in fields}
    values |= {k: _clean(v) for k, v in changes.items()}
    if isinstance(values.get("shared_with"), list | tuple):
        values["shared_with"] = _clean_list(values["shared_with"])
    return values


def _check_not_earlier(errors: Errors, values: Mapping, old: Model, name: str) -> None:
    new, before = values.get(name), getattr(old, name)
    if _is_date(new) and new < before:
        _add(errors, name, NEW_VERSION_EARLIER.format(date=_fmt(before)))


def _review_due(start: date | None, months: int, stepped_months: int,
                episode: Episode | None) -> date | None:
    if not _is_date(start):
        return None
    return add_months(start, stepped_months if _stepped_up(episode) else months)


def _check_review(errors: Errors, v: Mapping, start_name: str, start_what: str,
                  *, max_months: int | None = None) -> None:
    start, due = v.get(start_name), v.get("review_due")
    if not _check_date(errors, v, "review_due", "review date", past=False):
        return
    if not _is_date(start):
        return
    if due <= start:
        _add(errors, "review_due", f"The review date must be after the {start_what}.")
    elif max_months is not None and due > add_months(start, max_months):
        latest = add_months(start, max_months)
        _add(errors, "review_due",
             f"The review must be at most {max_months} months after the {start_what}, "
             f"by {_fmt(latest)}.")


# --- Care plan (DIALOG+) ---------------------------------------------------------------------

CARE_PLAN_FIELDS = ("date", "review_due", "persons_words", "chosen_domains",
                    "co_produced_with", "shared_with")


def _check_care_plan(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_date(errors, v, "date", "date of the care plan")
    _check_review(errors, v, "date", "care plan's date",
                  max_months=clinical_config().care_plan_review_max_months)
    domains = v.get("chosen_domains")
    if isinstance(domains, str) or not isinstance(domains, list | tuple):
        _add(errors, "chosen_domains", "Give the chosen areas as a list.")
    else:
        if len(domains) > MAX_CHOSEN_DOMAINS:
            _add(errors, "chosen_domains",
                 f"The person chooses up to {MAX_CHOSEN_DOMAINS} areas to discuss.")
        if any(d not in DialogItem.values for d in domains):
            _add(errors, "chosen_domains", "Choose the areas from the 11 DIALOG items.")
        if len(set(domains)) != len(domains):
            _add(errors, "chosen_domains", "Choose each area once.")
    _check_shared_with(errors, v)
    return errors


def _check_ratings(errors: Errors, ratings: Any, *, partial: bool = False) -> dict:
    """{item: (score 1-7, wants_more_help)} for all 11 DIALOG items (or some, when amending)."""
    if not isinstance(ratings, Mapping):
        _add(errors, "ratings", "Give a rating for each DIALOG item.")
        return {}
    clean = {}
    unknown = sorted(set(ratings) - set(DialogItem.values))
    if unknown:
        _add(errors, "ratings", f"Not DIALOG items: {', '.join(map(str, unknown))}.")
    missing = [DialogItem(i).label for i in DialogItem.values if i not in ratings]
    if missing and not partial:
        _add(errors, "ratings", f"Rate all 11 DIALOG items; not rated: {', '.join(missing)}.")
    for item in DialogItem.values:
        if item not in ratings:
            continue
        value = ratings[item]
        try:
            score, wants_more_help = value
        except (TypeError, ValueError):
            _add(errors, f"ratings.{item}", "Give a score and whether more help is wanted.")
            continue
        if type(score) is not int or not DIALOG_MIN <= score <= DIALOG_MAX:
            _add(errors, f"ratings.{item}",
                 f"{DialogItem(item).label}: score from {DIALOG_MIN} (totally dissatisfied) "
                 f"to {DIALOG_MAX} (totally satisfied).")
        if not isinstance(wants_more_help, bool):
            _add(errors, f"ratings.{item}",
                 f"{DialogItem(item).label}: say whether the person wants more help.")
        clean[item] = (score, wants_more_help)
    return clean


def _check_actions(errors: Errors, actions: Any) -> list[dict]:
    """[{what, who, domain?}]: step 4 of DIALOG+, who does what."""
    if isinstance(actions, str | Mapping) or not isinstance(actions, Iterable):
        _add(errors, "actions", "Give the actions as a list.")
        return []
    clean = []
    for i, a in enumerate(actions):
        if not isinstance(a, Mapping):
            _add(errors, f"actions.{i}", "Give what is to be done and who does it.")
            continue
        row = {"what": _clean(a.get("what", "")), "who": _clean(a.get("who", "")),
               "domain": a.get("domain", "") or ""}
        _check_text(errors, row, "what", "Say what is to be done.")
        _check_text(errors, row, "who", "Say who does it.")
        for name in ("what", "who"):
            if name in errors:
                errors[f"actions.{i}.{name}"] = errors.pop(name)
        if row["domain"] and row["domain"] not in DialogItem.values:
            _add(errors, f"actions.{i}.domain", "Choose the area from the 11 DIALOG items.")
        clean.append(row)
    return clean


def _save_plan_children(plan: CarePlan, ratings: Mapping, actions: list[dict]) -> None:
    DialogRating.objects.bulk_create(
        DialogRating(plan=plan, item=item, score=score, wants_more_help=help_)
        for item, (score, help_) in ratings.items()
    )
    CarePlanAction.objects.bulk_create(
        CarePlanAction(plan=plan, order=n, domain=a["domain"], what=a["what"], who=a["who"])
        for n, a in enumerate(actions, 1)
    )


def _care_plan_values(values: dict, episode: Episode | None) -> dict:
    if values.get("review_due") is None:
        config = clinical_config()
        values["review_due"] = _review_due(
            values.get("date"), config.care_plan_review_months,
            config.care_plan_review_months_stepped_up, episode,
        )
    values["chosen_domains"] = list(values.get("chosen_domains") or [])
    return values


@transaction.atomic
def care_plan_create(
    *, person: Person, by: StaffMember, request, date: date, ratings: Mapping,
    persons_words: str = "", chosen_domains: Sequence[str] = (),
    actions: Sequence[Mapping] = (), review_due: date | None = None,
    co_produced_with: str = "", shared_with: Sequence[str] = (),
) -> CarePlan:
    """A DIALOG+ care plan: the 11 ratings, the person's words, up to 3 chosen areas, actions.
    The review date defaults to 6 months (1 month when stepped up) and is at most 6 months."""
    already = _already_current(CarePlan, person, "a care plan")
    episode = _episode(person)
    values = _care_plan_values({
        "date": date, "review_due": review_due, "persons_words": _clean(persons_words),
        "chosen_domains": chosen_domains, "co_produced_with": _clean(co_produced_with),
        "shared_with": _clean_list(shared_with),
    }, episode)
    errors = already | _check_care_plan(values)
    clean_ratings = _check_ratings(errors, ratings)
    clean_actions = _check_actions(errors, actions)
    _raise(errors)
    plan = CarePlan.objects.create(person=person, episode=episode, recorded_by=by, **values)
    _save_plan_children(plan, clean_ratings, clean_actions)
    _audit(request, person.pk, AuditAction.CREATE, "care plan created")
    return plan


@transaction.atomic
def care_plan_new_version(
    *, plan: CarePlan, by: StaffMember, request, expected_version: int, date: date,
    ratings: Mapping, actions: Sequence[Mapping] | None = None,
    review_due: date | None = None, **changes,
) -> CarePlan:
    """A review: new ratings (a new DIALOG session), the rest carried over unless given.
    The review date is worked out afresh from the new date unless given."""
    _supersede(plan, expected_version)
    episode = _episode(plan.person)
    values = _carry(plan, CARE_PLAN_FIELDS, {**changes, "date": date, "review_due": review_due})
    values = _care_plan_values(values, episode)
    errors = _check_care_plan(values)
    _check_not_earlier(errors, values, plan, "date")
    clean_ratings = _check_ratings(errors, ratings)
    if actions is None:
        actions = [{"what": a.what, "who": a.who, "domain": a.domain}
                   for a in plan.actions.all()]
    clean_actions = _check_actions(errors, actions)
    _raise(errors)
    new = CarePlan.objects.create(person_id=plan.person_id, episode=episode, recorded_by=by,
                                  supersedes=plan, **values)
    _save_plan_children(new, clean_ratings, clean_actions)
    _audit(request, plan.person_id, AuditAction.CREATE, f"care plan new version of {plan.pk}")
    return new


@transaction.atomic
def care_plan_amend(
    *, plan: CarePlan, by: StaffMember, request, expected_version: int, reason: str,
    changes: Mapping[str, Any],
) -> CarePlan:
    """Correct a care plan. `changes` may include "ratings": {item: (score, wants_more_help)}
    for the items to correct."""
    new_ratings = changes.get("ratings")
    errors: Errors = {}
    clean = _check_ratings(errors, new_ratings, partial=True) if new_ratings is not None else {}
    _raise(errors)

    def apply_ratings(obj: CarePlan) -> dict:
        diff = {}
        existing = {r.item: r for r in obj.ratings.all()}
        for item, (score, help_) in clean.items():
            row = existing.get(item)
            if row is None:
                DialogRating.objects.create(plan=obj, item=item, score=score,
                                            wants_more_help=help_)
                diff[f"rating:{item}"] = [None, [score, help_]]
            elif (row.score, row.wants_more_help) != (score, help_):
                diff[f"rating:{item}"] = [[row.score, row.wants_more_help], [score, help_]]
                DialogRating.objects.filter(pk=row.pk).update(score=score,
                                                              wants_more_help=help_)
        return diff

    return _amend(plan, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=CARE_PLAN_FIELDS,
                  check=_check_care_plan, extra=apply_ratings if clean else None,
                  extra_keys=("ratings",))


# --- Safety plan and advance choice ----------------------------------------------------------

SAFETY_PLAN_FIELDS = ("date", "review_due", "wants_in_crisis", "who_to_contact", "what_helps",
                      "what_does_not_help", "co_produced_with", "shared_with")


def _check_safety_plan(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_date(errors, v, "date", "date of the safety plan")
    _check_review(errors, v, "date", "safety plan's date")
    _check_text(errors, v, "wants_in_crisis",
                "Say what the person wants to happen in a crisis, in their words.")
    _check_text(errors, v, "who_to_contact", "Say who to contact in a crisis.")
    _check_shared_with(errors, v)
    return errors


def _safety_review_default(values: dict, episode: Episode | None) -> dict:
    if values.get("review_due") is None:
        config = clinical_config()
        values["review_due"] = _review_due(
            values.get("date"), config.safety_plan_review_months,
            config.safety_plan_review_months_stepped_up, episode,
        )
    return values


@transaction.atomic
def safety_plan_create(
    *, person: Person, by: StaffMember, request, date: date, wants_in_crisis: str,
    who_to_contact: str, what_helps: str = "", what_does_not_help: str = "",
    review_due: date | None = None, co_produced_with: str = "",
    shared_with: Sequence[str] = (),
) -> SafetyPlan:
    already = _already_current(SafetyPlan, person, "a safety plan")
    episode = _episode(person)
    values = _safety_review_default({
        "date": date, "review_due": review_due, "wants_in_crisis": _clean(wants_in_crisis),
        "who_to_contact": _clean(who_to_contact), "what_helps": _clean(what_helps),
        "what_does_not_help": _clean(what_does_not_help),
        "co_produced_with": _clean(co_produced_with), "shared_with": _clean_list(shared_with),
    }, episode)
    _raise(already | _check_safety_plan(values))
    plan = SafetyPlan.objects.create(person=person, episode=episode, recorded_by=by, **values)
    _audit(request, person.pk, AuditAction.CREATE, "safety plan created")
    return plan


@transaction.atomic
def safety_plan_new_version(
    *, plan: SafetyPlan, by: StaffMember, request, expected_version: int, date: date,
    review_due: date | None = None, **changes,
) -> SafetyPlan:
    _supersede(plan, expected_version)
    episode = _episode(plan.person)
    values = _carry(plan, SAFETY_PLAN_FIELDS, {**changes, "date": date, "review_due": review_due})
    values = _safety_review_default(values, episode)
    errors = _check_safety_plan(values)
    _check_not_earlier(errors, values, plan, "date")
    _raise(errors)
    new = SafetyPlan.objects.create(person_id=plan.person_id, episode=episode, recorded_by=by,
                                    supersedes=plan, **values)
    _audit(request, plan.person_id, AuditAction.CREATE, f"safety plan new version of {plan.pk}")
    return new


@transaction.atomic
def safety_plan_amend(*, plan: SafetyPlan, by: StaffMember, request, expected_version: int,
                      reason: str, changes: Mapping[str, Any]) -> SafetyPlan:
    return _amend(plan, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=SAFETY_PLAN_FIELDS,
                  check=_check_safety_plan)


ADVANCE_CHOICE_FIELDS = ("date", "statements", "co_produced_with", "shared_with")


def _check_advance_choice(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_date(errors, v, "date", "date of the advance choice document")
    _check_text(errors, v, "statements", "Write the person's statements, in their words.")
    _check_shared_with(errors, v)
    return errors


@transaction.atomic
def advance_choice_create(
    *, person: Person, by: StaffMember, request, date: date, statements: str,
    co_produced_with: str = "", shared_with: Sequence[str] = (),
) -> AdvanceChoice:
    already = _already_current(AdvanceChoice, person, "an advance choice document")
    values = {"date": date, "statements": _clean(statements),
              "co_produced_with": _clean(co_produced_with),
              "shared_with": _clean_list(shared_with)}
    _raise(already | _check_advance_choice(values))
    doc = AdvanceChoice.objects.create(person=person, episode=_episode(person), recorded_by=by,
                                       **values)
    _audit(request, person.pk, AuditAction.CREATE, "advance choice document created")
    return doc


@transaction.atomic
def advance_choice_new_version(
    *, document: AdvanceChoice, by: StaffMember, request, expected_version: int, date: date,
    **changes,
) -> AdvanceChoice:
    _supersede(document, expected_version)
    values = _carry(document, ADVANCE_CHOICE_FIELDS, {**changes, "date": date})
    errors = _check_advance_choice(values)
    _check_not_earlier(errors, values, document, "date")
    _raise(errors)
    new = AdvanceChoice.objects.create(
        person_id=document.person_id, episode=_episode(document.person), recorded_by=by,
        supersedes=document, **values,
    )
    _audit(request, document.person_id, AuditAction.CREATE,
           f"advance choice document new version of {document.pk}")
    return new


@transaction.atomic
def advance_choice_amend(*, document: AdvanceChoice, by: StaffMember, request,
                         expected_version: int, reason: str,
                         changes: Mapping[str, Any]) -> AdvanceChoice:
    return _amend(document, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=ADVANCE_CHOICE_FIELDS,
                  check=_check_advance_choice)


# --- Relapse signature -----------------------------------------------------------------------

RELAPSE_SIGNATURE_FIELDS = ("date", "co_produced_with", "shared_with")


def _check_relapse_signature(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_date(errors, v, "date", "date of the relapse signature")
    _check_shared_with(errors, v)
    return errors


def _check_signs(errors: Errors, signs: Any) -> list[dict]:
    """[{sign, what_to_do}] in the order the signs usually come."""
    if isinstance(signs, str | Mapping) or not isinstance(signs, Iterable):
        _add(errors, "signs", "Give the warning signs as a list, in order.")
        return []
    clean = []
    for i, s in enumerate(signs):
        if not isinstance(s, Mapping):
            _add(errors, f"signs.{i}", "Give the sign and what to do.")
            continue
        row = {"sign": _clean(s.get("sign", "")), "what_to_do": _clean(s.get("what_to_do", ""))}
        if not isinstance(row["sign"], str) or not row["sign"]:
            _add(errors, f"signs.{i}.sign", "Describe the sign in the person's own words.")
        clean.append(row)
    if not clean and "signs" not in errors:
        _add(errors, "signs", "Give at least one early warning sign.")
    return clean


def _save_signs(signature: RelapseSignature, signs: list[dict]) -> None:
    WarningSign.objects.bulk_create(
        WarningSign(signature=signature, order=n, sign=s["sign"], what_to_do=s["what_to_do"])
        for n, s in enumerate(signs, 1)
    )


@transaction.atomic
def relapse_signature_create(
    *, person: Person, by: StaffMember, request, date: date, signs: Sequence[Mapping],
    co_produced_with: str = "", shared_with: Sequence[str] = (),
) -> RelapseSignature:
    already = _already_current(RelapseSignature, person, "a relapse signature")
    values = {"date": date, "co_produced_with": _clean(co_produced_with),
              "shared_with": _clean_list(shared_with)}
    errors = already | _check_relapse_signature(values)
    clean = _check_signs(errors, signs)
    _raise(errors)
    signature = RelapseSignature.objects.create(person=person, episode=_episode(person),
                                                recorded_by=by, **values)
    _save_signs(signature, clean)
    _audit(request, person.pk, AuditAction.CREATE, "relapse signature created")
    return signature


@transaction.atomic
def relapse_signature_new_version(
    *, signature: RelapseSignature, by: StaffMember, request, expected_version: int,
    date: date, signs: Sequence[Mapping] | None = None, **changes,
) -> RelapseSignature:
    """New signs, or the old ones carried over. Observations of the old version's signs stay
    (and stay red flags) until they are cleared."""
    _supersede(signature, expected_version)
    values = _carry(signature, RELAPSE_SIGNATURE_FIELDS, {**changes, "date": date})
    errors = _check_relapse_signature(values)
    _check_not_earlier(errors, values, signature, "date")
    if signs is None:
        signs = [{"sign": s.sign, "what_to_do": s.what_to_do} for s in signature.signs.all()]
    clean = _check_signs(errors, signs)
    _raise(errors)
    new = RelapseSignature.objects.create(
        person_id=signature.person_id, episode=_episode(signature.person), recorded_by=by,
        supersedes=signature, **values,
    )
    _save_signs(new, clean)
    _audit(request, signature.person_id, AuditAction.CREATE,
           f"relapse signature new version of {signature.pk}")
    return new


@transaction.atomic
def relapse_signature_amend(*, signature: RelapseSignature, by: StaffMember, request,
                            expected_version: int, reason: str,
                            changes: Mapping[str, Any]) -> RelapseSignature:
    """Correct the date or sharing; the signs themselves change by a new version."""
    return _amend(signature, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=RELAPSE_SIGNATURE_FIELDS,
                  check=_check_relapse_signature)


@transaction.atomic
def sign_observed(
    *, sign: WarningSign, by: StaffMember, request, observed_on: date, note: str = "",
    observed_by: StaffMember | None = None,
) -> SignObservation:
    """A worker saw one of the person's early warning signs: a red flag until cleared."""
    signature = sign.signature
    errors: Errors = {}
    _check_date(errors, {"observed_on": observed_on}, "observed_on", "date the sign was seen")
    if not signature.is_current:
        _add(errors, "sign", "This sign is from an earlier version of the relapse signature. "
             "Record it against the current version.")
    _raise(errors)
    observation = SignObservation.objects.create(
        person_id=signature.person_id, episode=_episode(signature.person), recorded_by=by,
        sign=sign, observed_on=observed_on, observed_by=observed_by or by, note=_clean(note),
    )
    _audit(request, signature.person_id, AuditAction.CREATE,
           f"early warning sign observed: {sign.sign}")
    return observation


@transaction.atomic
def sign_cleared(
    *, observation: SignObservation, by: StaffMember, request, expected_version: int,
    cleared_on: date, note: str = "",
) -> SignObservation:
    """A clinician records that an observed sign has resolved; the red flag clears."""
    errors: Errors = {}
    if _check_date(errors, {"cleared_on": cleared_on}, "cleared_on", "date the sign resolved"):
        if cleared_on < observation.observed_on:
            _add(errors, "cleared_on", "A sign cannot resolve before it was seen "
                 f"({_fmt(observation.observed_on)}).")
    if observation.cleared_on is not None:
        _add(errors, "cleared_on", f"Already recorded as resolved on "
             f"{_fmt(observation.cleared_on)}.")
    _raise(errors)
    _bump_version(SignObservation, observation.pk, expected_version)
    SignObservation.objects.filter(pk=observation.pk).update(
        cleared_on=cleared_on, cleared_by=by, clear_note=_clean(note)
    )
    observation.refresh_from_db()
    _audit(request, observation.person_id, AuditAction.UPDATE, "early warning sign resolved")
    return observation


# --- Risk formulation ------------------------------------------------------------------------

RISK_FIELDS = ("history", "triggers", "protective_factors", "what_reduces_risk",
               "two_staff_visits", "reviewed_on", "review_due", "co_produced_with",
               "shared_with")


def _check_risk(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_text(errors, v, "history",
                "Describe the history and the situations in which harm happened.")
    _check_text(errors, v, "triggers", "Describe the triggers.")
    _check_text(errors, v, "protective_factors", "Describe the protective factors.")
    _check_text(errors, v, "what_reduces_risk", "Describe what reduces the risk.")
    _check_bool(errors, v, "two_staff_visits")
    _check_date(errors, v, "reviewed_on", "date of the review")
    _check_review(errors, v, "reviewed_on", "date it was reviewed")
    _check_shared_with(errors, v)
    return errors


def _risk_review_default(values: dict, episode: Episode | None) -> dict:
    if values.get("review_due") is None:
        config = clinical_config()
        values["review_due"] = _review_due(values.get("reviewed_on"), config.risk_review_months,
                                           config.risk_review_months_stepped_up, episode)
    return values


@transaction.atomic
def risk_formulation_create(
    *, person: Person, by: StaffMember, request, history: str, triggers: str,
    protective_factors: str, what_reduces_risk: str, reviewed_on: date,
    two_staff_visits: bool = False, review_due: date | None = None,
    co_produced_with: str = "", shared_with: Sequence[str] = (),
) -> RiskFormulation:
    """A structured narrative, reviewed on a date. Never a score (design rule 6)."""
    already = _already_current(RiskFormulation, person, "a risk formulation")
    episode = _episode(person)
    values = _risk_review_default({
        "history": _clean(history), "triggers": _clean(triggers),
        "protective_factors": _clean(protective_factors),
        "what_reduces_risk": _clean(what_reduces_risk), "two_staff_visits": two_staff_visits,
        "reviewed_on": reviewed_on, "review_due": review_due,
        "co_produced_with": _clean(co_produced_with), "shared_with": _clean_list(shared_with),
    }, episode)
    _raise(already | _check_risk(values))
    formulation = RiskFormulation.objects.create(person=person, episode=episode,
                                                 recorded_by=by, **values)
    _audit(request, person.pk, AuditAction.CREATE, "risk formulation created")
    return formulation


@transaction.atomic
def risk_formulation_new_version(
    *, formulation: RiskFormulation, by: StaffMember, request, expected_version: int,
    reviewed_on: date, review_due: date | None = None, **changes,
) -> RiskFormulation:
    _supersede(formulation, expected_version)
    episode = _episode(formulation.person)
    values = _carry(formulation, RISK_FIELDS,
                    {**changes, "reviewed_on": reviewed_on, "review_due": review_due})
    values = _risk_review_default(values, episode)
    errors = _check_risk(values)
    _check_not_earlier(errors, values, formulation, "reviewed_on")
    _raise(errors)
    new = RiskFormulation.objects.create(person_id=formulation.person_id, episode=episode,
                                         recorded_by=by, supersedes=formulation, **values)
    _audit(request, formulation.person_id, AuditAction.CREATE,
           f"risk formulation new version of {formulation.pk}")
    return new


@transaction.atomic
def risk_formulation_amend(*, formulation: RiskFormulation, by: StaffMember, request,
                           expected_version: int, reason: str,
                           changes: Mapping[str, Any]) -> RiskFormulation:
    return _amend(formulation, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=RISK_FIELDS, check=_check_risk)


# --- Medication ------------------------------------------------------------------------------

MEDICATION_FIELDS = ("name", "dose", "frequency", "started", "stopped",
                     "stopped_against_advice", "restarted")


def _check_medication(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_text(errors, v, "name", "Enter the medicine's name.")
    _check_text(errors, v, "dose", "Enter the dose.")
    _check_text(errors, v, "frequency", "Enter how often it is taken.")
    _check_bool(errors, v, "stopped_against_advice")
    started = _check_date(errors, v, "started", "date it was started")
    stopped = _check_date(errors, v, "stopped", "date it was stopped", required=False)
    restarted = _check_date(errors, v, "restarted", "date it was restarted", required=False)
    if started and stopped and v["stopped"] < v["started"]:
        _add(errors, "stopped", "A medicine cannot be stopped before it was started "
             f"({_fmt(v['started'])}).")
    if v.get("stopped") is None and v.get("stopped_against_advice"):
        _add(errors, "stopped_against_advice", "Only a stopped medicine can be stopped against "
             "advice: give the date it was stopped.")
    if v.get("restarted") is not None:
        if v.get("stopped") is None:
            _add(errors, "restarted", "Only a stopped medicine can be restarted.")
        elif restarted and stopped and v["restarted"] < v["stopped"]:
            _add(errors, "restarted", "A medicine cannot be restarted before it was stopped "
                 f"({_fmt(v['stopped'])}).")
    return errors


@transaction.atomic
def medication_start(*, person: Person, by: StaffMember, request, name: str, dose: str,
                     frequency: str, started: date) -> Medication:
    values = {"name": _clean(name), "dose": _clean(dose), "frequency": _clean(frequency),
              "started": started, "stopped": None, "stopped_against_advice": False,
              "restarted": None}
    _raise(_check_medication(values))
    medication = Medication.objects.create(person=person, episode=_episode(person),
                                           recorded_by=by, **values)
    _audit(request, person.pk, AuditAction.CREATE, f"medication started: {values['name']}")
    return medication


@transaction.atomic
def medication_stop(*, medication: Medication, by: StaffMember, request, expected_version: int,
                    stopped: date, against_advice: bool = False) -> Medication:
    """Stopped against advice raises a red flag until a restart is recorded."""
    if medication.stopped is not None:
        raise ValidationFailed({"stopped": [
            f"Already recorded as stopped on {_fmt(medication.stopped)}."]})
    values = {name: getattr(medication, name) for name in MEDICATION_FIELDS}
    values |= {"stopped": stopped, "stopped_against_advice": against_advice}
    _raise(_check_medication(values))
    _bump_version(Medication, medication.pk, expected_version)
    Medication.objects.filter(pk=medication.pk).update(
        stopped=stopped, stopped_against_advice=against_advice
    )
    medication.refresh_from_db()
    _audit(request, medication.person_id, AuditAction.UPDATE,
           f"medication stopped{' against advice' if against_advice else ''}: "
           f"{medication.name}")
    return medication


@transaction.atomic
def medication_restart(*, medication: Medication, by: StaffMember, request,
                       expected_version: int, restarted: date, dose: str | None = None,
                       frequency: str | None = None) -> Medication:
    """Record the restart on the stopped row (which clears its red flag) and start a new row
    for the medicine as now taken. Returns the new row."""
    errors: Errors = {}
    if medication.stopped is None:
        _add(errors, "restarted", "Only a stopped medicine can be restarted.")
    elif medication.restarted is not None:
        _add(errors, "restarted", f"Already restarted on {_fmt(medication.restarted)}.")
    _raise(errors)
    values = {name: getattr(medication, name) for name in MEDICATION_FIELDS}
    _raise(_check_medication(values | {"restarted": restarted}))
    _bump_version(Medication, medication.pk, expected_version)
    Medication.objects.filter(pk=medication.pk).update(restarted=restarted)
    medication.refresh_from_db()
    _audit(request, medication.person_id, AuditAction.UPDATE,
           f"medication restarted: {medication.name}")
    return medication_start(
        person=medication.person, by=by, request=request, name=medication.name,
        dose=medication.dose if dose is None else dose,
        frequency=medication.frequency if frequency is None else frequency, started=restarted,
    )


@transaction.atomic
def medication_amend(*, medication: Medication, by: StaffMember, request,
                     expected_version: int, reason: str,
                     changes: Mapping[str, Any]) -> Medication:
    return _amend(medication, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=MEDICATION_FIELDS,
                  check=_check_medication)


# --- Depots ----------------------------------------------------------------------------------

DEPOT_FIELDS = ("medicine", "dose", "interval_days", "started_on", "next_due", "tolerance_days")
MAX_DEPOT_INTERVAL = 366  # six-monthly preparations exist; nothing is given less often


def _check_depot(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_text(errors, v, "medicine", "Enter the depot medicine.")
    _check_text(errors, v, "dose", "Enter the dose.")
    interval, tolerance = v.get("interval_days"), v.get("tolerance_days")
    interval_ok = type(interval) is int and 1 <= interval <= MAX_DEPOT_INTERVAL
    if not interval_ok:
        _add(errors, "interval_days", "The interval between injections must be a whole number "
             f"of days from 1 to {MAX_DEPOT_INTERVAL}.")
    if type(tolerance) is not int or tolerance < 0:
        _add(errors, "tolerance_days",
             "How late a dose may be given must be a whole number of days, 0 or more.")
    elif interval_ok and tolerance >= interval:
        _add(errors, "tolerance_days",
             "How late a dose may be given must be less than the interval between injections.")
    started = _check_date(errors, v, "started_on", "date the depot was started", past=False)
    next_due = _check_date(errors, v, "next_due", "date the next injection is due", past=False)
    if started and next_due and v["next_due"] < v["started_on"]:
        _add(errors, "next_due", "The next injection cannot be due before the depot started "
             f"({_fmt(v['started_on'])}).")
    return errors


@transaction.atomic
def depot_start(
    *, person: Person, by: StaffMember, request, medicine: str, dose: str, interval_days: int,
    next_due: date, started_on: date | None = None, tolerance_days: int | None = None,
) -> Depot:
    values = {
        "medicine": _clean(medicine), "dose": _clean(dose), "interval_days": interval_days,
        "started_on": started_on or _today(), "next_due": next_due,
        "tolerance_days": (clinical_config().depot_tolerance_days if tolerance_days is None
                           else tolerance_days),
    }
    _raise(_check_depot(values))
    depot = Depot.objects.create(person=person, episode=_episode(person), recorded_by=by,
                                 **values)
    _audit(request, person.pk, AuditAction.CREATE, f"depot started: {values['medicine']}")
    return depot


@transaction.atomic
def depot_stop(*, depot: Depot, by: StaffMember, request, expected_version: int,
               stopped_on: date, reason: str, against_advice: bool = False) -> Depot:
    """Stop a depot (it leaves the due lists). Stopped against advice raises the
    medication-stopped red flag until the same medicine is started again."""
    errors: Errors = {}
    if not depot.active:
        _add(errors, "stopped_on", f"Already stopped on {_fmt(depot.stopped_on)}.")
    if _check_date(errors, {"stopped_on": stopped_on}, "stopped_on", "date it was stopped"):
        if stopped_on < depot.started_on:
            _add(errors, "stopped_on", "A depot cannot stop before it started "
                 f"({_fmt(depot.started_on)}).")
    if not isinstance(reason, str) or not reason.strip():
        _add(errors, "reason", "Say why the depot is stopped.")
    if not isinstance(against_advice, bool):
        _add(errors, "against_advice", "Answer yes or no.")
    _raise(errors)
    _bump_version(Depot, depot.pk, expected_version)
    Depot.objects.filter(pk=depot.pk).update(active=False, stopped_on=stopped_on,
                                             stopped_against_advice=against_advice)
    depot.refresh_from_db()
    _record_history(depot, by=by, old={"active": True, "stopped_on": None},
                    reason=f"Depot stopped: {reason.strip()}")
    _audit(request, depot.person_id, AuditAction.UPDATE,
           f"depot stopped{' against advice' if against_advice else ''}: {depot.medicine}")
    return depot


@transaction.atomic
def depot_amend(*, depot: Depot, by: StaffMember, request, expected_version: int, reason: str,
                changes: Mapping[str, Any]) -> Depot:
    return _amend(depot, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=DEPOT_FIELDS, check=_check_depot)


DOSE_FIELDS = ("due_on", "outcome", "given_on", "given_by", "site", "batch", "note")


def _check_dose(v: Mapping, depot: Depot, *, details: bool = True) -> Errors:
    """A dose as recorded. `details`: a dose given must say where it was given, by whom
    and from which batch (core/depots.py); False only when correcting a dose recorded
    before these were asked for, which may stay without them."""
    errors: Errors = _bounds(v)
    _check_choice(errors, v, "outcome", DoseOutcome)
    due_ok = _check_date(errors, v, "due_on", "date the dose was due", past=False)
    outcome, given_on = v.get("outcome"), v.get("given_on")
    if outcome == DoseOutcome.GIVEN:
        if _check_date(errors, v, "given_on", "date the dose was given"):
            if given_on < depot.started_on:
                _add(errors, "given_on", "A dose cannot be given before the depot started "
                     f"({_fmt(depot.started_on)}).")
            elif due_ok and given_on < v["due_on"] - timedelta(days=depot.interval_days):
                _add(errors, "given_on", "That is more than a whole interval before the dose "
                     f"was due ({_fmt(v['due_on'])}).")
        giver = v.get("given_by")
        if giver is not None and not isinstance(giver, StaffMember):
            _add(errors, "given_by", depots.CHOOSE_GIVER)
        elif details and giver is None:
            _add(errors, "given_by", depots.CHOOSE_GIVER)
        site, batch = v.get("site") or "", v.get("batch") or ""
        if site and site not in InjectionSite.values:
            _add(errors, "site", depots.CHOOSE_SITE)
        elif details and not site:
            _add(errors, "site", depots.CHOOSE_SITE)
        if batch or details:
            for message in depots.batch_errors(batch):
                _add(errors, "batch", message)
    elif outcome in DoseOutcome.values:
        if given_on is not None:
            _add(errors, "given_on", "Only a dose that was given has a date given.")
        if outcome == DoseOutcome.MISSED and due_ok and v["due_on"] > _today():
            _add(errors, "due_on", "A dose cannot be missed before it is due.")
        for name, what in (("site", "an injection site"), ("batch", "a batch number")):
            if v.get(name):
                _add(errors, name, depots.ONLY_GIVEN.format(what=what))
    if due_ok and v["due_on"] < depot.started_on:
        _add(errors, "due_on", "A dose cannot be due before the depot started "
             f"({_fmt(depot.started_on)}).")
    return errors


def _check_giver(errors: Errors, giver: StaffMember | None, depot: Depot) -> None:
    """Who gave a dose is a clinician of the team that holds the person (checked against the
    team, as the page's list offers only them)."""
    if not isinstance(giver, StaffMember):
        return
    episode = current_episode(depot.person)
    team_id = episode.team_id if episode is not None else None
    if giver.team_id != team_id or not giver.is_clinical or (
            giver.left is not None and giver.left <= _today()):
        _add(errors, "given_by", depots.GIVER_NOT_ON_TEAM)


def last_given_dose(depot: Depot) -> DepotDose | None:
    """The depot's most recent dose given, whose site the next one should not repeat."""
    return (depot.doses.filter(outcome=DoseOutcome.GIVEN).select_related("given_by")
            .order_by("-given_on", "-id").first())


@transaction.atomic
def depot_dose_record(
    *, depot: Depot, by: StaffMember, request, expected_version: int, outcome: str,
    due_on: date | None = None, given_on: date | None = None,
    given_by: StaffMember | None = None, site: str = "", batch: str = "",
    same_site: bool = False, note: str = "",
) -> DepotDose:
    """Record what happened to a dose (by default the one due next). A dose given records
    who gave it (by default the one recording it), the injection site and the batch; a
    site repeating the last dose's is refused unless `same_site` confirms it. A dose given
    moves the depot's next due date on by its interval from the day it was given; a refused
    or missed dose leaves it where it is, so the depot stays due (and then overdue) until
    given. `expected_version` is the depot's: its schedule is what changes."""
    errors: Errors = {}
    if not depot.active:
        _add(errors, "depot", "This depot has been stopped.")
    _raise(errors)
    values = {"due_on": depot.next_due if due_on is None else due_on, "outcome": outcome,
              "given_on": given_on, "given_by": given_by,
              "site": site or "", "batch": depots.normal_batch(batch), "note": _clean(note)}
    if outcome == DoseOutcome.GIVEN and values["given_by"] is None:
        values["given_by"] = by
    if outcome != DoseOutcome.GIVEN:
        values["given_by"] = None
    errors = _check_dose(values, depot)
    if outcome == DoseOutcome.GIVEN:
        _check_giver(errors, values["given_by"], depot)
        last = last_given_dose(depot)
        if (last is not None and "site" not in errors and not same_site
                and depots.same_site_again(values["site"], last.site)):
            _add(errors, "site", depots.SAME_SITE.format(
                when=f"given {_fmt(last.given_on)}", site=depots.site_label(last.site)))
    if outcome == DoseOutcome.GIVEN and _is_date(values["due_on"]) and depot.doses.filter(
        due_on=values["due_on"], outcome=DoseOutcome.GIVEN
    ).exists():
        _add(errors, "due_on", f"The dose due on {_fmt(values['due_on'])} is already recorded "
             "as given.")
    _raise(errors)
    _bump_version(Depot, depot.pk, expected_version)
    depot.refresh_from_db()
    dose = DepotDose.objects.create(person_id=depot.person_id, episode=_episode(depot.person),
                                    recorded_by=by, depot=depot, **values)
    if outcome == DoseOutcome.GIVEN and values["due_on"] >= depot.next_due:
        depot.next_due = values["given_on"] + timedelta(days=depot.interval_days)
        depot.save(update_fields=["next_due"])
    _audit(request, depot.person_id, AuditAction.CREATE,
           f"depot dose {outcome}: {depot.medicine} due {values['due_on'].isoformat()}")
    return dose


@transaction.atomic
def depot_dose_amend(*, dose: DepotDose, by: StaffMember, request, expected_version: int,
                     reason: str, changes: Mapping[str, Any]) -> DepotDose:
    """Correct a dose record. The depot's schedule is not moved: amend the depot's next_due
    separately if the correction changes it. A dose recorded with its site, batch and giver
    must keep them; one recorded before they were asked for may stay without them."""
    depot = dose.depot
    changes = dict(changes)
    if "batch" in changes:
        changes["batch"] = depots.normal_batch(changes["batch"])
    details = bool(dose.site or dose.batch)

    def check(v: Mapping) -> Errors:
        errors = _check_dose(v, depot, details=details)
        if "given_by" in changes and v.get("outcome") == DoseOutcome.GIVEN:
            _check_giver(errors, v.get("given_by"), depot)
        return errors

    return _amend(dose, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=DOSE_FIELDS, check=check)


# --- Mental Health Act and legal status ------------------------------------------------------

DETENTION_FIELDS = ("section", "start", "end")


def _check_detention(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_choice(errors, v, "section", MHASection)
    start = _check_date(errors, v, "start", "date the detention started")
    end = _check_date(errors, v, "end", "date the detention ended", required=False)
    if start and end and v["end"] < v["start"]:
        _add(errors, "end", f"A detention cannot end before it started ({_fmt(v['start'])}).")
    return errors


@transaction.atomic
def mha_detention_create(*, person: Person, by: StaffMember, request, section: str,
                         start: date, end: date | None = None) -> MHADetention:
    values = {"section": section, "start": start, "end": end}
    _raise(_check_detention(values))
    detention = MHADetention.objects.create(person=person, episode=_episode(person),
                                            recorded_by=by, **values)
    _audit(request, person.pk, AuditAction.CREATE, f"detention under section {section}")
    return detention


@transaction.atomic
def mha_detention_amend(*, detention: MHADetention, by: StaffMember, request,
                        expected_version: int, reason: str,
                        changes: Mapping[str, Any]) -> MHADetention:
    return _amend(detention, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=DETENTION_FIELDS,
                  check=_check_detention)


CTO_FIELDS = ("start", "conditions", "expiry", "renewal_due", "recalled_on", "ended_on")


def _check_cto(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    start = _check_date(errors, v, "start", "date the CTO started")
    expiry = _check_date(errors, v, "expiry", "date the CTO expires", past=False)
    renewal = _check_date(errors, v, "renewal_due", "date the renewal is due", required=False,
                          past=False)
    recalled = _check_date(errors, v, "recalled_on", "date of the recall", required=False)
    ended = _check_date(errors, v, "ended_on", "date the CTO ended", required=False)
    s = v.get("start")
    if start and expiry and v["expiry"] <= s:
        _add(errors, "expiry", f"A CTO must expire after the day it starts ({_fmt(s)}).")
    if start and renewal and v["renewal_due"] < s:
        _add(errors, "renewal_due", f"The renewal cannot be due before the CTO starts "
             f"({_fmt(s)}).")
    elif expiry and renewal and v["renewal_due"] > v["expiry"]:
        _add(errors, "renewal_due", "The renewal must be due by the day the CTO expires "
             f"({_fmt(v['expiry'])}).")
    if start and recalled and v["recalled_on"] < s:
        _add(errors, "recalled_on", f"A recall cannot be before the CTO starts ({_fmt(s)}).")
    if start and ended and v["ended_on"] < s:
        _add(errors, "ended_on", f"A CTO cannot end before it starts ({_fmt(s)}).")
    return errors


@transaction.atomic
def cto_create(
    *, person: Person, by: StaffMember, request, start: date, expiry: date,
    conditions: str = "", renewal_due: date | None = None, recalled_on: date | None = None,
) -> CommunityTreatmentOrder:
    _lock_person(person)
    values = {"start": start, "conditions": _clean(conditions), "expiry": expiry,
              "renewal_due": renewal_due, "recalled_on": recalled_on, "ended_on": None}
    errors = _check_cto(values)
    in_force = CommunityTreatmentOrder.objects.filter(person=person, ended_on__isnull=True)
    if in_force.exists():
        _add(errors, "person", "This person already has a CTO in force: renew, amend or end "
             "it instead.")
    _raise(errors)
    cto = CommunityTreatmentOrder.objects.create(person=person, episode=_episode(person),
                                                 recorded_by=by, **values)
    _audit(request, person.pk, AuditAction.CREATE, "community treatment order recorded")
    return cto


@transaction.atomic
def cto_amend(*, cto: CommunityTreatmentOrder, by: StaffMember, request,
              expected_version: int, reason: str,
              changes: Mapping[str, Any]) -> CommunityTreatmentOrder:
    """Correct a CTO, or record a recall or its end (`ended_on`)."""
    return _amend(cto, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=CTO_FIELDS, check=_check_cto)


@transaction.atomic
def cto_renew(
    *, cto: CommunityTreatmentOrder, by: StaffMember, request, expected_version: int,
    renewed_on: date, new_expiry: date, next_renewal_due: date | None = None,
) -> CommunityTreatmentOrder:
    """The CTO is renewed: a new expiry (and renewal date). The old dates are kept in an
    Amendment, so the history of the order can be read back."""
    errors: Errors = {}
    if cto.ended_on is not None:
        _add(errors, "renewed_on", f"This CTO ended on {_fmt(cto.ended_on)}.")
    if _check_date(errors, {"renewed_on": renewed_on}, "renewed_on", "date of the renewal"):
        if renewed_on < cto.start:
            _add(errors, "renewed_on", f"A renewal cannot be before the CTO starts "
                 f"({_fmt(cto.start)}).")
    if _check_date(errors, {"new_expiry": new_expiry}, "new_expiry", "new expiry date",
                   past=False) and new_expiry <= cto.expiry:
        _add(errors, "new_expiry", f"The new expiry must be after the current one "
             f"({_fmt(cto.expiry)}).")
    values = {name: getattr(cto, name) for name in CTO_FIELDS}
    values |= {"expiry": new_expiry, "renewal_due": next_renewal_due}
    if not errors:
        errors = _check_cto(values)
    _raise(errors)
    old = {"expiry": cto.expiry, "renewal_due": cto.renewal_due}
    _bump_version(CommunityTreatmentOrder, cto.pk, expected_version)
    CommunityTreatmentOrder.objects.filter(pk=cto.pk).update(expiry=new_expiry,
                                                             renewal_due=next_renewal_due)
    cto.refresh_from_db()
    _record_history(cto, by=by, old=old, reason=f"CTO renewed on {renewed_on.isoformat()}")
    _audit(request, cto.person_id, AuditAction.UPDATE,
           f"CTO renewed to {new_expiry.isoformat()}")
    return cto


S117_FIELDS = ("eligible", "eligible_from", "review_due", "last_reviewed_on", "ended_on")


def _check_s117(v: Mapping) -> Errors:
    errors: Errors = {}
    _check_bool(errors, v, "eligible")
    start = _check_date(errors, v, "eligible_from", "date aftercare eligibility starts")
    review = _check_date(errors, v, "review_due", "date of the next review",
                         required=v.get("eligible") is True and v.get("ended_on") is None,
                         past=False)
    last = _check_date(errors, v, "last_reviewed_on", "date of the last review",
                       required=False)
    ended = _check_date(errors, v, "ended_on", "date aftercare ended", required=False)
    s = v.get("eligible_from")
    if start and review and v["review_due"] <= s:
        _add(errors, "review_due", f"The review must be after aftercare starts ({_fmt(s)}).")
    if start and last and v["last_reviewed_on"] < s:
        _add(errors, "last_reviewed_on", f"A review cannot be before aftercare starts "
             f"({_fmt(s)}).")
    if start and ended and v["ended_on"] < s:
        _add(errors, "ended_on", f"Aftercare cannot end before it starts ({_fmt(s)}).")
    return errors


@transaction.atomic
def section117_create(*, person: Person, by: StaffMember, request, eligible: bool,
                      eligible_from: date, review_due: date | None = None) -> Section117:
    values = {"eligible": eligible, "eligible_from": eligible_from, "review_due": review_due,
              "last_reviewed_on": None, "ended_on": None}
    _raise(_check_s117(values))
    s117 = Section117.objects.create(person=person, episode=_episode(person), recorded_by=by,
                                     **values)
    _audit(request, person.pk, AuditAction.CREATE, "section 117 aftercare recorded")
    return s117


@transaction.atomic
def section117_amend(*, s117: Section117, by: StaffMember, request, expected_version: int,
                     reason: str, changes: Mapping[str, Any]) -> Section117:
    return _amend(s117, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=S117_FIELDS, check=_check_s117)


@transaction.atomic
def section117_review_held(*, s117: Section117, by: StaffMember, request,
                           expected_version: int, held_on: date,
                           next_review_due: date) -> Section117:
    """The review was held: the deadline is met and the next one set."""
    errors: Errors = {}
    if _check_date(errors, {"held_on": held_on}, "held_on", "date of the review"):
        if held_on < s117.eligible_from:
            _add(errors, "held_on", "A review cannot be before aftercare starts "
                 f"({_fmt(s117.eligible_from)}).")
    if _check_date(errors, {"next_review_due": next_review_due}, "next_review_due",
                   "date of the next review", past=False):
        if _is_date(held_on) and next_review_due <= held_on:
            _add(errors, "next_review_due", "The next review must be after this one.")
    _raise(errors)
    old = {"review_due": s117.review_due, "last_reviewed_on": s117.last_reviewed_on}
    _bump_version(Section117, s117.pk, expected_version)
    Section117.objects.filter(pk=s117.pk).update(review_due=next_review_due,
                                                 last_reviewed_on=held_on)
    s117.refresh_from_db()
    _record_history(s117, by=by, old=old,
                    reason=f"Section 117 review held on {held_on.isoformat()}")
    _audit(request, s117.person_id, AuditAction.UPDATE, "section 117 review held")
    return s117


MULTI_AGENCY_FIELDS = ("kind", "level", "active_since", "ended_on")


def _check_multi_agency(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_choice(errors, v, "kind", MultiAgencyKind)
    level = v.get("level")
    if v.get("kind") == MultiAgencyKind.MAPPA:
        if type(level) is not int or level not in (1, 2, 3):
            _add(errors, "level", "Give the MAPPA level: 1, 2 or 3.")
    elif level is not None:
        _add(errors, "level", "Only MAPPA has a level.")
    start = _check_date(errors, v, "active_since", "date it started")
    ended = _check_date(errors, v, "ended_on", "date it ended", required=False)
    if start and ended and v["ended_on"] < v["active_since"]:
        _add(errors, "ended_on", "It cannot end before it started "
             f"({_fmt(v['active_since'])}).")
    return errors


@transaction.atomic
def multi_agency_create(*, person: Person, by: StaffMember, request, kind: str,
                        active_since: date, level: int | None = None,
                        ended_on: date | None = None) -> MultiAgency:
    values = {"kind": kind, "level": level, "active_since": active_since, "ended_on": ended_on}
    _raise(_check_multi_agency(values))
    entry = MultiAgency.objects.create(person=person, episode=_episode(person), recorded_by=by,
                                       **values)
    _audit(request, person.pk, AuditAction.CREATE, f"{kind} recorded")
    return entry


@transaction.atomic
def multi_agency_amend(*, entry: MultiAgency, by: StaffMember, request, expected_version: int,
                       reason: str, changes: Mapping[str, Any]) -> MultiAgency:
    """Correct, or record the end (`ended_on`) of, MAPPA management or a MARAC case."""
    return _amend(entry, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=MULTI_AGENCY_FIELDS,
                  check=_check_multi_agency)


# --- Families and carers ---------------------------------------------------------------------

CARER_CONTACT_FIELDS = ("date", "what_they_said", "concern")


def _check_carer_contact(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_date(errors, v, "date", "date of the contact")
    _check_text(errors, v, "what_they_said", "Write what they said.")
    _check_bool(errors, v, "concern")
    return errors


@transaction.atomic
def carer_contact_create(*, person: Person, carer: Carer, by: StaffMember, request, date: date,
                         what_they_said: str, concern: bool = False) -> CarerContact:
    """A contact with a carer or family member. A concern is a red flag until followed up."""
    values = {"date": date, "what_they_said": _clean(what_they_said), "concern": concern}
    errors = _check_carer_contact(values)
    if carer.person_id != person.pk:
        _add(errors, "carer", NOT_THIS_PERSON.format(what="carer"))
    _raise(errors)
    contact = CarerContact.objects.create(person=person, carer=carer, episode=_episode(person),
                                          recorded_by=by, **values)
    _audit(request, person.pk, AuditAction.CREATE,
           f"carer contact{' with a concern' if concern else ''}")
    return contact


@transaction.atomic
def carer_contact_amend(*, contact: CarerContact, by: StaffMember, request,
                        expected_version: int, reason: str,
                        changes: Mapping[str, Any]) -> CarerContact:
    return _amend(contact, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=CARER_CONTACT_FIELDS,
                  check=_check_carer_contact)


@transaction.atomic
def carer_concern_follow_up(*, contact: CarerContact, by: StaffMember, request,
                            expected_version: int, followed_up_on: date,
                            note: str) -> CarerContact:
    """A worker followed the concern up with the family or carer: the red flag clears."""
    errors: Errors = {}
    if not contact.concern:
        _add(errors, "contact", "This contact raised no concern to follow up.")
    elif contact.followed_up_on is not None:
        _add(errors, "followed_up_on",
             f"Already followed up on {_fmt(contact.followed_up_on)}.")
    if _check_date(errors, {"followed_up_on": followed_up_on}, "followed_up_on",
                   "date of the follow-up"):
        if followed_up_on < contact.date:
            _add(errors, "followed_up_on", "A follow-up cannot be before the concern was "
                 f"raised ({_fmt(contact.date)}).")
    _check_text(errors, {"note": note}, "note", "Say how the concern was followed up.")
    _raise(errors)
    _bump_version(CarerContact, contact.pk, expected_version)
    CarerContact.objects.filter(pk=contact.pk).update(
        followed_up_on=followed_up_on, followed_up_by=by, follow_up_note=note.strip()
    )
    contact.refresh_from_db()
    _audit(request, contact.person_id, AuditAction.UPDATE, "carer concern followed up")
    return contact


# --- Social circumstances --------------------------------------------------------------------

SOCIAL_FIELDS = ("assessed_on", "accommodation_status", "accommodation_since", "finances",
                 "employment", "offending_history")


def _check_social(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    assessed = _check_date(errors, v, "assessed_on", "date of the assessment")
    _check_choice(errors, v, "accommodation_status", AccommodationStatus)
    since = _check_date(errors, v, "accommodation_since",
                        "date the person has been in this accommodation since")
    if assessed and since and v["accommodation_since"] > v["assessed_on"]:
        _add(errors, "accommodation_since", "Give the accommodation as it was when assessed: "
             "this date cannot be after the assessment.")
    return errors


def _check_substances(errors: Errors, rows: Any, assessed_on: Any) -> list[dict]:
    """[{substance, current, since}]."""
    if isinstance(rows, str | Mapping) or not isinstance(rows, Iterable):
        _add(errors, "substance_use", "Give substance use as a list.")
        return []
    clean, seen = [], set()
    for i, r in enumerate(rows):
        if not isinstance(r, Mapping):
            _add(errors, f"substance_use.{i}", "Give the substance, whether current, and since.")
            continue
        row = {"substance": _clean(r.get("substance", "")), "current": r.get("current"),
               "since": r.get("since")}
        sub: Errors = {}
        _check_text(sub, row, "substance", "Name the substance.")
        _check_bool(sub, row, "current")
        if _check_date(sub, row, "since", "date since when") and _is_date(assessed_on):
            if row["since"] > assessed_on:
                _add(sub, "since", "This date cannot be after the assessment.")
        key = " ".join(str(row["substance"]).split()).casefold()
        if key and key in seen:
            _add(sub, "substance", "This substance is listed twice.")
        seen.add(key)
        for name, messages in sub.items():
            errors[f"substance_use.{i}.{name}"] = messages
        clean.append(row)
    return clean


def _check_police(errors: Errors, rows: Any) -> list[dict]:
    """[{date, summary}]."""
    if isinstance(rows, str | Mapping) or not isinstance(rows, Iterable):
        _add(errors, "police_contacts", "Give police contacts as a list.")
        return []
    clean = []
    for i, r in enumerate(rows):
        row = {"date": r.get("date"), "summary": _clean(r.get("summary", ""))} if isinstance(
            r, Mapping) else {"date": None, "summary": ""}
        sub: Errors = {}
        _check_date(sub, row, "date", "date of the police contact")
        _check_text(sub, row, "summary", "Say what happened.")
        for name, messages in sub.items():
            errors[f"police_contacts.{i}.{name}"] = messages
        clean.append(row)
    return clean


def _save_social_children(circumstances: SocialCircumstances, substances: list[dict],
                          police: list[dict], by: StaffMember) -> None:
    SubstanceUse.objects.bulk_create(
        SubstanceUse(circumstances=circumstances, **row) for row in substances
    )
    PoliceContact.objects.bulk_create(
        PoliceContact(person_id=circumstances.person_id, episode=circumstances.episode,
                      recorded_by=by, circumstances=circumstances, **row)
        for row in police
    )


@transaction.atomic
def social_circumstances_create(
    *, person: Person, by: StaffMember, request, assessed_on: date, accommodation_status: str,
    accommodation_since: date, finances: str = "", employment: str = "",
    offending_history: str = "", substance_use: Sequence[Mapping] = (),
    police_contacts: Sequence[Mapping] = (),
) -> SocialCircumstances:
    already = _already_current(SocialCircumstances, person, "a record of social circumstances")
    values = {"assessed_on": assessed_on, "accommodation_status": accommodation_status,
              "accommodation_since": accommodation_since, "finances": _clean(finances),
              "employment": _clean(employment),
              "offending_history": _clean(offending_history)}
    errors = already | _check_social(values)
    substances = _check_substances(errors, substance_use, assessed_on)
    police = _check_police(errors, police_contacts)
    _raise(errors)
    circumstances = SocialCircumstances.objects.create(person=person, episode=_episode(person),
                                                       recorded_by=by, **values)
    _save_social_children(circumstances, substances, police, by)
    _audit(request, person.pk, AuditAction.CREATE, "social circumstances assessed")
    return circumstances


@transaction.atomic
def social_circumstances_new_version(
    *, circumstances: SocialCircumstances, by: StaffMember, request, expected_version: int,
    assessed_on: date, substance_use: Sequence[Mapping] | None = None,
    police_contacts: Sequence[Mapping] = (), **changes,
) -> SocialCircumstances:
    """A reassessment (at every transfer of care, or when things change). Substance use is
    carried over unless given; when given, every substance the person was using must be in the
    list (current or not), so a substance-use red flag is never dropped by leaving it out.
    Police contacts are events: earlier ones stay on the record; give only new ones."""
    _supersede(circumstances, expected_version)
    values = _carry(circumstances, SOCIAL_FIELDS, {**changes, "assessed_on": assessed_on})
    errors = _check_social(values)
    _check_not_earlier(errors, values, circumstances, "assessed_on")
    previous = list(circumstances.substance_use.all())
    if substance_use is None:
        substance_use = [{"substance": s.substance, "current": s.current, "since": s.since}
                         for s in previous]
    substances = _check_substances(errors, substance_use, assessed_on)
    named = {" ".join(str(s["substance"]).split()).casefold() for s in substances}
    dropped = [s.substance for s in previous
               if s.current and " ".join(s.substance.split()).casefold() not in named]
    if dropped:
        _add(errors, "substance_use", "Say whether the person still uses: "
             f"{', '.join(dropped)} (record it as not current if they have stopped).")
    police = _check_police(errors, police_contacts)
    _raise(errors)
    new = SocialCircumstances.objects.create(
        person_id=circumstances.person_id, episode=_episode(circumstances.person),
        recorded_by=by, supersedes=circumstances, **values,
    )
    _save_social_children(new, substances, police, by)
    _audit(request, circumstances.person_id, AuditAction.CREATE,
           f"social circumstances new version of {circumstances.pk}")
    return new


@transaction.atomic
def social_circumstances_amend(*, circumstances: SocialCircumstances, by: StaffMember,
                               request, expected_version: int, reason: str,
                               changes: Mapping[str, Any]) -> SocialCircumstances:
    return _amend(circumstances, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=SOCIAL_FIELDS, check=_check_social)


POLICE_FIELDS = ("date", "summary")


def _check_police_contact(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_date(errors, v, "date", "date of the police contact")
    _check_text(errors, v, "summary", "Say what happened.")
    return errors


@transaction.atomic
def police_contact_record(*, person: Person, by: StaffMember, request, date: date,
                          summary: str) -> PoliceContact:
    values = {"date": date, "summary": _clean(summary)}
    _raise(_check_police_contact(values))
    current = SocialCircumstances.objects.filter(person=person,
                                                 superseded_by__isnull=True).first()
    contact = PoliceContact.objects.create(person=person, episode=_episode(person),
                                           recorded_by=by, circumstances=current, **values)
    _audit(request, person.pk, AuditAction.CREATE, "police contact recorded")
    return contact


@transaction.atomic
def police_contact_amend(*, contact: PoliceContact, by: StaffMember, request,
                         expected_version: int, reason: str,
                         changes: Mapping[str, Any]) -> PoliceContact:
    return _amend(contact, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=POLICE_FIELDS,
                  check=_check_police_contact)


# --- Physical health -------------------------------------------------------------------------

# Plausible ranges: values outside them are almost certainly typing errors (or units mixed up).
PLAUSIBLE: dict[str, tuple[float, float, str]] = {
    "bmi": (10, 80, "BMI"),
    "bp_systolic": (50, 300, "Systolic blood pressure (mmHg)"),
    "bp_diastolic": (20, 200, "Diastolic blood pressure (mmHg)"),
    "glucose_mmol_l": (1, 50, "Blood glucose (mmol/L)"),
    "hba1c_mmol_mol": (15, 200, "HbA1c (mmol/mol)"),
    "cholesterol_mmol_l": (1, 20, "Total cholesterol (mmol/L)"),
    "alcohol_units_week": (0, 500, "Alcohol (units a week)"),
}
WHOLE_NUMBERS = ("bp_systolic", "bp_diastolic")
PHYSICAL_FIELDS = ("date", *PLAUSIBLE, "smoking_status", "note")


def _check_physical(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_date(errors, v, "date", "date of the check")
    for name, (low, high, label) in PLAUSIBLE.items():
        value = v.get(name)
        if value is None:
            continue
        number = (type(value) is int) if name in WHOLE_NUMBERS else (
            isinstance(value, int | float) and not isinstance(value, bool))
        if not number:
            kind = "a whole number" if name in WHOLE_NUMBERS else "a number"
            _add(errors, name, f"{label} must be {kind}.")
        elif not low <= value <= high:
            _add(errors, name, f"{label} must be between {low:g} and {high:g}: check the value "
                 "and its units.")
    systolic, diastolic = v.get("bp_systolic"), v.get("bp_diastolic")
    if (systolic is None) != (diastolic is None):
        missing = "bp_diastolic" if diastolic is None else "bp_systolic"
        _add(errors, missing, "Give both blood pressure readings, systolic and diastolic.")
    elif (type(systolic) is int and type(diastolic) is int and diastolic >= systolic
          and "bp_diastolic" not in errors):
        _add(errors, "bp_diastolic", "The diastolic pressure must be lower than the systolic.")
    _check_choice(errors, v, "smoking_status", SmokingStatus, blank=True)
    if all(v.get(name) in (None, "") for name in (*PLAUSIBLE, "smoking_status")):
        _add(errors, "date", "Record at least one item of the check.")
    return errors


@transaction.atomic
def physical_health_check_create(
    *, person: Person, by: StaffMember, request, date: date, bmi: float | None = None,
    bp_systolic: int | None = None, bp_diastolic: int | None = None,
    glucose_mmol_l: float | None = None, hba1c_mmol_mol: float | None = None,
    cholesterol_mmol_l: float | None = None, smoking_status: str = "",
    alcohol_units_week: float | None = None, note: str = "",
) -> PhysicalHealthCheck:
    values = {"date": date, "bmi": bmi, "bp_systolic": bp_systolic,
              "bp_diastolic": bp_diastolic, "glucose_mmol_l": glucose_mmol_l,
              "hba1c_mmol_mol": hba1c_mmol_mol, "cholesterol_mmol_l": cholesterol_mmol_l,
              "smoking_status": smoking_status or "", "alcohol_units_week": alcohol_units_week,
              "note": _clean(note)}
    _raise(_check_physical(values))
    check = PhysicalHealthCheck.objects.create(person=person, episode=_episode(person),
                                               recorded_by=by, **values)
    _audit(request, person.pk, AuditAction.CREATE, "physical health check recorded")
    return check


@transaction.atomic
def physical_health_check_amend(*, check: PhysicalHealthCheck, by: StaffMember, request,
                                expected_version: int, reason: str,
                                changes: Mapping[str, Any]) -> PhysicalHealthCheck:
    return _amend(check, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=PHYSICAL_FIELDS,
                  check=_check_physical)


# --- Occupational therapy --------------------------------------------------------------------

OT_FIELDS = ("kind", "date", "strengths", "barriers", "goals", "summary")


def _check_ot(v: Mapping) -> Errors:
    errors: Errors = _bounds(v)
    _check_choice(errors, v, "kind", OTAssessmentKind)
    _check_date(errors, v, "date", "date of the assessment")
    _check_text(errors, v, "summary", "Write a summary of the assessment.")
    return errors


@transaction.atomic
def ot_assessment_create(*, person: Person, by: StaffMember, request, kind: str, date: date,
                         summary: str, strengths: str = "", barriers: str = "",
                         goals: str = "") -> OTAssessment:
    values = {"kind": kind, "date": date, "summary": _clean(summary),
              "strengths": _clean(strengths), "barriers": _clean(barriers),
              "goals": _clean(goals)}
    _raise(_check_ot(values))
    assessment = OTAssessment.objects.create(person=person, episode=_episode(person),
                                             recorded_by=by, **values)
    _audit(request, person.pk, AuditAction.CREATE, f"{kind} assessment recorded")
    return assessment


@transaction.atomic
def ot_assessment_amend(*, assessment: OTAssessment, by: StaffMember, request,
                        expected_version: int, reason: str,
                        changes: Mapping[str, Any]) -> OTAssessment:
    return _amend(assessment, by=by, request=request, expected_version=expected_version,
                  reason=reason, changes=changes, fields=OT_FIELDS, check=_check_ot)
