"""Back, then the form submitted again, saves once: the page Back fetches afresh (a new
one-time key, what was typed put back by the browser) says the contact was saved, and the
same content posted again goes to the first contact with a notice instead of a second one."""

from django.utils import timezone

from outreach.records.models import Contact
from outreach.web.forms import SAVED_ALREADY
from tests import factories
from tests.conftest import login


def _contact(person):
    return {"outcome": "attended", "date": factories.today().isoformat(),
            "mode": "face_to_face", "place": "home", "with_whom": "person",
            "note": "Talked about the allotment"}


def test_back_and_resubmit_saves_one_contact(person, practitioner):
    client = login(practitioner)
    url = f"/people/{person.pk}/contacts/new/"
    first = client.post(url, _contact(person))
    assert first.status_code == 302
    saved = Contact.objects.get(person=person)
    # Back: the form page is fetched again, with a new key.
    page = client.get(url).content.decode()
    at = timezone.localtime(saved.recorded_at).strftime("%H:%M")
    assert f"You saved this contact at {at}" in page
    assert f'href="{first["Location"]}"' in page
    second = client.post(url, _contact(person))  # the browser put the same answers back
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Contact.objects.filter(person=person).count() == 1
    landing = client.get(second["Location"]).content.decode()
    assert SAVED_ALREADY.format(noun="contact", time="")[:30] in landing


def test_a_different_contact_straight_after_is_saved(person, practitioner):
    client = login(practitioner)
    url = f"/people/{person.pk}/contacts/new/"
    client.post(url, _contact(person))
    client.post(url, {**_contact(person), "note": "Rang back about his benefits"})
    assert Contact.objects.filter(person=person).count() == 2


def test_the_same_form_posted_twice_saves_once(person, practitioner):
    """A double tap: the same key twice."""
    client = login(practitioner)
    first = client.post(f"/people/{person.pk}/contacts/new/", _contact(person))
    second = client.post_again()
    assert second["Location"] == first["Location"]
    assert Contact.objects.filter(person=person).count() == 1
