from django.apps import AppConfig


class ExperienceConfig(AppConfig):
    name = "outreach.experience"
    label = "experience"
    verbose_name = "Experience feedback"
