from django.apps import AppConfig


class ClinicalConfig(AppConfig):
    name = "outreach.clinical"
    label = "clinical"
    verbose_name = "Clinical record"

    def ready(self) -> None:
        # Fail at start-up, not on the first front sheet, if the intervals or flag settings
        # are wrong (a misspelt key would otherwise fall back to a default unnoticed).
        from outreach.clinical.config import clinical_config, flag_config

        clinical_config()
        flag_config()
