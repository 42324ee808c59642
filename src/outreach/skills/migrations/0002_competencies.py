"""The competencies NHS England's guidance (002) and the Somerset training-matrix action
(004, action 19) expect of staff working with people who need intensive and assertive care,
and who needs each. Data, not code: change the rows (or add a later migration) to suit a
trust; the renewal periods here are common trust practice, not national rules."""

from django.db import migrations

# key, title, description, renewal months (None: does not expire)
COMPETENCIES = [
    ("psychosis", "Psychosis and its treatments",
     "Recognising psychosis and relapse; antipsychotic medication, oral and depot, and its "
     "effects on everyday life; psychological and family interventions.", 36),
    ("engagement", "Engagement and relationship building",
     "Assertive, non-coercive engagement; continuity; what people say makes it engaging "
     "(002 annex C).", 36),
    ("risk_formulation", "Risk formulation",
     "Structured risk formulation and safety planning, not risk prediction (NICE NG225).", 12),
    ("mha_cto", "Mental Health Act and Community Treatment Orders",
     "The Act, its code of practice, CTO conditions, recall and renewal.", 24),
    ("section_117", "Section 117 aftercare",
     "Entitlement, planning and review of Section 117 aftercare.", 36),
    ("substance_use", "Substance use",
     "Co-occurring substance use and mental illness: assessment and harm reduction.", 36),
    ("interpreters", "Working with interpreters",
     "Booking and working with interpreters, including for families and carers.", None),
    ("cultural_awareness", "Cultural awareness",
     "Culturally sensitive care, racism and the Patient and Carer Race Equality "
     "Framework (PCREF).", 36),
    ("trauma_informed", "Trauma-informed care",
     "Trauma-informed practice, including past negative experiences of services.", 36),
]
EVERYONE = ["psychosis", "engagement", "risk_formulation", "mha_cto", "substance_use",
            "interpreters", "cultural_awareness", "trauma_informed"]
# Section 117 aftercare is planned by care coordinators and the consultant.
SECTION_117_DISCIPLINES = ["nurse", "social_worker", "ot", "psychiatrist", "manager"]


def seed(apps, schema_editor):
    Competency = apps.get_model("skills", "Competency")
    Requirement = apps.get_model("skills", "Requirement")
    made = {}
    for order, (key, title, description, months) in enumerate(COMPETENCIES, 1):
        made[key] = Competency.objects.create(key=key, title=title, description=description,
                                              renewal_months=months, order=order)
    for key in EVERYONE:
        Requirement.objects.create(competency=made[key], role="", discipline="")
    for discipline in SECTION_117_DISCIPLINES:
        Requirement.objects.create(competency=made["section_117"], role="",
                                   discipline=discipline)


def unseed(apps, schema_editor):
    apps.get_model("skills", "Requirement").objects.all().delete()
    apps.get_model("skills", "Competency").objects.filter(
        key__in=[c[0] for c in COMPETENCIES], training_records__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("skills", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
