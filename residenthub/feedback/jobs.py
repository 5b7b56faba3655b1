from celery import shared_task


@shared_task(name="residenthub.feedback.jobs.ask")
def ask(case_id: int) -> bool:
    from residenthub.cases.models import Case

    from . import actions

    case = Case.objects.filter(pk=case_id).first()
    return bool(case and actions.ask(case))
