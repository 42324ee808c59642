"""Equality (PCREF): governance figures and outcomes broken down by ethnic group, age band,
sex and deprivation, and the PCREF report of a team or the trust.

The governance breakdown reuses the governance unit queries (one row per unit: an episode on
the caseload, a referral, a contact...) for the headline period, and sums them by the group
of the person each unit belongs to: the same definitions as the dashboard, so a breakdown
adds up to the dashboard figure. Measures about staff (caseloads, the staff ratio) are not
about people on the caseload and have no breakdown.

Everything here is aggregate. For commissioners, small groups are suppressed, with
secondary suppression (core.equality), and nobody is ever listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from outreach.clinical.models import CommunityTreatmentOrder, MHADetention
from outreach.core import equality as eq
from outreach.core.experience import FFT_POSITIVE, Respondent
from outreach.core.measures import HEADLINE, MEASURES, Kind, Measure, Tally, nearest_rank, windows
from outreach.core.outcomes import Outcome
from outreach.core.suppression import Disclosure, Shown
from outreach.experience.models import Feedback
from outreach.governance import presenters
from outreach.governance.selectors import as_date, families_for, fetch_rows, units_sql
from outreach.outcomes.areas import imd_decile
from outreach.outcomes.models import AreaPopulation
from outreach.outcomes.selectors import PersonFacts, team_facts
from outreach.records.models import Episode, Person

NOT_ABOUT_PEOPLE = "About staff, not the people on the caseload: no breakdown."
RESTRICTIVE_PRACTICE = (
    "No data. The record holds no restrictive practice (physical restraint, seclusion, "
    "rapid tranquillisation): these are recorded by the inpatient wards, in their own "
    "systems. This report shows nothing rather than an estimate; link the wards' data to "
    "report it."
)
EXPERIENCE_NOTE = (
    "From the experience survey: each person's latest named answer to the Friends and Family "
    "Test question in the period, counted once per person. Feedback given anonymously or by "
    "carers has no ethnic group behind it and is not in these figures ({anonymous} such "
    "answers in the period); see the team's experience results for all of it."
)
NO_POPULATION = (
    "No local population figures are recorded for this area, so rates against the local "
    "population cannot be shown."
)
PER = 100_000
PERIOD_DAYS = 365


def demographics(person_ids: Sequence[int]) -> dict[int, eq.Demographics]:
    rows = Person.objects.filter(pk__in=list(person_ids)).values_list(
        "pk", "date_of_birth", "ethnic_category", "sex", "lsoa_code")
    return {pk: eq.Demographics(born, ethnic, sex, imd_decile(lsoa))
            for pk, born, ethnic, sex, lsoa in rows}


# --- Governance figures by group -----------------------------------------------------------


@dataclass(frozen=True)
class GroupFigure:
    group: str
    value: Shown
    numerator: Shown | None
    denominator: Shown
    low: float | None  # 95% interval (shares only), per cent
    high: float | None
    suppressed: bool


@dataclass(frozen=True)
class MeasureBreakdown:
    measure: Measure
    period: str
    groups: list[GroupFigure]
    note: str = ""


class _Units:
    """Unit rows fetched once per family and period, and people's demographics once each:
    most measures share their family's query (about a dozen queries instead of forty)."""

    def __init__(self, team_ids: Sequence[int], as_of: date, params: Mapping):
        self.team_ids, self.as_of, self.params = list(team_ids), as_of, params
        self.rows: dict[tuple, list[dict]] = {}
        self.people: dict[int, eq.Demographics] = {}

    def fetch(self, family, ws) -> list[dict]:
        key = (family.key, tuple(ws))
        if key not in self.rows:
            sql, sql_params = units_sql(family, self.team_ids, ws, self.params, self.as_of)
            rows = [r for r in fetch_rows(sql, sql_params) if r["k"] == HEADLINE]
            new = sorted({r["person_id"] for r in rows} - self.people.keys())
            self.people.update(demographics(new))
            self.rows[key] = rows
        return self.rows[key]


