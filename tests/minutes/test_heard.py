"""The transcript stores the text read against the meeting's vocabulary and the words as heard
(ADR 0167): the clerk sees both, the draft is built from the stored text."""

import pytest
from django.urls import reverse

from residenthub.minutes import actions
from residenthub.minutes.models import Segment

HEARD = "Thank you, Councillor Hollow Way. Resolved at the report be noted."
READ = "Thank you, Councillor Holloway. Resolved that the report be noted."


@pytest.fixture
def misheard(meeting, script, clerk):
    segments = script.segments()
    segments[0] = {**segments[0], "text": HEARD}
    actions.save_transcript(meeting, segments, by=clerk)
    return meeting


def test_the_read_text_and_the_heard_words_are_stored_per_line(misheard):
    first = misheard.segments.get(index=0)
    assert first.text == READ
    assert first.heard == HEARD
    # A line the correction leaves alone keeps no heard copy.
    assert misheard.segments.get(index=1).heard == ""


def test_the_draft_is_built_from_the_stored_text(misheard, clerk):
    actions.build_draft(misheard, by=clerk)
    texts = " ".join(misheard.lines.values_list("text", flat=True))
    assert "Hollow Way" not in texts
    # Building again does not read the read text twice nor lose what was heard.
    actions.build_draft(misheard, by=clerk)
    first = misheard.segments.get(index=0)
    assert (first.text, first.heard) == (READ, HEARD)


def test_a_clerks_correction_is_kept_and_the_heard_words_stay_beside_it(misheard, clerk):
    first = misheard.segments.get(index=0)
    actions.edit_segment(first, "Thank you, Councillor Hollowway. The report be noted.", by=clerk)
    actions.build_draft(misheard, by=clerk)
    first.refresh_from_db()
    assert first.text == "Thank you, Councillor Hollowway. The report be noted."  # not read again
    assert first.heard == HEARD and first.edited


def test_a_name_added_to_the_attendance_later_is_read_on_the_next_draft(meeting, script, clerk):
    segments = script.segments()
    segments[0] = {**segments[0], "text": "We welcome Mister Ogunbanjo to the meeting."}
    actions.save_transcript(meeting, segments, by=clerk)
    assert meeting.segments.get(index=0).heard == ""
    meeting.attendees.create(name="Femi Ogunbanjo", role="officer", title="Director of Finance")
    Segment.objects.filter(meeting=meeting, index=0).update(
        text="We welcome Mister Ogunbanjoe to the meeting."
    )
    actions.build_draft(meeting, by=clerk)
    first = meeting.segments.get(index=0)
    assert "Ogunbanjo to" in first.text and first.heard == "We welcome Mister Ogunbanjoe to the meeting."


def test_the_transcript_editor_shows_the_heard_words(client, misheard, clerk):
    client.force_login(clerk)
    page = client.get(reverse("minutes:transcript", args=[misheard.pk])).content.decode()
    assert "Councillor Holloway" in page and "heard as" in page and "Hollow Way" in page
    edit = client.get(reverse("minutes:edit_segment", args=[misheard.pk, 0])).content.decode()
    assert "As heard by the recogniser" in edit and "Hollow Way" in edit
    plain = client.get(reverse("minutes:edit_segment", args=[misheard.pk, 1])).content.decode()
    assert "As heard by the recogniser" not in plain
