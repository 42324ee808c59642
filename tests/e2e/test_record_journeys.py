"""A record that outlives its episode, in the browser at phone width with an axe check on
every page: the crisis line still finds a recently discharged person with the route back in;
a clinician finds them by NHS number, reads the record (read only, marked discharged, with the
decision record), is refused a change with a page that says why, re-refers them onto a new
episode of the same record, and registering them again is refused with a link to the record.

Uses a North person the demo already discharged within the crisis period (the demo generator
discharges about one in eight; see docs/synthetic-data.md), found through the pages rather
than by name, so the journey does not depend on the demo's names."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, choose_another_key_worker, sign_in

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-record")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _a_recent_discharge(page: Page) -> tuple[str, str]:
    """The name and NHS number of a person on the crisis summaries marked discharged (not one
    another journey registered and discharged)."""
    cards = page.locator("article.outreach-crisis").filter(
        has=page.locator(".outreach-discharged")).filter(has_not_text="Testperson")
    expect(cards.first).to_be_visible()
    card = cards.first
    name = card.locator("h2").inner_text().strip()
    number = re.search(r"NHS number (\d{10})", card.inner_text()).group(1)
    return name, number


def test_discharged_person_found_read_and_re_referred(page: Page):
    # The 24/7 crisis line still finds the recently discharged person, with the route back in.
    sign_in(page, "crisis-line")
    expect(page.locator("h1")).to_contain_text("Crisis summaries")
    expect(page.locator("main")).to_contain_text(re.compile(r"discharged in the last \d+ days"))
    name, number = _a_recent_discharge(page)
    card = page.locator("article.outreach-crisis").filter(has_text=number)
    expect(card).to_contain_text("route back in:")
    assert_accessible(page)
    card.get_by_role("link", name=f"Print {name}'s summary alone").click()
    expect(page.locator(".outreach-discharged")).to_contain_text("Discharged on")
    assert_accessible(page)
    shot(page, "01-crisis-line-discharged")
    page.context.clear_cookies()

    # A North clinician finds them by NHS number, typed with spaces, from the caseload.
    sign_in(page, "consultant")
    page.goto("/")
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "02a-caseload-search-box.png"))
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    page.get_by_label("Find a person, including people discharged").fill(spaced)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("h1")).to_have_text("Find a person")
    results = page.locator(".outreach-found li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(re.compile(r"Discharged on \d+ \w+ \d{4}"))
    assert_accessible(page)
    shot(page, "02-search-by-nhs-number")
    results.first.get_by_role("link", name=name).click()

    # The record: read only, marked discharged, the decision record and the whole history.
    banner = page.locator(".outreach-former")
    expect(banner).to_contain_text(re.compile(r"Discharged on \d+ \w+ \d{4} \(.+\)\. Read only\."))
    expect(page.get_by_role("link", name="Log a contact")).to_have_count(0)
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    assert_accessible(page)
    shot(page, "03-discharged-record")
    person_url = page.url
    person_id = re.search(r"/people/(\d+)/", person_url).group(1)
    banner.get_by_role("link", name="Read the discharge decision record").click()
    expect(page.locator("h1")).to_contain_text("Discharge decision record")
    assert_accessible(page)
    page.goto(person_url)
    page.get_by_role("link", name="Full clinical record (read only)").click()
    expect(page.locator("h1")).to_contain_text("Clinical record")
    expect(page.locator(".outreach-former")).to_contain_text("Read only.")
    assert_accessible(page)

    # A change is refused with a page that says why, never a bare 404.
    response = page.goto(f"/people/{person_id}/contacts/new/")
    assert response.status == 403
    expect(page.locator("h1")).to_contain_text("This record is read only")
    assert_accessible(page)
    shot(page, "04-change-refused")

    # Re-referral: the route back in. A missing answer first, then the new episode.
    page.get_by_role("link", name=re.compile(r"^Re-refer ")).first.click()
    expect(page.locator("h1")).to_contain_text("Re-refer to the team")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^Re-refer ")).click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose who referred them")
    assert_accessible(page)
    page.get_by_label("GP", exact=True).check()
    page.get_by_label("What brings them back (optional)").fill("GP says he has stopped sleeping")
    choose_another_key_worker(page)
    page.get_by_role("button", name=re.compile(r"^Re-refer ")).click()
    expect(page.locator("main")).to_contain_text("Re-referred: a new episode is open")
    expect(page.get_by_role("heading", name="From the previous episode: review")).to_be_visible()
    expect(page.get_by_role("heading", name="Earlier episodes with the team")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Accept onto the caseload")
    assert_accessible(page)
    shot(page, "05-re-referred")

    # Registering them again is refused, with a link to their record.
    page.goto("/people/new/")
    page.get_by_label("NHS number").fill(spaced)
    page.get_by_label("Given name").fill("Someone")
    page.get_by_label("Family name").fill("Else")
    page.get_by_label("Date of birth").fill("1980-01-01")
    page.get_by_label("GP", exact=True).check()
    page.get_by_role("button", name="Register and refer").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "already registered and has an open episode with your team")
    expect(page.locator(".outreach-known").get_by_role("link", name=re.compile("Open .*record"))
           ).to_have_attribute("href", f"/people/{person_id}/")
    assert_accessible(page)
    shot(page, "06-duplicate-refused")


def test_another_team_finds_nothing_of_north(page: Page):
    """Another team's practitioner searching for a North person's NHS number finds nobody."""
    sign_in(page, "crisis-line")
    card = page.locator("article.outreach-crisis").first
    number = re.search(r"NHS number (\d{10})", card.inner_text()).group(1)
    page.context.clear_cookies()
    sign_in(page, "other-team")
    page.goto("/people/search/?q=99")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter at least")
    assert_accessible(page)
    page.get_by_label("Name or NHS number").fill(number)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("Nobody your team holds or held matches")
    assert_accessible(page)
