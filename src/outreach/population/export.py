"""Export outreach's own record in the MHSDS shape, so the cohort rules can run on it beside
(or before) a national extract: `outreach export_mhsds DIR [--team CODE]`.

Written: MHS001MPI (people), MHS101Referral and MHS102ServiceTypeReferredTo (episodes: the
team type is A08 for a full assertive outreach team, A06 for a dedicated function within a
CMHT), MHS201CareContact (contacts with the person), MHS401MHActPeriod and
MHS404CommTreatOrder (from the clinical record); the other tables empty. Person_ID is a
keyed hash of the NHS number (the key is the site's secret key), so the files hold no NHS
number, name, date of birth or address. Every person exported gets an EXPORT audit event, in
the same transaction as the read. Files are written to a temporary directory and moved in
place when complete.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db import transaction

from outreach.audit.models import AuditAction, AuditEvent
from outreach.clinical.models import CommunityTreatmentOrder, MHADetention
from outreach.population.schema import DATE, INT, TABLES
from outreach.records.models import (
    SUCCESSFUL_WITH,
    Contact,
    ContactMode,
    ContactOutcome,
    Episode,
    Person,
    ReferralSource,
)
from outreach.teams.models import ServiceType

ACTOR = "export-mhsds"

TEAM_TYPE = {ServiceType.FULL_AO: "A08", ServiceType.DEDICATED_FUNCTION: "A06"}
SOURCE = {
    ReferralSource.CMHT: "P1", ReferralSource.CRISIS: "P1", ReferralSource.INPATIENT: "P1",
    ReferralSource.EIP: "P1", ReferralSource.FORENSIC: "P1", ReferralSource.GP: "A1",
    ReferralSource.CRIMINAL_JUSTICE: "E5", ReferralSource.FAMILY: "B2",
    ReferralSource.SELF: "B1", ReferralSource.OTHER: "M6",
}
ATTEND = {
    ContactOutcome.ATTENDED: "5", ContactOutcome.DID_NOT_ATTEND: "3",
    # MHSDS has no "no access": the person was not there for the arranged contact.
    ContactOutcome.NO_ACCESS: "3",
    ContactOutcome.CANCELLED_BY_PERSON: "2", ContactOutcome.CANCELLED_BY_TEAM: "4",
}
MECHANISM = {ContactMode.FACE_TO_FACE: "01", ContactMode.TELEPHONE: "02",
             ContactMode.VIDEO: "11", ContactMode.TEXT: "09"}
LEGAL_STATUS = {"2": "02", "3": "03", "4": "04", "5(2)": "05", "5(4)": "06", "35": "07",
                "36": "08", "37/41": "09", "37": "10", "38": "12", "45A": "37", "47": "16"}


def pseudonym(nhs_number: str) -> str:
    key = settings.SECRET_KEY.encode()
    return "O" + hmac.new(key, nhs_number.encode(), hashlib.sha256).hexdigest()[:20]


def _table(name: str, rows: list[dict]) -> pa.Table:
    cols = {}
    for c in TABLES[name].columns:
        t = pa.date32() if c.type == DATE else pa.int64() if c.type == INT else pa.string()
        cols[c.name] = pa.array([r.get(c.name) for r in rows], t)
    return pa.table(cols)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@transaction.atomic
def export_mhsds(out: Path, *, teams: list[str] | None = None,
                 period_end: date | None = None) -> dict[str, int]:
    """Write the tables for the people with an episode on `teams` (codes; all teams when
    None), audit each person, and return the row counts."""
    end = period_end or date.today()
    episodes = Episode.objects.select_related("team", "person")
    if teams:
        episodes = episodes.filter(team__code__in=teams)
    episodes = list(episodes.filter(referral_date__lte=end).order_by("pk"))
    person_ids = sorted({e.person_id for e in episodes})
    people = {p.pk: p for p in Person.objects.filter(pk__in=person_ids)}
    pid = {k: pseudonym(p.nhs_number) for k, p in people.items()}
    rows: dict[str, list[dict]] = {n: [] for n in TABLES}
    # The locality: the team's locality (a name, not a local authority code).
    loc: dict[int, str] = {}
    for e in episodes:
        loc.setdefault(e.person_id, e.team.locality)
        ref = f"E{e.pk}"
        rows["MHS101Referral"].append({
            "UniqServReqID": ref, "Person_ID": pid[e.person_id],
            "ReferralRequestReceivedDate": e.referral_date, "ServDischDate": e.discharged_date,
            "SourceOfReferralMH": SOURCE.get(e.referral_source),
            "PrimReasonReferralMH": "02" if "psychosis" in (e.criteria or []) else None,
        })
        rows["MHS102ServiceTypeReferredTo"].append({
            "UniqServReqID": ref, "Person_ID": pid[e.person_id],
            "UniqCareProfTeamID": e.team.code,
            "ServTeamTypeRefToMH": TEAM_TYPE[e.team.service_type],
        })
    for p in people.values():
        rows["MHS001MPI"].append({
            "Person_ID": pid[p.pk], "LADistrictAuth": loc[p.pk],
            "AgeRepPeriodEnd": _age(p.date_of_birth, end),
        })
    episode_ids = [e.pk for e in episodes]
    contacts = Contact.objects.filter(episode_id__in=episode_ids, date__lte=end,
                                      with_whom__in=SUCCESSFUL_WITH).order_by("pk")
    for c in contacts.values("pk", "episode_id", "person_id", "date", "outcome", "mode"):
        rows["MHS201CareContact"].append({
            "UniqCareContID": f"C{c['pk']}", "UniqServReqID": f"E{c['episode_id']}",
            "Person_ID": pid[c["person_id"]], "CareContDate": c["date"],
            "AttendOrDNACode": ATTEND[c["outcome"]], "ConsMechanismMH": MECHANISM[c["mode"]],
        })
    for d in MHADetention.objects.filter(person_id__in=person_ids, start__lte=end):
        code = LEGAL_STATUS.get(d.section)
        if code:
            rows["MHS401MHActPeriod"].append({
                "UniqMHActEpisodeID": f"M{d.pk}", "Person_ID": pid[d.person_id],
                "LegalStatusCode": code, "StartDateMHActLegalStatusClass": d.start,
                "EndDateMHActLegalStatusClass": d.end,
            })
    for t in CommunityTreatmentOrder.objects.filter(person_id__in=person_ids, start__lte=end):
        rows["MHS404CommTreatOrder"].append({
            "UniqMHActEpisodeID": f"T{t.pk}", "Person_ID": pid[t.person_id],
            "StartDateCommTreatOrd": t.start, "EndDateCommTreatOrd": t.ended_on,
        })
    AuditEvent.objects.bulk_create(
        AuditEvent(user_id=None, username=ACTOR, person_id=k, action=AuditAction.EXPORT,
                   what="Exported in the MHSDS shape (pseudonymised)") for k in person_ids)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, r in rows.items():
            pq.write_table(_table(name, r), tmp / f"{name}.parquet")
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return {n: len(r) for n, r in rows.items()}
