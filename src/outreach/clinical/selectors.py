"""Reads of the clinical record for the rest of the app: red flags, what is due, front sheet,
crisis summary, DIALOG scores over time.

Scoping: every function takes people the caller already reached through
records.selectors.people_for (or caseload), as Person objects or their ids. Nothing here
widens that scope; it never lists people by itself.

Query counts are constant in the number of people: each table is read once for all of them
(`tests/clinical/test_selectors.py` checks 2 against 10 people). Nothing loops over people with
a query inside. Reads are not audited here; the caller audits what it shows (ADR 0002).

Red flags come from the pure engine in outreach.core.redflags: this module only turns rows into
its RecordSnapshot. Its settings are `OUTREACH_FLAGS` (FlagConfig.from_mapping).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import fmean

from django.db.models import Exists, F, Max, OuterRef, Q, Subquery

from outreach.clinical.config import add_months, clinical_config, flag_config
from outreach.clinical.models import (
    LIFE_DOMAINS,
    TREATMENT_ASPECTS,
    AdvanceChoice,
    CarePlan,
    CarerContact,
    CommunityTreatmentOrder,
    Depot,
    DepotDose,
    DialogRating,
    DoseOutcome,
    Medication,
    MHADetention,
    MultiAgency,
    OTAssessment,
    PhysicalHealthCheck,
    PoliceContact,
    RelapseSignature,
    RiskFormulation,
    SafetyPlan,
    Section117,
    SignObservation,
    SocialCircumstances,
    SubstanceUse,
    Versioned,
    WarningSign,
)
from outreach.core import redflags as rf
from outreach.core.depots import last_dose_sentence
from outreach.core.redflags import Flag, RecordSnapshot, derive_flags, format_date
from outreach.records.engagement import annotate_engagement
from outreach.records.models import (
    OPEN_STATUSES,
    Carer,
    CoverAssignment,
    KeyWorkerAssignment,
    Person,
)
from outreach.records.selectors import current_episode_subquery
from outreach.teams.models import StaffMember

Engagement = Mapping[int, tuple[str, date | None]]


def _ids(person_ids: Iterable[int | Person]) -> list[int]:
    return sorted({p.pk if isinstance(p, Person) else int(p) for p in person_ids})


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


# --- Engagement (for the lost-contact flag) ----------------------------------------------------


def engagement_for_people(person_ids: Iterable[int], *, today: date) -> dict[int, tuple]:
    """Engagement state and last successful contact per person, in one query, by the same SQL
    ladder as the caseload (records.engagement), for callers that do not have it already."""
    ids = _ids(person_ids)
    if not ids:
        return {}
    people = Person.objects.filter(pk__in=ids)
    rows = annotate_engagement(people, today=today).values_list(
        "pk", "engagement_state", "last_successful_contact"
    )
    return {pk: (state, last) for pk, state, last in rows}


# --- Snapshot and flags -----------------------------------------------------------------------


def _current(model: type[Versioned], ids: list[int]):
    """The current versions (not superseded) of a versioned entry, for these people."""
    return model.objects.filter(person_id__in=ids, superseded_by__isnull=True)


def _open_on(today: date, name: str) -> Q:
    """Not yet ended/cleared as of today (an end dated in the future has not happened)."""
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gt": today})


def snapshot_for_people(
    person_ids: Iterable[int], *, today: date, engagement: Engagement | None = None
) -> dict[int, RecordSnapshot]:
    """What the record says about each person, for the red-flag engine. One query per table.

    `engagement` maps person id to (engagement state, last successful contact), as the caseload
    query gives them; when None it is worked out here (one more query)."""
    ids = _ids(person_ids)
    if not ids:
        return {}
    if engagement is None:
        engagement = engagement_for_people(ids, today=today)
    parts: dict[int, dict[str, list]] = {pid: defaultdict(list) for pid in ids}

    concerns = CarerContact.objects.filter(person_id__in=ids, concern=True).filter(
        _open_on(today, "followed_up_on") | Q(followed_up_on__lt=F("date"))
    )
    for c in concerns.values("id", "person_id", "date", "what_they_said", "followed_up_on",
                             "carer__name", "carer__relationship"):
        who = f"{c['carer__name']} ({c['carer__relationship']})"
        parts[c["person_id"]]["carer_concerns"].append(rf.CarerConcern(
            raised_on=c["date"], summary=f"{who}: {c['what_they_said']}",
            followed_up_on=c["followed_up_on"], ref=str(c["id"]),
        ))

    stops = Medication.objects.filter(
        person_id__in=ids, stopped__isnull=False, stopped_against_advice=True
    ).filter(_open_on(today, "restarted"))
    for m in stops.values("id", "person_id", "name", "stopped", "restarted"):
        parts[m["person_id"]]["medication_stops"].append(rf.MedicationStop(
            medicine=m["name"], stopped_on=m["stopped"], against_advice=True,
            restarted_on=m["restarted"], ref=str(m["id"]),
        ))

    depots = list(Depot.objects.filter(person_id__in=ids).values(
        "id", "person_id", "medicine", "dose", "next_due", "tolerance_days", "active",
        "started_on", "stopped_on", "stopped_against_advice",
    ))
    for d in depots:
        if d["active"]:
            parts[d["person_id"]]["depots"].append(rf.Depot(
                medicine=d["medicine"], next_due=d["next_due"],
                tolerance_days=d["tolerance_days"], dose=d["dose"],
            ))
        elif d["stopped_against_advice"]:
            # A depot stopped against advice is medication stopped against advice, until the
            # same medicine is started again.
            restarts = [o["started_on"] for o in depots
                        if o["person_id"] == d["person_id"] and o["id"] != d["id"]
                        and _key(o["medicine"]) == _key(d["medicine"])
                        and o["started_on"] >= d["stopped_on"]]
            parts[d["person_id"]]["medication_stops"].append(rf.MedicationStop(
                medicine=d["medicine"], stopped_on=d["stopped_on"], against_advice=True,
                restarted_on=min(restarts, default=None), ref=f"depot{d['id']}",
            ))

    # Doses of active depots, leaving out those followed by a later dose given (the engine
    # would set them aside anyway): a depot's whole history is not read for every list.
    given_later = DepotDose.objects.filter(
        depot=OuterRef("depot"), outcome=DoseOutcome.GIVEN, due_on__gt=OuterRef("due_on"),
        due_on__lte=today,
    )
    doses = DepotDose.objects.filter(person_id__in=ids, depot__active=True).filter(
        ~Exists(given_later)
    )
    for d in doses.values("person_id", "due_on", "outcome", "depot__medicine", "depot__dose"):
        parts[d["person_id"]]["depot_doses"].append(rf.DepotDose(
            medicine=d["depot__medicine"], due_on=d["due_on"], outcome=d["outcome"],
            dose=d["depot__dose"],
        ))

    # Accommodation: the current assessment. Its date is never after the assessment, which is
    # never in the future, so the current version is also the one in force today.
    for s in _current(SocialCircumstances, ids).values(
        "id", "person_id", "accommodation_status", "accommodation_since"
    ):
        parts[s["person_id"]]["accommodation"].append(rf.Accommodation(
            status=s["accommodation_status"], since=s["accommodation_since"], ref=str(s["id"]),
        ))
    uses = SubstanceUse.objects.filter(
        circumstances__person_id__in=ids, circumstances__superseded_by__isnull=True,
        current=True,
    )
    for u in uses.values("id", "circumstances__person_id", "substance", "since"):
        parts[u["circumstances__person_id"]]["substance_use"].append(rf.SubstanceUse(
            substance=u["substance"], current=True, since=u["since"], ref=str(u["id"]),
        ))
    for p in PoliceContact.objects.filter(person_id__in=ids, date__lte=today).values(
        "id", "person_id", "date", "summary"
    ):
        parts[p["person_id"]]["police_contacts"].append(rf.PoliceContact(
            on=p["date"], summary=p["summary"], ref=str(p["id"]),
        ))

    observations = SignObservation.objects.filter(person_id__in=ids).filter(
        _open_on(today, "cleared_on")
    )
    for o in observations.values("id", "person_id", "observed_on", "cleared_on", "sign__sign"):
        parts[o["person_id"]]["warning_signs"].append(rf.WarningSignObserved(
            sign=o["sign__sign"], observed_on=o["observed_on"], cleared_on=o["cleared_on"],
            ref=str(o["id"]),
        ))

    for deadline in _legal_deadline_rows(ids, today):
        parts[deadline.person_id]["legal_deadlines"].append(rf.LegalDeadline(
            kind=deadline.kind, description=deadline.description, due_on=deadline.due_on,
            ref=deadline.ref,
        ))

    multi = MultiAgency.objects.filter(person_id__in=ids).filter(_open_on(today, "ended_on"))
    for m in multi.values("id", "person_id", "kind", "active_since", "ended_on"):
        parts[m["person_id"]]["multi_agency"].append(rf.MultiAgency(
            kind=m["kind"], active_since=m["active_since"], ended_on=m["ended_on"],
            ref=str(m["id"]),
        ))

    snapshots = {}
    for pid in ids:
        state, last = engagement.get(pid, (None, None))
        snapshots[pid] = RecordSnapshot(
            today=today, engagement_state=state, last_successful_contact=last,
            **{name: tuple(rows) for name, rows in parts[pid].items()},
        )
    return snapshots


def flags_for_people(
    person_ids: Iterable[int], *, today: date, engagement: Engagement | None = None
) -> dict[int, tuple[Flag, ...]]:
    """Each person's current red flags, in design rule 5's order (outreach.core.redflags).

    `engagement`: (state, last successful contact) per person from the caller's caseload
    query, for the lost-contact flag; when None it is worked out here, so that flag is never
    silently missing."""
    config = flag_config()
    snapshots = snapshot_for_people(person_ids, today=today, engagement=engagement)
    return {pid: derive_flags(snapshot, config) for pid, snapshot in snapshots.items()}


# --- What is due --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepotDue:
    person_id: int
    depot_id: int
    medicine: str
    dose: str
    due_on: date
    tolerance_days: int
    overdue: bool  # due before the start of the window and not yet given
    last_site: str = ""  # where the last dose was given (InjectionSite), for rotation


def depots_due(
    person_ids: Iterable[int], *, start: date, end: date, include_overdue: bool = True
) -> list[DepotDue]:
    """Active depots due from start to end (inclusive), soonest first, for the handover and
    the visit planner. A depot due before `start` is still due until a dose is given, so it is
    listed too (overdue=True) unless include_overdue is False."""
    ids = _ids(person_ids)
    if not ids:
        return []
    due = Q(next_due__lte=end) if include_overdue else Q(next_due__gte=start, next_due__lte=end)
    last_given = DepotDose.objects.filter(depot=OuterRef("pk"), outcome=DoseOutcome.GIVEN)
    rows = Depot.objects.filter(due, person_id__in=ids, active=True).annotate(
        last_site=Subquery(last_given.order_by("-given_on", "-id").values("site")[:1])
    ).order_by("next_due", "person_id", "id")
    return [
        DepotDue(person_id=d.person_id, depot_id=d.pk, medicine=d.medicine, dose=d.dose,
                 due_on=d.next_due, tolerance_days=d.tolerance_days, overdue=d.next_due < start,
                 last_site=d.last_site or "")
        for d in rows
    ]


LEGAL_LABELS = {
    "cto_expiry": "CTO expiry",
    "cto_renewal": "CTO renewal",
    "s117_review": "Section 117 review",
}


@dataclass(frozen=True)
class LegalDeadlineDue:
    person_id: int
    kind: str  # cto_expiry, cto_renewal, s117_review
    due_on: date
    entry_id: int
    description: str
    ref: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        return LEGAL_LABELS[self.kind]


def _legal_deadline_rows(ids: list[int], today: date) -> list[LegalDeadlineDue]:
    """Every open legal deadline of these people: CTOs in force, Section 117 reviews."""
    rows = []
    ctos = CommunityTreatmentOrder.objects.filter(person_id__in=ids).filter(
        _open_on(today, "ended_on")
    )
    for c in ctos.values("id", "person_id", "start", "expiry", "renewal_due"):
        started = f"Community treatment order since {format_date(c['start'])}"
        rows.append(LegalDeadlineDue(c["person_id"], "cto_expiry", c["expiry"], c["id"],
                                     started, ref=f"cto{c['id']}:expiry"))
        if c["renewal_due"] is not None:
            rows.append(LegalDeadlineDue(c["person_id"], "cto_renewal", c["renewal_due"],
                                         c["id"], started, ref=f"cto{c['id']}:renewal"))
    reviews = Section117.objects.filter(
        person_id__in=ids, eligible=True, review_due__isnull=False
    ).filter(_open_on(today, "ended_on"))
    for s in reviews.values("id", "person_id", "eligible_from", "review_due"):
        rows.append(LegalDeadlineDue(
            s["person_id"], "s117_review", s["review_due"], s["id"],
            f"Section 117 aftercare since {format_date(s['eligible_from'])}",
            ref=f"s117{s['id']}",
        ))
    return sorted(rows, key=lambda r: (r.due_on, r.person_id, r.kind, r.entry_id))


def legal_deadlines_due(
    person_ids: Iterable[int], *, start: date, end: date, include_overdue: bool = True,
    today: date | None = None,
) -> list[LegalDeadlineDue]:
    """CTO expiry and renewal, Section 117 reviews due from start to end, soonest first.
    A deadline before `start` that is still open (a CTO not renewed or ended, a review not
    held) is listed too unless include_overdue is False. `today` (default: start) decides
    which orders are still in force."""
    ids = _ids(person_ids)
    if not ids:
        return []
    rows = _legal_deadline_rows(ids, today or start)
    return [r for r in rows if r.due_on <= end and (include_overdue or r.due_on >= start)]


@dataclass(frozen=True)
class ReviewDue:
    person_id: int
    entry_id: int | None  # None: nothing recorded at all
    due_on: date | None


def _reviews_overdue(model: type[Versioned], date_field: str, ids: list[int],
                     today: date) -> list[ReviewDue]:
    if not ids:
        return []
    current: dict[int, tuple[date, int]] = {}
    for pid, pk, due in _current(model, ids).values_list("person_id", "id", date_field):
        current[pid] = max(current.get(pid, (due, pk)), (due, pk))
    rows = [ReviewDue(pid, None, None) for pid in ids if pid not in current]
    rows += [ReviewDue(pid, pk, due) for pid, (due, pk) in current.items() if due < today]
    return sorted(rows, key=lambda r: (r.due_on is not None, r.due_on or date.min, r.person_id))


def care_plans_overdue(person_ids: Iterable[int], *, today: date) -> list[ReviewDue]:
    """People whose current care plan is past its review date, or who have none."""
    return _reviews_overdue(CarePlan, "review_due", _ids(person_ids), today)


def safety_plans_overdue(person_ids: Iterable[int], *, today: date) -> list[ReviewDue]:
    """People whose current safety plan is past its review date, or who have none."""
    return _reviews_overdue(SafetyPlan, "review_due", _ids(person_ids), today)


def risk_reviews_overdue(person_ids: Iterable[int], *, today: date) -> list[ReviewDue]:
    """People whose current risk formulation is past its review date, or who have none."""
    return _reviews_overdue(RiskFormulation, "review_due", _ids(person_ids), today)


def physical_health_overdue(person_ids: Iterable[int], *, today: date) -> list[ReviewDue]:
    """People whose last physical health check is more than the interval (12 months) ago, or
    who have none. `entry_id` is the last check; `due_on` when the next one was due."""
    ids = _ids(person_ids)
    if not ids:
        return []
    months = clinical_config().physical_health_check_months
    latest = {
        pid: (last, pk)
        for pid, last, pk in Person.objects.filter(pk__in=ids).annotate(
            last=Max("physical_health_checks__date"),
            last_id=Subquery(PhysicalHealthCheck.objects.filter(person=OuterRef("pk"))
                             .order_by("-date", "-id").values("id")[:1]),
        ).values_list("pk", "last", "last_id")
        if last is not None
    }
    rows = [ReviewDue(pid, None, None) for pid in ids if pid not in latest]
    for pid, (last, pk) in latest.items():
        due = add_months(last, months)
        if due < today:
            rows.append(ReviewDue(pid, pk, due))
    return sorted(rows, key=lambda r: (r.due_on is not None, r.due_on or date.min, r.person_id))


def accommodation_assessed_since(person: Person, on: date) -> SocialCircumstances | None:
    """The latest assessment of social circumstances (accommodation) made on or after `on`,
    e.g. the date of a transfer of care; None when there has been none since."""
    return (
        person.social_circumstances.filter(assessed_on__gte=on)
        .order_by("-assessed_on", "-id").first()
    )


# --- DIALOG scores over time ----------------------------------------------------------------


@dataclass(frozen=True)
class DialogPoint:
    plan_id: int
    date: date
    scores: Mapping[str, int]  # item -> 1..7
    wants_more_help: frozenset[str]
    # Means as DIALOG defines them (subjective quality of life; treatment satisfaction). These
    # are the person's own satisfaction ratings, not a measure of risk.
    sqol: float | None
    treatment_satisfaction: float | None


def dialog_scores_over_time(person: Person) -> tuple[DialogPoint, ...]:
    """Every DIALOG rating session of the person (all care plan versions), oldest first."""
    by_plan: dict[int, dict] = {}
    rows = DialogRating.objects.filter(plan__person=person).order_by(
        "plan__date", "plan_id", "item"
    ).values_list("plan_id", "plan__date", "item", "score", "wants_more_help")
    for plan_id, on, item, score, help_ in rows:
        point = by_plan.setdefault(plan_id, {"date": on, "scores": {}, "help": set()})
        point["scores"][item] = score
        if help_:
            point["help"].add(item)

    def mean(scores: dict, items: tuple[str, ...]) -> float | None:
        return round(fmean(scores[i] for i in items), 2) if all(i in scores for i in items) \
            else None

    return tuple(
        DialogPoint(plan_id=pk, date=p["date"], scores=p["scores"],
                    wants_more_help=frozenset(p["help"]),
                    sqol=mean(p["scores"], LIFE_DOMAINS),
                    treatment_satisfaction=mean(p["scores"], TREATMENT_ASPECTS))
        for pk, p in by_plan.items()
    )


# --- Front sheet and crisis summary -----------------------------------------------------------


@dataclass(frozen=True)
class LegalSummary:
    detentions: tuple[MHADetention, ...]  # in force today
    cto: CommunityTreatmentOrder | None  # in force
    section117: Section117 | None  # current aftercare eligibility, if any
    multi_agency: tuple[MultiAgency, ...]  # MAPPA / MARAC, active
    deadlines: tuple[LegalDeadlineDue, ...]  # every open deadline, soonest first


@dataclass(frozen=True)
class DepotLine:
    depot: Depot
    last_dose: DepotDose | None
    overdue: bool  # past its due date and tolerance with no dose given
    today: date

    @property
    def summary(self) -> str:
        """'Last dose given 20 Nov by Sam Patel (left dorsogluteal, batch AB1234). Next due
        4 Dec.' (core/depots.py)."""
        d = self.last_dose
        if d is None:
            return last_dose_sentence(today=self.today, next_due=self.depot.next_due)
        return last_dose_sentence(
            today=self.today, next_due=self.depot.next_due, outcome=d.outcome,
            due_on=d.due_on, given_on=d.given_on,
            given_by=d.given_by.name if d.given_by_id else None, site=d.site, batch=d.batch)


