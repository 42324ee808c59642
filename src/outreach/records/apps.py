from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "outreach.records"
    label = "records"

    def ready(self) -> None:
        # Fail at start-up, not on the first caseload page, if the thresholds are wrong.
        from outreach.records.engagement import engagement_config

        engagement_config()
