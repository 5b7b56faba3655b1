"""From a recording to transcript segments with speakers, using the shared speech component.

Checks the audio before spending minutes on it: empty, unreadable, silent and speechless
recordings get a clear message. Drops the repeated-text hallucinations speech models make over
long silences.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

SAMPLE_RATE = 16000
SILENT_RMS = 1e-3  # about -60 dBFS: a recording that quiet has nothing in it


class RecordingError(Exception):
    """The recording cannot give a transcript; the message is for the clerk."""


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def drop_hallucinations(segments: list[dict]) -> list[dict]:
    """Remove segments that repeat the one before word for word (a model looping over silence), and
    segments the model itself thinks are not speech."""
    out: list[dict] = []
    for seg in segments:
        text = _norm(seg["text"])
        if not text:
            continue
        if seg.get("no_speech_prob", 0.0) > 0.8 and seg.get("avg_logprob", 0.0) < -1.0:
            continue
        if out and _norm(out[-1]["text"]) == text:
            continue
        words = text.split()
        # "thank you thank you thank you ...": a phrase looped within one segment.
        if len(words) >= 8 and len(set(words)) <= max(2, len(words) // 6):
            continue
        out.append(seg)
    return out


def chunks(audio: np.ndarray, *, longest: float = 28.0, shortest: float = 8.0) -> list[tuple[int, int]]:
    """Cut the recording into pieces of at most ``longest`` seconds, at the quietest moment in the
    last stretch of each piece, so no word is cut and speaker turns tend to start a piece."""
    hop = SAMPLE_RATE // 100  # 10 ms
    usable = len(audio) // hop * hop
    energy = np.sqrt(np.mean(np.square(audio[:usable].reshape(-1, hop), dtype=np.float64), axis=1))
    # Smooth over 300 ms: a pause, not a gap between two consonants.
    quiet = np.convolve(energy, np.ones(30) / 30, mode="same")
    out: list[tuple[int, int]] = []
    start = 0
    total = len(audio)
    while total - start > longest * SAMPLE_RATE:
        lo = start // hop + int(shortest * 100)
        hi = start // hop + int(longest * 100)
        cut = (lo + int(np.argmin(quiet[lo:hi]))) * hop
        out.append((start, cut))
        start = cut
    out.append((start, total))
    return out


def transcribe_file(
    source,
    *,
    attendees: int | None = None,
    progress: Callable[[int, str], None] | None = None,
    diarize: bool = True,
    prompt: str | None = None,
) -> dict:
    """``{"segments": [{"start", "end", "speaker", "text"}], "duration", "language"}`` or RecordingError."""
    from residenthub.speech import AudioError, load_audio, transcribe

    report = progress or (lambda pct, stage: None)
    report(5, "Reading the recording")
    try:
        audio = load_audio(source, sample_rate=SAMPLE_RATE)
    except AudioError as exc:
        raise RecordingError(f"The recording could not be read: {exc}") from exc
    if audio is None or len(audio) < SAMPLE_RATE // 2:
        raise RecordingError("The recording is empty or shorter than half a second.")
    duration = len(audio) / SAMPLE_RATE
    if float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) < SILENT_RMS:
        raise RecordingError(
            "The recording is silent: no sound was found in it. Check the microphone was on and upload "
            "the right file."
        )
    report(15, "Transcribing speech (this takes about a quarter of the recording's length)")
    segments: list[dict] = []
    language = ""
    pieces = chunks(audio)
    for n, (a, b) in enumerate(pieces):
        # The attendees' names and the agenda's words as a prompt, on every chunk: Whisper then spells
        # them as the clerk would (a prompt given once would only reach the first 30 seconds).
        transcript = transcribe(audio[a:b], language="en", vad=True, prompt=prompt or None)
        language = language or transcript.language or ""
        offset = a / SAMPLE_RATE
        segments += [
            {
                "start": round(float(s.start) + offset, 2),
                "end": round(float(s.end) + offset, 2),
                "speaker": "",
                "text": s.text.strip(),
                "avg_logprob": float(getattr(s, "avg_logprob", 0.0) or 0.0),
                "no_speech_prob": float(getattr(s, "no_speech_prob", 0.0) or 0.0),
            }
            for s in transcript.segments
        ]
        report(
            15 + int(60 * (n + 1) / len(pieces)),
            f"Transcribed {b / SAMPLE_RATE / 60:.0f} of {duration / 60:.0f} minutes",
        )
    segments = drop_hallucinations(segments)
    if not segments:
        raise RecordingError(
            "No speech was found in the recording. It may be music, noise or silence; check the file."
        )
    if diarize:
        report(75, "Telling speakers apart")
        from residenthub.speech.diarization import assign_speakers

        assign_speakers(audio, segments, sample_rate=SAMPLE_RATE, max_speakers=attendees)
    for seg in segments:
        seg.pop("avg_logprob", None)
        seg.pop("no_speech_prob", None)
    return {"segments": segments, "duration": round(duration, 2), "language": language or "en"}
