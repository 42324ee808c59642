"""Forms as a user meets them, in headless Chromium with axe on every page: the week's
visit plan accepted, a visit locked and unlocked (the buttons once answered 403 for want of
a CSRF token); a contact logged, Back, and saved again, once; a bad duration opening its
collapsed section; an expired form explained and reloaded; error pages of the service.

People: the demo practitioner's team view, rows from the 15th on (other journeys take the
first rows); the planner is run by the manager."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD, assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def shot(page: Page, name: str) -> None:
    """Screenshots to look at, when OUTREACH_SHOTS names a directory."""
    if folder := os.environ.get("OUTREACH_SHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def _person(page: Page, row: int) -> str:
    """The href of a person on the team's caseload, by row."""
    page.goto("/?view=team")
    hrefs = page.locator("table a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    hrefs = [h for h in hrefs if re.fullmatch(r"/people/\d+/", h or "")]
    return hrefs[row]


def _contacts_on_timeline(page: Page, href: str, note: str) -> int:
    page.goto(href)
    return page.locator("main").get_by_text(note).count()


def test_the_week_is_planned_a_visit_accepted_locked_and_unlocked(page):
    """Given the manager on the visit plan, when they plan the week and accept, lock and
    unlock a proposed visit with its buttons, then each is done (never 403) and shows."""
    sign_in(page, "manager")
    page.goto("/visits/")
    expect(page.get_by_role("heading", name="Visit plan")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Plan the week").click()
    expect(page.get_by_text(re.compile(r"Planned: \d+ visits? proposed"))).to_be_visible(
        timeout=60_000)
    assert_accessible(page)
    shot(page, "01-week-planned")
    # A worker's day with proposed visits.
    days = page.locator("table a[href*='/visits/workers/']").evaluate_all(
        "links => links.filter(a => parseInt(a.textContent) > 0).map(a => a.getAttribute('href'))")
    for href in days:
        page.goto(href)
        if page.get_by_role("button", name=re.compile("^Accept")).count():
            break
    else:
        pytest.fail("no worker's day has a proposed visit after planning the week")
    assert_accessible(page)
    day_url = page.url
    accept = page.get_by_role("button", name=re.compile("^Accept")).first
    visit = re.search(r"visit (\d+)", accept.inner_text() + accept.text_content()).group(1)
    card = page.locator("li.outreach-item").filter(
        has=page.locator(f"form[action='/visits/{visit}/accept/']"))
    expect(card).to_contain_text("Proposed")
    accept.click()
    expect(page.locator("body")).not_to_contain_text("CSRF")
    assert page.url == day_url
    card = page.locator("li.outreach-item").filter(
        has=page.locator(f"form[action='/visits/{visit}/lock/']"))
    expect(card).to_contain_text("Accepted")
    assert_accessible(page)
    shot(page, "02-visit-accepted")
    card.get_by_role("button", name=re.compile("^Lock worker and time")).click()
    card = page.locator("li.outreach-item").filter(
        has=page.locator(f"form[action='/visits/{visit}/unlock/']"))
    expect(card).to_contain_text("Locked")
    assert_accessible(page)
    shot(page, "03-visit-locked")
    card.get_by_role("button", name=re.compile("^Unlock")).click()
    card = page.locator("li.outreach-item").filter(
        has=page.locator(f"form[action='/visits/{visit}/lock/']"))
    expect(card).to_contain_text("Accepted")
    expect(page.locator(f"form[action='/visits/{visit}/unlock/']")).to_have_count(0)
    assert_accessible(page)
    shot(page, "04-visit-unlocked")


def test_back_and_resubmit_saves_one_contact(page):
    """Given a worker who saved a contact, when they press Back and Save again (the browser
    fetches the form afresh and puts back what they typed), then one contact is kept, the
    form says when it was saved, and the second save says it was not saved twice."""
    sign_in(page, "practitioner")
    href = _person(page, 15)
    note = "Back and resubmit: walked to the park together"
    page.goto(f"{href}contacts/new/")
    assert_accessible(page)
    page.get_by_label("Attended").first.check()
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text(note)).to_be_visible()
    after_first = page.url
    page.go_back()
    expect(page.get_by_role("heading", name=re.compile("Log a contact"))).to_be_visible()
    expect(page.locator(".outreach-recent-save")).to_contain_text(
        re.compile(r"You saved this contact at \d\d:\d\d"))
    assert_accessible(page)
    shot(page, "05-back-to-the-form")
    if not page.get_by_label("Note").input_value():  # the browser did not put it back
        page.get_by_label("Attended").first.check()
        page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".outreach-notice")).to_contain_text(
        re.compile(r"This contact was already saved at \d\d:\d\d"))
    assert page.url == after_first
    assert_accessible(page)
    shot(page, "06-saved-once")
    assert _contacts_on_timeline(page, href, note) == 1


def test_a_bad_duration_opens_its_section_and_the_summary_link_reaches_it(page):
    """Given a worker who types 'abc' minutes inside the collapsed 'Who, when and how long',
    when they save, then the section is open and the summary's link focuses the field."""
    sign_in(page, "practitioner")
    href = _person(page, 16)
    page.goto(f"{href}contacts/new/")
    page.get_by_label("Attended").first.check()
    page.get_by_text("Who, when and how long").click()
    page.get_by_label("Minutes (optional)").fill("abc")
    page.get_by_role("button", name="Save contact").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter the minutes as a number")
    details = page.locator("details").filter(has_text="Who, when and how long")
    expect(details).to_have_attribute("open", "")
    assert_accessible(page)
    summary.get_by_role("link", name="Enter the minutes as a number").click()
    expect(page.get_by_label("Minutes (optional)")).to_be_focused()
    shot(page, "07-duration-error")
    # Too many minutes for one contact: the same.
    page.get_by_label("Minutes (optional)").fill("100000")
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator("details").filter(has_text="Who, when and how long")).to_have_attribute(
        "open", "")
    summary = page.locator(".nhsuk-error-summary")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Minutes (optional)")).to_be_focused()


def test_an_expired_form_explains_and_reloads(page, browser, server):
    """Given a form left open while the worker signed in again elsewhere (a new sign-in
    changes the form's token), when they save it, then the page says the form had expired
    and nothing was saved, and 'Reload the form' opens it again."""
    sign_in(page, "practitioner")
    href = _person(page, 17)
    page.goto(f"{href}contacts/new/")
    other = page.context.new_page()  # the same browser, another tab: signs in again
    other.goto("/login/")
    other.get_by_label("Username").fill("practitioner")
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    other.close()
    page.get_by_label("Attended").first.check()
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_role("heading", name="This form had expired")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nothing was saved")
    assert_accessible(page)
    shot(page, "08-form-expired")
    page.get_by_role("link", name="Reload the form").click()
    expect(page.get_by_role("heading", name=re.compile("Log a contact"))).to_be_visible()


def test_error_pages_are_pages_of_the_service(page):
    """A page that does not exist, signed in and out: the NHS.UK layout and a way home."""
    page.goto("/no-such-page/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page)
    sign_in(page, "practitioner")
    response = page.goto("/people/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page)
    shot(page, "09-not-found")
    page.get_by_role("link", name="Go to the home page").click()
    expect(page.get_by_role("heading", name="My people and people I cover")).to_be_visible()
