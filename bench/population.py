"""Benchmark: cohort identification on the ICB-scale synthetic region.

Each variant runs in its own subprocess (so peak memory is its own): the Ibis rules on
DuckDB; the same rules hand-written as DuckDB SQL (the cost of the abstraction); a
straightforward pandas version (what a user would otherwise write); and the Ibis rules on
Spark local mode at several data sizes. The SQL and pandas versions must give the same
counts by locality as the Ibis rules (asserted). Results: bench/population-results.md.

    uv run --frozen python bench/population.py                   # ICB scale, DuckDB variants
    uv run --frozen python bench/population.py --spark 1,2,4     # and Spark at 3 sizes
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from outreach.population import rules as R  # noqa: E402
from outreach.population.rules import CohortConfig  # noqa: E402
from outreach.population.schema import TABLES  # noqa: E402

CFG = CohortConfig()


def _q(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


# --- hand-written DuckDB SQL ------------------------------------------------------------

def cohort_sql(cfg: CohortConfig = CFG) -> str:
    end = f"DATE '{cfg.period_end}'"
    eng = f"DATE '{cfg.since(cfg.engagement_window_days)}'"
    harm = f"DATE '{cfg.since(cfg.harm_window_days)}'"
    soc = f"DATE '{cfg.since(cfg.social_window_days)}'"
    smi = f"DATE '{cfg.since(cfg.smi_window_days)}'"
    flags = ",\n    ".join(f"bool_or(reason = '{n}') AS {n}"
                           for n in (*R.REASON_NAMES, "_smi", "_open"))
    crit = {}
    for c in R.CRITERIA:
        names = [r.name for r in R.REASONS if r.criterion == c.name]
        if c.name == "social_needs":
            crit[c.name] = "(" + " + ".join(f"{n}::INT" for n in names) + \
                f") >= {cfg.min_social_needs}"
        else:
            crit[c.name] = "(" + " OR ".join(names) + ")"
    required = " AND ".join(crit[r] for r in cfg.required)
    others = [n for n in R.CRITERION_NAMES if n not in cfg.required]
    n_other = " + ".join(f"({crit[n]})::INT" for n in others) or "0"
    rank = "\n      ".join(f"WHEN team IN ({_q(teams)}) THEN {i}"
                           for i, (_, _, teams) in enumerate(R.CASELOADS[:-1]))
    label = "\n      ".join(f"WHEN rank = {i} THEN '{k}'"
                            for i, (k, _, _) in enumerate(R.CASELOADS))
    coalesced = ",\n    ".join(f"coalesce(f.{n}, false) AS {n}" for n in R.REASON_NAMES)
    caseload_counts = ",\n  ".join(
        f"sum((in_cohort AND caseload = '{k}')::INT) AS cohort_{k}"
        for k in (*(k for k, _, _ in R.CASELOADS), R.NO_CASELOAD))
    return f"""
WITH
ref AS (SELECT * FROM MHS101Referral WHERE ReferralRequestReceivedDate <= {end}),
rt AS (
  SELECT r.*, s.ServTeamTypeRefToMH AS team, s.ReferRejectionDate AS rejected,
         s.ReferClosureDate AS closed
  FROM ref r LEFT JOIN MHS102ServiceTypeReferredTo s USING (UniqServReqID)),
diag AS (
  SELECT Person_ID, substr(trim(replace(upper(PrimDiag), '.', '')), 1, 3) AS code3,
         CodedDiagTimestamp AS day
  FROM MHS604PrimDiag WHERE DiagSchemeInUse IS NULL OR DiagSchemeInUse = '02'
  UNION ALL
  SELECT Person_ID, substr(trim(replace(upper(SecDiag), '.', '')), 1, 3),
         CodedDiagTimestamp
  FROM MHS605SecDiag WHERE DiagSchemeInUse IS NULL OR DiagSchemeInUse = '02'),
