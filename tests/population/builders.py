"""Small hand-made MHSDS-shaped regions for the spec tests.

A `Region` collects rows per table (only the columns a test cares about; the rest are
filled with defaults or left empty) and writes one Parquet or CSV file per table.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from outreach.population.schema import DATE, INT, TABLES

END = date(2025, 3, 31)  # the default period end of CohortConfig

_ids = itertools.count(1)


def d(s: str) -> date:
    return date.fromisoformat(s)


@dataclass
class Region:
    rows: dict[str, list[dict]] = field(default_factory=lambda: {n: [] for n in TABLES})

    def person(self, pid: str, locality: str = "E08000001", **kw) -> str:
        self.rows["MHS001MPI"].append({"Person_ID": pid, "LADistrictAuth": locality,
                                       "AgeRepPeriodEnd": 40, "Gender": "1", **kw})
        return pid

    def referral(self, pid: str, received: str, disch: str | None = None, team: str = "A06",
                 reason: str | None = None, source: str | None = None,
                 ref: str | None = None) -> str:
        ref = ref or f"R{next(_ids)}"
        self.rows["MHS101Referral"].append({
            "UniqServReqID": ref, "Person_ID": pid, "ReferralRequestReceivedDate": d(received),
            "ServDischDate": d(disch) if disch else None, "PrimReasonReferralMH": reason,
            "SourceOfReferralMH": source,
        })
        self.rows["MHS102ServiceTypeReferredTo"].append(
            {"UniqServReqID": ref, "Person_ID": pid, "ServTeamTypeRefToMH": team})
        return ref

    def contact(self, pid: str, ref: str, day: str, attend: str = "5", mech: str = "01"):
        self.rows["MHS201CareContact"].append({
            "UniqCareContID": f"C{next(_ids)}", "UniqServReqID": ref, "Person_ID": pid,
            "CareContDate": d(day), "AttendOrDNACode": attend, "ConsMechanismMH": mech})

    def diagnosis(self, pid: str, code: str, day: str = "2023-01-01", secondary=False):
        name, col = ("MHS605SecDiag", "SecDiag") if secondary else ("MHS604PrimDiag", "PrimDiag")
        self.rows[name].append({"Person_ID": pid, col: code, "DiagSchemeInUse": "02",
                                "CodedDiagTimestamp": d(day)})

    def admission(self, pid: str, start: str, method: str = "21", source: str = "19"):
        self.rows["MHS501HospProvSpell"].append({
            "UniqHospProvSpellID": f"H{next(_ids)}", "Person_ID": pid,
            "StartDateHospProvSpell": d(start), "MethAdmMHHospProvSpell": method,
            "SourceAdmMHHospProvSpell": source})

    def section(self, pid: str, code: str, start: str):
        self.rows["MHS401MHActPeriod"].append({
            "UniqMHActEpisodeID": f"M{next(_ids)}", "Person_ID": pid, "LegalStatusCode": code,
            "StartDateMHActLegalStatusClass": d(start)})

    def cto(self, pid: str, start: str, end: str | None = None):
        self.rows["MHS404CommTreatOrder"].append({
            "UniqMHActEpisodeID": f"M{next(_ids)}", "Person_ID": pid,
            "StartDateCommTreatOrd": d(start), "EndDateCommTreatOrd": d(end) if end else None})

    def accommodation(self, pid: str, settled: str, day: str):
        self.rows["MHS003AccommStatus"].append({
            "Person_ID": pid, "SettledAccommodationInd": settled, "AccommodationType": "01",
            "AccommodationTypeDate": d(day)})

    def employment(self, pid: str, code: str, day: str):
        self.rows["MHS004EmpStatus"].append(
            {"Person_ID": pid, "EmployStatus": code, "EmployStatusRecDate": d(day)})

    def substance_inpatient(self, pid: str, day: str):
        self.rows["MHS513SubstanceMisuse"].append(
            {"Person_ID": pid, "SubstanceMisuseDate": d(day)})

    def police_assistance(self, pid: str, day: str):
        self.rows["MHS516PoliceAssistanceRequest"].append(
            {"Person_ID": pid, "PoliceAssistReqDate": d(day)})

    # --- writing ---------------------------------------------------------------------

    def arrow(self, name: str) -> pa.Table:
        spec = TABLES[name]
        cols = {}
        for c in spec.columns:
            t = pa.date32() if c.type == DATE else pa.int64() if c.type == INT else pa.string()
            cols[c.name] = pa.array([r.get(c.name) for r in self.rows[name]], t)
        return pa.table(cols)

    def write(self, path: Path, fmt: str = "parquet") -> Path:
        path.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            t = self.arrow(name)
            if fmt == "parquet":
                pq.write_table(t, path / f"{name}.parquet")
            else:
                with open(path / f"{name}.csv", "w", newline="") as f:
                    w = csv.writer(f)
                    w.writerow(t.column_names)
                    for r in t.to_pylist():
                        w.writerow(["" if v is None else v for v in r.values()])
        return path