def _tallies(measure: Measure, units: _Units, *, by: eq.By
             ) -> tuple[dict[str, Tally], dict[str, int]] | None:
    """Each group's tally, and the number of people behind it (a figure counted in contacts
    can come from very few people)."""
    families = families_for(measure.key)
    if not families or families[0].key == "staff":
        return None
    family = families[0]
    as_of = units.as_of
    ws = windows(measure, as_of, units.params, trend=False)
    rows = units.fetch(family, ws)
    people = units.people
    out: dict[str, Tally] = {g: Tally(days=ws[-1].days) for g in eq.group_order(by)}
    behind: dict[str, set] = {g: set() for g in out}
    num_col, den_col = family.columns[measure.key]
    for r in rows:
        d = people.get(r["person_id"])
        group = d.group(by, as_of) if d else eq.NOT_KNOWN
        t = out[group]
        counted = (r[num_col] or r[den_col]) if family.key != "waits" else True
        if counted:
            behind[group].add(r["person_id"])
        if family.key == "waits":
            done, waiting = ("w1", "waiting1") if num_col == "w1" else ("w2", "waiting2")
            if r[done]:
                t.values.append((as_date(r["reached"]) - as_date(r["since"])).days)
                t.denominator += 1
            elif r[waiting]:
                t.still_waiting += 1
            continue
        t.numerator += int(r[num_col] or 0)
        t.denominator += int(r[den_col] or 0)
    return out, {g: len(p) for g, p in behind.items()}


def measure_breakdowns(team_ids: Sequence[int], *, by: eq.By, as_of: date, params: Mapping,
                       disclosure: Disclosure) -> list[MeasureBreakdown]:
    out = []
    units = _Units(team_ids, as_of, params)
    for m in MEASURES:
        period = windows(m, as_of, params, trend=False)[-1].label
        found = _tallies(m, units, by=by)
        if found is None:
            out.append(MeasureBreakdown(m, period, [], NOT_ABOUT_PEOPLE))
            continue
        tallies, people = found
        sizes = {g: (len(t.values) if m.kind == Kind.WAIT else t.denominator)
                 for g, t in tallies.items()}
        # Hidden when the units or the people behind them are few.
        hidden = eq.hidden_groups({g: min(sizes[g], people[g]) for g in sizes}, disclosure)
        groups = []
        for g, t in tallies.items():
            if g in hidden:
                symbol = disclosure.count(0)
                groups.append(GroupFigure(g, symbol, None, symbol, None, None, True))
                continue
            value = presenters.shown_value(m, t, disclosure)
            low = high = None
            if m.kind == Kind.SHARE and not value.suppressed and t.denominator:
                low, high = (100 * x for x in eq.wilson(t.numerator, t.denominator))
            numerator = (disclosure.count(t.numerator)
                         if m.kind in (Kind.SHARE, Kind.COUNT, Kind.RATE) else None)
            groups.append(GroupFigure(g, value, numerator, disclosure.count(sizes[g]), low,
                                      high, value.suppressed))
        out.append(MeasureBreakdown(m, period, groups))
    return out


# --- Outcomes by group -------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeGroup:
    group: str
    people: Shown  # included in the comparison
    left_out: Shown
    means: dict[str, tuple[Shown, Shown, str]]  # outcome -> (mean before, after, change CI)
    suppressed: bool