dx AS (SELECT * FROM diag WHERE day IS NULL OR day <= {end}),
con AS (SELECT * FROM MHS201CareContact WHERE CareContDate <= {end}),
seen AS (SELECT * FROM con WHERE AttendOrDNACode IN ({_q(R.ATTENDED)})
                          AND ConsMechanismMH IN ({_q(R.DIRECT_MECHANISMS)})),
closed_dna AS (
  SELECT k.Person_ID, k.disch
  FROM con c JOIN (SELECT UniqServReqID, Person_ID, ServDischDate AS disch FROM ref
                   WHERE ServDischDate BETWEEN {harm} AND {end}) k USING (UniqServReqID)
  WHERE c.CareContDate <= k.disch AND k.disch - c.CareContDate < {cfg.pre_discharge_days}
  GROUP BY k.UniqServReqID, k.Person_ID, k.disch
  HAVING sum((c.AttendOrDNACode IN ({_q(R.DNA)}))::INT) >= 1
     AND sum((c.AttendOrDNACode IN ({_q(R.ATTENDED)}))::INT) = 0),
reasons AS (
  SELECT Person_ID, 'psychosis_diagnosis' AS reason FROM dx
   WHERE code3 IN ({_q(R.PSYCHOSIS_ICD10)})
  UNION ALL SELECT Person_ID, 'psychosis_referral' FROM ref
   WHERE PrimReasonReferralMH IN ({_q(R.PSYCHOSIS_REFERRAL_REASONS)})
  UNION ALL SELECT Person_ID, 'eip_referral' FROM rt WHERE team = '{R.EIP_TEAM}'
  UNION ALL SELECT Person_ID, 'repeated_dna' FROM con
   WHERE AttendOrDNACode IN ({_q(R.DNA + R.ATTENDED)}) AND CareContDate BETWEEN {eng} AND {end}
   GROUP BY Person_ID
   HAVING sum((AttendOrDNACode IN ({_q(R.DNA)}))::INT) >= {cfg.dna_min}
      AND sum((AttendOrDNACode IN ({_q(R.DNA)}))::INT) * 100 >= count(*) * {cfg.dna_percent}
  UNION ALL SELECT Person_ID, 'long_gap' FROM (
    SELECT Person_ID, CareContDate, CareContDate - lag(CareContDate) OVER (
      PARTITION BY UniqServReqID ORDER BY CareContDate) AS gap FROM seen)
   WHERE gap >= {cfg.gap_days} AND CareContDate BETWEEN {eng} AND {end}
  UNION ALL SELECT o.Person_ID, 'long_gap' FROM (
    SELECT Person_ID, min(ReferralRequestReceivedDate) AS open_start FROM ref
    WHERE ServDischDate IS NULL OR ServDischDate > {end} GROUP BY Person_ID) o
    LEFT JOIN (SELECT Person_ID, max(CareContDate) AS last_seen FROM seen
               GROUP BY Person_ID) l USING (Person_ID)
   WHERE {end} - CASE WHEN l.last_seen > o.open_start THEN l.last_seen
                      ELSE o.open_start END >= {cfg.gap_days}
  UNION ALL SELECT x.Person_ID, 'dna_discharge_rereferral' FROM closed_dna x
    JOIN ref r ON r.Person_ID = x.Person_ID
   WHERE r.ReferralRequestReceivedDate - x.disch BETWEEN 1 AND {cfg.rereferral_days}
  UNION ALL SELECT Person_ID, 'detention' FROM MHS401MHActPeriod
   WHERE LegalStatusCode IN ({_q(R.DETENTION)})
     AND StartDateMHActLegalStatusClass BETWEEN {harm} AND {end}
  UNION ALL SELECT Person_ID, 'crisis_admission' FROM MHS501HospProvSpell
   WHERE MethAdmMHHospProvSpell IN ({_q(R.EMERGENCY_ADMISSION)})
     AND StartDateHospProvSpell BETWEEN {harm} AND {end}
  UNION ALL SELECT Person_ID, 'cto' FROM MHS404CommTreatOrder
   WHERE StartDateCommTreatOrd <= {end}
     AND (EndDateCommTreatOrd IS NULL OR EndDateCommTreatOrd >= {harm})
  UNION ALL SELECT Person_ID, 'housing_need' FROM MHS003AccommStatus
   WHERE SettledAccommodationInd = 'N' AND AccommodationTypeDate BETWEEN {soc} AND {end}
  UNION ALL SELECT Person_ID, 'housing_need' FROM rt
   WHERE ReferralRequestReceivedDate BETWEEN {soc} AND {end}
     AND (SourceOfReferralMH = '{R.HOUSING_REFERRAL_SOURCE}'
          OR team = '{R.ROUGH_SLEEPING_TEAM}')
  UNION ALL SELECT Person_ID, 'employment_need' FROM MHS004EmpStatus
   WHERE EmployStatus IN ({_q(R.EMPLOYMENT_NEED)})
     AND EmployStatusRecDate BETWEEN {soc} AND {end}
  UNION ALL SELECT Person_ID, 'social_care_need' FROM rt
   WHERE ReferralRequestReceivedDate BETWEEN {soc} AND {end}
     AND SourceOfReferralMH = '{R.SOCIAL_SERVICES_REFERRAL_SOURCE}'
  UNION ALL SELECT Person_ID, 'substance_diagnosis' FROM dx
   WHERE code3 IN ({_q(R.SUBSTANCE_ICD10)}) AND (day IS NULL OR day >= {harm})
  UNION ALL SELECT Person_ID, 'substance_referral' FROM rt
   WHERE ReferralRequestReceivedDate BETWEEN {harm} AND {end}
     AND (PrimReasonReferralMH = '{R.SUBSTANCE_REFERRAL_REASON}'
          OR team IN ({_q(R.SUBSTANCE_TEAMS)}))
  UNION ALL SELECT Person_ID, 'substance_inpatient' FROM MHS513SubstanceMisuse
   WHERE SubstanceMisuseDate BETWEEN {harm} AND {end}
  UNION ALL SELECT Person_ID, 'justice_referral' FROM rt
   WHERE ReferralRequestReceivedDate BETWEEN {harm} AND {end}
     AND SourceOfReferralMH IN ({_q(R.JUSTICE_REFERRAL_SOURCES)})
  UNION ALL SELECT Person_ID, 'police_powers' FROM MHS401MHActPeriod
   WHERE LegalStatusCode IN ({_q(R.PLACE_OF_SAFETY + R.PART_3)})
     AND StartDateMHActLegalStatusClass BETWEEN {harm} AND {end}
  UNION ALL SELECT Person_ID, 'police_powers' FROM MHS501HospProvSpell
   WHERE SourceAdmMHHospProvSpell IN ({_q(R.JUSTICE_ADMISSION_SOURCES)})
     AND StartDateHospProvSpell BETWEEN {harm} AND {end}
  UNION ALL SELECT Person_ID, 'justice_team' FROM rt
   WHERE ReferralRequestReceivedDate BETWEEN {harm} AND {end}
     AND team IN ({_q(R.JUSTICE_TEAMS)})
  UNION ALL SELECT Person_ID, 'police_assistance' FROM MHS516PoliceAssistanceRequest
   WHERE PoliceAssistReqDate BETWEEN {harm} AND {end}
  UNION ALL SELECT Person_ID, '_open' FROM ref
   WHERE ServDischDate IS NULL OR ServDischDate >= {smi}
  UNION ALL SELECT Person_ID, '_smi' FROM dx
   WHERE code3 IN ({_q(R.PSYCHOSIS_ICD10 + R.BIPOLAR_ICD10)})
  UNION ALL SELECT Person_ID, '_smi' FROM ref
   WHERE PrimReasonReferralMH IN ({_q((*R.PSYCHOSIS_REFERRAL_REASONS,
                                       R.BIPOLAR_REFERRAL_REASON))})
  UNION ALL SELECT Person_ID, '_smi' FROM rt WHERE team = '{R.EIP_TEAM}'),
