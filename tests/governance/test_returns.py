"""The ICB review return (002 chapter 5) and its action plan: written by commissioners, built
from the record with every count suppressed, frozen when submitted, printable as PDF; the
plan's actions tracked to done with their history."""

import re
from datetime import timedelta

import pytest

from outreach.governance import returns, services
from outreach.governance.models import ActionUpdate, PlanAction, ReviewReturn
from outreach.records.services import StaleEdit, ValidationFailed
from tests import factories
from tests.conftest import login


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


RETURN = {
    "title": "Review 2026", "organisation": "NHS Northshire ICB", "partners": [
        "cmh_providers", "lived_experience"],
    "policies_reviewed": "DNA policy; discharge SOP", "cohort": "From MHSDS, by locality",
    "gaps_workforce": "Two nurse vacancies", "gaps_resourcing": "No weekend funding",
    "barriers": "", "dna_policy_confirmed": "on",
}


@pytest.fixture
def review(commissioner):
    return services.return_create(by=commissioner, today=factories.today(),
                                  title="Review 2026", organisation="NHS Northshire ICB",
                                  as_of=factories.today(), dna_policy_confirmed=True,
                                  gaps_workforce="Two nurse vacancies")


def test_a_commissioner_writes_a_return(team, commissioner):
    client = login(commissioner)
    response = client.post("/governance/returns/new/",
                           {**RETURN, "as_of": factories.today().isoformat()})
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    for phrase in ("Review 2026", "Who was involved", "People with lived experience",
                   "Two nurse vacancies", "Features of intensive and assertive community care",
                   "Action plan", "Compliance with the standards", "Draft",
                   "never used as a reason for discharge"):
        assert phrase in page, phrase


def test_team_staff_read_returns_but_do_not_write_them(team, manager, review):
    client = login(manager)
    assert client.get(f"/governance/returns/{review.pk}/").status_code == 200
    assert client.get("/governance/returns/new/").status_code == 404
    assert client.get(f"/governance/returns/{review.pk}/edit/").status_code == 404


def test_every_count_in_a_return_is_suppressed(team, practitioner, commissioner, review):
    """A return leaves the organisation: 3 people on the caseload show as *."""
    for _ in range(3):
        factories.make_person(team, practitioner)
    doc = returns.build(review)
    row = next(r for r in doc["by_team"] if r["team"] == team.name)
    assert row["caseload"] == "*"
    assert "including zero" in doc["suppression"]
    care = next(f for f in doc["figures"] if f["key"] == "care_plan_in_date")
    assert care["value"] == "*" and care["numerator"].startswith("those whose current")


def test_submitting_freezes_the_return(team, practitioner, commissioner, review):
    client = login(commissioner)
    response = client.post(f"/governance/returns/{review.pk}/submit/",
                           {"version": review.version},
                           page=f"/governance/returns/{review.pk}/")
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "submitted" and review.snapshot["title"] == "Review 2026"
    # Later changes to the record do not change the submitted return.
    for _ in range(7):
        factories.make_person(team, practitioner)
    frozen = returns.document(review)
    assert frozen == review.snapshot
    assert next(r for r in frozen["by_team"] if r["team"] == team.name)["caseload"] == "*"
    with pytest.raises(ValidationFailed):
        services.return_update(review=review, expected_version=review.version,
                               today=factories.today(), title="x", organisation="y",
                               as_of=factories.today())
    assert "Submitted" in text(client.get(f"/governance/returns/{review.pk}/"))


def test_a_return_is_not_submitted_without_the_dna_confirmation(commissioner):
    review = services.return_create(by=commissioner, today=factories.today(), title="R",
                                    organisation="ICB", as_of=factories.today())
    response = login(commissioner).post(f"/governance/returns/{review.pk}/submit/",
                                        {"version": review.version},
                                        page=f"/governance/returns/{review.pk}/")
    assert response["Location"].endswith("?error=dna")
    review.refresh_from_db()
    assert review.is_draft


def test_a_stale_edit_is_refused(commissioner, review):
    services.return_update(review=review, expected_version=review.version,
                           today=factories.today(), title="New", organisation="ICB",
                           as_of=factories.today())
    with pytest.raises(StaleEdit):
        services.return_update(review=review, expected_version=1, today=factories.today(),
                               title="Old", organisation="ICB", as_of=factories.today())


