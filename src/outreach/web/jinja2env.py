"""The Jinja2 environment for pages: NHS.UK frontend components (nhsuk-frontend-jinja) plus
Django's url reversing, static files and date formatting."""

import re
from pathlib import Path

import nhsuk_frontend_jinja
from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone
from jinja2 import ChainableUndefined, Environment
from markupsafe import Markup

from outreach.web.forms import error_list

NHSUK_TEMPLATES = Path(nhsuk_frontend_jinja.__file__).parent / "templates"
# The project's own licence (pyproject.toml), named in every page's footer.
LICENCE = "MIT"
# The NHS.UK header's logo link, as nhsuk-frontend-jinja renders it when the logo has a link
# of its own (the service name then follows as a separate link).
_LOGO_LINK = re.compile(r'\s*<a class="nhsuk-header__service-logo"[^>]*>.*?</a>', re.S)


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


def branding() -> dict:
    """What the header and footer show of who runs the service (read at each render, so
    that a changed setting shows at once)."""
    return {"organisation": settings.OUTREACH_ORGANISATION,
            "nhs_logo": settings.OUTREACH_NHS_BRANDING, "licence": LICENCE}


def without_nhs_logo(html) -> Markup:
    """The NHS.UK header without its NHS logo (the macro always draws one). Fails loudly if
    the header's markup changes, rather than show the logo where it must not be."""
    plain, removed = _LOGO_LINK.subn("", str(html), count=1)
    if removed != 1:
        raise ValueError("The NHS.UK header's logo link was not found: check its markup.")
    return Markup(plain)


def environment(**options) -> Environment:
    # The NHS.UK macros test optional params with `params.x.y`, so undefined must chain.
    options["undefined"] = ChainableUndefined
    options.setdefault("extensions", []).append("jinja2.ext.do")
    env = Environment(**options)
    env.globals.update(url=url, static=static, form_errors=error_list, branding=branding,
                       notices=notices)
    env.filters.update(date=format_date, plural=plural, without_nhs_logo=without_nhs_logo,
                       localtime=localtime)
    return env
