from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "outreach.submissions"
    label = "submissions"
    verbose_name = "One-time form keys"
