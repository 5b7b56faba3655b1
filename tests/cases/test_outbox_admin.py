"""The outbox in the admin: staff put failed messages back in the queue (through core.outbox).

The interim case tools that used to live in the admin are gone: the back office is where cases are
worked (tests/backoffice).
"""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def test_failed_messages_can_be_retried_by_staff(make_case, administrator, settings):
    from residenthub.core.models import OutboxMessage

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    settings.OUTBOX_MAX_ATTEMPTS = 1
    make_case()
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client()
    client.force_login(administrator)
    assert "Failed" in client.get("/admin/core/outboxmessage/?status=failed").content.decode()
    client.post("/admin/core/outboxmessage/", {"action": "retry", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
