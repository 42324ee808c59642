"""The plans' pages: record a care plan with its DIALOG ratings (and the other plans), make a
new version from the current one, correct one with a reason, and read the history. Field
errors are shown in the error summary and nothing is saved; a double submission makes one
entry; a stale edit is refused with the services' message."""

from outreach.audit.models import AuditAction, AuditEvent
from outreach.clinical import services
from outreach.clinical.models import CarePlan, DialogItem
from outreach.records.models import Amendment
from outreach.records.services import REASON_REQUIRED, STALE_EDIT
from tests.clinical.conftest import days_ago, days_ahead, ratings
from tests.clinical.test_pages import care_plan_data, html, iso, post, record_url
from tests.conftest import login

# --- Care plan (DIALOG+) ----------------------------------------------------------------------


def test_care_plan_form_asks_all_eleven_ratings_one_to_seven(person, practitioner):
    page = html(login(practitioner).get(record_url(person, "care-plan/new/")))
    for item, label in DialogItem.choices:
        assert f'name="rating_{item}"' in page and f'name="help_{item}"' in page
        assert str(label) in page
        for score in range(1, 8):
            assert f'name="rating_{item}" type="radio" value="{score}"' in page
    assert page.count('type="radio"') == 11 * 7
    assert 'name="actions_0_what"' in page and 'name="actions_2_who"' in page


def test_record_a_care_plan(person, practitioner):
    client = login(practitioner)
    response = post(client, person, "care-plan/new/", care_plan_data(
        rating_mental_health="2", help_mental_health="on", actions_1_what="Phone my sister",
        actions_1_who="Me", actions_1_domain="partner_family"))
    assert response.status_code == 302
    assert response["Location"] == record_url(person) + "?saved=care-plan#care-plan"
    plan = CarePlan.objects.get(person=person)
    scores = {r.item: (r.score, r.wants_more_help) for r in plan.ratings.all()}
    assert scores["mental_health"] == (2, True) and scores["friendships"] == (4, True)
    assert scores["leisure"] == (4, False) and len(scores) == 11
    assert [(a.what, a.who, a.domain) for a in plan.actions.all()] == [
        ("Walk to the park", "Key worker", ""), ("Phone my sister", "Me", "partner_family")]
    assert plan.chosen_domains == ["mental_health", "friendships"]
    assert plan.shared_with == ["the person", "GP"]
    assert plan.review_due > plan.date  # the usual review, worked out by the service
    page = html(client.get(response["Location"]))
    assert "Care plan: saved." in page and "Phone my sister" in page


def test_care_plan_field_errors_are_shown_together_and_save_nothing(person, practitioner):
    """A rating left out, no date, too many areas: all in one error summary, each linked to
    its field."""
    data = care_plan_data(date="", chosen_domains=["leisure", "friendships", "medication",
                                                   "meetings"])
    del data["rating_accommodation"]
    response = post(login(practitioner), person, "care-plan/new/", data)
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the date of the care plan." in page
    assert "Choose how satisfied the person is with: accommodation (from 1 to 7)." in page
    assert "The person chooses up to 3 areas to discuss." in page
    assert 'href="#id_rating_accommodation_0"' in page and 'href="#id_date"' in page
    assert 'href="#id_chosen_domains_0"' in page
    assert not CarePlan.objects.exists()
    # What was typed is kept.
    assert 'value="Walk to the park"' in page


def test_care_plan_nonsense_date_is_refused(person, practitioner):
    response = post(login(practitioner), person, "care-plan/new/",
                    care_plan_data(date="2026-02-31"))
    assert "The date of the care plan must be a real date." in html(response)
    assert not CarePlan.objects.exists()


def test_care_plan_service_errors_show_on_their_fields(person, practitioner):
    """Checks that only the service makes (4 areas, a review too late, an action with no one
    to do it) come back on the right fields, and nothing is saved."""
    response = post(login(practitioner), person, "care-plan/new/", care_plan_data(
        chosen_domains=["leisure", "friendships", "medication", "meetings"],
        review_due=iso(days_ahead(400)), actions_2_what="Find a course"))
    page = html(response)
    assert "The person chooses up to 3 areas to discuss." in page
    assert "The review must be at most 6 months after the care plan&#39;s date" in page
    assert "Say who does it." in page and 'href="#id_actions_2_who"' in page
    assert not CarePlan.objects.exists()


