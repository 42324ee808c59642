"""The caseload RAG review from the record: facts gathered per person in a fixed number of
queries, the page for team staff (named standards, since when, audited), counts only for
commissioners, and nothing about risk changes a rating."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from outreach.audit.models import AuditEvent
from outreach.clinical.models import RiskFormulation
from outreach.core.rag import Rag, RagConfig, Standard
from outreach.governance import selectors
from outreach.governance.config import measure_params
from outreach.records.models import Carer
from tests import factories
from tests.conftest import login
from tests.governance import builders


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def rate(person, team, today=None):
    today = today or factories.today()
    episodes = selectors.open_episodes(team_ids=[team.pk], person_ids=[person.pk],
                                       today=today)
    return selectors.rag_for(episodes, today=today, params=measure_params(),
                             config=RagConfig())[person.pk]


def test_facts_come_from_the_record(team, practitioner):
    today = factories.today()
    p = factories.make_person(team, practitioner, accepted_days_ago=400)
    e = p.episodes.get()
    builders.care_plan(e, practitioner, on=today - timedelta(days=200),
                       due=today - timedelta(days=20))
    builders.safety_plan(e, practitioner, on=today - timedelta(days=10),
                         due=today + timedelta(days=170))
    builders.risk_formulation(e, practitioner, on=today - timedelta(days=10),
                              due=today + timedelta(days=170))
    builders.physical_check(e, practitioner, on=today - timedelta(days=30))
    for days in (1, 4, 8, 11):
        factories.add_contact(p, practitioner, days_ago=days)
    Carer.objects.create(person=p, name="Sam", relationship="sister")
    result = rate(p, team)
    assert result.of(Standard.CARE_PLAN).rag == Rag.RED
    assert result.of(Standard.CARE_PLAN).since == today - timedelta(days=19)
    assert result.of(Standard.CRISIS_PLAN).rag == Rag.GREEN
    assert result.of(Standard.CONTACT).rag == Rag.GREEN
    assert result.of(Standard.PHYSICAL_HEALTH).rag == Rag.GREEN
    assert result.of(Standard.CARER_CONTACT).rag == Rag.RED  # a carer never contacted
    assert result.of(Standard.LEGAL).rag == Rag.NOT_APPLICABLE
    assert result.overall == Rag.RED


def test_legal_deadlines_come_from_the_clinical_record(team, practitioner):
    today = factories.today()
    p = factories.make_person(team, practitioner)
    builders.cto(p.episodes.get(), practitioner, start=today - timedelta(days=100),
                 expiry=today - timedelta(days=2))
    rating = rate(p, team).of(Standard.LEGAL)
    assert rating.rag == Rag.RED and rating.reason.startswith("CTO expiry was due on")


def test_the_content_of_a_risk_formulation_never_changes_a_rating(team, practitioner):
    """Design rule 6: what the formulation says (even that visits need two staff) is not an
    input; only whether it was reviewed in time."""
    today = factories.today()
    p = factories.make_person(team, practitioner)
    builders.risk_formulation(p.episodes.get(), practitioner, on=today - timedelta(days=5),
                              due=today + timedelta(days=100))
    before = rate(p, team)
    RiskFormulation.objects.filter(person=p).update(
        two_staff_visits=True, history="Serious violence", triggers="Cannabis",
        protective_factors="", what_reduces_risk="")
    assert rate(p, team) == before


def test_rag_page_explains_each_rating_and_is_audited(team, practitioner):
    today = factories.today()
    p = factories.make_person(team, practitioner, accepted_days_ago=400)
    builders.care_plan(p.episodes.get(), practitioner, on=today - timedelta(days=200),
                       due=today - timedelta(days=20))
    page = text(login(practitioner).get(f"/governance/team/{team.code}/rag/"))
    assert p.display_name in page
    assert "It is not a rating of the person or of their risk" in page
    assert "Care plan review overdue: it was due on" in page
    assert f"since {(today - timedelta(days=19)).day} " in page
    assert AuditEvent.objects.filter(person_id=p.pk, what="caseload RAG review").exists()


def test_rag_page_filters_by_overall_rating(team, practitioner):
    p = factories.make_person(team, practitioner)
    client = login(practitioner)
    assert p.display_name not in text(client.get(f"/governance/team/{team.code}/rag/?rag=green"))
    assert p.display_name in text(client.get(f"/governance/team/{team.code}/rag/?rag=red"))


def test_commissioners_see_rag_as_suppressed_counts(team, other_team, practitioner,
                                                    commissioner):
    people = [factories.make_person(team, practitioner) for _ in range(6)]
    response = login(commissioner).get("/governance/rag/")
    page = text(response)
    assert response.status_code == 200 and "People rated red, by standard" in page
    assert team.name in page and other_team.name in page
    for p in people:
        assert p.display_name not in page
    assert "Aggregate figures only" in page
    # A commissioner opening a team's RAG page also gets counts, not people.
    team_page = text(login(commissioner).get(f"/governance/team/{team.code}/rag/"))
    assert people[0].display_name not in team_page


def test_rag_queries_do_not_grow_with_the_caseload(team, practitioner):
    counts = []
    for n in (2, 8):
        for _ in range(n):
            p = factories.make_person(team, practitioner)
            factories.add_contact(p, practitioner, days_ago=2)
            Carer.objects.create(person=p, name="C", relationship="mother")
        episodes = selectors.open_episodes(team_ids=[team.pk], today=factories.today())
        with CaptureQueriesContext(connection) as ctx:
            selectors.rag_for(episodes, today=factories.today(), params=measure_params(),
                              config=RagConfig())
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
