"""A depot dose given records who gave it, where and from which batch (issue 13): needed for
a recall and for site rotation. The service, the page, and where the last dose shows."""

import re

import pytest

from outreach.clinical import services
from outreach.clinical.models import DepotDose, DoseOutcome
from outreach.core import depots
from outreach.records.services import ValidationFailed
from outreach.teams.models import Discipline, Role
from tests import factories
from tests.clinical.conftest import days_ago, today
from tests.clinical.test_pages import html, iso, post, record_url
from tests.conftest import login


@pytest.fixture
def depot(person, practitioner):
    return services.depot_start(person=person, by=practitioner, request=None,
                                medicine="Zuclopenthixol", dose="200 mg", interval_days=14,
                                next_due=days_ago(1), started_on=days_ago(60))


@pytest.fixture
def nurse(team):
    return factories.make_staff(team, username="nurse-giver")


def give(depot, by, **fields):
    depot.refresh_from_db()
    values = {"outcome": DoseOutcome.GIVEN, "given_on": today(), "site": "deltoid_left",
              "batch": "AB1234"} | fields
    return services.depot_dose_record(depot=depot, by=by, request=None,
                                      expected_version=depot.version, **values)


def errors_of(call) -> dict:
    with pytest.raises(ValidationFailed) as exc:
        call()
    return exc.value.errors


# --- The service -----------------------------------------------------------------------------


def test_a_dose_given_keeps_giver_site_and_batch(depot, practitioner, nurse):
    dose = give(depot, practitioner, given_by=nurse, site="ventrogluteal_right",
                batch=" ab 12-34 ")
    dose.refresh_from_db()
    assert (dose.given_by, dose.site, dose.batch) == (nurse, "ventrogluteal_right", "AB12-34")


def test_who_gave_it_defaults_to_the_one_recording(depot, practitioner):
    assert give(depot, practitioner).given_by == practitioner


def test_a_dose_given_without_site_or_batch_is_refused(depot, practitioner):
    errors = errors_of(lambda: give(depot, practitioner, site="", batch=""))
    assert errors == {"site": [depots.CHOOSE_SITE], "batch": [depots.ENTER_BATCH]}
    errors = errors_of(lambda: give(depot, practitioner, site="elbow", batch="A" * 21))
    assert errors == {"site": [depots.CHOOSE_SITE], "batch": [depots.BATCH_TOO_LONG]}
    assert not DepotDose.objects.exists()


def test_the_giver_is_a_clinician_of_the_persons_team(depot, practitioner, other_practitioner,
                                                      team):
    """Someone on another team, or no clinician (the crisis line), cannot be named."""
    crisis = factories.make_staff(team, role=Role.CRISIS_LINE, discipline=Discipline.NONE)
    for who in (other_practitioner, crisis):
        assert errors_of(lambda w=who: give(depot, practitioner, given_by=w)) == {
            "given_by": [depots.GIVER_NOT_ON_TEAM]}
    assert not DepotDose.objects.exists()


def test_the_same_site_as_the_last_dose_needs_confirming(depot, practitioner):
    """Rotation: the next dose in the same site is refused, naming the last dose, unless the
    giver confirms it; the other side of the same muscle is fine."""
    give(depot, practitioner, site="dorsogluteal_left", given_on=days_ago(1))
    errors = errors_of(lambda: give(depot, practitioner, site="dorsogluteal_left"))
    assert errors["site"] == [depots.SAME_SITE.format(
        when=f"given {days_ago(1).day} {days_ago(1):%b %Y}", site="left dorsogluteal")]
    assert DepotDose.objects.count() == 1
    again = give(depot, practitioner, site="dorsogluteal_left", same_site=True)
    assert again.site == "dorsogluteal_left"


def test_rotation_is_judged_against_the_last_dose_given(depot, practitioner):
    """A refused dose in between has no site: the last dose given is still the one."""
    give(depot, practitioner, site="deltoid_right", given_on=days_ago(1))
    depot.refresh_from_db()
    services.depot_dose_record(depot=depot, by=practitioner, request=None,
                               expected_version=depot.version, outcome=DoseOutcome.REFUSED)
    assert "site" in errors_of(lambda: give(depot, practitioner, site="deltoid_right"))
    assert give(depot, practitioner, site="deltoid_left").site == "deltoid_left"


