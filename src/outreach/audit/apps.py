from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "outreach.audit"
    label = "audit"
