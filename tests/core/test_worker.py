"""The production path: a real Celery worker takes outbox jobs from Redis and sends over SMTP.

Runs when the suite runs against PostgreSQL and Redis (as CI does): the worker is a separate
process, so it needs a database it can share with the test.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from residenthub import celery_app
from residenthub.core.models import OutboxMessage

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="needs DATABASE_URL=postgres://... and REDIS_URL (CI sets both)",
    ),
]


def test_celery_worker_sends_the_outbox_through_redis(make_case, smtp_server, settings):
    from django.core import mail

    # This process cannot reach the SMTP server: only the worker is pointed at it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": django_settings.REDIS_URL,
        "JOBS_INLINE": "false",
        "HUB_ENV": "development",
        "DEBUG": "false",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_USE_TLS": "false",
        "DJANGO_SETTINGS_MODULE": "residenthub.settings",
    }
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = django_settings.REDIS_URL
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "residenthub",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        case = make_case()
        message = OutboxMessage.objects.get(case=case)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.status == OutboxMessage.Status.SENT:
                break
            time.sleep(0.25)
        assert message.status == OutboxMessage.Status.SENT, message.last_error
        assert len(smtp_server.messages) == 1
        assert mail.outbox == []
        assert case.reference in smtp_server.messages[0].content.decode()
    finally:
        celery_app.conf.task_always_eager = True
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
