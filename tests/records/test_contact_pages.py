"""Logging a contact from a phone: outcome first, presets, the next step after a missed
contact (never a discharge), field errors, and one entry for a double submission."""

from outreach.records.models import Contact, PlannedVisit
from tests import factories
from tests.conftest import login


def _form(client, person):
    return client.get(f"/people/{person.pk}/contacts/new/").content.decode()


def test_form_asks_outcome_first_with_presets(person, practitioner):
    """Outcome is the first question; date is today; place is where they are usually seen."""
    factories.add_contact(person, practitioner, days_ago=3)  # at home
    html = _form(login(practitioner), person)
    assert html.index('name="outcome"') < html.index('name="date"')
    assert f'value="{factories.today().isoformat()}"' in html
    assert 'value="home" checked' in html


def _post(client, person, **fields):
    data = {"outcome": "attended", "date": factories.today().isoformat(),
            "mode": "face_to_face", "place": "home", "with_whom": "person",
            "submission_key": "k-1", "note": ""}
    data.update(fields)
    return client.post(f"/people/{person.pk}/contacts/new/", data)


def test_missed_contact_offers_next_steps_not_discharge(person, practitioner):
    """A did-not-attend leads to try again / visit elsewhere / family, and no discharge."""
    client = login(practitioner)
    response = _post(client, person, outcome="did_not_attend")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Try again tomorrow" in page
    assert "Arrange a visit somewhere else" in page
    assert "/discharge" not in page


def test_double_submission_logs_one_contact(person, practitioner):
    """The same form posted twice (a double tap) logs one contact."""
    client = login(practitioner)
    _post(client, person)
    _post(client, person)
    assert Contact.objects.filter(person=person).count() == 1


def test_bad_input_shows_field_errors_and_saves_nothing(person, practitioner):
    """A missing outcome and a nonsense date are reported in the error summary."""
    response = _post(login(practitioner), person, outcome="", date="2026-02-31")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Choose what happened" in html and "Enter a real date" in html
    assert not Contact.objects.exists()


def test_future_contact_is_refused_with_field_error(person, practitioner):
    """A contact dated tomorrow is refused next to the date field."""
    tomorrow = factories.today().toordinal() + 1
    from datetime import date

    response = _post(login(practitioner), person,
                     date=date.fromordinal(tomorrow).isoformat())
    assert "The date cannot be in the future." in response.content.decode()
    assert not Contact.objects.exists()


def test_logging_a_planned_visit_marks_it_done(person, practitioner):
    """A contact logged from a planned visit closes the visit."""
    client = login(practitioner)
    client.post(f"/people/{person.pk}/visits/new/", {
        "date": factories.today().isoformat(), "staff": practitioner.pk, "place": "home",
        "submission_key": "v-1"})
    visit = PlannedVisit.objects.get(person=person)
    _post(client, person, planned_visit=visit.pk)
    visit.refresh_from_db()
    assert visit.status == "done" and visit.contact is not None


def test_other_teams_person_cannot_be_logged(stranger, practitioner):
    """The form for someone on another team is 404 and nothing is saved."""
    client = login(practitioner)
    assert client.get(f"/people/{stranger.pk}/contacts/new/").status_code == 404
    assert client.post_stale(f"/people/{stranger.pk}/contacts/new/", {
        "outcome": "attended", "date": factories.today().isoformat(), "mode": "face_to_face",
        "place": "home", "with_whom": "person", "submission_key": "k-1"}).status_code == 404
    assert not Contact.objects.exists()