@dataclass(frozen=True)
class CarerLine:
    carer: Carer
    latest_contact: CarerContact | None
    open_concerns: tuple[CarerContact, ...]  # concerns not yet followed up


@dataclass(frozen=True)
class FrontSheet:
    person: Person
    today: date
    flags: tuple[Flag, ...]
    safety_plan: SafetyPlan | None  # the current version only
    safety_plan_review_overdue: bool
    advance_choice: AdvanceChoice | None
    relapse_signature: RelapseSignature | None
    warning_signs: tuple[WarningSign, ...]  # of the current relapse signature, in order
    open_sign_observations: tuple[SignObservation, ...]
    legal: LegalSummary
    care_plan: CarePlan | None
    care_plan_review_overdue: bool
    risk_formulation: RiskFormulation | None
    risk_review_overdue: bool
    medications: tuple[Medication, ...]  # taken now
    depots: tuple[DepotLine, ...]  # active
    social_circumstances: SocialCircumstances | None
    substance_use: tuple[SubstanceUse, ...]  # of the current social circumstances
    police_contacts: tuple[PoliceContact, ...]  # most recent first
    physical_health: PhysicalHealthCheck | None  # the latest check
    physical_health_due: date | None  # None: never checked (so due now)
    physical_health_overdue: bool
    carers: tuple[CarerLine, ...]
    ot_assessment: OTAssessment | None  # the latest