def test_care_plan_double_submission_makes_one_plan(person, practitioner):
    client = login(practitioner)
    first = post(client, person, "care-plan/new/", care_plan_data(), key="same")
    second = client.post_again()  # the same form, as it was
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert CarePlan.objects.filter(person=person).count() == 1
    assert AuditEvent.objects.filter(person_id=person.pk, what="care plan created").count() == 1


def test_add_another_action_saves_nothing(person, practitioner):
    response = post(login(practitioner), person, "care-plan/new/",
                    care_plan_data(add_row="actions", date=""))
    page = html(response)
    assert response.status_code == 200
    assert 'name="actions_3_what"' in page and "There is a problem" not in page
    assert 'value="Walk to the park"' in page
    assert not CarePlan.objects.exists()


def test_a_person_with_a_care_plan_gets_a_new_version_not_a_second_plan(person, practitioner):
    plan = services.care_plan_create(person=person, by=practitioner, request=None,
                                     date=days_ago(30), ratings=ratings())
    client = login(practitioner)
    page = html(client.get(record_url(person, "care-plan/new/")))
    assert "already has a current care plan" in page and 'name="rating_' not in page
    assert record_url(person, f"care-plan/{plan.pk}/new-version/") in page
    response = post(client, person, "care-plan/new/", care_plan_data(), stale=True)
    assert "already has a care plan" in html(response)
    assert CarePlan.objects.count() == 1


def _plan(person, practitioner, **fields):
    return services.care_plan_create(
        person=person, by=practitioner, request=None, date=days_ago(60),
        ratings=ratings(3, ("mental_health",)), persons_words="Old words",
        actions=[{"what": "Weekly walk", "who": "Key worker"}], **fields)


def test_new_version_starts_from_the_current_one(person, practitioner):
    plan = _plan(person, practitioner)
    page = html(login(practitioner).get(record_url(person, f"care-plan/{plan.pk}/new-version/")))
    assert 'name="rating_leisure" type="radio" value="3" checked' in page
    assert 'name="help_mental_health" type="checkbox" value="on" checked' in page
    assert 'value="Weekly walk"' in page and "Old words" in page
    assert f'value="{iso(days_ago(0))}"' in page  # a new version is dated today
    assert f'name="expected_version" value="{plan.version}"' in page


def test_record_a_new_version_keeps_the_old_one(person, practitioner):
    plan = _plan(person, practitioner)
    client = login(practitioner)
    response = post(client, person, f"care-plan/{plan.pk}/new-version/", care_plan_data(
        expected_version=plan.version, persons_words="New words", rating_leisure="6"))
    assert response.status_code == 302
    new = CarePlan.objects.get(supersedes=plan)
    plan.refresh_from_db()
    assert new.persons_words == "New words" and plan.persons_words == "Old words"
    assert new.ratings.get(item="leisure").score == 6
    assert plan.ratings.get(item="leisure").score == 3
    history = html(client.get(record_url(person, "care-plan/history/")))
    assert history.count("Version of") == 2
    assert "Current" in history and "Replaced" in history
    assert history.index("New words") < history.index("Old words")


def test_new_version_of_a_replaced_version_is_refused(person, practitioner):
    plan = _plan(person, practitioner)
    services.care_plan_new_version(plan=plan, by=practitioner, request=None,
                                   expected_version=1, date=days_ago(1), ratings=ratings())
    plan.refresh_from_db()
    client = login(practitioner)
    page = html(client.get(record_url(person, f"care-plan/{plan.pk}/new-version/")))
    assert "This is not the current version" in page
    response = post(client, person, f"care-plan/{plan.pk}/new-version/",
                    care_plan_data(expected_version=plan.version))
    assert services.NOT_CURRENT in html(response)
    assert CarePlan.objects.count() == 2