def outcome_breakdown(all_facts: Sequence[PersonFacts], *, by: eq.By, as_of: date, years: int,
                      disclosure: Disclosure) -> list[OutcomeGroup]:
    """The mirror image for one horizon, by group: people included, people left out, and per
    outcome the mean per person before and after with the mean change and its 95% interval."""
    from outreach.core.outcomes import mirror_image, summarise

    images: dict[str, list] = {g: [] for g in eq.group_order(by)}
    for f in all_facts:
        images[f.demographics.group(by, as_of)].append(
            mirror_image(f.history(), as_of=as_of, years=years))
    summaries = {g: summarise(ms, years) for g, ms in images.items()}
    hidden = eq.hidden_groups({g: s.included for g, s in summaries.items()}, disclosure)
    lefts = {g: sum(s.left_out.values()) for g, s in summaries.items()}
    hidden_left = eq.hidden_groups(lefts, disclosure)
    out = []
    for g, s in summaries.items():
        symbol = disclosure.count(0)
        left = symbol if g in hidden_left else disclosure.count(lefts[g])
        if g in hidden:
            out.append(OutcomeGroup(g, symbol, left, {}, True))
            continue
        means = {}
        for o in s.outcomes:
            before = disclosure.statistic(o.mean_before, o.people, places=1)
            after = disclosure.statistic(o.mean_after, o.people, places=1)
            ci = "" if o.change is None else (
                f"{o.change[0]:+.1f} (95% CI {o.change[1]:+.1f} to {o.change[2]:+.1f})")
            means[o.outcome.value] = (before, after, ci)
        out.append(OutcomeGroup(g, disclosure.count(s.included), left, means, False))
    return out


# --- The PCREF report ----------------------------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    title: str
    cells: list[eq.RateCell]
    note: str = ""


@dataclass(frozen=True)
class ShareRow:
    title: str
    cells: list[eq.Cell]
    note: str = ""


@dataclass(frozen=True)
class WaitCell:
    group: str
    median: Shown
    people: Shown


@dataclass(frozen=True)
class Pcref:
    as_of: date
    start: date
    population_source: str
    population: dict[str, int]
    has_population: bool
    access_rates: list[RateRow]
    acceptance: ShareRow
    waits: list[WaitCell]
    mha: list[RateRow]
    mha_shares: list[ShareRow]
    restrictive_practice: str
    outcomes: list[OutcomeGroup]
    outcome_years: int
    experience: ShareRow


def _population(team_ids: Sequence[int]) -> tuple[dict[str, int], str]:
    pop = dict.fromkeys(eq.group_order(eq.By.ETHNICITY), 0)
    sources = set()
    for g, n, src in AreaPopulation.objects.filter(team_id__in=team_ids).values_list(
            "ethnic_group", "adults", "source"):
        pop[g] = pop.get(g, 0) + n
        sources.add(src)
    return pop, "; ".join(sorted(sources))


