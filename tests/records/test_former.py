"""A record that outlives its episode: someone the team discharged (or did not accept) stays
readable by that team, read only and marked so, findable by name and NHS number, and can be
re-referred onto a new episode of the same record; nobody else sees them, and every change is
refused with a page that says why, never a 404 or a 500."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from markupsafe import escape

from outreach.audit.models import AuditAction, AuditEvent
from outreach.clinical import services as clinical_services
from outreach.records import selectors, services_episode
from outreach.records.models import (
    Contact,
    DischargeDecision,
    Episode,
    EpisodeStatus,
    KeyWorkerAssignment,
    Person,
    PlannedVisit,
    Transition,
    TransitionKind,
)
from outreach.records.services import ValidationFailed
from tests import factories
from tests.conftest import login

ROUTE = "Sister or GP calls the duty line; seen within a week"


def _html(response) -> str:
    return response.content.decode()


def _has(html: str, text: str) -> bool:
    return str(escape(text)) in html


def discharge(person, by, *, days_ago: int = 10, reason: str = "step_down",
              route: str = ROUTE) -> DischargeDecision:
    """The state a discharge leaves (built with the ORM: the discharge rules are tested
    elsewhere and are changing; this is about what happens after)."""
    episode = person.episodes.get(status__in=("accepted", "stepped_up", "inpatient"))
    on = factories.today() - timedelta(days=days_ago)
    Episode.objects.filter(pk=episode.pk).update(status=EpisodeStatus.DISCHARGED,
                                                 discharged_date=on)
    KeyWorkerAssignment.objects.filter(episode=episode, end__isnull=True).update(end=on)
    Transition.objects.create(episode=episode, kind=TransitionKind.STEP_DOWN_CMHT, date=on,
                              status_after=EpisodeStatus.DISCHARGED, recorded_by=by)
    return DischargeDecision.objects.create(
        episode=episode, reason=reason, date=on, rationale="Well for two years",
        relapse_indicators="Stops sleeping", known_risks="Self-neglect", route_back_in=route,
        shared_with=["GP"], decided_by=by)


@pytest.fixture
def former(team, practitioner):
    person = factories.make_person(team, practitioner, given_name="Morwenna",
                                   family_name="Trevithick", nhs_number="9434765919")
    factories.add_contact(person, practitioner, days_ago=20)
    discharge(person, practitioner)
    return person


@pytest.fixture
def other_former(other_team, other_practitioner):
    person = factories.make_person(other_team, other_practitioner, given_name="Morwenna",
                                   family_name="Southway")
    discharge(person, other_practitioner)
    return person


# Who can read a former record


def test_former_person_is_readable_by_their_team_only(former, other_former, practitioner,
                                                     other_practitioner, commissioner):
    """Off the caseload, held by the team that cared for them; not another team's, not a
    commissioner's; the crisis line reads no record at all."""
    assert selectors.person_for(practitioner.user, former.pk) is None
    assert selectors.person_for(practitioner.user, former.pk, include_former=True) == former
    held = set(selectors.held_people_for(practitioner.user).values_list("pk", flat=True))
    assert former.pk in held and other_former.pk not in held
    assert selectors.person_for(other_practitioner.user, former.pk, include_former=True) is None
    assert not selectors.held_people_for(commissioner.user).exists()
    line = factories.make_staff(practitioner.team, role="crisis_line", discipline="none",
                                username="crisis-line")
    assert not selectors.held_people_for(line.user).exists()


def test_a_write_to_a_former_person_raises_read_only(former, practitioner, stranger):
    """Writes reach people only through open_person_for: a former person is read only, a
    stranger is nobody (None, so 404)."""
    with pytest.raises(selectors.ReadOnlyRecord) as refused:
        selectors.open_person_for(practitioner.user, former.pk)
    assert refused.value.person == former and refused.value.status.discharged
    assert selectors.open_person_for(practitioner.user, stranger.pk) is None


def test_front_sheet_of_a_former_person_is_read_only_marked_and_audited(former, practitioner):
    """The banner says discharged on the day, why, read only; links the decision record and
    offers the re-referral; the history is there; the read is audited."""
    decision = DischargeDecision.objects.get(episode__person=former)
    response = login(practitioner).get(f"/people/{former.pk}/")
    html = _html(response)
    assert response.status_code == 200
    when = f"{decision.date:%-d %B %Y}"
    assert _has(html, selectors.DISCHARGED_BANNER.format(
        date=when, reason="Stepped down to core community mental health services"))
    assert f'href="/people/{former.pk}/discharges/{decision.pk}/"' in html
    assert f'href="/people/{former.pk}/re-refer/"' in html and "Re-refer Morwenna" in html
    assert "Log a contact" not in html and "Plan a visit" not in html
    assert "Timeline" in html and _has(html, ROUTE)
    assert AuditEvent.objects.filter(
        person_id=former.pk, action=AuditAction.VIEW, username=practitioner.user.username,
        what="front sheet (read only, not on the caseload)").exists()


