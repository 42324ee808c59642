"""Ending the team's care, as the team meets it in the browser (issue 13): a step-down of a
person who is not engaged is refused whatever reason and words are given; nobody agrees an
end of care alone; the consultant agrees at the MDT, with the decision record pre-filled from
the relapse signature and risk formulation, and only then is it carried out. Phone width, axe
on every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e


def _team_people(page: Page) -> list[int]:
    """The North team's people, from the team caseload page, last first (journeys in other
    files take people from the top of the list)."""
    page.goto("/?view=team")
    hrefs = page.locator("main table a[href^='/people/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    ids = [int(m.group(1)) for h in hrefs if (m := re.match(r"/people/(\d+)/$", h or ""))]
    return list(dict.fromkeys(reversed(ids)))


def _find(page: Page, *, engaged: bool, skip: set[int] = frozenset()) -> int:
    """A person with no end of care waiting whose proposal form says they are (or are not)
    engaged, as judged from their record."""
    wanted = "is engaged with the team today" if engaged else "is not engaged"
    for pid in _team_people(page):
        if pid in skip:
            continue
        page.goto(f"/people/{pid}/proposals/new/")
        main = page.locator("main").inner_text()
        if wanted in main and "Already waiting for the MDT" not in main:
            return pid
    raise AssertionError(f"no demo person found who is {'' if engaged else 'not '}engaged")


def _fill_record(page: Page, why: str) -> None:
    page.get_by_label("Why the person is being discharged").fill(why)
    page.get_by_label("How the person, their family or GP get back").fill(
        "Sister or GP calls the duty line; re-referral fast-tracked")
    page.get_by_label("Their GP").check()


def test_a_step_down_of_someone_not_engaged_is_refused_whatever_is_said(page):
    """Given the manager and a person the record shows not engaged, when they propose a
    step-down to the CMHT (worded as 'disengaged', then as 'doing well'), and then a
    long-term placement, each is refused with the evidence and what to do instead."""
    sign_in(page, "manager")
    pid = _find(page, engaged=False)
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text("is not engaged")
    assert_accessible(page)
    for reason, why in (
            ("Stepped down to core community mental health services",
             "Disengaged, so stepping down to CMHT"),
            ("Stepped down to core community mental health services",
             "Doing really well, graduating to the CMHT"),
            ("Long-term inpatient or residential placement", "Placement found")):
        page.goto(f"/people/{pid}/proposals/new/")
        page.get_by_label(reason).check()
        page.get_by_label("The team taking over their care").fill("Leeds East CMHT")
        _fill_record(page, why)
        page.get_by_role("button", name="Propose for the MDT").click()
        summary = page.locator(".nhsuk-error-summary")
        expect(summary).to_contain_text("while they are not engaged")
        expect(summary).to_contain_text("Keep trying to reach them")
        assert_accessible(page)
    screenshot(page, "end-of-care-refused")
    page.goto(f"/people/{pid}/episode/")
    expect(page.locator("main")).not_to_contain_text("waiting for the MDT")


def test_nobody_agrees_an_end_of_care_alone_and_the_consultant_does_at_the_mdt(page, browser,
                                                                                server):
    """Given a practitioner proposing a step-down for an engaged person, the relapse
    indicators and known risks are already filled in from the clinical record; the manager
    cannot agree it, an empty decision is refused, the consultant agrees it at the MDT, and
    the practitioner then carries it out and sees the decision record."""
    sign_in(page, "practitioner")
    pid = _find(page, engaged=True)
    assert_accessible(page)
    relapse = page.get_by_label("Their relapse indicators").input_value()
    risks = page.get_by_label("Known risks if a relapse").input_value()
    assert relapse.strip() and risks.strip(), "pre-filled from the clinical record"
    page.get_by_label("Stepped down to core community mental health services").check()
    page.get_by_label("The team taking over their care").fill("Leeds East CMHT")
    _fill_record(page, "Well for two years and wants less intensive support")
    page.get_by_role("button", name="Propose for the MDT").click()
    expect(page.locator("h1")).to_contain_text("Proposed end of care")
    proposal_url = page.url.split("?")[0]
    assert_accessible(page)

    def other(username: str) -> Page:
        context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844})
        p = context.new_page()
        sign_in(p, username)
        p.goto(proposal_url)
        return p

    manager = other("manager")
    manager.get_by_label("Agreed, with the consultant").check()
    manager.get_by_label("The MDT's reasons").fill("Agreed at the MDT")
    manager.get_by_role("button", name="Record the MDT's decision").click()
    expect(manager.locator(".nhsuk-error-summary")).to_contain_text(
        "Only the team's consultant can record")
    assert_accessible(manager)
    manager.context.close()

    consultant = other("consultant")
    consultant.get_by_role("button", name="Record the MDT's decision").click()
    summary = consultant.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Choose what the MDT decided")
    expect(summary).to_contain_text("Enter the MDT's reasons")
    assert_accessible(consultant)
    consultant.get_by_label("Agreed, with the consultant").check()
    consultant.get_by_label("The MDT's reasons").fill(
        "Stable two years; joint visit with the CMHT care coordinator first")
    consultant.get_by_role("button", name="Record the MDT's decision").click()
    expect(consultant.locator(".nhsuk-notification-banner")).to_contain_text(
        "can now be carried out")
    assert_accessible(consultant)
    consultant.context.close()

    page.goto(proposal_url)
    expect(page.locator("main")).to_contain_text("Carry out the end of care")
    assert_accessible(page)
    page.get_by_role("button", name="Carry out the discharge").click()
    expect(page.locator("h1")).to_contain_text("Discharge decision record")
    expect(page.locator("main")).to_contain_text("Leeds East CMHT")
    expect(page.locator("main")).to_contain_text(relapse.strip().splitlines()[0][:30])
    assert_accessible(page)
    screenshot(page, "decision-record")
    assert pid
