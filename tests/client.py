"""A test client that posts forms the way a browser does.

Django's test client skips the CSRF check, so a form rendered without its token (a Jinja
macro imported without context renders `{{ csrf_input }}` empty) passed every test while a
real browser got "403 CSRF verification failed". `BrowserClient` checks CSRF as the server
does for a browser, and its `post()` first GETs the page the form lives on (the posted path,
or `page=`), finds the `<form method="post">` that posts there, fails the test if that form
has no CSRF token, and posts the caller's data over the form's hidden inputs (the token, the
one-time submission key, the version...): the caller's values win.

Posts to the API (`/api/`), posts that carry their own `csrfmiddlewaretoken` and posts of a
body that is not a form (`content_type=...`) go straight through.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.test.client import MULTIPART_CONTENT

CSRF = "csrfmiddlewaretoken"


@dataclass
class Form:
    action: str | None
    method: str
    hidden: dict[str, str] = field(default_factory=dict)
    line: int = 0
    has_token_input: bool = False

    def describe(self) -> str:
        return f"<form method={self.method} action={self.action!r}> (line {self.line})"


class FormParser(HTMLParser):
    """Every <form> on a page with its method, action and hidden inputs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._open: Form | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._open = Form(action=a.get("action"), method=(a.get("method") or "get").lower(),
                              line=self.getpos()[0])
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None:
            if (a.get("type") or "").lower() == "hidden" and a.get("name"):
                self._open.hidden.setdefault(a["name"], a.get("value") or "")
                if a["name"] == CSRF:
                    self._open.has_token_input = True

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def forms_on(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def post_forms(html: str) -> list[Form]:
    return [f for f in forms_on(html) if f.method == "post"]


def posts_to(form: Form, page_url: str, path: str) -> bool:
    """Whether the form on page_url submits to path (no action: the page itself)."""
    target = urljoin(page_url, form.action) if form.action else page_url
    return urlsplit(target).path == urlsplit(path).path


def _as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


class BrowserClient(Client):
    def __init__(self, **kwargs):
        kwargs.setdefault("enforce_csrf_checks", True)
        super().__init__(**kwargs)

    def post(self, path, data=None, content_type=MULTIPART_CONTENT, follow=False, *,
             page: str | None = None, **extra):
        if (path.startswith("/api/") or content_type != MULTIPART_CONTENT
                or (isinstance(data, dict) and CSRF in data)):
            return super().post(path, data, content_type, follow, **extra)
        form = self.form_for(path, page or path, data or {})
        merged = {**form.hidden, **(data or {})}
        self.last_post = (path, merged, content_type, follow, extra)
        return super().post(path, merged, content_type, follow, **extra)

    def post_again(self):
        """The same form submitted again as it was (a double tap, or a page restored by
        Back): the same token, key and values, without fetching the page afresh."""
        path, data, content_type, follow, extra = self.last_post
        return super().post(path, data, content_type, follow, **extra)

    def post_stale(self, path, data=None, **extra):
        """Post as from a page opened before the user lost access to it (or that never
        showed them this form): a valid CSRF token, but no form fetched first. For the
        refusal paths, where the form's page itself is refused."""
        token = self.csrf_token()
        return super().post(path, {**(data or {}), CSRF: token}, **extra)

    def csrf_token(self) -> str:
        """The session's CSRF token, from the cookie a page with a form sets."""
        if "csrftoken" not in self.cookies:
            self.get("/login/")
        assert "csrftoken" in self.cookies, "no page set a CSRF cookie"
        return self.cookies["csrftoken"].value

    def form_for(self, path: str, page: str, data: dict) -> Form:
        response = self.get(page)
        assert response.status_code == 200, (
            f"posting to {path}: its form's page {page} answered {response.status_code}; "
            "pass page= the page the form lives on")
        candidates = [f for f in post_forms(response.content.decode())
                      if posts_to(f, page, path)]
        assert candidates, (
            f"posting to {path}: no <form method=post> on {page} submits there; "
            "pass page= the page the form lives on")

        def agreement(form: Form) -> tuple[int, int]:
            # Several forms may post to one place (a note per agenda item, "stop using this
            # link" beside "make a new link"): take the one whose hidden inputs agree with
            # what the caller posts, then the one adding the fewest the caller did not send.
            agree = sum(1 for k, v in form.hidden.items()
                        if k in data and str(v) in _as_list(data[k]))
            return agree, -sum(1 for k in form.hidden if k not in data)

        form = max(candidates, key=agreement)
        assert form.hidden.get(CSRF), (
            f"{form.describe()} on {page} posting to {path} has no CSRF token: "
            "a real browser's submission would be refused with 403")
        return form
