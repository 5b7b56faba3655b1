"""Finding 16 (low): a resident following an original case never gets the original resident's name."""

import pytest
from django.core import mail

from residenthub.cases import actions

pytestmark = pytest.mark.django_db


def test_follower_gets_their_own_name_not_the_originals(
    make_case, highways_officer, django_capture_on_commit_callbacks
):
    original = make_case(name="Mary O'Brien", email="mary@example.com")
    follower = make_case(name="Tomasz Nowak", email="tomasz@example.com")
    actions.mark_duplicate(follower, original, by=highways_officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_public_update(
            original,
            f"Dear Mary O'Brien, we fixed {original.reference} today. Thanks, Mary.",
            by=highways_officer,
        )
    from residenthub.core.jobs import send_due_messages

    send_due_messages()
    to_follower = [m for m in mail.outbox if "tomasz@example.com" in m.to]
    assert to_follower, [m.to for m in mail.outbox]
    body = to_follower[0].body
    assert "O'Brien" not in body and "Mary" not in body
    assert "Tomasz Nowak" in body and follower.reference in body
