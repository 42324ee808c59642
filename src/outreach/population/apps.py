from django.apps import AppConfig


class PopulationConfig(AppConfig):
    """Population analytics for commissioners: no models, only the `cohort` and `workforce`
    commands (the analytics layer itself has no Django)."""

    name = "outreach.population"
    verbose_name = "Population analytics"