@dataclass(frozen=True)
class CrisisSummary:
    """What the 24/7 crisis line needs (design rule 10), read-only."""

    person: Person
    today: date
    flags: tuple[Flag, ...]
    safety_plan: SafetyPlan | None
    safety_plan_review_overdue: bool
    advance_choice: AdvanceChoice | None
    relapse_signature: RelapseSignature | None
    warning_signs: tuple[WarningSign, ...]
    two_staff_visits: bool  # from the current risk formulation
    legal: LegalSummary
    medications: tuple[Medication, ...]
    depots: tuple[DepotLine, ...]
    carers: tuple[Carer, ...]  # only those the person agreed the team may share with
    key_worker: StaffMember | None
    cover: StaffMember | None  # covering for the key worker today


def _latest_by_person(rows: Iterable, date_attr: str) -> dict[int, object]:
    out: dict[int, object] = {}
    for row in rows:
        best = out.get(row.person_id)
        if best is None or (getattr(row, date_attr), row.pk) > (getattr(best, date_attr),
                                                                best.pk):
            out[row.person_id] = row
    return out


def _grouped(rows: Iterable, key: str = "person_id") -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for row in rows:
        out[getattr(row, key)].append(row)
    return out


def _engagement_from(people: Iterable[Person]) -> dict[int, tuple] | None:
    """Use the caseload row's engagement when the caller passes caseload rows."""
    found = {p.pk: (p.engagement_state, getattr(p, "last_successful_contact", None))
             for p in people if getattr(p, "engagement_state", None) is not None}
    return found or None


