from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "outreach.meetings"
    label = "meetings"