def pcref(team_ids: Sequence[int], *, as_of: date, disclosure: Disclosure,
          outcome_years: int = 1) -> Pcref:
    """Access, use of the Mental Health Act and CTOs, restrictive practice, outcomes and
    experience by ethnic group, against the local population, over the last 12 months."""
    by = eq.By.ETHNICITY
    start = as_of - timedelta(days=PERIOD_DAYS - 1)
    pop, source = _population(team_ids)
    has_pop = sum(pop.values()) > 0
    groups = eq.group_order(by)
    episodes = list(Episode.objects.filter(team_id__in=team_ids).values(
        "id", "person_id", "referral_date", "assessment_date", "accepted_date", "status",
        "discharged_date"))
    people = demographics(sorted({e["person_id"] for e in episodes}))

    def group_of(pid: int) -> str:
        d = people.get(pid)
        return d.group(by, as_of) if d else eq.NOT_KNOWN

    referred = defaultdict(set)
    accepted = defaultdict(set)
    decided = defaultdict(set)
    on_caseload = defaultdict(set)
    waits: dict[str, list[int]] = defaultdict(list)
    for e in episodes:
        g = group_of(e["person_id"])
        if start <= e["referral_date"] <= as_of:
            referred[g].add(e["person_id"])
            if e["accepted_date"] is not None or e["status"] == "not_accepted":
                decided[g].add(e["person_id"])
            if e["accepted_date"] is not None:
                accepted[g].add(e["person_id"])
            if e["assessment_date"] is not None:
                waits[g].append((e["assessment_date"] - e["referral_date"]).days)
        if (e["accepted_date"] is not None and e["accepted_date"] <= as_of
                and (e["discharged_date"] is None or e["discharged_date"] > as_of)):
            on_caseload[g].add(e["person_id"])
    caseload_ids = {p for s in on_caseload.values() for p in s}
    detained = defaultdict(set)
    for pid in MHADetention.objects.filter(
            person_id__in=caseload_ids, start__gte=start, start__lte=as_of).values_list(
            "person_id", flat=True):
        detained[group_of(pid)].add(pid)
    cto = defaultdict(set)
    for pid in CommunityTreatmentOrder.objects.filter(
            person_id__in=caseload_ids, start__lte=as_of).exclude(
            ended_on__lte=as_of).values_list("person_id", flat=True):
        cto[group_of(pid)].add(pid)

    def rates(title: str, counts: Mapping[str, set], note: str = "") -> RateRow:
        return RateRow(title, eq.rate_breakdown(
            {g: (len(counts.get(g, ())), float(pop.get(g, 0))) for g in groups}, disclosure,
            per=PER, places=1), note)

    def shares(title: str, num: Mapping[str, set], den: Mapping[str, set],
               note: str = "") -> ShareRow:
        return ShareRow(title, eq.share_breakdown(
            {g: (len(num.get(g, set()) & den.get(g, set())), len(den.get(g, ()))) for g in groups},
            disclosure), note)

    hidden_waits = eq.hidden_groups({g: len(waits.get(g, [])) for g in groups}, disclosure)
    wait_cells = []
    for g in groups:
        values = waits.get(g, [])
        if g in hidden_waits:
            symbol = disclosure.count(0)
            wait_cells.append(WaitCell(g, symbol, symbol))
        else:
            wait_cells.append(WaitCell(g, disclosure.statistic(
                nearest_rank(values, 50), len(values), unit=" days"),
                disclosure.count(len(values))))
    facts = team_facts(team_ids, as_of=as_of, full=False)
    return Pcref(
        as_of=as_of, start=start, population_source=source, population=pop,
        has_population=has_pop,
        access_rates=[
            rates("People referred, per 100,000 adults", referred),
            rates("People on the caseload, per 100,000 adults", on_caseload),
        ],
        acceptance=shares("Referrals accepted (of those decided)", accepted, decided),
        waits=wait_cells,
        mha=[
            rates("People on the caseload detained under the Mental Health Act, per 100,000 "
                  "adults", detained),
            rates("People on a community treatment order, per 100,000 adults", cto),
        ],
        mha_shares=[
            shares("Share of the caseload detained in the period", detained, on_caseload),
            shares("Share of the caseload on a community treatment order", cto, on_caseload),
        ],
        restrictive_practice=RESTRICTIVE_PRACTICE,
        outcomes=outcome_breakdown(facts, by=by, as_of=as_of, years=outcome_years,
                                   disclosure=disclosure),
        outcome_years=outcome_years,
        experience=_experience(team_ids, start, as_of, group_of, groups, disclosure),
    )


def _experience(team_ids: Sequence[int], start: date, as_of: date, group_of, groups,
                disclosure: Disclosure) -> ShareRow:
    """FFT % positive by ethnic group: each person's latest named answer in the period."""
    feedback = Feedback.objects.filter(team_id__in=team_ids, month__gte=start.replace(day=1),
                                       month__lte=as_of).exclude(fft="")
    latest: dict[int, str] = {}
    for pid, fft in (feedback.filter(person__isnull=False, respondent=Respondent.PERSON)
                     .order_by("month", "given_on").values_list("person_id", "fft")):
        latest[pid] = fft
    answered, positive = defaultdict(set), defaultdict(set)
    for pid, fft in latest.items():
        answered[group_of(pid)].add(pid)
        if fft in FFT_POSITIVE:
            positive[group_of(pid)].add(pid)
    unnamed = feedback.filter(Q(person__isnull=True) | ~Q(respondent=Respondent.PERSON)).count()
    return ShareRow(
        "People who rated the service good or very good (Friends and Family Test)",
        eq.share_breakdown({g: (len(positive[g]), len(answered[g])) for g in groups},
                           disclosure),
        EXPERIENCE_NOTE.format(anonymous=disclosure.count(unnamed).text))


OUTCOME_KEYS = [o.value for o in Outcome]
