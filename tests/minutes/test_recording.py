"""From a recording to published minutes, with real speech-to-text and speaker segmentation.

The meeting is scripted, spoken by espeak-ng and flite voices on the fly (about 45 seconds), and
transcribed once per test session. Needs ffmpeg, espeak-ng and flite (scripts/install_minutes_deps.sh).
"""

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from residenthub.minutes import actions, drafting, scripted, synth
from residenthub.minutes.agenda import ParsedItem
from residenthub.minutes.models import Recording

pytestmark = pytest.mark.skipif(not synth.available(), reason="needs espeak-ng, flite and ffmpeg")


@pytest.fixture(scope="session")
def spoken(tmp_path_factory):
    """One short scripted meeting (one item, about 50 seconds), spoken by several voices, as a WAV file."""
    script = scripted.meeting(5, items=1, questions=1, talk=1)
    audio, truth = synth.speak(script)
    path = tmp_path_factory.mktemp("minutes") / "meeting.wav"
    synth.write_wav(path, audio)
    return script, path, truth


@pytest.fixture
def uploads(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def _meeting(script, clerk):
    committee = actions.create_committee(script.committee, by=clerk)
    return actions.create_meeting(
        committee,
        script.date,
        agenda=[ParsedItem(t) for t in script.agenda],
        attendees=drafting.parse_attendees(script.attendees_text()),
        by=clerk,
    )


def test_done_means_recording_to_published_pdf(
    client, spoken, clerk, uploads, django_capture_on_commit_callbacks
):
    script, path, truth = spoken
    meeting = _meeting(script, clerk)
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("minutes:meeting", args=[meeting.pk]),
            {"recording": SimpleUploadedFile("meeting.wav", path.read_bytes(), "audio/wav")},
        )
    assert response.status_code == 302
    recording = Recording.objects.get(meeting=meeting)
    assert recording.status == Recording.Status.DONE, recording.error
    assert recording.progress == 100 and abs(recording.duration - truth[-1]["end"]) < 2
    meeting.refresh_from_db()
    # Speakers were told apart and are offered for naming from the attendance list.
    assert len(meeting.speaker_names) >= 2
    page = client.get(reverse("minutes:draft", args=[meeting.pk])).content.decode()
    for person in ["Councillor Jane Holloway", "Sarah Whitfield"]:
        assert person in page  # attendees
    decision = meeting.lines.get(kind="decision")
    assert decision.text.startswith("RESOLVED: That")
    truth_decision = script.decisions[0]["text"].removeprefix("RESOLVED: That ").rstrip(".")
    words = set(truth_decision.lower().split())
    assert len(words & set(decision.text.lower().replace(".", " ").split())) >= 0.7 * len(words)
    action = meeting.lines.get(kind="action")
    assert action.due is not None and action.due.isoformat() == script.actions[0]["due"]
    # Each line is linked to its moment in the recording: the decision is said near the end.
    said = next(
        t for t in truth if t["text"].startswith(("So the committee", "Resolved", "It was", "The committee"))
    )
    assert abs(decision.start - said["start"]) < 3
    transcript = client.get(reverse("minutes:transcript", args=[meeting.pk])).content.decode()
    assert 'class="govuk-link hub-seek"' in transcript and "#t=" in transcript
    audio = client.get(reverse("minutes:recording", args=[meeting.pk]), HTTP_RANGE="bytes=0-99")
    assert audio.status_code == 206 and len(audio.content) == 100
    # The clerk corrects one name, accepts, approves: the PDF is on the committee's public page.
    owner = script.actions[0]["owner"]
    client.post(
        reverse("minutes:edit_line", args=[meeting.pk, action.pk]),
        {
            "text": action.text,
            "owner": owner,
            "due-day": action.due.day,
            "due-month": action.due.month,
            "due-year": action.due.year,
        },
    )
    client.post(reverse("minutes:draft", args=[meeting.pk]), {"action": "accept_all"})
    assert client.post(reverse("minutes:draft", args=[meeting.pk]), {"action": "approve"}).status_code == 302
    client.logout()
    listing = client.get(reverse("minutes_public:committee", args=[meeting.committee.slug])).content.decode()
    pdf_url = reverse("minutes_public:download", args=[meeting.committee.slug, meeting.pk, "pdf"])
    assert pdf_url in listing
    from pypdf import PdfReader

    pdf = client.get(pdf_url)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "RESOLVED: That" in text and owner in text


