"""The spec examples: one small region, one person per example, and for each the reasons
the rules must find, whether they are in the cohort, their caseload at the period end and
whether they count in the SMI cohort known to secondary care. The same examples run on
DuckDB (tests/population/test_rules.py) and Spark (tests/population/test_spark.py), and are
the examples in docs/population.md. Period end: 2025-03-31 (the default)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from tests.population.builders import Region


@dataclass(frozen=True)
class Expect:
    reasons: frozenset[str]
    in_cohort: bool = False
    caseload: str = "none"
    smi_known: bool = False
    why: str = ""


def E(*reasons: str, **kw) -> Expect:
    return Expect(frozenset(reasons), **kw)


def spec_region() -> tuple[Region, dict[str, Expect]]:
    r = Region()
    x: dict[str, Expect] = {}

    # Demographics dealt in turn (they change no reason), so that the engines are compared
    # on every kind of group too, including not known.
    demo = itertools.cycle([
        {"EthnicCategory": "A", "AgeRepPeriodEnd": 17, "Gender": "1",
         "LSOA2011": "E01900004"},
        {"EthnicCategory": "M", "AgeRepPeriodEnd": 30, "Gender": "2",
         "LSOA2011": "E01900003"},
        {"EthnicCategory": None, "AgeRepPeriodEnd": None, "Gender": "X", "LSOA2011": None},
        {"EthnicCategory": "99", "AgeRepPeriodEnd": 70, "Gender": "9",
         "LSOA2011": "E01999999"},
        {"EthnicCategory": "H", "AgeRepPeriodEnd": 45, "Gender": None,
         "LSOA2011": " e01900001"},
    ])

    def person(pid: str, expect: Expect, locality: str = "E08000001") -> str:
        r.person(pid, locality, **next(demo))
        x[pid] = expect
        return pid

    def seen(pid: str, ref: str) -> None:
        """A recent attended contact, so an open referral shows no long gap."""
        r.contact(pid, ref, "2025-03-20")

    # --- psychosis ---------------------------------------------------------------------
    p = person("dx-f20", E("psychosis_diagnosis", smi_known=True, caseload="cmht",
                           why="F20 diagnosis, open CMHT referral"))
    r.diagnosis(p, "F20.0")
    seen(p, r.referral(p, "2024-01-01"))
    p = person("dx-f25-secondary", E("psychosis_diagnosis", why="dotted secondary F25.1, "
                                     "closed long ago: not SMI-known"))
    r.diagnosis(p, "F25.1", secondary=True)
    r.referral(p, "2020-01-01", "2021-01-01")
    p = person("dx-depression", E(why="F32 is not psychosis"))
    r.diagnosis(p, "F32")
    p = person("dx-after-period", E(why="diagnosed after the period end"))
    r.diagnosis(p, "F20", day="2025-05-01")
    p = person("ref-first-episode", E("psychosis_referral", smi_known=True, caseload="cmht"))
    seen(p, r.referral(p, "2024-06-01", reason="01"))
    p = person("eip", E("eip_referral", smi_known=True, caseload="eip"))
    seen(p, r.referral(p, "2024-06-01", team="A14"))

    # --- disengagement -----------------------------------------------------------------
    p = person("dna-3", E("repeated_dna", caseload="cmht"))
    ref = r.referral(p, "2024-01-01")
    for day in ("2024-12-01", "2025-01-01", "2025-02-01"):
        r.contact(p, ref, day, attend="3")
    r.contact(p, ref, "2025-03-01")
    p = person("dna-2", E(caseload="cmht", why="two DNAs are not repeated enough"))
    ref = r.referral(p, "2024-01-01")
    for day in ("2025-01-01", "2025-02-01"):
        r.contact(p, ref, day, attend="7")
    r.contact(p, ref, "2025-03-01")
    p = person("dna-3-mostly-seen", E(caseload="cmht", why="3 DNAs are 20% of 15 contacts"))
    ref = r.referral(p, "2024-01-01")
    for day in ("2024-12-01", "2025-01-01", "2025-02-01"):
        r.contact(p, ref, day, attend="3")
    for month in ("2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09",
                  "2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03"):
        r.contact(p, ref, f"{month}-15")
    r.contact(p, ref, "2025-03-20", attend="2")  # cancelled by the person: not counted
    p = person("dna-3-one-old", E(caseload="cmht", why="one DNA is outside the 365 days"))
    ref = r.referral(p, "2023-01-01")
    for day in ("2024-03-30", "2025-01-01", "2025-02-01"):
        r.contact(p, ref, day, attend="3")
    r.contact(p, ref, "2025-03-01")
    p = person("gap-106", E("long_gap", caseload="cmht", why="106 days between contacts"))
    ref = r.referral(p, "2024-01-01")
    for day in ("2024-06-01", "2024-09-15", "2024-10-15", "2024-11-15", "2024-12-15",
                "2025-01-15", "2025-02-15", "2025-03-15"):
        r.contact(p, ref, day)
    p = person("gap-60", E(caseload="cmht", why="contacts 60 days apart or less"))
    ref = r.referral(p, "2024-01-01")
    for day in ("2024-06-01", "2024-07-31", "2024-09-29", "2024-11-28", "2025-01-27",
                "2025-03-28"):
        r.contact(p, ref, day)
    p = person("gap-phone-only", E("long_gap", caseload="cmht",
                                   why="an email is not a direct contact"))
    ref = r.referral(p, "2024-01-01")
    r.contact(p, ref, "2024-11-01")
    r.contact(p, ref, "2025-03-01", mech="05")
    p = person("gap-new-referral", E(caseload="cmht", why="referred 30 days ago, not seen yet"))
    r.referral(p, "2025-03-01")
    p = person("dna-discharge-rereferral", E("dna_discharge_rereferral", caseload="cmht"))
    old = r.referral(p, "2023-01-01", "2024-06-30")
    r.contact(p, old, "2024-03-01")
    r.contact(p, old, "2024-06-10", attend="3")
    new = r.referral(p, "2024-09-01")
    for day in ("2024-10-01", "2024-11-15", "2025-01-01", "2025-02-15", "2025-03-20"):
        r.contact(p, new, day)
    p = person("dna-discharge-seen", E(caseload="cmht", why="attended within the 90 days "
                                       "before discharge"))
    old = r.referral(p, "2023-01-01", "2024-06-30")
    r.contact(p, old, "2024-06-10", attend="3")
    r.contact(p, old, "2024-06-20")
    new = r.referral(p, "2024-09-01")
    for day in ("2024-10-01", "2024-11-15", "2025-01-01", "2025-02-15", "2025-03-20"):
        r.contact(p, new, day)

    # --- relapse with serious harms ----------------------------------------------------
    p = person("s3", E("detention"))
    r.section(p, "03", "2024-05-01")
    p = person("s2-old", E(why="detained more than 730 days ago"))
    r.section(p, "02", "2022-01-01")
    p = person("informal", E(why="informal is not detention"))
    r.section(p, "01", "2024-05-01")
    p = person("crisis-admission", E("crisis_admission"))
    r.admission(p, "2024-08-01", method="25")
    p = person("elective-admission", E())
    r.admission(p, "2024-08-01", method="11")
    p = person("cto", E("cto"))
    r.cto(p, "2022-06-01")
    p = person("cto-ended-long-ago", E())
    r.cto(p, "2020-01-01", "2021-01-01")

    # --- social needs -------------------------------------------------------------------
    p = person("not-settled", E("housing_need"))
    r.accommodation(p, "N", "2024-10-01")
    p = person("settled", E())
    r.accommodation(p, "Y", "2024-10-01")
    p = person("housing-referral", E("housing_need", caseload="cmht"))
    seen(p, r.referral(p, "2024-10-01", source="C3"))
    p = person("rough-sleeping-team", E("housing_need", caseload="other"))
    seen(p, r.referral(p, "2024-10-01", team="D08"))
    p = person("unemployed", E("employment_need"))
    r.employment(p, "02", "2024-10-01")
    p = person("social-services", E("social_care_need", caseload="cmht"))
    seen(p, r.referral(p, "2024-10-01", source="C1"))

    # --- substance use -------------------------------------------------------------------
    p = person("f12", E("substance_diagnosis"))
    r.diagnosis(p, "F12.2", day="2024-01-01", secondary=True)
    p = person("substance-reason", E("substance_referral", caseload="cmht"))
    seen(p, r.referral(p, "2024-01-01", reason="09"))
    p = person("substance-team", E("substance_referral", caseload="other"))
    seen(p, r.referral(p, "2024-01-01", team="D01"))
    p = person("substance-ward", E("substance_inpatient"))
    r.substance_inpatient(p, "2024-01-01")

    # --- police and criminal justice ------------------------------------------------------
    p = person("police-referral", E("justice_referral", caseload="cmht"))
    seen(p, r.referral(p, "2024-01-01", source="E1"))
    p = person("s136", E("police_powers"))
    r.section(p, "20", "2024-01-01")
    p = person("court-admission", E("police_powers"))
    r.admission(p, "2024-01-01", method="11", source="40")
    p = person("liaison-team", E("justice_team", caseload="other"))
    seen(p, r.referral(p, "2024-01-01", team="D02"))
    p = person("police-on-ward", E("police_assistance"))
    r.police_assistance(p, "2024-01-01")

    # --- whole people ----------------------------------------------------------------------
    p = person("cohort-cmht", E("psychosis_diagnosis", "repeated_dna", "detention",
                                in_cohort=True, caseload="cmht", smi_known=True,
                                why="psychosis, DNAs, detained: in the cohort, on a CMHT"),
               locality="E08000002")
    r.diagnosis(p, "F20")
    ref = r.referral(p, "2024-01-01")
    for day in ("2024-12-01", "2025-01-01", "2025-02-01"):
        r.contact(p, ref, day, attend="3")
    r.contact(p, ref, "2025-03-01")
    r.section(p, "03", "2024-06-01")
    p = person("cohort-ao", E("psychosis_diagnosis", "long_gap", "housing_need",
                              in_cohort=True, caseload="ao", smi_known=True,
                              why="AO comes first when also open to a CMHT"),
               locality="E08000002")
    r.diagnosis(p, "F23")
    r.referral(p, "2024-01-01")
    r.referral(p, "2024-02-01", team="A08")
    r.accommodation(p, "N", "2025-01-01")
    p = person("cohort-discharged", E("psychosis_referral", "dna_discharge_rereferral",
                                      "crisis_admission", in_cohort=True, smi_known=True,
                                      why="re-referred, then discharged again: on no "
                                      "caseload now"), locality="E08000002")
    old = r.referral(p, "2023-01-01", "2023-12-31", reason="02")
    r.contact(p, old, "2023-12-01", attend="3")
    new = r.referral(p, "2024-03-01", "2024-12-31")
    r.contact(p, new, "2024-12-01")
    r.admission(p, "2024-07-01", method="21")
    p = person("psychosis-dna-only", E("psychosis_diagnosis", "repeated_dna", caseload="cmht",
                                       smi_known=True, why="no third criterion"),
               locality="E08000002")
    r.diagnosis(p, "F20")
    ref = r.referral(p, "2024-01-01")
    for day in ("2024-12-01", "2025-01-01", "2025-02-01"):
        r.contact(p, ref, day, attend="3")
    r.contact(p, ref, "2025-03-01")
    p = person("bipolar-open", E(caseload="crisis", smi_known=True,
                                 why="F31, open to crisis: SMI-known, no reasons"),
               locality="E08000002")
    r.diagnosis(p, "F31")
    r.referral(p, "2025-03-10", team="A02")
    p = person("forensic", E("psychosis_diagnosis", "detention", "police_powers",
                             caseload="forensic", smi_known=True), locality="E08000002")
    r.diagnosis(p, "F20")
    seen(p, r.referral(p, "2024-01-01", team="B01"))
    r.referral(p, "2024-01-01", team="A06")
    r.section(p, "10", "2024-02-01")
    return r, x


CRITERIA_OF = {
    "psychosis_diagnosis": "psychosis", "psychosis_referral": "psychosis",
    "eip_referral": "psychosis", "repeated_dna": "disengagement", "long_gap": "disengagement",
    "dna_discharge_rereferral": "disengagement", "detention": "relapse_harm",
    "crisis_admission": "relapse_harm", "cto": "relapse_harm",
    "substance_diagnosis": "substance_use", "substance_referral": "substance_use",
    "substance_inpatient": "substance_use", "justice_referral": "criminal_justice",
    "police_powers": "criminal_justice", "justice_team": "criminal_justice",
    "police_assistance": "criminal_justice", "housing_need": "social_needs",
    "employment_need": "social_needs", "social_care_need": "social_needs",
}
