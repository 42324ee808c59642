"""Browser journeys for the smaller things of issue 13, at phone width with axe on every page:
a depot dose given with its batch, site and giver, read back on the front sheet; where a
manager and a consultant land when they sign in; and a footer that names the software's
licence rather than claiming to be NHS England's."""

import os
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible as axe_check
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("OUTREACH_E2E_SHOTS", "/tmp/shots-smalls"))


def shot(page: Page, name: str, part=None, *, full: bool = False) -> None:
    """Screenshots of the journeys, to look at by eye (OUTREACH_E2E_SHOTS=dir): the screen,
    the whole page, or one part of it."""
    if os.environ.get("OUTREACH_E2E_SHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = str(SHOTS / f"{name}.png")
        if part is not None:
            part.screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=full)


def assert_accessible(page: Page) -> None:
    """axe once the page has settled: the NHS.UK header's script moves navigation items into
    its "More" menu as the page loads, and axe caught mid-move reported their contrast (once,
    in a full run on a loaded machine)."""
    page.wait_for_load_state("load")
    # Its resize observer moves them in an animation frame: let two frames pass.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    axe_check(page)


def _day(d: date) -> str:
    return f"{d.day} {d:%b}"


def test_a_depot_dose_given_records_batch_site_and_who_and_reads_on_the_front_sheet(page):
    """Given the manager at the handover with a depot due, when they record the dose given
    by a nurse, then a missing batch and the last dose's site are refused with the rule, and
    once corrected the front sheet reads who gave it, where, which batch and when it is next
    due."""
    sign_in(page, "manager")
    page.get_by_role("link", name="Handover").click()
    expect(page.get_by_role("heading", name="Daily handover")).to_be_visible()
    assert_accessible(page)
    deadlines = page.locator("section[aria-labelledby=deadlines]")
    # The last depot of the list: other journeys work from the first items.
    item = deadlines.locator(".outreach-item").filter(
        has=page.get_by_role("link", name=re.compile(r": depot (overdue|due)"))).last
    person_name = item.get_by_role("link").first.inner_text().split(":")[0]
    item.get_by_role("link", name=re.compile(person_name)).first.click()
    expect(page.locator("h1")).to_contain_text(person_name.split()[-1])
    assert_accessible(page)
    page.get_by_role("link", name="Full clinical record").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Record a dose")).first.click()
    expect(page.locator("h1")).to_contain_text("Record a dose of")
    assert_accessible(page)
    shot(page, "depot-dose-form", full=True)

    page.get_by_label("Given", exact=True).check()
    giver = page.get_by_label("Given by (if given)")
    nurses = [o for o in giver.locator("option").all_inner_texts() if o.endswith("(nurse)")]
    giver.select_option(label=nurses[0])
    nurse_name = nurses[0].removesuffix(" (nurse)")
    hint = page.get_by_text(re.compile(r"The last dose \(")).first
    last_site = re.search(r"was given in the (.+?)\.", hint.inner_text()).group(1)
    # Refused: no batch, and the same site as last time.
    page.get_by_label(last_site, exact=False).first.check()
    page.get_by_role("button", name="Save dose").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter the batch number")
    expect(summary).to_contain_text(f"was also given in the {last_site}")
    expect(page.get_by_label("Give it in the same site as the last dose, on purpose")
           ).to_be_visible()
    assert_accessible(page)
    shot(page, "depot-dose-refused", full=True)

    # Rotate to the other side, and type the batch as printed.
    side, muscle = last_site.split(" ", 1)
    other = f"{'right' if side == 'left' else 'left'} {muscle}"
    page.get_by_label(other.capitalize(), exact=True).check()
    page.get_by_label("Batch number (if given)").fill("ab 1234")
    page.get_by_role("button", name="Save dose").click()
    today = date.today()
    medication = page.locator("#medication")
    expect(medication).to_contain_text(
        f"Last dose given {_day(today)} by {nurse_name} ({other}, batch AB1234). Next due")
    assert_accessible(page)
    shot(page, "depot-record", medication)

    page.get_by_role("link", name=re.compile("^Back to")).click()
    sheet = page.locator("section[aria-labelledby=medication]")
    expect(sheet).to_contain_text(
        f"Last dose given {_day(today)} by {nurse_name} ({other}, batch AB1234). Next due")
    assert_accessible(page)
    shot(page, "depot-front-sheet", sheet)


@pytest.mark.parametrize("who", ["manager", "consultant"])
def test_manager_and_consultant_land_on_the_team_caseload(page, who):
    """Given the demo manager or consultant, who key-work nobody themselves, when they sign
    in, then they see the whole team's caseload, and can still choose their own (empty)
    list."""
    sign_in(page, who)
    expect(page.locator("h1")).to_contain_text("whole team caseload")
    expect(page.locator("main table tbody tr").first).to_be_visible()
    assert_accessible(page)
    shot(page, f"landing-{who}")
    page.get_by_role("link", name="Show only my people").click()
    expect(page.locator("h1")).to_contain_text("My people and people I cover")
    assert_accessible(page)


def test_practitioner_still_lands_on_their_own_people(page):
    sign_in(page, "practitioner")
    expect(page.locator("h1")).to_contain_text("My people and people I cover")
    assert_accessible(page)


def test_the_footer_names_the_licence_not_nhs_england(page):
    """Without the NHS branding setting (as this server runs), the header names the service
    in text with no NHS logo, and the footer claims no NHS England copyright."""
    page.goto("/login/")
    assert page.locator(".nhsuk-header__logo").count() == 0
    expect(page.locator(".nhsuk-header__service-name")).to_have_text("outreach")
    footer = page.locator("footer")
    expect(footer).to_contain_text("released under the MIT licence")
    expect(footer).not_to_contain_text("NHS England")
    assert_accessible(page)
    shot(page, "footer-plain", full=True)
