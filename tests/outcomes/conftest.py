from datetime import timedelta

import pytest

from outreach.clinical.models import MHADetention, PoliceContact
from outreach.outcomes.models import CrisisEpisode, HospitalSpell
from tests import factories


def days_ago(n: int):
    return factories.today() - timedelta(days=n)


def spell(person, staff, *, start_ago: int, days: int, detained: bool = False):
    return HospitalSpell.objects.create(
        person=person, recorded_by=staff, admitted_on=days_ago(start_ago),
        discharged_on=days_ago(start_ago - days + 1), detained=detained)


def crisis(person, staff, *, ago: int):
    return CrisisEpisode.objects.create(person=person, recorded_by=staff, kind="home_treatment",
                                        start=days_ago(ago))


def police(person, staff, *, ago: int):
    return PoliceContact.objects.create(person=person, recorded_by=staff, date=days_ago(ago),
                                        summary="Synthetic: stopped and spoken to.")


def detention(person, staff, *, start_ago: int, days: int, section: str = "3"):
    return MHADetention.objects.create(person=person, recorded_by=staff, section=section,
                                       start=days_ago(start_ago),
                                       end=days_ago(start_ago - days + 1))


@pytest.fixture
def veteran(team, practitioner):
    """Accepted 800 days ago: in both the 1- and 2-year comparisons. Before: a detained
    20-day admission 500 days before acceptance (in the 2-year window only) and a 10-day one
    100 days before; two crisis episodes and a police contact. After: one 5-day admission,
    one crisis episode in the second year."""
    p = factories.make_person(team, practitioner, accepted_days_ago=800, ethnic_category="M",
                              sex="1", lsoa_code="E01900001")
    spell(p, practitioner, start_ago=1300, days=20, detained=True)
    spell(p, practitioner, start_ago=900, days=10)
    crisis(p, practitioner, ago=850)
    crisis(p, practitioner, ago=820)
    police(p, practitioner, ago=810)
    spell(p, practitioner, start_ago=600, days=5)
    crisis(p, practitioner, ago=400)  # in the second year after
    return p


@pytest.fixture
def newcomer(team, practitioner):
    """Accepted 200 days ago, with an admission before: in no comparison."""
    p = factories.make_person(team, practitioner, accepted_days_ago=200, ethnic_category="A",
                              sex="2")
    spell(p, practitioner, start_ago=300, days=30)
    return p
