"""The clinical record's pages: the record page, scoping (another team's person is 404 on
every page), audit of every read, and what is never shown (a risk score).

Helpers for the other test_pages_* files are here too (names not starting with test_)."""

import itertools
import re
from datetime import date

import pytest
from django.urls import get_resolver

from outreach.audit.models import AuditAction, AuditEvent
from outreach.clinical import services
from outreach.clinical.models import DialogItem
from outreach.clinical.views.kinds import KINDS
from tests.clinical.conftest import days_ago, fill_record, ratings
from tests.conftest import login

_keys = itertools.count(1)


def iso(d: date) -> str:
    return d.isoformat()


def record_url(person, rest: str = "") -> str:
    return f"/people/{person.pk}/record/{rest}"


def post(client, person, rest: str, data: dict, *, key: str | None = None, stale=False,
         page: str | None = None):
    """Post a form of the clinical record with a fresh one-time key (or the one given);
    stale: from a page that does not show this form (a refusal path)."""
    if stale:
        return client.post_stale(record_url(person, rest),
                                 {"submission_key": key or f"key-{next(_keys)}", **data})
    return client.post(record_url(person, rest),
                       {"submission_key": key or f"key-{next(_keys)}", **data},
                       page=page and record_url(person, page))


def html(response) -> str:
    return response.content.decode()


def section(page: str, anchor: str) -> str:
    """The HTML of one section of the record page."""
    start = page.index(f'<section id="{anchor}"')
    return page[start:page.index("</section>", start)]


def views_of(person) -> list[str]:
    return list(AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.VIEW)
                .order_by("id").values_list("what", flat=True))


def care_plan_data(**fields) -> dict:
    data = {"date": iso(days_ago(1)), "actions_rows": "3", "actions_0_what": "Walk to the park",
            "actions_0_who": "Key worker", "chosen_domains": ["mental_health", "friendships"],
            "persons_words": "I want to see my friends", "shared_with": "the person\nGP",
            "help_friendships": "on"}
    data.update({f"rating_{item}": "4" for item in DialogItem.values})
    data.update(fields)
    return data


# --- The record page --------------------------------------------------------------------------


def test_record_page_shows_every_section_with_its_current_entry(person, practitioner):
    fill_record(person, practitioner)
    response = login(practitioner).get(record_url(person))
    page = html(response)
    assert response.status_code == 200
    for anchor in ("care-plan", "safety-plan", "advance-choice", "relapse-signature",
                   "risk-formulation", "medication", "legal", "carers", "social",
                   "physical-health", "ot"):
        assert f'<section id="{anchor}"' in page
    assert "Weekly walk" in section(page, "care-plan")
    assert "Call my sister" in section(page, "safety-plan")
    assert "No haloperidol" in section(page, "advance-choice")
    assert "Sleeping less" in section(page, "relapse-signature")
    assert "Zuclopenthixol" in section(page, "medication")
    assert "Section 3 (treatment)" in section(page, "legal")
    assert "He is not sleeping" in section(page, "carers")
    assert "Arrested, released" in section(page, "social")
    assert "Motivated for work" in section(page, "ot")


def test_record_page_marks_red_flags_and_links_to_the_events(person, practitioner):
    """A sign seen, a medicine stopped against advice, a missed depot and a carer's concern
    are tagged, each with the link that deals with it."""
    fill_record(person, practitioner)
    page = html(login(practitioner).get(record_url(person)))
    signs = section(page, "relapse-signature")
    assert "1 sign seen" in signs and "Record that it has resolved" in signs
    medication = section(page, "medication")
    assert "Stopped against advice" in medication and ">Restart<" in medication
    assert "nhsuk-tag--red" in medication and "Missed" in medication
    carers = section(page, "carers")
    assert "Concern not followed up" in carers and "Follow it up" in carers
    legal = section(page, "legal")
    assert "Record the renewal" in legal and "Record a review held" in legal


def test_record_page_marks_overdue_reviews(person, practitioner):
    """A current plan past its review date is still the current plan, marked overdue."""
    services.care_plan_create(person=person, by=practitioner, request=None,
                              date=days_ago(200), review_due=days_ago(20), ratings=ratings())
    services.safety_plan_create(person=person, by=practitioner, request=None,
                                date=days_ago(200), review_due=days_ago(1),
                                wants_in_crisis="Quiet room", who_to_contact="Brother")
    page = html(login(practitioner).get(record_url(person)))
    assert "Review overdue" in section(page, "care-plan")
    assert "Review overdue" in section(page, "safety-plan")
    assert "None recorded" in section(page, "risk-formulation")
    assert "No check recorded" in section(page, "physical-health")


def test_empty_record_offers_to_record_each_entry(person, practitioner):
    page = html(login(practitioner).get(record_url(person)))
    for slug in ("care-plan", "safety-plan", "advance-choice", "relapse-signature",
                 "risk-formulation", "medication", "depot", "cto", "section-117",
                 "social-circumstances", "physical-health", "ot-assessment"):
        assert f'href="{record_url(person, slug + "/new/")}"' in page


def test_the_record_page_is_audited_before_it_is_shown(person, practitioner):
    login(practitioner).get(record_url(person))
    assert views_of(person) == ["clinical record"]


# --- Scoping: another team's person, another person's entry -----------------------------------


def _clinical_routes():
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        if getattr(pattern, "urlconf_name", None) is not None and getattr(
                pattern.urlconf_module, "__name__", "") == "outreach.clinical.urls":
            return pattern.url_patterns
    raise AssertionError("outreach.clinical.urls is not included")


