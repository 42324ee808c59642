"""The subset of the Mental Health Services Data Set (MHSDS) that the cohort rules read.

Table and column names and code lists are MHSDS's own, as gathered in
`../shared/reference/mhsds.md` from NHS England's published analysis code. Where that sheet
marks a table's columns as not confirmed (MHS004, MHS513, MHS516), the names below are ours
and `docs/population.md` says so. One file per table in a directory: `<table>.parquet` or
`<table>.csv` (UTF-8, header row, ISO dates).

No Django here: this module is used by the command line, the benchmark and Spark jobs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from outreach.core.equality import ETHNIC_CATEGORIES

STRING = "string"
DATE = "date"
INT = "int64"


def _codes(*groups: str | range | tuple[str, ...]) -> frozenset[str]:
    out: set[str] = set()
    for g in groups:
        if isinstance(g, str):
            out.add(g)
        else:
            out.update(g)
    return frozenset(out)


def _nn(lo: int, hi: int, width: int = 2) -> tuple[str, ...]:
    return tuple(f"{i:0{width}d}" for i in range(lo, hi + 1))


# --- code lists (mhsds.md sections 1-9) -------------------------------------------------

GENDER = _codes("1", "2", "9", "X")
SOURCE_OF_REFERRAL = _codes(
    "A1", "A2", "A3", "A4", "B1", "B2", "C1", "C2", "C3", "D1", "D2",
    "E1", "E2", "E3", "E4", "E5", "E6", "F1", "F2", "F3", "G1", "G2", "G3", "G4",
    "H1", "H2", "I1", "I2", "M1", "M2", "M3", "M4", "M5", "M6", "M7", "M9", "N3", "P1",
    "Q1", "Q2",
)
PRIMARY_REASON = _codes(_nn(1, 16), _nn(18, 31))  # there is no code 17
TEAM_TYPE = _codes(
    "A01", "A02", "A03", "A04", tuple(f"A{i:02d}" for i in range(5, 26)),
    "B01", "B02", "C01", "C02", "C04", "C05", "C06", "C07", "C08", "C10",
    tuple(f"D{i:02d}" for i in range(1, 9)), tuple(f"E{i:02d}" for i in range(1, 5)),
    tuple(f"F{i:02d}" for i in range(1, 7)), "Z01", "Z02",
)
ATTEND_STATUS = _codes("2", "3", "4", "5", "6", "7")
CONS_MECHANISM = _codes("01", "02", "03", "04", "05", "06", "09", "10", "11", "12", "13", "98")
ADMISSION_METHOD = _codes(
    "11", "12", "13", "21", "2A", "22", "23", "24", "25", "2B", "2D", "81", "98", "99"
)
LEGAL_STATUS = _codes(
    _nn(1, 10), _nn(12, 20), "31", "32", "35", "36", "37", "38", "98", "99"
)
ACCOMMODATION_TYPE = _codes(_nn(1, 21), "98")
SETTLED_ACCOMMODATION = _codes("Y", "N", "Z", "9")
# EMPLOYMENT STATUS (NHS Data Dictionary; not in mhsds.md, so UNCERTAIN there).
EMPLOYMENT_STATUS = _codes(_nn(1, 8), "ZZ")
DIAG_SCHEME = _codes("01", "02", "04", "05", "06")
# ETHNIC CATEGORY (NHS Data Dictionary; mhsds.md: A-H, J-N, P, R, S; Z not stated; 99 not
# known), grouped for reports by core.equality.
ETHNIC_CATEGORY = frozenset(ETHNIC_CATEGORIES)


@dataclass(frozen=True)
class Column:
    name: str
    type: str = STRING
    nullable: bool = True
    codes: frozenset[str] | None = None
    # A column a file may leave out: read as all empty, and the report says so.
    optional: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: str  # the column that names a row in reports (and, if `unique`, must be unique)
    unique: bool = False
    what: str = ""
    confirmed: bool = True  # columns confirmed in mhsds.md (False: our names)
    optional: bool = False  # a missing file is read as an empty table
    col: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "col", {c.name: c for c in self.columns})

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, type: str = STRING, nullable: bool = True,
       codes: frozenset[str] | None = None, optional: bool = False) -> Column:
    return Column(name, type, nullable, codes, optional)


PID = _c("Person_ID", nullable=False)
REF = _c("UniqServReqID", nullable=False)

TABLES: dict[str, Table] = {t.name: t for t in (
    Table("MHS001MPI", (
        PID, _c("OrgIDProv"), _c("LADistrictAuth", nullable=False),
        _c("OrgIDSubICBLocResidence"), _c("LSOA2011"), _c("AgeRepPeriodEnd", INT),
        _c("Gender", codes=GENDER),
        _c("EthnicCategory", codes=ETHNIC_CATEGORY, optional=True),
    ), key="Person_ID", unique=True,
        what="one row per person, with residence (LADistrictAuth is the locality; LSOA2011 "
             "gives the deprivation decile)"),
    Table("MHS101Referral", (
        REF, PID, _c("OrgIDProv"),
        _c("ReferralRequestReceivedDate", DATE, nullable=False), _c("ServDischDate", DATE),
        _c("SourceOfReferralMH", codes=SOURCE_OF_REFERRAL),
        _c("PrimReasonReferralMH", codes=PRIMARY_REASON),
    ), key="UniqServReqID", unique=True, what="referrals (service requests)"),
    Table("MHS102ServiceTypeReferredTo", (
        REF, PID, _c("UniqCareProfTeamID"),
        _c("ServTeamTypeRefToMH", nullable=False, codes=TEAM_TYPE),
        _c("ReferClosureDate", DATE), _c("ReferRejectionDate", DATE),
    ), key="UniqServReqID", what="the team type each referral is to"),
    Table("MHS201CareContact", (
        _c("UniqCareContID", nullable=False), REF, PID,
        _c("CareContDate", DATE, nullable=False),
        _c("AttendOrDNACode", nullable=False, codes=ATTEND_STATUS),
        _c("ConsMechanismMH", codes=CONS_MECHANISM),
    ), key="UniqCareContID", unique=True, what="care contacts with attendance"),
    Table("MHS501HospProvSpell", (
        _c("UniqHospProvSpellID", nullable=False), _c("UniqServReqID"), PID,
        _c("StartDateHospProvSpell", DATE, nullable=False), _c("DischDateHospProvSpell", DATE),
        _c("MethAdmMHHospProvSpell", codes=ADMISSION_METHOD),
        _c("SourceAdmMHHospProvSpell"),
    ), key="UniqHospProvSpellID", unique=True, what="hospital provider spells (admissions)"),
    Table("MHS401MHActPeriod", (
        _c("UniqMHActEpisodeID", nullable=False), PID,
        _c("LegalStatusCode", nullable=False, codes=LEGAL_STATUS),
        _c("StartDateMHActLegalStatusClass", DATE, nullable=False),
        _c("EndDateMHActLegalStatusClass", DATE),
    ), key="UniqMHActEpisodeID", what="Mental Health Act legal status periods"),
    Table("MHS404CommTreatOrder", (
        _c("UniqMHActEpisodeID", nullable=False), PID,
        _c("StartDateCommTreatOrd", DATE, nullable=False), _c("EndDateCommTreatOrd", DATE),
    ), key="UniqMHActEpisodeID", what="community treatment orders"),
    Table("MHS604PrimDiag", (
        PID, _c("UniqServReqID"), _c("PrimDiag", nullable=False),
        _c("DiagSchemeInUse", codes=DIAG_SCHEME), _c("CodedDiagTimestamp", DATE),
    ), key="Person_ID", what="primary diagnoses (ICD-10 when DiagSchemeInUse is 02)"),
    Table("MHS605SecDiag", (
        PID, _c("UniqServReqID"), _c("SecDiag", nullable=False),
        _c("DiagSchemeInUse", codes=DIAG_SCHEME), _c("CodedDiagTimestamp", DATE),
    ), key="Person_ID", what="secondary diagnoses"),
    Table("MHS003AccommStatus", (
        PID, _c("AccommodationType", codes=ACCOMMODATION_TYPE),
        _c("SettledAccommodationInd", codes=SETTLED_ACCOMMODATION),
        _c("AccommodationTypeDate", DATE, nullable=False),
    ), key="Person_ID", what="accommodation status records"),
    Table("MHS004EmpStatus", (
        PID, _c("EmployStatus", nullable=False, codes=EMPLOYMENT_STATUS),
        _c("EmployStatusRecDate", DATE, nullable=False),
    ), key="Person_ID", what="employment status records", confirmed=False, optional=True),
    Table("MHS513SubstanceMisuse", (
        PID, _c("UniqHospProvSpellID"), _c("SubstanceMisuseDate", DATE, nullable=False),
    ), key="Person_ID", what="substance misuse recorded in a hospital spell",
        confirmed=False, optional=True),
    Table("MHS516PoliceAssistanceRequest", (
        PID, _c("UniqHospProvSpellID"), _c("PoliceAssistReqDate", DATE, nullable=False),
    ), key="Person_ID", what="police assistance requested in a hospital spell",
        confirmed=False, optional=True),
)}

# Not an MHSDS table: the area-of-residence lookup (LSOA 2011 code to IMD decile, 1 the most
# deprived tenth) that `data.load` registers beside the tables. The one shipped is synthetic
# (src/outreach/outcomes/data/README.md); a deployment replaces it with the published one.
IMD_LOOKUP = "LSOA_IMD_LOOKUP"  # no leading "_": Spark skips such files as hidden
