from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "outreach.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        # Fail at start-up, not on the first dashboard, if a governance setting is wrong.
        from outreach.governance.config import governance_config, rag_config, suppression_config

        suppression_config()
        rag_config()
        governance_config()