def test_stale_new_version_is_refused_with_the_stale_edit_message(person, practitioner):
    """Someone else made a new version after this form was opened."""
    plan = _plan(person, practitioner)
    client = login(practitioner)
    services.care_plan_new_version(plan=plan, by=practitioner, request=None,
                                   expected_version=1, date=days_ago(1), ratings=ratings())
    response = post(client, person, f"care-plan/{plan.pk}/new-version/",
                    care_plan_data(expected_version=1))
    assert response.status_code == 409
    assert STALE_EDIT in html(response)
    assert CarePlan.objects.count() == 2


def test_double_submitted_new_version_makes_one(person, practitioner):
    plan = _plan(person, practitioner)
    client = login(practitioner)
    for _ in range(2):
        response = post(client, person, f"care-plan/{plan.pk}/new-version/",
                        care_plan_data(expected_version=plan.version), key="v-once")
        assert response.status_code == 302
    assert CarePlan.objects.count() == 2


def test_correct_a_care_plan_shows_what_changed(person, practitioner):
    plan = _plan(person, practitioner)
    client = login(practitioner)
    page = html(client.get(record_url(person, f"care-plan/{plan.pk}/amend/")))
    assert 'name="reason"' in page and 'name="actions_0_what"' not in page
    data = care_plan_data(expected_version=plan.version, persons_words="Old words",
                          chosen_domains=[], shared_with="", date=iso(plan.date),
                          review_due=iso(plan.review_due), help_friendships="",
                          help_mental_health="on", rating_friendships="3",
                          reason="Typed the wrong rating")
    data.update({f"rating_{item}": "3" for item in DialogItem.values})
    data["rating_leisure"] = "5"
    response = post(client, person, f"care-plan/{plan.pk}/amend/", data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"care-plan/history/?amended={plan.pk}#entry-{plan.pk}")
    amendment = Amendment.objects.get(entity="careplan", entity_id=plan.pk)
    assert amendment.changes == {"rating:leisure": [[3, False], [5, False]]}
    assert amendment.reason == "Typed the wrong rating"
    assert plan.ratings.get(item="leisure").score == 5
    page = html(client.get(response["Location"]))
    assert "Correction saved" in page and "DIALOG rating: Leisure activities" in page
    assert "<del>3</del>" in page and "<ins>5</ins>" in page
    assert "Typed the wrong rating" in page
    assert AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.AMEND).exists()


def test_correction_needs_a_reason_and_a_change(person, practitioner):
    plan = _plan(person, practitioner)
    client = login(practitioner)
    data = care_plan_data(expected_version=plan.version, date=iso(plan.date),
                          review_due=iso(plan.review_due), persons_words="Old words",
                          chosen_domains=[], shared_with="", help_friendships="",
                          help_mental_health="on")
    data.update({f"rating_{item}": "3" for item in DialogItem.values})
    no_reason = post(client, person, f"care-plan/{plan.pk}/amend/", {**data, "reason": ""})
    assert REASON_REQUIRED in html(no_reason) and 'href="#id_reason"' in html(no_reason)
    unchanged = post(client, person, f"care-plan/{plan.pk}/amend/", {**data, "reason": "x"})
    assert "You have not changed anything" in html(unchanged)
    assert not Amendment.objects.exists()


def test_stale_correction_is_refused(person, practitioner):
    plan = _plan(person, practitioner)
    client = login(practitioner)
    services.care_plan_amend(plan=plan, by=practitioner, request=None, expected_version=1,
                             reason="r", changes={"persons_words": "Someone else's fix"})
    data = care_plan_data(expected_version=1, date=iso(plan.date), reason="Mine",
                          review_due=iso(plan.review_due), persons_words="My fix")
    response = post(client, person, f"care-plan/{plan.pk}/amend/", data)
    assert response.status_code == 409 and STALE_EDIT in html(response)
    plan.refresh_from_db()
    assert plan.persons_words == "Someone else's fix"


# --- Safety plan, advance choice, relapse signature, risk formulation -------------------------


