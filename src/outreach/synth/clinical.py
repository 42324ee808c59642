"""The synthetic clinical record (docs/synthetic-data.md, "The clinical record"): care plans
with DIALOG+ ratings, safety plans, advance choices, relapse signatures and observed signs,
risk formulations, medication, depots and their doses, Mental Health Act detentions, CTOs,
Section 117, MAPPA and MARAC, carer contacts, social circumstances with substance use and
police contacts, physical health checks and OT assessments.

Pure Python like generator.py (no Django). It runs after everything else in `generate()`
and each part draws from its own stream, `default_rng([seed, 11, part])`, so the rows made
before it (people, episodes, contacts...) are exactly what they were without it, and a
change to one part does not move the others.

Only people on the caseload (accepted, stepped up or in hospital) have a clinical record:
a referral awaiting assessment has no plan yet. Rows follow the services' rules
(outreach.clinical.services) and the models' CHECK constraints; versioned entries are
chains linked by `supersedes`, oldest first, with exactly one head per person.

First each person's traits are drawn (who is on a depot, on a CTO, homeless...); shares that
raise red flags are drawn as exact counts per team, at least one on the first team, so the
demo team shows every kind of flag.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from outreach.synth.generator import (
    ACCEPTED,
    CONSULTANT,
    DEDICATED_FUNCTION,
    INPATIENT,
    NURSE,
    OT,
    OT_TECHNICAL_INSTRUCTOR,
    STEPPED_UP,
    T_ADMITTED,
    CarerRow,
    TeamRow,
    _at,
    _d,
    _key_worker_at,
    _Plan,
    _Staff,
)

CASELOAD = frozenset({ACCEPTED, STEPPED_UP, INPATIENT})
FAR = 10**7  # end of a current key-worker assignment


# ---------------------------------------------------------------------------------------
# Choice values (mirroring the models' TextChoices; tests/synth checks that they agree).

DIALOG_ITEMS = ("mental_health", "physical_health", "job_situation", "accommodation",
                "leisure", "friendships", "partner_family", "personal_safety",
                "medication", "practical_help", "meetings")
ACCOMMODATION = ("settled", "temporary", "at_risk", "homeless", "no_fixed_abode")
HOUSING_LOSS = frozenset({"at_risk", "homeless", "no_fixed_abode"})
GIVEN, REFUSED, MISSED = "given", "refused", "missed"
SMOKING = ("never", "ex", "current", "declined")
OCAIRS, MOHOST = "ocairs", "mohost"
MAPPA, MARAC = "mappa", "marac"
S2, S3 = "2", "3"

# ---------------------------------------------------------------------------------------
# Rows: field names are the models' attnames, as in generator.py.


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryRow:
    """What every clinical entry records: person, episode, who, when, version."""

    id: int
    person_id: int
    episode_id: int | None
    recorded_by_id: int
    recorded_at: datetime
    version: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionedRow(EntryRow):
    supersedes_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CarePlanRow(VersionedRow):
    co_produced_with: str
    shared_with: tuple[str, ...]
    date: date
    review_due: date
    persons_words: str
    chosen_domains: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CarePlanActionRow:
    id: int
    plan_id: int
    order: int
    domain: str
    what: str
    who: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DialogRatingRow:
    id: int
    plan_id: int
    item: str
    score: int
    wants_more_help: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class SafetyPlanRow(VersionedRow):
    co_produced_with: str
    shared_with: tuple[str, ...]
    date: date
    review_due: date
    wants_in_crisis: str
    who_to_contact: str
    what_helps: str
    what_does_not_help: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AdvanceChoiceRow(VersionedRow):
    co_produced_with: str
    shared_with: tuple[str, ...]
    date: date
    statements: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RelapseSignatureRow(VersionedRow):
    co_produced_with: str
    shared_with: tuple[str, ...]
    date: date


@dataclass(frozen=True, slots=True, kw_only=True)
class WarningSignRow:
    id: int
    signature_id: int
    order: int
    sign: str
    what_to_do: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SignObservationRow(EntryRow):
    sign_id: int
    observed_on: date
    observed_by_id: int
    note: str
    cleared_on: date | None
    cleared_by_id: int | None
    clear_note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RiskFormulationRow(VersionedRow):
    co_produced_with: str
    shared_with: tuple[str, ...]
    history: str
    triggers: str
    protective_factors: str
    what_reduces_risk: str
    two_staff_visits: bool
    reviewed_on: date
    review_due: date


@dataclass(frozen=True, slots=True, kw_only=True)
class MedicationRow(EntryRow):
    name: str
    dose: str
    frequency: str
    started: date
    stopped: date | None = None
    stopped_against_advice: bool = False
    restarted: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DepotRow(EntryRow):
    medicine: str
    dose: str
    interval_days: int
    started_on: date
    next_due: date
    tolerance_days: int
    active: bool
    stopped_on: date | None
    stopped_against_advice: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DepotDoseRow(EntryRow):
    depot_id: int
    due_on: date
    outcome: str
    given_on: date | None
    given_by_id: int | None
    note: str
    site: str = ""
    batch: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DetentionRow(EntryRow):
    section: str
    start: date
    end: date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CTORow(EntryRow):
    start: date
    conditions: str
    expiry: date
    renewal_due: date | None
    recalled_on: date | None
    ended_on: date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Section117Row(EntryRow):
    eligible: bool
    eligible_from: date
    review_due: date | None
    last_reviewed_on: date | None
    ended_on: date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class MultiAgencyRow(EntryRow):
    kind: str
    level: int | None
    active_since: date
    ended_on: date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CarerContactRow(EntryRow):
    carer_id: int
    date: date
    what_they_said: str
    concern: bool
    followed_up_on: date | None
    followed_up_by_id: int | None
    follow_up_note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SocialCircumstancesRow(VersionedRow):
    assessed_on: date
    accommodation_status: str
    accommodation_since: date
    finances: str
    employment: str
    offending_history: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SubstanceUseRow:
    id: int
    circumstances_id: int
    substance: str
    current: bool
    since: date


@dataclass(frozen=True, slots=True, kw_only=True)
class PoliceContactRow(EntryRow):
    circumstances_id: int | None
    date: date
    summary: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PhysicalHealthCheckRow(EntryRow):
    date: date
    bmi: float | None
    bp_systolic: int | None
    bp_diastolic: int | None
    glucose_mmol_l: float | None
    hba1c_mmol_mol: float | None
    cholesterol_mmol_l: float | None
    smoking_status: str
    alcohol_units_week: float | None
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OTAssessmentRow(EntryRow):
    kind: str
    date: date
    strengths: str
    barriers: str
    goals: str
    summary: str


# Generator attribute -> row type, in foreign-key order (the loader has the models).
TABLES: tuple[str, ...] = (
    "social_circumstances", "substance_use", "police_contacts",
    "care_plans", "dialog_ratings", "care_plan_actions",
    "safety_plans", "advance_choices",
    "relapse_signatures", "warning_signs", "sign_observations",
    "risk_formulations", "medications", "depots", "depot_doses",
    "detentions", "ctos", "section117s", "multi_agency",
    "carer_contacts", "physical_health_checks", "ot_assessments",
)


@dataclass
class ClinicalRecord:
    social_circumstances: list[SocialCircumstancesRow] = field(default_factory=list)
    substance_use: list[SubstanceUseRow] = field(default_factory=list)
    police_contacts: list[PoliceContactRow] = field(default_factory=list)
    care_plans: list[CarePlanRow] = field(default_factory=list)
    dialog_ratings: list[DialogRatingRow] = field(default_factory=list)
    care_plan_actions: list[CarePlanActionRow] = field(default_factory=list)
    safety_plans: list[SafetyPlanRow] = field(default_factory=list)
    advance_choices: list[AdvanceChoiceRow] = field(default_factory=list)
    relapse_signatures: list[RelapseSignatureRow] = field(default_factory=list)
    warning_signs: list[WarningSignRow] = field(default_factory=list)
    sign_observations: list[SignObservationRow] = field(default_factory=list)
    risk_formulations: list[RiskFormulationRow] = field(default_factory=list)
    medications: list[MedicationRow] = field(default_factory=list)
    depots: list[DepotRow] = field(default_factory=list)
    depot_doses: list[DepotDoseRow] = field(default_factory=list)
    detentions: list[DetentionRow] = field(default_factory=list)
    ctos: list[CTORow] = field(default_factory=list)
    section117s: list[Section117Row] = field(default_factory=list)
    multi_agency: list[MultiAgencyRow] = field(default_factory=list)
    carer_contacts: list[CarerContactRow] = field(default_factory=list)
    physical_health_checks: list[PhysicalHealthCheckRow] = field(default_factory=list)
    ot_assessments: list[OTAssessmentRow] = field(default_factory=list)
    # For the team's work (teamwork.py): what each person's record says, by person id.
    people: dict[int, CasePerson] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------
# Distributions (rationale in docs/synthetic-data.md, "The clinical record")

# Mean DIALOG satisfaction (1-7) per item for this group (judgement: lowest on mental
# health, work and accommodation; treatment items highest), then per-person and per-item
# spread, and the change from one six-monthly review to the next.
DIALOG_MEANS = (3.5, 4.0, 3.0, 3.7, 3.9, 3.6, 4.4, 4.5, 4.5, 4.7, 5.0)
DIALOG_PERSON_SD, DIALOG_ITEM_SD, DIALOG_SESSION_SD = 0.6, 0.8, 0.6
DIALOG_TREND = 0.12  # a little better at each review, on average
# P(wants more help) by score 1..7.
WANTS_HELP = (0.8, 0.7, 0.55, 0.35, 0.15, 0.06, 0.03)

CARE_PLAN_OVERDUE = 0.12  # some are too new to be overdue: about 10% are
SAFETY_PLAN, SAFETY_PLAN_OVERDUE = 0.90, 0.08  # share of the caseload
ADVANCE_CHOICE = 0.25
RELAPSE_SIGNATURE = 0.85
OPEN_OBSERVATION = 0.03  # people with an early warning sign seen and not yet cleared
PAST_OBSERVATIONS = 0.12  # people with signs seen (and cleared) in the history
RISK_FORMULATION, RISK_OVERDUE = 0.95, 0.07
VERSION_SPAN_DAYS = 730  # older versions of plans go back at most two years

ACCOMMODATION_SHARES = (0.70, 0.16, 0.08, 0.03, 0.03)
SUBSTANCE_CURRENT, SUBSTANCE_PAST = 0.35, 0.20
# (substance, weight among current users)
SUBSTANCES = (("Cannabis", 0.6), ("Alcohol", 0.35), ("Cocaine", 0.12),
              ("Synthetic cannabinoids (spice)", 0.1), ("Amphetamine", 0.05),
              ("Heroin", 0.04))
POLICE_ANY, POLICE_RECENT = 0.15, 0.025  # in the history window; in the last 28 days

DEPOT = 0.45
# (medicine, [(dose, interval days, weight)], weight)
DEPOT_MEDICINES = (
    ("Paliperidone palmitate", (("100 mg", 28, 0.6), ("75 mg", 28, 0.2), ("150 mg", 28, 0.2)),
     0.28),
    ("Aripiprazole", (("400 mg", 28, 0.85), ("300 mg", 28, 0.15)), 0.22),
    ("Zuclopenthixol decanoate", (("200 mg", 14, 0.6), ("300 mg", 14, 0.2),
                                  ("400 mg", 21, 0.2)), 0.22),
    ("Flupentixol decanoate", (("40 mg", 14, 0.6), ("60 mg", 21, 0.4)), 0.14),
    ("Haloperidol decanoate", (("100 mg", 28, 0.7), ("150 mg", 28, 0.3)), 0.08),
    ("Risperidone long-acting injection", (("37.5 mg", 14, 0.6), ("50 mg", 14, 0.4)), 0.06),
)
DEPOT_TOLERANCE = 7  # the configured default (OUTREACH_CLINICAL depot_tolerance_days)
DEPOT_SWITCHED = 0.10  # changed depot within the history window
# Per dose due: given within a few days of the due date, or missed / refused (then given
# 2-10 days late).
DOSE_MISSED, DOSE_REFUSED = 0.06, 0.04
DEPOT_FLAGGED = 0.09  # share of people on a depot with a dose problem at today
# What the dose problem is: missed recently, refused recently, overdue after a missed dose,
# overdue with nothing recorded. Cycled so each appears.
DEPOT_PROBLEMS = ("missed", "refused", "overdue_missed", "overdue")

# (name, [(dose, frequency, weight)], weight)
ORAL_ANTIPSYCHOTICS = (
    ("Olanzapine", (("10 mg", "Once a day, at night", 0.4), ("15 mg", "Once a day, at night",
                                                             0.35),
                    ("20 mg", "Once a day, at night", 0.25)), 0.30),
    ("Aripiprazole", (("10 mg", "Once a day, in the morning", 0.3),
                      ("15 mg", "Once a day, in the morning", 0.4),
                      ("20 mg", "Once a day, in the morning", 0.3)), 0.20),
    ("Risperidone", (("2 mg", "Twice a day", 0.5), ("3 mg", "Twice a day", 0.5)), 0.15),
    ("Clozapine", (("150 mg", "Twice a day (bloods every 4 weeks)", 0.5),
                   ("200 mg", "Twice a day (bloods every 4 weeks)", 0.5)), 0.12),
    ("Quetiapine", (("300 mg", "Twice a day", 0.6), ("400 mg", "Twice a day", 0.4)), 0.10),
    ("Amisulpride", (("400 mg", "Twice a day", 1.0),), 0.08),
    ("Haloperidol", (("5 mg", "Once a day", 1.0),), 0.05),
)
# (name, dose, frequency, share of the caseload)
OTHER_MEDICINES = (
    ("Procyclidine", "5 mg", "Twice a day", 0.10),
    ("Sertraline", "100 mg", "Once a day", 0.15),
    ("Mirtazapine", "30 mg", "Once a day, at night", 0.08),
    ("Metformin", "500 mg", "Twice a day, with food", 0.08),
    ("Atorvastatin", "20 mg", "Once a day, at night", 0.08),
    ("Nicotine patch", "21 mg/24 hours", "One patch a day", 0.10),
    ("Sodium valproate", "500 mg", "Twice a day", 0.05),
)
PAST_SWITCH = 0.30  # an earlier antipsychotic stopped (switched, with advice)
STOPPED_AND_RESTARTED = 0.05  # stopped against advice in the past, since restarted
MEDICATION_STOPPED = 0.02  # stopped against advice now, not restarted

CTO, CTO_ENDED = 0.15, 0.04
CTO_SOON_AT_LEAST = 2  # on the first team: CTO expiry within the 28 days' notice
SECTION117, S117_OVERDUE = 0.40, 0.05
DETAINED_INPATIENT = 0.50  # of people in hospital now
DETAINED_PAST_ADMISSION = 0.45
MAPPA_SHARE, MARAC_SHARE = 0.03, 0.02
MAPPA_LEVELS = ((1, 0.6), (2, 0.35), (3, 0.05))

CARER_CONTACT_DAYS = 30  # mean days between recorded conversations with a carer
CARER_CONCERN = 0.10
FAMILY_CONCERN_OPEN = 0.03  # people with a concern not yet followed up

PHYSICAL_CHECK_OVERDUE, PHYSICAL_CHECK_NEVER = 0.22, 0.03
SMOKING_SHARES = (0.25, 0.15, 0.55, 0.05)  # never, ex, current, declined
OT_ASSESSED, MOHOST_AFTER_OCAIRS = 0.40, 0.45

# ---------------------------------------------------------------------------------------
# Text. Short, fixed, reused; the person's own words where the record asks for them.

PERSONS_WORDS = {
    "mental_health": "I want the voices to be quieter so I can get some sleep.",
    "physical_health": "I want to lose the weight I put on with the tablets.",
    "job_situation": "I'd like to do something with my days, maybe volunteering first.",
    "accommodation": "I want somewhere of my own that's quiet, away from the people downstairs.",
    "leisure": "I used to love football. I'd like to get back to going to matches.",
    "friendships": "I don't really see anyone apart from you lot. I'd like a mate.",
    "partner_family": "I want to see my kids more and sort things out with my mum.",
    "personal_safety": "I don't feel safe on the estate at night.",
    "medication": "The injection makes me stiff. I want to talk about the dose.",
    "practical_help": "Help me sort out my benefits and the letters I can't read.",
    "meetings": "I'd like the same worker each time, not someone new.",
}
PLAN_ACTIONS = {
    "mental_health": ("Review medication and sleep with the consultant at the next outpatient "
                      "appointment", "Consultant"),
    "physical_health": ("Walk together twice a week; book the annual physical health check",
                        "Key worker"),
    "job_situation": ("Visit the volunteering centre together; referral to the IPS "
                      "employment service", "OT, with the person"),
    "accommodation": ("Support the housing application and chase the repairs", "Social worker"),
    "leisure": ("Try the allotment group on Thursdays", "The person, with the STR worker"),
    "friendships": ("Go to the peer support café together", "Peer support worker"),
    "partner_family": ("Arrange a family meeting", "Key worker and the person"),
    "personal_safety": ("Agree a plan for going out at night; report the harassment to the "
                        "police", "Key worker"),
    "medication": ("Discuss side effects and the dose with the consultant", "Consultant"),
    "practical_help": ("Help with the PIP form and the bank letters", "STR worker"),
    "meetings": ("Keep visits to the same two workers where possible", "Team manager"),
}
CONTENT = "Things are going all right at the moment. I want to keep it that way."
WANTS_IN_CRISIS = (
    "I want to stay at home if I can, with more visits. If I need hospital, I'd rather go to "
    "the ward I know.",
    "Call my family first. Please don't send the police unless there's no other way.",
    "Take me to the crisis house, not the ward. Let me bring my phone and my music.",
    "If I'm not answering, keep trying. Come with someone I know.",
    "Look after my dog while I'm away: my neighbour has a key.",
)
WHAT_HELPS = (
    "Walking, music, talking to my sister, a cigarette outside.",
    "A quiet room, someone I know, not too many questions at once.",
    "Going to the gym, keeping busy, the breathing exercises.",
    "Being reminded that it has passed before.",
)
WHAT_DOES_NOT_HELP = (
    "Lots of people turning up at once; being told what to do.",
    "Police at the door; being woken up.",
    "People talking about me as if I'm not there.",
    "Being left on my own for days.",
)
ADVANCE_STATEMENTS = (
    "If I become unwell I do not want olanzapine again: I put on a lot of weight. Aripiprazole "
    "has helped me before. Please tell my family if I am admitted. My cat needs feeding: my "
    "neighbour at number 14 has a key.",
    "I would prefer a female nurse for injections. I do not want my employer told. If I have "
    "to go to hospital, please let me take my own clothes and my prayer mat.",
    "When I am unwell I stop eating: please offer me simple food like toast and soup. Tell my "
    "brother, not my father.",
    "Please try home treatment before hospital. If I need medication quickly I would accept "
    "lorazepam rather than an injection of haloperidol.",
    "My children's school should only be told that I am unwell. My sister can collect them.",
)
# (sign in the person's words, what to do, stage: 1 early .. 3 late)
WARNING_SIGNS = (
    ("I stop sleeping properly and I'm up all night on my phone",
     "Ask how I'm sleeping; tell the consultant if it is more than three nights", 1),
    ("I stop answering my phone and texts", "Call round in person; try my family", 1),
    ("I stay in my room and stop going to the shop",
     "Visit at home; bring something to do together", 1),
    ("I snap at my family over little things", "Give me space but check in with my family", 1),
    ("I stop cooking and eating proper meals", "Check the fridge; food bank if needed", 1),
    ("I smoke more weed to calm myself down", "Talk to me about it without lecturing", 1),
    ("I say I don't need my tablets any more", "Talk to me about why; tell the consultant", 1),
    ("My flat gets in a mess and I stop washing", "Help me with a tidy-up; don't judge", 1),
    ("I feel people are looking at me in the street", "Meet me somewhere quiet", 2),
    ("I think the neighbours are talking about me through the wall",
     "Visit more often; medication review", 2),
    ("The voices get louder in the evenings and nastier", "Phone me in the evening", 2),
    ("I think the TV is sending me messages", "Tell the consultant the same day", 2),
    ("I spend all my money in a few days", "Help me with the budget; ask about an appointee", 2),
    ("I cover the windows", "Visit in pairs; tell the consultant", 2),
    ("I think someone has been in my food", "Eat with me; offer sealed food", 2),
    ("I walk about at night and end up miles away", "Ask the family to call the team", 3),
    ("I won't let anyone in, not even my mum", "Keep coming; talk through the door", 3),
    ("I feel I have to protect myself", "Visit in pairs; tell the consultant today", 3),
    ("I shout back at the voices in the street", "Step up visits; crisis plan", 3),
)
OBSERVATION_NOTES = ("Seen at the home visit; started a few days ago.",
                     "Family told us; confirmed at the visit.",
                     "Noticed at the café; went through the relapse signature together.")
CLEAR_NOTES = ("Settled after the medication review; sleeping again.",
               "Resolved: back to the usual routine.",
               "No longer present at the last three visits.")
RISK_HISTORY = (
    "When unwell and off medication, neglects self and stops eating; two admissions under "
    "section 3 after being found without heating in winter.",
    "When using cannabis and unwell, becomes suspicious of neighbours; threatened a neighbour "
    "once (police called, no charges).",
    "Overdose after the end of a relationship some years ago; no self-harm since.",
    "Exploited by acquaintances who moved into the flat (cuckooing); lost money and tenancy.",
)
RISK_HISTORY_TWO_STAFF = (
    "Assaulted a stranger while responding to command hallucinations; conviction and hospital "
    "order (section 37). No violence since, but threatening to visitors when unwell.",
    "Has carried a knife for protection when paranoid; police involvement. Hit a worker on a "
    "home visit when acutely unwell.",
)
RISK_TRIGGERS = (
    "Stopping medication; cannabis and spice; losing accommodation; the anniversary of a "
    "parent's death.",
    "Debts and letters about benefits; arguments with family; people from the estate calling.",
    "Leaving hospital; running out of money at the end of the month; alcohol.",
    "Changes of worker; crowded places; poor sleep.",
)
RISK_PROTECTIVE = (
    "Close to family, who notice early signs; gets on well with the depot nurse.",
    "Wants to keep the tenancy; goes to the allotment group; responds quickly to medication.",
    "Faith community; a sister who visits every week.",
    "Good relationship with the key worker; a dog to look after.",
)
RISK_REDUCES = (
    "Regular medication; visits at least twice a week; early contact with family when signs "
    "appear; a low threshold for stepping up.",
    "Budgeting support; weekly contact with the drugs worker; crisis plan shared with the GP "
    "and the crisis line.",
    "Agreed places to meet; a quick medication review if sleep goes.",
)
TWO_STAFF = "Two staff on every visit (agreed at MDT), meeting in public places where possible; "
CTO_CONDITIONS = (
    "To live at the address agreed with the team; to make themselves available for "
    "examination; to accept depot medication from the team.",
    "To see the team at least weekly; to accept medication as prescribed; not to use "
    "illicit drugs.",
)
DOSE_NOTES = ("", "", "", "No side effects reported.", "Talked about sleep; settled.",
              "Tolerated well.")
# Where a depot's doses are given, by the depot's id: the pair of sites (left and right of
# one muscle) it alternates between, as rotation asks. Deltoid only for the medicines given
# there; most depots go in the buttock.
DOSE_SITE_PAIRS = (("dorsogluteal_left", "dorsogluteal_right"),
                   ("ventrogluteal_left", "ventrogluteal_right"),
                   ("dorsogluteal_right", "dorsogluteal_left"))
DELTOID_MEDICINES = ("Paliperidone palmitate", "Aripiprazole")
MISSED_DOSE_NOTES = ("Not in when visited for the depot. Will try again.",
                     "Did not come to the depot clinic. Home visit planned.")
REFUSED_DOSE_NOTES = ("Refused the depot: says they don't need it. Consultant informed.",
                      "Refused today; agreed to talk about it again later this week.")
CARER_ROUTINE = (
    "Things are calmer at home. Eating better and going out to the shop.",
    "Has been to the allotment twice this week. No worries at the moment.",
    "Finding it hard to get them up in the mornings, but otherwise all right.",
    "Asked about the carers' group; information given.",
    "Pleased with the new worker. Sleeping better.",
    "Money ran out again before payday; asked about an appointee.",
)
CARER_CONCERNS = (
    "Worried: not sleeping, up all night talking to the TV. Wants someone to visit soon.",
    "Has stopped taking the tablets, says they are poison. The family are frightened.",
    "Has not seen them for four days; not answering the door or the phone.",
    "Says people are coming to get them and has barricaded the door.",
    "Smoking a lot of cannabis again and arguing with everyone.",
    "Found a pile of unopened tablets. Very withdrawn, not eating.",
)
FOLLOW_UP_NOTES = (
    "Visited the same day with a colleague; mental state reviewed, consultant informed.",
    "Phoned the carer back; visit brought forward and medication reviewed.",
    "Joint visit with the consultant; plan agreed with the family; visits stepped up.",
    "Raised at handover; welfare visit made, seen and safe.",
)
FINANCES = (
    "ESA and PIP; family member is appointee.",
    "Universal Credit; rent arrears of £600, payment plan agreed with the landlord.",
    "PIP and Universal Credit; manages own money with weekly budgeting support.",
    "Council tax arrears; referred to Citizens Advice.",
)
EMPLOYMENT = (
    "Not working; would like to volunteer.",
    "Goes to the allotment group on Thursdays.",
    "Part-time work in a warehouse, 16 hours a week.",
    "Day centre twice a week.",
    "Not working since the last admission.",
)
OFFENDING = (
    "Cautions for shoplifting and criminal damage some years ago.",
    "Conviction for possession of cannabis.",
)
OFFENDING_SERIOUS = (
    "Conviction for assault when unwell; hospital order (section 37/41), conditionally "
    "discharged; probation until next year.",
    "Conviction for threatening behaviour with a weapon; on licence, managed under MAPPA.",
)
POLICE_SUMMARIES = (
    "Police called by neighbours: shouting in the street at night. Taken home, no further "
    "action.",
    "Arrested for shoplifting; seen by the liaison and diversion nurse in custody. Released "
    "under investigation.",
    "Detained under section 136 and taken to the place of safety; assessed, not admitted.",
    "Welfare check by the police at the team's request after days without contact: found at "
    "home, safe.",
    "Reported a theft of benefits money to the police with the key worker's help.",
    "Cautioned for criminal damage at the hostel.",
)
PHYSICAL_NOTES = ("Bloods and ECG done at the GP surgery.",
                  "Declined bloods; weight and blood pressure done at home.",
                  "Stop-smoking support offered; nicotine patches started.",
                  "Referred to the practice nurse for a diabetes review.", "", "")
OT_STRENGTHS = ("Enjoys cooking and gardening; motivated by family.",
                "Keen on football and music; keeps a regular morning routine.",
                "Values independence; does own shopping.",
                "Creative: draws and writes poetry.")
OT_BARRIERS = ("Low motivation in the mornings; poor sleep; anxious in crowded places.",
               "No daily structure since losing work; little money for activities.",
               "Difficulty planning and sequencing tasks; lives in a chaotic hostel.",
               "Voices distract during tasks; low confidence.")
OT_GOALS = ("Go to the allotment group weekly; cook a meal twice a week.",
            "Volunteer at the charity shop one morning a week.",
            "Take the bus alone to the gym.",
            "Keep the flat tidy enough to have visitors.")
OCAIRS_SUMMARIES = (
    "OCAIRS screen: taking part in occupations is restricted; interests and values intact. "
    "MOHOST to plan interventions.",
    "OCAIRS screen: adapting well in most areas; daily routine is the main barrier. Goals "
    "agreed; OT to review in three months.",
)
MOHOST_SUMMARIES = (
    "MOHOST: motivation for occupation allows; pattern of occupation inhibits (no routine); "
    "communication and process skills allow; environment restricts (noisy hostel). Graded "
    "activity plan with the OT technical instructor.",
    "MOHOST: motivation restricts; motor skills allow; process skills inhibit (planning); "
    "environment allows. Weekly cooking sessions, then the allotment group.",
)


# ---------------------------------------------------------------------------------------
# Working state


@dataclass(eq=False)
class CasePerson:
    """One person on the caseload: their plan, team, workers, and the traits drawn for the
    clinical record; teamwork.py reads the summary fields at the end."""

    plan: _Plan
    team: TeamRow
    carers: list[CarerRow]
    kw: list[tuple[int, int, int]]
    covers: list[tuple[int, int, int]]
    # Traits, drawn first.
    housing: str = "settled"
    substances: tuple[tuple[str, bool], ...] = ()
    on_depot: bool = False
    depot_problem: str | None = None
    medication_stopped: bool = False
    cto: bool = False
    cto_soon: bool = False
    cto_ended: bool = False
    s117: bool = False
    mappa: int | None = None  # level
    marac: bool = False
    two_staff: bool = False
    safety_plan: bool = False
    safety_overdue: bool = False
    care_overdue: bool = False
    advance: bool = False
    signature: bool = False
    open_observation: bool = False
    past_observations: bool = False
    risk: bool = False
    risk_overdue: bool = False
    police: bool = False
    police_recent: bool = False
    open_concern: bool = False
    ot: bool = False
    detained_now: str | None = None
    # (section, start, end) of the admissions of this episode that were detentions.
    detentions: list[tuple[str, int, int]] = field(default_factory=list)
    s3_end: int | None = None  # the end of the latest section 3: Section 117 from then
    cto_start: int | None = None  # a CTO made on leaving hospital in this episode
    # Summary for the team's work.
    depot: tuple[str, str, int] | None = None  # medicine, dose, next due (ordinal)
    care_plan_reviews: list[tuple[int, int]] = field(default_factory=list)  # date, due
    signs: tuple[str, ...] = ()
    physical_due: int | None = None

    @property
    def pid(self) -> int:
        return self.plan.person_id

    @property
    def episode(self) -> int:
        return self.plan.episode_id

    @property
    def care_start(self) -> int:
        """The first intervention: plans are made with the person once the team has met them."""
        return self.plan.first_intervention or self.plan.accepted

    def worker(self, day: int) -> int:
        """Who worked with the person that day: their cover if any, else the key worker."""
        for a, b, s in self.covers:
            if a <= day <= b:
                return s
        return _key_worker_at(self.kw, day) or self.kw[-1][2]

    def key_worker(self, day: int) -> int:
        return _key_worker_at(self.kw, day) or self.kw[-1][2]


@dataclass
class World:
    seed: int
    t0: int
    window_start: int
    history_days: int
    teams: list[TeamRow]
    staff: list[_Staff]
    people: list[CasePerson]
    by_id: dict[int, _Staff] = field(default_factory=dict)
    team_staff: dict[int, list[_Staff]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {s.id: s for s in self.staff}
        for s in self.staff:
            if s.team_id is not None:
                self.team_staff.setdefault(s.team_id, []).append(s)

    def rng(self, part: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, 11, part])

    @property
    def span_start(self) -> int:
        """The earliest date of an older version of a plan."""
        return self.t0 - min(self.history_days, VERSION_SPAN_DAYS)

    def at_work(self, s: _Staff, day: int) -> bool:
        return (s.active(day) and (day - 1) % 7 + 1 in s.weekdays
                and not any(a <= day <= b for _, a, b in s.absences))

    def nurse_at_work(self, team_id: int, day: int, prefer: int, rng) -> int:
        """Who gives an injection: the person's worker if a nurse at work, else a nurse
        of the team at work, else any nurse in post."""
        mine = self.by_id[prefer]
        if mine.discipline == NURSE and self.at_work(mine, day):
            return prefer
        nurses = [s for s in self.team_staff[team_id] if s.discipline == NURSE and s.active(day)]
        working = [s for s in nurses if self.at_work(s, day)]
        pool = working or nurses
        if not pool:
            return prefer
        return pool[int(rng.integers(len(pool)))].id

    def discipline_at(self, team_id: int, day: int, disciplines: Sequence[str]) -> int | None:
        for discipline in disciplines:
            for s in self.team_staff[team_id]:
                if s.discipline == discipline and s.active(day):
                    return s.id
        return None

    def consultant_at(self, team_id: int, day: int) -> int | None:
        for s in self.team_staff[team_id]:
            if s.role == CONSULTANT and s.active(day):
                return s.id
        return None


# ---------------------------------------------------------------------------------------
# Helpers


def _months(day: int, months: int) -> int:
    """The same day `months` later (or earlier), or the month's last day (as add_months)."""
    d = _d(day)
    years, month0 = divmod(d.month - 1 + months, 12)
    year, month = d.year + years, month0 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1])).toordinal()


