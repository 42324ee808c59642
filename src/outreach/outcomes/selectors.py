"""Reads for the outcome and equality pages and the API.

Per person (`person_outcomes`): called only with a person the view got through
records.selectors.person_for, so team scoping stays where it is enforced. Per team
(`team_people`): every person accepted by the teams, for aggregate figures only; the pages
and the API show these as counts (suppressed for commissioners), never as a list of people.

The mirror image joins what the record already holds with what the outcomes app adds:
- hospital spells: outcomes.HospitalSpell rows, and admissions while on the caseload recorded
  as transitions (admitted, until the next transition of the episode, else still there);
  overlapping spells are one admission (core.outcomes.count_in);
- detentions: clinical.MHADetention rows, and hospital spells marked detained;
- crisis episodes: outcomes.CrisisEpisode rows, and step-ups to the crisis team;
- police or criminal-justice contact: clinical.PoliceContact rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from outreach.clinical.models import (
    LIFE_DOMAINS,
    TREATMENT_ASPECTS,
    AccommodationStatus,
    DialogRating,
    MHADetention,
    PoliceContact,
    SocialCircumstances,
)
from outreach.core import outcomes as core
from outreach.core.equality import Demographics
from outreach.outcomes.areas import imd_decile
from outreach.outcomes.config import outcomes_config
from outreach.outcomes.models import ACTIVE_STATUSES, CrisisEpisode, EmploymentRecord, HospitalSpell
from outreach.records.engagement import engagement_config
from outreach.records.models import (
    SUCCESSFUL_WITH,
    Contact,
    ContactMode,
    ContactOutcome,
    Episode,
    EpisodeStatus,
    Transition,
    TransitionKind,
)

SETTLED = (AccommodationStatus.SETTLED,)


@dataclass
class PersonFacts:
    """Everything the outcomes need of one person, loaded in bulk."""

    person_id: int
    team_id: int
    episode: Episode
    demographics: Demographics
    spells: list[tuple[date, date | None]] = field(default_factory=list)
    detentions: list[tuple[date, date | None]] = field(default_factory=list)
    crisis: list[date] = field(default_factory=list)
    police: list[date] = field(default_factory=list)
    dialog: list[core.DialogPoint] = field(default_factory=list)
    accommodation: list[tuple[date, str]] = field(default_factory=list)
    employment: list[tuple[date, str]] = field(default_factory=list)
    successful: list[date] = field(default_factory=list)

    def history(self) -> core.History:
        e = self.episode
        ended = e.discharged_date if e.status == EpisodeStatus.DISCHARGED else None
        return core.History(e.accepted_date, ended, self.spells, self.detentions, self.crisis,
                            self.police)

    def images(self, as_of: date, horizons: Iterable[int]) -> list[core.MirrorImage]:
        h = self.history()
        return [core.mirror_image(h, as_of=as_of, years=y) for y in horizons]

    def accommodation_change(self) -> core.StatusChange:
        return core.status_change(self.accommodation, accepted=self.episode.accepted_date,
                                  good=SETTLED)

    def employment_change(self) -> core.StatusChange:
        return core.status_change(self.employment, accepted=self.episode.accepted_date,
                                  good=ACTIVE_STATUSES)

    def weekly_target(self) -> int:
        if self.episode.weekly_target:
            return self.episode.weekly_target
        config = engagement_config()
        return (config.stepped_up_weekly_target if self.episode.stepped_up
                else config.weekly_target)

    def contacts(self, as_of: date, weeks: int) -> core.ContactsAgainstTarget | None:
        """The last `weeks` whole weeks before as_of while on the caseload; None when the
        episode is closed."""
        if not self.episode.is_open:
            return None
        start = max(as_of - timedelta(days=7 * weeks + as_of.weekday()),
                    self.episode.accepted_date)
        return core.contacts_against_target(self.successful, start=start,
                                            end=as_of - timedelta(days=1),
                                            target=self.weekly_target())


def _latest_accepted(episodes: Iterable[Episode]) -> dict[int, Episode]:
    out: dict[int, Episode] = {}
    for e in episodes:
        best = out.get(e.person_id)
        if best is None or (e.accepted_date, e.pk) > (best.accepted_date, best.pk):
            out[e.person_id] = e
    return out


def _transition_spells(person_ids: Sequence[int]) -> dict[int, list[tuple[date, date | None]]]:
    """Admissions recorded as transitions: from `admitted` to the episode's next transition
    (left hospital, discharge...), or still in hospital."""
    rows = Transition.objects.filter(episode__person_id__in=person_ids).order_by(
        "episode_id", "date", "id").values_list("episode__person_id", "episode_id", "kind",
                                                "date")
    by_episode: dict[int, list] = defaultdict(list)
    for pid, eid, kind, d in rows:
        by_episode[eid].append((pid, kind, d))
    out: dict[int, list] = defaultdict(list)
    for items in by_episode.values():
        for i, (pid, kind, d) in enumerate(items):
            if kind != TransitionKind.ADMITTED:
                continue
            end = next((later for _, _, later in items[i + 1:] if later >= d), None)
            out[pid].append((d, end))
    return out


def _crisis_step_ups(person_ids: Sequence[int]) -> dict[int, list[date]]:
    out: dict[int, list] = defaultdict(list)
    for pid, d in Transition.objects.filter(
            episode__person_id__in=person_ids, kind=TransitionKind.STEP_UP_CRISIS
    ).values_list("episode__person_id", "date"):
        out[pid].append(d)
    return out


def facts(episodes: Iterable[Episode], *, as_of: date, full: bool = True) -> list[PersonFacts]:
    """The outcome facts of the people of these episodes (the latest accepted episode of
    each person). A fixed number of queries, whatever the number of people. Without `full`,
    only what the mirror image needs (no DIALOG+, accommodation, employment or contacts)."""
    chosen = _latest_accepted(e for e in episodes if e.accepted_date is not None)
    ids = sorted(chosen)
    if not ids:
        return []
    people = {pid: e.person for pid, e in chosen.items()}
    out = {pid: PersonFacts(pid, e.team_id, e, Demographics(
        people[pid].date_of_birth, people[pid].ethnic_category, people[pid].sex,
        imd_decile(people[pid].lsoa_code))) for pid, e in chosen.items()}
    for pid, spells in _transition_spells(ids).items():
        out[pid].spells += spells
    for pid, a, b, detained in HospitalSpell.objects.filter(person_id__in=ids).values_list(
            "person_id", "admitted_on", "discharged_on", "detained"):
        out[pid].spells.append((a, b))
        if detained:
            out[pid].detentions.append((a, b))
    for pid, a, b in MHADetention.objects.filter(person_id__in=ids).values_list(
            "person_id", "start", "end"):
        out[pid].detentions.append((a, b))
    for pid, days in _crisis_step_ups(ids).items():
        out[pid].crisis += days
    for pid, d in CrisisEpisode.objects.filter(person_id__in=ids).values_list(
            "person_id", "start"):
        out[pid].crisis.append(d)
    for f in out.values():
        f.crisis = sorted(set(f.crisis))  # a step-up and its crisis episode: one episode
    for pid, d in PoliceContact.objects.filter(person_id__in=ids).values_list(
            "person_id", "date"):
        out[pid].police.append(d)
    if not full:
        return [out[pid] for pid in ids]
    _dialog(out, ids)
    for pid, d, status in SocialCircumstances.objects.filter(person_id__in=ids).values_list(
            "person_id", "assessed_on", "accommodation_status"):
        out[pid].accommodation.append((d, status))
    for pid, d, status in EmploymentRecord.objects.filter(person_id__in=ids).values_list(
            "person_id", "assessed_on", "status"):
        out[pid].employment.append((d, status))
    weeks = outcomes_config()["contact_weeks"]
    since = as_of - timedelta(days=7 * (weeks + 1))
    for pid, d in Contact.objects.filter(
            person_id__in=ids, date__gte=since, date__lt=as_of,
            outcome=ContactOutcome.ATTENDED, mode=ContactMode.FACE_TO_FACE,
            with_whom__in=SUCCESSFUL_WITH).values_list("person_id", "date"):
        out[pid].successful.append(d)
    return [out[pid] for pid in ids]


def _dialog(out: dict[int, PersonFacts], ids: Sequence[int]) -> None:
    sessions: dict[tuple[int, int], dict] = {}
    for pid, plan_id, on, item, score in DialogRating.objects.filter(
            plan__person_id__in=ids).values_list("plan__person_id", "plan_id", "plan__date",
                                                 "item", "score"):
        sessions.setdefault((pid, plan_id), {"on": on, "scores": {}})["scores"][item] = score
    for (pid, _), s in sorted(sessions.items(), key=lambda kv: kv[1]["on"]):
        out[pid].dialog.append(core.dialog_point(s["on"], s["scores"], LIFE_DOMAINS,
                                                 TREATMENT_ASPECTS))


def team_facts(team_ids: Sequence[int], *, as_of: date, full: bool = True
               ) -> list[PersonFacts]:
    """Every person accepted by these teams on or before as_of (open or closed episodes)."""
    episodes = Episode.objects.filter(team_id__in=team_ids, accepted_date__isnull=False,
                                      accepted_date__lte=as_of).select_related("person")
    return facts(episodes, as_of=as_of, full=full)


def person_facts(person, *, as_of: date) -> PersonFacts | None:
    """The person's facts (their latest accepted episode). The caller got the person through
    records.selectors.person_for."""
    episodes = person.episodes.filter(accepted_date__isnull=False,
                                      accepted_date__lte=as_of).select_related("person")
    found = facts(episodes, as_of=as_of)
    return found[0] if found else None


# --- Team aggregates -------------------------------------------------------------------------


@dataclass
class TeamOutcomes:
    as_of: date
    people: int  # accepted by the teams
    horizons: list[core.HorizonSummary]
    dialog_people: int  # with two assessments far enough apart
    dialog_qol: tuple[float, float, float] | None  # mean change with 95% CI
    dialog_treatment: tuple[float, float, float] | None
    dialog_first_qol: float | None
    dialog_latest_qol: float | None
    contacts: core.ContactsAgainstTarget
    contacts_people: int
    accommodation: core.ShareBeforeAfter
    employment: core.ShareBeforeAfter


def summarise_team(all_facts: Sequence[PersonFacts], *, as_of: date) -> TeamOutcomes:
    cfg = outcomes_config()
    horizons = cfg["horizons_years"]
    images = [m for f in all_facts for m in f.images(as_of, horizons)]
    changes = [c for f in all_facts
               if (c := core.dialog_change(f.dialog, cfg["dialog_min_gap_days"])) is not None]
    qol = [c.quality_of_life for c in changes if c.quality_of_life is not None]
    treat = [c.treatment for c in changes if c.treatment is not None]
    firsts = [c.first.quality_of_life for c in changes if c.quality_of_life is not None]
    latests = [c.latest.quality_of_life for c in changes if c.quality_of_life is not None]
    weeks = weeks_met = contacts = expected = people = 0
    for f in all_facts:
        c = f.contacts(as_of, cfg["contact_weeks"])
        if c is None or c.weeks == 0:
            continue
        people += 1
        weeks, weeks_met = weeks + c.weeks, weeks_met + c.weeks_met
        contacts, expected = contacts + c.contacts, expected + c.expected
    accommodation, employment = core.ShareBeforeAfter(), core.ShareBeforeAfter()
    for f in all_facts:
        accommodation.add(f.accommodation_change())
        employment.add(f.employment_change())
    return TeamOutcomes(
        as_of, len(all_facts), [core.summarise(images, y) for y in horizons], len(qol),
        core.mean_ci(qol), core.mean_ci(treat),
        sum(firsts) / len(firsts) if firsts else None,
        sum(latests) / len(latests) if latests else None,
        core.ContactsAgainstTarget(weeks, weeks_met, contacts, expected), people,
        accommodation, employment,
    )