def _urls_for(person) -> list[str]:
    """Every page of the clinical record for this person, with their own entries' ids."""
    first = {k.slug: k.entries(person).order_by("id").first() for k in KINDS.values()}
    ids = {
        "person_id": person.pk, "depot_id": first["depot"].pk,
        "medication_id": first["medication"].pk, "cto_id": first["cto"].pk,
        "s117_id": first["section-117"].pk, "contact_id": first["carer-contact"].pk,
        "observation_id": person.sign_observations.first().pk,
    }
    urls = []
    for route in _clinical_routes():
        template = str(route.pattern)
        names = re.findall(r"<(?:\w+:)?(\w+)>", template)
        kinds = [k for k in KINDS] if "kind" in names else [None]
        for kind in kinds:
            values = dict(ids)
            if kind:
                values["kind"] = kind
                if "entry_id" in names:
                    if first[kind] is None:
                        continue
                    values["entry_id"] = first[kind].pk
            url = "/" + re.sub(r"<(?:\w+:)?(\w+)>",
                               lambda m, values=values: str(values[m[1]]), template)
            urls.append(url)
    return urls


def test_every_page_is_404_for_another_teams_person(stranger, other_practitioner,
                                                    practitioner):
    """Every page, read or write, of someone on another team is "not found", and nothing
    is written to their record."""
    fill_record(stranger, other_practitioner)
    urls = _urls_for(stranger)
    assert len(urls) >= 60
    before = {k.slug: k.entries(stranger).count() for k in KINDS.values()}
    client = login(practitioner)
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.get(url + "?format=pdf").status_code == 404, url
        assert client.post_stale(url, {"submission_key": "x", "date": iso(days_ago(1))}
                                 ).status_code == 404, url
    assert {k.slug: k.entries(stranger).count() for k in KINDS.values()} == before
    assert not AuditEvent.objects.filter(person_id=stranger.pk, username="practitioner")


def test_another_persons_entry_is_404_through_this_persons_pages(
        person, practitioner, stranger, other_practitioner):
    """An entry id of someone else, in the URL of a person in scope, is not found."""
    fill_record(stranger, other_practitioner)
    client = login(practitioner)
    for kind in KINDS.values():
        entry = kind.entries(stranger).order_by("id").first()
        if entry is None:
            continue
        assert client.get(record_url(person, f"{kind.slug}/{entry.pk}/amend/")
                          ).status_code == 404
        if kind.versioned:
            assert client.get(record_url(person, f"{kind.slug}/{entry.pk}/new-version/")
                              ).status_code == 404
    depot = stranger.depots.first()
    assert post(client, person, f"depot/{depot.pk}/dose/",
                {"outcome": "given", "due_on": iso(depot.next_due),
                 "given_on": iso(days_ago(0)), "expected_version": depot.version},
                stale=True).status_code == 404
    assert not depot.doses.filter(outcome="given").exists()


def test_unknown_kind_of_entry_is_404(person, practitioner):
    client = login(practitioner)
    assert client.get(record_url(person, "horoscope/new/")).status_code == 404
    assert client.get(record_url(person, "depot-dose/new/")).status_code == 404
    assert client.get(record_url(person, "medication/1/new-version/")).status_code == 404


def test_signed_out_users_are_sent_to_sign_in(person):
    from django.test import Client

    response = Client().get(record_url(person))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_commissioner_sees_no_clinical_record(person, commissioner):
    assert login(commissioner).get(record_url(person)).status_code == 404


# --- Audit of reads ---------------------------------------------------------------------------


def test_every_read_is_audited_with_what_was_shown(person, practitioner):
    fill_record(person, practitioner)
    client = login(practitioner)
    plan = person.care_plans.get()
    for rest in ("", "care-plan/history/", "care-plan/dialog/", "care-plan/print/",
                 "care-plan/new/", f"care-plan/{plan.pk}/new-version/",
                 f"care-plan/{plan.pk}/amend/", "relapse-signature/seen/"):
        assert client.get(record_url(person, rest)).status_code == 200, rest
    assert views_of(person) == [
        "clinical record", "care plan: history", "DIALOG scores over time",
        f"care plan {plan.pk}: printable version", "care plan: new entry form",
        f"care plan {plan.pk}: new version form", f"care plan {plan.pk}: correction form",
        "early warning sign form",
    ]
    event = AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.VIEW).first()
    assert event.username == "practitioner" and event.path.startswith("/people/")


# --- Never a risk score -----------------------------------------------------------------------


def test_risk_is_a_narrative_never_a_score(person, practitioner):
    """The risk formulation's form has no number to fill in, and its pages show none."""
    from outreach.clinical.forms import RiskFormulationAmendForm, RiskFormulationForm

    for form_class in (RiskFormulationForm, RiskFormulationAmendForm):
        form = form_class()
        assert not [n for n in form.fields if form.kind_of(n) in ("numeric", "decimal")]
    fill_record(person, practitioner)
    client = login(practitioner)
    risk = section(html(client.get(record_url(person))), "risk-formulation")
    history = html(client.get(record_url(person, "risk-formulation/history/")))
    for page in (risk, history):
        assert "score" not in page.lower()
        assert "risk level" not in page.lower()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_history_page_renders(person, practitioner, kind):
    fill_record(person, practitioner)
    response = login(practitioner).get(record_url(person, f"{kind}/history/"))
    assert response.status_code == 200
    assert "Recorded by" in html(response) or "Nothing recorded yet" in html(response)