def _when(day: int, rng, start: int = 15 * 60, spread: int = 150) -> datetime:
    """An entry recorded on the day, in the afternoon."""
    return _at(day, start + int(rng.integers(0, spread)))


def _one(rng, options: Sequence):
    return options[int(rng.integers(len(options)))]


def _weighted(rng, options: Sequence, weights: Sequence[float]):
    w = np.asarray(weights, dtype=float)
    return options[int(rng.choice(len(options), p=w / w.sum()))]


def _count(rng, n: int, share: float, at_least: int = 0) -> int:
    """share * n, rounded at random so the expected count is exact; at least `at_least`."""
    exact = share * n
    k = int(exact) + int(rng.random() < exact - int(exact))
    return min(n, max(at_least, k))


def _choose(rng, pool: list[CasePerson], k: int, weights: Sequence[float] | None = None,
            ) -> list[CasePerson]:
    if k <= 0 or not pool:
        return []
    k = min(k, len(pool))
    p = None
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        p = w / w.sum()
    idx = rng.choice(len(pool), size=k, replace=False, p=p)
    return [pool[i] for i in sorted(idx.tolist())]


def _weekday_on_or_before(day: int) -> int:
    iso = (day - 1) % 7 + 1
    return day - (iso - 5) if iso > 5 else day


