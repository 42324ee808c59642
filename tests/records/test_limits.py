"""Limits on text and the sense of dates, as services and the database enforce them
(core.limits): a contact dated 1901, a birth in 1800, a discharge before acceptance, a visit in
2099 or with a worker off sick, and a 110,000-character note are refused by the service with
a field error, and by the database when written past the service."""

from datetime import date, timedelta

import pytest
from django.db import DataError, IntegrityError, transaction
from django.test import override_settings

from outreach.core import limits
from outreach.records import services
from outreach.records.models import (
    Contact,
    DischargeDecision,
    Episode,
    Person,
    PlannedVisit,
    RefusedDischarge,
)
from outreach.teams.models import Absence
from tests import factories


def _log(person, by, **kw):
    return services.contact_log(person=person, episode=person.episodes.get(), by=by,
                                request=None, outcome="attended", **{"date": factories.today(),
                                                                     **kw})


def _fails(call, field: str) -> list[str]:
    with pytest.raises(services.ValidationFailed) as exc:
        call()
    assert field in exc.value.errors, exc.value.errors
    return exc.value.errors[field]


def test_a_contact_dated_1901_is_refused(person, practitioner):
    assert _fails(lambda: _log(person, practitioner, date=date(1901, 1, 1)), "date")
    assert not Contact.objects.exists()


def test_a_contact_before_the_referral_is_refused(person, practitioner):
    referred = person.episodes.get().referral_date
    (message,) = _fails(lambda: _log(person, practitioner, date=referred - timedelta(days=1)),
                        "date")
    assert message.startswith("The date cannot be before the person was referred")
    assert _log(person, practitioner, date=referred).date == referred


def test_a_note_over_5000_characters_is_refused(person, practitioner):
    assert _fails(lambda: _log(person, practitioner, note="x" * 110_000), "note") == [
        "Note must be 5,000 characters or fewer"]
    assert _log(person, practitioner, note="x" * limits.CONTACT_NOTE).note


def test_a_contact_amended_to_1901_or_a_long_note_is_refused(person, practitioner):
    contact = _log(person, practitioner)
    for changes, field in (({"date": date(1901, 1, 1)}, "date"),
                           ({"note": "x" * 6_000}, "note")):
        _fails(lambda c=changes: services.contact_amend(
            contact=contact, by=practitioner, request=None, expected_version=1,
            reason="typo", changes=c), field)
    contact.refresh_from_db()
    assert contact.version == 1 and contact.date == factories.today()


def _register(by, **kw):
    values = {"nhs_number": factories.next_nhs_number(), "given_name": "Ada",
              "family_name": "Lovelace", "date_of_birth": date(1980, 1, 1),
              "referral_date": factories.today(), "referral_source": "gp"} | kw
    return services.person_create(by=by, request=None, **values)


@pytest.mark.parametrize("born, message", [
    (date(1800, 1, 1), limits.BEFORE_1900),
    (date(1910, 1, 1), limits.TOO_OLD),
    (None, limits.TOO_YOUNG),  # born 10 years ago
])
def test_an_implausible_birth_is_refused(practitioner, born, message):
    born = born or factories.today().replace(year=factories.today().year - 10)
    assert _fails(lambda: _register(practitioner, date_of_birth=born),
                  "date_of_birth") == [message]
    assert not Person.objects.exists()


def test_a_birth_corrected_to_1800_is_refused(person, practitioner):
    _fails(lambda: services.person_amend(
        person=person, by=practitioner, request=None, expected_version=person.version,
        reason="typo", changes={"date_of_birth": date(1800, 1, 1)}), "date_of_birth")
    _fails(lambda: services.person_amend(
        person=person, by=practitioner, request=None, expected_version=person.version,
        reason="typo", changes={"given_name": "A" * 101}), "given_name")


def test_a_name_over_the_limit_is_refused(practitioner):
    assert _fails(lambda: _register(practitioner, family_name="L" * 101), "family_name") == [
        "Family name must be 100 characters or fewer"]


def _agreed(person, by):
    from outreach.records.models import DischargeProposal

    return DischargeProposal.objects.create(
        episode=person.episodes.get(), reason="step_down", rationale="r",
        relapse_indicators="i", known_risks="k", route_back_in="b", shared_with=["GP"],
        receiving_team="CMHT", proposed_by=by, decided="agreed", decided_by=by,
        decided_on=factories.today() - timedelta(days=400))


