"""Every POST form on every page, for every role, carries a CSRF token.

A form rendered without its token looks right and works in Django's test client, but a
real browser's submission is refused with "403 CSRF verification failed" (the visit plan's
Accept, Lock and Unlock buttons did this: a Jinja macro file imported without context
renders `{{ csrf_input }}` empty). This test signs in as each role of a small synthetic demo
(the two demo teams, as tests/synth loads them, plus a crisis line worker), crawls the
service from the home page and from every URL pattern it can fill with real ids, and fails
naming the page and the form of any POST form without a non-empty token.

The crawl follows links on the same host only, at most PER_PATTERN pages of each URL
pattern (a person's record is walked for a few people, not for all), and it skips files
(PDF, calendar, CSV) and the API. The fixture adds the rows some form pages need that the
small demo lacks (a proposed and a locked visit, a return, a plan action, a feedback link,
a training record); MUST_REACH fails the test if the crawl stops reaching them. A form
that posts to a view marked csrf_exempt (the NHS.UK header's sign-out) needs no token.
"""

import re
import time
from collections import Counter, deque
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, get_resolver, resolve

from outreach.experience import services as experience
from outreach.governance import services as governance
from outreach.governance.models import DactsAssessment
from outreach.records.models import Contact, DischargeDecision, Person, PlannedVisit
from outreach.skills import services as skills
from outreach.skills.models import Competency
from outreach.synth.generator import generate, small_scale
from outreach.synth.load import demo_password, load
from outreach.teams.models import Absence, Discipline, Role, StaffMember
from outreach.visits.models import Proposal, VisitLock, WeekPlan
from tests import factories
from tests.client import BrowserClient, post_forms, posts_to

ROLES = ("practitioner", "manager", "consultant", "commissioner", "other-team", "crisis")
PER_PATTERN = 3
MAX_PAGES = 400  # per role, a bound in case a page links to endless variants
SKIP_PREFIXES = ("/api/", "/static/", "/assets/", "/logout/", "/login/")
SKIP_SUFFIXES = (".ics", ".pdf", ".csv", ".json", ".xml")
# Pages with a POST form that the crawl must reach for some role, or it proves little.
MUST_REACH = {"contact-new", "visits", "visits-worker-day", "visits-person", "handover",
              "mdt", "person", "episode", "clinical-record", "clinical-new", "proposal-new",
              "proposal",
              "absence-new", "skills-staff", "governance-returns", "feedback-team",
              "visit-reminder", "person-outcomes-new", "crisis-summary", "contact-next",
              "absence-cover", "governance-return-edit", "governance-action-edit",
              "skills-amend", "feedback-public-form", "discharge-record"}


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_on(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def url_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).url_name
    except Resolver404:
        return None