def _co_produced(p: CasePerson, rng) -> tuple[str, tuple[str, ...]]:
    """Made with the person (and the main carer, if the person agreed); shared with the
    person and the GP, and the carer if the person agreed (Caldicott)."""
    shared = ["the person", "GP"]
    made = "The person and their key worker"
    main = next((c for c in p.carers if c.is_main_carer), None)
    if main is not None and main.consent_to_share:
        shared.append(f"{main.name} ({main.relationship.lower()})")
        if rng.random() < 0.5:
            made = f"The person, their key worker and {main.name} ({main.relationship.lower()})"
    return made, tuple(shared)


def _version_dates(rng, current: int, lo: int, step: tuple[int, int]) -> list[int]:
    """Dates of the versions, oldest first, ending with `current`: reviews about every
    `step` days back to `lo`."""
    dates = [current]
    day = current
    while True:
        day -= int(rng.integers(step[0], step[1] + 1))
        if day < lo:
            break
        dates.append(day)
    return dates[::-1]


# ---------------------------------------------------------------------------------------
# Generation


def generate_record(world: World) -> ClinicalRecord:
    record = ClinicalRecord(people={p.pid: p for p in world.people})
    _traits(world)
    _social(world, record)
    _care_plans(world, record)
    _safety_and_advance(world, record)
    _relapse_signatures(world, record)
    _risk(world, record)
    _medication(world, record)
    _depots(world, record)
    _legal(world, record)
    _carer_contacts(world, record)
    _physical_health(world, record)
    _ot(world, record)
    return record


