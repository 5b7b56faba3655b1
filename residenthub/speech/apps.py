from django.apps import AppConfig


class SpeechConfig(AppConfig):
    name = "residenthub.speech"
    label = "speech"
    verbose_name = "Speech to text"
