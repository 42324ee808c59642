"""A deterministic synthetic region in the MHSDS shape (never real data).

From a seed and a number of residents, the people known to secondary mental health care,
their referrals and teams, care contacts with attendance, admissions, Mental Health Act
periods and CTOs, diagnoses, accommodation and employment, substance misuse and police
contact, written as one Parquet file per table. Vectorised with numpy and written with
pyarrow: an ICB of 3 million residents takes seconds. The distributions are in
docs/population.md ("The synthetic region").
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from outreach.population.schema import TABLES

SCALES = {"tiny": 30_000, "icb": 3_000_000, "national": 57_000_000}
LOCALITIES = {"tiny": 3, "icb": 10, "national": 42}
DEFAULT_SEED = 20241203  # the day the Greater Manchester FOI request was made (003)
DEFAULT_END = date(2025, 3, 31)

SECONDARY_CARE_SHARE = 0.02  # residents with a referral to adult secondary MH care
GROUP_SHARES = {"psychosis": 0.42, "bipolar": 0.06, "other": 0.52}

# Ethnic category (docs/population.md, "The synthetic region"): broad-group shares for the
# people with psychosis or bipolar disorder, and for everyone else, then the detailed NHS
# codes within each group (the proportions of src/outreach/synth/outcomes.py).
ETHNIC_SHARES = {  # (psychosis or bipolar, other)
    "White": (0.66, 0.77),
    "Black": (0.11, 0.04),
    "Asian": (0.10, 0.09),
    "Mixed": (0.04, 0.03),
    "Other": (0.03, 0.02),
    "Not known": (0.06, 0.05),
}
ETHNIC_CODES = {
    "White": {"A": 0.85, "B": 0.03, "C": 0.12},
    "Black": {"M": 0.40, "N": 0.50, "P": 0.10},
    "Asian": {"H": 0.30, "J": 0.35, "K": 0.15, "L": 0.20},
    "Mixed": {"D": 0.40, "E": 0.15, "F": 0.25, "G": 0.20},
    "Other": {"R": 0.30, "S": 0.70},
    "Not known": {"Z": 0.70, "99": 0.30},
}
NO_LSOA_SHARE = 0.02  # residence not recorded: deprivation not known
DEMOGRAPHICS_STREAM = 7_000_007  # mixed with the seed: the demographics' own random numbers


@dataclass(frozen=True)
class Traits:
    """Probabilities of a person's traits, by group: psychosis, bipolar, other."""

    disengaging: tuple[float, float, float] = (0.16, 0.10, 0.08)
    harm: tuple[float, float, float] = (0.22, 0.15, 0.04)
    homeless: tuple[float, float, float] = (0.08, 0.05, 0.03)
    substance: tuple[float, float, float] = (0.30, 0.25, 0.12)
    police: tuple[float, float, float] = (0.12, 0.06, 0.04)
    unemployed: tuple[float, float, float] = (0.35, 0.25, 0.15)


