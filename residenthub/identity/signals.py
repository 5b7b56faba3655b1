"""Hooks into other apps. The point-of-entry check runs as a job so case creation stays fast."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def on_case_created(sender, case, **kwargs) -> None:
    from . import jobs

    try:
        jobs.check_case.delay(case.pk)
    except Exception:  # never let identity problems break case creation
        logger.exception("identity check could not be queued for case %s", case.pk)
