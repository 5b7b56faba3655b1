"""``make run``'s demo meeting: draft minutes ready for review, loaded once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from residenthub.demo.management.commands.load_demo import Command
from residenthub.minutes import synth
from residenthub.minutes.models import Meeting, MinuteLine, Recording

pytestmark = pytest.mark.django_db


def test_the_demo_meeting_has_a_draft_to_review_and_is_loaded_once(client):
    command = Command(stdout=io.StringIO())
    command._minutes_meeting()
    command._minutes_meeting()  # make run again: nothing added
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.DRAFTED
    if synth.available():  # spoken from its script: each line's moment can be played
        recording = meeting.recordings.get()
        assert recording.status == Recording.Status.DONE and recording.duration > 120
        assert meeting.segments.filter(recording=recording).count() == meeting.segments.count() > 20
        last = meeting.segments.order_by("-index").first()
        assert last.end <= recording.duration
        assert set(meeting.speaker_names) <= {f"SPEAKER_{i}" for i in range(10)}
    else:
        assert not meeting.recordings.exists()
    assert dt.timedelta(days=7) <= timezone.localdate() - meeting.date <= dt.timedelta(days=13)
    kinds = set(MinuteLine.objects.filter(meeting=meeting).values_list("kind", flat=True))
    assert {MinuteLine.Kind.DECISION, MinuteLine.Kind.ACTION} <= kinds
    assert "already loaded" in command.stdout.getvalue()


@pytest.mark.skipif(not synth.available(), reason="espeak-ng, flite and ffmpeg speak the script")
def test_the_clerk_can_play_a_line_of_the_demo_meeting(client, clerk):
    Command(stdout=io.StringIO())._minutes_meeting()
    meeting = Meeting.objects.get()
    client.force_login(clerk)
    page = client.get(reverse("minutes:transcript", args=[meeting.pk])).content.decode()
    assert 'id="player"' in page and 'class="govuk-link hub-seek" data-start=' in page
    audio = client.get(reverse("minutes:recording", args=[meeting.pk]))
    assert audio.status_code == 200 and b"".join(audio.streaming_content)[:4] == b"RIFF"


def test_a_recording_with_its_transcript_is_refused_in_a_format_we_cannot_play(meeting):
    from django.core.files.base import ContentFile

    from residenthub.minutes import actions
    from residenthub.minutes.actions import MinutesError

    with pytest.raises(MinutesError, match="WAV, MP3, M4A or MP4"):
        notes, segments = ContentFile(b"text", name="notes.txt"), [{"start": 0, "end": 1, "text": "Hello"}]
        actions.add_transcribed_recording(meeting, notes, segments, duration=1)
    assert not meeting.recordings.exists() and not meeting.segments.exists()  # nothing half-saved
