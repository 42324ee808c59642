"""Benchmark: server time of the caseload, handover and MDT pages for one team within the
trust-scale data set, normally on PostgreSQL (issue 3: p95 under 150 ms).

    DATABASE_URL=postgres://... uv run python bench/pages.py [--requests 100]

Loads `outreach synth --scale trust --seed 1` first if the database is empty. Pages are
rendered in-process through Django's test client as the demo practitioner of north-ao
(server time: view, queries, audit writes and template, no network). Baseline in the same
run: the sign-in page, which touches no patient data.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from outreach.records.models import Contact, Person  # noqa: E402

PAGES = {"caseload (whole team)": "/?view=team", "handover": "/handover/", "MDT": "/mdt/"}


def timed(client: Client, path: str, n: int) -> list[float]:
    for _ in range(3):
        client.get(path)
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return samples


def count_queries(client: Client, path: str) -> int:
    """Counted with an execute wrapper: the request_started signal resets Django's own
    query log, so CaptureQueriesContext sees none through the test client outside tests."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        client.get(path)
    return len(seen)


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    if not Person.objects.exists():
        print("loading the trust scale (once)...", flush=True)
        call_command("synth", scale="trust", seed=1)
    client = Client()
    client.force_login(User.objects.get(username="practitioner"))
    print(f"database: {connection.vendor}; people: {Person.objects.count():,}; "
          f"contacts: {Contact.objects.count():,}")
    base = timed(Client(), "/login/", args.requests)
    print(f"baseline sign-in page: p50 {p(base, 50):.1f} ms, p95 {p(base, 95):.1f} ms")
    for name, path in PAGES.items():
        queries = count_queries(client, path)
        samples = timed(client, path, args.requests)
        print(f"{name:24} {queries:3} queries  p50 {p(samples, 50):6.1f} ms  "
              f"p95 {p(samples, 95):6.1f} ms  max {max(samples):6.1f} ms  "
              f"({statistics.median(samples) / statistics.median(base):.0f}x the baseline)")


if __name__ == "__main__":
    main()
