from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "outreach.records"
    label = "records"