def test_record_a_safety_plan_and_a_new_version(person, practitioner):
    client = login(practitioner)
    response = post(client, person, "safety-plan/new/", {
        "date": iso(days_ago(2)), "wants_in_crisis": "To stay at home",
        "who_to_contact": "My sister, 07700 900123", "what_helps": "Music",
        "shared_with": "the person"})
    assert response.status_code == 302
    plan = person.safety_plans.get()
    assert plan.who_to_contact == "My sister, 07700 900123" and plan.shared_with == [
        "the person"]
    page = html(client.get(record_url(person, f"safety-plan/{plan.pk}/new-version/")))
    assert "To stay at home" in page and "Music" in page
    post(client, person, f"safety-plan/{plan.pk}/new-version/", {
        "date": iso(days_ago(0)), "wants_in_crisis": "Hospital if I stop eating",
        "who_to_contact": "My sister", "expected_version": plan.version})
    assert person.safety_plans.count() == 2
    assert services.safety_plan_new_version  # the service made it: the old one is kept
    assert person.safety_plans.get(pk=plan.pk).wants_in_crisis == "To stay at home"


def test_safety_plan_nonsense_dates_are_refused(person, practitioner):
    response = post(login(practitioner), person, "safety-plan/new/", {
        "date": "2026-13-01", "wants_in_crisis": "Quiet", "who_to_contact": "Sister",
        "review_due": "soon"})
    page = html(response)
    assert "The date of the safety plan must be a real date." in page
    assert "The review date must be a real date." in page
    assert not person.safety_plans.exists()


def test_safety_plan_errors_are_shown_together(person, practitioner):
    """Everything left out, and a review before the plan, in one error summary."""
    response = post(login(practitioner), person, "safety-plan/new/", {
        "date": "", "wants_in_crisis": " ", "who_to_contact": "",
        "review_due": iso(days_ago(3))})
    page = html(response)
    for message in ("Enter the date of the safety plan.",
                    "Say what the person wants to happen in a crisis, in their words.",
                    "Say who to contact in a crisis."):
        assert message in page
    assert 'href="#id_wants_in_crisis"' in page and 'href="#id_who_to_contact"' in page
    assert not person.safety_plans.exists()


def test_record_an_advance_choice(person, practitioner):
    response = post(login(practitioner), person, "advance-choice/new/", {
        "date": iso(days_ago(1)), "statements": "No haloperidol.\nTell my mum.",
        "co_produced_with": "The person and their advocate"})
    assert response.status_code == 302
    assert person.advance_choices.get().statements == "No haloperidol.\nTell my mum."


def test_record_a_relapse_signature_with_its_signs_in_order(person, practitioner):
    response = post(login(practitioner), person, "relapse-signature/new/", {
        "date": iso(days_ago(1)), "signs_rows": "3",
        "signs_0_sign": "Sleeping less", "signs_0_what_to_do": "Call the team",
        "signs_2_sign": "Hearing voices"})
    assert response.status_code == 302
    signs = person.relapse_signatures.get().signs.all()
    assert [(s.order, s.sign, s.what_to_do) for s in signs] == [
        (1, "Sleeping less", "Call the team"), (2, "Hearing voices", "")]


def test_relapse_signature_needs_a_sign(person, practitioner):
    response = post(login(practitioner), person, "relapse-signature/new/", {
        "date": iso(days_ago(1)), "signs_rows": "3", "signs_1_what_to_do": "Call"})
    page = html(response)
    assert "Describe the sign in the person&#39;s own words." in page
    assert 'href="#id_signs_1_sign"' in page
    assert not person.relapse_signatures.exists()


def test_relapse_signature_new_version_changes_the_signs(person, practitioner):
    signature = services.relapse_signature_create(
        person=person, by=practitioner, request=None, date=days_ago(20),
        signs=[{"sign": "Sleeping less"}])
    client = login(practitioner)
    page = html(client.get(record_url(person,
                                      f"relapse-signature/{signature.pk}/new-version/")))
    assert 'value="Sleeping less"' in page
    post(client, person, f"relapse-signature/{signature.pk}/new-version/", {
        "date": iso(days_ago(0)), "expected_version": signature.version, "signs_rows": "2",
        "signs_0_sign": "Sleeping less", "signs_1_sign": "Not eating"})
    current = person.relapse_signatures.get(superseded_by__isnull=True)
    assert [s.sign for s in current.signs.all()] == ["Sleeping less", "Not eating"]
    assert [s.sign for s in signature.signs.all()] == ["Sleeping less"]


