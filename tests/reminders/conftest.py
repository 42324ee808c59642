"""Situations for reminder tests, and a stand-in for GOV.UK Notify on 127.0.0.1.

The stand-in is a real HTTP server in a thread: the official Notify client talks to it over
HTTP exactly as it would to Notify, so the tests see what would be sent (path, JSON body,
signed token) without mocking our code and without the internet.
"""

import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from outreach.records.models import Carer, PlannedVisit
from outreach.reminders import services
from outreach.reminders.models import Reminder
from tests import factories

MOBILE = "07700 900123"
SERVICE_ID = str(uuid.UUID(int=1))
SECRET = str(uuid.UUID(int=2))
API_KEY = f"outreach_test-{SERVICE_ID}-{SECRET}"
SMS_TEMPLATE = str(uuid.UUID(int=3))
LETTER_TEMPLATE = str(uuid.UUID(int=4))


def make_visit(person, staff, *, days_ahead: int = 1, at: time | None = time(14, 30),
               place: str = "home", purpose: str = "Depot injection (risperidone)"):
    return PlannedVisit.objects.create(
        person=person, episode=person.episodes.get(), staff=staff,
        date=factories.today() + timedelta(days=days_ahead), time=at, place=place,
        purpose=purpose,
    )


def make_carer(person, *, consent: bool = True, phone: str = "07700 900456",
               main: bool = True) -> Carer:
    return Carer.objects.create(person=person, name="Alex Carer", relationship="sister",
                                phone=phone, is_main_carer=main, consent_to_share=consent)


def queue(visit, staff, *, key: str | None = None) -> Reminder:
    """A reminder made through the service, as the page would make it."""
    return services.reminder_for_visit(visit=visit, by=staff, request=None, submission_key=key)


@pytest.fixture
def texter(team, practitioner):
    """A person who prefers texts and gave a mobile number."""
    return factories.make_person(team, practitioner, phone=MOBILE,
                                 preferred_contact_means="text")


@pytest.fixture
def visit(texter, practitioner):
    return make_visit(texter, practitioner)


@dataclass
class FakeNotify:
    url: str
    requests: list = field(default_factory=list)
    status: int = 201
    reply: dict = field(default_factory=lambda: {"id": "6b1a8a3c-notify-id"})


@pytest.fixture
def fake_notify():
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            fake.requests.append({"path": self.path, "headers": dict(self.headers),
                                  "json": json.loads(raw or b"{}")})
            data = json.dumps(fake.reply).encode()
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake = FakeNotify(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def notify_sender(fake_notify):
    from outreach.reminders.senders import NotifySender

    return NotifySender(API_KEY, sms_template=SMS_TEMPLATE, letter_template=LETTER_TEMPLATE,
                        base_url=fake_notify.url, timeout=5)
