"""Error pages are pages of the service: the NHS.UK layout, plain words and a way back,
signed in or out; a form refused by the CSRF check explains and offers to reload the form;
the 500 page touches neither the database nor the session."""

import re

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from outreach.web import errors
from tests.client import BrowserClient
from tests.conftest import login

HOME_LINK = re.compile(r'<a [^>]*href="/"[^>]*>Go to the home page</a>')


def _is_service_page(html: str, heading: str) -> None:
    assert "nhsuk-header" in html and "nhsuk-footer" in html  # the NHS.UK layout
    assert f"<h1>{heading}</h1>" in html
    assert f"<title>{heading} – outreach</title>" in html
    assert HOME_LINK.search(html)  # a way back


def test_not_found_signed_in_is_a_page_of_the_service(practitioner):
    response = login(practitioner).get("/people/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    _is_service_page(html, errors.NOT_FOUND)
    assert "Sign out" in html and practitioner.name in html  # still signed in


def test_not_found_signed_out(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    _is_service_page(html, errors.NOT_FOUND)
    assert "Sign out" not in html


@pytest.mark.urls("tests.web.error_urls")
def test_refused_is_a_page_of_the_service(practitioner):
    response = login(practitioner).get("/test-refused/")
    assert response.status_code == 403
    _is_service_page(response.content.decode(), errors.FORBIDDEN)


def test_bad_request_is_a_page_of_the_service(db):
    """A request for a host the service does not answer to is a bad request (400)."""
    response = Client(HTTP_HOST="elsewhere.example").get("/")
    assert response.status_code == 400
    _is_service_page(response.content.decode(), errors.BAD_REQUEST)


@pytest.mark.urls("tests.web.error_urls")
def test_a_fault_is_a_page_of_the_service(practitioner):
    client = login(practitioner)
    client.raise_request_exception = False
    response = client.get("/test-fault/")
    assert response.status_code == 500
    html = response.content.decode()
    _is_service_page(html, errors.SERVER_ERROR)
    assert "RuntimeError" not in html and "a fault of ours" not in html


def test_the_fault_page_touches_no_database(practitioner):
    """The fault may be the database: the 500 page reads neither the session nor the user,
    even for someone signed in."""
    client = login(practitioner)
    request = RequestFactory().get("/anything/")
    request.COOKIES.update({k: m.value for k, m in client.cookies.items()})
    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    with CaptureQueriesContext(connection) as queries:
        response = errors.server_error(request)
    assert response.status_code == 500 and not queries.captured_queries
    assert errors.SERVER_ERROR in response.content.decode()


def _refused_contact(client, person, **headers):
    """The contact form posted with a token that is not the session's (a page open since
    before the user signed in again)."""
    url = f"/people/{person.pk}/contacts/new/"
    assert client.get(url).status_code == 200
    return client.post(url, {"csrfmiddlewaretoken": "x" * 64, "outcome": "attended"},
                       **headers)


def test_an_expired_form_explains_and_offers_to_reload_it(practitioner, person):
    client = login(practitioner)
    url = f"http://testserver/people/{person.pk}/contacts/new/"
    response = _refused_contact(client, person, HTTP_REFERER=url)
    assert response.status_code == 403
    html = response.content.decode()
    _is_service_page(html, errors.FORM_EXPIRED)
    assert "Nothing was saved" in html
    assert re.search(rf'<a [^>]*href="{re.escape(url)}"[^>]*>Reload the form</a>', html)
    assert not person.contacts.exists()


def test_an_expired_form_never_links_to_another_site(practitioner, person):
    response = _refused_contact(login(practitioner), person,
                                HTTP_REFERER="https://evil.example/phish/")
    html = response.content.decode()
    assert response.status_code == 403 and "evil.example" not in html
    assert "Reload the form" not in html and HOME_LINK.search(html)


def test_an_expired_sign_in_form_explains_when_signed_out(db):
    client = BrowserClient()
    client.get("/login/")
    response = client.post("/login/", {"csrfmiddlewaretoken": "y" * 64, "username": "a",
                                       "password": "b"},
                           HTTP_REFERER="http://testserver/login/")
    assert response.status_code == 403
    html = response.content.decode()
    _is_service_page(html, errors.FORM_EXPIRED)
    assert 'href="http://testserver/login/"' in html and "Sign out" not in html