def test_every_read_page_of_a_former_person_opens_and_is_audited(former, practitioner):
    """Nothing is a bare 404 to the team that cared for them: front sheet, episodes, clinical
    record and its history, the decision record."""
    client = login(practitioner)
    decision = DischargeDecision.objects.get(episode__person=former)
    for page in ("", "episode/", "record/", "record/care-plan/history/",
                 f"discharges/{decision.pk}/"):
        response = client.get(f"/people/{former.pk}/{page}")
        assert response.status_code == 200, page
    episode_page = _html(client.get(f"/people/{former.pk}/episode/"))
    assert "Earlier episodes with the team" in episode_page and _has(episode_page, ROUTE)
    record = _html(client.get(f"/people/{former.pk}/record/"))
    assert "Discharged on" in record and "Version history" in record
    assert "Make a new version" not in record and "Record the care plan" not in record
    seen = set(AuditEvent.objects.filter(person_id=former.pk, action=AuditAction.VIEW)
               .values_list("what", flat=True))
    assert {"episode page", "clinical record", "discharge decision record"} <= seen


def test_manager_sees_who_read_a_former_record(former, manager):
    response = login(manager).get(f"/people/{former.pk}/audit/")
    assert response.status_code == 200


def test_every_change_to_a_former_person_is_refused_with_a_page_that_says_why(
        former, practitioner):
    """Contact, visit, clinical entry, discharge, key worker: a 403 that says the record is
    read only and offers the re-referral; nothing is saved."""
    client = login(practitioner)
    today = factories.today().isoformat()
    for page, data in (
        ("contacts/new/", {"date": today, "outcome": "attended", "mode": "face_to_face",
                           "place": "home", "with_whom": "person", "submission_key": "c"}),
        ("visits/new/", {"date": today, "place": "home", "staff": practitioner.pk,
                         "submission_key": "v"}),
        ("record/medication/new/", {"name": "Lithium", "dose": "400 mg",
                                    "frequency": "nightly", "started": today,
                                    "submission_key": "m"}),
        ("discharge/", {"reason": "step_down", "submission_key": "d"}),
        ("key-worker/", {"staff": practitioner.pk, "start": today, "submission_key": "k"}),
        ("transition/", {"kind": "admitted", "on": today, "submission_key": "t"}),
    ):
        for response in (client.get(f"/people/{former.pk}/{page}"),
                         client.post_stale(f"/people/{former.pk}/{page}", data)):
            html = _html(response)
            assert response.status_code == 403, page
            assert "This record is read only" in html and "Re-refer Morwenna" in html, page
    assert Contact.objects.filter(person=former).count() == 1
    assert not PlannedVisit.objects.filter(person=former).exists()
    assert not former.medications.exists()
    assert former.episodes.get().status == EpisodeStatus.DISCHARGED


def test_another_team_and_a_commissioner_find_nothing_of_a_former_person(
        former, other_practitioner, commissioner):
    decision = DischargeDecision.objects.get(episode__person=former)
    for staff in (other_practitioner, commissioner):
        client = login(staff)
        for page in ("", "episode/", "record/", "re-refer/", "contacts/new/",
                     f"discharges/{decision.pk}/"):
            assert client.get(f"/people/{former.pk}/{page}").status_code == 404, page
    assert not AuditEvent.objects.filter(person_id=former.pk,
                                         username__in=("other-team", "commissioner")).exists()


def test_a_referral_not_accepted_stays_readable(team, practitioner):
    referral = factories.make_person(team, practitioner, status=EpisodeStatus.NOT_ACCEPTED)
    Transition.objects.create(episode=referral.episodes.get(), kind="not_accepted",
                              date=factories.today(), status_after="not_accepted")
    html = _html(login(practitioner).get(f"/people/{referral.pk}/"))
    assert _has(html, selectors.NOT_ACCEPTED_BANNER.format(
        date=f"{factories.today():%-d %B %Y}"))


# Search


def test_search_finds_current_and_former_people_by_name_and_nhs_number(
        former, other_former, person, practitioner):
    """Any case, part of a name, or the NHS number with or without spaces; with where they
    are in their care; never another team's; the people shown are audited as a list."""
    client = login(practitioner)
    html = _html(client.get("/people/search/", {"q": "morw"}))
    assert "Morwenna Trevithick" in html and "Southway" not in html
    assert "Discharged on" in html
    assert "Morwenna Trevithick" in _html(client.get("/people/search/", {"q": "943 476 5919"}))
    assert "Morwenna Trevithick" in _html(client.get("/people/search/",
                                                     {"q": "trevithick MORWENNA"}))
    current = _html(client.get("/people/search/", {"q": person.family_name.lower()}))
    assert person.family_name in current and "On the caseload" in current
    assert "Nobody your team holds or held" in _html(
        client.get("/people/search/", {"q": other_former.nhs_number}))
    assert AuditEvent.objects.filter(person_id=former.pk, action=AuditAction.LIST,
                                     username=practitioner.user.username).count() == 3
    assert not AuditEvent.objects.filter(person_id=other_former.pk).exclude(
        username="other-team").exists()