flags AS (SELECT Person_ID,
    {flags}
  FROM reasons GROUP BY Person_ID),
caseload AS (
  SELECT Person_ID, CASE
      {label} END AS caseload
  FROM (SELECT Person_ID, min(CASE
      {rank}
      ELSE {len(R.CASELOADS) - 1} END) AS rank
    FROM rt
    WHERE (ServDischDate IS NULL OR ServDischDate > {end})
      AND (closed IS NULL OR closed > {end}) AND (rejected IS NULL OR rejected > {end})
    GROUP BY Person_ID)),
p0 AS (
  SELECT m.Person_ID, m.LADistrictAuth AS locality,
    {coalesced},
    coalesce(f._smi, false) AND coalesce(f._open, false) AS smi_known,
    coalesce(c.caseload, '{R.NO_CASELOAD}') AS caseload
  FROM MHS001MPI m LEFT JOIN flags f USING (Person_ID) LEFT JOIN caseload c USING (Person_ID)),
persons AS (
  SELECT *, ({required}) AND ({n_other}) >= {cfg.min_other} AS in_cohort FROM p0)
SELECT locality, count(*) AS people, sum(smi_known::INT) AS smi_known,
  sum(in_cohort::INT) AS cohort,
  sum((in_cohort AND caseload = 'ao')::INT) AS cohort_on_ao,
  sum((in_cohort AND caseload <> 'ao')::INT) AS cohort_not_on_ao,
  {caseload_counts},
  sum((caseload = 'ao')::INT) AS ao_caseload
