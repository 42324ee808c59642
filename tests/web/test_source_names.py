"""Pages name the source documents in words a clinician knows ("NHS England guidance,
chapter 4"), never by the file codes of the project's seed folder ("002 chapter 4", "004
actions", "(003)") (issue 13). Two checks: every string the code can show (string constants,
templates, the API's operation descriptions) and the main pages as rendered, crawled from
the home page of a manager and of a commissioner."""

import ast
import re
from html import unescape
from pathlib import Path

import pytest

from outreach.core.measures import MEASURES
from tests.conftest import login

SRC = Path(__file__).resolve().parents[2] / "src" / "outreach"
# A seed document's code (000-004) used as a citation: followed by a chapter, annex, action,
# "and", a separator or a closing bracket. Not part of a larger number (1,000; 0.002; 10:00).
CODE = re.compile(r"(?<![\w.,:/£-])00[0-4](?=\s*(?:ch\b|ch\.|chapters?\b|annex\b|actions?\b|"
                  r"recommendations?\b|findings?\b|and\b|[;,)(]|'s\b))")


def test_the_pattern_finds_codes_and_spares_numbers():
    for cited in ("(002 chapter 5)", "002 ch.3", "004 actions 4, 7", "(003)", "001 and 002",
                  "as 004's plan", "001; 002 annex B"):
        assert CODE.search(cited), cited
    for number in ("per 1,000 SMI-known", "per 100,000 adults", "0.002", "10:00",
                   "999 002 1234", "E08000002", "AB002"):
        assert not CODE.search(number), number


def _is_docstring(parent: ast.AST, node: ast.AST) -> bool:
    body = getattr(parent, "body", None)
    return bool(body) and body[0] is not None and isinstance(body[0], ast.Expr) \
        and body[0].value is node


def _shown_strings(path: Path):
    """String constants that can reach a page or a message: all but docstrings, except in
    the API, where docstrings are the operations' descriptions in its documentation."""
    tree = ast.parse(path.read_text())
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef
                                | ast.AsyncFunctionDef)
                  and n.body and isinstance(n.body[0], ast.Expr)}
    api = "api" in path.relative_to(SRC).parts
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                api or id(node) not in docstrings):
            yield node.lineno, node.value


def test_no_code_or_template_shows_a_seed_file_code():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, text in _shown_strings(path):
            if CODE.search(text):
                found.append(f"{path.relative_to(SRC)}:{line}: {text[:80]!r}")
    for path in sorted(SRC.rglob("*.jinja")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(), flags=re.S)  # comments are not shown
        for m in CODE.finditer(text):
            found.append(f"{path.relative_to(SRC)}:{text[:m.start()].count(chr(10)) + 1}: "
                         f"{text[max(0, m.start() - 40):m.end() + 20]!r}")
    assert not found, "\n".join(found)


def test_measure_sources_name_the_documents():
    """Each measure names where it comes from, in words."""
    for m in MEASURES:
        assert not CODE.search(m.source), m.key
        assert re.search(r"NHS England guidance|NHS Somerset|assertive outreach model|"
                         r"Greater Manchester", m.source), m.key


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _crawl(client, start: list[str], *, within: tuple[str, ...], limit: int = 60) -> dict:
    """GET pages from `start`, following links to paths that start with one of `within`."""
    seen, queue, pages = set(), list(start), {}
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, follow=True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[path] = html
        for href in re.findall(r'href="(/[^"#?]*)', html):
            if href.startswith(within) and not href.endswith((".csv", ".pdf", "/logout/")):
                queue.append(href)
    return pages


@pytest.mark.parametrize("who", ["manager", "commissioner"])
def test_rendered_pages_show_no_seed_file_code(request, who, person, practitioner):
    client = login(request.getfixturevalue(who))
    start = ["/", "/?view=team", "/handover/", "/mdt/", "/team/", "/visits/", "/governance/",
             f"/people/{person.pk}/", f"/people/{person.pk}/record/"]
    pages = _crawl(client, start, within=("/governance/", "/people/", "/handover", "/mdt",
                                          "/team", "/visits"))
    assert len(pages) >= (8 if who == "manager" else 5)
    found = [f"{path}: {m.group(0)!r} in {_text(html)[max(0, m.start() - 40):m.end() + 20]!r}"
             for path, html in pages.items() for m in CODE.finditer(_text(html))]
    assert not found, "\n".join(found)
