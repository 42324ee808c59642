"""Browser journeys for experience feedback and the skills matrix, with axe-core checks."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def test_practitioner_takes_feedback_on_the_phone_with_the_person(page):
    """Given a practitioner with a person, when they fill in the feedback form on their
    phone and leave the sharing question blank, then the error summary asks for it; when
    the person says no, the feedback is saved with their record, marked not to be shared."""
    sign_in(page, "practitioner")
    page.locator("table a").first.click()
    page.get_by_role("link", name="Experience feedback").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Feedback from (?!a carer)")).click()
    expect(page.get_by_role("heading", name="Tell us about your care")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_listened_1").check()
    page.locator("#id_same_workers_0").check()
    page.locator("#id_fft_0").check()
    page.get_by_label(re.compile("anything you would like to tell us")).fill(
        "Seeing the same nurse helps")
    page.get_by_role("button", name="Save feedback").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Say whether the comment may be shared")
    assert_accessible(page)
    page.get_by_label("No, do not share it").check()
    page.get_by_role("button", name="Save feedback").click()
    expect(page.get_by_text("Feedback saved.")).to_be_visible()
    expect(page.get_by_text("Not to be shared beyond the team")).to_be_visible()


def test_public_form_and_manager_pages_are_accessible(page):
    """Given the team's anonymous link, the public form is accessible without signing in;
    the manager's skills matrix and results pages are accessible too."""
    sign_in(page, "manager")
    page.goto("/team/feedback/")
    assert_accessible(page)
    link = re.search(r"/feedback/[\w-]+/", page.locator("main code").first.inner_text()).group(0)
    page.goto("/team/skills/")
    expect(page.get_by_role("heading", name=re.compile("Skills matrix"))).to_be_visible()
    assert_accessible(page)
    page.goto("/governance/")
    page.get_by_role("link", name="Experience").click()
    expect(page.get_by_text("FFT: very good or good").first).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_role("link", name="I am a family member or carer").click()
    assert_accessible(page)
    page.locator("#id_fft_1").check()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert_accessible(page)
