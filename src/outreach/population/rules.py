"""Cohort rules: who in the population needs intensive and assertive community care.

The criteria of NHS England's guidance to ICBs (2024, chapter 2) made operational over
MHSDS-shaped tables, written once as Ibis expressions, so the same rules run on DuckDB (one
machine) and on Spark (a cluster). Each rule is a named *reason* with a plain-English
description; reasons group into *criteria*; a person is in the cohort when the required
criteria are met and enough of the others are. Every threshold is in `CohortConfig`.

Inputs: `tables`, a mapping of MHSDS table name to an Ibis table with the columns of
`schema.TABLES` (optional tables may be absent), and the area lookup `schema.IMD_LOOKUP`
(absent: every deprivation decile is not known). Outputs (`person_reasons`, `by_locality`,
`by_group`) are Ibis expressions; nothing is executed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

import ibis
import ibis.expr.types as ir

from outreach.core.equality import (
    AGE_BANDS,
    ETHNIC_CATEGORIES,
    NOT_KNOWN,
    SEXES,
    By,
    imd_group,
)
from outreach.population.schema import IMD_LOOKUP

# --- code groups (mhsds.md) --------------------------------------------------------------

PSYCHOSIS_ICD10 = tuple(f"F{i}" for i in range(20, 30))  # F20-F29
BIPOLAR_ICD10 = ("F30", "F31")
SUBSTANCE_ICD10 = tuple(f"F{i}" for i in range(10, 20))  # F10-F19
PSYCHOSIS_REFERRAL_REASONS = ("01", "02")  # (suspected) first episode; ongoing/recurrent
BIPOLAR_REFERRAL_REASON = "03"
SUBSTANCE_REFERRAL_REASON = "09"
EIP_TEAM = "A14"
SUBSTANCE_TEAMS = ("D01",)
DNA = ("3", "7")  # did not attend; arrived late and not seen
ATTENDED = ("5", "6")
DIRECT_MECHANISMS = ("01", "02", "04", "11")  # NHSE Der_DirectContact
DETENTION = (
    "02", "03", "07", "08", "09", "10", "12", "13", "14", "15", "16", "17", "18", "31", "32",
    "37", "38",
)
PLACE_OF_SAFETY = ("19", "20")  # s135, s136: police powers
PART_3 = ("07", "08", "09", "10", "12", "13", "14", "15", "16", "17", "18", "31", "36", "37",
          "38")
EMERGENCY_ADMISSION = ("21", "2A", "22", "23", "24", "25", "2B", "2D")
JUSTICE_REFERRAL_SOURCES = ("E1", "E2", "E3", "E4", "E5", "E6")
JUSTICE_TEAMS = ("D02", "D03", "C07")
JUSTICE_ADMISSION_SOURCES = ("37", "39", "40", "42")
HOUSING_REFERRAL_SOURCE = "C3"
ROUGH_SLEEPING_TEAM = "D08"
SOCIAL_SERVICES_REFERRAL_SOURCE = "C1"
EMPLOYMENT_NEED = ("02", "06")  # unemployed and seeking work; not working, no benefits

# Which caseload a person is on at the period end: the first that applies.
CASELOADS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ao", "Assertive outreach", ("A08",)),
    ("forensic", "Forensic", ("B01", "B02")),
    ("crisis", "Crisis and home treatment",
     ("A02", "A03", "A04", "A19", "A20", "A21", "A22", "A23", "A24", "A25")),
    ("eip", "Early intervention in psychosis", ("A14",)),
    ("cmht", "Community mental health team",
     ("A05", "A06", "A07", "A09", "A10", "A12", "A13", "A16", "F06")),
    ("other", "Another mental health team", ()),
)
NO_CASELOAD = "none"
CASELOAD_LABELS = {k: label for k, label, _ in CASELOADS} | {NO_CASELOAD: "None"}


@dataclass(frozen=True)
class Reason:
    name: str
    criterion: str
    label: str


@dataclass(frozen=True)
class Criterion:
    name: str
    label: str


CRITERIA: tuple[Criterion, ...] = (
    Criterion("psychosis", "Presenting with psychosis"),
    Criterion("disengagement", "Struggles to use routine care (disengagement)"),
    Criterion("relapse_harm", "Relapse with serious harms"),
    Criterion("social_needs", "Social needs"),
    Criterion("substance_use", "Co-occurring substance use"),
    Criterion("criminal_justice", "Police or criminal justice contact"),
)
CRITERION_NAMES = tuple(c.name for c in CRITERIA)

REASONS: tuple[Reason, ...] = (
    Reason("psychosis_diagnosis", "psychosis", "Diagnosis of psychosis (ICD-10 F20-F29)"),
    Reason("psychosis_referral", "psychosis",
           "Referred for first-episode or ongoing psychosis (reason 01/02)"),
    Reason("eip_referral", "psychosis", "Referred to early intervention in psychosis (A14)"),
    Reason("repeated_dna", "disengagement",
           "Repeated did-not-attend (3 or more, a quarter or more of contacts) in a year"),
    Reason("long_gap", "disengagement", "A long gap without an attended contact while open"),
    Reason("dna_discharge_rereferral", "disengagement",
           "Discharged after non-attendance, then re-referred"),
    Reason("detention", "relapse_harm", "Detained under the Mental Health Act"),
    Reason("crisis_admission", "relapse_harm", "Emergency or crisis admission"),
    Reason("cto", "relapse_harm", "On a community treatment order"),
    Reason("housing_need", "social_needs", "Not settled in accommodation or homeless"),
    Reason("employment_need", "social_needs", "Unemployed, or not working without benefits"),
    Reason("social_care_need", "social_needs", "Referred by social services"),
    Reason("substance_diagnosis", "substance_use", "Substance use diagnosis (F10-F19)"),
    Reason("substance_referral", "substance_use",
           "Referred for drug and alcohol difficulties or to a substance misuse team"),
    Reason("substance_inpatient", "substance_use", "Substance misuse recorded in hospital"),
    Reason("justice_referral", "criminal_justice",
           "Referred by police, courts, probation, prison or liaison and diversion"),
    Reason("police_powers", "criminal_justice", "Section 135/136 or a court/prison section"),
    Reason("justice_team", "criminal_justice", "Referred to a criminal justice team"),
    Reason("police_assistance", "criminal_justice", "Police assistance requested in hospital"),
)
REASON_NAMES = tuple(r.name for r in REASONS)
REASON_LABELS = {r.name: r.label for r in REASONS}

UNKNOWN_SETTING = "Unknown cohort setting"
BAD_REQUIRED = "required must name criteria among: " + ", ".join(CRITERION_NAMES)
BAD_NUMBER = "{name} must be a whole number of at least {low}"
BAD_SHARE = "multiplier_low and multiplier_high must be shares between 0 and 1, low <= high"


@dataclass(frozen=True)
class CohortConfig:
    """The thresholds of the rules. Defaults are ours, chosen with the guidance's words and
    documented in docs/population.md; every one can be changed."""

    period_end: date = date(2025, 3, 31)
    # A person is in the cohort when every required criterion is met and at least
    # `min_other` of the remaining ones are.
    required: tuple[str, ...] = ("psychosis", "disengagement")
    min_other: int = 1
    # Disengagement.
    engagement_window_days: int = 365
    dna_min: int = 3
    # ... and at least this percentage of the attended-or-missed contacts in the window.
    dna_percent: int = 25
    gap_days: int = 84
    pre_discharge_days: int = 90
    rereferral_days: int = 365
    # Relapse with serious harms, police and substance use: look back this far.
    harm_window_days: int = 730
    # Social needs: look back this far; this many kinds of need (housing, employment,
    # social care) make the criterion.
    social_window_days: int = 365
    min_social_needs: int = 1
    # The multiplier estimate (003): a share of the SMI cohort known to secondary care,
    # counted as people with psychosis or bipolar disorder open in this window.
    smi_window_days: int = 365
    multiplier_low: float = 0.10
    multiplier_high: float = 0.15

    def __post_init__(self) -> None:
        if not self.required or any(r not in CRITERION_NAMES for r in self.required):
            raise ValueError(BAD_REQUIRED)
        for f in fields(self):
            if f.type != "int":
                continue
            low = 0 if f.name == "min_other" else 1
            v = getattr(self, f.name)
            if type(v) is not int or v < low:
                raise ValueError(BAD_NUMBER.format(name=f.name, low=low))
        if not 0 <= self.multiplier_low <= self.multiplier_high <= 1:
            raise ValueError(BAD_SHARE)

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any]) -> CohortConfig:
        unknown = set(d) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"{UNKNOWN_SETTING}: {', '.join(sorted(unknown))}")
        d = dict(d)
        if isinstance(d.get("period_end"), str):
            d["period_end"] = date.fromisoformat(d["period_end"])
        if "required" in d:
            d["required"] = tuple(d["required"])
        return replace(cls(), **d)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["period_end"] = self.period_end.isoformat()
        d["required"] = list(self.required)
        return d

    def since(self, days: int) -> date:
        """The first day of a window of `days` days ending on the period end."""
        return self.period_end - timedelta(days=days - 1)


@dataclass
class _Ctx:
    t: Mapping[str, ir.Table]
    cfg: CohortConfig
    end: Any = field(init=False)

    def __post_init__(self) -> None:
        self.end = ibis.date(self.cfg.period_end)

    def table(self, name: str) -> ir.Table | None:
        return self.t.get(name)

    def since(self, days: int):
        return ibis.date(self.cfg.since(days))

    def between(self, col, days: int):
        return (col >= self.since(days)) & (col <= self.end)


def _people(t: ir.Table, reason: str) -> ir.Table:
    return t.select(Person_ID=t.Person_ID, reason=ibis.literal(reason))


def _diagnoses(c: _Ctx) -> ir.Table:
    """Primary and secondary diagnoses as (Person_ID, code3, day): ICD-10 only, dot removed,
    first three characters."""
    parts = []
    for name, col in (("MHS604PrimDiag", "PrimDiag"), ("MHS605SecDiag", "SecDiag")):
        t = c.table(name)
        if t is None:
            continue
        code = t[col].upper().replace(".", "").strip()
        t = t.filter(t.DiagSchemeInUse.isnull() | (t.DiagSchemeInUse == "02"))
        parts.append(t.select(Person_ID=t.Person_ID, code3=code.substr(0, 3),
                              day=t.CodedDiagTimestamp))
    out = parts[0]
    for p in parts[1:]:
        out = out.union(p)
    return out.filter(out.day.isnull() | (out.day <= c.end))


def _referrals_with_team(c: _Ctx) -> ir.Table:
    r = c.t["MHS101Referral"]
    s = c.t["MHS102ServiceTypeReferredTo"]
    s = s.select(UniqServReqID=s.UniqServReqID, team=s.ServTeamTypeRefToMH,
                 rejected=s.ReferRejectionDate, closed=s.ReferClosureDate)
    return r.join(s, "UniqServReqID", how="left")


def _reason_rows(c: _Ctx) -> list[ir.Table]:
    cfg = c.cfg
    out: list[ir.Table] = []
    ref = c.t["MHS101Referral"]
    ref = ref.filter(ref.ReferralRequestReceivedDate <= c.end)
    rt = _referrals_with_team(c)
    rt = rt.filter(rt.ReferralRequestReceivedDate <= c.end)
    diag = _diagnoses(c)
    con = c.t["MHS201CareContact"]
    con = con.filter(con.CareContDate <= c.end)

    # Psychosis (ever, up to the period end).
    out.append(_people(diag.filter(diag.code3.isin(PSYCHOSIS_ICD10)), "psychosis_diagnosis"))
    out.append(_people(ref.filter(ref.PrimReasonReferralMH.isin(PSYCHOSIS_REFERRAL_REASONS)),
                       "psychosis_referral"))
    out.append(_people(rt.filter(rt.team == EIP_TEAM), "eip_referral"))

    # Disengagement, in the engagement window.
    w = cfg.engagement_window_days
    arranged = con.filter(con.AttendOrDNACode.isin(DNA + ATTENDED)
                          & c.between(con.CareContDate, w))
    dna = arranged.group_by("Person_ID").agg(
        n=arranged.AttendOrDNACode.isin(DNA).cast("int64").sum(), all=arranged.count())
    out.append(_people(dna.filter((dna.n >= cfg.dna_min)
                                  & (dna.n * 100 >= dna.all * cfg.dna_percent)),
                       "repeated_dna"))

    seen = con.filter(con.AttendOrDNACode.isin(ATTENDED)
                      & con.ConsMechanismMH.isin(DIRECT_MECHANISMS))
    # (a) a gap between attended contacts of one referral, ending in the window;
    win = ibis.window(group_by=seen.UniqServReqID, order_by=seen.CareContDate)
    gaps = seen.mutate(gap=seen.CareContDate.epoch_days()
                       - seen.CareContDate.lag().over(win).epoch_days())
    gaps = gaps.filter((gaps.gap >= cfg.gap_days) & c.between(gaps.CareContDate, w))
    out.append(_people(gaps, "long_gap"))
    # (b) not seen since a referral still open at the period end was received (or since
    # the last attended contact, if later) for gap_days or more.
    open_ = ref.filter(ref.ServDischDate.isnull() | (ref.ServDischDate > c.end))
    open_ = open_.group_by("Person_ID").agg(open_start=open_.ReferralRequestReceivedDate.min())
    last = seen.group_by("Person_ID").agg(last_seen=seen.CareContDate.max())
    cur = open_.join(last, "Person_ID", how="left")
    since = ibis.ifelse(cur.last_seen.notnull() & (cur.last_seen > cur.open_start),
                        cur.last_seen, cur.open_start)
    cur = cur.filter(c.end.epoch_days() - since.epoch_days() >= cfg.gap_days)
    out.append(_people(cur, "long_gap"))
    # (c) a referral closed in the harm window after non-attendance (a DNA and no attended
    # contact in its last pre_discharge_days), and a new referral within rereferral_days.
    closed = ref.filter(ref.ServDischDate.notnull()
                        & c.between(ref.ServDischDate, cfg.harm_window_days))
    closed = closed.select("UniqServReqID", "Person_ID", disch=closed.ServDischDate)
    cc = con.join(closed, "UniqServReqID")
    cc = cc.filter((cc.CareContDate <= cc.disch)
                   & (cc.disch.epoch_days() - cc.CareContDate.epoch_days()
                      < cfg.pre_discharge_days))
    cc = cc.group_by(["UniqServReqID", "Person_ID", "disch"]).agg(
        dnas=cc.AttendOrDNACode.isin(DNA).cast("int64").sum(),
        attended=cc.AttendOrDNACode.isin(ATTENDED).cast("int64").sum(),
    )
    cc = cc.filter((cc.dnas >= 1) & (cc.attended == 0))
    again = ref.select(Person_ID=ref.Person_ID, again=ref.ReferralRequestReceivedDate)
    re = cc.join(again, "Person_ID")
    days = re.again.epoch_days() - re.disch.epoch_days()
    re = re.filter((days > 0) & (days <= cfg.rereferral_days))
    out.append(_people(re, "dna_discharge_rereferral"))

    # Relapse with serious harms, in the harm window.
    h = cfg.harm_window_days
    mha = c.t["MHS401MHActPeriod"]
    out.append(_people(mha.filter(mha.LegalStatusCode.isin(DETENTION)
                                  & c.between(mha.StartDateMHActLegalStatusClass, h)),
                       "detention"))
    hosp = c.t["MHS501HospProvSpell"]
    out.append(_people(hosp.filter(hosp.MethAdmMHHospProvSpell.isin(EMERGENCY_ADMISSION)
                                   & c.between(hosp.StartDateHospProvSpell, h)),
                       "crisis_admission"))
    cto = c.t["MHS404CommTreatOrder"]
    out.append(_people(cto.filter((cto.StartDateCommTreatOrd <= c.end)
                                  & (cto.EndDateCommTreatOrd.isnull()
                                     | (cto.EndDateCommTreatOrd >= c.since(h)))), "cto"))

    # Social needs, in the social window.
    s = cfg.social_window_days
    acc = c.t["MHS003AccommStatus"]
    out.append(_people(acc.filter((acc.SettledAccommodationInd == "N")
                                  & c.between(acc.AccommodationTypeDate, s)), "housing_need"))
    in_s = rt.filter(c.between(rt.ReferralRequestReceivedDate, s))
    out.append(_people(in_s.filter((in_s.SourceOfReferralMH == HOUSING_REFERRAL_SOURCE)
                                   | (in_s.team == ROUGH_SLEEPING_TEAM)), "housing_need"))
    emp = c.table("MHS004EmpStatus")
    if emp is not None:
        out.append(_people(emp.filter(emp.EmployStatus.isin(EMPLOYMENT_NEED)
                                      & c.between(emp.EmployStatusRecDate, s)),
                           "employment_need"))
    out.append(_people(in_s.filter(in_s.SourceOfReferralMH == SOCIAL_SERVICES_REFERRAL_SOURCE),
                       "social_care_need"))

    # Co-occurring substance use, in the harm window.
    out.append(_people(diag.filter(diag.code3.isin(SUBSTANCE_ICD10)
                                   & (diag.day.isnull() | (diag.day >= c.since(h)))),
                       "substance_diagnosis"))
    in_h = rt.filter(c.between(rt.ReferralRequestReceivedDate, h))
    out.append(_people(in_h.filter((in_h.PrimReasonReferralMH == SUBSTANCE_REFERRAL_REASON)
                                   | in_h.team.isin(SUBSTANCE_TEAMS)), "substance_referral"))
    sm = c.table("MHS513SubstanceMisuse")
    if sm is not None:
        out.append(_people(sm.filter(c.between(sm.SubstanceMisuseDate, h)),
                           "substance_inpatient"))

    # Police or criminal justice contact, in the harm window.
    out.append(_people(in_h.filter(in_h.SourceOfReferralMH.isin(JUSTICE_REFERRAL_SOURCES)),
                       "justice_referral"))
    out.append(_people(mha.filter(mha.LegalStatusCode.isin(PLACE_OF_SAFETY + PART_3)
                                  & c.between(mha.StartDateMHActLegalStatusClass, h)),
                       "police_powers"))
    out.append(_people(hosp.filter(hosp.SourceAdmMHHospProvSpell.isin(JUSTICE_ADMISSION_SOURCES)
                                   & c.between(hosp.StartDateHospProvSpell, h)),
                       "police_powers"))
    out.append(_people(in_h.filter(in_h.team.isin(JUSTICE_TEAMS)), "justice_team"))
    pol = c.table("MHS516PoliceAssistanceRequest")
    if pol is not None:
        out.append(_people(pol.filter(c.between(pol.PoliceAssistReqDate, h)),
                           "police_assistance"))

    # Not a reason: the SMI cohort known to secondary care (for the multiplier estimate).
    sw = cfg.smi_window_days
    open_sw = ref.filter(ref.ServDischDate.isnull() | (ref.ServDischDate >= c.since(sw)))
    out.append(_people(open_sw, "_open_smi_window"))
    out.append(_people(diag.filter(diag.code3.isin(PSYCHOSIS_ICD10 + BIPOLAR_ICD10)), "_smi"))
    out.append(_people(ref.filter(ref.PrimReasonReferralMH.isin(
        (*PSYCHOSIS_REFERRAL_REASONS, BIPOLAR_REFERRAL_REASON))), "_smi"))
    out.append(_people(rt.filter(rt.team == EIP_TEAM), "_smi"))
    return out


def _caseload_now(c: _Ctx) -> ir.Table:
    """(Person_ID, caseload): the caseload a person is on at the period end."""
    rt = _referrals_with_team(c)
    rt = rt.filter((rt.ReferralRequestReceivedDate <= c.end)
                   & (rt.ServDischDate.isnull() | (rt.ServDischDate > c.end))
                   & (rt.closed.isnull() | (rt.closed > c.end))
                   & (rt.rejected.isnull() | (rt.rejected > c.end)))
    cases = []
    for rank, (_, _, teams) in enumerate(CASELOADS[:-1]):
        cases.append((rt.team.isin(teams), rank))
    rank = ibis.cases(*cases, else_=len(CASELOADS) - 1)
    best = rt.mutate(rank=rank).group_by("Person_ID").agg(rank=ibis._.rank.min())
    label = ibis.cases(*[(best.rank == i, k) for i, (k, _, _) in enumerate(CASELOADS)])
    return best.select(Person_ID=best.Person_ID, caseload=label)


# The equality groups (core.equality) as columns of person_reasons.
GROUP_COLUMNS = {By.ETHNICITY: "ethnic_group", By.AGE: "age_band", By.SEX: "sex",
                 By.IMD: "imd_group"}


def _demographics(tables: Mapping[str, ir.Table]) -> ir.Table:
    """(Person_ID, locality, ethnic_group, age_band, sex, imd_group) from MHS001MPI: the
    groups of core.equality, worked out by the engine. Age is AgeRepPeriodEnd (the age at the
    end of the reporting period); deprivation is the IMD decile of the LSOA of residence."""
    mpi = tables["MHS001MPI"]
    code = mpi.EthnicCategory.strip().upper()
    ethnic = ibis.cases(*[(code == k, g.value) for k, (_, g) in ETHNIC_CATEGORIES.items()],
                        else_=NOT_KNOWN)
    age = mpi.AgeRepPeriodEnd
    age_band = ibis.cases(
        *[((age >= lo) & (age <= hi) if hi is not None else age >= lo, label)
          for lo, hi, label in AGE_BANDS], else_=NOT_KNOWN)
    gender = mpi.Gender.strip().upper()
    sex = ibis.cases(*[(gender == k, v) for k, v in SEXES.items() if k != "X"],
                     else_=NOT_KNOWN)
    p = mpi.select(Person_ID=mpi.Person_ID, locality=mpi.LADistrictAuth, ethnic_group=ethnic,
                   age_band=age_band, sex=sex, lsoa=mpi.LSOA2011.strip().upper())
    lookup = tables.get(IMD_LOOKUP)
    if lookup is None:
        return p.select(*[c for c in p.columns if c != "lsoa"],
                        imd_group=ibis.literal(NOT_KNOWN))
    lk = lookup.select(lsoa=lookup.lsoa_code, decile=lookup.imd_decile)
    p = p.join(lk, "lsoa", how="left")
    imd = ibis.cases(*[(p.decile == d, imd_group(d)) for d in range(1, 11)], else_=NOT_KNOWN)
    return p.select(*[c for c in p.columns if c not in ("lsoa", "decile")], imd_group=imd)


def person_reasons(tables: Mapping[str, ir.Table], cfg: CohortConfig) -> ir.Table:
    """One row per person in MHS001MPI: locality, the equality groups (GROUP_COLUMNS), a
    boolean per reason and per criterion, `in_cohort`, `smi_known` and the caseload they are
    on at the period end."""
    c = _Ctx(tables, cfg)
    rows = _reason_rows(c)
    allr = rows[0]
    for r in rows[1:]:
        allr = allr.union(r, distinct=False)
    flags = allr.group_by("Person_ID").agg(
        **{n: (allr.reason == n).any() for n in (*REASON_NAMES, "_smi", "_open_smi_window")}
    )
    p = _demographics(tables)
    p = p.join(flags, "Person_ID", how="left")
    p = p.join(_caseload_now(c), "Person_ID", how="left")
    cols: dict[str, Any] = {"Person_ID": p.Person_ID, "locality": p.locality}
    cols.update({col: p[col] for col in GROUP_COLUMNS.values()})
    for n in REASON_NAMES:
        cols[n] = p[n].fill_null(False)
    crit: dict[str, Any] = {}
    for cr in CRITERIA:
        names = [r.name for r in REASONS if r.criterion == cr.name]
        if cr.name == "social_needs":
            kinds = sum(cols[n].cast("int64") for n in names)
            crit[cr.name] = kinds >= cfg.min_social_needs
        else:
            expr = cols[names[0]]
            for n in names[1:]:
                expr = expr | cols[n]
            crit[cr.name] = expr
    cols.update(crit)
    required = ibis.literal(True)
    for r in cfg.required:
        required = required & crit[r]
    others = [n for n in CRITERION_NAMES if n not in cfg.required]
    n_other = sum(crit[n].cast("int64") for n in others) if others else ibis.literal(0)
    cols["in_cohort"] = required & (n_other >= cfg.min_other)
    cols["smi_known"] = p["_smi"].fill_null(False) & p["_open_smi_window"].fill_null(False)
    cols["caseload"] = p.caseload.fill_null(NO_CASELOAD)
    return p.select(**cols)


LOCALITY_COUNTS = (
    "people", "smi_known", "cohort", "cohort_on_ao", "cohort_not_on_ao",
    *(f"cohort_{k}" for k, _, _ in CASELOADS), f"cohort_{NO_CASELOAD}", "ao_caseload",
)


def by_locality(persons: ir.Table) -> ir.Table:
    """Counts by locality (exact; suppression is for the report)."""
    p = persons
    coh = p.in_cohort
    aggs: dict[str, Any] = {
        "people": p.count(),
        "smi_known": p.smi_known.cast("int64").sum(),
        "cohort": coh.cast("int64").sum(),
        "cohort_on_ao": (coh & (p.caseload == "ao")).cast("int64").sum(),
        "cohort_not_on_ao": (coh & (p.caseload != "ao")).cast("int64").sum(),
    }
    for k in (*(k for k, _, _ in CASELOADS), NO_CASELOAD):
        aggs[f"cohort_{k}"] = (coh & (p.caseload == k)).cast("int64").sum()
    aggs["ao_caseload"] = (p.caseload == "ao").cast("int64").sum()
    return p.group_by("locality").agg(**aggs).order_by("locality")


GROUP_COUNTS = ("smi_known", "cohort", "cohort_smi_known", "cohort_on_ao", "cohort_not_on_ao")


def by_group(persons: ir.Table, by: str | By | tuple[str | By, ...]) -> ir.Table:
    """Counts by equality group (exact; suppression and intervals are for the report): people
    in the SMI cohort known to secondary care, in the cohort, in the cohort and SMI-known (the
    numerator of the cohort rate per 1,000 SMI-known), on an AO caseload or not. `by` is one
    breakdown or several (a cross-tabulation the caller can add up: one query for all)."""
    keys = [GROUP_COLUMNS[By(b)] for b in ((by,) if isinstance(by, str) else by)]
    p = persons
    coh = p.in_cohort
    return p.group_by(keys).agg(
        smi_known=p.smi_known.cast("int64").sum(),
        cohort=coh.cast("int64").sum(),
        cohort_smi_known=(coh & p.smi_known).cast("int64").sum(),
        cohort_on_ao=(coh & (p.caseload == "ao")).cast("int64").sum(),
        cohort_not_on_ao=(coh & (p.caseload != "ao")).cast("int64").sum(),
    ).order_by(keys)