def crawlable(url: str) -> str | None:
    """The same-host path (with its query) worth fetching, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(SKIP_PREFIXES) or path.endswith(
            SKIP_SUFFIXES) or "format=" in parts.query:
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def exempt(action_path: str) -> bool:
    try:
        return getattr(resolve(action_path).func, "csrf_exempt", False)
    except Resolver404:
        return False


def seed_urls(ids: dict[str, list[int]]) -> list[str]:
    """Every URL pattern filled with real ids where its parameters can be guessed: the
    crawl's starting points beyond the home page's links."""
    urls: list[str] = []

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, route)
                continue
            urls.extend(fill(route, ids))

    walk(get_resolver().url_patterns)
    return urls


def fill(route: str, ids: dict[str, list]) -> list[str]:
    """The route with real values: one URL for each of the first few people, the first
    value of every other parameter; none if a parameter has no value."""
    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    if not params:
        return ["/" + route]
    values = {}
    for kind, name in params:
        if kind == "isodate":
            values[name] = [(date.today() + timedelta(days=1)).isoformat()]
        elif ids.get(name):
            values[name] = ids[name][:3] if name == "person_id" else ids[name][:1]
        else:
            return []
    urls = []
    for person in values.get("person_id", [None]):
        out = route
        for _kind, name in params:
            value = person if name == "person_id" else values[name][0]
            out = re.sub(rf"<(?:\w+:)?{name}>", str(value), out, count=1)
        urls.append("/" + out)
    return urls


@pytest.fixture
def demo(db):
    today = factories.today()
    load(generate(small_scale(north=16, south=4, history_days=60), seed=3, today=today))
    practitioner = StaffMember.objects.get(user__username="practitioner")
    factories.make_staff(practitioner.team, role=Role.CRISIS_LINE,
                         discipline=Discipline.NONE, username="crisis")
    # The week's plan as the planner leaves it: a proposed visit and a locked one, so the
    # Accept, Lock and Unlock buttons are on the pages.
    ahead = list(PlannedVisit.objects.filter(staff=practitioner, date__gt=today,
                                             time__isnull=False).order_by("date", "time")[:2])
    assert len(ahead) == 2, "the demo practitioner has no visits ahead"
    run = WeekPlan.objects.create(team=practitioner.team, kind="week",
                                  start=today + timedelta(days=1),
                                  end=today + timedelta(days=7), run_by=practitioner, seconds=1)
    for v in ahead:
        Proposal.objects.create(visit=v, run=run, kind="contact", minutes=45)
    VisitLock.objects.create(visit=ahead[-1], locked_by=practitioner)
    # Rows the pages with forms need that the demo may lack: a return and a plan action,
    # a feedback link, a discharge decision's record is the demo's own.
    manager = StaffMember.objects.get(user__username="manager")
    commissioner = StaffMember.objects.get(user__username="commissioner")
    review = governance.return_create(by=commissioner, today=today, title="Review",
                                      organisation="ICB", as_of=today)
    action = governance.action_create(by=manager, section="governance", action="Do it",
                                      timeframe="medium", lead_organisation="ICB")
    link = experience.link_create(team_id=practitioner.team_id)
    training = skills.training_record(staff=practitioner, competency=Competency.objects.first(),
                                      completed_on=today - timedelta(days=30), by=manager)
    return {"visit_id": [v.pk for v in ahead], "return_id": [review.pk],
            "action_id": [action.pk], "code": [link.code], "respondent": ["person"],
            "contact_id": list(Contact.objects.filter(staff__team=practitioner.team)
                               .order_by("-pk").values_list("pk", flat=True)[:1]),
            "absence_id": list(Absence.objects.filter(staff__team=practitioner.team)
                               .values_list("pk", flat=True)[:1]),
            "record_id": [training.pk],
            "decision_id": list(DischargeDecision.objects.values_list("pk", flat=True)[:1]),
            "assessment_id": list(DactsAssessment.objects.values_list("pk", flat=True)[:1])}


def _ids(staff: StaffMember, shared: dict[str, list]) -> dict[str, list]:
    """Ids for the URL patterns: the role's own team's people, itself, and the shared rows
    (another team's ids are refused with 404, which the crawl simply passes by)."""
    team = staff.team_id
    people = list(Person.objects.filter(episodes__team_id=team).values_list("pk", flat=True)
                  .distinct()[:2]) if team else []
    # The people of the shared contact and discharge decision first, so their pages exist.
    owners = [*Contact.objects.filter(pk__in=shared["contact_id"]).values_list("person_id",
                                                                               flat=True),
              *DischargeDecision.objects.filter(pk__in=shared["decision_id"])
              .values_list("episode__person_id", flat=True)]
    return {**shared, "person_id": list(dict.fromkeys([*owners, *people])),
            "staff_id": [staff.pk], "team_id": [team] if team else []}


def crawl(client: BrowserClient, starts: list[str]) -> tuple[list[str], Counter, set[str]]:
    """Fetch pages breadth first; the problems found, the pages per route, the names seen."""
    problems: list[str] = []
    per_route: Counter = Counter()
    names: set[str] = set()
    queue: deque[str] = deque(starts)
    seen: set[str] = set()
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        route = route_of(path)
        if route is None or per_route[route] >= PER_PATTERN:
            continue
        response = client.get(url)
        fetched += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue  # refused (another team's id), a redirect or a file: not counted
        per_route[route] += 1
        names.add(url_name(path) or "")
        html = response.content.decode()
        for form in post_forms(html):
            target = urlsplit(urljoin(url, form.action) if form.action else url).path
            if not form.hidden.get("csrfmiddlewaretoken") and not exempt(target):
                problems.append(f"{url}: {form.describe()} posting to {target} has no CSRF "
                                "token")
            assert posts_to(form, url, target)
        for href in links_on(html):
            nxt = crawlable(urljoin(url, href))
            if nxt and nxt not in seen:
                queue.append(nxt)
    return problems, per_route, names


def test_every_post_form_for_every_role_has_a_csrf_token(demo):
    started = time.monotonic()
    problems: list[str] = []
    reached: set[str] = set()
    for username in ROLES:
        staff = StaffMember.objects.get(user__username=username)
        client = BrowserClient()
        password = factories.PASSWORD if username == "crisis" else demo_password()
        assert client.login(username=username, password=password), username
        found, per_route, names = crawl(client, ["/", *seed_urls(_ids(staff, demo))])
        problems += [f"[{username}] {p}" for p in found]
        reached |= names
        assert sum(per_route.values()) > 3, f"{username} reached almost nothing"
    assert not problems, "\n".join(problems)
    assert MUST_REACH <= reached, f"never reached: {sorted(MUST_REACH - reached)}"
    # About 30 s here for ~900 pages; a guard against the crawl growing without bound.
    assert time.monotonic() - started < 120
