"""The NHS.UK error summary's links reach their fields: every link's target is an element on
the page, and a field with an error inside a collapsed section opens that section."""

import re

import pytest

from outreach.clinical.views.kinds import KINDS
from tests import factories
from tests.client import post_forms, posts_to
from tests.conftest import login

HREFS = re.compile(r'<ul class="nhsuk-list nhsuk-error-summary__list">(.*?)</ul>', re.S)
DETAILS = re.compile(r"<details([^>]*)>\s*<summary[^>]*>.*?</summary>(.*?)</details>", re.S)


def summary_targets(html: str) -> list[str]:
    found = HREFS.search(html)
    assert found, "no error summary on the page"
    return re.findall(r'href="#([^"]+)"', found.group(1))


def assert_targets_exist(html: str) -> list[str]:
    targets = summary_targets(html)
    assert targets
    for target in targets:
        assert f'id="{target}"' in html, f"the error summary links to #{target}, not on the page"
    return targets


def _contact(client, person, **fields):
    data = {"outcome": "attended", "date": factories.today().isoformat(),
            "mode": "face_to_face", "place": "home", "with_whom": "person", "note": ""}
    return client.post(f"/people/{person.pk}/contacts/new/", {**data, **fields})


@pytest.mark.parametrize("minutes", ["abc", "100000", "0"])
def test_a_bad_duration_opens_its_section_and_the_link_reaches_it(person, practitioner,
                                                                    minutes):
    response = _contact(login(practitioner), person, duration_minutes=minutes)
    html = response.content.decode()
    assert response.status_code == 200 and not person.contacts.exists()
    assert assert_targets_exist(html) == ["id_duration_minutes"]
    (attrs, body), = DETAILS.findall(html)
    assert 'id="id_duration_minutes"' in body and " open" in attrs


def test_the_section_stays_closed_without_an_error_in_it(person, practitioner):
    response = _contact(login(practitioner), person, outcome="")
    html = response.content.decode()
    assert assert_targets_exist(html) == ["id_outcome_0"]  # the first radio
    (attrs, _), = DETAILS.findall(html)
    assert "open" not in attrs


def test_an_error_in_a_radio_group_inside_the_section_links_to_its_first_radio(
        person, practitioner):
    response = _contact(login(practitioner), person, with_whom="nobody")
    html = response.content.decode()
    assert assert_targets_exist(html) == ["id_with_whom_0"]
    (attrs, _), = DETAILS.findall(html)
    assert " open" in attrs


def test_every_empty_form_links_each_error_to_an_element(person, practitioner, manager):
    """Forms of several kinds posted empty: every error summary link has its target."""
    client = login(practitioner)
    pages = [f"/people/{person.pk}/contacts/new/", f"/people/{person.pk}/visits/new/",
             "/people/new/", *(f"/people/{person.pk}/record/{slug}/new/" for slug in KINDS)]
    checked = 0
    for url in pages:
        page = client.get(url)
        if page.status_code != 200 or not any(
                posts_to(f, url, url) for f in post_forms(page.content.decode())):
            continue  # not offered to this person today (a form blocked by another)
        response = client.post(url, {})
        if response.status_code in (302, 303):
            continue  # nothing required on this form
        assert_targets_exist(response.content.decode())
        checked += 1
    assert checked >= 5
    absence = login(manager).post("/team/absences/new/", {})
    assert_targets_exist(absence.content.decode())
