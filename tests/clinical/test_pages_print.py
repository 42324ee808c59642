"""Plans printed in plain language for the person (print stylesheet, Print button), the
same page as a PDF, and the DIALOG scores over time as a table and an inline SVG chart."""

import re
from pathlib import Path

import pytest

from outreach.audit.models import AuditAction, AuditEvent
from outreach.clinical import services
from outreach.clinical.models import DialogItem
from tests.clinical.conftest import days_ago, fill_record, ratings
from tests.clinical.test_pages import html, record_url
from tests.conftest import login

CSS = Path(__file__).resolve().parents[2] / "src/outreach/clinical/static/clinical/clinical.css"

PRINTED = {
    "care-plan": ("Your care plan", ["What we agreed to do", "Weekly walk",
                                     "How satisfied you said you were"]),
    "safety-plan": ("Your crisis plan", ["What you want to happen in a crisis",
                                         "Call my sister", "Who to contact"]),
    "relapse-signature": ("Your early warning signs", ["Sleeping less", "Call the team"]),
    "advance-choice": ("Your advance choices", ["No haloperidol"]),
}


@pytest.mark.parametrize("kind", sorted(PRINTED))
def test_each_plan_prints_in_plain_language(person, practitioner, kind):
    fill_record(person, practitioner)
    response = login(practitioner).get(record_url(person, f"{kind}/print/"))
    page = html(response)
    title, texts = PRINTED[kind]
    assert response.status_code == 200
    assert f"{title}</h1>" in page
    for text in texts:
        assert text in page
    assert '<button type="button" class="nhsuk-button nhsuk-button--secondary" data-print>' \
        in page
    assert "/static/clinical/clinical.css" in page
    assert "?format=pdf" in page


def test_the_print_stylesheet_hides_the_header_and_navigation():
    css = CSS.read_text()
    rules = css[css.index("@media print"):]
    for selector in (".nhsuk-header", ".nhsuk-navigation", ".nhsuk-footer",
                     ".outreach-no-print"):
        assert selector in rules
    assert "display: none" in rules


def test_only_the_current_version_prints(person, practitioner):
    plan = services.safety_plan_create(person=person, by=practitioner, request=None,
                                       date=days_ago(40), wants_in_crisis="Old wish",
                                       who_to_contact="Old contact")
    services.safety_plan_new_version(plan=plan, by=practitioner, request=None,
                                     expected_version=1, date=days_ago(1),
                                     wants_in_crisis="New wish")
    page = html(login(practitioner).get(record_url(person, "safety-plan/print/")))
    assert "New wish" in page and "Old wish" not in page


def test_an_overdue_plan_prints_with_a_warning(person, practitioner):
    services.safety_plan_create(person=person, by=practitioner, request=None,
                                date=days_ago(200), review_due=days_ago(10),
                                wants_in_crisis="Stay home", who_to_contact="Sister")
    page = html(login(practitioner).get(record_url(person, "safety-plan/print/")))
    assert "This plan was due to be looked at again" in page


def test_shared_with_is_printed(person, practitioner):
    services.advance_choice_create(person=person, by=practitioner, request=None,
                                   date=days_ago(1), statements="No depot",
                                   shared_with=["the person", "sister"])
    page = html(login(practitioner).get(record_url(person, "advance-choice/print/")))
    assert "With your agreement: the person, sister." in page


def test_nothing_to_print_is_404(person, practitioner):
    client = login(practitioner)
    assert client.get(record_url(person, "care-plan/print/")).status_code == 404
    fill_record(person, practitioner)
    # A risk formulation, and entries that are not plans, do not print.
    assert client.get(record_url(person, "risk-formulation/print/")).status_code == 404
    assert client.get(record_url(person, "medication/print/")).status_code == 404


@pytest.mark.parametrize("kind", sorted(PRINTED))
def test_each_plan_exports_to_pdf(person, practitioner, kind):
    fill_record(person, practitioner)
    response = login(practitioner).get(record_url(person, f"{kind}/print/?format=pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    export = AuditEvent.objects.get(person_id=person.pk, action=AuditAction.EXPORT)
    assert export.what.endswith("exported as PDF")


def test_pdf_fetches_nothing_but_static_files():
    from outreach.clinical.views.printing import _static_only

    fetcher = _static_only()
    assert fetcher("http://testserver/static/clinical/clinical.css").read().startswith(b"/*")
    for url in ("http://example.org/x.css", "file:///etc/passwd",
                "http://testserver/static/../settings.py"):
        with pytest.raises(ValueError):
            fetcher(url)


# --- DIALOG scores over time ------------------------------------------------------------------


@pytest.fixture
def three_sessions(person, practitioner):
    plan = services.care_plan_create(person=person, by=practitioner, request=None,
                                     date=days_ago(150), ratings=ratings(2, ("leisure",)))
    plan = services.care_plan_new_version(plan=plan, by=practitioner, request=None,
                                          expected_version=1, date=days_ago(80),
                                          ratings=ratings(4))
    return services.care_plan_new_version(
        plan=plan, by=practitioner, request=None, expected_version=1, date=days_ago(5),
        ratings={**ratings(6), "mental_health": (3, True)})


def test_dialog_chart_and_table_show_the_scores(person, practitioner, three_sessions):
    response = login(practitioner).get(record_url(person, "care-plan/dialog/"))
    page = html(response)
    assert response.status_code == 200
    svg = page[page.index("<svg viewBox"):page.index("</svg>", page.index("<svg viewBox"))]
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    lines = re.findall(r'<polyline points="([^"]+)"', svg)
    assert len(lines) == 2  # the two DIALOG averages
    assert all(len(points.split()) == 3 for points in lines)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)[1]
    assert "Average of the 8 life areas: 2" in desc and "5.6" in desc
    # The table: every item, every session, and who wants more help.
    table = page[page.index("<table"):page.index("</table>")]
    for label in DialogItem.labels:
        assert str(label) in table
    assert table.count("(wants more help)") == 2
    assert "They are not a measure of risk." in page


def test_dialog_chart_shows_one_item_over_time(person, practitioner, three_sessions):
    page = html(login(practitioner).get(record_url(person,
                                                   "care-plan/dialog/?show=mental_health")))
    lines = re.findall(r'<polyline points="([^"]+)"', page)
    assert len(lines) == 1
    ys = [float(p.split(",")[1]) for p in lines[0].split()]
    assert ys[1] < ys[0] and ys[2] > ys[1]  # 2, then 4 (higher up), then 3
    assert "Mental health: 2 on" in page and '<strong aria-current="true">Mental health' in page


def test_dialog_page_without_ratings(person, practitioner):
    page = html(login(practitioner).get(record_url(person, "care-plan/dialog/")))
    assert "No DIALOG ratings are recorded yet" in page and "<svg viewBox" not in page
