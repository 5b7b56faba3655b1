from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "residenthub.letters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from residenthub.cases.signals import letter_wanted

        letter_wanted.connect(_letter_wanted, dispatch_uid="letters.letter_wanted")


def _letter_wanted(sender, case, kind, text="", status_label="", link="", **kwargs):
    """A case change the resident hears about by post (cases.signals.letter_wanted, same transaction)."""
    from .actions import queue_letter

    queue_letter(case, kind, text=text, status_label=status_label, link=link)
