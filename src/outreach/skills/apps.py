from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "outreach.skills"
    label = "skills"
    verbose_name = "Staff skills matrix"
