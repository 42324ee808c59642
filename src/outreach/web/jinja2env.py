"""The Jinja2 environment for pages: NHS.UK frontend components (nhsuk-frontend-jinja) plus
Django's url reversing, static files and date formatting."""

from pathlib import Path

import nhsuk_frontend_jinja
from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone
from jinja2 import ChainableUndefined, Environment

from outreach.web.forms import error_list

NHSUK_TEMPLATES = Path(nhsuk_frontend_jinja.__file__).parent / "templates"


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def format_date(value, fmt: str = "j M Y") -> str:
    return dateformat.format(value, fmt) if value else ""


def localtime(value) -> str:
    """A moment as the time of day where the team is (settings.TIME_ZONE), e.g. 10:42."""
    return timezone.localtime(value).strftime("%H:%M") if value else ""


def notices(request) -> list[str]:
    """The one-off messages for this page (django.contrib.messages), read once."""
    if not isinstance(request, HttpRequest):
        return []
    return [str(m) for m in get_messages(request)]


def plural(n: int, singular: str, plural_form: str) -> str:
    return f"{n} {singular if n == 1 else plural_form}"


def environment(**options) -> Environment:
    # The NHS.UK macros test optional params with `params.x.y`, so undefined must chain.
    options["undefined"] = ChainableUndefined
    options.setdefault("extensions", []).append("jinja2.ext.do")
    env = Environment(**options)
    env.globals.update(url=url, static=static, form_errors=error_list, notices=notices)
    env.filters.update(date=format_date, plural=plural, localtime=localtime)
    return env
