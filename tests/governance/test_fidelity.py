"""Fidelity from the record: the figures behind the features table and DACTS on a hand-built
team, the assessor's ratings and DACTS reviews (with their history), and who may record
them."""

import re

import pytest

from outreach.core.fidelity import DACTS, Column, Status, evaluate_checks
from outreach.core.suppression import Disclosure
from outreach.governance import selectors, services
from outreach.governance.config import measure_params
from outreach.governance.models import DactsAssessment, FeatureAssessment
from outreach.meetings.models import Meeting
from outreach.records.services import ValidationFailed
from outreach.teams.models import Discipline, Role, ServiceType
from tests import factories
from tests.conftest import login
from tests.governance import builders
from tests.governance.builders import AS_OF, ago


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_fidelity_figures_from_a_hand_built_team(team, worker, consultant):
    peer = builders.staff(team, discipline=Discipline.PEER_SUPPORT, fte=0.5)
    builders.staff(team, role=Role.CRISIS_LINE, discipline=Discipline.NONE)
    builders.staff(team, left=ago(100))  # a leaver in the last two years
    people = [builders.episode(team, worker) for _ in range(10)]
    for i, e in enumerate(people):
        builders.contact(e, worker, on=ago(2), second=peer if i < 4 else None)
        builders.contact(e, worker, on=ago(5), place="clinic" if i < 2 else "home")
    for day in range(28):
        on = ago(day)
        Meeting.objects.create(team=team, kind="handover", date=on, opened_by=worker)
    for week in range(4):
        Meeting.objects.create(team=team, kind="mdt", date=ago(7 * week + 1), opened_by=worker)
    f = selectors.fidelity_figures([team.pk], as_of=AS_OF, params=measure_params())[team.pk]
    assert f["people"] == 10 and f["headcount"] == 3  # worker, consultant, peer worker
    assert f["psychiatrist_fte"] == 1.0 and f["nurse_fte"] == 1.0
    assert f["crisis_line_accounts"] == 1 and f["leavers_2y"] == 1
    assert f["seen_by_more_than_one"] == 4
    assert f["successful"] == 20 and f["community"] == 18
    assert f["handover_days_28"] == 28 and f["mdt_weeks_4"] == 4
    checks = evaluate_checks(f, Disclosure.exact())
    assert checks["daily_handover"].status == Status.MET
    assert checks["team_size"].status == Status.NOT_MET  # 3 staff, not 10
    assert checks["peer_support"].status == Status.MET
    assert checks["crisis_line"].status == Status.MET
    assert checks["community_based"].status == Status.MET  # 18 of 20 = 90%


def test_a_non_engagement_discharge_fails_the_dna_check(team, worker):
    builders.discharge(builders.episode(team, worker), worker, on=ago(20),
                       reason="did_not_attend")
    f = selectors.fidelity_figures([team.pk], as_of=AS_OF, params=measure_params())[team.pk]
    assert f["non_engagement_12m"] == 1
    assert evaluate_checks(f, Disclosure.exact())["dna_not_discharge"].status == \
        Status.NOT_MET


def test_team_fidelity_page_shows_the_right_column_and_evidence(team, manager):
    page = text(login(manager).get(f"/governance/team/{team.code}/fidelity/"))
    assert "Full assertive outreach model" in page and "Access to dedicated and qualified staff" \
        in page
    assert "Handovers held on" in page and "Record a DACTS review" in page
    assert "H1 Small caseload" in page and "anchors to be checked" in page


def test_a_dedicated_function_is_assessed_against_its_own_column(db, team):
    team.service_type = ServiceType.DEDICATED_FUNCTION
    team.save()
    manager = builders.staff(team, role=Role.MANAGER, discipline=Discipline.MANAGER,
                             username="df-manager")
    page = text(login(manager).get(f"/governance/team/{team.code}/fidelity/"))
    assert "against the Dedicated function within CMH services column" in page
    assert "discrete team of at least 10 staff" not in page


def test_assessor_rates_a_feature_and_the_rating_is_kept_with_history(team, manager):
    client = login(manager)
    url = f"/governance/team/{team.code}/fidelity/extended_hours/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"status": "met", "evidence": "", "assessed_on": "2026-01-01"})
    assert bad.status_code == 400 and "Write the evidence" in text(bad)
    for status in ("partly_met", "met"):
        response = client.post(url, {"status": status, "evidence": f"Rota seen ({status})",
                                     "gaps": "Evening cover depends on bank staff",
                                     "assessed_on": factories.today().isoformat()})
        assert response.status_code == 302
    assert FeatureAssessment.objects.filter(team=team, feature="extended_hours").count() == 2
    page = text(client.get(f"/governance/team/{team.code}/fidelity/"))
    assert "Rota seen (met)" in page and "Rated by" in page