class _Clinical:
    """The clinical record of several people, read with one query per table."""

    def __init__(self, ids: list[int], today: date, engagement: Engagement | None):
        self.ids, self.today = ids, today
        self.people = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
        self.flags = flags_for_people(ids, today=today, engagement=engagement)
        self.safety = _latest_by_person(_current(SafetyPlan, ids), "date")
        self.advance = _latest_by_person(_current(AdvanceChoice, ids), "date")
        self.signature = _latest_by_person(
            _current(RelapseSignature, ids).prefetch_related("signs"), "date"
        )
        self.observations = _grouped(
            SignObservation.objects.filter(person_id__in=ids, cleared_on__isnull=True)
            .select_related("sign")
        )
        self.risk = _latest_by_person(_current(RiskFormulation, ids), "reviewed_on")
        self.medications = _grouped(
            Medication.objects.filter(person_id__in=ids).filter(_open_on(today, "stopped"))
        )
        last_dose = DepotDose.objects.filter(depot=OuterRef("pk")).order_by("-due_on", "-id")
        depots = list(Depot.objects.filter(person_id__in=ids, active=True)
                      .annotate(last_dose_id=Subquery(last_dose.values("id")[:1])))
        doses = DepotDose.objects.select_related("given_by").in_bulk(
            [d.last_dose_id for d in depots if d.last_dose_id])
        # A dose given moves next_due on, so an active depot is overdue once today is past
        # next_due and its tolerance (the same rule as the engine's DEPOT_OVERDUE flag).
        self.depots: dict[int, list[DepotLine]] = defaultdict(list)
        for d in depots:
            self.depots[d.person_id].append(DepotLine(
                depot=d, last_dose=doses.get(d.last_dose_id),
                overdue=today > d.next_due + timedelta(days=d.tolerance_days), today=today,
            ))
        self.detentions = _grouped(
            MHADetention.objects.filter(person_id__in=ids, start__lte=today)
            .filter(Q(end__isnull=True) | Q(end__gte=today))
        )
        self.cto = _latest_by_person(
            CommunityTreatmentOrder.objects.filter(person_id__in=ids)
            .filter(_open_on(today, "ended_on")), "start"
        )
        self.s117 = _latest_by_person(
            Section117.objects.filter(person_id__in=ids).filter(_open_on(today, "ended_on")),
            "eligible_from",
        )
        self.multi = _grouped(
            MultiAgency.objects.filter(person_id__in=ids).filter(_open_on(today, "ended_on"))
        )
        self.deadlines = _grouped(_legal_deadline_rows(ids, today))

    def legal(self, pid: int) -> LegalSummary:
        return LegalSummary(
            detentions=tuple(self.detentions.get(pid, ())), cto=self.cto.get(pid),
            section117=self.s117.get(pid), multi_agency=tuple(self.multi.get(pid, ())),
            deadlines=tuple(self.deadlines.get(pid, ())),
        )

    def signs(self, pid: int) -> tuple[WarningSign, ...]:
        signature = self.signature.get(pid)
        return tuple(signature.signs.all()) if signature is not None else ()

    def overdue(self, entry, attr: str = "review_due") -> bool:
        return entry is not None and getattr(entry, attr) < self.today


