from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "outreach.reminders"
    label = "reminders"
    verbose_name = "Appointment reminders"