def test_search_too_short_says_what_to_enter(practitioner, former):
    html = _html(login(practitioner).get("/people/search/", {"q": "9"}))
    assert "There is a problem" in html and "Enter at least 2 letters" in html


def test_search_is_not_for_commissioners_or_the_crisis_line(former, commissioner, team):
    assert login(commissioner).get("/people/search/", {"q": "Morwenna"}).status_code == 404
    line = factories.make_staff(team, role="crisis_line", discipline="none",
                                username="crisis-line")
    assert login(line).get("/people/search/", {"q": "Morwenna"}).status_code == 404


def test_caseload_has_a_search_box(practitioner):
    html = _html(login(practitioner).get("/"))
    assert 'action="/people/search/"' in html and 'name="q"' in html


# Re-referral


def _rerefer(client, person, **fields):
    data = {"referral_date": factories.today().isoformat(), "referral_source": "gp",
            "key_worker": fields.pop("key_worker"), "note": "Sister says he is not sleeping",
            "submission_key": "rr-1", **fields}
    return client.post(f"/people/{person.pk}/re-refer/", data)


def test_rerefer_opens_a_new_episode_on_the_same_record(former, practitioner, manager):
    """A new referral on the same person, with a key worker and a transition, audited; the
    history stays; the new episode lists what comes forward for review."""
    clinical_services.relapse_signature_create(
        person=former, by=practitioner, request=None, date=factories.today(),
        signs=[{"sign": "Sleeping less", "what_to_do": "Call the team"}])
    client = login(practitioner)
    response = _rerefer(client, former, key_worker=manager.pk)
    assert response.status_code == 302
    assert response["Location"] == f"/people/{former.pk}/episode/?saved=rereferred"
    assert Person.objects.count() == 1
    old, new = former.episodes.order_by("id")
    assert old.status == EpisodeStatus.DISCHARGED and new.status == EpisodeStatus.REFERRED
    assert new.key_workers.get(end__isnull=True).staff == manager
    assert new.transitions.get().kind == TransitionKind.RE_REFERRED
    assert "not sleeping" in new.transitions.get().note
    assert Contact.objects.filter(person=former, episode=old).count() == 1
    assert AuditEvent.objects.filter(person_id=former.pk, action=AuditAction.CREATE,
                                     what__startswith="re-referred").exists()
    page = _html(client.get(response["Location"]))
    assert "From the previous episode: review" in page
    assert f'href="/people/{former.pk}/record/#relapse-signature"' in page
    decision = DischargeDecision.objects.get(episode=old)
    assert f'href="/people/{former.pk}/discharges/{decision.pk}/"' in page
    assert "Risk formulation</a>: none recorded" in page  # missing, said so
    assert "Earlier episodes with the team" in page
    assert selectors.person_for(practitioner.user, former.pk) == former  # on the caseload
    assert "Log a contact" in _html(client.get(f"/people/{former.pk}/"))


def test_rerefer_twice_opens_one_episode(former, practitioner):
    client = login(practitioner)
    first = _rerefer(client, former, key_worker=practitioner.pk)
    second = client.post_again()  # the same form, tapped twice
    assert second["Location"] == first["Location"]
    assert former.episodes.count() == 2


def test_rerefer_refusals(former, practitioner, other_practitioner, other_former):
    """Not before the last episode ended, not in the future, not someone the team never
    held, not while an episode is open, not someone who died."""
    today = factories.today()
    ended = former.episodes.get().discharged_date

    def rerefer(person, by, on):
        return services_episode.episode_rerefer(
            person=person, by=by, request=None, referral_date=on, referral_source="gp")

    with pytest.raises(ValidationFailed) as early:
        rerefer(former, practitioner, ended - timedelta(days=1))
    assert early.value.errors["referral_date"] == [services_episode.REREFERRAL_BEFORE_END.format(
        date=f"{ended:%-d %B %Y}")]
    with pytest.raises(ValidationFailed) as future:
        rerefer(former, practitioner, today + timedelta(days=1))
    assert "referral_date" in future.value.errors
    with pytest.raises(ValidationFailed) as never:
        rerefer(other_former, practitioner, today)
    assert never.value.errors["person"] == [services_episode.NEVER_HELD]
    rerefer(former, practitioner, today)
    with pytest.raises(ValidationFailed) as open_:
        rerefer(former, practitioner, today)
    assert "already has an open episode" in open_.value.errors["person"][0]
    died = factories.make_person(practitioner.team, practitioner)
    discharge(died, practitioner, reason="died")
    with pytest.raises(ValidationFailed) as dead:
        rerefer(died, practitioner, today)
    assert "died" in dead.value.errors["person"][0]
    assert login(practitioner).get(f"/people/{died.pk}/re-refer/").status_code == 200
    assert Episode.objects.filter(person=died).count() == 1