def test_speakers_are_told_apart(spoken):
    from residenthub.speech import load_audio
    from residenthub.speech.diarization import assign_speakers

    script, path, truth = spoken
    segments = [{"start": t["start"], "end": t["end"], "text": t["text"]} for t in truth]
    assign_speakers(load_audio(str(path)), segments, max_speakers=6)
    # Once the clerk names each label (two labels may be named the same person, one label cannot be
    # split), each label stands for the person who spoke most under it: the time then wrongly
    # attributed must be small.
    time_under: dict[tuple[str, str], float] = {}
    for seg, t in zip(segments, truth, strict=True):
        key = (seg["speaker"], t["speaker"])
        time_under[key] = time_under.get(key, 0) + t["end"] - t["start"]
    named = {}
    for (label, person), _spoken in sorted(time_under.items(), key=lambda kv: -kv[1]):
        named.setdefault(label, person)
    total = sum(t["end"] - t["start"] for t in truth)
    wrong = sum(
        t["end"] - t["start"]
        for s, t in zip(segments, truth, strict=True)
        if named[s["speaker"]] != t["speaker"]
    )
    assert wrong / total <= 0.15


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: np.zeros(16000 * 3, dtype=np.float32), "The recording is silent"),
        (
            lambda: (np.random.default_rng(1).standard_normal(16000 * 4) * 0.05).astype(np.float32),
            "No speech was found",
        ),
    ],
    ids=["silent", "noise-only"],
)
def test_recordings_without_speech_get_a_clear_message(
    client, clerk, uploads, tmp_path, make, message, django_capture_on_commit_callbacks
):
    script = scripted.meeting(0, items=1)
    meeting = _meeting(script, clerk)
    path = tmp_path / "empty.wav"
    synth.write_wav(path, make())
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("minutes:meeting", args=[meeting.pk]),
            {"recording": SimpleUploadedFile("empty.wav", path.read_bytes())},
        )
    recording = Recording.objects.get(meeting=meeting)
    assert recording.status == Recording.Status.FAILED
    assert message in recording.error
    page = client.get(reverse("minutes:meeting", args=[meeting.pk])).content.decode()
    assert message in page
    meeting.refresh_from_db()
    assert not meeting.lines.exists() and meeting.status == "planned"


def test_a_corrupt_recording_gets_a_clear_message(client, clerk, uploads, django_capture_on_commit_callbacks):
    meeting = _meeting(scripted.meeting(0, items=1), clerk)
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("minutes:meeting", args=[meeting.pk]),
            {"recording": SimpleUploadedFile("meeting.mp3", b"ID3" + bytes(range(256)) * 20)},
        )
    recording = Recording.objects.get(meeting=meeting)
    assert recording.status == Recording.Status.FAILED
    assert recording.error.startswith("The recording could not be read")


def test_cli_transcribe_then_draft(spoken, tmp_path):
    import json

    from django.core.management import call_command

    from residenthub.speech import load_audio

    script, path, truth = spoken
    clip = tmp_path / "clip.wav"  # the first two lines are enough to prove the command
    synth.write_wav(clip, load_audio(str(path))[: int(truth[1]["end"] * 16000) + 8000])
    out = tmp_path / "t.json"
    agenda, attendees = tmp_path / "agenda.txt", tmp_path / "attendees.txt"
    agenda.write_text(script.agenda_text())
    attendees.write_text(script.attendees_text())
    call_command(
        "minutes",
        "transcribe",
        str(clip),
        "--attendees",
        str(attendees),
        "--agenda",
        str(agenda),
        "--out",
        str(out),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    data = json.loads(out.read_text())
    assert data["segments"] and set(data["segments"][0]) >= {"start", "end", "speaker", "text"}
    assert "apologies" in " ".join(s["text"] for s in data["segments"]).lower()
    # Drafting from a transcript file: the script's own timed lines.
    transcript = tmp_path / "full.json"
    transcript.write_text(json.dumps({"segments": script.segments()}))
    minutes = tmp_path / "m.json"
    call_command(
        "minutes",
        "draft",
        str(transcript),
        "--agenda",
        str(agenda),
        "--attendees",
        str(attendees),
        "--date",
        script.date.isoformat(),
        "--out",
        str(minutes),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    items = json.loads(minutes.read_text())["items"]
    assert items[0]["title"] == script.agenda[0]
    assert items[0]["decisions"] == [script.decisions[0]["text"]]
    assert [(a["owner"], a["due"]) for a in items[0]["actions"]] == [
        (script.actions[0]["owner"], script.actions[0]["due"])
    ]


@pytest.mark.parametrize("kind", ["m4a", "mp3", "mp4-video"])
def test_compressed_audio_and_video_recordings_are_read(spoken, tmp_path, kind):
    """MP3, M4A and MP4 with a picture track decode to the same speech (ffmpeg, via the speech component)."""
    import subprocess

    from residenthub.speech import load_audio

    _, path, truth = spoken
    if kind == "mp4-video":
        out = tmp_path / "meeting.mp4"
        cmd = [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "color=c=black:s=160x90:r=5",
            "-i",
            str(path),
            "-shortest",
            "-c:v",
            "libx264",
            "-c:a",
            "aac",
            str(out),
        ]
    else:
        out = tmp_path / f"meeting.{kind}"
        cmd = ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), str(out)]
    subprocess.run(cmd, check=True)
    audio = load_audio(str(out))
    assert abs(len(audio) / 16000 - truth[-1]["end"]) < 1.5
