"""web.forms.save_form: a valid posted form saved through its service, once."""

import pytest
from django import forms
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from outreach.records.services import STALE_EDIT, StaleEdit, ValidationFailed
from outreach.web.forms import OneSubmissionForm, handled_redirect, repeated, save_form

pytestmark = pytest.mark.django_db

KEY = "a" * 32


class NameForm(OneSubmissionForm):
    name = forms.CharField()
    version = forms.IntegerField(widget=forms.HiddenInput)


class MappingForm(NameForm):
    """A form with its own mapping of the service's field names (as the clinical forms)."""

    def add_service_errors(self, errors):
        for key, messages in errors.items():
            for message in messages:
                self.add_error("name" if key == "given_name" else None, message)


def post(session=None, **data):
    request = RequestFactory().post("/somewhere/", {"submission_key": KEY, "name": "Ann",
                                                     "version": "3", **data})
    request.session = session if session is not None else SessionStore()
    return request


class Service:
    """Stands in for a page's `save`: does what it is told and counts its calls."""

    def __init__(self, raises=None, url="/saved/?ok=1"):
        self.raises, self.url, self.calls = raises, url, []

    def __call__(self, data):
        self.calls.append(dict(data))
        if self.raises is not None:
            raise self.raises
        return self.url


def test_saved_form_redirects_to_the_url_save_returns_with_the_cleaned_data():
    """A valid post calls save once with the cleaned data and goes where it says."""
    request, save = post(), Service()
    form = NameForm(request.POST)
    response = save_form(request, form, save)
    assert response.status_code == 302
    assert response["Location"] == "/saved/?ok=1"
    assert save.calls == [{"submission_key": KEY, "name": "Ann", "version": 3}]


def test_a_repeated_submission_goes_where_the_first_went_without_saving_again():
    """The key is remembered with the URL: the same form posted again (the page checks
    `repeated` first) goes to the first URL and save is not called a second time."""
    first, save = post(), Service()
    save_form(first, NameForm(first.POST), save)
    again = post(SessionStore(session_key=first.session.session_key), name="Changed")

    response = repeated(again) or save_form(again, NameForm(again.POST), save)

    assert response.status_code == 302
    assert response["Location"] == "/saved/?ok=1"
    assert len(save.calls) == 1


def test_without_remember_the_session_keeps_no_key():
    """Where the service keeps the key itself, the session is not written."""
    request, save = post(), Service()
    response = save_form(request, NameForm(request.POST), save, remember=False)
    assert response["Location"] == "/saved/?ok=1"
    assert handled_redirect(request, KEY) is None
    assert request.session.session_key is None


def test_service_field_errors_go_on_the_form():
    """ValidationFailed: the field's errors on the field, any other as a non-field error;
    nothing is remembered, so the corrected form can be sent again."""
    request = post()
    form = NameForm(request.POST)
    save = Service(ValidationFailed({"name": ["Too short."], "elsewhere": ["Not now."]}))
    assert save_form(request, form, save) is None
    assert form.errors["name"] == ["Too short."]
    assert form.non_field_errors() == ["Not now."]
    assert not getattr(form, "stale", False)
    assert handled_redirect(request, KEY) is None


def test_a_form_that_maps_the_service_errors_itself_does_so():
    """A form with `add_service_errors` (the clinical forms) puts the errors where it says."""
    request = post()
    form = MappingForm(request.POST)
    assert save_form(request, form, Service(ValidationFailed({"given_name": ["Say it."]}))) \
        is None
    assert form.errors["name"] == ["Say it."]


def test_a_stale_edit_is_a_non_field_error_and_marks_the_form_stale():
    """StaleEdit: the stale-edit message, `form.stale` (a 409 on the clinical pages)."""
    request = post()
    form = NameForm(request.POST)
    assert save_form(request, form, Service(StaleEdit())) is None
    assert form.non_field_errors() == [STALE_EDIT]
    assert form.stale is True
    assert handled_redirect(request, KEY) is None


def test_an_invalid_form_or_a_get_saves_nothing():
    """A form with errors of its own, or a GET, never reaches the service."""
    save = Service()
    request = post(name="")
    form = NameForm(request.POST)
    assert save_form(request, form, save) is None
    assert "name" in form.errors

    get = RequestFactory().get("/somewhere/", {"name": "Ann", "version": "3"})
    get.session = SessionStore()
    assert save_form(get, NameForm(get.GET), save) is None
    assert save.calls == []
