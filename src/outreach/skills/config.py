"""Skills matrix settings: `OUTREACH_SKILLS = {"expiry_warning_days": 60}` (default 60):
training that expires within this many days is shown as "expiring soon"."""

from django.conf import settings

DEFAULTS = {"expiry_warning_days": 60}
UNKNOWN = "Unknown skills setting"
BAD_DAYS = "expiry_warning_days must be a whole number of days, 0 or more"


def skills_config() -> dict:
    configured = dict(getattr(settings, "OUTREACH_SKILLS", {}))
    unknown = set(configured) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"{UNKNOWN}: {', '.join(sorted(unknown))}")
    merged = {**DEFAULTS, **configured}
    days = merged["expiry_warning_days"]
    if type(days) is not int or days < 0:
        raise ValueError(BAD_DAYS)
    return merged


def warning_days() -> int:
    return skills_config()["expiry_warning_days"]