def test_record_a_risk_formulation(person, practitioner):
    response = post(login(practitioner), person, "risk-formulation/new/", {
        "history": "Assault when intoxicated", "triggers": "Access to drugs",
        "protective_factors": "Sister", "what_reduces_risk": "Daily visits",
        "two_staff_visits": "on", "reviewed_on": iso(days_ago(1))})
    assert response.status_code == 302
    formulation = person.risk_formulations.get()
    assert formulation.two_staff_visits is True and formulation.review_due > days_ago(1)


def test_risk_formulation_errors(person, practitioner):
    response = post(login(practitioner), person, "risk-formulation/new/", {
        "history": "", "triggers": "t", "protective_factors": "p",
        "what_reduces_risk": "w", "reviewed_on": iso(days_ago(1)),
        "review_due": iso(days_ago(5))})
    page = html(response)
    assert "Describe the history and the situations in which harm happened." in page
    assert "The review date must be after the date it was reviewed." in page
    assert not person.risk_formulations.exists()


# --- Social circumstances ---------------------------------------------------------------------


def test_record_social_circumstances_with_substances_and_police(person, practitioner):
    response = post(login(practitioner), person, "social-circumstances/new/", {
        "assessed_on": iso(days_ago(1)), "accommodation_status": "temporary",
        "accommodation_since": iso(days_ago(30)), "finances": "ESA",
        "substance_use_rows": "2", "substance_use_0_substance": "Cannabis",
        "substance_use_0_current": "on", "substance_use_0_since": iso(days_ago(300)),
        "police_contacts_rows": "1", "police_contacts_0_date": iso(days_ago(3)),
        "police_contacts_0_summary": "Stopped and searched"})
    assert response.status_code == 302
    circumstances = person.social_circumstances.get()
    assert [(s.substance, s.current) for s in circumstances.substance_use.all()] == [
        ("Cannabis", True)]
    assert person.police_contacts.get().summary == "Stopped and searched"


def test_new_assessment_cannot_drop_a_substance_in_use(person, practitioner):
    circumstances = services.social_circumstances_create(
        person=person, by=practitioner, request=None, assessed_on=days_ago(30),
        accommodation_status="settled", accommodation_since=days_ago(400),
        substance_use=[{"substance": "Alcohol", "current": True, "since": days_ago(900)}])
    client = login(practitioner)
    page = html(client.get(record_url(
        person, f"social-circumstances/{circumstances.pk}/new-version/")))
    assert 'value="Alcohol"' in page
    response = post(client, person, f"social-circumstances/{circumstances.pk}/new-version/", {
        "assessed_on": iso(days_ago(0)), "accommodation_status": "settled",
        "accommodation_since": iso(days_ago(400)), "expected_version": circumstances.version,
        "substance_use_rows": "2"})
    assert "Say whether the person still uses: Alcohol" in html(response)
    assert person.social_circumstances.count() == 1


def test_social_circumstances_errors_are_shown_together(person, practitioner):
    """A choice left blank is reported with the service's other errors, in the form's words."""
    response = post(login(practitioner), person, "social-circumstances/new/", {
        "assessed_on": iso(days_ago(1)), "accommodation_status": "",
        "accommodation_since": "", "substance_use_rows": "2",
        "substance_use_1_substance": "Alcohol", "police_contacts_rows": "1",
        "police_contacts_0_summary": "Stopped"})
    page = html(response)
    for message, anchor in [
        ("Choose the accommodation status.", "id_accommodation_status_0"),
        ("Enter the date the person has been in this accommodation since.",
         "id_accommodation_since"),
        ("Enter the date since when.", "id_substance_use_1_since"),
        ("Enter the date of the police contact.", "id_police_contacts_0_date"),
    ]:
        assert message in page and f'href="#{anchor}"' in page, message
    assert not person.social_circumstances.exists()