def test_a_dose_not_given_has_no_site_or_batch(depot, practitioner):
    errors = errors_of(lambda: services.depot_dose_record(
        depot=depot, by=practitioner, request=None, expected_version=depot.version,
        outcome=DoseOutcome.MISSED, site="deltoid_left", batch="AB1"))
    assert errors == {"site": [depots.ONLY_GIVEN.format(what="an injection site")],
                      "batch": [depots.ONLY_GIVEN.format(what="a batch number")]}


def test_a_dose_recorded_before_the_details_can_still_be_corrected(depot, practitioner):
    """A dose given before site and batch were asked for may be corrected without them;
    one recorded with them keeps them."""
    old = DepotDose.objects.create(person=depot.person, depot=depot, recorded_by=practitioner,
                                   due_on=days_ago(15), outcome=DoseOutcome.GIVEN,
                                   given_on=days_ago(15), given_by=practitioner)
    services.depot_dose_amend(dose=old, by=practitioner, request=None, expected_version=1,
                              reason="typo", changes={"note": "Left side"})
    new = give(depot, practitioner)
    assert errors_of(lambda: services.depot_dose_amend(
        dose=new, by=practitioner, request=None, expected_version=1, reason="wrong box",
        changes={"batch": ""})) == {"batch": [depots.ENTER_BATCH]}
    services.depot_dose_amend(dose=new, by=practitioner, request=None, expected_version=1,
                              reason="wrong box", changes={"batch": "zz9"})
    new.refresh_from_db()
    assert new.batch == "ZZ9"


# --- The page --------------------------------------------------------------------------------


def _form(client, person, depot) -> str:
    return html(client.get(record_url(person, f"depot/{depot.pk}/dose/")))


def _post(client, person, depot, **fields):
    depot.refresh_from_db()
    data = {"outcome": "given", "due_on": iso(depot.next_due), "given_on": iso(today()),
            "given_by": depot.recorded_by_id, "site": "deltoid_left", "batch": "AB1234",
            "expected_version": depot.version, "note": ""} | fields
    return post(client, person, f"depot/{depot.pk}/dose/", data)


def test_the_form_offers_the_team_and_starts_with_the_one_signed_in(person, practitioner,
                                                                   nurse, depot,
                                                                   other_practitioner):
    page = _form(login(practitioner), person, depot)
    chosen = re.search(r'<option value="(\d+)" selected', page)
    assert chosen and int(chosen.group(1)) == practitioner.pk
    assert nurse.name in page and other_practitioner.name not in page
    for value, label in depots.SITES.items():
        assert f'value="{value}"' in page and label.capitalize() in page
    assert 'name="batch"' in page and 'name="same_site"' not in page


def test_the_form_names_the_last_site_as_a_hint(person, practitioner, depot):
    give(depot, practitioner, site="ventrogluteal_left", given_on=days_ago(1))
    page = _form(login(practitioner), person, depot)
    assert f"The last dose ({days_ago(1).day} {days_ago(1):%b}) was given in the left " \
        "ventrogluteal." in page


def test_blank_giver_site_and_batch_are_named_at_once(person, practitioner, depot):
    page = html(_post(login(practitioner), person, depot, given_by="", site="", batch=""))
    for message in (depots.CHOOSE_GIVER, depots.CHOOSE_SITE, depots.ENTER_BATCH):
        assert message in page
    assert 'class="nhsuk-error-summary"' in page
    assert not DepotDose.objects.exists()