def _ids(prefix: str, n: int, start: int = 1) -> pa.Array:
    nums = pc.cast(pa.array(np.arange(start, start + n, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(pa.scalar(prefix), nums, "")


def _pick(rng: np.random.Generator, codes: list[str], p: list[float], n: int) -> pa.Array:
    idx = rng.choice(len(codes), size=n, p=np.asarray(p) / np.sum(p))
    return pc.take(pa.array(codes), pa.array(idx))


def _dates(days: np.ndarray, epoch: np.datetime64) -> pa.Array:
    return pa.array((epoch + days.astype("timedelta64[D]")).astype("datetime64[D]"),
                    pa.date32())


def _nullable_dates(days: np.ndarray, mask: np.ndarray, epoch: np.datetime64) -> pa.Array:
    arr = _dates(np.where(mask, 0, days), epoch)
    return pc.if_else(pa.array(mask), pa.scalar(None, pa.date32()), arr)


def _table(name: str, cols: dict) -> pa.Table:
    spec = TABLES[name]
    n = len(next(iter(cols.values())))
    out = {}
    for c in spec.columns:
        if c.name in cols:
            out[c.name] = cols[c.name]
        else:
            t = pa.date32() if c.type == "date" else pa.int64() if c.type == "int64" else \
                pa.string()
            out[c.name] = pa.nulls(n, t)
    return pa.table(out)


def _ethnicity_and_area(seed: int, group: np.ndarray, loc: np.ndarray, localities: int
                        ) -> tuple[pa.Array, pa.Array]:
    """Each person's ethnic category and LSOA of residence, from a random stream of their own
    (so adding them changed nothing else the region holds). LSOAs: the synthetic lookup's
    codes dealt to the localities in turn, chosen with weight 11 - decile (the most deprived
    tenth ten times as likely as the least), 2% not recorded."""
    from outreach.population.data import imd_lookup

    rng = np.random.default_rng([seed, DEMOGRAPHICS_STREAM])
    n = len(group)
    codes: list[str] = []
    p_code: list[list[float]] = [[], []]
    for broad, by_code in ETHNIC_CODES.items():
        for code, share in by_code.items():
            codes.append(code)
            for i in (0, 1):
                p_code[i].append(ETHNIC_SHARES[broad][i] * share)
    smi = group < 2
    idx = np.empty(n, dtype=np.int64)
    for i, who in ((0, smi), (1, ~smi)):
        p = np.asarray(p_code[i]) / np.sum(p_code[i])
        idx[who] = rng.choice(len(codes), size=int(who.sum()), p=p)
    ethnic = pc.take(pa.array(codes), pa.array(idx))

    lookup = imd_lookup()
    all_lsoa = np.asarray(lookup["lsoa_code"].to_pylist())
    deciles = np.asarray(lookup["imd_decile"].to_pylist())
    area = np.empty(n, dtype=np.int64)
    for li in range(localities):
        mine = np.flatnonzero(np.arange(len(all_lsoa)) % localities == li)
        who = loc == li
        w = 11 - deciles[mine]
        area[who] = mine[rng.choice(len(mine), size=int(who.sum()), p=w / w.sum())]
    missing = rng.random(n) < NO_LSOA_SHARE
    lsoa = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()),
                      pc.take(pa.array(all_lsoa), pa.array(area)))
    return ethnic, lsoa


@dataclass(frozen=True)
class Written:
    path: Path
    rows: dict[str, int]


def generate(residents: int, *, seed: int = DEFAULT_SEED, end: date = DEFAULT_END,
             localities: int = 10, traits: Traits | None = None) -> dict[str, pa.Table]:
    """The region's tables as Arrow tables, keyed by MHSDS table name."""
    traits = traits or Traits()
    rng = np.random.default_rng(seed)
    epoch = np.datetime64(end, "D")  # day 0 is the period end; history is negative days
    n = max(1, int(residents * SECONDARY_CARE_SHARE))

    # --- people -------------------------------------------------------------------------
    pid = _ids("P", n)
    weights = 1 + 2 * rng.random(localities)
    loc_codes = [f"E09{900001 + i:06d}" for i in range(localities)]
    loc = rng.choice(localities, size=n, p=weights / weights.sum())
    group = rng.choice(3, size=n, p=list(GROUP_SHARES.values()))
    young = rng.random(n) < 0.25

    def trait(p: tuple[float, float, float], boost: np.ndarray | None = None) -> np.ndarray:
        base = np.asarray(p)[group]
        if boost is not None:
            base = np.minimum(1.0, base * np.where(boost, 2.0, 1.0))
        return rng.random(n) < base

    dis = trait(traits.disengaging)
    harm = trait(traits.harm, dis)
    homeless = trait(traits.homeless, dis)
    subst = trait(traits.substance, dis)
    police = trait(traits.police, dis)
    unemployed = trait(traits.unemployed)
    psych = group == 0
    ao = psych & np.where(dis, rng.random(n) < 0.22, rng.random(n) < 0.015)
    forensic = psych & ~ao & police & (rng.random(n) < 0.2)
    eip = psych & ~ao & ~forensic & young & (rng.random(n) < 0.6)
    ethnic, lsoa = _ethnicity_and_area(seed, group, loc, localities)
    tables: dict[str, pa.Table] = {}
    tables["MHS001MPI"] = _table("MHS001MPI", {
        "Person_ID": pid, "OrgIDProv": pa.array(np.full(n, "RXX"), pa.string()),
        "LADistrictAuth": pc.take(pa.array(loc_codes), pa.array(loc)),
        "OrgIDSubICBLocResidence": pc.take(pa.array([f"0{i:02d}X" for i in range(localities)]),
                                           pa.array(loc)),
        "AgeRepPeriodEnd": pa.array(np.where(young, rng.integers(18, 26, n),
                                             rng.integers(26, 80, n))),
        "Gender": _pick(rng, ["1", "2", "9"], [0.52, 0.47, 0.01], n),
        "EthnicCategory": ethnic, "LSOA2011": lsoa,
    })

    # --- referrals ----------------------------------------------------------------------
    # Main referral: everyone. Re-referred people also have an earlier referral that was
    # closed after non-attendance; people with crises have a crisis team referral; some
    # have a substance misuse, criminal justice liaison or rough sleeping team referral.
    rerefer = dis & (rng.random(n) < 0.45)
    first_close = -rng.integers(60, 700, n)
    gap_back = rng.integers(20, 300, n)
    main_start = np.where(rerefer, np.minimum(first_close + gap_back, -5),
                          -rng.integers(14, 4 * 365, n))
    open_p = np.array([0.75, 0.6, 0.3])[group]
    main_open = rng.random(n) < open_p
    main_len = rng.exponential(np.array([400, 300, 150])[group]).astype(int) + 28
    main_end = np.where(main_open, 1, np.minimum(main_start + main_len, -1))
    main_open = main_open | (main_end >= 0)
    team = np.where(ao, "A08", np.where(forensic, "B01", np.where(eip, "A14", np.where(
        group == 2, rng.choice(["A06", "A05", "A13", "A16"], n, p=[0.6, 0.2, 0.1, 0.1]),
        "A06"))))
    prev_start = first_close - rng.integers(120, 900, n)

    crisis = harm & (rng.random(n) < 0.8)
    adm_day = -rng.integers(5, 720, n)
    extra_team = np.where(subst & (rng.random(n) < 0.25), "D01", np.where(
        police & (rng.random(n) < 0.35), "D02",
        np.where(homeless & (rng.random(n) < 0.3), "D08", "")))
    extra = extra_team != ""

    ref_person = np.concatenate([np.arange(n), np.flatnonzero(rerefer),
                                 np.flatnonzero(crisis), np.flatnonzero(extra)])
    kind = np.concatenate([np.zeros(n, int), np.ones(rerefer.sum(), int),
                           np.full(crisis.sum(), 2), np.full(extra.sum(), 3)])
    start = np.concatenate([main_start, prev_start[rerefer], adm_day[crisis] - 3,
                            -rng.integers(30, 700, extra.sum())])
    stop = np.concatenate([main_end, first_close[rerefer],
                           np.minimum(adm_day[crisis] + rng.integers(21, 42, crisis.sum()), 1),
                           np.minimum(start[-extra.sum():] + 180, 1) if extra.any()
                           else np.zeros(0, int)])
    is_open = stop > 0
    teams = np.concatenate([team, np.where(group[rerefer] == 2, "A06", "A06"),
                            np.full(crisis.sum(), "A02"), extra_team[extra]])
    m = len(ref_person)
    ref_ids = _ids("R", m)
    g = group[ref_person]
    reason = np.where(g == 0, np.where(eip[ref_person], "01", "02"),
                      np.where(g == 1, "03", rng.choice(["04", "05", "11", "14", "15"], m)))
    reason = np.where(kind == 2, "18", reason)
    reason = np.where(teams == "D01", "09", reason)
    source = rng.choice(["A1", "B1", "B2", "H1", "P1", "M7"], m,
                        p=[0.45, 0.1, 0.05, 0.15, 0.1, 0.15])
    r = rng.random(m)
    source = np.where(police[ref_person] & (r < 0.4),
                      rng.choice(["E1", "E2", "E3", "E5"], m), source)
    source = np.where(homeless[ref_person] & (r >= 0.4) & (r < 0.6), "C3", source)
    source = np.where(unemployed[ref_person] & (r >= 0.9), "C1", source)
    tables["MHS101Referral"] = _table("MHS101Referral", {
        "UniqServReqID": ref_ids, "Person_ID": pc.take(pid, pa.array(ref_person)),
        "OrgIDProv": pa.array(np.full(m, "RXX"), pa.string()),
        "ReferralRequestReceivedDate": _dates(start, epoch),
        "ServDischDate": _nullable_dates(stop, is_open, epoch),
        "SourceOfReferralMH": pa.array(source, pa.string()),
        "PrimReasonReferralMH": pa.array(reason, pa.string()),
    })
    tables["MHS102ServiceTypeReferredTo"] = _table("MHS102ServiceTypeReferredTo", {
        "UniqServReqID": ref_ids, "Person_ID": pc.take(pid, pa.array(ref_person)),
        "UniqCareProfTeamID": pa.array(np.char.add(teams.astype(str), "-T"), pa.string()),
        "ServTeamTypeRefToMH": pa.array(teams, pa.string()),
    })

    # --- care contacts -------------------------------------------------------------------
    # A regular schedule per referral (every `interval` days, +-3 days), the earliest
    # 3 years before the period end. Attendance: 5/6 attended, 3/7 DNA, 2/4 cancelled.
    # Disengaging people lose contact for 90-200 days (DNAs or nothing recorded); the
    # referral closed before a re-referral ends in DNAs.
    rate = {"A08": 2.0, "A14": 1.0, "A02": 4.0, "B01": 1.0, "A06": 0.5}
    per_week = np.array([rate.get(t, 0.35) for t in teams])
    per_week = np.where(group[ref_person] == 2, per_week * 0.7, per_week)
    interval = np.maximum(1, (7 / per_week).astype(int))
    c_from = np.maximum(start, -3 * 365)
    c_to = np.minimum(stop, 0)
    k_n = np.maximum(0, (c_to - c_from) // interval)
    total = int(k_n.sum())
    ridx = np.repeat(np.arange(m), k_n)
    offs = np.concatenate([[0], np.cumsum(k_n)[:-1]])
    k = np.arange(total) - np.repeat(offs, k_n)
    day = c_from[ridx] + (k + 1) * interval[ridx] + rng.integers(-3, 4, total)
    day = np.clip(day, c_from[ridx], c_to[ridx])
    person = ref_person[ridx]
    p_dna = np.where(dis[person], 0.25, 0.07)
    u = rng.random(total)
    attend = np.where(u < p_dna, np.where(u < p_dna * 0.8, "3", "7"),
                      np.where(u < p_dna + 0.05, np.where(u < p_dna + 0.03, "2", "4"),
                               np.where(u < 0.93, "5", "6")))
    lost_from = -rng.integers(100, 500, n)
    lost_len = rng.integers(90, 200, n)
    in_lost = dis[person] & (day >= lost_from[person]) & (day < lost_from[person]
                                                          + lost_len[person])
    keep = ~(in_lost & (rng.random(total) < 0.5))
    attend = np.where(in_lost, "3", attend)
    before_close = (kind[ridx] == 1) & (day > stop[ridx] - 75)
    attend = np.where(before_close, "3", attend)
    day, ridx, attend, person = day[keep], ridx[keep], attend[keep], person[keep]
    total = len(day)
    mech = np.where(rng.random(total) < 0.8, "01", rng.choice(["02", "11", "05"], total,
                                                              p=[0.75, 0.2, 0.05]))
    tables["MHS201CareContact"] = _table("MHS201CareContact", {
        "UniqCareContID": _ids("C", total),
        "UniqServReqID": pc.take(ref_ids, pa.array(ridx)),
        "Person_ID": pc.take(pid, pa.array(person)),
        "CareContDate": _dates(day, epoch),
        "AttendOrDNACode": pa.array(attend, pa.string()),
        "ConsMechanismMH": pa.array(mech, pa.string()),
    })

    # --- admissions, Mental Health Act, CTOs ---------------------------------------------
    admitted = harm | (psych & (rng.random(n) < 0.05))
    a_p = np.flatnonzero(admitted)
    second = a_p[rng.random(len(a_p)) < 0.3]
    a_person = np.concatenate([a_p, second])
    a_start = np.concatenate([adm_day[a_p], -rng.integers(5, 1000, len(second))])
    a_len = rng.integers(7, 90, len(a_person))
    a_end = a_start + a_len
    na = len(a_person)
    method = np.where(harm[a_person], rng.choice(["25", "21", "22", "11"], na,
                                                 p=[0.4, 0.3, 0.1, 0.2]), "11")
    adm_source = np.where(police[a_person] & (rng.random(na) < 0.3), "40", "19")
    tables["MHS501HospProvSpell"] = _table("MHS501HospProvSpell", {
        "UniqHospProvSpellID": _ids("H", na), "Person_ID": pc.take(pid, pa.array(a_person)),
        "StartDateHospProvSpell": _dates(a_start, epoch),
        "DischDateHospProvSpell": _nullable_dates(a_end, a_end > 0, epoch),
        "MethAdmMHHospProvSpell": pa.array(method, pa.string()),
        "SourceAdmMHHospProvSpell": pa.array(adm_source, pa.string()),
    })
    detained = harm[a_person] & (rng.random(na) < 0.6)
    d_idx = np.flatnonzero(detained)
    code = np.where(police[a_person[d_idx]] & (rng.random(len(d_idx)) < 0.15), "10",
                    rng.choice(["03", "02"], len(d_idx), p=[0.55, 0.45]))
    s136 = np.flatnonzero(police & (rng.random(n) < 0.4))
    mh_person = np.concatenate([a_person[d_idx], s136])
    mh_start = np.concatenate([a_start[d_idx], -rng.integers(5, 900, len(s136))])
    mh_end = np.concatenate([a_end[d_idx], mh_start[len(d_idx):] + 1])
    mh_code = np.concatenate([code, np.full(len(s136), "20")])
    nm = len(mh_person)
    mh_ids = _ids("M", nm)
    tables["MHS401MHActPeriod"] = _table("MHS401MHActPeriod", {
        "UniqMHActEpisodeID": mh_ids, "Person_ID": pc.take(pid, pa.array(mh_person)),
        "LegalStatusCode": pa.array(mh_code, pa.string()),
        "StartDateMHActLegalStatusClass": _dates(mh_start, epoch),
        "EndDateMHActLegalStatusClass": _nullable_dates(mh_end, mh_end > 0, epoch),
    })
    cto = np.flatnonzero((mh_code == "03") & (rng.random(nm) < 0.25) & (mh_end < 0))
    cto_end = mh_end[cto] + rng.integers(180, 720, len(cto))
    tables["MHS404CommTreatOrder"] = _table("MHS404CommTreatOrder", {
        "UniqMHActEpisodeID": pc.take(mh_ids, pa.array(cto)),
        "Person_ID": pc.take(pid, pa.array(mh_person[cto])),
        "StartDateCommTreatOrd": _dates(mh_end[cto], epoch),
        "EndDateCommTreatOrd": _nullable_dates(cto_end, cto_end > 0, epoch),
    })

    # --- diagnoses -------------------------------------------------------------------------
    has_dx = rng.random(n) < np.array([0.85, 0.9, 0.7])[group]
    dx = np.where(group == 0, rng.choice(["F20.0", "F25.1", "F23", "F29", "F22"], n,
                                         p=[0.45, 0.2, 0.1, 0.15, 0.1]),
                  np.where(group == 1, rng.choice(["F31.1", "F31.3", "F30"], n),
                           rng.choice(["F32.1", "F41.1", "F43.1", "F60.3", "F33"], n)))
    dp = np.flatnonzero(has_dx)
    tables["MHS604PrimDiag"] = _table("MHS604PrimDiag", {
        "Person_ID": pc.take(pid, pa.array(dp)),
        "UniqServReqID": pc.take(ref_ids, pa.array(dp)),  # main referrals come first
        "PrimDiag": pa.array(dx[dp], pa.string()),
        "DiagSchemeInUse": pa.array(np.full(len(dp), "02"), pa.string()),
        "CodedDiagTimestamp": _dates(np.minimum(main_start[dp] + 30, 0), epoch),
    })
    sp = np.flatnonzero(subst & (rng.random(n) < 0.6))
    tables["MHS605SecDiag"] = _table("MHS605SecDiag", {
        "Person_ID": pc.take(pid, pa.array(sp)),
        "UniqServReqID": pc.take(ref_ids, pa.array(sp)),
        "SecDiag": _pick(rng, ["F10.2", "F12.2", "F19.2", "F14.1"], [0.4, 0.35, 0.15, 0.1],
                         len(sp)),
        "DiagSchemeInUse": pa.array(np.full(len(sp), "02"), pa.string()),
        "CodedDiagTimestamp": _dates(-rng.integers(1, 700, len(sp)), epoch),
    })

    # --- social circumstances ----------------------------------------------------------------
    settled = np.where(homeless, "N", rng.choice(["Y", "Z", "9"], n, p=[0.9, 0.05, 0.05]))
    acc_type = np.where(homeless, rng.choice(["13", "14", "15", "16"], n),
                        rng.choice(["01", "02", "03", "04"], n))
    tables["MHS003AccommStatus"] = _table("MHS003AccommStatus", {
        "Person_ID": pid, "AccommodationType": pa.array(acc_type, pa.string()),
        "SettledAccommodationInd": pa.array(settled, pa.string()),
        "AccommodationTypeDate": _dates(-rng.integers(1, 330, n), epoch),
    })
    emp = np.where(unemployed, rng.choice(["02", "06"], n),
                   rng.choice(["01", "04", "08", "ZZ"], n, p=[0.25, 0.45, 0.1, 0.2]))
    tables["MHS004EmpStatus"] = _table("MHS004EmpStatus", {
        "Person_ID": pid, "EmployStatus": pa.array(emp, pa.string()),
        "EmployStatusRecDate": _dates(-rng.integers(1, 330, n), epoch),
    })
    sm = np.flatnonzero(subst[a_person] & (rng.random(na) < 0.5))
    tables["MHS513SubstanceMisuse"] = _table("MHS513SubstanceMisuse", {
        "Person_ID": pc.take(pid, pa.array(a_person[sm])),
        "UniqHospProvSpellID": pc.take(tables["MHS501HospProvSpell"]["UniqHospProvSpellID"],
                                       pa.array(sm)),
        "SubstanceMisuseDate": _dates(np.minimum(a_start[sm] + 1, 0), epoch),
    })
    pr = np.flatnonzero(police[a_person] & (rng.random(na) < 0.4))
    tables["MHS516PoliceAssistanceRequest"] = _table("MHS516PoliceAssistanceRequest", {
        "Person_ID": pc.take(pid, pa.array(a_person[pr])),
        "UniqHospProvSpellID": pc.take(tables["MHS501HospProvSpell"]["UniqHospProvSpellID"],
                                       pa.array(pr)),
        "PoliceAssistReqDate": _dates(np.minimum(a_start[pr] + 2, 0), epoch),
    })
    return tables


def write_region(out: Path, *, scale: str = "icb", multiplier: float = 1.0,
                 seed: int = DEFAULT_SEED, end: date = DEFAULT_END) -> Written:
    """Generate and write one Parquet file per table into `out`, atomically: the files are
    written to a temporary directory beside it and moved in place only when all are done."""
    out = Path(out)
    residents = int(SCALES[scale] * multiplier)
    tables = generate(residents, seed=seed, end=end, localities=LOCALITIES[scale])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, t in tables.items():
            pq.write_table(t, tmp / f"{name}.parquet", row_group_size=1_000_000)
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return Written(out, {k: v.num_rows for k, v in tables.items()})


def write_mhsds(out: Path, *, scale: str = "icb", seed: int = DEFAULT_SEED,
                multiplier: float = 1.0, end: date | None = None) -> str:
    """`outreach synth --mhsds DIR`: write the region and say what was written."""
    import time

    if scale not in SCALES:
        raise ValueError(f"Unknown MHSDS scale {scale}: use one of {', '.join(SCALES)}")
    if multiplier <= 0:
        raise ValueError("--multiplier must be above 0")
    started = time.perf_counter()
    w = write_region(out, scale=scale, multiplier=multiplier, seed=seed,
                     end=end or DEFAULT_END)
    lines = [f"Wrote a synthetic MHSDS-shaped region to {w.path}: scale {scale} x{multiplier:g}"
             f" ({int(SCALES[scale] * multiplier):,} residents), seed {seed}"]
    lines += [f"  {k:<32}{v:>12,}" for k, v in w.rows.items()]
    lines.append(f"in {time.perf_counter() - started:.1f} s")
    return "\n".join(lines)
