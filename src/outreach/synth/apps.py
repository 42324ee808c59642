from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "outreach.synth"
    label = "synth"