def _front_sheet_extras(ids: list[int], today: date) -> dict[str, dict]:
    care = _latest_by_person(_current(CarePlan, ids).prefetch_related("actions"), "date")
    social = _latest_by_person(
        _current(SocialCircumstances, ids).prefetch_related("substance_use"), "assessed_on"
    )
    police = _grouped(PoliceContact.objects.filter(person_id__in=ids).order_by("-date", "-id"))
    latest = Person.objects.filter(pk__in=ids).annotate(
        phc=Subquery(PhysicalHealthCheck.objects.filter(person=OuterRef("pk"))
                     .order_by("-date", "-id").values("id")[:1]),
        ot=Subquery(OTAssessment.objects.filter(person=OuterRef("pk"))
                    .order_by("-date", "-id").values("id")[:1]),
    ).values_list("pk", "phc", "ot")
    latest = list(latest)
    checks = PhysicalHealthCheck.objects.in_bulk([phc for _, phc, _ in latest if phc])
    ots = OTAssessment.objects.in_bulk([ot for _, _, ot in latest if ot])
    last_contact = CarerContact.objects.filter(carer=OuterRef("pk")).order_by("-date", "-id")
    carers = list(Carer.objects.filter(person_id__in=ids)
                  .annotate(latest_contact_id=Subquery(last_contact.values("id")[:1]))
                  .order_by("-is_main_carer", "name", "id"))
    contacts = CarerContact.objects.in_bulk(
        [c.latest_contact_id for c in carers if c.latest_contact_id]
    )
    concerns = _grouped(
        CarerContact.objects.filter(person_id__in=ids, concern=True,
                                    followed_up_on__isnull=True),
        key="carer_id",
    )
    lines: dict[int, list[CarerLine]] = defaultdict(list)
    for c in carers:
        lines[c.person_id].append(CarerLine(
            carer=c, latest_contact=contacts.get(c.latest_contact_id),
            open_concerns=tuple(concerns.get(c.pk, ())),
        ))
    return {
        "care": care, "social": social, "police": police,
        "physical": {pid: checks.get(phc) for pid, phc, _ in latest},
        "ot": {pid: ots.get(ot) for pid, _, ot in latest},
        "carers": lines,
    }


