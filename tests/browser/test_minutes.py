"""Meeting minutes in a real browser: the public minutes pages (GOV.UK patterns, axe-core, with and
without JavaScript) and the clerk's transcript, where a click on a line plays that moment."""

from __future__ import annotations

import time

import numpy as np
import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from residenthub.minutes import actions, drafting, scripted, synth
from residenthub.minutes.agenda import ParsedItem
from residenthub.minutes.models import Recording
from tests.conftest import PASSWORD, _staff

from .conftest import DESKTOP, MOBILE
from .helpers import follow, heading, press, sign_in, visit

pytestmark = pytest.mark.browser


def _media_restarts_are_fine(page) -> None:
    """Chrome cancels its first request for a media file once it learns the server takes byte
    ranges, and asks again by range: that cancellation is how media loading works, not a fault."""
    page.problems.messages[:] = [
        m for m in page.problems.messages if not (m.startswith("media ") and m.endswith("net::ERR_ABORTED"))
    ]


def _until(page, expression: str, seconds: float = 15.0) -> None:
    """Poll ``expression`` in the page (page.wait_for_function would need eval, which the CSP forbids)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


@pytest.fixture
def minutes_meeting(hub, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    clerk = _staff("clerk", "democratic-services")
    script = scripted.meeting(3, items=2, questions=1, talk=1)
    committee = actions.create_committee(script.committee, by=clerk)
    meeting = actions.create_meeting(
        committee,
        script.date,
        agenda=[ParsedItem(t) for t in script.agenda],
        attendees=drafting.parse_attendees(script.attendees_text()),
        by=clerk,
    )
    segments = script.segments()
    # A recording to seek in: a quiet tone as long as the script, stored as the processed file.
    seconds = segments[-1]["end"] + 1
    tone = (0.05 * np.sin(2 * np.pi * 220 * np.arange(int(seconds * 16000)) / 16000)).astype(np.float32)
    path = tmp_path / "meeting.wav"
    synth.write_wav(path, tone)
    recording = Recording(
        meeting=meeting,
        original_name="meeting.wav",
        status=Recording.Status.DONE,
        progress=100,
        duration=seconds,
        size=path.stat().st_size,
    )
    recording.file.save("meeting.wav", ContentFile(path.read_bytes()), save=True)
    actions.save_transcript(meeting, segments, recording=recording, by=clerk)
    actions.build_draft(meeting, by=clerk)
    return clerk, meeting, script


def test_clerk_reviews_plays_a_moment_and_publishes(open_page, check_page, minutes_meeting):
    clerk, meeting, script = minutes_meeting
    page = open_page(viewport=DESKTOP)
    sign_in(page, clerk.username, PASSWORD)
    visit(page, f"/staff/minutes/{meeting.pk}/transcript/")
    assert heading(page) == "Transcript"
    check_page(page, "transcript")
    line = page.locator("a.hub-seek").nth(4)
    start = float(line.get_attribute("data-start"))
    _until(page, "document.getElementById('player').readyState >= 1")
    line.click()
    _until(page, f"Math.abs(document.getElementById('player').currentTime - {start}) < 0.5")
    assert page.url.endswith("/transcript/")  # JavaScript seeks in place; the link is the fallback
    _media_restarts_are_fine(page)
    visit(page, f"/staff/minutes/{meeting.pk}/draft/")
    check_page(page, "draft")
    expect(page.get_by_text(script.decisions[0]["text"])).to_be_visible()
    press(page, "Accept every line")
    press(page, "Approve and publish")
    assert heading(page) == script.committee
    check_page(page, "published minutes")
    follow(page, script.committee)
    expect(page.get_by_role("link", name="PDF", exact=False).first).to_be_visible()
    _media_restarts_are_fine(page)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_public_minutes_pages(open_page, check_page, minutes_meeting, js):
    clerk, meeting, script = minutes_meeting
    actions.accept_all(meeting, by=clerk)
    actions.approve(meeting, by=clerk)
    page = open_page(js=js, viewport=MOBILE)
    visit(page, "/minutes/")
    check_page(page, "committees")
    follow(page, script.committee)
    check_page(page, "committee")
    follow(page, f"Meeting of {meeting.date.day} {meeting.date:%B %Y}")
    check_page(page, "meeting minutes")
    for decision in script.decisions:
        expect(page.get_by_text(decision["text"])).to_be_visible()
    response = page.request.get(f"/minutes/{meeting.committee.slug}/{meeting.pk}/minutes.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")


def test_transcript_without_javascript_links_to_the_moment(open_page, check_page, minutes_meeting):
    clerk, meeting, _ = minutes_meeting
    page = open_page(js=False, viewport=DESKTOP)
    sign_in(page, clerk.username, PASSWORD)
    visit(page, f"/staff/minutes/{meeting.pk}/transcript/")
    href = page.locator("a.hub-seek").nth(2).get_attribute("href")
    assert href.startswith(f"/staff/minutes/{meeting.pk}/recording/#t=")
    check_page(page, "transcript without JavaScript")
    _media_restarts_are_fine(page)
