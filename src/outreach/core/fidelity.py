"""Fidelity to the model: (a) the features table of NHS England's guidance (002 chapter 4:
a dedicated function within community mental health services, or a full assertive outreach
model), each feature met, partly met or not met; (b) the Dartmouth Assertive Community
Treatment Scale (DACTS): 28 items rated 1-5, three subscales, a total of 28-140.

Pure rules: what each item and feature is, how a figure taken from the record becomes a score
or a status, and how scores add up. The figures themselves come from governance.selectors.

DACTS anchors and their provenance (../shared/reference/dacts.md): H1-H7 were read in the
Maine administrative code's copy of the scale (14-193 ch.2 app. 193-2-A) and a Georgia DBHDD
fidelity report (2013); every other anchor was recalled from the SAMHSA 2008 DACTS and is
marked `verified=False` until it is checked against the CEBP 5-page scale and protocol. Pages
show the mark. Anchors are paraphrased, not quoted. Scores reflect current behaviour, not plans.

Banding: a figure is rounded to the anchors' precision (`places`) and then placed in the first
band it meets, so "10-36%" is 10 to 36 whole percent and 36.4% (36) scores 2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from outreach.core.suppression import Disclosure

# --- DACTS --------------------------------------------------------------------------------


class Subscale(StrEnum):
    HUMAN_RESOURCES = "H"
    ORGANIZATIONAL_BOUNDARIES = "O"
    NATURE_OF_SERVICES = "S"


SUBSCALE_TITLES = {
    Subscale.HUMAN_RESOURCES: "Human resources: structure and composition",
    Subscale.ORGANIZATIONAL_BOUNDARIES: "Organisational boundaries",
    Subscale.NATURE_OF_SERVICES: "Nature of services",
}

SCORE_RANGE = (1, 5)
ESTABLISHED_MEAN = 4.0  # a mean item score of 4 or more: characteristic of an established team

BAD_SCORE = "A DACTS score is a whole number from 1 to 5"
UNKNOWN_ITEM = "Unknown DACTS item"


@dataclass(frozen=True)
class Bands:
    """Score from a figure: the first (score, bound) the rounded figure meets, else 1.
    higher_is_better: figure >= bound; otherwise figure <= bound."""

    higher_is_better: bool
    cuts: tuple[tuple[int, float], ...]  # (5, b5), (4, b4), (3, b3), (2, b2)
    places: int = 0
    unit: str = ""

    def score(self, value: float) -> int:
        v = round(value, self.places)
        for score, bound in self.cuts:
            if (v >= bound) if self.higher_is_better else (v <= bound):
                return score
        return 1


@dataclass(frozen=True)
class DactsItem:
    code: str
    subscale: Subscale
    name: str
    criterion: str
    anchors: tuple[str, str, str, str, str]  # what scores 1, 2, 3, 4, 5
    verified: bool  # anchors read in a published copy (True) or recalled (False)
    # The figure from the record that scores the item (governance.selectors computes it), and
    # its bands; None: the assessor rates the item, with evidence.
    figure: str | None = None
    bands: Bands | None = None
    data_note: str = ""  # what the record shows towards an item the assessor rates

    @property
    def computed(self) -> bool:
        return self.figure is not None


def _b(higher: bool, b5: float, b4: float, b3: float, b2: float, places: int = 0,
       unit: str = "") -> Bands:
    return Bands(higher, ((5, b5), (4, b4), (3, b3), (2, b2)), places, unit)


H = Subscale.HUMAN_RESOURCES
O = Subscale.ORGANIZATIONAL_BOUNDARIES  # noqa: E741 - the scale's own letters
S = Subscale.NATURE_OF_SERVICES

DACTS: tuple[DactsItem, ...] = (
    DactsItem("H1", H, "Small caseload", "Client to provider ratio of about 10:1",
              ("50 or more clients per team member", "35-49", "21-34", "11-20",
               "10 or fewer clients per team member"), True,
              "clients_per_fte", _b(False, 10, 20, 34, 49, unit=" clients per FTE")),
    DactsItem("H2", H, "Team approach",
              "The team, not individual workers, knows and works with every client",
              ("Under 10% of clients see more than one worker face to face in 2 weeks",
               "10-36%", "37-63%", "64-89%",
               "90% or more see more than one worker face to face in 2 weeks"), True,
              "seen_by_more_than_one_pct", _b(True, 90, 64, 37, 10, unit="%")),
    DactsItem("H3", H, "Program meeting", "The team meets often to plan and review each client",
              ("Service planning for each client about monthly or less",
               "At least twice a month, less than weekly",
               "At least weekly, less than twice a week",
               "At least twice a week, less than 4 days a week",
               "Meets at least 4 days a week and reviews each client each time"), True,
              "meetings_per_week", _b(True, 4, 2, 1, 0.5, places=1, unit=" meeting days a week")),
    DactsItem("H4", H, "Practising team leader", "The team leader provides direct services",
              ("No direct services", "Direct services rarely, as backup",
               "Routinely as backup, or under 25% of the time", "25-50% of the time",
               "At least 50% of the time"), True,
              data_note="team_leader_contacts"),
    DactsItem("H5", H, "Continuity of staffing", "Keeps the same staff over time",
              ("Over 80% turnover in 2 years", "60-80%", "40-59%", "20-39%",
               "Under 20% turnover in 2 years"), True,
              "turnover_2y_pct", _b(False, 19, 39, 59, 80, unit="% in 2 years")),
    DactsItem("H6", H, "Staff capacity", "Operates at full staffing",
              ("Under 50% of full staffing in the past 12 months", "50-64%", "65-79%",
               "80-94%", "95% or more of full staffing in the past 12 months"), True,
              data_note="staff_in_post"),
    DactsItem("H7", H, "Psychiatrist on staff", "At least 1 full-time psychiatrist per 100 "
              "clients", ("Under 0.10 FTE per 100 clients", "0.10-0.39", "0.40-0.69",
                          "0.70-0.99", "1.0 FTE or more per 100 clients"), True,
              "psychiatrist_fte_per_100", _b(True, 1.0, 0.7, 0.4, 0.1, places=2,
                                             unit=" FTE per 100")),
    DactsItem("H8", H, "Nurse on staff", "At least 2 full-time nurses per 100 clients",
              ("Under 0.20 FTE per 100 clients", "0.20-0.79", "0.80-1.39", "1.40-1.99",
               "2.0 FTE or more per 100 clients"), False,
              "nurse_fte_per_100", _b(True, 2.0, 1.4, 0.8, 0.2, places=2, unit=" FTE per 100")),
    DactsItem("H9", H, "Substance abuse specialist on staff",
              "At least 2 FTE with a year's substance use training per 100 clients",
              ("Under 0.20 FTE per 100 clients", "0.20-0.79", "0.80-1.39", "1.40-1.99",
               "2.0 FTE or more per 100 clients"), False,
              data_note="no_discipline"),
    DactsItem("H10", H, "Vocational specialist on staff",
              "At least 2 FTE with vocational rehabilitation training per 100 clients",
              ("Under 0.20 FTE per 100 clients", "0.20-0.79", "0.80-1.39", "1.40-1.99",
               "2.0 FTE or more per 100 clients"), False,
              data_note="ot_fte"),
    DactsItem("H11", H, "Program size", "Large enough to give staffing diversity and cover",
              ("Under 2.5 FTE", "2.5-4.9 FTE", "5.0-7.4 FTE", "7.5-9.9 FTE", "10 FTE or more"),
              False, "total_fte", _b(True, 10, 7.5, 5.0, 2.5, places=1, unit=" FTE")),
    DactsItem("O1", O, "Explicit admission criteria",
              "A clearly defined group, admitted on explicit criteria",
              ("No set criteria; takes all referrals",
               "A defined mission, but admissions follow organisational convenience",
               "Seeks a defined group but accepts most referrals",
               "Actively screens; occasionally bows to pressure",
               "Actively recruits a defined group; all admissions meet explicit criteria"),
              False, data_note="criteria_recorded"),
    DactsItem("O2", O, "Intake rate", "Takes clients in at a low rate to keep services stable",
              ("Highest monthly intake in the last 6 months 15 or more", "13-14", "10-12",
               "7-9", "6 or fewer a month"), False,
              "highest_monthly_intake", _b(False, 6, 9, 12, 14, unit=" a month")),
    DactsItem("O3", O, "Full responsibility for treatment services",
              "The team provides psychiatric care, counselling or psychotherapy, housing "
              "support, substance use treatment and employment or rehabilitation itself",
              ("Case management only", "One of the five", "Two of the five",
               "Three or four of the five", "All five provided by the team"), False,
              data_note="disciplines"),
    DactsItem("O4", O, "Responsibility for crisis services", "24-hour cover for crises",
              ("No responsibility out of hours",
               "An emergency service has a protocol written by the team",
               "The team is available by phone, in a consulting role",
               "The team is called and decides whether to be involved directly",
               "The team provides 24-hour cover itself"), False,
              data_note="hours"),
    DactsItem("O5", O, "Responsibility for hospital admissions",
              "The team is involved in its clients' admissions",
              ("Under 5% of admissions involve the team", "5-34%", "35-64%", "65-94%",
               "95% or more involve the team"), False,
              data_note="admissions"),
    DactsItem("O6", O, "Responsibility for hospital discharge planning",
              "The team plans its clients' discharges from hospital",
              ("Under 5% of discharges planned with the team", "5-34%", "35-64%", "65-94%",
               "95% or more planned with the team"), False,
              data_note="hospital_discharges"),
    DactsItem("O7", O, "Time-unlimited services", "Closes cases rarely; services are open-ended",
              ("Over 90% expected to graduate in a year", "38-90%", "18-37%", "5-17%",
               "Under 5% expected to graduate in a year"), False,
              "graduated_pct", _b(False, 4, 17, 37, 90, unit="% a year")),
    DactsItem("S1", S, "Community-based services",
              "Face-to-face work mostly in the community, not the office",
              ("Under 20% of face-to-face contacts in the community", "20-39%", "40-64%",
               "65-79%", "80% or more in the community"), False,
              "community_pct", _b(True, 80, 65, 40, 20, unit="% in the community")),
    DactsItem("S2", S, "No drop-out policy", "Keeps clients engaged rather than closing them",
              ("Under 50% of the caseload retained over 12 months", "50-64%", "65-79%",
               "80-94%", "95% or more retained over 12 months"), False,
              "retained_pct", _b(True, 95, 80, 65, 50, unit="% retained")),
    DactsItem("S3", S, "Assertive engagement mechanisms",
              "Street outreach and legal mechanisms used to keep clients engaged",
              ("Passive: almost never uses outreach or legal mechanisms",
               "Makes initial attempts; works mainly with motivated clients",
               "Uses outreach or legal mechanisms only when convenient",
               "Usually has a plan for engagement and uses most mechanisms",
               "Consistently thought-out strategies, outreach and legal mechanisms whenever "
               "appropriate"), False, data_note="engagement"),
    DactsItem("S4", S, "Intensity of service", "Face-to-face time with each client",
              ("Under 15 minutes a week per client", "15-49 minutes", "50-84 minutes",
               "85-119 minutes", "2 hours or more a week per client"), False,
              "minutes_per_week", _b(True, 120, 85, 50, 15, unit=" minutes a week")),
    DactsItem("S5", S, "Frequency of contact", "Face-to-face contacts with each client",
              ("Under 1 a week per client", "1-2 a week", "2-3 a week", "3-4 a week",
               "4 or more a week per client"), False,
              "contacts_per_week", _b(True, 4, 3, 2, 1, places=1, unit=" a week")),
    DactsItem("S6", S, "Work with informal support system",
              "Contacts with family, landlords and employers, with or without the client",
              ("Under 0.5 a month per client", "0.5-1 a month", "1-2 a month",
               "2-3 a month", "4 or more a month per client"), False,
              "support_contacts_per_month", _b(True, 4, 2, 1, 0.5, places=1, unit=" a month")),
    DactsItem("S7", S, "Individualised substance abuse treatment",
              "Direct substance use treatment by team staff",
              ("None by the team", "Variably addressed, no formal treatment",
               "Integrated into contacts, no formal treatment",
               "Some formal treatment, under 24 minutes a week",
               "Formal treatment averaging 24 minutes a week or more"), False,
              data_note="substance_use"),
    DactsItem("S8", S, "Co-occurring disorder treatment groups",
              "Groups for clients with substance use problems",
              ("Under 5% of those clients attend a group a month", "5-19%", "20-34%",
               "35-49%", "50% or more attend at least one group a month"), False,
              data_note="substance_use"),
    DactsItem("S9", S, "Dual disorders model",
              "A stage-wise, non-confrontational approach to substance use",
              ("Fully traditional: confrontation, mandated abstinence",
               "Mostly traditional", "Mixed", "Mostly the dual disorders model",
               "Fully the dual disorders model, delivered by team staff"), False,
              data_note="reviewer"),
    DactsItem("S10", S, "Role of consumers on team",
              "People with lived experience employed on the team",
              ("None", "Consumer-specific roles (for example self-help)",
               "Part-time case management roles with reduced responsibilities",
               "Full-time case management roles with reduced responsibilities",
               "Employed full-time as clinicians with full professional status"), False,
              data_note="peer_workers"),
)

DACTS_BY_CODE: dict[str, DactsItem] = {i.code: i for i in DACTS}


def score_item(code: str, value: float) -> int:
    """The score of a computed item from its figure."""
    item = DACTS_BY_CODE.get(code)
    if item is None:
        raise ValueError(f"{UNKNOWN_ITEM}: {code}")
    if item.bands is None:
        raise ValueError(f"{code} is rated by the assessor, not computed")
    return item.bands.score(value)


@dataclass(frozen=True)
class DactsScore:
    """Subscale means, total and mean item score of a set of item scores."""

    scores: Mapping[str, int]

    def __post_init__(self) -> None:
        for code, score in self.scores.items():
            if code not in DACTS_BY_CODE:
                raise ValueError(f"{UNKNOWN_ITEM}: {code}")
            if type(score) is not int or not SCORE_RANGE[0] <= score <= SCORE_RANGE[1]:
                raise ValueError(f"{BAD_SCORE} ({code})")

    @property
    def complete(self) -> bool:
        return len(self.scores) == len(DACTS)

    def subscale_items(self, subscale: Subscale) -> list[int]:
        return [self.scores[i.code] for i in DACTS if i.subscale == subscale
                and i.code in self.scores]

    def subscale_mean(self, subscale: Subscale) -> float | None:
        items = self.subscale_items(subscale)
        return sum(items) / len(items) if items else None

    @property
    def total(self) -> int | None:
        """28-140, only when every item is rated."""
        return sum(self.scores.values()) if self.complete else None

    @property
    def mean(self) -> float | None:
        return sum(self.scores.values()) / len(self.scores) if self.scores else None

    @property
    def established(self) -> bool | None:
        """A mean item score of 4 or more is characteristic of an established ACT team."""
        return None if not self.complete else self.mean >= ESTABLISHED_MEAN  # type: ignore


# --- The features table (002 chapter 4) ---------------------------------------------------


class Column(StrEnum):
    """The table's two columns, named as the teams' service types."""

    DEDICATED_FUNCTION = "dedicated_function"
    FULL_AO = "full_ao"


COLUMN_TITLES = {
    Column.DEDICATED_FUNCTION: "Dedicated function within CMH services",
    Column.FULL_AO: "Full assertive outreach model",
}


class Status(StrEnum):
    MET = "met"
    PARTLY = "partly_met"
    NOT_MET = "not_met"


STATUS_LABELS = {Status.MET: "Met", Status.PARTLY: "Partly met", Status.NOT_MET: "Not met"}


@dataclass(frozen=True)
class Feature:
    key: str
    title: str
    dedicated_function: tuple[str, ...]
    full_ao: tuple[str, ...]
    checks: tuple[str, ...]  # keys of CHECKS that give evidence from the data

    def criteria(self, column: Column) -> tuple[str, ...]:
        return self.full_ao if column == Column.FULL_AO else self.dedicated_function


FEATURES: tuple[Feature, ...] = (
    Feature(
        "dedicated_staff", "Access to dedicated and qualified staff",
        ("Staff have dedicated, protected time to respond immediately, including dedicated "
         "psychiatrist time and dedicated registered mental health nursing staff",
         "Access to CMH MDT expertise: occupational therapy, psychology, social work, "
         "housing, substance use",
         "High skill in engagement and relationship building; assertive engagement practised",
         "Extensive understanding of psychosis, its treatments, harm minimisation, risk "
         "management and statutory frameworks",
         "Sufficient time in job plans; access to interpreters"),
        ("Team approach: the entire MDT has a live knowledge of each person's treatment, care "
         "plan, progress and risks",
         "Dedicated psychiatrist time and dedicated registered mental health nursing time",
         "Team structure facilitates at least daily handovers and at least weekly MDT reviews",
         "A discrete team of at least 10 staff, not \u201cintegrated\u201d into other teams",
         "Not \u201cbrokering out\u201d: in-house psychology, occupational therapy, social "
         "work, substance use worker, housing support",
         "Assertive engagement practised; sufficient time in job plans; access to "
         "interpreters"),
        ("psychiatrist_time", "nursing_time", "daily_handover", "weekly_mdt", "team_size",
         "in_house_disciplines"),
    ),
    Feature(
        "extended_hours", "Extended hours operation",
        ("The 24/7 crisis line is aware of people on the caseload needing intensive and "
         "assertive support",
         "Staff are available by telephone to support a crisis response out of hours"),
        ("The service operates extended hours, including weekends",),
        ("crisis_line", "extended_hours"),
    ),
    Feature(
        "time_unlimited", "Time unlimited",
        ("Did not attend (DNA) is never a reason for discharge",
         "Staff keep engaging proactively when engagement is difficult",
         "A discharge from core services has a clear record of the decision on the record"),
        ("People are actively monitored and supported as their needs change",
         "Care is time-unlimited: a \u201cno drop-out\u201d policy",
         "A discharge plan with clear arrangements to re-enter the service, developed and "
         "shared with other agencies"),
        ("dna_not_discharge", "discharge_records"),
    ),
    Feature(
        "small_caseload", "Small caseload",
        ("Caseloads allow sufficient intensive and assertive care",),
        ("Caseloads allow sufficient intensive and assertive care (staff:client ratio at most "
         "1:12, from the assertive outreach model)",),
        ("staff_ratio", "practitioner_caseloads"),
    ),
    Feature(
        "stepping_up_down", "Manages stepping up and down of care",
        ("Harm minimisation and risk management: continuity, comprehensive history, "
         "individual formulations, family engagement",
         "Can step care up to crisis, acute, forensic and rehabilitation services",
         "Friends and family are engaged to decide whether care needs stepping up or down"),
        ("Takes responsibility for crisis presentations, admissions, in-reach and discharges "
         "from hospital",
         "Manages step-down to core community services with the CMH MDT"),
        ("family_engagement",),
    ),
    Feature(
        "identification", "Identification of individuals in need of intensive community "
        "treatment",
        ("A clear pathway within integrated CMH services identifies people in need",
         "An integrated rehabilitation pathway gives advice and consultation",
         "Friends and family are engaged to find the right pathway"),
        ("A dedicated team with explicit inclusion criteria for people with psychosis at high "
         "risk of relapse who are not engaged with other services",
         "Alternative pathways exist, including mental health rehabilitation"),
        ("inclusion_criteria",),
    ),
    Feature(
        "assertive_engagement", "Assertive engagement of individuals",
        ("A combination of setting-based work and community outreach",
         "Appointment reminders by means that suit the person, not only letters or texts",
         "Friends and family engaged and their views taken into account",
         "Peer support workers support engagement"),
        ("Predominantly community-based outreach; appointments away from traditional "
         "settings, such as a public space or the person's home",
         "Friends and family engaged and their views taken into account",
         "Peer support workers support engagement"),
        ("community_based", "family_engagement", "peer_support"),
    ),
    Feature(
        "sharing_information", "Collating and sharing information",
        ("Assessments and care plans (including safety plans) co-produced, documented, "
         "accessible and shared on transfer, in line with the Caldicott principles",
         "Homelessness and unstable accommodation routinely assessed on transfer"),
        ("Assessments and care plans (including safety plans and advance choice documents) "
         "co-produced, documented, accessible and shared on transfer",
         "Homelessness and unstable accommodation routinely assessed on transfer"),
        ("co_produced_plans",),
    ),
    Feature(
        "care_safety_planning", "Care and safety planning",
        ("A formulation approach based on the person's history",
         "Legal frameworks (Section 117, CTOs) used as needed",
         "Friends and family engaged",
         "The full range of evidence-based interventions, not medication alone"),
        ("Daily planning meetings and weekly MDT reviews",
         "Legal frameworks (Section 117, CTOs) used as needed",
         "Assessments by appropriately trained, highly skilled professionals",
         "The full range of evidence-based interventions, not medication alone"),
        ("risk_formulations", "daily_handover", "weekly_mdt"),
    ),
    Feature(
        "safety_harm", "Safety/harm management",
        ("Key workers know the person's early warning signs of relapse and what to do",
         "Stopping medication against advice, and disengagement, specifically monitored",
         "MARAC and MAPPA used as appropriate; regular activities of daily living assessments"),
        ("The whole team knows the early warning signs of relapse and what to do",
         "Stopping medication against advice, and disengagement, specifically monitored",
         "MARAC and MAPPA used as appropriate"),
        ("relapse_signatures",),
    ),
    Feature(
        "coordination", "Coordination of care",
        ("An experienced, competent key worker is in place",
         "Meaningful interventions and co-produced care plans",
         "Continuity: the key worker supports step ups and downs",
         "Seamless cover when the key worker is on leave, sick or leaves"),
        ("The key worker regularly engages with the person and their family and friends",
         "Active input from other agencies: social care, housing, public health, criminal "
         "justice, VCSE",
         "Meaningful interventions and co-produced care plans",
         "Seamless cover when the key worker is on leave, sick or leaves"),
        ("key_workers", "continuity"),
    ),
)

FEATURES_BY_KEY: dict[str, Feature] = {f.key: f for f in FEATURES}


@dataclass(frozen=True)
class Check:
    title: str
    columns: frozenset[Column]  # which columns of the table the check is evidence for


BOTH = frozenset(Column)
FULL = frozenset({Column.FULL_AO})

CHECKS: dict[str, Check] = {
    "psychiatrist_time": Check("Dedicated psychiatrist time on the team", BOTH),
    "nursing_time": Check("Dedicated registered mental health nursing time on the team", BOTH),
    "daily_handover": Check("Handover held every day the team is open (last 4 weeks)", FULL),
    "weekly_mdt": Check("MDT review held every week (last 4 weeks)", FULL),
    "team_size": Check("A discrete team of at least 10 staff", FULL),
    "in_house_disciplines": Check("In-house psychology, occupational therapy and social work",
                                  BOTH),
    "crisis_line": Check("The 24/7 crisis line can see the caseload and crisis plans", BOTH),
    "extended_hours": Check("Open at weekends, with contacts out of hours and at weekends",
                            FULL),
    "dna_not_discharge": Check("No discharge for non-engagement (last 12 months)", BOTH),
    "discharge_records": Check("Every discharge has a decision record with the route back in, "
                               "shared beyond the person (last 12 months)", BOTH),
    "staff_ratio": Check("Staff:client ratio within 1:12", BOTH),
    "practitioner_caseloads": Check("No practitioner over 12 people", BOTH),
    "family_engagement": Check("Carers or family contacted in the last 90 days, where there "
                               "is one", BOTH),
    "inclusion_criteria": Check("People accepted in the last 12 months meet the chapter 2 "
                                "criteria (psychosis and another need) as recorded", BOTH),
    "community_based": Check("Face-to-face contacts mostly in the community (last 4 weeks)",
                             BOTH),
    "peer_support": Check("A peer support worker on the team", BOTH),
    "co_produced_plans": Check("Current care plans record who co-produced them", BOTH),
    "risk_formulations": Check("Risk formulations in date", BOTH),
    "relapse_signatures": Check("Relapse signatures with early warning signs recorded", BOTH),
    "key_workers": Check("Every person on the caseload has a named key worker", BOTH),
    "continuity": Check("Contacts by the key worker or a worker the person knows "
                        "(last 4 weeks)", BOTH),
}


@dataclass(frozen=True)
class CheckResult:
    key: str
    status: Status
    evidence: str

    @property
    def title(self) -> str:
        return CHECKS[self.key].title


def status_from_share(share: float | None, *, met: float, partly: float) -> Status:
    """A percentage against thresholds: met at or above `met`, partly at or above `partly`.
    Nothing to measure (None) is not met: a team cannot show what it has no record of."""
    if share is None:
        return Status.NOT_MET
    if share >= met:
        return Status.MET
    return Status.PARTLY if share >= partly else Status.NOT_MET


def combine(results: tuple[CheckResult, ...] | list[CheckResult]) -> Status | None:
    """A feature's status from its data checks: met when all are met, not met when none is
    met or partly met, partly otherwise; None when there is no data check (assessor only)."""
    if not results:
        return None
    statuses = {r.status for r in results}
    if statuses == {Status.MET}:
        return Status.MET
    if statuses == {Status.NOT_MET}:
        return Status.NOT_MET
    return Status.PARTLY


def checks_for(feature: Feature, column: Column) -> tuple[str, ...]:
    return tuple(k for k in feature.checks if column in CHECKS[k].columns)


# --- From the record's figures to evidence ------------------------------------------------
#
# `figures` is what governance.selectors.fidelity_figures returns for one team: counts of
# staff, people, contacts and events over stated periods. Counts of people go through the
# audience's Disclosure, so a commissioner's evidence suppresses small numbers as figures do.


def _pct(n: float, of: float) -> float | None:
    return 100 * n / of if of else None


def _f(figures: Mapping[str, Any], name: str) -> float:
    return float(figures.get(name) or 0)


def _share_text(d: Disclosure, n: float, of: float, what: str) -> str:
    return f"{d.count(int(n)).text} of {d.count(int(of)).text} {what} " \
           f"({d.percentage(int(n), int(of)).text})"


def evaluate_checks(figures: Mapping[str, Any], d: Disclosure) -> dict[str, CheckResult]:
    """Every data check of the features table, with its evidence in words."""
    f = figures
    out: dict[str, CheckResult] = {}

    def put(key: str, status: Status, evidence: str) -> None:
        out[key] = CheckResult(key, status, evidence)

    psych, nurse = _f(f, "psychiatrist_fte"), _f(f, "nurse_fte")
    put("psychiatrist_time", Status.MET if psych > 0 else Status.NOT_MET,
        f"Psychiatrist time in post: {psych:.1f} FTE." if psych else
        "No psychiatrist in post on the team.")
    put("nursing_time", Status.MET if nurse > 0 else Status.NOT_MET,
        f"Nursing time in post: {nurse:.1f} FTE." if nurse else "No nurse in post on the team.")
    open_days, handovers = _f(f, "open_days_28"), _f(f, "handover_days_28")
    put("daily_handover", status_from_share(_pct(handovers, open_days), met=90, partly=50),
        f"Handovers held on {handovers:.0f} of the {open_days:.0f} days the team was open in "
        "the last 4 weeks.")
    weeks = _f(f, "mdt_weeks_4")
    put("weekly_mdt", Status.MET if weeks >= 4 else Status.PARTLY if weeks >= 2
        else Status.NOT_MET, f"MDT reviews held in {weeks:.0f} of the last 4 weeks.")
    headcount = _f(f, "headcount")
    put("team_size", Status.MET if headcount >= 10 else Status.NOT_MET,
        f"{headcount:.0f} clinical staff in post ({_f(f, 'total_fte'):.1f} FTE).")
    disciplines = set(f.get("disciplines") or ())
    in_house = [label for key, label in IN_HOUSE if key in disciplines]
    missing = [label for key, label in IN_HOUSE if key not in disciplines]
    put("in_house_disciplines",
        Status.MET if not missing else Status.PARTLY if in_house else Status.NOT_MET,
        (f"In house: {', '.join(in_house) or 'none of them'}"
         + (f"; not in post: {', '.join(missing)}" if missing else "")
         + ". Substance use workers and housing support are not recorded as disciplines: the "
           "assessor confirms them."))
    lines = _f(f, "crisis_line_accounts")
    put("crisis_line", Status.MET if lines else Status.NOT_MET,
        "The 24/7 crisis line has access to the caseload's crisis summaries." if lines else
        "No crisis line account serves this team: the 24/7 crisis line cannot see the "
        "caseload or crisis plans in outreach.")
    weekend, ooh = _f(f, "weekend_num"), _f(f, "ooh_num")
    signs = [bool(f.get("weekend_open")), weekend > 0, ooh > 0]
    put("extended_hours",
        Status.MET if all(signs) else Status.PARTLY if any(signs) else Status.NOT_MET,
        f"Open at weekends: {'yes' if f.get('weekend_open') else 'no'}. In the last 4 weeks, "
        f"{d.count(int(weekend)).text} contacts at weekends and {d.count(int(ooh)).text} on "
        "weekday evenings or early mornings.")
    discharged, refused = _f(f, "non_engagement_12m"), _f(f, "refused_12m")
    put("dna_not_discharge",
        Status.NOT_MET if discharged else Status.PARTLY if refused else Status.MET,
        f"Discharges of people not engaged in the last 12 months: "
        f"{d.count(int(discharged)).text}; attempts refused by the system: "
        f"{d.count(int(refused)).text}.")
    done, ok = _f(f, "discharged_12m"), _f(f, "discharge_records_ok_12m")
    put("discharge_records",
        status_from_share(_pct(ok, done), met=100, partly=80) if done else Status.MET,
        _share_text(d, ok, done, "discharges in the last 12 months had a decision record "
                                 "with the route back in, shared beyond the person")
        if done else "No discharges in the last 12 months.")
    people, fte = _f(f, "people"), _f(f, "caseload_fte")
    ratio = people / fte if fte else None
    put("staff_ratio",
        Status.NOT_MET if ratio is None and people else
        Status.MET if ratio is None or ratio <= 12 else
        Status.PARTLY if ratio <= 15 else Status.NOT_MET,
        (f"{d.statistic(ratio, int(people), places=1).text} people per FTE "
         f"({d.count(int(people)).text} people, {fte:.1f} FTE of practitioners and "
         "consultants)") if fte else "No practitioner or consultant time in post.")
    over, practitioners = _f(f, "practitioners_over"), _f(f, "practitioners")
    put("practitioner_caseloads", Status.MET if not over else Status.NOT_MET,
        f"{over:.0f} of {practitioners:.0f} practitioners are key worker for more than 12 "
        "people.")
    carers, contacted = _f(f, "people_with_carer"), _f(f, "carer_contacted_90")
    put("family_engagement", status_from_share(_pct(contacted, carers), met=80, partly=50)
        if carers else Status.PARTLY,
        _share_text(d, contacted, carers, "people with a carer or family member recorded had "
                                          "contact with them in the last 90 days")
        if carers else "No carers or family members recorded for anyone on the caseload.")
    accepted, with_criteria = _f(f, "accepted_12m"), _f(f, "accepted_with_criteria_12m")
    put("inclusion_criteria",
        status_from_share(_pct(with_criteria, accepted), met=100, partly=80)
        if accepted else Status.MET,
        _share_text(d, with_criteria, accepted, "people accepted in the last 12 months have "
                                                "psychosis and another criterion recorded")
        if accepted else "Nobody accepted in the last 12 months.")
    community, successful = _f(f, "community"), _f(f, "successful")
    put("community_based", status_from_share(_pct(community, successful), met=80, partly=40),
        _share_text(d, community, successful, "face-to-face contacts in the last 4 weeks "
                                              "were in the community (not the team base or "
                                              "a ward)"))
    peers = _f(f, "peer_support")
    put("peer_support", Status.MET if peers else Status.NOT_MET,
        f"{peers:.0f} peer support worker(s) in post." if peers else
        "No peer support worker in post.")
    plans, co_produced = _f(f, "care_plans"), _f(f, "care_plans_co_produced")
    put("co_produced_plans", status_from_share(_pct(co_produced, plans), met=90, partly=50),
        _share_text(d, co_produced, plans, "current care plans record who co-produced them"))
    risk, risk_of = _f(f, "risk_ok"), _f(f, "risk_of")
    put("risk_formulations", status_from_share(_pct(risk, risk_of), met=90, partly=70),
        _share_text(d, risk, risk_of, "people on the caseload have a risk formulation in "
                                      "date"))
    signs_ok, signs_of = _f(f, "signatures_ok"), _f(f, "signatures_of")
    put("relapse_signatures", status_from_share(_pct(signs_ok, signs_of), met=90, partly=70),
        _share_text(d, signs_ok, signs_of, "people have a crisis plan and a relapse signature "
                                           "with early warning signs"))
    without = _f(f, "without_key_worker")
    put("key_workers", Status.MET if not without else Status.NOT_MET,
        "Everyone on the caseload has a named key worker." if not without else
        f"{d.count(int(without)).text} people on the caseload have no current key worker.")
    known, known_of = _f(f, "known_num"), _f(f, "known_den")
    put("continuity", status_from_share(_pct(known, known_of), met=80, partly=60),
        _share_text(d, known, known_of, "face-to-face contacts in the last 4 weeks were by "
                                        "the key worker or a worker the person knew"))
    return out


IN_HOUSE = (("psychologist", "psychology"), ("ot", "occupational therapy"),
            ("social_worker", "social work"))


def dacts_values(figures: Mapping[str, Any]) -> dict[str, float | None]:
    """The figure behind each computed DACTS item (None: nothing to compute it from)."""
    f = figures
    people = _f(f, "people")
    weeks = 4.0

    def per(n: float, of: float) -> float | None:
        return n / of if of else None

    return {
        "clients_per_fte": per(people, _f(f, "fte_excluding_psychiatrists")),
        "seen_by_more_than_one_pct": _pct(_f(f, "seen_by_more_than_one"), people),
        "meetings_per_week": _f(f, "meeting_days_28") / weeks,
        "turnover_2y_pct": _pct(_f(f, "leavers_2y"), _f(f, "headcount")),
        "psychiatrist_fte_per_100": per(100 * _f(f, "psychiatrist_fte"), people),
        "nurse_fte_per_100": per(100 * _f(f, "nurse_fte"), people),
        "total_fte": _f(f, "total_fte"),
        "highest_monthly_intake": _f(f, "intake_max_6m"),
        "graduated_pct": _pct(_f(f, "graduated_12m"), _f(f, "caseload_year_ago")),
        "community_pct": _pct(_f(f, "community"), _f(f, "successful")),
        "retained_pct": (100 - _pct(_f(f, "dropped_out_12m"), _f(f, "caseload_year_ago"))
                         if _f(f, "caseload_year_ago") else None),
        "minutes_per_week": per(_f(f, "minutes"), people * weeks),
        "contacts_per_week": per(_f(f, "seen_contacts_28"),
                                 _f(f, "people_throughout_28") * weeks),
        "support_contacts_per_month": per(_f(f, "support_contact") * 30.4 / 28, people),
    }


def dacts_evidence(item: DactsItem, figures: Mapping[str, Any], d: Disclosure) -> str:
    """What the record says towards an item, in words, for the assessor."""
    f = figures
    people = d.count(int(_f(f, "people"))).text
    texts = {
        "clients_per_fte": f"{people} people on the caseload; "
                           f"{_f(f, 'fte_excluding_psychiatrists'):.1f} FTE of clinical staff "
                           "other than psychiatrists.",
        "seen_by_more_than_one_pct": f"{d.count(int(_f(f, 'seen_by_more_than_one'))).text} of "
                                     f"{people} people seen face to face by more than one "
                                     "worker in the last 14 days.",
        "meetings_per_week": f"Handovers or MDTs held on {_f(f, 'meeting_days_28'):.0f} days "
                             "in the last 4 weeks (the record shows meetings, not whether "
                             "each person was reviewed).",
        "turnover_2y_pct": f"{_f(f, 'leavers_2y'):.0f} staff left in the last 2 years; "
                           f"{_f(f, 'headcount'):.0f} in post now.",
        "psychiatrist_fte_per_100": f"Psychiatrist {_f(f, 'psychiatrist_fte'):.1f} FTE for "
                                    f"{people} people.",
        "nurse_fte_per_100": f"Nurses {_f(f, 'nurse_fte'):.1f} FTE for {people} people.",
        "total_fte": f"{_f(f, 'total_fte'):.1f} FTE of clinical staff in post.",
        "highest_monthly_intake": "Highest number accepted in one calendar month of the last "
                                  f"6: {d.count(int(_f(f, 'intake_max_6m'))).text}.",
        "graduated_pct": f"{d.count(int(_f(f, 'graduated_12m'))).text} of the "
                         f"{d.count(int(_f(f, 'caseload_year_ago'))).text} people on the "
                         "caseload a year ago stepped down to core services since.",
        "community_pct": f"{d.count(int(_f(f, 'community'))).text} of "
                         f"{d.count(int(_f(f, 'successful'))).text} face-to-face contacts in "
                         "the last 4 weeks were away from the team base and wards.",
        "retained_pct": f"{d.count(int(_f(f, 'dropped_out_12m'))).text} of the "
                        f"{d.count(int(_f(f, 'caseload_year_ago'))).text} people on the "
                        "caseload a year ago were discharged for non-engagement since.",
        "minutes_per_week": f"{_f(f, 'minutes'):,.0f} minutes of face-to-face contact in the "
                            f"last 4 weeks for {people} people "
                            f"({d.count(int(_f(f, 'timed'))).text} contacts with a duration "
                            "recorded).",
        "contacts_per_week": f"{d.count(int(_f(f, 'seen_contacts_28'))).text} face-to-face "
                             "contacts in the last 4 weeks for the "
                             f"{d.count(int(_f(f, 'people_throughout_28'))).text} people on the "
                             "caseload throughout.",
        "support_contacts_per_month": f"{d.count(int(_f(f, 'support_contact'))).text} "
                                      "contacts with carers or family in the last 4 weeks for "
                                      f"{people} people.",
        # Items the assessor rates.
        "team_leader_contacts": f"The team manager made "
                                f"{d.count(int(_f(f, 'leader_contacts_28'))).text} of the "
                                f"team's {d.count(int(_f(f, 'contacts_attended_28'))).text} "
                                "attended contacts in the last 4 weeks.",
        "staff_in_post": f"{_f(f, 'headcount'):.0f} clinical staff in post "
                         f"({_f(f, 'total_fte'):.1f} FTE). The record has no establishment "
                         "(funded posts), so capacity is for the assessor.",
        "no_discipline": "The record has no substance use specialist discipline: rate from the "
                         "roster and job plans.",
        "ot_fte": f"Occupational therapy {_f(f, 'ot_fte'):.1f} FTE in post; the record has no "
                  "vocational specialist discipline.",
        "criteria_recorded": f"{d.count(int(_f(f, 'accepted_with_criteria_12m'))).text} of "
                             f"{d.count(int(_f(f, 'accepted_12m'))).text} people accepted in "
                             "the last 12 months have psychosis and another chapter 2 "
                             "criterion recorded.",
        "disciplines": "Disciplines in post: "
                       f"{', '.join(sorted(set(f.get('disciplines') or ()))) or 'none'}.",
        "hours": f"Open at weekends: {'yes' if f.get('weekend_open') else 'no'}; 24/7 crisis "
                 f"line accounts serving the team: {_f(f, 'crisis_line_accounts'):.0f}.",
        "admissions": f"{d.count(int(_f(f, 'admitted_12m'))).text} admissions in the last 12 "
                      "months; the record does not say whether the team was involved.",
        "hospital_discharges": f"{d.count(int(_f(f, 'left_hospital_12m'))).text} discharges "
                               "from hospital in the last 12 months.",
        "engagement": "The record does not code outreach strategies or legal mechanisms as "
                      "such: rate from engagement plans and case review.",
        "substance_use": "The record does not code substance use treatment or groups.",
        "reviewer": "A reviewer's judgement.",
        "peer_workers": f"{_f(f, 'peer_support'):.0f} peer support worker(s) in post.",
    }
    key = item.figure or item.data_note
    return texts.get(key, "")
