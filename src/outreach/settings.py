"""Django settings. Everything that differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url
import nhsuk_frontend_jinja

BASE_DIR = Path(__file__).resolve().parent
_NHSUK_TEMPLATES = Path(nhsuk_frontend_jinja.__file__).parent / "templates"
DATA_DIR = Path(os.environ.get("OUTREACH_DATA_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("OUTREACH_DEBUG", "") == "1"
# A fixed key is only acceptable for the local synthetic demo and tests; production sets it.
SECRET_KEY = os.environ.get("OUTREACH_SECRET_KEY") or (
    "insecure-local-demo-key-never-use-with-real-data"
)
ALLOWED_HOSTS = os.environ.get(
    "OUTREACH_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"
).split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "outreach.audit",
    "outreach.submissions",
    "outreach.teams",
    "outreach.records",
    "outreach.clinical",
    "outreach.meetings",
    "outreach.visits",
    "outreach.governance",
    "outreach.experience",
    "outreach.skills",
    "outreach.reminders",
    "outreach.outcomes",
    "outreach.api",
    "outreach.web",
    "outreach.synth",
    "outreach.population",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "outreach.web.middleware.StaticFiles",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Stores the one-time keys of the forms a page rendered (outreach.submissions).
    "outreach.submissions.services.IssueKeys",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "outreach.web.middleware.ReadOnlyRecords",
]

ROOT_URLCONF = "outreach.urls"
# A form refused by the CSRF check gets a page of the service that explains and offers to
# reload the form (web/errors.py), not Django's bare "CSRF verification failed".
CSRF_FAILURE_VIEW = "outreach.web.errors.csrf_failure"
WSGI_APPLICATION = "outreach.wsgi.application"

TEMPLATES = [
    {
        # Pages: Jinja2 with the NHS.UK design system's components (nhsuk-frontend-jinja).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [_NHSUK_TEMPLATES],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "outreach.web.jinja2env.environment", "autoescape": True},
    },
    {
        # Django templates remain for the API's bundled docs page.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=60)
        # JIT compilation costs PostgreSQL ~2 s on the caseload query (many small subqueries)
        # for ~90 ms of real work: measured with EXPLAIN ANALYZE on the bench data.
        db.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        db = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("OUTREACH_SQLITE_PATH", str(DATA_DIR / "outreach.sqlite3")),
            "OPTIONS": {
                # WAL lets readers work while a contact is written; synchronous=FULL means an
                # acknowledged write survives a power cut. IMMEDIATE avoids upgrade deadlocks.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            # Tests use a file, not memory, so that they run with WAL as production does;
            # one per process, so that concurrent runs do not share it.
            "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    # A request's reads, writes and audit events commit together or not at all.
    db["ATOMIC_REQUESTS"] = True
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "caseload"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one shift
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# nhsuk-frontend's built CSS and JS, installed from npm by `make install` (package.json).
NHSUK_DIST = BASE_DIR.parent.parent / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
STATICFILES_DIRS = [("nhsuk", NHSUK_DIST)] if NHSUK_DIST.exists() else []

# Clinical thresholds are configuration, not code (design rule 2). See docs/configuration.md.
# Ending the team's care is judged by the person's record (outreach.core.discharge): refused
# while there is no successful face-to-face contact in the last N weeks, or the contact target
# was unmet in most of the last M full weeks (docs/configuration.md says why these defaults).
OUTREACH_DISCHARGE = {
    "recent_contact_weeks": 2,
    "target_weeks": 8,
}
OUTREACH_ENGAGEMENT = {
    "standard": {
        "due_after_days": 4,
        "overdue_after_days": 7,
        "lost_contact_after_days": 14,
        "escalated_after_days": 28,
    },
    "stepped_up": {
        "due_after_days": 1,
        "overdue_after_days": 2,
        "lost_contact_after_days": 4,
        "escalated_after_days": 7,
    },
    "weekly_target": 2,
    "stepped_up_weekly_target": 7,
}
# Review intervals of the clinical record (outreach.clinical.config) and red-flag periods
# (outreach.core.redflags.FlagConfig). Keys left out keep their defaults; unknown keys are
# refused at start-up.
OUTREACH_CLINICAL = {
    "care_plan_review_months": 6,
    "care_plan_review_months_stepped_up": 1,
    "physical_health_check_months": 12,
    "depot_tolerance_days": 7,
}
OUTREACH_FLAGS = {
    "police_contact_days": 28,
    "legal_notice_days": 28,
}
# Days after a discharge that the crisis line still finds the person, with the route back in.
OUTREACH_CRISIS_DISCHARGED_DAYS = int(os.environ.get("OUTREACH_CRISIS_DISCHARGED_DAYS", "90"))
if OUTREACH_CRISIS_DISCHARGED_DAYS < 0:
    raise ValueError("OUTREACH_CRISIS_DISCHARGED_DAYS must be 0 or more")
# How far ahead a visit may be planned (core.limits.VISIT_AHEAD_WEEKS; docs/configuration.md).
OUTREACH_VISIT_AHEAD_WEEKS = 26
# Who runs this service: named in every page's footer (docs/configuration.md).
OUTREACH_ORGANISATION = os.environ.get("OUTREACH_ORGANISATION", "").strip()
# The NHS logo in the header, only where the organisation running the service is entitled to
# use it (an NHS organisation, under the NHS identity guidelines). Off unless set to 1;
# `make run` turns it on for the local demo. Without it the header names the service in text.
OUTREACH_NHS_BRANDING = os.environ.get("OUTREACH_NHS_BRANDING", "") == "1"
OUTREACH_API_TOKEN_HOURS = int(os.environ.get("OUTREACH_API_TOKEN_HOURS", "12"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