def front_sheets(
    people: Iterable[Person | int], *, today: date, engagement: Engagement | None = None
) -> dict[int, FrontSheet]:
    """Front sheets of several people, with a constant number of queries."""
    people = list(people)
    ids = _ids(people)
    if not ids:
        return {}
    if engagement is None:
        engagement = _engagement_from(p for p in people if isinstance(p, Person))
    record = _Clinical(ids, today, engagement)
    extras = _front_sheet_extras(ids, today)
    months = clinical_config().physical_health_check_months
    sheets = {}
    for pid in ids:
        care, social = extras["care"].get(pid), extras["social"].get(pid)
        check = extras["physical"].get(pid)
        due = add_months(check.date, months) if check is not None else None
        sheets[pid] = FrontSheet(
            person=record.people[pid], today=today, flags=record.flags[pid],
            safety_plan=record.safety.get(pid),
            safety_plan_review_overdue=record.overdue(record.safety.get(pid)),
            advance_choice=record.advance.get(pid),
            relapse_signature=record.signature.get(pid), warning_signs=record.signs(pid),
            open_sign_observations=tuple(record.observations.get(pid, ())),
            legal=record.legal(pid),
            care_plan=care, care_plan_review_overdue=record.overdue(care),
            risk_formulation=record.risk.get(pid),
            risk_review_overdue=record.overdue(record.risk.get(pid)),
            medications=tuple(record.medications.get(pid, ())),
            depots=tuple(record.depots.get(pid, ())),
            social_circumstances=social,
            substance_use=tuple(social.substance_use.all()) if social is not None else (),
            police_contacts=tuple(extras["police"].get(pid, ())),
            physical_health=check, physical_health_due=due,
            physical_health_overdue=due is None or due < today,
            carers=tuple(extras["carers"].get(pid, ())),
            ot_assessment=extras["ot"].get(pid),
        )
    return sheets


