"""``make run``'s demo meeting: draft minutes ready for review, loaded once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from residenthub.demo.management.commands.load_demo import Command
from residenthub.minutes.models import Meeting, MinuteLine

pytestmark = pytest.mark.django_db


def test_the_demo_meeting_has_a_draft_to_review_and_is_loaded_once(client):
    command = Command(stdout=io.StringIO())
    command._minutes_meeting()
    command._minutes_meeting()  # make run again: nothing added
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.DRAFTED and not meeting.recordings.exists()
    assert dt.timedelta(days=7) <= timezone.localdate() - meeting.date <= dt.timedelta(days=13)
    kinds = set(MinuteLine.objects.filter(meeting=meeting).values_list("kind", flat=True))
    assert {MinuteLine.Kind.DECISION, MinuteLine.Kind.ACTION} <= kinds
    assert "already loaded" in command.stdout.getvalue()