def _traits(world: World) -> None:
    """Who has what: drawn per team, so each team has its share; red-flag states as exact
    counts with at least one on the first team (the demo team)."""
    rng = world.rng(1)
    by_team: dict[int, list[CasePerson]] = {}
    for p in world.people:
        by_team.setdefault(p.team.id, []).append(p)
    t0 = world.t0
    for team_id, people in sorted(by_team.items()):
        first = 1 if team_id == 1 else 0
        n = len(people)
        # The main shares as exact counts, so even a small team shows them as documented.
        order = rng.permutation(n).tolist()
        bounds = np.rint(np.cumsum(ACCOMMODATION_SHARES) * n).astype(int).tolist()
        for rank, i in enumerate(order):
            people[i].housing = ACCOMMODATION[next(k for k, b in enumerate(bounds) if rank < b)]
        users = _choose(rng, people, _count(rng, n, SUBSTANCE_CURRENT))
        former = _choose(rng, [p for p in people if p not in users],
                         _count(rng, n, SUBSTANCE_PAST))
        for p in users:
            k = 1 + int(rng.random() < 0.3)
            names = rng.choice(len(SUBSTANCES), size=k, replace=False,
                               p=_norm([w for _, w in SUBSTANCES]))
            p.substances = tuple((SUBSTANCES[i][0], True) for i in sorted(names.tolist()))
        for p in former:
            p.substances = ((_weighted(rng, [s for s, _ in SUBSTANCES],
                                       [w for _, w in SUBSTANCES]), False),)
        for p in _choose(rng, people, _count(rng, n, DEPOT)):
            p.on_depot = True
        for p in people:
            p.care_overdue = bool(rng.random() < CARE_PLAN_OVERDUE)
            p.advance = bool(rng.random() < ADVANCE_CHOICE)
            p.signature = bool(rng.random() < RELAPSE_SIGNATURE)
            p.risk = bool(rng.random() < RISK_FORMULATION)
            p.risk_overdue = p.risk and bool(rng.random() < RISK_OVERDUE / RISK_FORMULATION)
            p.ot = world.teams[team_id - 1].service_type != DEDICATED_FUNCTION and bool(
                rng.random() < OT_ASSESSED)
            p.past_observations = p.signature and bool(rng.random() < PAST_OBSERVATIONS)
        # Safety plans: 90% have one, 8% of the caseload overdue for review.
        have = _choose(rng, people, _count(rng, n, SAFETY_PLAN))
        for p in have:
            p.safety_plan = True
        for p in _choose(rng, have, _count(rng, n, SAFETY_PLAN_OVERDUE)):
            p.safety_overdue = True
        # Two staff on visits: two thirds of those already visited in pairs (generator).
        pairs = [p for p in people if p.plan.two_worker > 0.5]
        for p in _choose(rng, pairs, round(len(pairs) * 2 / 3)):
            p.two_staff = p.risk = True
        # Depot problems at today, cycling through the four kinds (not in hospital: the
        # ward gives the injection there).
        depot = [p for p in people if p.on_depot and p.plan.status != INPATIENT]
        flagged = _choose(rng, depot, _count(rng, len(depot), DEPOT_FLAGGED,
                                             len(DEPOT_PROBLEMS) if first else 0))
        for i, p in enumerate(flagged):
            p.depot_problem = DEPOT_PROBLEMS[i % len(DEPOT_PROBLEMS)]
        oral = [p for p in people if not p.on_depot]
        for p in _choose(rng, oral, _count(rng, n, MEDICATION_STOPPED, first)):
            p.medication_stopped = True
        # Legal: CTOs (mostly people on a depot), never while in hospital now.
        community = [p for p in people if p.plan.status != INPATIENT]
        ctos = _choose(rng, community, _count(rng, n, CTO),
                       [3.0 if p.on_depot else 1.0 for p in community])
        for p in ctos:
            p.cto = True
        soon = _choose(rng, ctos, CTO_SOON_AT_LEAST if first else _count(rng, len(ctos), 0.08))
        for p in soon:
            p.cto_soon = True
        for p in _choose(rng, [p for p in community if not p.cto], _count(rng, n, CTO_ENDED)):
            p.cto_ended = True
        forensic = [3.0 if p.plan.source in ("forensic", "criminal_justice") else 1.0
                    for p in people]
        for p in _choose(rng, people, _count(rng, n, MAPPA_SHARE, first), forensic):
            p.mappa = int(_weighted(rng, [lv for lv, _ in MAPPA_LEVELS],
                                    [w for _, w in MAPPA_LEVELS]))
        for p in _choose(rng, people, _count(rng, n, MARAC_SHARE, first)):
            p.marac = True
        inpatients = [p for p in people if p.plan.status == INPATIENT]
        for p in _choose(rng, inpatients, _count(rng, len(inpatients), DETAINED_INPATIENT)):
            start = next(a for kind, a, b in p.plan.events if b is None)
            p.detained_now = S2 if t0 - start <= 28 and rng.random() < 0.6 else S3
        for p in people:
            _detentions(rng, p)
        # Section 117: everyone who has left hospital after a section 3 (and so everyone
        # with a CTO, now or before), then others detained before this episode, to 40%.
        eligible = [p for p in people if p.cto or p.cto_ended or p.s3_end is not None]
        rest = [p for p in people if not (p.cto or p.cto_ended or p.s3_end is not None)]
        for p in eligible + _choose(rng, rest, _count(rng, n, SECTION117) - len(eligible)):
            p.s117 = True
        # Early warning signs seen and not cleared; families' concerns not followed up;
        # police contact in the last 28 days.
        signed = [p for p in people if p.signature]
        for p in _choose(rng, signed, _count(rng, n, OPEN_OBSERVATION, first)):
            p.open_observation = True
        with_carers = [p for p in people if p.carers]
        for p in _choose(rng, with_carers, _count(rng, n, FAMILY_CONCERN_OPEN, first)):
            p.open_concern = True
        recent = _choose(rng, people, _count(rng, n, POLICE_RECENT, first))
        for p in recent:
            p.police = p.police_recent = True
        others = [p for p in people if not p.police]
        for p in _choose(rng, others, _count(rng, n, POLICE_ANY) - len(recent)):
            p.police = True


