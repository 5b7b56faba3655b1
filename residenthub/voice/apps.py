from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "residenthub.voice"
    label = "voice"
    verbose_name = "Phone front door"
