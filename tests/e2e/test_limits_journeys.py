"""Browser journeys for date sense, free-text limits and MDT decisions (issue 13): each
refusal as a user meets it, on a phone, with axe on every page. Each journey picks demo
people the other journeys leave alone (the last on a list, not the first) and saves nothing
but one MDT decision, so the shared demo database stays as the others expect it."""

import os
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("OUTREACH_LIMITS_SHOTS")  # a folder: walk the journeys with pictures


def shot(page: Page, name: str, full: bool = True) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=full)


def _last_person(page: Page) -> str:
    """Open the last person on the practitioner's caseload; their front sheet's URL."""
    sign_in(page, "practitioner")
    page.locator("table a").last.click()
    expect(page.get_by_role("heading", name="Red flags")).to_be_visible()
    return page.url


def _field_error(page: Page, field_id: str):
    return page.locator(f".nhsuk-form-group--error:has(#{field_id}) .nhsuk-error-message")


def test_a_contact_dated_1901_is_refused_at_the_field(page):
    """Given a practitioner who types the year wrong, when they save the contact, then it is
    refused with the error summary linking to the date, and the error at the date."""
    _last_person(page)
    page.get_by_role("link", name="Log a contact").click()
    assert_accessible(page)
    page.get_by_label("Attended").check()
    page.get_by_label("Date", exact=True).fill("1901-01-01")
    page.get_by_role("button", name="Save contact").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("The date cannot be before the person")
    expect(_field_error(page, "id_date")).to_contain_text("The date cannot be before")
    shot(page, "contact-1901")
    assert_accessible(page)
    summary.get_by_role("link", name=re.compile("The date cannot be before")).click()
    expect(page.locator("#id_date")).to_be_focused()
    expect(page.get_by_role("heading", name=re.compile("Log a contact"))).to_be_visible()


def test_a_6000_character_note_is_refused_and_kept_to_edit(page):
    """Given a note pasted far beyond any real note, when saved, then it is refused at the
    note with its limit in words, and the text is still there to shorten."""
    _last_person(page)
    page.get_by_role("link", name="Log a contact").click()
    page.get_by_label("Attended").check()
    page.get_by_label("Note").fill("Seen at home, well. " * 300)  # 6,000 characters
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Note must be 5,000 characters or fewer")
    expect(_field_error(page, "id_note")).to_contain_text("5,000 characters or fewer")
    assert len(page.get_by_label("Note").input_value()) == 6_000
    shot(page, "note-6000")
    assert_accessible(page)


def test_a_visit_in_2099_is_refused(page):
    """Given a practitioner planning a visit, when the year is 2099, then it is refused at the
    date with how far ahead a visit may be planned."""
    front = _last_person(page)
    page.goto(front)
    page.get_by_role("link", name="Plan a visit").first.click()
    assert_accessible(page)
    page.get_by_label("Date", exact=True).fill("2099-01-05")
    page.get_by_role("radio", name="Home").check()
    page.get_by_role("button", name="Plan visit").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("up to 26 weeks ahead")
    expect(_field_error(page, "id_date")).to_contain_text("26 weeks")
    shot(page, "visit-2099")
    assert_accessible(page)


def test_an_empty_mdt_decision_is_refused_then_accept_goes_to_the_accept_form(page):
    """Given the consultant at the MDT, when they press Record decision on a referral with
    nothing written, then it is refused (error summary, nothing marked discussed); when they
    choose to accept and write why, then the accept form opens with their words, and until
    it is done the MDT shows the decision as not carried out."""
    sign_in(page, "consultant")
    page.goto("/mdt/")
    expect(page.get_by_role("heading", name="Weekly MDT review")).to_be_visible()
    assert_accessible(page)
    item = page.locator("section[aria-labelledby=referrals] .outreach-item").last
    anchor = item.get_attribute("id")
    expect(item.get_by_text("Discussed", exact=True)).to_have_count(0)
    item.get_by_role("button", name=re.compile("Record decision")).click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter the MDT's decision")
    expect(summary).to_contain_text("Choose what the MDT decided")
    item = page.locator(f"#{anchor}")
    expect(item.locator(".nhsuk-error-message").first).to_be_visible()
    expect(item.get_by_text("Discussed", exact=True)).to_have_count(0)
    shot(page, "mdt-empty-refused", full=False)
    assert_accessible(page)
    summary.get_by_role("link", name="Enter the MDT's decision").click()
    expect(page.locator(f"#decision-{anchor}")).to_be_focused()
    shot(page, "mdt-empty-at-the-item", full=False)

    item.get_by_label(re.compile("Accept the referral")).check()
    item.get_by_label(re.compile("^Decision")).fill("Accept: psychosis, three admissions")
    item.get_by_role("button", name=re.compile("Record decision")).click()
    expect(page.get_by_role("heading", name=re.compile("Accept"))).to_be_visible()
    expect(page.get_by_label(re.compile("The team's reason"))).to_have_value(
        "Accept: psychosis, three admissions")
    shot(page, "mdt-accept-carried")
    assert_accessible(page)

    page.goto("/mdt/")
    item = page.locator(f"#{anchor}")
    expect(item.locator(".outreach-pending")).to_contain_text("Not carried out")
    expect(item.get_by_role("link", name=re.compile("Carry it out now"))).to_be_visible()
    item.scroll_into_view_if_needed()
    shot(page, "mdt-not-carried-out", full=False)
    assert_accessible(page)
