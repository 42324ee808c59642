"""Experience feedback settings: `OUTREACH_FEEDBACK = {"anonymous_per_hour": 60,
"quarters": 4}`. `anonymous_per_hour` caps submissions through one team's public link in a
clock hour (a brake on automated spam; nothing about the sender is stored to do it);
`quarters` is how many quarters the results pages show."""

from django.conf import settings

DEFAULTS = {"anonymous_per_hour": 60, "quarters": 4}
UNKNOWN = "Unknown feedback setting"
BAD_VALUE = "Feedback settings must be whole numbers, at least 1"


def feedback_config() -> dict:
    configured = dict(getattr(settings, "OUTREACH_FEEDBACK", {}))
    unknown = set(configured) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"{UNKNOWN}: {', '.join(sorted(unknown))}")
    merged = {**DEFAULTS, **configured}
    if any(type(v) is not int or v < 1 for v in merged.values()):
        raise ValueError(BAD_VALUE)
    return merged