def test_rerefer_form_errors(former, practitioner):
    html = _html(_rerefer(login(practitioner), former, key_worker=practitioner.pk,
                          referral_date="2026-02-31", referral_source=""))
    assert "Enter a real date" in html and "Choose who referred them" in html
    assert former.episodes.count() == 1


# Registering a known NHS number


def _register(client, staff, number, **fields):
    data = {"nhs_number": number, "given_name": "Ann", "family_name": "Other",
            "date_of_birth": "1980-03-01", "referral_date": factories.today().isoformat(),
            "referral_source": "cmht", "key_worker": staff.pk, "submission_key": "r-1",
            **fields}
    return client.post("/people/new/", data)


def test_registering_a_former_persons_number_offers_the_re_referral(former, practitioner):
    html = _html(_register(login(practitioner), practitioner, "943 476 5919"))
    assert _has(html, services_episode.DUPLICATE_FORMER_HERE.format(name="Morwenna Trevithick"))
    assert f'href="/people/{former.pk}/re-refer/?' in html and "referral_source=cmht" in html
    assert Person.objects.count() == 1 and former.episodes.count() == 1


def test_registering_a_number_on_the_caseload_links_to_the_record(person, practitioner):
    html = _html(_register(login(practitioner), practitioner, person.nhs_number))
    assert _has(html, services_episode.DUPLICATE_OPEN_HERE.format(name=person.display_name))
    assert f'href="/people/{person.pk}/"' in html


def test_registering_another_teams_number_reveals_nothing_about_them(
        stranger, other_former, practitioner):
    """Refused, with no name, date of birth or link: only that the number is registered."""
    client = login(practitioner)
    for other in (stranger, other_former):
        html = _html(_register(client, practitioner, other.nhs_number))
        assert _has(html, services_episode.DUPLICATE_ELSEWHERE)
        assert other.family_name not in html and other.given_name not in html
        assert f"/people/{other.pk}/" not in html
    assert Person.objects.count() == 2


def test_registering_someone_held_before_and_now_elsewhere_names_the_team(
        former, practitioner, other_team, other_practitioner):
    Episode.objects.create(person=former, team=other_team, referral_date=factories.today(),
                           referral_source="gp", status=EpisodeStatus.ACCEPTED)
    html = _html(_register(login(practitioner), practitioner, former.nhs_number))
    assert _has(html, services_episode.DUPLICATE_NOW_ELSEWHERE.format(
        name="Morwenna Trevithick", team=other_team.name))
    assert f'href="/people/{former.pk}/re-refer/' not in html
    front = _html(login(practitioner).get(f"/people/{former.pk}/"))
    assert other_team.name in front and "Re-refer Morwenna" not in front


# Properties: what search finds, and what it never finds


class SearchProperties(TestCase):
    """For any team history, a search finds a held person by any part of a name in any case
    and by their NHS number however it is spaced, and never finds another team's person."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        status=st.sampled_from([EpisodeStatus.ACCEPTED, EpisodeStatus.DISCHARGED,
                                EpisodeStatus.NOT_ACCEPTED, EpisodeStatus.REFERRED]),
        family=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12),
        cut=st.tuples(st.integers(0, 11), st.integers(2, 12)),
        upper=st.booleans(),
        gaps=st.lists(st.sampled_from(["", " ", "  ", "-"]), min_size=9, max_size=9),
    )
    def test_held_people_are_found_and_strangers_never(self, status, family, cut, upper, gaps):
        team = factories.make_team(f"t{factories.next_nhs_number()}")
        other = factories.make_team(f"o{factories.next_nhs_number()}")
        worker = factories.make_staff(team, username=f"u{factories.next_nhs_number()}")
        stranger_worker = factories.make_staff(other)
        mine = factories.make_person(team, worker, status=status, family_name=family.title())
        theirs = factories.make_person(other, stranger_worker, family_name=family.title())
        start = min(cut[0], len(family) - 2)
        part = family[start:start + cut[1]]
        query = part.upper() if upper else part
        spaced = "".join(d + g for d, g in zip(mine.nhs_number, [*gaps, ""], strict=True))
        for q in (query, spaced):
            found = selectors.search_people(worker.user, q)
            assert mine.pk in {f.person.pk for f in found}, q
            assert theirs.pk not in {f.person.pk for f in found}, q
        assert selectors.search_people(worker.user, theirs.nhs_number) == []
