"""Experience feedback pages: the anonymous public form stores nothing that identifies
anyone (hazard H33), person-linked feedback is scoped and audited, comments reach results
only with consent (hazard H35), and results are suppressed for small numbers."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from outreach.audit.models import AuditAction, AuditEvent
from outreach.core.experience import COMMENT_NEEDS_CONSENT
from outreach.experience.models import Channel, Feedback, FeedbackLink
from outreach.experience.services import GIVEN_IN_FUTURE, NOTHING_ANSWERED
from outreach.experience.views import TOO_MANY
from tests import factories
from tests.conftest import login


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def link(team):
    return FeedbackLink.objects.create(team=team)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


ANSWERS = {"listened": "agree", "involved": "strongly_agree", "same_workers": "disagree",
           "interpreter": "not_applicable", "fft": "very_good"}


def test_anonymous_submission_stores_no_person_and_nothing_identifying(link, person):
    """H33: the public form, even opened by a signed-in worker on their own phone, keeps the
    team, the month and the answers; no person, no member of staff, no day, no address, no
    audit event."""
    client = Client(enforce_csrf_checks=True)
    response = client.get(f"/feedback/{link.code}/person/")
    assert response.status_code == 200
    assert "name" not in [f for f in re.findall(r'name="([a-z_]+)"', response.content.decode())]
    token = response.cookies["csrftoken"].value
    events_before = AuditEvent.objects.count()
    response = client.post(f"/feedback/{link.code}/person/", {
        **ANSWERS, "comment": "The same nurse every week helps", "comment_shared": "yes",
        "csrfmiddlewaretoken": token}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    row = Feedback.objects.get()
    assert (row.person_id, row.entered_by_id, row.given_on) == (None, None, None)
    assert row.channel == Channel.ONLINE and row.team_id == link.team_id
    assert row.month == factories.today().replace(day=1)
    stored = " ".join(str(v) for v in Feedback.objects.values().get().values())
    for identifying in ("203.0.113.9", person.given_name, person.family_name,
                        person.nhs_number):
        assert identifying not in stored
    assert AuditEvent.objects.count() == events_before
    # A worker's session on the phone changes nothing: still no person or staff.
    worker = login(person.episodes.get().key_workers.get().staff)
    worker.post(f"/feedback/{link.code}/carer/", {**ANSWERS, "submission_key": "x2"})
    second = Feedback.objects.get(submission_key="x2")
    assert second.person_id is None and second.entered_by_id is None


def test_public_form_needs_csrf_and_a_live_link(link):
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/feedback/{link.code}/person/", ANSWERS).status_code == 403
    assert Client().get("/feedback/not-a-code/").status_code == 404
    link.active = False
    link.save()
    assert Client().get(f"/feedback/{link.code}/person/").status_code == 404


def test_public_form_is_rate_limited_per_link(link, settings):
    settings.OUTREACH_FEEDBACK = {"anonymous_per_hour": 2}
    client = Client()
    for _ in range(2):
        assert client.post(f"/feedback/{link.code}/person/", ANSWERS).status_code == 302
    response = client.post(f"/feedback/{link.code}/person/", ANSWERS)
    assert response.status_code == 200 and TOO_MANY.split(".")[0] in text(response)
    assert Feedback.objects.count() == 2


def test_public_form_field_errors_and_unshared_comment_is_not_kept(link):
    client = Client()
    response = client.post(f"/feedback/{link.code}/person/", {})
    assert NOTHING_ANSWERED in text(response)
    response = client.post(f"/feedback/{link.code}/person/",
                           {"fft": "good", "comment": "Please change my worker"})
    assert COMMENT_NEEDS_CONSENT in text(response)
    assert 'id="id_comment_shared_0"' in response.content.decode()
    assert not Feedback.objects.exists()
    # H35: "no" to sharing an anonymous comment: the comment is not kept at all.
    client.post(f"/feedback/{link.code}/person/",
                {"fft": "good", "comment": "Please change my worker", "comment_shared": "no"})
    row = Feedback.objects.get()
    assert row.comment == "" and row.comment_shared is None and row.fft == "good"


def test_person_feedback_is_linked_scoped_and_audited(person, practitioner,
                                                      other_practitioner, stranger):
    client = login(practitioner)
    url = f"/people/{person.pk}/feedback/person/new/"
    response = client.get(url)
    assert response.status_code == 200 and person.display_name in text(response)
    response = client.post(url, {"channel": "", "given_on": ""})
    page = text(response)
    assert "Choose how it was given" in page and "Enter the date it was given" in page
    future = (factories.today() + timedelta(days=2)).isoformat()
    response = client.post(url, {**ANSWERS, "channel": "with_worker", "given_on": future})
    assert GIVEN_IN_FUTURE in text(response)
    assert not Feedback.objects.exists()
    response = client.post(url, {**ANSWERS, "channel": "paper",
                                 "given_on": factories.today().isoformat(),
                                 "comment": "Kept with my record", "comment_shared": "no",
                                 "submission_key": "k1"})
    assert response.status_code == 302
    row = Feedback.objects.get()
    assert row.person_id == person.pk and row.entered_by_id == practitioner.pk
    assert row.channel == Channel.PAPER and row.comment_shared is False
    assert AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.CREATE,
                                     what__startswith="experience feedback").count() == 1
    # The same submission again: one row.
    client.post(url, {**ANSWERS, "channel": "paper", "given_on": factories.today().isoformat(),
                      "submission_key": "k1"})
    assert Feedback.objects.count() == 1
    page = client.get(f"/people/{person.pk}/feedback/")
    assert "Kept with my record" in text(page) and "Not to be shared" in text(page)
    assert AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.VIEW,
                                     what="experience feedback").exists()
    # Another team's practitioner: 404 for the list and the form; nothing written.
    other = login(other_practitioner)
    assert other.get(f"/people/{person.pk}/feedback/").status_code == 404
    assert other.post_stale(url, {**ANSWERS, "channel": "paper",
                            "given_on": factories.today().isoformat()}).status_code == 404
    assert Feedback.objects.count() == 1


def make_feedback(team, n, *, comment="", shared=None, fft="good", person=None):
    month = factories.today().replace(day=1)
    for _ in range(n):
        Feedback.objects.create(team=team, month=month, respondent="person",
                                channel=Channel.PAPER if person else Channel.ONLINE,
                                person=person, given_on=factories.today() if person else None,
                                fft=fft, listened="agree", comment=comment,
                                comment_shared=shared if comment else None)


def test_results_show_only_shared_comments_and_suppress_small_numbers(
        team, practitioner, commissioner, other_team, person):
    """H35: a comment the person did not agree to share never appears; a quarter with
    fewer than 5 responses shows "*" to everyone, team staff included, and no comments."""
    make_feedback(team, 3, comment="Shared words", shared=True)
    make_feedback(team, 1, comment="Private words", shared=False, person=person)
    make_feedback(other_team, 2)
    page = login(practitioner).get(f"/governance/team/{team.code}/experience/")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.findall(r'data-figure="responses">([^<]+)<', html)[-1] == "*"
    assert "Shared words" not in html and "Private words" not in html
    make_feedback(team, 3, fft="poor")
    page = login(practitioner).get(f"/governance/team/{team.code}/experience/")
    html = page.content.decode()
    assert re.findall(r'data-figure="responses">([^<]+)<', html)[-1] == "5"  # 7 -> 5
    # FFT positive: 4 "good" of 7 answers is suppressed (numerator under 5).
    assert re.findall(r'data-figure="fft_positive">([^<]+)<', html)[-1] == "*"
    assert html.count("Shared words") == 3 and "Private words" not in html
    # Team staff see only their own team; commissioners see every team, also suppressed.
    assert login(practitioner).get(f"/governance/team/{other_team.code}/experience/"
                                   ).status_code == 404
    page = login(commissioner).get("/governance/experience/")
    assert page.status_code == 200
    assert "All teams together" in text(page) and "Private words" not in text(page)


def test_team_feedback_page_manages_the_link_and_keys_in_paper_forms(team, manager,
                                                                     practitioner):
    client = login(manager)
    client.post("/team/feedback/")
    link = FeedbackLink.objects.get(team=team, active=True)
    page = login(practitioner).get("/team/feedback/")
    assert f"/feedback/{link.code}/" in page.content.decode()
    assert login(practitioner).post_stale("/team/feedback/").status_code == 404  # managers only
    client.post("/team/feedback/", {"revoke": link.pk})
    link.refresh_from_db()
    assert not link.active and FeedbackLink.objects.filter(pk=link.pk).exists()
    response = login(practitioner).post("/team/feedback/paper/carer/",
                                        {"fft": "neither", "comment": "x",
                                         "comment_shared": "yes"})
    assert response.status_code == 302
    row = Feedback.objects.get()
    assert row.person_id is None and row.given_on is None and row.respondent == "carer"
    assert row.channel == Channel.PAPER and row.entered_by_id == practitioner.pk


def test_database_refuses_identifying_anonymous_rows(team, person, practitioner):
    """H33/H35 in the schema: an online row with a person, a member of staff or a day, and
    an anonymous comment not agreed to be shared, are refused by the database itself."""
    from django.db import IntegrityError, transaction

    month = factories.today().replace(day=1)
    base = {"team": team, "month": month, "respondent": "person", "fft": "good"}
    for extra in ({"channel": Channel.ONLINE, "person": person},
                  {"channel": Channel.ONLINE, "entered_by": practitioner},
                  {"channel": Channel.PAPER, "given_on": factories.today()},
                  {"channel": Channel.PAPER, "comment": "x", "comment_shared": False},
                  {"channel": Channel.PAPER, "person": person, "given_on": factories.today(),
                   "comment": "x"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Feedback.objects.create(**base, **extra)
    assert not Feedback.objects.exists()
