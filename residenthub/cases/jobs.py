"""Background jobs of the cases app."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .models import Attachment

ABANDONED_AFTER = dt.timedelta(days=2)


@shared_task(name="residenthub.cases.jobs.purge_abandoned_uploads")
def purge_abandoned_uploads() -> int:
    """Delete files uploaded to forms that were never sent (data minimisation).

    A draft lives as long as its session (a day); after two days nobody can send it any more.
    """
    abandoned = Attachment.objects.filter(case__isnull=True, uploaded_at__lt=timezone.now() - ABANDONED_AFTER)
    count = 0
    for attachment in abandoned:
        attachment.file.delete(save=False)
        attachment.delete()
        count += 1
    return count
