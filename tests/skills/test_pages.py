"""The skills matrix pages (team manager only), training records with amendments kept and
stale edits refused, the gaps on the governance dashboard (exact for the team, suppressed
for commissioners) and the hazard H34 control: expired training is never shown as met."""

import re
from datetime import date, timedelta

import pytest

from outreach.core.skills import default_expiry
from outreach.records.services import STALE_EDIT
from outreach.skills.models import Competency, TrainingAmendment, TrainingRecord
from outreach.skills.services import COMPLETED_IN_FUTURE, REASON_NEEDED
from outreach.teams.models import Discipline, Role
from tests import factories
from tests.conftest import login


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def cell(response, staff_pk: int, competency: str) -> str:
    """The data-status of one cell of a member of staff's row."""
    html = response.content.decode()
    row = html[html.index(f"/team/skills/staff/{staff_pk}/"):]
    row = row[:row.index("</tr>")]
    return re.search(rf'data-competency="{competency}" data-status="([a-z_]+)"', row).group(1)


def train(staff, key: str, *, completed: date, expires: date | None, by) -> TrainingRecord:
    return TrainingRecord.objects.create(
        staff=staff, competency=Competency.objects.get(key=key), completed_on=completed,
        expires_on=expires, recorded_by=by)


@pytest.fixture
def today():
    return factories.today()


def test_matrix_shows_met_expiring_expired_and_missing(team, manager, practitioner, today):
    """H34: MHA training that expired yesterday shows as expired, never as current."""
    train(practitioner, "mha_cto", completed=today - timedelta(days=800),
          expires=today - timedelta(days=1), by=manager)
    train(practitioner, "psychosis", completed=today - timedelta(days=100),
          expires=today + timedelta(days=30), by=manager)
    train(practitioner, "interpreters", completed=today - timedelta(days=100), expires=None,
          by=manager)
    response = login(manager).get("/team/skills/")
    assert response.status_code == 200
    assert cell(response, practitioner.pk, "mha_cto") == "expired"
    assert cell(response, practitioner.pk, "psychosis") == "expiring"
    assert cell(response, practitioner.pk, "interpreters") == "met"
    assert cell(response, practitioner.pk, "trauma_informed") == "missing"
    # A narrower warning window: 30 days left is no longer "expiring" within 10 days.
    narrow = login(manager).get("/team/skills/?within=10")
    assert cell(narrow, practitioner.pk, "psychosis") == "met"
    assert cell(narrow, practitioner.pk, "mha_cto") == "expired"


def test_requirements_follow_discipline(team, manager, today):
    """Section 117 is required of nurses, not of a support, time and recovery worker."""
    str_worker = factories.make_staff(team, discipline=Discipline.STR_WORKER)
    nurse = factories.make_staff(team, discipline=Discipline.NURSE)
    response = login(manager).get("/team/skills/")
    assert cell(response, str_worker.pk, "section_117") == "not_required"
    assert cell(response, nurse.pk, "section_117") == "missing"


def test_only_the_team_manager_sees_the_matrix(team, manager, practitioner,
                                               other_practitioner, commissioner):
    for staff in (practitioner, other_practitioner, commissioner):
        assert login(staff).get("/team/skills/").status_code == 404
    other_manager = factories.make_staff(other_practitioner.team, role=Role.MANAGER,
                                         discipline=Discipline.MANAGER, username="om")
    # Another team's manager cannot reach this team's staff.
    assert login(other_manager).get(f"/team/skills/staff/{practitioner.pk}/").status_code == 404
    assert login(other_manager).post_stale(f"/team/skills/staff/{practitioner.pk}/new/", {
        "competency": Competency.objects.first().pk, "completed_on": "2025-01-01"}
    ).status_code == 404