def test_the_return_prints_as_pdf(team, commissioner, review):
    response = login(commissioner).get(f"/governance/returns/{review.pk}/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_return_carries_the_features_table_and_latest_dacts(team, manager, commissioner,
                                                                review):
    services.feature_assess(team=team, by=manager, feature="small_caseload", status="met",
                            evidence="Ratio 1:10", gaps="Vacancies loom",
                            assessed_on=factories.today(), today=factories.today())
    doc = returns.build(review)
    mine = next(t for t in doc["teams"] if t["name"] == team.name)
    small = next(f for f in mine["features"] if f["key"] == "small_caseload")
    assert small["status_label"] == "Met" and small["assessor"]["gaps"] == "Vacancies loom"
    assert mine["dacts"] is None


# --- The action plan ----------------------------------------------------------------------

ACTION = {"section": "governance", "action": "Review compliance with the DNA SOP",
          "timeframe": "short", "lead_organisation": "SFT", "due_date": "",
          "cost_implication": ""}


def test_actions_are_numbered_and_kept_like_the_somerset_plan(manager):
    client = login(manager)
    first = client.post("/governance/actions/new/", ACTION)
    second = client.post("/governance/actions/new/", {**ACTION, "action": "Annual reviews",
                                                      "cost_implication": "£61k",
                                                      "due_date": "2027-01-30"})
    assert first.status_code == 302 and second.status_code == 302
    numbers = list(PlanAction.objects.values_list("number", "cost_implication"))
    assert numbers == [(1, "None"), (2, "£61k")]
    page = text(client.get("/governance/actions/"))
    assert "TBC" in page and "Short term (0-6 months)" in page and "£61k" in page
    csv = client.get("/governance/actions/?format=csv").content.decode()
    assert csv.splitlines()[0].startswith("number,section,action,timeframe,lead organisation")
    assert "Annual reviews" in csv


def test_an_action_is_tracked_to_done_with_its_history(manager):
    action = services.action_create(by=manager, section="governance", action="Do it",
                                    timeframe="medium", lead_organisation="ICB")
    client = login(manager)
    today = factories.today()
    url = f"/governance/actions/{action.pk}/"
    assert client.post(url, {"version": action.version, "status": "in_progress",
                             "on": today.isoformat(), "note": "Started"}).status_code == 302
    action.refresh_from_db()
    missing = client.post(url, {"version": action.version, "status": "done",
                                "on": today.isoformat(), "note": ""})
    assert missing.status_code == 400 and "Say what was done" in text(missing)
    client.post(url, {"version": action.version, "status": "done", "on": today.isoformat(),
                      "note": "Audit complete"})
    action.refresh_from_db()
    assert action.status == "done" and action.done_on == today
    assert list(ActionUpdate.objects.filter(action=action).values_list("status", flat=True)) \
        == ["in_progress", "done"]
    page = text(client.get(url))
    assert "Started" in page and "Audit complete" in page


def test_a_status_change_cannot_be_dated_in_the_future(manager):
    action = services.action_create(by=manager, section="governance", action="Do it",
                                    timeframe="medium", lead_organisation="ICB")
    with pytest.raises(ValidationFailed):
        services.action_status(action=action, by=manager, expected_version=action.version,
                               status="done", note="x", on=factories.today() + timedelta(1),
                               today=factories.today())


def test_practitioners_read_the_plan_but_do_not_change_it(practitioner, manager):
    action = services.action_create(by=manager, section="governance", action="Do it",
                                    timeframe="medium", lead_organisation="ICB")
    client = login(practitioner)
    assert client.get("/governance/actions/").status_code == 200
    assert client.get("/governance/actions/new/").status_code == 404
    assert client.post_stale(f"/governance/actions/{action.pk}/", {
        "version": action.version, "status": "done", "on": "2026-01-01",
        "note": "x"}).status_code == 404


def test_overdue_actions_are_flagged(manager):
    services.action_create(by=manager, section="governance", action="Late one",
                           timeframe="short", lead_organisation="SFT",
                           due_date=factories.today() - timedelta(days=3))
    assert "Past due and not done: 1" in text(login(manager).get("/governance/actions/"))


def test_returns_list(commissioner, review):
    page = text(login(commissioner).get("/governance/returns/"))
    assert "Review 2026" in page and "Draft" in page and "Start a return" in page
    assert ReviewReturn.objects.count() == 1
