"""The demo data set in the database: every row passes the database's CHECK constraints,
each person has one current version of each plan, the demo team shows every kind of red
flag, and the demo practitioner's handover has something in it.

Uses the `db` fixture (a transaction rolled back after each test), like test_load.py.
"""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from outreach.clinical import models as clinical
from outreach.clinical.selectors import flags_for_people
from outreach.core.redflags import FlagKind
from outreach.meetings import agenda
from outreach.meetings.models import Meeting
from outreach.records.models import OPEN_STATUSES, Episode, EpisodeStatus
from outreach.synth.generator import DEMO, generate
from outreach.synth.load import load
from outreach.teams.models import StaffMember

TODAY = date(2026, 3, 5)  # a Thursday
CASELOAD = (EpisodeStatus.ACCEPTED, EpisodeStatus.STEPPED_UP, EpisodeStatus.INPATIENT)
VERSIONED = (clinical.CarePlan, clinical.SafetyPlan, clinical.AdvanceChoice,
             clinical.RelapseSignature, clinical.RiskFormulation, clinical.SocialCircumstances)
# Red flags the demo cannot show. None: the generator produces every kind (docs).
NOT_PRODUCED: frozenset[FlagKind] = frozenset()


@pytest.fixture
def demo(db):
    data = generate(DEMO, seed=3, today=TODAY)
    report = load(data)
    assert report.counts["depot_doses"] == len(data.depot_doses) > 0
    return data


def test_demo_loads_and_has_one_current_version_of_each_plan(demo):
    """The whole demo goes in under the database's CHECK and unique constraints; everyone on
    the caseload has exactly one current care plan and social circumstances, and nobody
    has two current versions of anything."""
    caseload = set(Episode.objects.filter(status__in=CASELOAD).values_list("person_id",
                                                                             flat=True))
    for model in VERSIONED:
        heads = model.objects.filter(superseded_by__isnull=True)
        counts = heads.values("person_id").annotate(n=Count("id"))
        assert all(row["n"] == 1 for row in counts), model.__name__
        assert set(heads.values_list("person_id", flat=True)) <= caseload
    for model in (clinical.CarePlan, clinical.SocialCircumstances):
        assert set(model.objects.filter(superseded_by__isnull=True)
                   .values_list("person_id", flat=True)) == caseload
    assert clinical.CarePlan.objects.filter(superseded_by__isnull=False).exists()
    assert clinical.DialogRating.objects.count() == 11 * clinical.CarePlan.objects.count()


def test_demo_shows_every_kind_of_red_flag(demo):
    """flags_for_people over everyone with an open episode finds at least one of every
    FlagKind, each for a minority of people (a flag is a signal, not the norm)."""
    people = list(Episode.objects.filter(status__in=OPEN_STATUSES)
                  .values_list("person_id", flat=True))
    flags = flags_for_people(people, today=TODAY)
    flagged = Counter(kind for fs in flags.values() for kind in {f.kind for f in fs})
    assert set(flagged) == set(FlagKind) - NOT_PRODUCED
    for kind in (FlagKind.FAMILY_CONCERN, FlagKind.EARLY_WARNING_SIGN, FlagKind.MAPPA,
                 FlagKind.MARAC, FlagKind.POLICE_CONTACT, FlagKind.MEDICATION_STOPPED):
        assert flagged[kind] <= 0.06 * len(people), kind
    depot = {FlagKind.DEPOT_MISSED, FlagKind.DEPOT_REFUSED, FlagKind.DEPOT_OVERDUE}
    with_depot_flag = sum(1 for fs in flags.values() if depot & {f.kind for f in fs})
    assert 0.02 <= with_depot_flag / len(people) <= 0.08


def test_demo_practitioners_handover_has_items(demo):
    """The practitioner's handover: new red flags since yesterday's handover, people
    overdue, missed contacts, today's visits, depots and legal deadlines coming up, who is
    away, and open actions (some overdue); the manager's MDT has discharge proposals."""
    User = get_user_model()
    user = User.objects.get(username="practitioner")
    team = StaffMember.objects.get(user=user).team
    handover = agenda.handover(user, team=team, today=TODAY)
    sizes = {s.key: len(s.items) for s in handover.sections}
    assert all(sizes[key] > 0 for key in ("flags", "engagement", "outcomes", "visits",
                                          "deadlines", "cover")), sizes
    assert handover.actions and any(a.due < TODAY for a in handover.actions)
    assert any(a.due >= TODAY for a in handover.actions)
    mine = [i for i in next(s for s in handover.sections if s.key == "visits").items
            if i.title.startswith(StaffMember.objects.get(user=user).name)]
    assert mine
    mdt = agenda.mdt(User.objects.get(username="manager"), team=team, today=TODAY)
    sizes = {s.key: len(s.items) for s in mdt.sections}
    assert sizes["proposals"] >= 2 and sizes["annual"] > 0 and sizes["reviews"] > 0
    assert Meeting.objects.filter(team=team, kind="handover",
                                  date=TODAY - timedelta(days=1)).exists()
