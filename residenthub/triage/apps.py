from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "residenthub.triage"
    label = "triage"
    verbose_name = "Triage"

    def ready(self) -> None:
        from residenthub.cases.signals import case_created

        from . import actions

        def _link(sender, case, **kwargs):
            actions.link_case(case)

        case_created.connect(_link, dispatch_uid="triage.link_case", weak=False)
