from tests.clinical.test_pages import post, care_plan_data
from tests.clinical.conftest import days_ago
from tests.conftest import login

def test_shot(person, practitioner):
    c = login(practitioner)
    d = care_plan_data(date="2026-02-30", actions_2_what="Find a course")
    del d["rating_accommodation"]
    open("/tmp/smoke/err.html", "w").write(post(c, person, "care-plan/new/", d).content.decode())
    r = post(c, person, "social-circumstances/new/", {"assessed_on": days_ago(1).isoformat(), "accommodation_status": "", "accommodation_since": "", "substance_use_rows": "2", "substance_use_0_substance": "Alcohol", "police_contacts_rows": "1"})
    open("/tmp/smoke/social.html", "w").write(r.content.decode())
