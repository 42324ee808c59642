"""What the planner returns: visits, breaks, unmet items with reasons, and the figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from outreach.planning.model import Problem, VisitKind
from outreach.planning.tasks import COUNTS_AS_CONTACT, Task

CHANGE_MINUTES = 15  # a visit that moves by more than this is a change to someone's day


@dataclass(frozen=True)
class PlannedVisit:
    person: str
    worker: str
    day: date
    start: int  # minutes from midnight
    minutes: int
    kind: VisitKind
    travel_minutes: float  # from the worker's previous place (base or last visit)
    task: str
    partner: str | None = None  # the other worker of a two-staff visit
    what: str = ""

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class PlannedBreak:
    worker: str
    day: date
    start: int
    minutes: int


@dataclass(frozen=True)
class Unmet:
    """Something the week needed that the plan does not do, and why, in plain words."""

    person: str
    kind: VisitKind
    day: date | None
    reason: str
    count: int = 1
    task: str | None = None


@dataclass(frozen=True)
class Figures:
    people: int
    people_targets_met: int
    contacts_target: int
    contacts_planned: int
    depots_due: int
    depots_planned: int
    visits: int
    continuity_visits: int
    travel_minutes: float
    runtime_seconds: float
    busiest_worker_visits: int  # most visits by one worker in the week
    quietest_worker_visits: int  # fewest, among workers with any shift
    key_worker_visits: int = 0  # visits with the person's key worker among the workers

    @property
    def key_worker_share(self) -> float:
        return self.key_worker_visits / self.visits if self.visits else 1.0

    @property
    def targets_met_share(self) -> float:
        return self.people_targets_met / self.people if self.people else 1.0

    @property
    def contacts_share(self) -> float:
        return self.contacts_planned / self.contacts_target if self.contacts_target else 1.0

    @property
    def depots_share(self) -> float:
        return self.depots_planned / self.depots_due if self.depots_due else 1.0

    @property
    def continuity_share(self) -> float:
        return self.continuity_visits / self.visits if self.visits else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "people": self.people,
            "people_targets_met": self.people_targets_met,
            "targets_met_share": round(self.targets_met_share, 4),
            "contacts_target": self.contacts_target,
            "contacts_planned": self.contacts_planned,
            "contacts_share": round(self.contacts_share, 4),
            "depots_due": self.depots_due,
            "depots_planned": self.depots_planned,
            "depots_share": round(self.depots_share, 4),
            "visits": self.visits,
            "continuity_share": round(self.continuity_share, 4),
            "key_worker_share": round(self.key_worker_share, 4),
            "travel_minutes": round(self.travel_minutes, 1),
            "runtime_seconds": round(self.runtime_seconds, 2),
            "busiest_worker_visits": self.busiest_worker_visits,
            "quietest_worker_visits": self.quietest_worker_visits,
        }


@dataclass(frozen=True)
class Plan:
    problem: Problem
    tasks: tuple[Task, ...]
    visits: tuple[PlannedVisit, ...]
    breaks: tuple[PlannedBreak, ...]
    unmet: tuple[Unmet, ...]
    travel_minutes: float  # every leg, including each worker's way back to base
    figures: Figures

    def for_worker(self, worker: str, day: date | None = None) -> list[PlannedVisit]:
        """A worker's visits in time order (one day, or the week)."""
        return sorted(
            (v for v in self.visits if v.worker == worker and (day is None or v.day == day)),
            key=lambda v: (v.day, v.start),
        )

    def for_person(self, person: str) -> list[PlannedVisit]:
        return sorted(
            (v for v in self.visits if v.person == person), key=lambda v: (v.day, v.start)
        )

    def changes_from(
        self, before: Plan, *, ignore_people: Sequence[str] = (), ignore_workers: Sequence[str] = ()
    ) -> list[tuple[PlannedVisit, PlannedVisit | None]]:
        """Visits in `before` that this plan moved (worker, day or >15 min) or dropped."""
        now = {(v.task, v.worker): v for v in self.visits}
        by_task: dict[str, list[PlannedVisit]] = {}
        for v in self.visits:
            by_task.setdefault(v.task, []).append(v)
        out: list[tuple[PlannedVisit, PlannedVisit | None]] = []
        for old in before.visits:
            if old.person in ignore_people or old.worker in ignore_workers:
                continue
            same = now.get((old.task, old.worker))
            if same is not None and same.day == old.day and abs(same.start - old.start) <= (
                CHANGE_MINUTES
            ):
                continue
            new = same or next(iter(by_task.get(old.task, [])), None)
            out.append((old, new))
        return out


def counted_contacts(visits: Sequence[PlannedVisit], tasks: dict[str, Task]) -> dict[str, int]:
    """Face-to-face contacts per person (a two-staff visit counts once)."""
    seen: set[str] = set()
    out: dict[str, int] = {}
    for v in visits:
        task = tasks.get(v.task)
        counts = task.counts if task is not None else v.kind in COUNTS_AS_CONTACT
        if counts and v.task not in seen:
            seen.add(v.task)
            out[v.person] = out.get(v.person, 0) + 1
    return out
