from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "outreach.web"
    label = "web"
