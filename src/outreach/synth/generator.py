"""Deterministic synthetic data for assertive outreach teams (design.md, "Data").

Pure Python (numpy and Faker, no Django) so that it is fast to test and can stream the
millions of contacts of the bench scale in batches. Everything follows from a seed and an
anchor date, `today`: the same pair always gives the same rows.

Never real data: names and addresses come from Faker, NHS numbers from the 999 range that is
never issued to a person, phone numbers from Ofcom's range reserved for drama.

Rows are frozen dataclasses whose field names are the models' attnames (`team_id`,
`recorded_by_id`...), so the loader writes them without a mapping; contacts are NamedTuples
in column order, produced in batches by `SynthData.contacts()`. The distributions and where
their figures come from: docs/synthetic-data.md.

The clinical record (care plans, medication and depots, legal status...) comes from
clinical.py and the team's work (planned visits, reviews, proposals, meetings) from
teamwork.py: both build on this module's rows and run last, each on its own random
streams, so adding them changed none of the rows made here.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
from faker import Faker

from outreach.core.discharge import DischargeReason
from outreach.core.eligibility import Criterion
from outreach.core.nhs_number import check_digit

if TYPE_CHECKING:  # clinical.py and teamwork.py import this module
    from outreach.synth.clinical import (
        AdvanceChoiceRow,
        CarePlanActionRow,
        CarePlanRow,
        CarerContactRow,
        CTORow,
        DepotDoseRow,
        DepotRow,
        DetentionRow,
        DialogRatingRow,
        MedicationRow,
        MultiAgencyRow,
        OTAssessmentRow,
        PhysicalHealthCheckRow,
        PoliceContactRow,
        RelapseSignatureRow,
        RiskFormulationRow,
        SafetyPlanRow,
        Section117Row,
        SignObservationRow,
        SocialCircumstancesRow,
        SubstanceUseRow,
        WarningSignRow,
    )
    from outreach.synth.teamwork import (
        ActionRow,
        AnnualReviewRow,
        DischargeProposalRow,
        ItemNoteRow,
        MeetingRow,
        PlannedVisitRow,
    )

LONDON = ZoneInfo("Europe/London")
YEAR = 365
# The oldest referral still open (brief: referrals 0-8 years ago), plus room for the
# assessment: the key-worker simulation starts here.
HISTORY_YEARS = 8

# ---------------------------------------------------------------------------------------
# Choice values. They mirror the models' TextChoices (tests/synth checks that they agree),
# because this module must not import Django.

PRACTITIONER, CONSULTANT, MANAGER, COMMISSIONER = (
    "practitioner", "consultant", "manager", "commissioner",
)
PSYCHIATRIST, NURSE, OT, SOCIAL_WORKER = "psychiatrist", "nurse", "ot", "social_worker"
PSYCHOLOGIST, STR_WORKER, PEER_SUPPORT = "psychologist", "str_worker", "peer_support"
OT_TECHNICAL_INSTRUCTOR, MANAGER_DISCIPLINE, NO_DISCIPLINE = (
    "ot_technical_instructor", "manager", "none",
)
FULL_AO, DEDICATED_FUNCTION = "full_ao", "dedicated_function"

REFERRED, ACCEPTED, STEPPED_UP, INPATIENT = "referred", "accepted", "stepped_up", "inpatient"
NOT_ACCEPTED, DISCHARGED = "not_accepted", "discharged"
OPEN_STATUSES = frozenset({REFERRED, ACCEPTED, STEPPED_UP, INPATIENT})

T_ACCEPTED, T_NOT_ACCEPTED = "accepted", "not_accepted"
T_STEP_UP_CRISIS, T_STEP_UP_ACUTE = "step_up_crisis", "step_up_acute"
T_STEP_UP_FORENSIC, T_STEP_UP_REHAB = "step_up_forensic", "step_up_rehab"
T_STEPPED_DOWN, T_ADMITTED, T_LEFT_HOSPITAL = "stepped_down", "admitted", "left_hospital"
T_STEP_DOWN_CMHT, T_TRANSFER_OUT, T_DISCHARGED = "step_down_cmht", "transfer_out", "discharged"

LEAVE, SICKNESS, TRAINING = "leave", "sickness", "training"
COVER_LEAVE, COVER_SICKNESS, COVER_LEFT, COVER_OTHER = "leave", "sickness", "left", "other"

WITH_WHOM = ("person", "person_and_carer", "carer", "agency")
MODES = ("face_to_face", "telephone", "video", "text")
PLACES = ("home", "public_place", "clinic", "ward", "police_custody", "other")
OUTCOMES = ("attended", "did_not_attend", "no_access", "cancelled_by_person",
            "cancelled_by_team")
CONTACT_MEANS = ("phone", "text", "visit", "letter", "email", "via_carer")
REFERRAL_SOURCES = ("cmht", "crisis", "inpatient", "eip", "forensic", "gp",
                    "criminal_justice", "family", "self", "other")

# Indexes into the tuples above, used by the vectorised contact generator.
W_PERSON, W_PERSON_AND_CARER, W_CARER, W_AGENCY = range(4)
M_F2F, M_PHONE, M_VIDEO, M_TEXT = range(4)
P_HOME, P_PUBLIC, P_CLINIC, P_WARD, P_CUSTODY, P_OTHER = range(6)
O_ATTENDED, O_DNA, O_NO_ACCESS, O_CANCELLED_PERSON, O_CANCELLED_TEAM = range(5)
G_F2F, G_REMOTE, G_CARER, G_AGENCY, G_WARD = range(5)

# ---------------------------------------------------------------------------------------
# Scales


@dataclass(frozen=True)
class TeamSpec:
    code: str
    name: str
    locality: str
    people: int
    # A small function inside a CMHT (002 ch.4): weekdays only, a handful of staff.
    dedicated_function: bool = False
    base: tuple[float, float] | None = None  # latitude, longitude; None: drawn from the seed


@dataclass(frozen=True)
class Scale:
    name: str
    teams: tuple[TeamSpec, ...]
    # Contacts are generated over this many days before today; volume grows with it.
    history_days: int

    @property
    def people(self) -> int:
        return sum(team.people for team in self.teams)


NORTH = TeamSpec("north-ao", "North Assertive Outreach Team", "Northbrook", 120,
                 base=(53.520, -2.240))
SOUTH = TeamSpec("south-ao", "South Intensive Community Function", "Southfield", 20,
                 dedicated_function=True, base=(53.410, -2.210))


def _localities() -> Iterator[str]:
    """Made-up place names (Eastbrook, Upperford...), never the two demo localities."""
    firsts = ("East", "West", "Upper", "Lower", "Old", "New", "Great", "Little")
    seconds = ("brook", "field", "ford", "ham", "ley", "ton", "wick", "bury")
    for a, b in itertools.product(firsts, seconds):
        yield a + b


def _more_teams(count: int, people: int) -> tuple[TeamSpec, ...]:
    names = itertools.islice(_localities(), count)
    return tuple(
        TeamSpec(f"{place.lower()}-ao", f"{place} Assertive Outreach Team", place, people)
        for place in names
    )


DEMO = Scale("demo", (NORTH, SOUTH), history_days=548)  # 18 months
TRUST = Scale("trust", (replace(NORTH, people=140), SOUTH, *_more_teams(4, 160)),
              history_days=548)
# 40 teams, 5,166 people; 1,000 days (33 months) of history give about 2.3 million
# contacts (at least 2 million is the benchmark's requirement).
BENCH = Scale("bench", (replace(NORTH, people=130), SOUTH, *_more_teams(38, 132)),
              history_days=1000)
SCALES: dict[str, Scale] = {s.name: s for s in (DEMO, TRUST, BENCH)}


def small_scale(*, north: int = 24, south: int = 8, history_days: int = 120,
                extra_teams: int = 0) -> Scale:
    """A quick scale for tests, with the two demo teams so that every login exists."""
    teams = (replace(NORTH, people=north), replace(SOUTH, people=south),
             *_more_teams(extra_teams, north))
    return Scale("small", teams, history_days)


# ---------------------------------------------------------------------------------------
# Rows


@dataclass(frozen=True, slots=True)
class TeamRow:
    id: int
    code: str
    name: str
    locality: str
    service_type: str
    weekday_opens: time
    weekday_closes: time
    weekend_opens: time | None
    weekend_closes: time | None
    base_latitude: float
    base_longitude: float


@dataclass(frozen=True, slots=True)
class StaffRow:
    id: int
    team_id: int | None
    name: str
    role: str
    discipline: str
    fte: Decimal
    working_days: str
    shift_starts: time | None
    shift_ends: time | None
    joined: date
    left: date | None
    login: str | None = None  # the demo username, if any; not a model field


@dataclass(frozen=True, slots=True)
class AbsenceRow:
    id: int
    staff_id: int
    kind: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: int
    nhs_number: str
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: date
    address: str
    postcode: str
    latitude: float
    longitude: float
    phone: str
    preferred_contact_means: str
    preferred_places: str
    interpreter_needed: bool
    language: str
    accessibility_needs: str
    created_at: datetime
    updated_at: datetime
    # Equality monitoring, filled in by synth/outcomes.py (its own random stream).
    ethnic_category: str = ""
    sex: str = ""
    lsoa_code: str = ""


@dataclass(frozen=True, slots=True)
class EpisodeRow:
    id: int
    person_id: int
    team_id: int
    referral_date: date
    referral_source: str
    assessment_date: date | None
    accepted_date: date | None
    first_intervention_date: date | None
    status: str
    criteria: tuple[str, ...]
    weekly_target: int | None
    discharged_date: date | None


@dataclass(frozen=True, slots=True)
class TransitionRow:
    id: int
    episode_id: int
    kind: str
    date: date
    status_after: str
    note: str
    recorded_by_id: int | None
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class KeyWorkerRow:
    id: int
    episode_id: int
    staff_id: int
    start: date
    end: date | None
    recorded_by_id: int | None


@dataclass(frozen=True, slots=True)
class CoverRow:
    id: int
    episode_id: int
    staff_id: int
    start: date
    end: date
    reason: str
    recorded_by_id: int | None


@dataclass(frozen=True, slots=True)
class CarerRow:
    id: int
    person_id: int
    name: str
    relationship: str
    phone: str
    is_main_carer: bool
    consent_to_share: bool
    may_be_told: str


@dataclass(frozen=True, slots=True)
class DischargeRow:
    id: int
    episode_id: int
    reason: str
    date: date
    rationale: str
    relapse_indicators: str
    known_risks: str
    route_back_in: str
    shared_with: tuple[str, ...]
    decided_by_id: int
    decided_at: datetime
    receiving_team: str = ""
    accepted_by: str = ""
    accepted_on: date | None = None
    died_on: date | None = None


class ContactRow(NamedTuple):
    id: int
    person_id: int
    episode_id: int
    date: date
    time: time
    staff_id: int
    second_staff_id: int | None
    with_whom: str
    mode: str
    place: str
    outcome: str
    duration_minutes: int | None
    note: str
    version: int
    recorded_by_id: int
    recorded_at: datetime


# ---------------------------------------------------------------------------------------
# Working state (mutable, internal). Dates are ordinals (ints) for speed.


@dataclass(slots=True)
class _Staff:
    id: int
    team_id: int | None
    name: str
    role: str
    discipline: str
    fte: float
    weekdays: tuple[int, ...]
    shift: tuple[int, int]  # minutes after midnight
    joined: int
    left: int | None
    weight: float  # share of caseload, by discipline and FTE; 0 if not a key worker
    login: str | None = None
    absences: list[tuple[str, int, int]] = field(default_factory=list)

    def active(self, day: int, horizon: int = 0) -> bool:
        """Employed on `day` and (with a horizon) not leaving within `horizon` days."""
        return self.joined <= day and (self.left is None or self.left >= day + horizon)

    def absent(self, start: int, end: int) -> bool:
        return any(a <= end and start <= b for _, a, b in self.absences)


@dataclass(slots=True)
class _Plan:
    """One person's episode with the team, before rows are written."""

    episode_id: int
    person_id: int
    team_id: int
    status: str
    referral: int
    assessment: int | None = None
    accepted: int | None = None
    first_intervention: int | None = None
    closed: int | None = None  # discharge or not-accepted decision
    discharge_reason: str | None = None
    source: str = "cmht"
    criteria: tuple[str, ...] = ()
    weekly_target: int | None = None
    # (transition kind that starts it, first day, day it ends or None while current)
    events: list[tuple[str, int, int | None]] = field(default_factory=list)
    # Engagement, for the contacts.
    attend: float = 0.75
    f2f_per_week: float = 2.8
    remote_per_week: float = 0.8
    two_worker: float = 0.03
    place_option: int = 0  # index into PREFERRED_PLACES
    places: tuple[float, float, float] = (0.6, 0.3, 0.1)
    carer_present: float = 0.0  # share of visits with the carer there
    has_carer: bool = False
    # Inclusive periods of lost engagement; the day before each is the last good contact.
    disengaged: list[tuple[int, int]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Distributions (rationale and sources in docs/synthetic-data.md)

# Caseload weight at 1.0 FTE. OTs carry smaller caseloads than nurses (000); consultant,
# manager and OT technical instructor are not care coordinators.
CASELOAD_WEIGHT = {NURSE: 1.0, SOCIAL_WORKER: 1.0, STR_WORKER: 1.0, OT: 0.85,
                   PEER_SUPPORT: 0.9, PSYCHOLOGIST: 0.7}
FTES = (1.0, 0.8, 0.6)
FTE_SHARES = (0.7, 0.2, 0.1)

STATUS_SHARES = {ACCEPTED: 0.72, DISCHARGED: 0.12, STEPPED_UP: 0.05, INPATIENT: 0.04,
                 REFERRED: 0.04, NOT_ACCEPTED: 0.03}
REFERRAL_SOURCE_SHARES = (0.35, 0.12, 0.20, 0.10, 0.06, 0.04, 0.05, 0.04, 0.02, 0.02)
OTHER_CRITERIA = tuple(c.value for c in Criterion if c is not Criterion.PSYCHOSIS)
OTHER_CRITERIA_WEIGHTS = np.array([0.8, 0.7, 0.6, 0.45, 0.35, 0.3])  # in Criterion order
DISCHARGE_REASONS = (DischargeReason.STEP_DOWN, DischargeReason.TRANSFER_OUT,
                     DischargeReason.MOVED_AWAY, DischargeReason.INPATIENT_LONG_TERM,
                     DischargeReason.DIED)
DISCHARGE_REASON_SHARES = (0.45, 0.2, 0.2, 0.1, 0.05)
STEP_UPS = (T_STEP_UP_CRISIS, T_STEP_UP_ACUTE, T_STEP_UP_FORENSIC, T_STEP_UP_REHAB)
STEP_UP_SHARES = (0.5, 0.25, 0.1, 0.15)
EVENTS_PER_YEAR = 0.6  # step-ups and admissions together
ADMISSION_SHARE = 0.45

# Engagement drift at today, for accepted episodes: (share, fewest days, most days) since
# the last successful contact; 002 annex B's ladder is due -> overdue -> lost -> escalated.
CURRENT_DRIFT = ((0.08, 7, 13), (0.05, 14, 27), (0.02, 28, 56))
PAST_DISENGAGEMENTS_PER_YEAR = 0.35

RETRY_SHARE = 0.6
STEPPED_UP_F2F_PER_WEEK = 6.0  # target 7 a week when stepped up (settings)
WARD_VISITS_PER_WEEK = 1.5  # in-reach during an admission (002 ch.4)
CARER_CONTACTS_PER_WEEK = 0.25
AGENCY_CONTACTS_PER_WEEK = 0.08

# Outcome probabilities in OUTCOMES order.
DISENGAGED_F2F = np.array([0.0, 0.5, 0.38, 0.1, 0.02])
WARD_OUTCOMES = np.array([0.93, 0.02, 0.0, 0.03, 0.02])
PHONE_OUTCOMES = np.array([0.72, 0.12, 0.16, 0.0, 0.0])  # no access: did not answer
TEXT_OUTCOMES = np.array([0.9, 0.0, 0.1, 0.0, 0.0])
DISENGAGED_REMOTE = np.array([0.15, 0.1, 0.75, 0.0, 0.0])
CARER_OUTCOMES = np.array([0.85, 0.0, 0.15, 0.0, 0.0])
AGENCY_OUTCOMES = np.array([0.95, 0.0, 0.05, 0.0, 0.0])
# Of the visits that do not happen: did not attend, no access, cancelled by person, by team.
MISSED_SPLIT = np.array([0.55, 0.24, 0.14, 0.07])

LANGUAGES = ("Polish", "Urdu", "Punjabi", "Bengali", "Arabic", "Somali", "Romanian",
             "Portuguese", "Tigrinya", "Kurdish (Sorani)", "Farsi", "Mandarin",
             "British Sign Language")
ACCESSIBILITY = (
    "Hard of hearing: face the person when speaking, no background noise",
    "Uses a wheelchair: ground-floor places only",
    "Dyslexia: easy read letters, read documents together",
    "Partially sighted: large print, phone before a visit",
    "Learning disability: easy read, extra time, same worker where possible",
    "Autistic: advance notice of visits and of changes of worker",
    "Epilepsy: avoid flashing screens; knows own warning signs",
)
# (what is recorded, share of visits at home / in a public place / at the team base)
PREFERRED_PLACES = (
    ("Home", (0.85, 0.1, 0.05)),
    ("Home; the café on the high street", (0.55, 0.4, 0.05)),
    ("Day centre", (0.3, 0.55, 0.15)),
    ("The park near home; not at home", (0.1, 0.85, 0.05)),
    ("Team base", (0.25, 0.15, 0.6)),
    ("Home, or the library", (0.6, 0.35, 0.05)),
    ("Supermarket café", (0.3, 0.65, 0.05)),
)
PREFERRED_PLACE_SHARES = (0.35, 0.2, 0.1, 0.1, 0.08, 0.1, 0.07)
# (relationship, female?, shares the person's family name?, lives with the person?, weight)
CARER_KINDS = (
    ("Mother", True, True, 0.5, 0.33), ("Father", False, True, 0.4, 0.1),
    ("Sister", True, True, 0.15, 0.08), ("Brother", False, True, 0.15, 0.07),
    ("Partner", None, False, 0.7, 0.15), ("Daughter", True, True, 0.2, 0.05),
    ("Son", False, True, 0.2, 0.03), ("Friend", None, False, 0.05, 0.07),
    ("Aunt", True, True, 0.1, 0.04), ("Grandmother", True, True, 0.3, 0.04),
    ("Neighbour", None, False, 0.0, 0.04),
)
MAY_BE_TOLD = (
    "Appointments and how they are doing in general",
    "Everything in the care plan and the crisis plan",
    "The crisis plan and medication only",
    "Whether they have been seen this week",
)

F2F_NOTES = (
    "Home visit. Talked about the week; sleeping better. Medication taken as prescribed.",
    "Went shopping together; budgeting for the gas bill.",
    "Coffee in town. Mood settled, some voices in the evenings, coping with music.",
    "Depot given. No side effects reported.",
    "Helped with the benefits review letter; appointment booked at the job centre.",
    "Walk in the park. Talked about the allotment group; will try it on Thursday.",
    "Reviewed the crisis plan together; no changes.",
    "Flat untidy, fridge empty: food bank referral made, to be followed up at handover.",
    "Talked about cannabis use; cutting down, wants to keep talking about it.",
    "DIALOG+ session: priorities are housing and seeing his/her children.",
    "Brief visit, tired; agreed to meet again on Friday.",
    "Accompanied to GP for physical health check; bloods taken.",
)
DNA_NOTES = ("Not in when visited. Card left with the team number.",
             "Not at the agreed café. Texted to rearrange.",
             "Did not come to the team base appointment. Will visit at home.")
NO_ACCESS_NOTES = ("No answer at the door. Curtains closed; neighbour had not seen them.",
                   "No answer; letter through the door, will try again tomorrow.",
                   "Buzzer not working, no answer on the phone.")
CANCELLED_NOTES = ("Cancelled: has a hospital appointment, rearranged.",
                   "Cancelled by the team: worker off sick, rearranged for tomorrow.",
                   "Cancelled: going to see family, rearranged.")
PHONE_NOTES = ("Phone call: all right, reminded of Thursday's visit.",
               "Phoned to check in; sounded low, visit brought forward.",
               "Text reminder of tomorrow's visit; replied OK.")
NO_ANSWER_NOTES = ("Phoned, no answer. Left a message.", "Texted, no reply yet.")
WARD_NOTES = ("In-reach visit on the ward. Talked about leave and discharge planning.",
              "Ward visit; settled, attending OT groups.",
              "Ward round attended with the person; leave agreed for the weekend.")
CARER_NOTES = ("Spoke to carer: worried about sleep and not eating. Added to handover.",
               "Carer says things are calmer at home.",
               "Carer phoned: has not seen them for three days. Raised at handover.",
               "Carer's assessment offered; information about the carers' group given.")
AGENCY_NOTES = ("Spoke to housing officer about rent arrears.",
                "GP surgery: repeat prescription not collected this month.",
                "Probation officer updated on progress.",
                "Pharmacy: weekly blister pack collected.")

DISCHARGE_TEXT: dict[str, str] = {
    DischargeReason.STEP_DOWN: (
        "Stable for over two years, engaging well with weekly contact and wants less "
        "intensive support. Agreed at MDT to step down to the CMHT with a named care "
        "coordinator and a joint visit first."),
    DischargeReason.TRANSFER_OUT: (
        "Moved into a supported tenancy in another trust's area; transferred to their "
        "assertive outreach team after a joint handover visit."),
    DischargeReason.MOVED_AWAY: (
        "Moved to live with family in another part of the country; the local team there "
        "has accepted the referral and has the full history."),
    DischargeReason.INPATIENT_LONG_TERM: (
        "Long-term placement in a rehabilitation unit; the team stays in touch through "
        "the placement's CPA reviews."),
    DischargeReason.DIED: "Died (physical health cause). Family informed and supported.",
}
RELAPSE_INDICATORS = (
    "Sleeping less, stops answering the door, talks about being followed.",
    "Stops taking medication, more cannabis, arguments with mother.",
    "Withdraws to the bedroom, stops eating, hears voices telling them to leave.",
    "Spends money quickly, little sleep, phones family at night.",
)
KNOWN_RISKS = (
    "Self-neglect and eviction; in the past, police contact when unwell.",
    "Risk to self when voices are commanding; two admissions under section 3.",
    "Vulnerable to exploitation by others when unwell; debts.",
)
ROUTE_BACK_IN = (
    "Person, family or GP can phone the team directly; re-referral is accepted without "
    "a new assessment within 12 months. Crisis line has the crisis plan.",
    "Care coordinator can ask for a joint review at the AO MDT at any time; family have "
    "the team's number.",
)

# ---------------------------------------------------------------------------------------
# Generation


@dataclass(frozen=True)
class SynthData:
    """Everything generated for one scale, seed and anchor date. Contacts are produced on
    demand, in batches, by `contacts()` (the bench scale has millions)."""

    scale: Scale
    seed: int
    today: date
    teams: list[TeamRow]
    staff: list[StaffRow]
    absences: list[AbsenceRow]
    people: list[PersonRow]
    episodes: list[EpisodeRow]
    transitions: list[TransitionRow]
    key_workers: list[KeyWorkerRow]
    covers: list[CoverRow]
    carers: list[CarerRow]
    discharges: list[DischargeRow]
    # The clinical record (clinical.py), in foreign-key order.
    social_circumstances: list[SocialCircumstancesRow]
    substance_use: list[SubstanceUseRow]
    police_contacts: list[PoliceContactRow]
    care_plans: list[CarePlanRow]
    dialog_ratings: list[DialogRatingRow]
    care_plan_actions: list[CarePlanActionRow]
    safety_plans: list[SafetyPlanRow]
    advance_choices: list[AdvanceChoiceRow]
    relapse_signatures: list[RelapseSignatureRow]
    warning_signs: list[WarningSignRow]
    sign_observations: list[SignObservationRow]
    risk_formulations: list[RiskFormulationRow]
    medications: list[MedicationRow]
    depots: list[DepotRow]
    depot_doses: list[DepotDoseRow]
    detentions: list[DetentionRow]
    ctos: list[CTORow]
    section117s: list[Section117Row]
    multi_agency: list[MultiAgencyRow]
    carer_contacts: list[CarerContactRow]
    physical_health_checks: list[PhysicalHealthCheckRow]
    ot_assessments: list[OTAssessmentRow]
    # The team's work (teamwork.py).
    planned_visits: list[PlannedVisitRow]
    annual_reviews: list[AnnualReviewRow]
    discharge_proposals: list[DischargeProposalRow]
    meetings: list[MeetingRow]
    item_notes: list[ItemNoteRow]
    actions: list[ActionRow]
    _contacts: _ContactStream = field(repr=False, compare=False)
    # Outcomes (outcomes.py): history before acceptance, employment, local populations.
    hospital_spells: list = field(default_factory=list)
    crisis_episodes: list = field(default_factory=list)
    employment_records: list = field(default_factory=list)
    area_populations: list = field(default_factory=list)
    history_police_contacts: list = field(default_factory=list)

    @property
    def window_start(self) -> date:
        """The first day with contacts."""
        return self.today - timedelta(days=self.scale.history_days)

    @property
    def logins(self) -> dict[str, StaffRow]:
        return {s.login: s for s in self.staff if s.login}

    def contacts(self, batch_size: int = 50_000) -> Iterator[list[ContactRow]]:
        """Contacts in batches of at most batch_size, ids from 1, episode by episode.
        Each episode has its own random stream, so this can be iterated again and gives
        the same rows."""
        return self._contacts.batches(batch_size)

    def counts(self) -> dict[str, int]:
        """Rows per table, contacts aside, in foreign-key order."""
        return {name: len(getattr(self, name)) for name in table_names()}


CORE_TABLES = ("teams", "staff", "absences", "people", "episodes", "transitions",
               "key_workers", "covers", "carers", "discharges")


def table_names() -> tuple[str, ...]:
    """Every SynthData table but contacts, in foreign-key order."""
    from outreach.synth import clinical, outcomes, teamwork

    return CORE_TABLES + clinical.TABLES + teamwork.TABLES + outcomes.TABLES


def generate(scale: Scale, *, seed: int, today: date, cover_gaps: float = 0.0) -> SynthData:
    """Generate a scale's teams, staff, people and history up to `today`.

    cover_gaps: the share of key-worker absences (per person on the caseload) left without
    cover, to exercise the gap warnings; by default every absence is covered (design rule 3).
    """
    rng = np.random.default_rng(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    t0 = today.toordinal()
    window_start = t0 - scale.history_days
    sim_start = t0 - HISTORY_YEARS * YEAR - 60

    teams = [_team_row(i, spec, rng) for i, spec in enumerate(scale.teams, start=1)]
    staff = _staff(scale, rng, fake, sim_start, t0)
    people, plans, carers = _people_and_plans(scale, teams, rng, fake, sim_start,
                                              window_start, t0)
    assignments, vacancies = _allocate_key_workers(staff, plans, rng, sim_start)
    _choose_logins(staff, assignments, t0)
    buddies = _absences(staff, rng, window_start, t0)
    covers = _absence_covers(staff, assignments, vacancies, plans, rng, t0, cover_gaps,
                             buddies)

    by_id = {s.id: s for s in staff}
    kw_segments = _segments_by_episode(assignments)
    leads = _team_leads(staff)
    episode_rows = [_episode_row(p) for p in plans]
    transitions = _transitions(plans, kw_segments, leads)
    discharges = _discharges(plans, kw_segments, leads, carers, rng)
    kw_rows = [
        KeyWorkerRow(i, ep, s, _d(start), _d(end) if end is not None else None,
                     _lead_at(leads, by_id[s].team_id, start) or s)
        for i, (ep, s, start, end) in enumerate(sorted(assignments), start=1)
    ]
    cover_rows = [
        CoverRow(i, ep, s, _d(start), _d(end), reason,
                 _lead_at(leads, by_id[s].team_id, start) or s)
        for i, (ep, s, start, end, reason) in enumerate(sorted(covers), start=1)
    ]
    absence_rows = [
        AbsenceRow(i, s.id, kind, _d(a), _d(b))
        for i, (s, (kind, a, b)) in enumerate(
            ((s, ab) for s in staff for ab in s.absences), start=1)
    ]
    stream = _ContactStream(seed, t0, window_start, teams, staff, plans, kw_segments, covers)
    from outreach.synth import clinical, outcomes, teamwork  # they build on this module

    world = clinical.World(seed, t0, window_start, scale.history_days, teams, staff,
                           clinical.people_on_caseload(plans, teams, carers, kw_segments,
                                                       covers))
    record = clinical.generate_record(world)
    work = teamwork.generate_teamwork(world, record, plans, carers, kw_segments, covers,
                                      discharges)
    people, history = _outcomes(seed, today, scale, teams, people, episode_rows, kw_rows,
                                record)
    return SynthData(
        scale=scale, seed=seed, today=today, teams=teams,
        staff=[_staff_row(s) for s in staff], absences=absence_rows, people=people,
        episodes=episode_rows, transitions=transitions, key_workers=kw_rows,
        covers=cover_rows, carers=carers, discharges=discharges, _contacts=stream,
        **{name: getattr(record, name) for name in clinical.TABLES},
        **{name: getattr(work, name) for name in teamwork.TABLES},
        **{name: getattr(history, name) for name in outcomes.TABLES},
    )


def _outcomes(seed, today, scale, teams, people, episode_rows, kw_rows, record):
    """Demographics on the people, and the outcomes' history (synth/outcomes.py)."""
    from outreach.synth import clinical, outcomes

    rng = np.random.default_rng([seed, outcomes.STREAM, 1])
    team_of = {e.person_id: e.team_id for e in episode_rows}
    people = outcomes.demographics(rng, people, team_of)
    first_worker: dict[int, int] = {}
    for row in sorted(kw_rows, key=lambda r: (r.episode_id, r.start, r.id)):
        first_worker.setdefault(row.episode_id, row.staff_id)
    history = outcomes.generate_outcomes(
        seed=seed, today=today, window_start=today - timedelta(days=scale.history_days),
        teams=teams, team_people={t.id: spec.people for t, spec in zip(teams, scale.teams,
                                                                       strict=True)},
        episodes=episode_rows, first_worker=first_worker,
        police_rows_so_far=len(record.police_contacts), police_row_type=clinical.PoliceContactRow)
    return people, history


def _d(ordinal: int) -> date:
    return date.fromordinal(ordinal)


def _at(ordinal: int, minutes: int) -> datetime:
    d = date.fromordinal(ordinal)
    return datetime(d.year, d.month, d.day, tzinfo=LONDON) + timedelta(minutes=minutes)


def _hm(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _pick(rng: np.random.Generator, options, shares):
    return options[int(rng.choice(len(options), p=np.asarray(shares) / np.sum(shares)))]


# --- Teams and staff -------------------------------------------------------------------


def _team_row(team_id: int, spec: TeamSpec, rng: np.random.Generator) -> TeamRow:
    lat, lon = spec.base or (float(rng.uniform(51.0, 54.8)), float(rng.uniform(-3.0, 0.3)))
    if spec.dedicated_function:
        return TeamRow(team_id, spec.code, spec.name, spec.locality, DEDICATED_FUNCTION,
                       time(9), time(17), None, None, lat, lon)
    # Extended hours and weekends (001: seven-day service; 002 ch.4).
    return TeamRow(team_id, spec.code, spec.name, spec.locality, FULL_AO,
                   time(8), time(20), time(9), time(17), lat, lon)


def _posts(spec: TeamSpec) -> list[tuple[str, str]]:
    """(discipline, role) of each post. Team make-up from 000 and 001: nurses, doctors,
    STR workers, a social worker, psychologist, OT and OT technical instructor."""
    if spec.dedicated_function:
        return [(PSYCHIATRIST, CONSULTANT), (NURSE, PRACTITIONER), (NURSE, PRACTITIONER),
                (STR_WORKER, PRACTITIONER)]
    nurses = max(2, round(spec.people / 30))
    return [
        (PSYCHIATRIST, CONSULTANT), (MANAGER_DISCIPLINE, MANAGER),
        *[(NURSE, PRACTITIONER)] * nurses,
        (OT, PRACTITIONER), (OT_TECHNICAL_INSTRUCTOR, PRACTITIONER),
        (SOCIAL_WORKER, PRACTITIONER), (PSYCHOLOGIST, PRACTITIONER),
        (STR_WORKER, PRACTITIONER), (STR_WORKER, PRACTITIONER), (PEER_SUPPORT, PRACTITIONER),
    ]


def _tenures(rng: np.random.Generator, sim_start: int, t0: int) -> list[tuple[int, int | None]]:
    """Who held a post over time: (joined, left) of each holder, the last one current.
    Turnover of about one in six a year, a vacancy of 2-13 weeks between holders."""
    joined = sim_start - int(rng.uniform(0, 6 * YEAR))
    holders: list[tuple[int, int | None]] = []
    while True:
        left = joined + 180 + int(rng.exponential(6 * YEAR))
        if left >= t0 - 31:  # nobody leaves in the last month: their caseload is settled
            holders.append((joined, None))
            return holders
        holders.append((joined, left))
        joined = min(left + int(rng.integers(14, 91)), t0 - 30)


def _working_days(rng: np.random.Generator, fte: float, weekend_rota: bool) -> tuple[int, ...]:
    days = round(fte * 5)
    if weekend_rota:
        weekdays = rng.choice(np.arange(1, 6), days - 1, replace=False).tolist()
        return tuple(sorted([*weekdays, int(rng.choice([6, 7]))]))
    if days == 5:
        return (1, 2, 3, 4, 5)
    return tuple(sorted(rng.choice(np.arange(1, 6), days, replace=False).tolist()))


def _shift(rng: np.random.Generator, role: str, full_ao: bool, weekend: bool) -> tuple[int, int]:
    if not full_ao or role != PRACTITIONER:
        return 9 * 60, 17 * 60
    if weekend:
        return 10 * 60, 18 * 60
    start = _pick(rng, (9, 8, 11, 12), (0.6, 0.15, 0.15, 0.1))
    return start * 60, (start + 8) * 60


def _staff(scale: Scale, rng: np.random.Generator, fake: Faker, sim_start: int,
           t0: int) -> list[_Staff]:
    staff: list[_Staff] = []
    for team_id, spec in enumerate(scale.teams, start=1):
        full_ao = not spec.dedicated_function
        for discipline, role in _posts(spec):
            for joined, left in _tenures(rng, sim_start, t0):
                if left is not None and left < sim_start:
                    continue  # left before anyone in the data was referred
                fte = 0.6 if role == CONSULTANT and not full_ao else float(
                    _pick(rng, FTES, FTE_SHARES))
                weekend = full_ao and role == PRACTITIONER and rng.random() < 0.4
                staff.append(_Staff(
                    id=len(staff) + 1, team_id=team_id,
                    name=f"{fake.first_name()} {fake.last_name()}", role=role,
                    discipline=discipline, fte=fte,
                    weekdays=_working_days(rng, fte, weekend),
                    shift=_shift(rng, role, full_ao, weekend), joined=joined, left=left,
                    # Part-timers carry somewhat smaller caseloads, not proportionally so.
                    weight=CASELOAD_WEIGHT.get(discipline, 0.0) * (0.5 + fte / 2),
                ))
    # Commissioners work for the ICB: no team, so no identifiable records.
    staff.append(_Staff(
        id=len(staff) + 1, team_id=None, name=f"{fake.first_name()} {fake.last_name()}",
        role=COMMISSIONER, discipline=NO_DISCIPLINE, fte=1.0, weekdays=(1, 2, 3, 4, 5),
        shift=(9 * 60, 17 * 60), joined=t0 - 3 * YEAR, left=None, weight=0.0,
    ))
    return staff


def _staff_row(s: _Staff) -> StaffRow:
    has_shift = s.team_id is not None
    return StaffRow(
        id=s.id, team_id=s.team_id, name=s.name, role=s.role, discipline=s.discipline,
        fte=Decimal(str(s.fte)), working_days=",".join(map(str, s.weekdays)),
        shift_starts=_hm(s.shift[0]) if has_shift else None,
        shift_ends=_hm(s.shift[1]) if has_shift else None,
        joined=_d(s.joined), left=_d(s.left) if s.left is not None else None, login=s.login,
    )


# --- People, carers and episode plans ---------------------------------------------------


def _nhs_numbers(rng: np.random.Generator, count: int) -> list[str]:
    """Unique valid numbers in the 999 range (never issued to a real person)."""
    numbers: list[str] = []
    for n in rng.choice(1_000_000, size=min(1_000_000, int(count * 1.2) + 50), replace=False):
        first_nine = f"999{int(n):06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            numbers.append(first_nine + str(digit))
            if len(numbers) == count:
                return numbers
    raise ValueError("too many people for the 999 NHS number range")


def _drama_phone(rng: np.random.Generator) -> str:
    # Ofcom reserves 07700 900000-900999 for drama: never a real subscriber.
    return f"07700 900{int(rng.integers(0, 1000)):03d}"


def _point_near(rng: np.random.Generator, lat: float, lon: float, km: float):
    r = km * math.sqrt(rng.random())
    theta = rng.uniform(0, 2 * math.pi)
    dlat = r * math.cos(theta) / 111.32
    dlon = r * math.sin(theta) / (111.32 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def _people_and_plans(scale, teams, rng, fake, sim_start, window_start, t0):
    numbers = _nhs_numbers(rng, scale.people)
    people: list[PersonRow] = []
    plans: list[_Plan] = []
    carers: list[CarerRow] = []
    for team, spec in zip(teams, scale.teams, strict=True):
        for _ in range(spec.people):
            pid = len(people) + 1
            family = fake.last_name()
            # Ages 19-70: a referral at 18 or over still leaves a year of history.
            age_days = min(70 * 365, int(np.clip(rng.normal(40, 11), 19, 70) * 365.25))
            born = t0 - age_days
            earliest = max(sim_start, born + round(18 * 365.25) + 1)
            # About 60% have a carer or family member involved, some two (002 ch.3).
            mine = _carers(rng, fake, pid, len(carers) + 1, family) if rng.random() < 0.6 else []
            carers.extend(mine)
            plan = _plan(rng, pid, team, spec, earliest, window_start, t0, mine)
            plans.append(plan)
            people.append(_person(rng, fake, pid, numbers[pid - 1], family, born, team, plan,
                                  bool(mine)))
    return people, plans, carers


def _carers(rng, fake, person_id: int, first_id: int, family: str) -> list[CarerRow]:
    rows = []
    for i in range(2 if rng.random() < 0.12 else 1):
        relationship, female, same_name, _, _ = _pick(
            rng, CARER_KINDS, [k[4] for k in CARER_KINDS])
        if female is None:
            female = bool(rng.random() < 0.5)
        given = fake.first_name_female() if female else fake.first_name_male()
        surname = family if same_name else fake.last_name()
        consent = bool(rng.random() < 0.7)
        rows.append(CarerRow(
            id=first_id + i, person_id=person_id, name=f"{given} {surname}",
            relationship=relationship, phone=_drama_phone(rng), is_main_carer=i == 0,
            consent_to_share=consent,
            may_be_told=MAY_BE_TOLD[int(rng.integers(len(MAY_BE_TOLD)))] if consent else "",
        ))
    return rows


def _person(rng, fake, pid: int, nhs_number: str, family: str, born: int, team: TeamRow,
            plan: _Plan, has_carer: bool) -> PersonRow:
    male = rng.random() < 0.65  # AO caseloads are mostly men
    given = fake.first_name_male() if male else fake.first_name_female()
    preferred = ""
    if rng.random() < 0.12:
        preferred = fake.first_name_male() if male else fake.first_name_female()
    lat, lon = _point_near(rng, team.base_latitude, team.base_longitude, 8.0)
    phone = _drama_phone(rng) if rng.random() < 0.85 else ""
    means_shares = [0.4, 0.3, 0.15, 0.05, 0.03, 0.07 if has_carer else 0.0]
    if not phone:
        means_shares[0] = means_shares[1] = 0.0
    means = _pick(rng, CONTACT_MEANS, means_shares)
    interpreter = bool(rng.random() < 0.1)
    language = "English"
    if interpreter:
        language = _pick(rng, LANGUAGES, [1.0] * (len(LANGUAGES) - 1) + [0.6])
    needs = ACCESSIBILITY[int(rng.integers(len(ACCESSIBILITY)))] if rng.random() < 0.12 else ""
    if language == "British Sign Language":
        needs = "Deaf: BSL interpreter for every visit; texts, not phone calls"
    created = _at(plan.referral, 10 * 60 + int(rng.integers(0, 360)))
    street = fake.street_address().replace("\n", ", ")
    return PersonRow(
        id=pid, nhs_number=nhs_number, given_name=given, family_name=family,
        preferred_name=preferred, date_of_birth=_d(born),
        address=f"{street}\n{team.locality}", postcode=fake.postcode(), latitude=lat,
        longitude=lon, phone=phone, preferred_contact_means=means,
        preferred_places=PREFERRED_PLACES[plan.place_option][0],
        interpreter_needed=interpreter, language=language, accessibility_needs=needs,
        created_at=created, updated_at=created, sex="1" if male else "2",
    )


def _criteria(rng: np.random.Generator) -> tuple[str, ...]:
    """Psychosis always, plus 1-4 other chapter 2 criteria (002 ch.2)."""
    k = int(rng.choice([1, 2, 3, 4], p=[0.3, 0.35, 0.25, 0.1]))
    weights = OTHER_CRITERIA_WEIGHTS / OTHER_CRITERIA_WEIGHTS.sum()
    others = rng.choice(len(OTHER_CRITERIA), size=k, replace=False, p=weights)
    return tuple(sorted([Criterion.PSYCHOSIS.value, *(OTHER_CRITERIA[i] for i in others)]))


def _plan(rng, pid, team: TeamRow, spec: TeamSpec, earliest: int, window_start: int, t0: int,
          carers: list[CarerRow]) -> _Plan:
    status = _pick(rng, list(STATUS_SHARES), list(STATUS_SHARES.values()))
    weekdays_only = spec.dedicated_function
    history = t0 - window_start
    if status == DISCHARGED and t0 - earliest < history + 400:
        status = ACCEPTED  # too young for a whole episode to fit before the window
    plan = _Plan(episode_id=pid, person_id=pid, team_id=team.id, status=status, referral=0)
    plan.source = _pick(rng, REFERRAL_SOURCES, REFERRAL_SOURCE_SHARES)
    plan.weekly_target = 3 if rng.random() < 0.08 else None  # individualised targets
    if status == REFERRED:
        plan.referral = t0 - int(rng.integers(1, 43))
    elif status == NOT_ACCEPTED:
        plan.referral = max(earliest, t0 - int(rng.integers(30, max(31, history))))
        plan.assessment = _weekday(plan.referral + int(rng.integers(3, 15)), weekdays_only)
        plan.closed = min(plan.assessment + int(rng.integers(0, 11)), t0 - 1)
        plan.assessment = min(plan.assessment, plan.closed)
        # Not accepted: usually no psychosis found at assessment (002 ch.2).
        plan.criteria = (Criterion.MULTIPLE_SOCIAL_NEEDS.value,)
    else:
        if status == DISCHARGED:
            plan.closed = t0 - int(rng.integers(1, history + 1))
            plan.referral = max(earliest, plan.closed - int(rng.integers(YEAR, 8 * YEAR)))
        else:
            plan.referral = t0 - int(rng.integers(90, max(91, min(HISTORY_YEARS * YEAR,
                                                                   t0 - earliest))))
        plan.assessment = _weekday(plan.referral + int(rng.integers(3, 29)), weekdays_only)
        plan.accepted = _weekday(plan.assessment + int(rng.integers(1, 15)), weekdays_only)
        delay = 1 + int(min(41, rng.gamma(2.0, 3.5)))  # acceptance to intervention (004)
        plan.first_intervention = _weekday(plan.accepted + delay, weekdays_only)
        plan.criteria = _criteria(rng)
        _plan_events(rng, plan, t0)
        if status == DISCHARGED:
            plan.discharge_reason = _pick(rng, DISCHARGE_REASONS, DISCHARGE_REASON_SHARES)
    _plan_engagement(rng, plan, carers, window_start, t0)
    return plan


def _weekday(day: int, weekdays_only: bool) -> int:
    """Move a Saturday or Sunday to the Monday, for teams that are closed at weekends."""
    iso = (day - 1) % 7 + 1
    return day + (8 - iso) if weekdays_only and iso > 5 else day


def _plan_events(rng: np.random.Generator, plan: _Plan, t0: int) -> None:
    """Past step-ups and admissions, and the current one for stepped-up and inpatient
    episodes (002 ch.4: step up to crisis, acute, forensic or rehabilitation services)."""
    assert plan.first_intervention is not None
    current: tuple[str, int, None] | None = None
    if plan.status == STEPPED_UP:
        current = (_pick(rng, STEP_UPS, STEP_UP_SHARES), t0 - int(rng.integers(2, 22)), None)
    elif plan.status == INPATIENT:
        current = (T_ADMITTED, t0 - int(rng.integers(3, 61)), None)
    if current is not None and current[1] <= plan.first_intervention + 14:
        current = (current[0], plan.first_intervention + 14, None)
    limit = (current[1] - 14 if current else plan.closed - 7 if plan.closed else t0 - 2)
    t = plan.first_intervention + 30 + int(rng.exponential(YEAR / EVENTS_PER_YEAR))
    while True:
        if rng.random() < ADMISSION_SHARE:
            kind = T_ADMITTED
            length = int(np.clip(rng.lognormal(math.log(35), 0.6), 7, 180))
        else:
            kind = _pick(rng, STEP_UPS, STEP_UP_SHARES)
            length = int(rng.integers(7, 43))
        if t + length >= limit:
            break
        plan.events.append((kind, t, t + length))
        t += length + 14 + int(rng.exponential(YEAR / EVENTS_PER_YEAR))
    if current is not None:
        plan.events.append(current)


def _plan_engagement(rng, plan: _Plan, carers: list[CarerRow], window_start, t0) -> None:
    """Each person's own engagement: most are seen about twice a week, a minority drift."""
    plan.attend = float(rng.beta(18, 7))  # mean 0.72
    plan.f2f_per_week = float(rng.uniform(2.3, 3.6))
    plan.remote_per_week = float(rng.uniform(0.4, 1.4))
    plan.two_worker = 0.6 if rng.random() < 0.12 else 0.03  # known risks: visit in pairs
    plan.place_option = int(rng.choice(len(PREFERRED_PLACES), p=PREFERRED_PLACE_SHARES))
    plan.places = PREFERRED_PLACES[plan.place_option][1]
    plan.has_carer = bool(carers)
    if carers:
        kind = next(k for k in CARER_KINDS if k[0] == carers[0].relationship)
        plan.carer_present = 0.25 if rng.random() < kind[3] else 0.05
    if plan.first_intervention is None:
        return
    start = max(window_start, plan.first_intervention + 14)
    end = (plan.closed or t0) - 1
    quiet = [(a, (b or t0) - 1) for _, a, b in plan.events]
    years = max(0, end - start) / YEAR
    for _ in range(int(rng.poisson(PAST_DISENGAGEMENTS_PER_YEAR * years))):
        a = int(rng.integers(start, end)) if end > start else start
        b = a + int(rng.integers(7, 36))
        if b < end - 7 and not any(a <= qe + 7 and qa <= b + 7 for qa, qe in quiet):
            plan.disengaged.append((a, b))
            quiet.append((a, b))
    if plan.status == ACCEPTED and all(e[2] is not None and e[2] < t0 - 30
                                       for e in plan.events):
        u = rng.random()
        for share, low, high in CURRENT_DRIFT:
            if u < share:
                days = int(rng.integers(low, high + 1))
                a = t0 - days + 1
                if a - 1 >= max(start, window_start) and not any(
                        qe >= a - 7 for _, qe in quiet):
                    plan.disengaged.append((a, t0 - 1))
                break
            u -= share
    plan.disengaged.sort()


def _episode_row(p: _Plan) -> EpisodeRow:
    def opt(day: int | None) -> date | None:
        return _d(day) if day is not None else None

    return EpisodeRow(
        id=p.episode_id, person_id=p.person_id, team_id=p.team_id,
        referral_date=_d(p.referral), referral_source=p.source,
        assessment_date=opt(p.assessment), accepted_date=opt(p.accepted),
        first_intervention_date=opt(p.first_intervention), status=p.status,
        criteria=p.criteria, weekly_target=p.weekly_target,
        discharged_date=opt(p.closed) if p.status == DISCHARGED else None,
    )


# --- Key workers, absences and cover ---------------------------------------------------


Assignment = tuple[int, int, int, int | None]  # episode, staff, start, end (None: current)
Cover = tuple[int, int, int, int, str]  # episode, staff, start, end, reason
Vacancy = tuple[int, int, int, int]  # episode, key worker who left, start, end


def _least_loaded(candidates: list[_Staff], load: dict[int, set[int]],
                  rng: np.random.Generator) -> _Staff:
    """The key worker with the most room, by caseload relative to their weight."""
    if len(candidates) == 1:
        return candidates[0]
    jitter = rng.random(len(candidates)) * 1e-6
    return min(zip(candidates, jitter, strict=True),
               key=lambda sj: (len(load[sj[0].id]) + 1) / sj[0].weight + sj[1])[0]


def _allocate_key_workers(staff: list[_Staff], plans: list[_Plan], rng,
                          sim_start: int) -> tuple[list[Assignment], list[Vacancy]]:
    """Simulate allocation day by day from sim_start: referrals go to the key worker with
    the most room; when a key worker leaves, a colleague covers for 1-3 weeks and then
    the caseload is reallocated; a new starter takes over part of the busiest caseloads.
    So every open episode has exactly one current key worker and caseloads stay level."""
    assignments: list[Assignment] = []
    vacancies: list[Vacancy] = []
    by_team: dict[int, list[_Staff]] = {}
    for s in staff:
        if s.team_id is not None and s.weight > 0:
            by_team.setdefault(s.team_id, []).append(s)
    team_staff: dict[int, list[_Staff]] = {}
    for s in staff:
        if s.team_id is not None:
            team_staff.setdefault(s.team_id, []).append(s)
    plans_by_id = {p.episode_id: p for p in plans}
    load: dict[int, set[int]] = {s.id: set() for s in staff}
    current: dict[int, tuple[int, int]] = {}  # episode -> (staff, start)
    events: list[tuple[int, int, int, str]] = []  # day, order, id, what
    for p in plans:
        events.append((p.referral, 3, p.episode_id, "refer"))
        if p.closed is not None:
            events.append((p.closed, 2, p.episode_id, "close"))
    for s in staff:
        if s.weight > 0 and s.joined > sim_start:
            events.append((s.joined, 1, s.id, "join"))
        if s.weight > 0 and s.left is not None:
            events.append((s.left + 1, 0, s.id, "leave"))
    heapq.heapify(events)
    by_id = {s.id: s for s in staff}

    def candidates(team_id: int, day: int, exclude: int | None = None) -> list[_Staff]:
        team = by_team.get(team_id, [])
        for horizon in (30, 0):
            found = [s for s in team if s.active(day, horizon) and s.id != exclude]
            if found:
                return found
        # No key worker in post: whoever is (the consultant, usually) holds the caseload.
        return [next((s for s in team_staff[team_id] if s.active(day)),
                     team_staff[team_id][-1])]

    def hand_over(episode: int, to: _Staff, day: int) -> None:
        old, start = current[episode]
        assignments.append((episode, old, start, day - 1))
        load[old].discard(episode)
        current[episode] = (to.id, day)
        load[to.id].add(episode)

    while events:
        day, _, ident, what = heapq.heappop(events)
        if what == "refer":
            team_id = plans_by_id[ident].team_id
            chosen = _least_loaded(candidates(team_id, day), load, rng)
            current[ident] = (chosen.id, day)
            load[chosen.id].add(ident)
        elif what == "close" and ident in current:
            s, start = current.pop(ident)
            assignments.append((ident, s, start, day))
            load[s].discard(ident)
        elif what == "leave":
            leaver = by_id[ident]
            realloc = day + int(rng.integers(7, 22))
            for episode in sorted(load[ident]):
                end = plans_by_id[episode].closed
                # Who covers is chosen once absences are known (_absence_covers).
                vacancies.append((episode, leaver.id, day,
                                  min(realloc - 1, end if end is not None else realloc)))
                heapq.heappush(events, (realloc, 0, episode * 1_000_000 + ident, "realloc"))
        elif what == "realloc":
            episode, leaver_id = divmod(ident, 1_000_000)
            if current.get(episode, (None,))[0] == leaver_id:
                team_id = plans_by_id[episode].team_id
                hand_over(episode, _least_loaded(candidates(team_id, day, leaver_id), load,
                                                 rng), day)
        elif what == "join":
            _take_on_caseload(by_id[ident], by_team[by_id[ident].team_id], load, current,
                              day, hand_over)
    for episode, (s, start) in current.items():
        assignments.append((episode, s, start, None))
    return assignments, vacancies


def _take_on_caseload(starter: _Staff, team: list[_Staff], load, current, day,
                      hand_over) -> None:
    """A new starter takes people from the busiest colleagues until caseloads are level."""
    while True:
        others = [s for s in team if s.id != starter.id and s.active(day) and load[s.id]]
        if not others:
            return
        donor = max(others, key=lambda s: (len(load[s.id]) / s.weight, -s.id))
        mine = (len(load[starter.id]) + 1) / starter.weight
        if len(load[donor.id]) / donor.weight <= mine:
            return
        movable = sorted(e for e in load[donor.id] if current[e][1] < day)
        if not movable:
            return
        hand_over(movable[0], starter, day)


def _segments_by_episode(assignments: list[Assignment]) -> dict[int, list[tuple[int, int, int]]]:
    """episode -> [(start, end, staff)] in date order; a current one ends far in the future."""
    segments: dict[int, list[tuple[int, int, int]]] = {}
    for episode, s, start, end in sorted(assignments, key=lambda a: (a[0], a[2])):
        segments.setdefault(episode, []).append((start, end if end is not None else 10**7, s))
    return segments


def _key_worker_at(segments: list[tuple[int, int, int]], day: int) -> int | None:
    for start, end, s in segments:
        if start <= day <= end:
            return s
    return None


def _choose_logins(staff: list[_Staff], assignments: list[Assignment], t0: int) -> None:
    """The demo logins (brief): a nurse on the first team with a caseload nearest 11, its
    manager and consultant, a practitioner on the second team, and a commissioner."""
    caseload: dict[int, int] = {}
    for _, s, _, end in assignments:
        if end is None:
            caseload[s] = caseload.get(s, 0) + 1
    current = [s for s in staff if s.left is None and s.joined <= t0 - 30]

    def first(team_id: int | None, role: str, discipline: str | None = None):
        found = [s for s in current if s.team_id == team_id and s.role == role
                 and (discipline is None or s.discipline == discipline)]
        return found[0] if found else None

    nurses = [s for s in current if s.team_id == 1 and s.discipline == NURSE]
    if nurses:
        min(nurses, key=lambda s: (abs(caseload.get(s.id, 0) - 11), s.id)).login = (
            "practitioner")
    for who, login in ((first(1, MANAGER), "manager"), (first(1, CONSULTANT), "consultant"),
                       (first(2, PRACTITIONER, NURSE) or first(2, PRACTITIONER), "other-team"),
                       (first(None, COMMISSIONER), "commissioner")):
        if who is not None:
            who.login = login


def _absences(staff: list[_Staff], rng, window_start: int, t0: int) -> dict[int, int]:
    """Annual leave in blocks (about 6 a year, 35 days with weekends), occasional sickness
    (1.2 spells a year, 15% long), training days; leave is booked up to 8 weeks ahead.
    The demo practitioner's buddy is on leave now so that the practitioner has cover."""
    horizon = t0 + 56
    for s in staff:
        if s.team_id is None:
            continue
        lo = max(s.joined, window_start - 30)
        hi = min(s.left if s.left is not None else horizon, horizon)
        if lo > hi:
            continue
        found: list[tuple[str, int, int]] = []
        t = lo + int(rng.integers(0, 60))
        while t <= hi:
            length = int(rng.choice([1, 2, 3, 5, 7, 7, 10, 14]))
            found.append((LEAVE, t, min(t + length - 1, hi)))
            t += length + 1 + int(rng.exponential(50))
        t = lo + int(rng.exponential(300))
        while t <= min(hi, t0 - 1):
            length = int(rng.integers(7, 43)) if rng.random() < 0.15 else int(
                rng.integers(1, 6))
            found.append((SICKNESS, t, min(t + length - 1, hi)))
            t += length + int(rng.exponential(300))
        t = lo + int(rng.exponential(180))
        while t <= hi:
            found.append((TRAINING, t, t))
            t += 1 + int(rng.exponential(180))
        s.absences = _without_overlaps(found)
        if s.login:  # the demo logins are at work today
            s.absences = [a for a in s.absences if not (a[1] <= t0 + 1 and t0 - 1 <= a[2])]
    practitioner = next((s for s in staff if s.login == "practitioner"), None)
    buddy = _buddy(staff, practitioner, t0) if practitioner is not None else None
    if buddy is None:
        return {}
    leave = (LEAVE, t0 - 3, t0 + 8)
    buddy.absences = sorted(
        [a for a in buddy.absences if not (a[1] <= leave[2] and leave[1] <= a[2])] + [leave],
        key=lambda a: a[1])
    return {buddy.id: practitioner.id}


def _without_overlaps(absences: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    kept: list[tuple[str, int, int]] = []
    for a in sorted(absences, key=lambda a: (a[1], a[2])):
        if not kept or a[1] > kept[-1][2]:
            kept.append(a)
    return kept


def _buddy(staff: list[_Staff], practitioner: _Staff, t0: int) -> _Staff | None:
    """Another current nurse on the practitioner's team, who has a caseload."""
    nurses = [s for s in staff if s.team_id == practitioner.team_id and s.id != practitioner.id
              and s.discipline == practitioner.discipline and s.active(t0 - 3) and not s.login]
    return nurses[0] if nurses else None


def _absence_covers(staff: list[_Staff], assignments: list[Assignment],
                    vacancies: list[Vacancy], plans: list[_Plan], rng, t0: int, gaps: float,
                    buddies: dict[int, int]) -> list[Cover]:
    """Cover for each person on an absent (or departed) key worker's caseload, shared
    between two colleagues at work throughout, of the same discipline first (design rule
    3). The demo practitioner covers first for their buddy, who is on leave now."""
    reasons = {LEAVE: COVER_LEAVE, SICKNESS: COVER_SICKNESS, TRAINING: COVER_OTHER}
    by_id = {s.id: s for s in staff}
    closed = {p.episode_id: p.closed for p in plans}
    held: dict[int, list[tuple[int, int, int]]] = {}
    for episode, s, start, end in assignments:
        held.setdefault(s, []).append((episode, start, end if end is not None else 10**7))
    team_staff: dict[int, list[_Staff]] = {}
    for s in staff:
        if s.team_id is not None and s.role != COMMISSIONER:
            team_staff.setdefault(s.team_id, []).append(s)
    covers: list[Cover] = []
    for s in staff:
        for kind, a, b in s.absences:
            caseload = []
            for episode, start, end in sorted(held.get(s.id, [])):
                lo, hi = max(a, start), min(b, end, closed[episode] or 10**7)
                if lo <= hi:
                    caseload.append((episode, lo, hi))
            if not caseload:
                continue
            first = buddies.get(s.id) if (a, b) == (t0 - 3, t0 + 8) else None
            for wa, wb, colleagues in _cover_plan(team_staff[s.team_id], s, a, b, rng, first):
                for i, (episode, lo, hi) in enumerate(caseload):
                    lo, hi = max(lo, wa), min(hi, wb)
                    if lo > hi or gaps and rng.random() < gaps:
                        continue
                    covers.append((episode, colleagues[i % len(colleagues)].id, lo, hi,
                                   reasons[kind]))
    left: dict[tuple[int, int, int], list[int]] = {}
    for episode, leaver, a, b in vacancies:
        left.setdefault((leaver, a, b), []).append(episode)
    for (leaver, a, b), episodes in sorted(left.items()):
        gone = by_id[leaver]
        for wa, wb, colleagues in _cover_plan(team_staff[gone.team_id], gone, a, b, rng, None):
            for i, episode in enumerate(episodes):
                covers.append((episode, colleagues[i % len(colleagues)].id, wa, wb,
                               COVER_LEFT))
    return covers


def _cover_plan(team: list[_Staff], absent: _Staff, a: int, b: int, rng, first: int | None,
                ) -> list[tuple[int, int, list[_Staff]]]:
    """Who covers when: the same two colleagues throughout if two are at work all along;
    otherwise a long absence is covered a week at a time."""
    colleagues = _cover_colleagues(team, absent, a, b, rng, first)
    if colleagues is not None or b - a < 7:
        return [(a, b, colleagues or _cover_colleagues(team, absent, a, b, rng, first, True))]
    return [piece for start in range(a, b + 1, 7)
            for piece in _cover_plan(team, absent, start, min(start + 6, b), rng, first)]


def _cover_colleagues(team: list[_Staff], absent: _Staff, a: int, b: int, rng,
                      first: int | None, last_resort: bool = False) -> list[_Staff] | None:
    """Two colleagues to cover, at work throughout: key workers first, of the same
    discipline first, else the consultant or manager. As a last resort (a week when
    everyone else is off too), anyone in post: never a gap unless one is asked for."""
    in_post = [c for c in team if c.id != absent.id and c.active(a) and c.active(b)]
    order = rng.permutation(len(in_post))
    in_post = [in_post[i] for i in order]
    pools = [[c for c in in_post if c.weight > 0 and not c.absent(a, b)],
             [c for c in in_post if c.weight == 0 and not c.absent(a, b)]]
    if last_resort:
        pools += [in_post, [absent]]
    for pool in pools:
        if pool:
            return sorted(pool, key=lambda c: (c.id != first,
                                               c.discipline != absent.discipline))[:2]
    return None


# --- Transitions and discharges ---------------------------------------------------------

Leads = dict[int, list[_Staff]]


def _team_leads(staff: list[_Staff]) -> Leads:
    leads: Leads = {}
    for s in sorted(staff, key=lambda s: (s.role != MANAGER, s.id)):
        if s.team_id is not None and s.role in (MANAGER, CONSULTANT):
            leads.setdefault(s.team_id, []).append(s)
    return leads


def _lead_at(leads: Leads, team_id: int | None, day: int, role: str | None = None):
    """The manager (or else consultant) in post on a day: who records allocations."""
    for s in leads.get(team_id, []) if team_id is not None else []:
        if s.active(day) and (role is None or s.role == role):
            return s.id
    return None


STATUS_AFTER_EVENT = {T_ADMITTED: (INPATIENT, T_LEFT_HOSPITAL)}


def _transitions(plans: list[_Plan], kw: dict, leads: Leads) -> list[TransitionRow]:
    rows: list[TransitionRow] = []

    def add(p: _Plan, kind: str, day: int, status: str, note: str) -> None:
        who = _key_worker_at(kw.get(p.episode_id, []), day) or _lead_at(leads, p.team_id, day)
        rows.append(TransitionRow(len(rows) + 1, p.episode_id, kind, _d(day), status, note,
                                  who, _at(day, 17 * 60)))

    for p in plans:
        if p.status == NOT_ACCEPTED:
            add(p, T_NOT_ACCEPTED, p.closed, NOT_ACCEPTED,
                "No psychosis found at assessment; CMHT to continue with support.")
            continue
        if p.accepted is None:
            continue
        add(p, T_ACCEPTED, p.accepted, ACCEPTED, "Accepted at MDT.")
        for kind, start, end in p.events:
            during, back = STATUS_AFTER_EVENT.get(kind, (STEPPED_UP, T_STEPPED_DOWN))
            add(p, kind, start, during, "")
            if end is not None:
                add(p, back, end, ACCEPTED, "")
        if p.status == DISCHARGED:
            kind = {DischargeReason.STEP_DOWN: T_STEP_DOWN_CMHT,
                    DischargeReason.TRANSFER_OUT: T_TRANSFER_OUT,
                    DischargeReason.MOVED_AWAY: T_TRANSFER_OUT}.get(
                        p.discharge_reason, T_DISCHARGED)
            add(p, kind, p.closed, DISCHARGED, DISCHARGE_TEXT[p.discharge_reason])
    return rows


# Moving away is recorded as a transfer to the team of the new area (core.discharge).
ENDED_AS = {DischargeReason.MOVED_AWAY: DischargeReason.TRANSFER_OUT}


def _handover(reason: str, closed: int) -> dict:
    """The receiving team and its acceptance, or the date of death, that each end needs."""
    if reason == DischargeReason.STEP_DOWN:
        return {"receiving_team": "Community mental health team (core services)"}
    if reason in (DischargeReason.TRANSFER_OUT, DischargeReason.MOVED_AWAY):
        return {"receiving_team": "Assertive outreach team of the new area",
                "accepted_by": "Team manager of the receiving team",
                "accepted_on": _d(closed - 7)}
    if reason == DischargeReason.DIED:
        return {"died_on": _d(closed - 2)}
    return {}


def _discharges(plans, kw, leads: Leads, carers: list[CarerRow], rng) -> list[DischargeRow]:
    """A full decision record for every discharge (design rule 1; 002 ch.3-4)."""
    consented = {c.person_id for c in carers if c.consent_to_share}
    rows: list[DischargeRow] = []
    for p in plans:
        if p.status != DISCHARGED:
            continue
        reason = p.discharge_reason
        shared = ["the person", "GP"] if reason != DischargeReason.DIED else ["GP"]
        if p.person_id in consented:
            shared.append("carer")
        if reason == DischargeReason.STEP_DOWN:
            shared.append("CMHT care coordinator")
        decided_by = (_lead_at(leads, p.team_id, p.closed, CONSULTANT)
                      or _key_worker_at(kw[p.episode_id], p.closed)
                      or kw[p.episode_id][-1][2])
        rows.append(DischargeRow(
            id=len(rows) + 1, episode_id=p.episode_id, reason=str(ENDED_AS.get(reason, reason)),
            date=_d(p.closed), **_handover(reason, p.closed),
            rationale=DISCHARGE_TEXT[reason],
            relapse_indicators=RELAPSE_INDICATORS[int(rng.integers(len(RELAPSE_INDICATORS)))],
            known_risks=KNOWN_RISKS[int(rng.integers(len(KNOWN_RISKS)))],
            route_back_in=ROUTE_BACK_IN[int(rng.integers(len(ROUTE_BACK_IN)))],
            shared_with=tuple(shared), decided_by_id=decided_by,
            decided_at=_at(p.closed, 15 * 60),
        ))
    return rows


# --- Contacts ---------------------------------------------------------------------------


def _segments(p: _Plan, lo: int, hi: int) -> list[tuple[str, int, int]]:
    """The episode's periods of one status, clipped to [lo, hi], for the contact rates."""
    end = min(hi, p.closed) if p.closed is not None else hi
    pieces: list[tuple[str, int, int]] = []
    first_accepted = p.accepted if p.accepted is not None else end + 1
    pieces.append((REFERRED, p.referral, min(first_accepted - 1, end)))
    if p.accepted is not None:
        cursor = p.accepted
        for kind, start, stop in p.events:
            pieces.append((ACCEPTED, cursor, start - 1))
            during = INPATIENT if kind == T_ADMITTED else STEPPED_UP
            pieces.append((during, start, (stop if stop is not None else end + 1) - 1))
            cursor = stop if stop is not None else end + 1
        pieces.append((ACCEPTED, cursor, end))
    return [(k, max(a, lo), min(b, end)) for k, a, b in pieces if max(a, lo) <= min(b, end)]


@dataclass
class _TeamDays:
    """For each day of the window: who on the team is at work and can see people."""

    open_weekends: bool
    at_work: list[tuple[int, ...]]
    at_work_sets: list[frozenset[int]]
    present: list[tuple[int, ...]]  # in post and not absent, whatever their rota


class _ContactStream:
    def __init__(self, seed: int, t0: int, window_start: int, teams: list[TeamRow],
                 staff: list[_Staff], plans: list[_Plan], kw: dict, covers: list[Cover],
                 ) -> None:
        self.seed, self.t0, self.lo, self.hi = seed, t0, window_start, t0 - 1
        self.plans = plans
        self.kw = kw
        self.covers: dict[int, list[tuple[int, int, int]]] = {}
        for episode, s, start, end, _ in sorted(covers, key=lambda c: (c[0], c[2])):
            self.covers.setdefault(episode, []).append((start, end, s))
        self.slots = {s.id: (s.shift[0] + 30, max(1, (s.shift[1] - s.shift[0] - 90) // 15))
                      for s in staff}
        self.days = {t: _TeamDays(False, [], [], []) for t in range(1, len(teams) + 1)}
        self._team_days(teams, staff)
        self.dates = [_d(d) for d in range(self.lo, t0 + 1)]
        self.times = [_hm(m) for m in range(24 * 60)]
        self.latest = _at(t0, 8 * 60 + 30)  # entries made yesterday evening or this morning

    def _team_days(self, teams: list[TeamRow], staff: list[_Staff]) -> None:
        visiting = [s for s in staff if s.team_id is not None and s.role != MANAGER]
        absent = {s.id: {d for _, a, b in s.absences for d in range(a, b + 1)}
                  for s in visiting}
        by_id = {s.id: s for s in visiting}
        for team in teams:
            days = self.days[team.id]
            days.open_weekends = team.weekend_opens is not None
            mine = [s for s in visiting if s.team_id == team.id]
            for day in range(self.lo, self.t0):
                iso = (day - 1) % 7 + 1
                present = tuple(s.id for s in mine if s.active(day) and day not in absent[s.id])
                works = () if iso > 5 and not days.open_weekends else tuple(
                    s for s in present if iso in by_id[s].weekdays)
                days.at_work.append(works)
                days.at_work_sets.append(frozenset(works))
                days.present.append(present)

    def batches(self, batch_size: int) -> Iterator[list[ContactRow]]:
        batch: list[ContactRow] = []
        next_id = 1
        for plan in self.plans:
            for row in self._episode(plan):
                batch.append(ContactRow(next_id, *row))
                next_id += 1
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
        if batch:
            yield batch

    # The episode's contacts as parallel arrays, then one Python pass for staff and text.
    def _episode(self, p: _Plan) -> list[tuple]:
        segments = _segments(p, self.lo, self.hi)
        if not segments:
            return []
        rng = np.random.default_rng([self.seed, 7, p.episode_id])
        days = self.days[p.team_id]
        parts: list[tuple] = []
        forced: list[tuple] = []
        for kind, a, b in segments:
            weeks = (b - a + 1) / 7
            if kind == REFERRED:
                self._referral_contacts(rng, p, a, b, parts, forced)
                continue
            if kind == INPATIENT:
                ward = self._schedule(rng, a, b, WARD_VISITS_PER_WEEK, True)
                parts.append(_group(rng, ward, G_WARD, WARD_OUTCOMES, M_F2F, P_WARD))
                self._remote(rng, a, b, weeks * 0.3, parts)
                continue
            start = a
            fi = p.first_intervention
            if fi is not None and a <= fi <= b:
                # Attempts between acceptance and the first intervention fail (004 measures
                # this wait), then the first successful contact on the recorded day.
                tries = rng.integers(a, fi, size=int(rng.integers(0, 3))) if fi > a else []
                for d in np.asarray(tries).tolist():
                    forced.append((d, G_F2F, int(rng.choice([O_DNA, O_NO_ACCESS])), M_F2F,
                                   P_HOME, W_PERSON))
                forced.append((fi, G_F2F, O_ATTENDED, M_F2F, P_HOME, W_PERSON))
                start = fi + 1
            elif fi is not None and fi > b:
                continue
            if start > b:
                continue
            rate = STEPPED_UP_F2F_PER_WEEK if kind == STEPPED_UP else p.f2f_per_week
            attend = min(0.95, p.attend + 0.1) if kind == STEPPED_UP else p.attend
            visits = self._schedule(rng, start, b, rate, days.open_weekends)
            probs = np.concatenate([[attend], (1 - attend) * MISSED_SPLIT])
            parts.append(_visits(rng, visits, probs, p, b))
            self._remote(rng, start, b, (b - start + 1) / 7 * p.remote_per_week, parts)
            if p.has_carer:
                n = rng.poisson(CARER_CONTACTS_PER_WEEK * (b - start + 1) / 7)
                parts.append(_carer_contacts(rng, rng.integers(start, b + 1, size=n)))
            n = rng.poisson(AGENCY_CONTACTS_PER_WEEK * (b - start + 1) / 7)
            parts.append(_group(rng, rng.integers(start, b + 1, size=n), G_AGENCY,
                                AGENCY_OUTCOMES, M_PHONE, P_CLINIC, W_AGENCY))
        self._disengagement(rng, p, parts, forced)
        return self._rows(rng, p, parts, forced)

    def _referral_contacts(self, rng, p: _Plan, a: int, b: int, parts, forced) -> None:
        """Before acceptance: phone attempts, and the assessment visit if it is in range."""
        n = int(rng.integers(0, 3))
        parts.append(_group(rng, rng.integers(a, b + 1, size=n), G_REMOTE, PHONE_OUTCOMES,
                            M_PHONE, P_CLINIC, W_PERSON))
        if p.assessment is not None and a <= p.assessment <= b:
            forced.append((p.assessment, G_F2F, O_ATTENDED, M_F2F,
                           int(rng.choice([P_HOME, P_CLINIC])), W_PERSON))

    def _remote(self, rng, a: int, b: int, expected: float, parts) -> None:
        n = int(rng.poisson(expected))
        when = rng.integers(a, b + 1, size=n)
        mode = rng.choice([M_PHONE, M_TEXT, M_VIDEO], size=n, p=[0.7, 0.25, 0.05])
        outcome = np.where(mode == M_TEXT, _draw(rng, TEXT_OUTCOMES, n),
                           _draw(rng, PHONE_OUTCOMES, n))
        parts.append((when, np.full(n, G_REMOTE), outcome, mode, np.full(n, P_CLINIC),
                      np.full(n, W_PERSON)))

    def _schedule(self, rng, a: int, b: int, per_week: float, weekends: bool) -> np.ndarray:
        """Planned visits spread through the week (rather than at random), a little jitter,
        fewer at weekends and none when the team is closed."""
        step = 7 / per_week
        first = a + rng.uniform(0, step)
        count = max(0, int((b - first) / step) + 1)
        days = np.rint(first + step * np.arange(count) + rng.normal(0, 0.6, count)).astype(int)
        iso = (days - 1) % 7 + 1
        move = iso > 5
        if weekends:
            move &= rng.random(count) < 0.6
        days = np.where(move & (iso == 6), days - 1, np.where(move & (iso == 7), days + 1, days))
        return np.unique(days[(days >= a) & (days <= b)])

    def _disengagement(self, rng, p: _Plan, parts, forced) -> None:
        """Inside a period of lost engagement visits fail, calls go unanswered, and the team
        calls the family and other agencies more (002 annex B); the day before it is the
        last successful contact."""
        for a, b in p.disengaged:
            if b < self.lo:
                continue
            for i, (when, group, outcome, mode, place, whom) in enumerate(parts):
                inside = (when >= a) & (when <= b)
                if not inside.any():
                    continue
                n = int(inside.sum())
                if group.size and group[0] in (G_F2F, G_REMOTE):
                    replacement = np.where(group[inside] == G_F2F,
                                           _draw(rng, DISENGAGED_F2F, n),
                                           _draw(rng, DISENGAGED_REMOTE, n))
                    outcome = outcome.copy()
                    outcome[inside] = replacement
                    whom = np.where(inside & (whom == W_PERSON_AND_CARER), W_PERSON, whom)
                    parts[i] = (when, group, outcome, mode, place, whom)
            lo = max(a, self.lo)
            weeks = (b - lo + 1) / 7
            if p.has_carer:
                parts.append(_carer_contacts(rng, rng.integers(lo, b + 1,
                                                               size=rng.poisson(1.5 * weeks))))
            parts.append(_group(rng, rng.integers(lo, b + 1, size=rng.poisson(0.5 * weeks)),
                                G_AGENCY, AGENCY_OUTCOMES, M_PHONE, P_CLINIC, W_AGENCY))
            if a - 1 >= self.lo:
                forced.append((a - 1, G_F2F, O_ATTENDED, M_F2F, P_HOME, W_PERSON))

    def _rows(self, rng, p: _Plan, parts, forced) -> list[tuple]:
        arrays = [np.concatenate([part[k] for part in parts]) if parts else np.array([], int)
                  for k in range(6)]
        scheduled = [list(map(int, col)) for col in zip(*(a.tolist() for a in arrays),
                                                        strict=True)] if arrays[0].size else []
        # A forced visit (first intervention, last one before a drift) replaces the visit
        # planned that day.
        forced_days = {f[0] for f in forced if f[1] == G_F2F}
        rows = [(*r, False) for r in scheduled if r[1] != G_F2F or r[0] not in forced_days]
        rows += [(*f, True) for f in forced]
        rows.sort(key=lambda r: (r[0], not r[6], r[1]))
        n = len(rows)
        u = rng.random((n, 6)).tolist()
        days = self.days[p.team_id]
        kw = self.kw.get(p.episode_id, [])
        covers = self.covers.get(p.episode_id, [])
        out: list[tuple] = []
        ki = ci = 0
        for (day, group, outcome, mode, place, whom, must), r in zip(rows, u, strict=True):
            if day < self.lo or day > self.hi:
                continue
            i = day - self.lo
            at_work, at_work_set = days.at_work[i], days.at_work_sets[i]
            if not at_work and must:  # it happened: someone came in off their rota
                at_work = days.present[i]
                at_work_set = frozenset(at_work)
            if not at_work:
                continue  # nobody on shift that day: the visit did not happen
            while ki < len(kw) - 1 and kw[ki][1] < day:
                ki += 1
            while ci < len(covers) - 1 and covers[ci][1] < day:
                ci += 1
            staff = None
            if covers and covers[ci][0] <= day <= covers[ci][1] and r[0] < 0.8:
                staff = covers[ci][2]
            elif kw and kw[ki][0] <= day <= kw[ki][1] and r[0] < 0.65:
                staff = kw[ki][2]
            if staff not in at_work_set:
                staff = at_work[int(r[1] * len(at_work))]
            second = None
            if group == G_F2F and r[2] < p.two_worker and len(at_work) > 1:
                second = at_work[int(r[3] * len(at_work))]
                if second == staff:
                    second = at_work[(at_work.index(staff) + 1) % len(at_work)]
            first_slot, slots = self.slots[staff]
            minutes = first_slot + 15 * int(r[4] * slots)
            duration, note = _duration_and_note(group, mode, outcome, r[5])
            late = r[5] < 0.07
            recorded = _at(day + 1, 8 * 60 + int(r[3] * 90)) if late else _at(
                day, minutes + (duration or 0) + 20 + int(r[2] * 180))
            out.append((
                p.person_id, p.episode_id, self.dates[i], self.times[minutes], staff, second,
                WITH_WHOM[whom], MODES[mode], PLACES[place], OUTCOMES[outcome], duration,
                note, 1, staff, min(recorded, self.latest),
            ))
        return out


def _draw(rng: np.random.Generator, probs: np.ndarray, n: int) -> np.ndarray:
    return np.searchsorted(np.cumsum(probs), rng.random(n) * probs.sum(), side="right").clip(
        0, len(probs) - 1)


def _group(rng, when, group: int, probs, mode: int, place: int, whom: int = W_PERSON):
    n = len(when)
    return (np.asarray(when, dtype=int), np.full(n, group), _draw(rng, probs, n),
            np.full(n, mode), np.full(n, place), np.full(n, whom))


def _visits(rng, when: np.ndarray, probs: np.ndarray, p: _Plan, last: int):
    """Face-to-face visits: place from the person's preferences, sometimes with the carer,
    rarely in police custody."""
    outcome = _draw(rng, probs, len(when))
    # A missed visit is often tried again the next day or the one after (002 annex B).
    retry = (outcome != O_ATTENDED) & (rng.random(len(when)) < RETRY_SHARE)
    again = when[retry] + 1 + (rng.random(int(retry.sum())) < 0.3)
    again = again[again <= last]
    when, first = np.unique(np.concatenate([when, again]), return_index=True)
    outcome = np.concatenate([outcome, _draw(rng, probs, len(again))])[first]
    n = len(when)
    place = rng.choice([P_HOME, P_PUBLIC, P_CLINIC], size=n, p=p.places)
    place = np.where(rng.random(n) < 0.002, P_CUSTODY, place)
    whom = np.where(rng.random(n) < p.carer_present, W_PERSON_AND_CARER, W_PERSON)
    return (when, np.full(n, G_F2F), outcome, np.full(n, M_F2F), place, whom)


def _carer_contacts(rng, when):
    n = len(when)
    mode = np.where(rng.random(n) < 0.8, M_PHONE, M_F2F)
    place = np.where(mode == M_F2F, P_HOME, P_CLINIC)
    return (np.asarray(when, dtype=int), np.full(n, G_CARER), _draw(rng, CARER_OUTCOMES, n),
            mode, place, np.full(n, W_CARER))


def _duration_and_note(group: int, mode: int, outcome: int, u: float) -> tuple[int | None, str]:
    def one(options: tuple[str, ...]) -> str:
        return options[int(u * len(options)) % len(options)]

    if outcome in (O_CANCELLED_PERSON, O_CANCELLED_TEAM):
        return None, one(CANCELLED_NOTES)
    if group == G_WARD:
        return (45 if outcome == O_ATTENDED else 10), one(WARD_NOTES)
    if group == G_CARER:
        return (30 if mode == M_F2F else 15), one(CARER_NOTES)
    if group == G_AGENCY:
        return 10, one(AGENCY_NOTES)
    if mode == M_F2F:
        if outcome == O_ATTENDED:
            return 30 + 15 * int(u * 5), one(F2F_NOTES)
        return 15, one(DNA_NOTES if outcome == O_DNA else NO_ACCESS_NOTES)
    if outcome == O_ATTENDED:
        return {M_PHONE: 10, M_VIDEO: 30, M_TEXT: 2}[mode], one(PHONE_NOTES)
    return 2, one(NO_ANSWER_NOTES)