def front_sheet(
    person: Person, *, today: date, engagement: tuple[str, date | None] | None = None
) -> FrontSheet:
    """Everything at the top of a person's record. Pass the caseload row as `person` (or
    `engagement`) to reuse its engagement state; otherwise it is worked out here."""
    return front_sheets(
        [person], today=today,
        engagement={person.pk: engagement} if engagement is not None else None,
    )[person.pk]


def crisis_summaries(
    people: Iterable[Person | int], *, today: date, engagement: Engagement | None = None
) -> dict[int, CrisisSummary]:
    """Crisis summaries for a whole caseload, with a constant number of queries."""
    people = list(people)
    ids = _ids(people)
    if not ids:
        return {}
    if engagement is None:
        engagement = _engagement_from(p for p in people if isinstance(p, Person))
    record = _Clinical(ids, today, engagement)
    consented = _grouped(
        Carer.objects.filter(person_id__in=ids, consent_to_share=True)
        .order_by("-is_main_carer", "name", "id")
    )
    open_episodes = dict(
        Person.objects.filter(pk__in=ids)
        .annotate(e=Subquery(current_episode_subquery().values("id")[:1]))
        .values_list("pk", "e")
    )
    episode_ids = [e for e in open_episodes.values() if e is not None]
    key_workers = {
        k.episode_id: k.staff
        for k in KeyWorkerAssignment.objects.filter(
            episode_id__in=episode_ids, end__isnull=True, episode__status__in=OPEN_STATUSES
        ).select_related("staff")
    }
    covers: dict[int, StaffMember] = {}
    for c in CoverAssignment.objects.filter(
        episode_id__in=episode_ids, start__lte=today, end__gte=today
    ).select_related("staff").order_by("start", "id"):
        covers[c.episode_id] = c.staff  # the latest-starting cover wins, as on the caseload
    summaries = {}
    for pid in ids:
        risk = record.risk.get(pid)
        episode = open_episodes.get(pid)
        summaries[pid] = CrisisSummary(
            person=record.people[pid], today=today, flags=record.flags[pid],
            safety_plan=record.safety.get(pid),
            safety_plan_review_overdue=record.overdue(record.safety.get(pid)),
            advance_choice=record.advance.get(pid),
            relapse_signature=record.signature.get(pid), warning_signs=record.signs(pid),
            two_staff_visits=bool(risk and risk.two_staff_visits),
            legal=record.legal(pid),
            medications=tuple(record.medications.get(pid, ())),
            depots=tuple(record.depots.get(pid, ())),
            carers=tuple(consented.get(pid, ())),
            key_worker=key_workers.get(episode), cover=covers.get(episode),
        )
    return summaries