def test_the_same_site_is_refused_then_confirmed_on_the_page(person, practitioner, depot):
    """Posting the last dose's site again shows the warning with a box to confirm it; ticked,
    the dose is saved."""
    give(depot, practitioner, site="deltoid_left", given_on=days_ago(1))
    client = login(practitioner)
    page = html(_post(client, person, depot, site="deltoid_left"))
    assert "was also given in the left deltoid" in page and 'name="same_site"' in page
    assert DepotDose.objects.count() == 1
    response = _post(client, person, depot, site="deltoid_left", same_site="on")
    assert response.status_code == 302
    assert DepotDose.objects.count() == 2


def test_a_long_batch_is_refused_with_the_rule(person, practitioner, depot):
    page = html(_post(login(practitioner), person, depot, batch="B" * 41))
    assert depots.BATCH_TOO_LONG in page
    page = html(_post(login(practitioner), person, depot, batch="B" * 25))
    assert depots.BATCH_TOO_LONG in page
    assert not DepotDose.objects.exists()


# --- Where the last dose shows -----------------------------------------------------------


def test_the_front_sheet_and_record_read_the_last_dose(person, practitioner, nurse, depot):
    give(depot, practitioner, given_by=nurse, site="dorsogluteal_right", batch="XY98")
    depot.refresh_from_db()
    sentence = (f"Last dose given {today().day} {today():%b} by {nurse.name} (right "
                f"dorsogluteal, batch XY98). Next due {depot.next_due.day} "
                f"{depot.next_due:%b}")
    client = login(practitioner)
    assert sentence in html(client.get(f"/people/{person.pk}/"))
    assert sentence in html(client.get(record_url(person)))
    history = html(client.get(record_url(person, "depot/history/")))
    assert "Right dorsogluteal" in history and "XY98" in history and nurse.name in history


def test_the_handover_names_the_last_site_of_a_depot_due(person, practitioner, depot, manager):
    give(depot, practitioner, site="thigh_left", given_on=days_ago(1))
    depot.refresh_from_db()
    # Bring the next dose into the handover's window.
    services.depot_amend(depot=depot, by=practitioner, request=None,
                         expected_version=depot.version, reason="moved",
                         changes={"next_due": today()})
    page = html(login(manager).get("/handover/"))
    assert "Zuclopenthixol 200 mg. Last given in the left thigh" in page


def test_a_dose_given_by_someone_who_has_left_can_still_be_corrected(person, practitioner,
                                                                    nurse, depot):
    """The correction form keeps the giver who has since left as a choice, so correcting the
    batch does not make anyone re-name who gave it."""
    dose = give(depot, practitioner, given_by=nurse, batch="AB1")
    nurse.left = days_ago(1)
    nurse.save()
    client = login(practitioner)
    url = record_url(person, f"depot-dose/{dose.pk}/amend/")
    form = html(client.get(url))
    assert re.search(rf'<option value="{nurse.pk}" selected', form)
    response = client.post(url, {
        "submission_key": "amend-left", "outcome": "given", "due_on": iso(dose.due_on),
        "given_on": iso(dose.given_on), "given_by": nurse.pk, "site": dose.site,
        "batch": "ab2", "note": "", "reason": "Wrong box read", "expected_version": 1})
    assert response.status_code == 302, html(response)[-3000:]
    dose.refresh_from_db()
    assert dose.batch == "AB2" and dose.given_by == nurse


def test_a_dose_corrected_to_refused_drops_its_site_batch_and_giver(person, practitioner,
                                                                    depot):
    """A browser cannot untick a radio: correcting a dose to 'refused' clears the site, the
    batch and the giver with it, instead of refusing the correction."""
    dose = give(depot, practitioner, given_on=days_ago(0))
    response = login(practitioner).post(record_url(person, f"depot-dose/{dose.pk}/amend/"), {
        "submission_key": "amend-refused", "outcome": "refused", "due_on": iso(dose.due_on),
        "given_on": "", "given_by": practitioner.pk, "site": dose.site, "batch": dose.batch,
        "note": "", "reason": "Refused, not given", "expected_version": 1})
    assert response.status_code == 302, html(response)[-3000:]
    dose.refresh_from_db()
    assert (dose.outcome, dose.site, dose.batch, dose.given_by) == ("refused", "", "", None)
