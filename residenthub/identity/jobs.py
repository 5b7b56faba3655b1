"""Background jobs: the point-of-entry check for new cases, and linkage runs."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="residenthub.identity.jobs.check_case")
def check_case(case_id: int) -> str:
    from residenthub.cases.models import Case

    from . import actions

    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return "gone"
    return actions.check_case(case).status


@shared_task(name="residenthub.identity.jobs.run_linkage")
def run_linkage() -> int:
    from . import actions

    return actions.run_linkage().pk
