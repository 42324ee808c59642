"""The Jinja2 environment for pages: NHS.UK frontend components (nhsuk-frontend-jinja) plus
Django's url reversing, static files and date formatting."""

from pathlib import Path

import nhsuk_frontend_jinja
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat
from jinja2 import ChainableUndefined, Environment

from outreach.web.forms import error_list

NHSUK_TEMPLATES = Path(nhsuk_frontend_jinja.__file__).parent / "templates"


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def format_date(value, fmt: str = "j M Y") -> str:
    return dateformat.format(value, fmt) if value else ""


def plural(n: int, singular: str, plural_form: str) -> str:
    return f"{n} {singular if n == 1 else plural_form}"


def environment(**options) -> Environment:
    # The NHS.UK macros test optional params with `params.x.y`, so undefined must chain.
    options["undefined"] = ChainableUndefined
    options.setdefault("extensions", []).append("jinja2.ext.do")
    env = Environment(**options)
    env.globals.update(url=url, static=static, form_errors=error_list)
    env.filters.update(date=format_date, plural=plural)
    return env
