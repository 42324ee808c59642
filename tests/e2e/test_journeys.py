"""Browser journeys in headless Chromium, each with an axe-core accessibility check on every
page it visits. Given/when/then per persona, on the synthetic demo team."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    assert_accessible,
    choose_another_key_worker,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.e2e


def test_practitioner_logs_a_missed_visit_and_plans_the_next(page):
    """Given a practitioner on a phone, when they log a did-not-attend from the caseload,
    then they are offered the next steps (never a discharge) and can plan a visit."""
    sign_in(page, "practitioner")
    expect(page.get_by_role("heading", name="My people and people I cover")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "caseload")
    page.locator("table a").first.click()
    expect(page.get_by_role("heading", name="Red flags")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "front-sheet")
    page.get_by_role("link", name="Log a contact").click()
    assert_accessible(page)
    page.get_by_label("Did not attend").check()
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_role("heading", name=re.compile("what next"))).to_be_visible()
    assert "discharge" not in page.locator("main").inner_text().lower().replace(
        "never a reason to discharge", "")
    assert_accessible(page)
    page.get_by_role("link", name="Try again tomorrow").click()
    page.get_by_role("button", name="Plan visit").click()
    expect(page.get_by_text("Planned visits")).to_be_visible()


def test_contact_form_reports_errors_in_the_summary(page):
    """Given a worker who forgets the outcome, when they save, then the NHS.UK error summary
    names the field and links to it."""
    sign_in(page, "practitioner")
    page.locator("table a").first.click()
    page.get_by_role("link", name="Log a contact").click()
    page.get_by_role("button", name="Save contact").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Choose what happened")
    assert_accessible(page)


def test_manager_runs_the_handover_and_mdt(page):
    """Given the team manager at the morning handover, when they mark an item discussed and
    raise an action, then it shows on the handover and the MDT until done."""
    sign_in(page, "manager")
    page.get_by_role("link", name="Handover").click()
    expect(page.get_by_role("heading", name="Daily handover")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "handover")
    item = page.locator(".outreach-item").first
    item.get_by_role("button", name="Mark discussed").click()
    item = page.locator(".outreach-item").first
    expect(item.get_by_text("Discussed")).to_be_visible()
    item.get_by_role("link", name=re.compile("Add an action")).click()
    assert_accessible(page)
    page.get_by_label("Action").fill("Joint visit with the consultant")
    page.get_by_label("Owner").select_option(index=1)
    page.get_by_role("button", name="Add action").click()
    expect(page.locator("#actions").locator("..")).to_contain_text(
        "Joint visit with the consultant")
    page.get_by_role("link", name="MDT").click()
    expect(page.get_by_role("heading", name="Weekly MDT review")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Done.*Joint visit with the consultant"))
           ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "mdt")


def test_team_crisis_and_outbox_pages_are_accessible(page):
    """The team page, crisis summaries and the outbox pass the accessibility check."""
    sign_in(page, "manager")
    for path, heading in (("/team/", "North"), ("/crisis/", "Crisis summaries"),
                          ("/reminders/", "")):
        page.goto(path)
        if heading:
            expect(page.locator("h1")).to_contain_text(heading)
        assert_accessible(page)
    screenshot(page, "outbox")


def test_commissioner_and_other_team_see_no_north_records(page):
    """A commissioner has no caseload: signing in lands on the governance figures."""
    sign_in(page, "commissioner")
    expect(page.locator("h1")).to_contain_text("Compliance dashboard")
    assert_accessible(page)


def test_consultant_refers_accepts_and_cannot_discharge_someone_not_yet_seen(page):
    """Given the consultant with a new referral, when they register, accept against the
    criteria and propose a step-down without a decision record, then each missing field is
    named, and with a complete record it is still refused: nobody has seen the person face to
    face since acceptance, so the record shows them not engaged."""
    sign_in(page, "consultant")
    page.goto("/people/new/")
    assert_accessible(page)
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_label("Given name").fill("Journey")
    page.get_by_label("Family name").fill("Testperson")
    page.get_by_label("Date of birth").fill("1990-04-02")
    page.get_by_label("Date of referral").fill("2026-11-01")
    page.get_by_label("GP", exact=True).check()
    choose_another_key_worker(page)
    page.get_by_role("button", name="Register and refer").click()
    expect(page.locator("h1")).to_contain_text("Testperson")
    person_url = page.url
    person_id = re.search(r"/people/(\d+)/", person_url).group(1)
    page.goto(f"/people/{person_id}/referral/accept/")
    assert_accessible(page)
    page.get_by_label("Presenting with psychosis").check()
    page.get_by_label("Concerns raised by family or carers").check()
    page.get_by_label("Date of assessment").fill("2026-11-05")
    page.get_by_label("Date accepted").fill("2026-11-06")
    page.get_by_role("button", name="Accept").click()
    page.goto(f"/people/{person_id}/discharge/")  # the old address leads to the proposal
    expect(page.locator("h1")).to_contain_text("Propose an end of care")
    assert_accessible(page)
    page.get_by_label("Stepped down to core community mental health services").check()
    page.get_by_label("Their relapse indicators").fill("")
    page.get_by_label("Known risks if a relapse").fill("")
    page.get_by_role("button", name="Propose for the MDT").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter why the person is being discharged")
    assert_accessible(page)
    page.get_by_label("Why the person is being discharged").fill("Well for two years")
    page.get_by_label("Their relapse indicators").fill("Stops sleeping, stops eating")
    page.get_by_label("Known risks if a relapse").fill("Neglect, conflict with neighbours")
    page.get_by_label("How the person, their family or GP get back").fill("GP calls the team")
    page.get_by_label("The team taking over their care").fill("Leeds East CMHT")
    page.get_by_label("Their GP").check()
    page.get_by_role("button", name="Propose for the MDT").click()
    expect(summary).to_contain_text("while they are not engaged")
    expect(summary).to_contain_text("no successful face-to-face contact in this episode")
    assert_accessible(page)


def test_manager_records_sickness_and_assigns_cover(page):
    """Given a practitioner phones in sick, when the manager records it and assigns cover,
    then nobody is left without a named worker today."""
    sign_in(page, "manager")
    page.goto("/team/absences/new/")
    assert_accessible(page)
    page.get_by_label("Who is away").select_option(index=1)
    page.get_by_label("Sickness").check()
    today = page.evaluate("new Date().toISOString().slice(0, 10)")
    page.get_by_label("First day away").fill(today)
    page.get_by_label("Last day away").fill(today)
    page.get_by_role("button", name="Save and assign cover").click()
    page.wait_for_load_state()
    if page.get_by_label("Who covers").count():
        assert_accessible(page)
        page.get_by_label("Who covers").select_option(index=2)
        page.get_by_role("button", name="Assign cover").click()
    page.goto("/handover/")
    expect(page.locator("#cover").locator("..")).not_to_contain_text("NO COVER")


def test_practitioner_queues_a_reminder_for_a_planned_visit(page):
    """Given a planned visit, when the worker sends a reminder, then it waits in the outbox
    by the person's preferred means (no Notify key here)."""
    sign_in(page, "practitioner")
    page.locator("table a").first.click()
    page.get_by_role("link", name="Plan a visit").first.click()
    tomorrow = page.evaluate(
        "new Date(Date.now() + 86400000).toISOString().slice(0, 10)")
    page.get_by_label("Date").fill(tomorrow)
    page.get_by_role("button", name="Plan visit").click()
    page.get_by_role("link", name="Send a reminder").first.click()
    expect(page.locator("h1")).to_contain_text("Send a reminder")
    assert_accessible(page)
    button = page.get_by_role("button", name="Send a reminder")
    if button.count():
        button.click()
        expect(page.locator("main")).to_contain_text(re.compile("outbox|waiting|queued", re.I))
    else:  # the person's preferred means cannot take a reminder: the page says why
        expect(page.locator("main")).to_contain_text("A reminder cannot be sent")


def test_carer_concern_becomes_a_red_flag_on_front_sheet_and_handover(page):
    """Given a carer rings worried, when the worker records it as a concern, then it is a red
    flag at the top of the front sheet and a new red flag on the handover."""
    sign_in(page, "practitioner")
    page.goto("/?view=team")
    hrefs = page.locator("table a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for href in hrefs[:30]:
        page.goto(f"{href}record/carer-contact/new/")
        if page.get_by_label("Who").locator("option").count() > 1:
            break
    else:
        pytest.fail("no one in the demo caseload has a carer")
    assert_accessible(page)
    page.get_by_label("Who").select_option(index=1)
    page.get_by_label("Date").fill(page.evaluate("new Date().toISOString().slice(0, 10)"))
    page.get_by_label("What they said").fill("Says he has stopped eating and is up all night")
    page.get_by_label("This is a concern").check()
    page.get_by_role("button").filter(has_text=re.compile("Save|Record")).first.click()
    page.goto(href)
    flags = page.locator("section.outreach-flags")
    expect(flags).to_contain_text("Family concern")
    expect(flags).to_contain_text("not yet followed up")
    page.goto("/handover/")
    expect(page.locator("#flags").locator("..")).to_contain_text("Family concern")