FROM persons GROUP BY locality ORDER BY locality
"""


# --- a straightforward pandas version ---------------------------------------------------

def cohort_pandas(data: Path, cfg: CohortConfig = CFG) -> list[dict]:
    import pandas as pd

    def read(name):
        return pd.read_parquet(data / f"{name}.parquet")

    end = pd.Timestamp(cfg.period_end)

    def since(days):
        return pd.Timestamp(cfg.since(days))

    def dates(df, *cols):
        for c in cols:
            df[c] = pd.to_datetime(df[c])
        return df

    mpi = read("MHS001MPI")
    ref = dates(read("MHS101Referral"), "ReferralRequestReceivedDate", "ServDischDate")
    ref = ref[ref.ReferralRequestReceivedDate <= end]
    s102 = dates(read("MHS102ServiceTypeReferredTo"), "ReferClosureDate", "ReferRejectionDate")
    rt = ref.merge(s102.drop(columns="Person_ID"), on="UniqServReqID", how="left")
    rt = rt.rename(columns={"ServTeamTypeRefToMH": "team"})
    diag = []
    for name, col in (("MHS604PrimDiag", "PrimDiag"), ("MHS605SecDiag", "SecDiag")):
        d = dates(read(name), "CodedDiagTimestamp")
        d = d[d.DiagSchemeInUse.isna() | (d.DiagSchemeInUse == "02")]
        diag.append(pd.DataFrame({
            "Person_ID": d.Person_ID, "day": d.CodedDiagTimestamp,
            "code3": d[col].str.upper().str.replace(".", "", regex=False).str.strip().str[:3]}))
    dx = pd.concat(diag)
    dx = dx[dx.day.isna() | (dx.day <= end)]
    con = dates(read("MHS201CareContact"), "CareContDate")
    con = con[con.CareContDate <= end]
    mha = dates(read("MHS401MHActPeriod"), "StartDateMHActLegalStatusClass")
    hosp = dates(read("MHS501HospProvSpell"), "StartDateHospProvSpell")
    cto = dates(read("MHS404CommTreatOrder"), "StartDateCommTreatOrd", "EndDateCommTreatOrd")
    acc = dates(read("MHS003AccommStatus"), "AccommodationTypeDate")
    emp = dates(read("MHS004EmpStatus"), "EmployStatusRecDate")
    sm = dates(read("MHS513SubstanceMisuse"), "SubstanceMisuseDate")
    pol = dates(read("MHS516PoliceAssistanceRequest"), "PoliceAssistReqDate")

    def between(s, days):
        return (s >= since(days)) & (s <= end)

    r: dict[str, set] = {}

    def add(name, ids):
        r.setdefault(name, set()).update(ids)

    add("psychosis_diagnosis", dx.Person_ID[dx.code3.isin(R.PSYCHOSIS_ICD10)])
    add("psychosis_referral",
        ref.Person_ID[ref.PrimReasonReferralMH.isin(R.PSYCHOSIS_REFERRAL_REASONS)])
    add("eip_referral", rt.Person_ID[rt.team == R.EIP_TEAM])
    w = cfg.engagement_window_days
    arranged = con[con.AttendOrDNACode.isin(R.DNA + R.ATTENDED) & between(con.CareContDate, w)]
    g = arranged.assign(dna=arranged.AttendOrDNACode.isin(R.DNA)).groupby("Person_ID").dna
    n, total = g.sum(), g.size()
    add("repeated_dna", n.index[(n >= cfg.dna_min) & (n * 100 >= total * cfg.dna_percent)])
    seen = con[con.AttendOrDNACode.isin(R.ATTENDED)
               & con.ConsMechanismMH.isin(R.DIRECT_MECHANISMS)]
    seen = seen.sort_values(["UniqServReqID", "CareContDate"])
    gap = seen.groupby("UniqServReqID").CareContDate.diff().dt.days
    add("long_gap", seen.Person_ID[(gap >= cfg.gap_days) & between(seen.CareContDate, w)])
    open_ = ref[ref.ServDischDate.isna() | (ref.ServDischDate > end)]
    open_ = open_.groupby("Person_ID").ReferralRequestReceivedDate.min().rename("open_start")
    last = seen.groupby("Person_ID").CareContDate.max().rename("last_seen")
    cur = open_.to_frame().join(last, how="left")
    since_ = cur.last_seen.where(cur.last_seen > cur.open_start, cur.open_start)
    add("long_gap", cur.index[(end - since_).dt.days >= cfg.gap_days])
    closed = ref[ref.ServDischDate.notna() & between(ref.ServDischDate, cfg.harm_window_days)]
    cc = con.merge(closed[["UniqServReqID", "ServDischDate"]], on="UniqServReqID")
    cc = cc[(cc.CareContDate <= cc.ServDischDate)
            & ((cc.ServDischDate - cc.CareContDate).dt.days < cfg.pre_discharge_days)]
    cc = cc.assign(dna=cc.AttendOrDNACode.isin(R.DNA), att=cc.AttendOrDNACode.isin(R.ATTENDED))
    g = cc.groupby(["UniqServReqID", "Person_ID", "ServDischDate"])[["dna", "att"]].sum()
    g = g[(g.dna >= 1) & (g.att == 0)].reset_index()
    re = g.merge(ref[["Person_ID", "ReferralRequestReceivedDate"]], on="Person_ID")
    days = (re.ReferralRequestReceivedDate - re.ServDischDate).dt.days
    add("dna_discharge_rereferral", re.Person_ID[(days > 0) & (days <= cfg.rereferral_days)])
    h = cfg.harm_window_days
    add("detention", mha.Person_ID[mha.LegalStatusCode.isin(R.DETENTION)
                                   & between(mha.StartDateMHActLegalStatusClass, h)])
    add("crisis_admission", hosp.Person_ID[hosp.MethAdmMHHospProvSpell.isin(
        R.EMERGENCY_ADMISSION) & between(hosp.StartDateHospProvSpell, h)])
    add("cto", cto.Person_ID[(cto.StartDateCommTreatOrd <= end) & (
        cto.EndDateCommTreatOrd.isna() | (cto.EndDateCommTreatOrd >= since(h)))])
    s = cfg.social_window_days
    add("housing_need", acc.Person_ID[(acc.SettledAccommodationInd == "N")
                                      & between(acc.AccommodationTypeDate, s)])
    in_s = rt[between(rt.ReferralRequestReceivedDate, s)]
    add("housing_need", in_s.Person_ID[(in_s.SourceOfReferralMH == R.HOUSING_REFERRAL_SOURCE)
                                       | (in_s.team == R.ROUGH_SLEEPING_TEAM)])
    add("employment_need", emp.Person_ID[emp.EmployStatus.isin(R.EMPLOYMENT_NEED)
                                         & between(emp.EmployStatusRecDate, s)])
    add("social_care_need",
        in_s.Person_ID[in_s.SourceOfReferralMH == R.SOCIAL_SERVICES_REFERRAL_SOURCE])
    add("substance_diagnosis", dx.Person_ID[dx.code3.isin(R.SUBSTANCE_ICD10)
                                            & (dx.day.isna() | (dx.day >= since(h)))])
    in_h = rt[between(rt.ReferralRequestReceivedDate, h)]
    add("substance_referral", in_h.Person_ID[
        (in_h.PrimReasonReferralMH == R.SUBSTANCE_REFERRAL_REASON)
        | in_h.team.isin(R.SUBSTANCE_TEAMS)])
    add("substance_inpatient", sm.Person_ID[between(sm.SubstanceMisuseDate, h)])
    add("justice_referral",
        in_h.Person_ID[in_h.SourceOfReferralMH.isin(R.JUSTICE_REFERRAL_SOURCES)])
    add("police_powers", mha.Person_ID[mha.LegalStatusCode.isin(R.PLACE_OF_SAFETY + R.PART_3)
                                       & between(mha.StartDateMHActLegalStatusClass, h)])
    add("police_powers", hosp.Person_ID[hosp.SourceAdmMHHospProvSpell.isin(
        R.JUSTICE_ADMISSION_SOURCES) & between(hosp.StartDateHospProvSpell, h)])
    add("justice_team", in_h.Person_ID[in_h.team.isin(R.JUSTICE_TEAMS)])
    add("police_assistance", pol.Person_ID[between(pol.PoliceAssistReqDate, h)])
    smi = set(dx.Person_ID[dx.code3.isin(R.PSYCHOSIS_ICD10 + R.BIPOLAR_ICD10)])
    smi |= set(ref.Person_ID[ref.PrimReasonReferralMH.isin(
        (*R.PSYCHOSIS_REFERRAL_REASONS, R.BIPOLAR_REFERRAL_REASON))])
    smi |= set(rt.Person_ID[rt.team == R.EIP_TEAM])
    open_smi = set(ref.Person_ID[ref.ServDischDate.isna()
                                 | (ref.ServDischDate >= since(cfg.smi_window_days))])

    p = pd.DataFrame({"Person_ID": mpi.Person_ID, "locality": mpi.LADistrictAuth})
    for name in R.REASON_NAMES:
        p[name] = p.Person_ID.isin(r.get(name, set()))
    for c in R.CRITERIA:
        names = [x.name for x in R.REASONS if x.criterion == c.name]
        if c.name == "social_needs":
            p[c.name] = p[names].sum(axis=1) >= cfg.min_social_needs
        else:
            p[c.name] = p[names].any(axis=1)
    others = [n for n in R.CRITERION_NAMES if n not in cfg.required]
    p["in_cohort"] = p[list(cfg.required)].all(axis=1) & (
        p[others].sum(axis=1) >= cfg.min_other)
    p["smi_known"] = p.Person_ID.isin(smi & open_smi)
    op = rt[(rt.ServDischDate.isna() | (rt.ServDischDate > end))
            & (rt.ReferClosureDate.isna() | (rt.ReferClosureDate > end))
            & (rt.ReferRejectionDate.isna() | (rt.ReferRejectionDate > end))].copy()
    op["rank"] = len(R.CASELOADS) - 1
    for i, (_, _, teams) in reversed(list(enumerate(R.CASELOADS[:-1]))):
        op.loc[op.team.isin(teams), "rank"] = i
    best = op.groupby("Person_ID")["rank"].min()
    keys = [k for k, _, _ in R.CASELOADS]
    p["caseload"] = p.Person_ID.map(best).map(lambda x: R.NO_CASELOAD if pd.isna(x)
                                              else keys[int(x)])
    out = []
    for loc, g in p.groupby("locality", sort=True):
        c = g.in_cohort
        row = {"locality": loc, "people": len(g), "smi_known": int(g.smi_known.sum()),
               "cohort": int(c.sum()), "cohort_on_ao": int((c & (g.caseload == "ao")).sum()),
               "cohort_not_on_ao": int((c & (g.caseload != "ao")).sum())}
        for k in (*keys, R.NO_CASELOAD):
            row[f"cohort_{k}"] = int((c & (g.caseload == k)).sum())
        row["ao_caseload"] = int((g.caseload == "ao").sum())
        out.append(row)
    return out


# --- variants, each in a subprocess -----------------------------------------------------

def _peak_mb() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(me, kids) / 1024


def variant(name: str, data: Path, threads: int) -> dict:
    # Imports are not timed: every variant's clock starts with its libraries loaded.
    import duckdb
    import ibis
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    from outreach.population.engines import connect, spark_session
    from outreach.population.rules import by_locality, person_reasons

    # Connections are opened before the clock starts too (Ibis's DuckDB connect takes
    # about 0.7 s here, once per process).
    if name == "ibis-duckdb":
        con = connect("duckdb", threads=threads)
    elif name == "sql-duckdb":
        con = duckdb.connect()
        con.execute(f"SET threads = {threads}")
    started = time.perf_counter()
    phases = {}
    if name == "ibis-duckdb":
        tables = {n: con.read_parquet(str(data / f"{n}.parquet"), table_name=n)
                  for n in TABLES}
        phases["register"] = time.perf_counter() - started
        expr = by_locality(person_reasons(tables, CFG))
        phases["build"] = time.perf_counter() - started - phases["register"]
        rows = expr.to_pyarrow().to_pylist()  # compiles to SQL (sqlglot), then runs it
        done = time.perf_counter()
        ibis.to_sql(expr)
        phases["compile (inside the total)"] = time.perf_counter() - done
        return {"variant": name, "seconds": done - started, "peak_mb": _peak_mb(),
                "rows": rows, "phases": phases}
    elif name == "sql-duckdb":
        for n in TABLES:
            con.execute(f"CREATE VIEW {n} AS SELECT * FROM read_parquet('{data / n}.parquet')")
        rows = con.sql(cohort_sql()).to_arrow_table().to_pylist()
    elif name == "pandas":
        rows = cohort_pandas(data)
    elif name == "ibis-spark":
        session = spark_session(cores=threads, memory="6g")
        t0 = time.perf_counter()
        con = ibis.pyspark.connect(session)
        tables = {n: con.read_parquet(str(data / f"{n}.parquet"), table_name=n)
                  for n in TABLES}
        rows = by_locality(person_reasons(tables, CFG)).to_pyarrow().to_pylist()
        started_rules = time.perf_counter() - t0
        session.stop()
        return {"variant": name, "seconds": time.perf_counter() - started,
                "rules_seconds": started_rules, "peak_mb": _peak_mb(), "rows": rows}
    else:
        raise SystemExit(f"unknown variant {name}")
    return {"variant": name, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb(),
            "rows": rows, "phases": phases}


def run_child(name: str, data: Path, threads: int) -> dict:
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    out = subprocess.run([sys.executable, __file__, "--child", name, "--data", str(data),
                          "--threads", str(threads)], capture_output=True, text=True, env=env,
                         check=False)
    if out.returncode:
        raise SystemExit(f"{name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure(data: Path, multiplier: float) -> tuple[Path, dict]:
    from outreach.population.synth import write_region

    if not (data / "MHS201CareContact.parquet").exists():
        t = time.perf_counter()
        write_region(data, scale="icb", multiplier=multiplier)
        print(f"generated {data} in {time.perf_counter() - t:.1f} s")
    rows = {n: pq.ParquetFile(data / f"{n}.parquet").metadata.num_rows for n in TABLES}
    return data, rows


def _counts(rows: list[dict]) -> list[dict]:
    return [{k: (int(v) if k != "locality" else v) for k, v in r.items()} for r in rows]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT / "var" / "mhsds-icb")
    ap.add_argument("--multiplier", type=float, default=1.0,
                    help="residents of the DuckDB data set: ICB (3 million) times this")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="runs per DuckDB variant (best)")
    ap.add_argument("--spark", default="", help="ICB multipliers for Spark, e.g. 1,2,4")
    ap.add_argument("--skip-pandas", action="store_true")
    ap.add_argument("--child")
    a = ap.parse_args()
    if a.child:
        print(json.dumps(variant(a.child, a.data, a.threads), default=str))
        return
    data, sizes = ensure(a.data, a.multiplier)
    print(f"data: {data}; people {sizes['MHS001MPI']:,}, referrals "
          f"{sizes['MHS101Referral']:,}, contacts {sizes['MHS201CareContact']:,}; "
          f"threads {a.threads}")
    results = {}
    names = ["ibis-duckdb", "sql-duckdb"] + ([] if a.skip_pandas else ["pandas"])
    for name in names:
        runs = [run_child(name, data, a.threads) for _ in range(a.repeat if name != "pandas"
                                                                else 1)]
        best = min(runs, key=lambda r: r["seconds"])
        results[name] = best
        print(f"{name:<12} best {best['seconds']:6.2f} s of {len(runs)} "
              f"(all: {', '.join(format(r['seconds'], '.2f') for r in runs)}), "
              f"peak {best['peak_mb']:,.0f} MB"
              + "".join(f"; {k} {v:.2f} s" for k, v in best.get("phases", {}).items()))
    ref = _counts(results["ibis-duckdb"]["rows"])
    for name in names[1:]:
        assert _counts(results[name]["rows"]) == ref, f"{name} counts differ from Ibis"
    print("counts by locality: identical across " + ", ".join(names))
    ibis_s, sql_s = results["ibis-duckdb"]["seconds"], results["sql-duckdb"]["seconds"]
    print(f"Ibis / hand-written SQL: {ibis_s / sql_s:.2f}x")
    if "pandas" in results:
        print(f"pandas / Ibis: {results['pandas']['seconds'] / ibis_s:.2f}x")
    total = sum(r["cohort"] for r in ref)
    smi = sum(r["smi_known"] for r in ref)
    print(f"cohort {total:,}; SMI known {smi:,}; multiplier estimate "
          f"{round(smi * 0.10):,}-{round(smi * 0.15):,}")
    if a.spark:
        for m in [float(x) for x in a.spark.split(",")]:
            d = data if m == 1 else data.with_name(f"{data.name}-x{m:g}")
            d, sz = ensure(d, m)
            r = run_child("ibis-spark", d, a.threads)
            if m == 1:
                assert _counts(r["rows"]) == ref, "Spark counts differ from DuckDB"
            print(f"spark x{m:g}: contacts {sz['MHS201CareContact']:,}, people "
                  f"{sz['MHS001MPI']:,}: {r['seconds']:.1f} s with session start, "
                  f"{r['rules_seconds']:.1f} s read + rules, driver peak {r['peak_mb']:,.0f} MB")


if __name__ == "__main__":
    main()
