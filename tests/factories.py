"""Small named situations for tests: a team, its staff, people on its caseload.

Built with the ORM directly (not the services) so that each test sets up exactly the state
it needs; the services are exercised by the tests that are about them.
"""

import itertools
from datetime import date, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from outreach.core.nhs_number import check_digit
from outreach.records.models import (
    Contact,
    ContactMode,
    ContactOutcome,
    ContactPlace,
    ContactWith,
    Episode,
    EpisodeStatus,
    KeyWorkerAssignment,
    Person,
)
from outreach.teams.models import Discipline, Role, ServiceType, StaffMember, Team

PASSWORD = "test-password-123"
_serial = itertools.count(1)


def nhs_numbers():
    """Valid synthetic NHS numbers in the 999 range, in order."""
    for n in itertools.count(0):
        first_nine = f"999{n:06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            yield first_nine + str(digit)


_numbers = nhs_numbers()


def next_nhs_number() -> str:
    return next(_numbers)


def today() -> date:
    return timezone.localdate()


def make_team(code: str = "north") -> Team:
    return Team.objects.create(
        code=code, name=f"{code.title()} AO team", locality=code.title(),
        service_type=ServiceType.FULL_AO, weekday_opens=time(8), weekday_closes=time(20),
        weekend_opens=time(9), weekend_closes=time(17),
    )


def make_staff(team: Team | None, *, role: str = Role.PRACTITIONER,
               discipline: str = Discipline.NURSE, username: str | None = None,
               fte: float = 1.0) -> StaffMember:
    user = None
    if username is not None:
        user = User.objects.create_user(username=username, password=PASSWORD)
    n = next(_serial)
    return StaffMember.objects.create(
        user=user, team=team, name=f"{(username or 'worker').title()} {n}", role=role,
        discipline=discipline, fte=fte, joined=date(2020, 1, 1),
    )


def make_person(team: Team, key_worker: StaffMember, *, status: str = EpisodeStatus.ACCEPTED,
                accepted_days_ago: int = 100, **fields) -> Person:
    n = next(_serial)
    person = Person.objects.create(
        nhs_number=fields.pop("nhs_number", None) or next_nhs_number(),
        given_name=fields.pop("given_name", f"Given{n}"),
        family_name=fields.pop("family_name", f"Family{n}"),
        date_of_birth=fields.pop("date_of_birth", date(1985, 5, 17)),
        **fields,
    )
    start = today() - timedelta(days=accepted_days_ago)
    episode = Episode.objects.create(
        person=person, team=team, referral_date=start - timedelta(days=20),
        referral_source="cmht", assessment_date=start, accepted_date=start,
        status=status, criteria=["psychosis", "struggles_with_routine_care"],
        discharged_date=today() if status == EpisodeStatus.DISCHARGED else None,
    )
    KeyWorkerAssignment.objects.create(
        episode=episode, staff=key_worker, start=start,
        end=today() if status == EpisodeStatus.DISCHARGED else None,
    )
    return person


def add_contact(person: Person, staff: StaffMember, *, days_ago: int,
                outcome: str = ContactOutcome.ATTENDED, mode: str = ContactMode.FACE_TO_FACE,
                with_whom: str = ContactWith.PERSON) -> Contact:
    return Contact.objects.create(
        person=person, episode=person.episodes.latest("referral_date"),
        date=today() - timedelta(days=days_ago), staff=staff, with_whom=with_whom, mode=mode,
        place=ContactPlace.HOME, outcome=outcome,
    )


def seen_twice_a_week(person: Person, staff: StaffMember, *, weeks: int = 9) -> None:
    """Successful face-to-face contacts yesterday and on Monday and Thursday of each of the
    last full weeks: a person engaged by any reading of the record (core.discharge)."""
    monday = today().weekday()  # days back to this week's Monday
    add_contact(person, staff, days_ago=1)
    for k in range(1, weeks + 1):
        for off in (0, 3):
            add_contact(person, staff, days_ago=monday + 7 * k - off)
