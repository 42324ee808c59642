"""web.forms.save_form: a valid posted form saved through its service, once. The one-time
key is kept in the database (outreach.submissions) and claimed with the write."""

from datetime import timedelta

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.utils import timezone

from outreach.records.services import STALE_EDIT, StaleEdit, ValidationFailed
from outreach.submissions import services as submissions
from outreach.submissions.models import SubmissionKey
from outreach.teams.models import Team
from outreach.web.forms import OneSubmissionForm, handled, handled_redirect, repeated, save_form
from tests import factories

pytestmark = pytest.mark.django_db

KEY = "a" * 32


class NameForm(OneSubmissionForm):
    name = forms.CharField()
    version = forms.IntegerField(widget=forms.HiddenInput)


class PaperForm(NameForm):
    same_content_is_a_repeat = False


class MappingForm(NameForm):
    """A form with its own mapping of the service's field names (as the clinical forms)."""

    def add_service_errors(self, errors):
        for key, messages in errors.items():
            for message in messages:
                self.add_error("name" if key == "given_name" else None, message)


@pytest.fixture
def user(db):
    return factories.make_staff(factories.make_team("west"), username="writer").user


def post(user=None, key=KEY, **data):
    request = RequestFactory().post("/somewhere/", {"submission_key": key, "name": "Ann",
                                                     "version": "3", **data})
    request.user = user or AnonymousUser()
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
    """The key is kept with the URL: the same form posted again goes to the first URL and
    save is not called a second time, whether the page checks `repeated` first or not."""
    first, save = post(), Service()
    save_form(first, NameForm(first.POST), save)
    again = post(name="Changed")
    assert repeated(again)["Location"] == "/saved/?ok=1"
    response = save_form(again, NameForm(again.POST), save)
    assert response.status_code == 302
    assert response["Location"] == "/saved/?ok=1"
    assert len(save.calls) == 1
    row = SubmissionKey.objects.get(key=KEY)
    assert row.used_at is not None and row.redirect_to == "/saved/?ok=1"


def test_the_database_refuses_a_second_use_of_a_key():
    """The key column is unique: a second claim cannot be written beside the first."""
    save_form(post(), NameForm(post().POST), Service())
    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionKey.objects.create(key=KEY, issued_at=timezone.now(),
                                     used_at=timezone.now(), redirect_to="/elsewhere/")


def test_a_key_claimed_by_a_racing_submission_undoes_this_write(user):
    """`handled` claims the key after the page's own write: if a submission racing this one
    claimed it first, this request's transaction is rolled back and the user goes where the
    first went."""
    submissions.claim(key=KEY, user=user, form="/somewhere/")
    submissions.settle(key=KEY, redirect_to="/first/")
    request = post(user)
    form = NameForm(request.POST)
    assert form.is_valid()
    with transaction.atomic():
        factories.make_team("race")  # the second submission's write
        response = handled(request, form, "/second/")
    assert response["Location"] == "/first/"
    assert not Team.objects.filter(code="race").exists()


def test_a_form_rendered_in_a_page_has_its_key_issued_with_the_user_and_page(
        person, practitioner):
    """The middleware stores the key of each form a page rendered, not yet used."""
    from tests.client import forms_on
    from tests.conftest import login

    url = f"/people/{person.pk}/contacts/new/"
    html = login(practitioner).get(url).content.decode()
    key = next(f.hidden["submission_key"] for f in forms_on(html)
               if "submission_key" in f.hidden)
    row = SubmissionKey.objects.get(key=key)
    assert (row.user_id, row.page, row.used_at) == (practitioner.user_id, url, None)


def test_the_same_content_again_with_a_fresh_key_is_the_same_submission(user):
    """Back fetches the form afresh (a new key) and the browser puts back what was typed:
    identical content from the same user through the same form, within minutes, goes where
    the first went; different content, or after the window, is saved."""
    save = Service()
    first = post(user, key="k1")
    save_form(first, NameForm(first.POST), save)
    again = post(user, key="k2")
    assert save_form(again, NameForm(again.POST), save)["Location"] == "/saved/?ok=1"
    assert len(save.calls) == 1
    assert submissions.used("k2").redirect_to == "/saved/?ok=1"
    other = post(user, key="k3", name="Bea")
    save_form(other, NameForm(other.POST), save)
    assert len(save.calls) == 2
    SubmissionKey.objects.update(used_at=timezone.now() - submissions.REPEAT_WINDOW
                                 - timedelta(seconds=1))
    later = post(user, key="k4")
    save_form(later, NameForm(later.POST), save)
    assert len(save.calls) == 3


def test_a_form_may_take_the_same_content_twice(user):
    """Paper forms keyed in one after another may be identical: each is saved."""
    save = Service()
    for key in ("p1", "p2"):
        request = post(user, key=key)
        save_form(request, PaperForm(request.POST), save)
    assert len(save.calls) == 2


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
    # The claim went with the refused write: the corrected form is saved.
    again = post()
    assert save_form(again, NameForm(again.POST), Service())["Location"] == "/saved/?ok=1"


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
    assert save_form(get, NameForm(get.GET), save) is None
    assert save.calls == []


def test_the_same_answers_at_the_next_version_are_the_same_submission(user):
    """A versioned form fetched again after its first save carries the next version: the
    same answers are still the same submission."""
    save = Service()
    first = post(user, key="v1")
    save_form(first, NameForm(first.POST), save)
    again = post(user, key="v2", version="4")
    assert save_form(again, NameForm(again.POST), save)["Location"] == "/saved/?ok=1"
    assert len(save.calls) == 1


def test_an_edit_changed_and_made_again_is_saved_each_time(user):
    """Only the latest save counts as 'the same': X, then Y, then X again saves X again."""
    save = Service()
    for key, name in (("e1", "Ann"), ("e2", "Bea"), ("e3", "Ann")):
        request = post(user, key=key, name=name)
        save_form(request, NameForm(request.POST), save)
    assert [c["name"] for c in save.calls] == ["Ann", "Bea", "Ann"]
