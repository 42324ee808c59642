"""Browser journeys for outcomes and equality, each page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def test_practitioner_reads_outcomes_and_enters_a_crisis_episode(page):
    """Given a practitioner on a person's front sheet, when they open the outcomes, then the
    caveats come before any figure; when they enter a crisis episode without a date, the
    error summary names it; with one, they are back on the outcomes."""
    sign_in(page, "practitioner")
    people = [a.get_attribute("href") for a in page.locator("table a").all()]
    for href in people:  # the first person accepted onto the caseload (not just referred)
        page.goto(href)
        page.get_by_role("link", name="Outcomes before and after acceptance").click()
        if page.locator("#caveats").count():
            break
    expect(page.get_by_role("heading", name="Outcomes before and after acceptance")).to_be_visible()
    expect(page.locator("#caveats")).to_contain_text("no comparison group")
    assert_accessible(page)
    page.get_by_role("link", name="Record a crisis episode").click()
    page.get_by_label("Emergency department (mental health)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the date")
    assert_accessible(page)
    page.get_by_label("Date it began").fill("2026-01-05")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Enter history")).to_be_visible()


def test_commissioner_reads_the_pcref_report_and_breakdowns(page):
    """Given a commissioner, when they open the PCREF report and the figures by age, then
    small groups show as "*", restrictive practice says there is no data, and the pages are
    accessible."""
    sign_in(page, "commissioner")
    page.goto("/governance/")
    page.get_by_role("link", name="Equality (PCREF)").click()
    expect(page.locator("h1")).to_contain_text("PCREF")
    expect(page.locator("#restrictive-practice + p")).to_contain_text("No data.")
    expect(page.locator("main")).to_contain_text("*")
    assert_accessible(page)
    page.get_by_role("link", name="Figures by ethnic group, age, sex and deprivation").click()
    page.get_by_role("link", name="Age band").click()
    expect(page.locator("h1")).to_contain_text("age band")
    assert_accessible(page)
    page.get_by_role("link", name="Outcomes").first.click()
    expect(page.locator("#caveats")).to_be_visible()
    assert_accessible(page)
