"""Mental Health Act and legal status: detentions, CTOs, Section 117, MAPPA and MARAC. Dates
that make no sense are refused with a clear message; deadlines are listed for the handover."""

import pytest
from django.db import IntegrityError, transaction

from outreach.clinical import selectors, services
from outreach.clinical.models import CommunityTreatmentOrder, MultiAgency, Section117
from outreach.records.models import Amendment
from tests.clinical.conftest import audit_whats, days_ago, days_ahead, today


def test_cto_expiring_before_it_starts_is_refused(person, practitioner):
    for expiry in (days_ago(11), days_ago(10)):
        with pytest.raises(services.ValidationFailed) as exc:
            services.cto_create(person=person, by=practitioner, request=None,
                                start=days_ago(10), expiry=expiry)
        assert exc.value.errors["expiry"] == [
            f"A CTO must expire after the day it starts ({days_ago(10).day} "
            f"{days_ago(10):%b %Y})."]
    assert not CommunityTreatmentOrder.objects.exists()
    assert audit_whats(person) == []


def test_database_also_refuses_a_cto_expiring_before_it_starts(person, practitioner):
    cto = services.cto_create(person=person, by=practitioner, request=None,
                              start=days_ago(10), expiry=days_ahead(170))
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityTreatmentOrder.objects.filter(pk=cto.pk).update(expiry=days_ago(20))


def test_cto_renewal_and_recall_must_fall_within_the_order(person, practitioner):
    with pytest.raises(services.ValidationFailed) as exc:
        services.cto_create(person=person, by=practitioner, request=None, start=days_ago(10),
                            expiry=days_ahead(170), renewal_due=days_ahead(171),
                            recalled_on=days_ago(11))
    assert set(exc.value.errors) == {"renewal_due", "recalled_on"}


def test_cto_recorded_with_conditions_and_only_one_in_force(person, practitioner):
    cto = services.cto_create(person=person, by=practitioner, request=None,
                              start=days_ago(10), expiry=days_ahead(170),
                              renewal_due=days_ahead(140),
                              conditions="Live at the address; accept the depot")
    assert audit_whats(person) == ["community treatment order recorded"]
    with pytest.raises(services.ValidationFailed) as exc:
        services.cto_create(person=person, by=practitioner, request=None, start=today(),
                            expiry=days_ahead(180))
    assert "already has a CTO" in exc.value.errors["person"][0]
    sheet = selectors.front_sheet(person, today=today())
    assert sheet.legal.cto == cto
    assert [(d.kind, d.due_on) for d in sheet.legal.deadlines] == [
        ("cto_renewal", days_ahead(140)), ("cto_expiry", days_ahead(170))]


def test_cto_renewal_moves_the_expiry_and_keeps_the_old_dates(person, practitioner):
    cto = services.cto_create(person=person, by=practitioner, request=None,
                              start=days_ago(170), expiry=days_ahead(10),
                              renewal_due=days_ahead(5))
    services.cto_renew(cto=cto, by=practitioner, request=None, expected_version=1,
                       renewed_on=today(), new_expiry=days_ahead(190),
                       next_renewal_due=days_ahead(160))
    cto.refresh_from_db()
    assert cto.expiry == days_ahead(190) and cto.version == 2
    amendment = Amendment.objects.get(entity="communitytreatmentorder")
    assert amendment.changes["expiry"] == [days_ahead(10).isoformat(),
                                           days_ahead(190).isoformat()]
    with pytest.raises(services.ValidationFailed) as exc:
        services.cto_renew(cto=cto, by=practitioner, request=None, expected_version=2,
                           renewed_on=today(), new_expiry=days_ahead(100))
    assert "after the current one" in exc.value.errors["new_expiry"][0]
    with pytest.raises(services.StaleEdit):
        services.cto_renew(cto=cto, by=practitioner, request=None, expected_version=1,
                           renewed_on=today(), new_expiry=days_ahead(400))


def test_cto_amendment_is_rechecked(person, practitioner):
    cto = services.cto_create(person=person, by=practitioner, request=None,
                              start=days_ago(10), expiry=days_ahead(170))
    with pytest.raises(services.ValidationFailed) as exc:
        services.cto_amend(cto=cto, by=practitioner, request=None, expected_version=1,
                           reason="typo", changes={"start": days_ahead(200)})
    assert "start" in exc.value.errors and "expiry" in exc.value.errors
    cto.refresh_from_db()
    assert cto.version == 1 and cto.start == days_ago(10)