def test_a_discharge_before_acceptance_is_refused_and_not_counted(person, practitioner):
    from outreach.records import services_episode

    episode = person.episodes.get()
    with pytest.raises(services.ValidationFailed) as exc:
        services_episode.proposal_carry_out(
            proposal=_agreed(person, practitioner), by=practitioner, request=None,
            on=episode.accepted_date - timedelta(days=1), expected_version=episode.version)
    assert exc.value.errors["on"][0].startswith("The date of discharge cannot be before")
    assert not DischargeDecision.objects.exists()
    # A date slip is not an attempt the guard refused: governance does not count it.
    assert not RefusedDischarge.objects.exists()
    episode.refresh_from_db()
    assert episode.is_open


def test_an_oversize_decision_record_is_refused_at_proposal(person, practitioner):
    from outreach.records import services_episode

    with pytest.raises(services.ValidationFailed) as exc:
        services_episode.discharge_propose(
            episode=person.episodes.get(), by=practitioner, request=None, reason="step_down",
            rationale="r" * 110_000, relapse_indicators="i", known_risks="k",
            route_back_in="b", shared_with=["GP"], receiving_team="CMHT")
    assert "rationale" in exc.value.errors
    assert not RefusedDischarge.objects.exists()


def _plan(person, by, **kw):
    return services.visit_plan(person=person, episode=person.episodes.get(), by=by,
                               request=None, place="home",
                               **{"staff": by, "date": factories.today(), **kw})


def test_a_visit_in_2099_is_refused(person, practitioner):
    (message,) = _fails(lambda: _plan(person, practitioner, date=date(2099, 1, 1)), "date")
    assert "26 weeks" in message
    last = factories.today() + timedelta(weeks=26)
    assert _plan(person, practitioner, date=last).date == last


@override_settings(OUTREACH_VISIT_AHEAD_WEEKS=4)
def test_how_far_ahead_is_a_setting(person, practitioner):
    _fails(lambda: _plan(person, practitioner, date=factories.today() + timedelta(weeks=5)),
           "date")


def test_a_visit_with_a_worker_off_sick_is_refused(team, person, practitioner):
    day = factories.today() + timedelta(days=3)
    colleague = factories.make_staff(team)
    Absence.objects.create(staff=practitioner, kind="sickness", start=day, end=day)
    (message,) = _fails(lambda: _plan(person, practitioner, date=day), "staff")
    assert message.startswith(f"{practitioner.name} is away that day (sickness")
    _fails(lambda: _plan(person, colleague, date=day, second_staff=practitioner),
           "second_staff")
    assert not PlannedVisit.objects.exists()
    assert _plan(person, colleague, date=day).staff == colleague


# --- The database refuses what the services refuse, whatever writes it -------------------


def _refused(write) -> None:
    """Refused by a check constraint (or, on PostgreSQL, by a varchar's own length)."""
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        write()


def test_the_database_refuses_a_long_note_or_a_contact_before_1900(person, practitioner):
    episode = person.episodes.get()
    row = {"person": person, "episode": episode, "staff": practitioner, "with_whom": "person",
           "mode": "face_to_face", "place": "home", "outcome": "attended"}
    _refused(lambda: Contact.objects.create(**row, date=factories.today(),
                                            note="x" * (limits.CONTACT_NOTE + 1)))
    _refused(lambda: Contact.objects.create(**row, date=date(1899, 12, 31)))
    assert Contact.objects.create(**row, date=factories.today(), note="x" * limits.CONTACT_NOTE)


def test_the_database_refuses_a_birth_before_1900_or_a_long_name(person):
    _refused(lambda: Person.objects.filter(pk=person.pk).update(date_of_birth=date(1800, 1, 1)))
    _refused(lambda: Person.objects.filter(pk=person.pk).update(given_name="A" * 101))


def test_the_database_refuses_a_discharge_before_acceptance(person):
    episode = person.episodes.get()
    _refused(lambda: Episode.objects.filter(pk=episode.pk).update(
        status="discharged", discharged_date=episode.accepted_date - timedelta(days=1)))


def test_the_database_refuses_a_visit_before_1900_or_a_long_purpose(person, practitioner):
    row = {"person": person, "episode": person.episodes.get(), "staff": practitioner,
           "place": "home"}
    _refused(lambda: PlannedVisit.objects.create(**row, date=date(1800, 1, 1)))
    _refused(lambda: PlannedVisit.objects.create(**row, date=factories.today(),
                                                 purpose="p" * (limits.SHORT_LABEL + 1)))
