"""Browser journeys: a real server process on its own SQLite database with the synthetic
demo team, driven by Playwright in Debian's headless Chromium, with an axe-core check.

The server is a separate process (not Django's live_server) because the audit table refuses
the DELETEs a transactional test flush would need (docs/decisions/0002-audit.md).
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("OUTREACH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "e2e-demo-password"
SCREENSHOTS = ROOT / "docs" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _outreach(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "outreach", *args], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("e2e")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(OUTREACH_DATA_DIR=str(data), OUTREACH_SQLITE_PATH=str(data / "e2e.sqlite3"),
               OUTREACH_DEMO_PASSWORD=PASSWORD, DJANGO_SETTINGS_MODULE="outreach.settings")
    _outreach(env, "migrate", "--noinput", "--verbosity", "0")
    _outreach(env, "demo")
    _outreach(env, "collectstatic", "--noinput", "--verbosity", "0")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "outreach", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError(proc.stderr.read().decode()[-2000:])
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server) -> Page:
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844})
    pg = context.new_page()
    yield pg
    context.close()


def sign_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)


def screenshot(page: Page, name: str) -> None:
    """Refresh the docs' screenshots from the journeys (OUTREACH_SCREENSHOTS=1)."""
    if os.environ.get("OUTREACH_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def choose_another_key_worker(page: Page) -> None:
    """Pick a key worker other than the signed-in user (who is the default). Journeys signed
    in as the consultant or manager use it so that they keep key-working nobody, as the
    landing journey expects of them (the e2e database is shared by every journey)."""
    field = page.get_by_label("Key worker")
    current = field.input_value()
    values = field.locator("option").evaluate_all("options => options.map(o => o.value)")
    field.select_option(next(v for v in values if v and v != current))
