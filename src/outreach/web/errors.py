"""Error pages as pages of the service: the NHS.UK layout, plain words, a way back.

Django calls these for a bad request (400), a refusal (403), a page not found (404), a
fault of ours (500) and a form refused by the CSRF check (settings.CSRF_FAILURE_VIEW).
They work signed in or out. The 500 page touches neither the database nor the session: the
fault may be the database, so it renders without the request (no account in the header).
"""

from django.http import HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

# The words of each page: a heading and paragraphs. Tests check them.
NOT_FOUND = "Page not found"
FORBIDDEN = "You cannot see this page"
BAD_REQUEST = "Sorry, there is a problem with the request"
SERVER_ERROR = "Sorry, there is a problem with the service"
FORM_EXPIRED = "This form had expired"

_PAGES = {
    400: (BAD_REQUEST, [
        "Something in the request did not make sense to the service, so nothing was done.",
        "Go back and try again. If it happens again, tell your team's system administrator "
        "what you were doing."]),
    403: (FORBIDDEN, [
        "Your role or your team does not give you access to it.",
        "If you think you should see it, ask your team manager."]),
    404: (NOT_FOUND, [
        "If you typed the web address, check it is correct. If you pasted it, check you "
        "copied the whole address.",
        "A person who is not on your team's caseload is not found here either: their record "
        "is open only to the team caring for them."]),
    500: (SERVER_ERROR, [
        "Something went wrong on our side. What you were doing was not saved.",
        "Try again in a few minutes. If it happens again, tell your team's system "
        "administrator, with the time it happened."]),
}


def _page(request, status: int, *, heading: str, paragraphs: list[str], back: str | None = None,
          back_text: str = "", use_request: bool = True) -> HttpResponse:
    html = loader.get_template("web/error.jinja").render({
        "status": status, "heading": heading, "paragraphs": paragraphs,
        "back": back, "back_text": back_text,
    }, request if use_request else None)
    return HttpResponse(html, status=status)


def bad_request(request, exception=None):
    heading, words = _PAGES[400]
    return _page(request, 400, heading=heading, paragraphs=words)


def permission_denied(request, exception=None):
    heading, words = _PAGES[403]
    return _page(request, 403, heading=heading, paragraphs=words)


def page_not_found(request, exception=None):
    heading, words = _PAGES[404]
    return _page(request, 404, heading=heading, paragraphs=words)


def server_error(request):
    heading, words = _PAGES[500]
    return _page(request, 500, heading=heading, paragraphs=words, use_request=False)


def same_origin_referer(request) -> str | None:
    """The page the form came from, if it is one of ours (never another site's)."""
    referer = request.META.get("HTTP_REFERER") or ""
    if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return referer
    return None


def csrf_failure(request, reason: str = ""):
    """A form refused by the CSRF check: usually a page left open for a long time, or
    opened before signing in again (a new sign-in changes the form's token)."""
    back = same_origin_referer(request)
    return _page(request, 403, heading=FORM_EXPIRED, paragraphs=[
        "The form was open too long, or you signed in again since it was opened, so the "
        "service could not be sure it came from you. Nothing was saved.",
        "Open the form again and re-enter what you typed. It helps to keep a copy of a long "
        "note until it is saved.",
    ], back=back, back_text="Reload the form")