def crisis_summary(
    person: Person, *, today: date, engagement: tuple[str, date | None] | None = None
) -> CrisisSummary:
    """What the 24/7 crisis line needs about one person."""
    return crisis_summaries(
        [person], today=today,
        engagement={person.pk: engagement} if engagement is not None else None,
    )[person.pk]


# --- Legal status for lists ---------------------------------------------------------------

LEGAL_STATUS_LABELS = {
    "detained": "Detained",
    "cto": "CTO",
    "s117": "Section 117",
    "mappa": "MAPPA",
    "marac": "MARAC",
}


def legal_status_for_people(person_ids: Iterable[int], *, today: date) -> dict[int, set[str]]:
    """Each person's legal statuses in force today (keys of LEGAL_STATUS_LABELS), for the
    caseload's filter and markers: one query per kind, however many people."""
    ids = _ids(person_ids)
    status: dict[int, set[str]] = defaultdict(set)
    in_force = {
        "detained": MHADetention.objects.filter(start__lte=today).filter(_open_on(today, "end")),
        "cto": CommunityTreatmentOrder.objects.filter(start__lte=today).filter(
            _open_on(today, "ended_on")),
        "s117": Section117.objects.filter(eligible=True, eligible_from__lte=today).filter(
            _open_on(today, "ended_on")),
    }
    for kind, rows in in_force.items():
        for pid in rows.filter(person_id__in=ids).values_list("person_id", flat=True):
            status[pid].add(kind)
    agencies = MultiAgency.objects.filter(person_id__in=ids, active_since__lte=today).filter(
        _open_on(today, "ended_on"))
    for pid, kind in agencies.values_list("person_id", "kind"):
        status[pid].add(kind)
    return status
