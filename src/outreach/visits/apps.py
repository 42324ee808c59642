from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "outreach.visits"
    label = "visits"
    verbose_name = "Visit planning"
