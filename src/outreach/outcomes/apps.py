from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outreach.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes and equality"

    def ready(self) -> None:
        # Fail at start-up, not on the first page, if a setting is wrong.
        from outreach.outcomes.config import outcomes_config

        outcomes_config()
