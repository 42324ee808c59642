"""Benchmark: GET /api/v1/people for one team on the bench data set (5,000 people,
2 million contacts), normally on PostgreSQL.

Prints p50/p95/max latency, the number of SQL queries per request for the smallest and the
largest team (it must be the same), and, as a same-run baseline, the time of a naive
per-person loop (one set of queries per person, the rule applied in Python) over the same
caseload, as a ratio.

    DATABASE_URL=postgres://... uv run python bench/api_people.py [--requests 300]

Loads the bench scale with `outreach synth --scale bench --seed 1` first if the database has
fewer than 5,000 people. Requests go through Django's test client in-process (no network):
what is measured is the view, the ORM, the database and the audit write.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from outreach.api.models import ApiToken  # noqa: E402
from outreach.core.engagement import assess  # noqa: E402
from outreach.records import selectors  # noqa: E402
from outreach.records.engagement import engagement_config, successful_contacts  # noqa: E402
from outreach.records.models import OPEN_STATUSES, Contact, Person  # noqa: E402
from outreach.teams.models import Discipline, Role, StaffMember, Team  # noqa: E402

BENCH_PEOPLE = 5_000


def ensure_data() -> None:
    if Person.objects.count() < BENCH_PEOPLE:
        print("loading the bench scale (once)...", flush=True)
        call_command("synth", scale="bench", seed=1)


def bench_user(team: Team) -> User:
    username = f"bench-{team.code}"
    user, created = User.objects.get_or_create(username=username)
    if created:
        StaffMember.objects.create(
            user=user, team=team, name=username, role=Role.PRACTITIONER,
            discipline=Discipline.NURSE, joined=timezone.localdate() - timedelta(days=1),
        )
    return user


def auth_header(user: User) -> dict:
    _, token = ApiToken.issue(user, timezone.now() + timedelta(hours=1))
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def time_requests(client: Client, auth: dict, n: int) -> list[float]:
    for _ in range(10):  # warm caches and connections
        client.get("/api/v1/people", **auth)
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get("/api/v1/people", **auth)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return samples


def query_count(client: Client, auth: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/people", **auth)
    return len(ctx.captured_queries), len(response.json())


def naive_caseload(user: User) -> list:
    """The baseline: what a per-person loop costs (queries per person, rule in Python)."""
    today = selectors.today()
    config = engagement_config()
    out = []
    for person in selectors.people_for(user):
        episode = selectors.current_episode(person)
        dates = list(successful_contacts(person=person, episode=episode, date__lte=today)
                     .values_list("date", flat=True))
        kw = episode.key_workers.filter(end__isnull=True).select_related("staff").first()
        out.append((person.nhs_number, kw.staff.name if kw else None,
                    assess(successful_f2f_dates=dates, episode_start=episode.start_date,
                           today=today, stepped_up=episode.stepped_up, config=config)))
    return out


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    ensure_data()
    teams = list(
        Team.objects.annotate(n=Count("episodes", filter=Q(episodes__status__in=OPEN_STATUSES)))
        .order_by("n")
    )
    small, large = teams[0], teams[-1]
    client = Client()
    print(f"database: {connection.vendor}; people: {Person.objects.count():,}; "
          f"contacts: {Contact.objects.count():,}; teams: {len(teams)}")
    for label, team in (("smallest", small), ("largest", large)):
        queries, rows = query_count(client, auth_header(bench_user(team)))
        print(f"{label} team {team.code}: {rows} people on the caseload, {queries} SQL queries")
    auth = auth_header(bench_user(large))
    samples = time_requests(client, auth, args.requests)
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    print(f"GET /api/v1/people, largest team, {args.requests} requests: "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(samples):.1f} ms, "
          f"mean {statistics.mean(samples):.1f} ms")
    user = bench_user(large)
    naive = []
    for _ in range(20):
        start = time.perf_counter()
        naive_caseload(user)
        naive.append((time.perf_counter() - start) * 1000)
    sql_only = []
    for _ in range(20):
        start = time.perf_counter()
        list(selectors.caseload(user))
        sql_only.append((time.perf_counter() - start) * 1000)
    n50, s50 = statistics.median(naive), statistics.median(sql_only)
    print(f"baseline, same caseload: per-person loop median {n50:.1f} ms vs one-query "
          f"caseload median {s50:.1f} ms: the loop is {n50 / s50:.1f}x slower")


if __name__ == "__main__":
    main()