def test_section_117_review_before_aftercare_starts_is_refused(person, practitioner):
    with pytest.raises(services.ValidationFailed) as exc:
        services.section117_create(person=person, by=practitioner, request=None,
                                   eligible=True, eligible_from=days_ago(10),
                                   review_due=days_ago(20))
    assert "after aftercare starts" in exc.value.errors["review_due"][0]
    with pytest.raises(services.ValidationFailed) as exc:
        services.section117_create(person=person, by=practitioner, request=None,
                                   eligible=True, eligible_from=days_ago(10))
    assert "review_due" in exc.value.errors  # eligible aftercare always has a review date
    assert not Section117.objects.exists()


def test_section_117_review_held_sets_the_next_one(person, practitioner):
    s117 = services.section117_create(person=person, by=practitioner, request=None,
                                      eligible=True, eligible_from=days_ago(300),
                                      review_due=days_ahead(2))
    assert [d.kind for d in selectors.legal_deadlines_due(
        [person.pk], start=today(), end=days_ahead(7))] == ["s117_review"]
    services.section117_review_held(s117=s117, by=practitioner, request=None,
                                    expected_version=1, held_on=today(),
                                    next_review_due=days_ahead(365))
    s117.refresh_from_db()
    assert s117.last_reviewed_on == today() and s117.review_due == days_ahead(365)
    assert selectors.legal_deadlines_due([person.pk], start=today(), end=days_ahead(7)) == []
    with pytest.raises(services.ValidationFailed) as exc:
        services.section117_review_held(s117=s117, by=practitioner, request=None,
                                        expected_version=2, held_on=today(),
                                        next_review_due=today())
    assert "next_review_due" in exc.value.errors


def test_legal_deadlines_due_lists_cto_and_s117_including_overdue(
    person, practitioner, make_person
):
    other = make_person()
    services.cto_create(person=person, by=practitioner, request=None, start=days_ago(170),
                        expiry=days_ahead(10), renewal_due=days_ago(2))
    services.section117_create(person=other, by=practitioner, request=None, eligible=True,
                               eligible_from=days_ago(100), review_due=days_ahead(5))
    ended = services.cto_create(person=other, by=practitioner, request=None,
                                start=days_ago(100), expiry=days_ahead(3))
    services.cto_amend(cto=ended, by=practitioner, request=None, expected_version=1,
                       reason="discharged from CTO by the RC", changes={"ended_on": today()})
    due = selectors.legal_deadlines_due([person.pk, other.pk], start=today(),
                                        end=days_ahead(14))
    assert [(d.person_id, d.kind, d.due_on) for d in due] == [
        (person.pk, "cto_renewal", days_ago(2)),
        (other.pk, "s117_review", days_ahead(5)),
        (person.pk, "cto_expiry", days_ahead(10)),
    ]
    assert due[0].label == "CTO renewal"
    in_window = selectors.legal_deadlines_due([person.pk, other.pk], start=today(),
                                              end=days_ahead(14), include_overdue=False)
    assert [d.kind for d in in_window] == ["s117_review", "cto_expiry"]


def test_detention_ending_before_it_started_is_refused(person, practitioner):
    with pytest.raises(services.ValidationFailed) as exc:
        services.mha_detention_create(person=person, by=practitioner, request=None,
                                      section="99", start=days_ago(5), end=days_ago(6))
    assert set(exc.value.errors) == {"section", "end"}
    detention = services.mha_detention_create(person=person, by=practitioner, request=None,
                                              section="3", start=days_ago(5))
    assert selectors.front_sheet(person, today=today()).legal.detentions == (detention,)
    services.mha_detention_amend(detention=detention, by=practitioner, request=None,
                                 expected_version=1, reason="discharged from section",
                                 changes={"end": days_ago(1)})
    assert selectors.front_sheet(person, today=today()).legal.detentions == ()


def test_mappa_needs_a_level_and_marac_has_none(person, practitioner):
    with pytest.raises(services.ValidationFailed) as exc:
        services.multi_agency_create(person=person, by=practitioner, request=None,
                                     kind="mappa", active_since=days_ago(5))
    assert exc.value.errors["level"] == ["Give the MAPPA level: 1, 2 or 3."]
    with pytest.raises(services.ValidationFailed) as exc:
        services.multi_agency_create(person=person, by=practitioner, request=None,
                                     kind="marac", level=2, active_since=days_ago(5),
                                     ended_on=days_ago(6))
    assert set(exc.value.errors) == {"level", "ended_on"}
    assert not MultiAgency.objects.exists()
    entry = services.multi_agency_create(person=person, by=practitioner, request=None,
                                         kind="mappa", level=2, active_since=days_ago(5))
    assert selectors.front_sheet(person, today=today()).legal.multi_agency == (entry,)
    assert audit_whats(person) == ["mappa recorded"]
