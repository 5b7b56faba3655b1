"""Demo data for insights (demo councils only, never production): five months of requests walked
through the real case actions at past dates, then the roll-ups, the benefits register and the
report definitions. Called by ``hub load_demo`` through ``hub insights demo``."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from unittest import mock

from django.db import transaction
from django.utils import timezone

DEMO_DAYS = 150
DEMO_CASES = 420
MARKER = "insights-demo"


def load(cases: int = DEMO_CASES, days: int = DEMO_DAYS) -> str:
    from residenthub.cases.models import Case

    from . import actions, rollup
    from .models import ReportDefinition

    _councillor()
    made = 0
    if not Case.objects.filter(channel_detail=MARKER).exists():
        made = _history(cases, days)
    built = rollup.catch_up()
    load = actions.load_benefits()
    if not ReportDefinition.objects.exists():
        actions.load_reports()
    return (
        f"Insights demo: {made} past requests, roll-ups {built[0] if built else '-'} to "
        f"{built[1] if built else '-'}, "
        f"benefits register with {len(load.findings)} disagreements listed."
    )


def _history(count: int, days: int) -> int:
    from residenthub.cases import actions as case_actions
    from residenthub.cases.models import Channel, NotifyBy
    from residenthub.core.demo import demo_answer as _demo_answer
    from residenthub.core.models import Address
    from residenthub.services.models import Service

    rng = random.Random(16)
    services = list(Service.objects.filter(active=True, restricted=False))
    highways = [s for s in services if s.team.slug == "highways"] or services
    addresses = list(Address.objects.exclude(ward=""))
    staff = None  # the system: demo steps are not any officer's work
    now = timezone.now()
    channels = (
        [Channel.WEB] * 11 + [Channel.PHONE] * 4 + [Channel.FACE_TO_FACE, Channel.EMAIL, Channel.LETTER]
    )
    made = 0
    for index in range(count):
        service = rng.choice(highways) if index % 2 == 0 else rng.choice(services)
        received = now - dt.timedelta(days=rng.uniform(1, days))
        # Online share grows over the months: channel shift the dashboards can show.
        channel = (
            Channel.WEB if rng.random() < 0.25 * (1 - (now - received).days / days) else rng.choice(channels)
        )
        address = rng.choice(addresses)
        answers = {}
        for question in service.form.questions:
            if question.is_shown(answers) and question.required:
                answers[question.name] = _demo_answer(question, address, rng, service.code)
        with transaction.atomic(), mock.patch("django.utils.timezone.now", return_value=received):
            case = case_actions.create_case(
                service=service,
                answers=answers,
                contact=case_actions.Contact(
                    name="Demo Resident", email=f"demo{index}@example.com", notify_by=NotifyBy.NONE
                ),
                channel=channel,
                channel_detail=MARKER,
                received_at=received,
            )
        made += 1
        # Most requests are closed some working days later; a few stay open, a few are reopened.
        if rng.random() < 0.85:
            closed_at = received + dt.timedelta(
                days=rng.expovariate(1 / (service.target_working_days * 1.1)) + 0.2
            )
            if closed_at < now:
                _walk_to_closed(case, staff, closed_at)
                if rng.random() < 0.04:
                    with mock.patch(
                        "django.utils.timezone.now", return_value=min(now, closed_at + dt.timedelta(days=2))
                    ):
                        case.refresh_from_db()
                        with contextlib.suppress(case_actions.ActionError):
                            case_actions.reopen(
                                case, by=staff, reason="Demo: the resident says it is not fixed."
                            )
    return made


def _walk_to_closed(case, staff, when) -> None:
    from residenthub.cases import actions as case_actions

    for _ in range(6):
        case.refresh_from_db()
        if not case.is_open:
            return
        workflow = case.service.workflow
        moves = workflow.allowed_from(case.status)
        closing = [s for s in moves if s.is_closed and s.code != "duplicate"]
        target = closing[0] if closing else (moves[0] if moves else None)
        if target is None:
            return
        with transaction.atomic(), mock.patch("django.utils.timezone.now", return_value=when):
            case_actions.transition(
                case, target.code, by=staff, reason="Demo: done." if target.reason_required else ""
            )


def _councillor() -> None:
    """The demo's read-only councillor (``councillor`` / the demo password): insights, no cases."""
    from residenthub.accounts.actions import ensure_staff_user
    from residenthub.accounts.models import COUNCILLOR_GROUP
    from residenthub.core.actions import Actor
    from residenthub.core.demo import DEMO_PASSWORD

    ensure_staff_user(
        "councillor",
        by=Actor.system("demo"),
        password=DEMO_PASSWORD,
        groups=[COUNCILLOR_GROUP],
        first_name="Douglas",
        last_name="Mills",
        email="councillor@council.example",
    )