def _detentions(rng, p: CasePerson) -> None:
    """Which of the episode's past admissions were under the Mental Health Act: section 2
    (assessment, at most 28 days), often followed by section 3, or section 3 throughout.
    A CTO not due to expire soon is made on leaving the last admission, under section 3."""
    ended = [(a, b) for kind, a, b in p.plan.events if kind == T_ADMITTED and b is not None]
    cto_admission = ended[-1] if p.cto and not p.cto_soon and ended else None
    for a, b in ended:
        if (a, b) != cto_admission and rng.random() >= DETAINED_PAST_ADMISSION:
            continue
        if (a, b) != cto_admission and (b - a <= 28 or rng.random() < 0.5):
            p.detentions.append((S2, a, min(b, a + 27)))
        elif b - a > 28 and rng.random() < 0.5:
            p.detentions += [(S2, a, a + 27), (S3, a + 28, b)]
            p.s3_end = b
        else:
            p.detentions.append((S3, a, b))
            p.s3_end = b
    if cto_admission is not None:
        p.cto_start = cto_admission[1]


def _norm(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


# --- Social circumstances ------------------------------------------------------------------


def _social(world: World, record: ClinicalRecord) -> None:
    """Assessed at acceptance (or two years ago), at every transfer of care (leaving hospital,
    stepping down) and at least yearly; accommodation mostly unchanged between versions."""
    rng = world.rng(2)
    t0 = world.t0
    for p in world.people:
        plan = p.plan
        first = max(plan.accepted, world.span_start + int(rng.integers(0, 60)))
        first = min(first, t0 - 1)
        dates = {first}
        for _, _, end in plan.events:
            if end is not None and first < end < t0:
                dates.add(end)
        dates = sorted(dates)
        filled = []
        for a, b in zip(dates, [*dates[1:], t0], strict=True):
            filled.append(a)
            if b - a > 400:
                filled.append(a + int(rng.integers(330, 380)))
        dates = sorted(d for d in filled if d < t0)[-4:]
        statuses = [p.housing]
        for _ in dates[:-1]:
            statuses.append(statuses[-1] if rng.random() < 0.7 else _weighted(
                rng, ACCOMMODATION, ACCOMMODATION_SHARES))
        statuses.reverse()
        finances, employment = _one(rng, FINANCES), _one(rng, EMPLOYMENT)
        offending = ""
        if p.mappa or p.two_staff:
            offending = _one(rng, OFFENDING_SERIOUS)
        elif p.police or rng.random() < 0.2:
            offending = _one(rng, OFFENDING) if rng.random() < 0.6 else ""
        substance_since = {name: dates[0] - int(rng.integers(200, 5000))
                           for name, _ in p.substances}
        previous: SocialCircumstancesRow | None = None
        since = 0
        versions: list[tuple[int, int]] = []  # (assessed_on, row id)
        for i, (day, status) in enumerate(zip(dates, statuses, strict=True)):
            if previous is not None and status == previous.accommodation_status:
                pass  # unchanged: the same date as before
            elif previous is None:
                long_ago = (30, 3000) if status in ("settled", "temporary") else (7, 200)
                since = day - int(rng.integers(*long_ago))
            else:
                since = int(rng.integers(previous.assessed_on.toordinal() + 1, day + 1))
            if i == len(dates) - 1 and status in HOUSING_LOSS and previous is None:
                since = day - int(rng.integers(7, 120))
            row = SocialCircumstancesRow(
                id=len(record.social_circumstances) + 1, person_id=p.pid, episode_id=p.episode,
                recorded_by_id=p.worker(day), recorded_at=_when(day, rng),
                supersedes_id=previous.id if previous else None, assessed_on=_d(day),
                accommodation_status=status, accommodation_since=_d(min(since, day)),
                finances=finances, employment=employment, offending_history=offending,
            )
            record.social_circumstances.append(row)
            versions.append((day, row.id))
            for name, current in p.substances:
                record.substance_use.append(SubstanceUseRow(
                    id=len(record.substance_use) + 1, circumstances_id=row.id, substance=name,
                    current=current, since=_d(substance_since[name]),
                ))
            previous = row
        _police(world, record, p, rng, versions)


def _police(world: World, record: ClinicalRecord, p: CasePerson, rng,
            versions: list[tuple[int, int]]) -> None:
    if not p.police:
        return
    t0 = world.t0
    lo = max(world.window_start, p.plan.accepted)
    days = []
    if p.police_recent:
        days.append(t0 - int(rng.integers(1, 28)))
    hi = t0 - 29 if not p.police_recent else t0 - 1
    for _ in range(int(p.police_recent is False) + int(rng.poisson(0.5))):
        if hi > lo:
            days.append(int(rng.integers(lo, hi)))
    for day in sorted(days):
        version = None
        for assessed, row_id in versions:
            if assessed <= day:
                version = row_id
        record.police_contacts.append(PoliceContactRow(
            id=len(record.police_contacts) + 1, person_id=p.pid, episode_id=p.episode,
            recorded_by_id=p.worker(day), recorded_at=_when(day, rng, 16 * 60, 120),
            circumstances_id=version, date=_d(day), summary=_one(rng, POLICE_SUMMARIES),
        ))


# --- Care plans (DIALOG+) ------------------------------------------------------------------


def _current_review(world: World, p: CasePerson, rng, overdue: bool, months: int = 6,
                    ) -> tuple[int, int]:
    """(date, review due) of the current version: made at the step-up when stepped up
    (reviewed monthly), else within the last six months, or 6-9 months ago if overdue; never
    before the first intervention (the first plan is made in the first fortnight)."""
    t0, start = world.t0, p.care_start
    if p.plan.status == STEPPED_UP:
        stepped = next(a for _, a, b in p.plan.events if b is None)
        day = min(t0 - 1, stepped + int(rng.integers(0, 3)))
        return day, _months(day, 1)
    if overdue and t0 - 190 >= start:
        day = t0 - int(rng.integers(190, 275))
        day = max(day, start)
        return day, _months(day, months)
    day = min(t0 - 1, max(start + int(rng.integers(0, 15)), t0 - int(rng.integers(1, 176))))
    return day, _months(day, months)


def _care_plans(world: World, record: ClinicalRecord) -> None:
    """A current DIALOG+ plan for everyone on the caseload, with the older six-monthly
    versions it superseded; 11 ratings per version, up to three chosen areas, an action for
    each (step 4 of DIALOG+)."""
    rng = world.rng(3)
    means = np.asarray(DIALOG_MEANS)
    help_p = np.asarray(WANTS_HELP)
    for p in world.people:
        current, due = _current_review(world, p, rng, p.care_overdue)
        dates = _version_dates(rng, current, max(p.care_start, world.span_start), (150, 200))
        base = means + rng.normal(0, DIALOG_PERSON_SD) + rng.normal(0, DIALOG_ITEM_SD, 11)
        made, shared = _co_produced(p, rng)
        previous = None
        for k, day in enumerate(dates):
            last = k == len(dates) - 1
            scores = base + DIALOG_TREND * (k - len(dates) + 1) + rng.normal(
                0, DIALOG_SESSION_SD, 11)
            if last and p.plan.status in (STEPPED_UP, INPATIENT):
                scores[0] -= 1.2
                scores[7] -= 0.5
            scores = np.clip(np.rint(scores), 1, 7).astype(int)
            if last:
                cap = {"homeless": 2, "no_fixed_abode": 2, "at_risk": 3, "temporary": 4}.get(
                    p.housing)
                if cap is not None:
                    scores[3] = min(scores[3], cap)
            wants = rng.random(11) < help_p[scores - 1]
            helped = [i for i in np.argsort(scores, kind="stable").tolist() if wants[i]]
            chosen = tuple(DIALOG_ITEMS[i] for i in helped[:int(rng.integers(1, 4))])
            review = due if last else _months(day, 6)
            if not last:
                review = min(review, dates[k + 1] + int(rng.integers(-14, 30)))
                review = max(review, day + 28)
            plan_id = len(record.care_plans) + 1
            record.care_plans.append(CarePlanRow(
                id=plan_id, person_id=p.pid, episode_id=p.episode, recorded_by_id=p.worker(day),
                recorded_at=_when(day, rng), supersedes_id=previous, co_produced_with=made,
                shared_with=shared, date=_d(day), review_due=_d(review),
                persons_words=" ".join(PERSONS_WORDS[c] for c in chosen[:2]) or CONTENT,
                chosen_domains=chosen,
            ))
            for i, item in enumerate(DIALOG_ITEMS):
                record.dialog_ratings.append(DialogRatingRow(
                    id=len(record.dialog_ratings) + 1, plan_id=plan_id, item=item,
                    score=int(scores[i]), wants_more_help=bool(wants[i]),
                ))
            for order, item in enumerate(chosen, start=1):
                what, who = PLAN_ACTIONS[item]
                record.care_plan_actions.append(CarePlanActionRow(
                    id=len(record.care_plan_actions) + 1, plan_id=plan_id, order=order,
                    domain=item, what=what, who=who,
                ))
            p.care_plan_reviews.append((day, review))
            previous = plan_id


# --- Safety plans and advance choices --------------------------------------------------------


def _safety_and_advance(world: World, record: ClinicalRecord) -> None:
    rng = world.rng(4)
    for p in world.people:
        made, shared = _co_produced(p, rng)
        if p.safety_plan:
            current, due = _current_review(world, p, rng, p.safety_overdue)
            dates = _version_dates(rng, current, max(p.care_start, world.span_start),
                                   (170, 300))[-3:]
            main = next((c for c in p.carers if c.is_main_carer), None)
            team = f"the team on 0161 496 0{100 + p.team.id:03d}"
            who = (f"{main.name} ({main.relationship.lower()}) on {main.phone}; " if main
                   else "") + f"{team}; out of hours NHS 111, option 2 (mental health crisis)."
            previous = None
            for k, day in enumerate(dates):
                last = k == len(dates) - 1
                review = due if last else max(day + 28, min(_months(day, 6), dates[k + 1] + 30))
                row = SafetyPlanRow(
                    id=len(record.safety_plans) + 1, person_id=p.pid, episode_id=p.episode,
                    recorded_by_id=p.worker(day), recorded_at=_when(day, rng),
                    supersedes_id=previous, co_produced_with=made, shared_with=shared,
                    date=_d(day), review_due=_d(review),
                    wants_in_crisis=_one(rng, WANTS_IN_CRISIS),
                    who_to_contact=who[0].upper() + who[1:],
                    what_helps=_one(rng, WHAT_HELPS),
                    what_does_not_help=_one(rng, WHAT_DOES_NOT_HELP),
                )
                record.safety_plans.append(row)
                previous = row.id
        if p.advance:
            lo = max(p.plan.accepted, world.t0 - 4 * 365)
            day = int(rng.integers(lo, world.t0)) if world.t0 > lo else lo
            dates = [day]
            if rng.random() < 0.2 and world.t0 - day > 60:
                dates.append(int(rng.integers(day + 30, world.t0)))
            previous = None
            for day in dates:
                row = AdvanceChoiceRow(
                    id=len(record.advance_choices) + 1, person_id=p.pid, episode_id=p.episode,
                    recorded_by_id=p.worker(day), recorded_at=_when(day, rng),
                    supersedes_id=previous, co_produced_with=made, shared_with=shared,
                    date=_d(day), statements=_one(rng, ADVANCE_STATEMENTS),
                )
                record.advance_choices.append(row)
                previous = row.id


# --- Relapse signatures --------------------------------------------------------------------


def _relapse_signatures(world: World, record: ClinicalRecord) -> None:
    """3-6 early warning signs in the person's words, in the order they usually come; some
    seen in the history and cleared, a few seen recently and not yet cleared."""
    rng = world.rng(5)
    t0 = world.t0
    first_open = True
    for p in world.people:
        if not p.signature:
            continue
        made, shared = _co_produced(p, rng)
        lo = max(p.care_start, world.span_start)
        current = max(p.care_start + int(rng.integers(0, 29)), t0 - int(rng.integers(20, 700)))
        current = min(current, t0 - 1)
        dates = [current]
        if rng.random() < 0.3 and current - 120 >= lo:
            dates.insert(0, int(rng.integers(lo, current - 119)))
        previous = None
        signs: list[WarningSignRow] = []
        for day in dates:
            row = RelapseSignatureRow(
                id=len(record.relapse_signatures) + 1, person_id=p.pid, episode_id=p.episode,
                recorded_by_id=p.worker(day), recorded_at=_when(day, rng),
                supersedes_id=previous, co_produced_with=made, shared_with=shared, date=_d(day),
            )
            record.relapse_signatures.append(row)
            picked = sorted(rng.choice(len(WARNING_SIGNS), size=int(rng.integers(3, 7)),
                                       replace=False).tolist(),
                            key=lambda i: (WARNING_SIGNS[i][2], i))
            signs = []
            for order, i in enumerate(picked, start=1):
                sign = WarningSignRow(id=len(record.warning_signs) + 1, signature_id=row.id,
                                      order=order, sign=WARNING_SIGNS[i][0],
                                      what_to_do=WARNING_SIGNS[i][1])
                record.warning_signs.append(sign)
                signs.append(sign)
            previous = row.id
        p.signs = tuple(s.sign for s in signs)
        seen: list[tuple[int, int | None]] = []
        if p.past_observations:
            for _ in range(1 + int(rng.random() < 0.4)):
                if t0 - 30 > current:
                    a = int(rng.integers(current, t0 - 29))
                    seen.append((a, a + int(rng.integers(3, 21))))
        if p.open_observation:
            # The first one on the demo team was seen yesterday: new since the last handover.
            a = t0 - 1 if first_open and p.team.id == 1 else t0 - int(rng.integers(1, 10))
            first_open = first_open and p.team.id != 1
            seen.append((max(a, current), None))
        for a, cleared in sorted(seen):
            sign = _one(rng, signs)
            who = p.worker(a)
            clear_by = world.consultant_at(p.team.id, cleared) if cleared else None
            record.sign_observations.append(SignObservationRow(
                id=len(record.sign_observations) + 1, person_id=p.pid, episode_id=p.episode,
                recorded_by_id=who, recorded_at=_when(a, rng, 16 * 60, 120), sign_id=sign.id,
                observed_on=_d(a), observed_by_id=who, note=_one(rng, OBSERVATION_NOTES),
                cleared_on=_d(cleared) if cleared else None,
                cleared_by_id=(clear_by or who) if cleared else None,
                clear_note=_one(rng, CLEAR_NOTES) if cleared else "",
            ))


# --- Risk formulation ----------------------------------------------------------------------


def _risk(world: World, record: ClinicalRecord) -> None:
    """A structured narrative, never a score (design rule 6; NICE NG225)."""
    rng = world.rng(6)
    for p in world.people:
        if not p.risk:
            continue
        made, shared = _co_produced(p, rng)
        current, due = _current_review(world, p, rng, p.risk_overdue)
        dates = _version_dates(rng, current, max(p.care_start, world.span_start),
                               (150, 220))[-3:]
        serious = p.two_staff or p.mappa is not None
        history = _one(rng, RISK_HISTORY_TWO_STAFF if serious else RISK_HISTORY)
        triggers, protective = _one(rng, RISK_TRIGGERS), _one(rng, RISK_PROTECTIVE)
        reduces = (TWO_STAFF if p.two_staff else "") + _one(rng, RISK_REDUCES)
        previous = None
        for k, day in enumerate(dates):
            last = k == len(dates) - 1
            review = due if last else max(day + 28, min(_months(day, 6), dates[k + 1] + 30))
            row = RiskFormulationRow(
                id=len(record.risk_formulations) + 1, person_id=p.pid, episode_id=p.episode,
                recorded_by_id=p.worker(day), recorded_at=_when(day, rng),
                supersedes_id=previous, co_produced_with=made, shared_with=shared,
                history=history, triggers=triggers, protective_factors=protective,
                what_reduces_risk=reduces, two_staff_visits=p.two_staff,
                reviewed_on=_d(day), review_due=_d(review),
            )
            record.risk_formulations.append(row)
            previous = row.id


# --- Medication ----------------------------------------------------------------------------


def _medication(world: World, record: ClinicalRecord) -> None:
    """An oral antipsychotic for those not on a depot; other medicines for some; earlier
    antipsychotics stopped on advice (switches); a few stopped against advice."""
    rng = world.rng(7)
    t0 = world.t0
    for p in world.people:
        rows: list[tuple[str, str, str, int, int | None, bool, int | None]] = []
        start = p.plan.accepted
        if not p.on_depot:
            name, doses, _ = _weighted(rng, ORAL_ANTIPSYCHOTICS,
                                       [m[2] for m in ORAL_ANTIPSYCHOTICS])
            dose, frequency, _ = _weighted(rng, doses, [d[2] for d in doses])
            began = min(t0 - 30, start + int(rng.integers(-900, 400)))
            if rng.random() < PAST_SWITCH:
                old = _weighted(rng, ORAL_ANTIPSYCHOTICS, [m[2] for m in ORAL_ANTIPSYCHOTICS])
                if old[0] != name:
                    old_dose, old_freq, _ = old[1][0]
                    rows.append((old[0], old_dose, old_freq, began - int(rng.integers(200, 900)),
                                 began, False, None))
            if (rng.random() < STOPPED_AND_RESTARTED and t0 - began > 90
                    and not p.medication_stopped):
                stop = int(rng.integers(began + 30, t0 - 45))
                again = stop + int(rng.integers(5, 40))
                rows.append((name, dose, frequency, began, stop, True, again))
                began = again
            if p.medication_stopped:
                stop = t0 - int(rng.integers(2, 21))
                began = min(began, stop - 30)
                rows.append((name, dose, frequency, began, stop, True, None))
            else:
                rows.append((name, dose, frequency, began, None, False, None))
        for name, dose, frequency, share in OTHER_MEDICINES:
            if name == "Procyclidine" and p.on_depot:
                share *= 2.5  # for side effects of typical depots
            if rng.random() < share:
                rows.append((name, dose, frequency, min(t0 - 7, start + int(rng.integers(
                    -700, 700))), None, False, None))
        for name, dose, frequency, began, stopped, against, restarted in rows:
            day = max(start, min(began, t0 - 1))
            record.medications.append(MedicationRow(
                id=len(record.medications) + 1, person_id=p.pid, episode_id=p.episode,
                recorded_by_id=p.worker(day), recorded_at=_when(day, rng),
                name=name, dose=dose, frequency=frequency, started=_d(began),
                stopped=_d(stopped) if stopped is not None else None,
                stopped_against_advice=against,
                restarted=_d(restarted) if restarted is not None else None,
            ))


# --- Depots and doses ----------------------------------------------------------------------


def _dose_history(rng, next_due: int, interval: int, floor: int, first_at_floor: bool,
                  ) -> list[tuple[int, str, int]]:
    """A depot's doses as (due, outcome, day given or tried), worked back from when the next
    one is due: a dose given moves the next due date on by the interval from the day it was
    given (as depot_dose_record does), so the dose before was given `interval` days before
    it. Most are given within a few days of being due; a missed or refused dose is given
    2-10 days later. Injections are given on weekdays. With `first_at_floor` the depot
    started at `floor`: its first dose was due and given that day."""
    events: list[tuple[int, str, int]] = []
    given = next_due - interval
    while given >= floor:
        u = rng.random()
        problem = u < DOSE_MISSED + DOSE_REFUSED
        late = int(rng.integers(2, 11)) if problem else int(
            _one(rng, (-2, -1, 0, 0, 0, 0, 1, 1, 2, 3)))
        due = given - late
        before = due - interval
        iso = (before - 1) % 7 + 1
        if iso > 5:  # the dose before was given on the Friday, so this one fell due earlier
            due -= iso - 5
            before -= iso - 5
        if first_at_floor and before < floor:
            events.append((given, GIVEN, given))  # the first dose: due the day it started
            break
        if problem:
            events.append((due, MISSED if u < DOSE_MISSED else REFUSED, due))
        events.append((due, GIVEN, given))
        given = before
    return events


def _depots(world: World, record: ClinicalRecord) -> None:
    """A depot for 45% of the caseload, with its doses over the history window (or since the
    person was accepted); 10% changed depot in the window (the old one stopped, on advice).
    About 9% of depots have a dose problem at today: missed or refused in the last week, or
    overdue past the 7 days' tolerance (with a missed dose, or with nothing recorded)."""
    rng = world.rng(8)
    t0 = world.t0
    for p in world.people:
        if not p.on_depot:
            continue
        medicine, doses, _ = _weighted(rng, DEPOT_MEDICINES, [m[2] for m in DEPOT_MEDICINES])
        dose, interval, _ = _weighted(rng, doses, [d[2] for d in doses])
        problem = p.depot_problem
        if problem in ("missed", "refused"):
            next_due = _weekday_on_or_before(t0 - int(rng.integers(1, 7)))
        elif problem == "overdue_missed":
            next_due = _weekday_on_or_before(t0 - int(rng.integers(9, 31)))
        elif problem == "overdue":
            next_due = _weekday_on_or_before(t0 - int(rng.integers(9, 21)))
        else:
            next_due = t0 + int(rng.integers(0, interval))
            iso = (next_due - 1) % 7 + 1
            next_due += (8 - iso) if iso > 5 else 0
        lo = max(world.window_start, p.plan.accepted)
        switch = None
        if rng.random() < DEPOT_SWITCHED and next_due - 3 * interval > lo + 1:
            switch = _weekday_on_or_before(int(rng.integers(lo + 1, next_due - 3 * interval)))
        events = _dose_history(rng, next_due, interval, switch or lo, switch is not None)
        if problem in ("missed", "refused", "overdue_missed"):
            outcome = REFUSED if problem == "refused" else MISSED
            events.append((next_due, outcome, min(next_due, t0 - 1)))
            if problem == "overdue_missed" and next_due + 4 < t0:
                again = next_due + int(rng.integers(2, 5))
                events.append((next_due, REFUSED if rng.random() < 0.5 else MISSED, again))
        first_dose = min((e[0] for e in events), default=next_due)
        if switch is not None:
            started = min(switch, first_dose)
            others = [m for m in DEPOT_MEDICINES if m[0] != medicine]
            old_medicine, old_doses, _ = _weighted(rng, others, [m[2] for m in others])
            old_dose, old_interval, _ = old_doses[0]
            old_start = started - int(rng.integers(200, 1500))
            old = _add_depot(record, p, rng, old_medicine, old_dose, old_interval, old_start,
                             next_due=started, stopped_on=started)
            old_events = _dose_history(rng, started, old_interval, max(lo, old_start),
                                       old_start >= lo)
            _add_doses(world, record, p, rng, old, old_events)
        else:
            started = min(p.plan.accepted - int(rng.integers(0, 1500)), first_dose)
        depot_id = _add_depot(record, p, rng, medicine, dose, interval, started,
                              next_due=next_due, stopped_on=None)
        _add_doses(world, record, p, rng, depot_id, events)
        p.depot = (medicine, dose, next_due)


def _add_depot(record: ClinicalRecord, p: CasePerson, rng, medicine: str, dose: str,
               interval: int, started: int, *, next_due: int, stopped_on: int | None) -> int:
    on = max(started, p.plan.referral)
    row = DepotRow(
        id=len(record.depots) + 1, person_id=p.pid, episode_id=p.episode,
        recorded_by_id=p.worker(on), recorded_at=_when(on, rng), medicine=medicine,
        dose=dose, interval_days=interval, started_on=_d(started), next_due=_d(next_due),
        tolerance_days=DEPOT_TOLERANCE, active=stopped_on is None,
        stopped_on=_d(stopped_on) if stopped_on is not None else None,
    )
    record.depots.append(row)
    return row.id


def _batch(medicine: str, day: int) -> str:
    """The batch a team's stock of a medicine came from on a day: a new one each quarter,
    shared by everyone given that medicine then (what a recall would find)."""
    d = _d(day)
    initials = "".join(w[0] for w in medicine.split()[:2]).upper()
    return f"{initials}{d.year % 100:02d}{(d.month - 1) // 3 + 1}{len(medicine) * 7 % 100:02d}"


def _add_doses(world: World, record: ClinicalRecord, p: CasePerson, rng, depot_id: int,
               events: list[tuple[int, str, int]]) -> None:
    """Given by a nurse at work that day, in the site after the last one (alternating left
    and right), from that quarter's batch; a missed or refused dose recorded by the worker.
    Site and batch come from the depot and the day, not from `rng`, so the rest of the
    record is the same as before they were recorded."""
    medicine = next(d.medicine for d in reversed(record.depots) if d.id == depot_id)
    pair = (("deltoid_left", "deltoid_right") if medicine in DELTOID_MEDICINES
            and depot_id % 4 == 0 else DOSE_SITE_PAIRS[depot_id % len(DOSE_SITE_PAIRS)])
    given = 0
    for due, outcome, day in sorted(events, key=lambda e: (e[0], e[1] == GIVEN, e[2])):
        site = batch = ""
        if outcome == GIVEN:
            who = world.nurse_at_work(p.team.id, day, p.worker(day), rng)
            note = _one(rng, DOSE_NOTES)
            site, batch = pair[given % 2], _batch(medicine, day)
            given += 1
        else:
            who = p.worker(day)
            note = _one(rng, MISSED_DOSE_NOTES if outcome == MISSED else REFUSED_DOSE_NOTES)
        record.depot_doses.append(DepotDoseRow(
            id=len(record.depot_doses) + 1, person_id=p.pid, episode_id=p.episode,
            recorded_by_id=who, recorded_at=_when(day, rng, 12 * 60, 300), depot_id=depot_id,
            due_on=_d(due), outcome=outcome, given_on=_d(day) if outcome == GIVEN else None,
            given_by_id=who if outcome == GIVEN else None, note=note, site=site, batch=batch,
        ))


# --- Legal status --------------------------------------------------------------------------


def _cto_ends(start: int, until: int) -> list[int]:
    """The expiry dates of a CTO made on `start` and renewed each time: after 6 months, 6
    more, then every 12 (Mental Health Act s.20A), up to the first one after `until`."""
    ends, k = [], 0
    while not ends or ends[-1] <= until:
        ends.append(_months(start, 6) if k == 0 else _months(start, 12 * k))
        k += 1
    return ends


def _legal(world: World, record: ClinicalRecord) -> None:
    """Detentions (this episode's admissions under section 2 or 3, and the section 3 before a
    CTO or Section 117 from before it), CTOs with their expiry and renewal examination,
    Section 117 with its reviews, MAPPA and MARAC."""
    rng = world.rng(9)
    t0 = world.t0

    def add(row_type, p: CasePerson, day: int, **values) -> None:
        rows = {DetentionRow: record.detentions, CTORow: record.ctos,
                Section117Row: record.section117s, MultiAgencyRow: record.multi_agency}[row_type]
        on = min(max(day, p.plan.referral), t0 - 1)
        rows.append(row_type(id=len(rows) + 1, person_id=p.pid, episode_id=p.episode,
                             recorded_by_id=p.worker(on), recorded_at=_when(on, rng), **values))

    for p in world.people:
        for section, a, b in p.detentions:
            add(DetentionRow, p, a, section=section, start=_d(a), end=_d(b))
        if p.detained_now is not None:
            a = next(a for kind, a, b in p.plan.events if b is None)
            if p.detained_now == S2:
                add(DetentionRow, p, a, section=S2, start=_d(a), end=None)
            elif t0 - a > 28 and rng.random() < 0.5:  # assessed under 2, then treated under 3
                add(DetentionRow, p, a, section=S2, start=_d(a), end=_d(a + 27))
                add(DetentionRow, p, a + 28, section=S3, start=_d(a + 28), end=None)
            else:
                add(DetentionRow, p, a, section=S3, start=_d(a), end=None)
        s3_end = p.s3_end
        if p.cto or p.cto_ended:
            s3_end = _cto(world, p, rng, add)
        elif p.s117 and s3_end is None:
            # Detained before this episode: often referred straight from the ward.
            end = p.plan.referral - int(rng.integers(0, 20) if p.plan.source == "inpatient"
                                        else rng.integers(20, 1500))
            start = end - int(rng.integers(40, 200))
            add(DetentionRow, p, p.plan.referral, section=S3, start=_d(start), end=_d(end))
            s3_end = end
        if p.s117 and s3_end is not None:
            _s117(world, p, rng, add, s3_end)
        if p.mappa is not None:
            since = t0 - int(rng.integers(30, 1200))
            add(MultiAgencyRow, p, since, kind=MAPPA, level=p.mappa, active_since=_d(since),
                ended_on=None)
        if p.marac:
            since = t0 - int(rng.integers(14, 400))
            add(MultiAgencyRow, p, since, kind=MARAC, level=None, active_since=_d(since),
                ended_on=None)


def _cto(world: World, p: CasePerson, rng, add) -> int:
    """A CTO and the section 3 it followed; returns the day the person left hospital (when
    Section 117 starts). Made on leaving this episode's last admission, or before the
    referral (people are often referred to the team on a CTO). `cto_soon`: it expires in
    3-27 days; the renewal examination is due 1-3 weeks before expiry. `cto_ended`: a past
    CTO, ended at an expiry without renewal."""
    t0, referral = world.t0, p.plan.referral
    ended_on = renewal = recalled = None
    if p.cto_ended:
        start = referral - int(rng.integers(100, 1500))
        ends = _cto_ends(start, start + 800)
        expiry = ended_on = min(ends[int(rng.integers(0, 3))], t0 - 1)
    elif p.cto_start is not None:
        start = p.cto_start
        expiry = _cto_ends(start, t0)[-1]
    else:
        expiry = t0 + int(rng.integers(3, 28) if p.cto_soon else rng.integers(29, 330))
        start = _months(expiry, -6)
        k = 1
        while start >= referral:
            start = _months(expiry, -12 * k)
            k += 1
        admissions = [a for kind, a, b in p.plan.events if kind == T_ADMITTED]
        if admissions:
            recalled = admissions[-1]  # recalled to hospital from the CTO
        s3_start = start - int(rng.integers(40, 200))
        add(DetentionRow, p, referral, section=S3, start=_d(s3_start), end=_d(start))
    if p.cto_ended:
        add(DetentionRow, p, referral, section=S3, start=_d(start - int(rng.integers(40, 200))),
            end=_d(start))
    if ended_on is None:
        renewal = max(start, expiry - int(rng.integers(7, 22)))
    add(CTORow, p, start, start=_d(start), conditions=_one(rng, CTO_CONDITIONS),
        expiry=_d(expiry), renewal_due=_d(renewal) if renewal is not None else None,
        recalled_on=_d(recalled) if recalled is not None else None,
        ended_on=_d(ended_on) if ended_on is not None else None)
    return start


def _s117(world: World, p: CasePerson, rng, add, eligible_from: int) -> None:
    """Eligible from leaving hospital after a section 3; first reviewed 6 weeks to 6 months
    later, then yearly, each on time; for 5% the review now due is overdue."""
    t0 = world.t0
    last, due = None, eligible_from + int(rng.integers(42, 184))
    while due < t0:
        last, due = due, _months(due, 12)
    if rng.random() < S117_OVERDUE and last is not None:
        last, due = (_months(last, -12) if _months(last, -12) > eligible_from else None), last
    add(Section117Row, p, eligible_from, eligible=True, eligible_from=_d(eligible_from),
        review_due=_d(due), last_reviewed_on=_d(last) if last is not None else None,
        ended_on=None)


# --- Carer contacts ------------------------------------------------------------------------


def _carer_contacts(world: World, record: ClinicalRecord) -> None:
    """About monthly conversations with a carer over the history window, 10% with a concern,
    followed up within a few days; a few concerns raised recently are not yet followed up
    (the first on the demo team yesterday, so it is new at today's handover)."""
    rng = world.rng(10)
    t0 = world.t0
    first_open = True
    for p in world.people:
        if not p.carers:
            continue
        lo = max(world.window_start, p.plan.first_intervention or p.plan.accepted)
        days: list[int] = []
        day = lo + int(rng.exponential(CARER_CONTACT_DAYS))
        while day < t0:
            days.append(day)
            day += 3 + int(rng.exponential(CARER_CONTACT_DAYS - 3))
        open_day = None
        if p.open_concern:
            open_day = t0 - 1 if first_open and p.team.id == 1 else t0 - int(rng.integers(1, 6))
            first_open = first_open and p.team.id != 1
            days = [d for d in days if d != open_day] + [open_day]
        main = next((c for c in p.carers if c.is_main_carer), p.carers[0])
        for day in sorted(days):
            carer = main if len(p.carers) == 1 or rng.random() < 0.8 else _one(rng, p.carers)
            concern = day == open_day or bool(rng.random() < CARER_CONCERN)
            followed = None
            if concern and day != open_day:
                followed = min(day + int(_one(rng, (0, 0, 1, 1, 2, 3))), t0 - 1)
            record.carer_contacts.append(CarerContactRow(
                id=len(record.carer_contacts) + 1, person_id=p.pid, episode_id=p.episode,
                recorded_by_id=p.worker(day), recorded_at=_when(day, rng, 10 * 60, 420),
                carer_id=carer.id, date=_d(day),
                what_they_said=_one(rng, CARER_CONCERNS if concern else CARER_ROUTINE),
                concern=concern, followed_up_on=_d(followed) if followed is not None else None,
                followed_up_by_id=p.worker(followed) if followed is not None else None,
                follow_up_note=_one(rng, FOLLOW_UP_NOTES) if followed is not None else "",
            ))


# --- Physical health -----------------------------------------------------------------------


def _physical_health(world: World, record: ClinicalRecord) -> None:
    """The annual physical health check for people with SMI: about a quarter overdue (more
    than 12 months since the last, or none). Weight and smoking run high on antipsychotics."""
    rng = world.rng(11)
    t0 = world.t0
    for p in world.people:
        u = rng.random()
        start = p.plan.accepted
        if u < PHYSICAL_CHECK_NEVER:
            p.physical_due = t0
            continue
        if u < PHYSICAL_CHECK_NEVER + PHYSICAL_CHECK_OVERDUE and t0 - 380 > start:
            last = t0 - int(rng.integers(380, 600))
        else:
            last = max(start, t0 - int(rng.integers(1, 360)))
        dates = [last]
        day = last
        while True:
            day -= int(rng.integers(340, 400))
            if day < max(start, world.window_start):
                break
            dates.append(day)
        smoking = _weighted(rng, SMOKING, SMOKING_SHARES)
        bmi = float(np.clip(rng.normal(29.5, 5.5), 17, 52))
        systolic = float(rng.normal(128, 14))
        for day in sorted(dates):
            bloods = rng.random() < 0.8
            sys_bp = int(np.clip(systolic + rng.normal(0, 8), 95, 190))
            dia_bp = int(np.clip(sys_bp * 0.63 + rng.normal(0, 6), 55, sys_bp - 20))
            record.physical_health_checks.append(PhysicalHealthCheckRow(
                id=len(record.physical_health_checks) + 1, person_id=p.pid,
                episode_id=p.episode, recorded_by_id=p.worker(day),
                recorded_at=_when(day, rng), date=_d(day),
                bmi=round(float(np.clip(bmi + rng.normal(0, 1), 16, 55)), 1),
                bp_systolic=sys_bp, bp_diastolic=dia_bp,
                glucose_mmol_l=round(float(np.clip(rng.normal(5.4, 1.0), 3.5, 15)), 1)
                if bloods else None,
                hba1c_mmol_mol=float(round(float(np.clip(rng.normal(40, 8), 28, 95))))
                if bloods else None,
                cholesterol_mmol_l=round(float(np.clip(rng.normal(5.1, 1.0), 2.8, 9)), 1)
                if bloods else None,
                smoking_status=smoking,
                alcohol_units_week=float(max(0, round(rng.gamma(1.2, 8)))),
                note=_one(rng, PHYSICAL_NOTES if bloods else PHYSICAL_NOTES[1:2]),
            ))
        p.physical_due = _months(last, 12)


# --- Occupational therapy ------------------------------------------------------------------


def _ot(world: World, record: ClinicalRecord) -> None:
    """OCAIRS to screen for occupational barriers, and MOHOST for a fuller assessment for
    about half of them (000), by the team's OT (or OT technical instructor)."""
    rng = world.rng(12)
    t0 = world.t0
    for p in world.people:
        if not p.ot:
            continue
        lo = max(p.plan.accepted, t0 - 2 * 365)
        if lo >= t0 - 1:
            continue
        day = int(rng.integers(lo, t0))
        assessments = [(OCAIRS, day)]
        if rng.random() < MOHOST_AFTER_OCAIRS and day + 30 < t0:
            assessments.append((MOHOST, min(t0 - 1, day + int(rng.integers(21, 100)))))
        for kind, day in assessments:
            who = world.discipline_at(p.team.id, day, (OT, OT_TECHNICAL_INSTRUCTOR)) \
                or p.worker(day)
            record.ot_assessments.append(OTAssessmentRow(
                id=len(record.ot_assessments) + 1, person_id=p.pid, episode_id=p.episode,
                recorded_by_id=who, recorded_at=_when(day, rng), kind=kind, date=_d(day),
                strengths=_one(rng, OT_STRENGTHS), barriers=_one(rng, OT_BARRIERS),
                goals=_one(rng, OT_GOALS),
                summary=_one(rng, OCAIRS_SUMMARIES if kind == OCAIRS else MOHOST_SUMMARIES),
            ))


def people_on_caseload(plans: list[_Plan], teams: list[TeamRow], carers: list[CarerRow],
                       kw: dict[int, list[tuple[int, int, int]]],
                       covers: list[tuple[int, int, int, int, str]],
                       statuses: frozenset[str] = CASELOAD) -> list[CasePerson]:
    """The people whose episode has one of these statuses (by default the caseload: accepted,
    stepped up, in hospital), with their carers, key workers and cover, in plan order."""
    by_person: dict[int, list[CarerRow]] = {}
    for c in carers:
        by_person.setdefault(c.person_id, []).append(c)
    by_episode: dict[int, list[tuple[int, int, int]]] = {}
    for episode, s, start, end, _ in sorted(covers, key=lambda c: (c[0], c[2])):
        by_episode.setdefault(episode, []).append((start, end, s))
    return [
        CasePerson(plan=p, team=teams[p.team_id - 1], carers=by_person.get(p.person_id, []),
                   kw=kw[p.episode_id], covers=by_episode.get(p.episode_id, []))
        for p in plans if p.status in statuses
    ]