def test_record_training_with_field_errors_then_default_expiry(team, manager, practitioner,
                                                                today):
    client = login(manager)
    mha = Competency.objects.get(key="mha_cto")
    url = f"/team/skills/staff/{practitioner.pk}/new/"
    response = client.post(url, {"competency": "", "completed_on": ""})
    page = text(response)
    assert "Choose the competency" in page and "Enter the date it was completed" in page
    response = client.post(url, {"competency": mha.pk,
                                 "completed_on": (today + timedelta(days=1)).isoformat()})
    assert COMPLETED_IN_FUTURE in text(response)
    assert not TrainingRecord.objects.exists()
    done = today - timedelta(days=10)
    response = client.post(url, {"competency": mha.pk, "completed_on": done.isoformat(),
                                 "submission_key": "k1"})
    assert response.status_code == 302
    record = TrainingRecord.objects.get()
    # MHA training is renewed every 24 months: valid to the day before the anniversary.
    assert record.expires_on == default_expiry(done, 24) and mha.renewal_months == 24
    # The same form again records nothing more.
    client.post(url, {"competency": mha.pk, "completed_on": done.isoformat(),
                      "submission_key": "k1"})
    assert TrainingRecord.objects.count() == 1


def test_amend_keeps_history_and_refuses_a_stale_edit(team, manager, practitioner, today):
    record = train(practitioner, "mha_cto", completed=today - timedelta(days=900),
                   expires=today - timedelta(days=170), by=manager)
    client = login(manager)
    url = f"/team/skills/records/{record.pk}/amend/"
    new_expiry = today + timedelta(days=200)
    response = client.post(url, {"version": 1, "completed_on": record.completed_on.isoformat(),
                                 "expires_on": new_expiry.isoformat(), "reason": ""})
    assert REASON_NEEDED in text(response)
    response = client.post(url, {"version": 1, "completed_on": record.completed_on.isoformat(),
                                 "expires_on": new_expiry.isoformat(),
                                 "reason": "Certificate shows a later date"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.expires_on == new_expiry and record.version == 2
    amendment = TrainingAmendment.objects.get()
    assert amendment.changes == {"expires_on": [(today - timedelta(days=170)).isoformat(),
                                                new_expiry.isoformat()]}
    # A second edit from the same (now stale) read is refused.
    response = client.post(url, {"version": 1, "completed_on": record.completed_on.isoformat(),
                                 "expires_on": today.isoformat(), "reason": "x"})
    assert STALE_EDIT in text(response)
    record.refresh_from_db()
    assert record.expires_on == new_expiry
    page = text(client.get(f"/team/skills/staff/{practitioner.pk}/"))
    assert "Certificate shows a later date" in page


def test_withdrawn_record_is_kept_and_no_longer_counts(team, manager, practitioner, today):
    record = train(practitioner, "psychosis", completed=today - timedelta(days=10),
                   expires=today + timedelta(days=700), by=manager)
    client = login(manager)
    assert cell(client.get("/team/skills/"), practitioner.pk, "psychosis") == "met"
    response = client.post(f"/team/skills/records/{record.pk}/withdraw/",
                           {"version": 1, "reason": "Wrong person"})
    assert response.status_code == 302
    assert TrainingRecord.objects.filter(pk=record.pk, withdrawn=True).exists()
    assert cell(client.get("/team/skills/"), practitioner.pk, "psychosis") == "missing"
    with pytest.raises(PermissionError):
        record.delete()


def test_governance_dashboard_counts_gaps_exact_for_team_suppressed_for_commissioners(
        team, manager, practitioner, commissioner, today):
    # Two clinicians: the manager needs 9 competencies, the nurse 9: 18 required, 1 met.
    train(practitioner, "psychosis", completed=today - timedelta(days=10),
          expires=today + timedelta(days=700), by=manager)
    page = login(manager).get(f"/governance/team/{team.code}/")
    html = page.content.decode()
    section = html[html.index('id="skills-gaps-section"'):]
    assert re.search(r'data-figure="skills-gaps">17<', section)
    assert "Open the skills matrix" in section
    page = login(commissioner).get(f"/governance/team/{team.code}/")
    section = page.content.decode()[page.content.decode().index('id="skills-gaps-section"'):]
    assert re.search(r'data-figure="skills-gaps">15<', section)  # rounded to 5
    assert "Open the skills matrix" not in section