def test_practitioners_cannot_rate_and_other_teams_are_not_found(team, other_team,
                                                                 practitioner, commissioner):
    assert login(practitioner).get(
        f"/governance/team/{team.code}/fidelity/extended_hours/").status_code == 404
    assert login(practitioner).get(
        f"/governance/team/{other_team.code}/fidelity/").status_code == 404
    assert login(commissioner).get(
        f"/governance/team/{team.code}/dacts/new/").status_code == 200


def dacts_post(**changes) -> dict:
    data = {"assessed_on": factories.today().isoformat(), "reviewers": "Regional reviewer"}
    for item in DACTS:
        data[f"score_{item.code}"] = "4"
        data[f"evidence_{item.code}"] = f"Seen for {item.code}"
    return {**data, **changes}


def test_recording_a_dacts_review_keeps_every_item_and_its_total(team, manager):
    client = login(manager)
    response = client.post(f"/governance/team/{team.code}/dacts/new/", dacts_post())
    assert response.status_code == 302
    review = DactsAssessment.objects.get(team=team)
    assert review.total == 28 * 4 and review.items.count() == 28
    page = text(client.get(response["Location"]))
    assert "112 of 140" in page and "mean 4.00 over 11 items" in page
    assert "characteristic of an established team" in page
    # History: a second review is a new row; the first is kept.
    client.post(f"/governance/team/{team.code}/dacts/new/", dacts_post(score_S10="2"))
    history = text(client.get(f"/governance/team/{team.code}/fidelity/"))
    assert "112" in history and "110" in history


def test_every_item_needs_a_score_and_assessor_items_need_evidence(team, manager):
    response = login(manager).post(f"/governance/team/{team.code}/dacts/new/",
                                   dacts_post(score_H4="", evidence_S9=""))
    page = text(response)
    assert response.status_code == 400
    assert "Choose a score from 1 to 5" in page and "Write the evidence for this score" in page
    assert not DactsAssessment.objects.exists()


def test_overriding_a_computed_score_needs_evidence(team, manager):
    with pytest.raises(ValidationFailed) as refused:
        services.dacts_record(
            team=team, by=manager, assessed_on=AS_OF, today=AS_OF,
            scores={i.code: 3 for i in DACTS},
            evidence={i.code: "" if i.code == "H1" else "seen" for i in DACTS},
            computed={"H1": (10.0, 5)})
    assert services.OVERRIDE_NEEDS_EVIDENCE in refused.value.errors["evidence_H1"]
    review = services.dacts_record(
        team=team, by=manager, assessed_on=AS_OF, today=AS_OF,
        scores={i.code: 5 for i in DACTS},
        evidence={i.code: "" if i.code == "H1" else "seen" for i in DACTS},
        computed={"H1": (10.0, 5)})
    h1 = review.items.get(code="H1")
    assert h1.computed_value == 10.0 and h1.computed_score == 5 and h1.evidence == ""


def test_assessments_are_history_and_never_edited(team, manager):
    review = services.dacts_record(team=team, by=manager, assessed_on=AS_OF, today=AS_OF,
                                   scores={i.code: 3 for i in DACTS},
                                   evidence={i.code: "seen" for i in DACTS}, computed={})
    review.notes = "changed"
    with pytest.raises(PermissionError):
        review.save()
    with pytest.raises(PermissionError):
        review.delete()


def test_commissioners_see_every_team_on_one_fidelity_page(team, other_team, commissioner):
    page = text(login(commissioner).get("/governance/fidelity/"))
    assert team.name in page and other_team.name in page and "Latest DACTS total" in page


def test_fidelity_page_queries_do_not_depend_on_the_team(team, worker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (2, 8):
        for _ in range(n):
            e = builders.episode(team, worker)
            builders.contact(e, worker, on=ago(3))
        with CaptureQueriesContext(connection) as ctx:
            selectors.fidelity_figures([team.pk], as_of=AS_OF, params=measure_params())
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_column_follows_service_type():
    assert Column("full_ao") == Column.FULL_AO
    assert {c.value for c in Column} == set(ServiceType.values)
