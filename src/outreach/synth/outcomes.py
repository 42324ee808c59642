"""Synthetic demographics and the history the outcomes need (pure, no Django).

Deterministic from the seed, with its own random stream (so adding it changed nothing else
the generator makes). Distributions, all made up but plausible, documented in
docs/synthetic-data.md:

- Ethnic category (NHS Data Dictionary codes): an assertive outreach caseload in a city,
  where Black people are over-represented against the local population (as in national
  figures for detention and community treatment orders): White 64%, Black 15%, Asian 10%,
  Mixed 6%, Other 3%, not stated or not known 2%. Sex: the generator's (65% men, matching
  the given name).
- Area of residence: an LSOA from the team's block of data/synthetic_lsoa_imd.csv, weighted
  towards deprivation (weight 11 - decile: decile 1 is ten times as likely as decile 10).
- Local population (adults) of each team's area: 2,000 per person the team was sized for,
  by broad ethnic group close to England's 2021 Census shares (White 81%, Asian 9.6%,
  Black 4.2%, Mixed 3.0%, Other 2.2%), varied by team.
- The 2 years before acceptance (entered as history): admissions at 0.7 a person-year, two
  thirds of them in the last year (people are often referred after their worst year), 40
  days median stay, 55% detained; people referred from a ward have a stay ending before
  acceptance; crisis episodes at 1.0 a person-year; police contacts at 0.5 a person-year.
- After acceptance: crisis episodes not seen as step-ups (emergency department, place of
  safety) at 0.15 a person-year; police contacts between acceptance and the start of the
  generated record's window at 0.25 a person-year (the clinical record makes them inside the
  window).
- Employment status (MHSDS codes) at acceptance and once a year after: long-term sick or
  disabled 65%, seeking work 10%, not working 8%, employed 5%, home 5%, voluntary 3%,
  student 2%, retired 2%; each year 8% of those not active become active (work, study or
  volunteering), 30% of those active stop.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

TABLES: tuple[str, ...] = ("hospital_spells", "crisis_episodes", "employment_records",
                           "area_populations", "history_police_contacts")
STREAM = 8_000_008  # mixed with the seed: this module's own random numbers
LONDON = ZoneInfo("Europe/London")
YEAR = 365

ETHNIC_GROUPS = {
    "White": (0.64, {"A": 0.85, "B": 0.03, "C": 0.12}),
    "Black, Black British, Caribbean or African": (0.15, {"M": 0.40, "N": 0.50, "P": 0.10}),
    "Asian or Asian British": (0.10, {"H": 0.30, "J": 0.35, "K": 0.15, "L": 0.20}),
    "Mixed or multiple ethnic groups": (0.06, {"D": 0.40, "E": 0.15, "F": 0.25, "G": 0.20}),
    "Other ethnic group": (0.03, {"R": 0.30, "S": 0.70}),
    "Not stated or not known": (0.02, {"Z": 0.70, "99": 0.30}),
}
POPULATION_SHARES = {
    "White": 0.81, "Asian or Asian British": 0.096,
    "Black, Black British, Caribbean or African": 0.042,
    "Mixed or multiple ethnic groups": 0.030, "Other ethnic group": 0.022,
}
ADULTS_PER_PERSON = 2_000
POPULATION_SOURCE = ("Synthetic: shares near England's 2021 Census, varied by team; "
                     "not real figures")
SEXES = {"1": 0.63, "2": 0.36, "X": 0.01}
ADMISSIONS_BEFORE_PER_YEAR = 0.7
CRISIS_BEFORE_PER_YEAR = 1.0
POLICE_BEFORE_PER_YEAR = 0.5
CRISIS_AFTER_PER_YEAR = 0.15
POLICE_AFTER_PER_YEAR = 0.25
DETAINED_BEFORE = 0.55
CRISIS_KINDS = {"home_treatment": 0.55, "emergency_department": 0.25, "place_of_safety": 0.12,
                "crisis_house": 0.08}
CRISIS_KINDS_AFTER = {"emergency_department": 0.6, "place_of_safety": 0.25,
                      "crisis_house": 0.15}
EMPLOYMENT = {"04": 0.65, "02": 0.10, "06": 0.08, "01": 0.05, "05": 0.05, "07": 0.03,
              "03": 0.02, "08": 0.02}
ACTIVE = ("01", "03", "07")
BECOME_ACTIVE, STOP_ACTIVE = 0.08, 0.30
HOSPITALS = ("Northbrook Hospital, Cedar Ward", "Southfield Unit, Willow Ward",
             "Riverside Centre, Ash Ward", "St Anne's Hospital, Oak Ward")
POLICE_HISTORY = (
    "Police called by family: distressed and shouting at home. No further action.",
    "Arrested for criminal damage; seen by liaison and diversion in custody.",
    "Detained under section 136 in the street and taken to the place of safety.",
    "Stopped by police on a bridge; taken to the emergency department.",
)
LSOA_LOOKUP = Path(__file__).resolve().parent.parent / "outcomes" / "data" / \
    "synthetic_lsoa_imd.csv"


@dataclass(frozen=True, slots=True, kw_only=True)
class HospitalSpellRow:
    id: int
    person_id: int
    episode_id: int | None
    recorded_by_id: int
    recorded_at: datetime
    admitted_on: date
    discharged_on: date | None
    detained: bool
    hospital: str
    version: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class CrisisEpisodeRow:
    id: int
    person_id: int
    episode_id: int | None
    recorded_by_id: int
    recorded_at: datetime
    kind: str
    start: date
    end: date | None
    version: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class EmploymentRecordRow:
    id: int
    person_id: int
    episode_id: int | None
    recorded_by_id: int
    recorded_at: datetime
    assessed_on: date
    status: str
    version: int = 1


@dataclass(frozen=True, slots=True)
class AreaPopulationRow:
    id: int
    team_id: int
    ethnic_group: str
    adults: int
    source: str


@dataclass
class OutcomeTables:
    hospital_spells: list[HospitalSpellRow]
    crisis_episodes: list[CrisisEpisodeRow]
    employment_records: list[EmploymentRecordRow]
    area_populations: list[AreaPopulationRow]
    history_police_contacts: list  # clinical.PoliceContactRow


def _lsoa_blocks() -> dict[int, list[tuple[str, int]]]:
    blocks: dict[int, list[tuple[str, int]]] = {}
    for line in LSOA_LOOKUP.read_text().splitlines()[1:]:
        code, decile = line.split(",")
        blocks.setdefault(int(code[4:6]), []).append((code, int(decile)))
    return blocks


def _pick(rng, shares: dict):
    keys = list(shares)
    p = np.asarray([shares[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _at(d: date, rng) -> datetime:
    return datetime(d.year, d.month, d.day, 10, tzinfo=LONDON) + timedelta(
        minutes=int(rng.integers(0, 420)))


def demographics(rng, people: Sequence, team_of: dict[int, int]) -> list:
    """The people rows with ethnic category, sex and area of residence filled in."""
    blocks = _lsoa_blocks()
    out = []
    for p in people:
        group = _pick(rng, {g: s for g, (s, _) in ETHNIC_GROUPS.items()})
        code = _pick(rng, ETHNIC_GROUPS[group][1])
        block = blocks[(team_of[p.id] - 1) % len(blocks)]
        weights = np.asarray([11 - d for _, d in block], dtype=float)
        lsoa = block[int(rng.choice(len(block), p=weights / weights.sum()))][0]
        sex = p.sex or _pick(rng, SEXES)  # the generator's, which matches the given name
        out.append(replace(p, ethnic_category=code, sex=sex, lsoa_code=lsoa))
    return out


def _poisson_days(rng, rate_per_year: float, start: int, end: int) -> list[int]:
    if end <= start:
        return []
    n = int(rng.poisson(rate_per_year * (end - start) / YEAR))
    return sorted(int(d) for d in rng.integers(start, end, size=n)) if n else []


def generate_outcomes(*, seed: int, today: date, window_start: date, teams: Sequence,
                      team_people: dict[int, int], episodes: Sequence, first_worker: dict,
                      police_rows_so_far: int, police_row_type) -> OutcomeTables:
    """History before acceptance and outcome rows after it, for every accepted episode."""
    rng = np.random.default_rng([seed, STREAM])
    t0 = today.toordinal()
    w0 = window_start.toordinal()
    spells: list[HospitalSpellRow] = []
    crises: list[CrisisEpisodeRow] = []
    jobs: list[EmploymentRecordRow] = []
    police: list = []
    for e in episodes:
        if e.accepted_date is None:
            continue
        staff = first_worker.get(e.id)
        if staff is None:
            continue
        acc = e.accepted_date.toordinal()
        entered = _at(e.accepted_date, rng)
        # Admissions before: the year before acceptance twice as busy as the one before it.
        days = (_poisson_days(rng, ADMISSIONS_BEFORE_PER_YEAR * 2 / 3, acc - 2 * YEAR, acc - YEAR)
                + _poisson_days(rng, ADMISSIONS_BEFORE_PER_YEAR * 4 / 3, acc - YEAR, acc))
        if e.referral_source == "inpatient":
            days.append(e.referral_date.toordinal() - int(rng.integers(10, 60)))
        last_end = acc - 2 * YEAR - 1
        for start in sorted(days):
            start = max(start, last_end + 15)
            length = int(np.clip(rng.lognormal(math.log(40), 0.7), 5, 200))
            end = min(start + length - 1, acc - 1)
            if end < start:
                continue
            spells.append(HospitalSpellRow(
                id=len(spells) + 1, person_id=e.person_id, episode_id=e.id,
                recorded_by_id=staff, recorded_at=entered, admitted_on=date.fromordinal(start),
                discharged_on=date.fromordinal(end),
                detained=bool(rng.random() < DETAINED_BEFORE),
                hospital=HOSPITALS[int(rng.integers(len(HOSPITALS)))]))
            last_end = end
        for d in _poisson_days(rng, CRISIS_BEFORE_PER_YEAR, acc - 2 * YEAR, acc):
            crises.append(CrisisEpisodeRow(
                id=len(crises) + 1, person_id=e.person_id, episode_id=e.id,
                recorded_by_id=staff, recorded_at=entered, kind=_pick(rng, CRISIS_KINDS),
                start=date.fromordinal(d), end=date.fromordinal(d + int(rng.integers(1, 30)))))
        until = e.discharged_date.toordinal() if e.discharged_date else t0 - 1
        for d in _poisson_days(rng, CRISIS_AFTER_PER_YEAR, acc + 1, until):
            crises.append(CrisisEpisodeRow(
                id=len(crises) + 1, person_id=e.person_id, episode_id=e.id,
                recorded_by_id=staff, recorded_at=_at(date.fromordinal(d), rng),
                kind=_pick(rng, CRISIS_KINDS_AFTER), start=date.fromordinal(d),
                end=date.fromordinal(d)))
        police_days = (_poisson_days(rng, POLICE_BEFORE_PER_YEAR, acc - 2 * YEAR, acc)
                       + _poisson_days(rng, POLICE_AFTER_PER_YEAR, acc + 1, min(w0, until)))
        for d in police_days:
            police.append(police_row_type(
                id=police_rows_so_far + len(police) + 1, person_id=e.person_id,
                episode_id=e.id, recorded_by_id=staff,
                recorded_at=entered if d < acc else _at(date.fromordinal(d), rng),
                circumstances_id=None, date=date.fromordinal(d),
                summary=POLICE_HISTORY[int(rng.integers(len(POLICE_HISTORY)))]))
        status = _pick(rng, EMPLOYMENT)
        on = acc + int(rng.integers(3, 21))
        while on < until:
            jobs.append(EmploymentRecordRow(
                id=len(jobs) + 1, person_id=e.person_id, episode_id=e.id, recorded_by_id=staff,
                recorded_at=_at(date.fromordinal(on), rng), assessed_on=date.fromordinal(on),
                status=status))
            if status in ACTIVE:
                if rng.random() < STOP_ACTIVE:
                    status = _pick(rng, {"04": 0.6, "02": 0.4})
            elif rng.random() < BECOME_ACTIVE:
                status = _pick(rng, {"01": 0.4, "07": 0.4, "03": 0.2})
            on += YEAR + int(rng.integers(-20, 21))
    populations = []
    for team in teams:
        adults = ADULTS_PER_PERSON * team_people[team.id]
        shares = {g: s * float(rng.lognormal(0, 0.25)) for g, s in POPULATION_SHARES.items()}
        total = sum(shares.values())
        for g, s in shares.items():
            populations.append(AreaPopulationRow(len(populations) + 1, team.id, g,
                                                 int(round(adults * s / total)),
                                                 POPULATION_SOURCE))
    return OutcomeTables(spells, crises, jobs, populations, police)
