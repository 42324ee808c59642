"""The caseload page's filters: read from the query string, applied in SQL where the column
is in the caseload query (worker, engagement state, episode status) and to the fetched rows
for red flags and legal status (derived per person with a fixed number of queries)."""

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from outreach.core.engagement import EngagementState
from outreach.core.redflags import FlagKind
from outreach.records.models import EpisodeStatus

STATUSES = {"stepped_up": EpisodeStatus.STEPPED_UP, "inpatient": EpisodeStatus.INPATIENT,
            "referred": EpisodeStatus.REFERRED}


@dataclass(frozen=True)
class CaseloadFilters:
    only_mine: bool = True
    worker: int | None = None
    state: str = ""
    status: str = ""
    flag: str = ""  # "" = any or none, "any" = has a red flag, or a FlagKind
    legal: str = ""
    sort: str = "longest"  # longest since seen first, or "recent"

    @classmethod
    def from_query(cls, q) -> "CaseloadFilters":
        def pick(name: str, allowed) -> str:
            value = q.get(name, "")
            return value if value in allowed else ""

        worker = q.get("worker", "")
        return cls(
            only_mine=q.get("view") != "team",
            worker=int(worker) if worker.isdigit() else None,
            state=pick("state", {s.value for s in EngagementState}),
            status=pick("status", STATUSES),
            flag=pick("flag", {"any", *(k.value for k in FlagKind)}),
            legal=pick("legal", {"detained", "cto", "s117", "mappa", "marac"}),
            sort="recent" if q.get("sort") == "recent" else "longest",
        )

    @property
    def active(self) -> bool:
        return bool(self.worker or self.state or self.status or self.flag or self.legal)

    def apply_sql(self, people: QuerySet) -> QuerySet:
        if self.worker:
            people = people.filter(Q(key_worker_id=self.worker) | Q(cover_id=self.worker))
        if self.state:
            people = people.filter(engagement_state=self.state)
        if self.status:
            people = people.filter(episode_status=STATUSES[self.status])
        if self.sort == "recent":
            people = people.order_by(F("anchor_date").desc(nulls_last=True), "family_name")
        return people

    def apply_python(self, rows: list, flags: dict, legal: dict) -> list:
        if self.flag == "any":
            rows = [r for r in rows if flags.get(r.pk)]
        elif self.flag:
            rows = [r for r in rows if any(f.kind == self.flag for f in flags.get(r.pk, ()))]
        if self.legal:
            rows = [r for r in rows if self.legal in legal.get(r.pk, ())]
        return rows
