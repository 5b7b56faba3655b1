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


def drop_quiet(segments: list[dict], audio: np.ndarray) -> list[dict]:
    """Drop text over near-silence: a segment far quieter than the meeting's speech (under a tenth
    of the median segment's loudness, or under -54 dBFS) is the model inventing words."""
    if not segments:
        return segments
    loudness = []
    for seg in segments:
        part = audio[int(seg["start"] * SAMPLE_RATE) : int(seg["end"] * SAMPLE_RATE)]
        loudness.append(float(np.sqrt(np.mean(np.square(part, dtype=np.float64)))) if len(part) else 0.0)
    floor = max(2 * SILENT_RMS, 0.1 * float(np.median(loudness)))
    return [seg for seg, level in zip(segments, loudness, strict=True) if level >= floor]


# Whisper sometimes emits, for a 30-second window, only its last sentence with a segment spanning the
# whole window: the speech before it is silently lost (seen on the benchmark's tune meetings: 40
# words of a resolution gone). Real speech runs at 2-3 words a second; a long segment with far fewer
# words is decoded again on its own, and the longer reading is kept.
SKIP_MIN_SECONDS = 8.0
# 1.8, not 1.0 (ADR 0164): Whisper's times drift, so a window whose first sentences were skipped can
# still show 1.6 words a second (tune meeting 0: 23 words of an officer's report gone). A new
# reading is kept only when it has SKIP_MIN_GAIN more words than the old one, after dropping words
# it repeats from the start of the next segment (re-reading a drifted span reads those again).
SKIP_WORDS_PER_SECOND = 1.8
SKIP_MIN_GAIN = 5


def _speech_rms(part: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(part, dtype=np.float64)))) if len(part) else 0.0


# The other form of the same skip: the segment's times are squeezed and the speech Whisper skipped
# is left as a gap with no segment (tune meeting 6: a resolution and an item call, 24 seconds, gone).
# A gap after a segment holding this much speech (silero VAD, as faster-whisper uses) counts as part
# of that segment's span, so the words-per-second test above finds it. Silence and room noise hold
# no VAD speech, so nothing is decoded again over them (the hallucination test keeps holding).
SKIP_GAP_SPEECH_SECONDS = 3.0


def speech_seconds(part: np.ndarray) -> float:
    """Seconds of speech in ``part`` by silero VAD (0.0 for near-silence, without running it)."""
    if len(part) < SAMPLE_RATE or _speech_rms(part) < 2 * SILENT_RMS:
        return 0.0
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    stamps = get_speech_timestamps(part, VadOptions(min_silence_duration_ms=500))
    return sum(s["end"] - s["start"] for s in stamps) / SAMPLE_RATE


def _reach(
    segments: list[dict], index: int, audio: np.ndarray, speech: Callable[[np.ndarray], float]
) -> float:
    """Where segment ``index``'s span ends: its end, or the next segment's start when the gap
    between them holds speech no segment has."""
    seg = segments[index]
    until = segments[index + 1]["start"] if index + 1 < len(segments) else len(audio) / SAMPLE_RATE
    if until - seg["end"] < SKIP_GAP_SPEECH_SECONDS:
        return seg["end"]
    gap = audio[int(seg["end"] * SAMPLE_RATE) : int(until * SAMPLE_RATE)]
    return until if speech(gap) >= SKIP_GAP_SPEECH_SECONDS else seg["end"]


def _trim_repeat(again: list[dict], following: str, most: int = 8) -> None:
    """Drop from the end of ``again`` the words (2 to ``most``) that the next segment starts with:
    "... I will hand over to Grace Mensah." read again before "over to Grace Mensah." """
    tail = again[-1]["text"].split()
    head = [_norm(w) for w in following.split()[:most]]
    for k in range(min(most, len(tail), len(head)), 1, -1):
        if [_norm(w) for w in tail[-k:]] == head[:k]:
            again[-1]["text"] = " ".join(tail[:-k])
            if not again[-1]["text"]:
                again.pop()
            return


def repair_skips(
    segments: list[dict],
    audio: np.ndarray,
    decode: Callable[[np.ndarray], list],
    speech: Callable[[np.ndarray], float] = speech_seconds,
) -> list[dict]:
    """Re-decode segments too long for their words (see above); ``decode`` gives Segment-likes with
    times relative to the slice it was given; ``speech`` the seconds of speech in a gap."""
    out: list[dict] = []
    for index, seg in enumerate(segments):
        reach = _reach(segments, index, audio, speech)
        span = reach - seg["start"]
        words = len(seg["text"].split())
        if span < SKIP_MIN_SECONDS or words / span >= SKIP_WORDS_PER_SECOND:
            out.append(seg)
            continue
        part = audio[int(seg["start"] * SAMPLE_RATE) : int(reach * SAMPLE_RATE)]
        if _speech_rms(part) < 2 * SILENT_RMS:
            out.append(seg)
            continue
        # Decoding the same window again gives the same skip: read it as two halves, cut at the
        # quietest moment near the middle (a pause between sentences).
        frame = SAMPLE_RATE // 5
        levels = [_speech_rms(part[i : i + frame]) for i in range(0, len(part) - frame, frame)]
        middle = range(len(levels) * 3 // 10, max(len(levels) * 7 // 10, len(levels) * 3 // 10 + 1))
        cut = (min(middle, key=lambda i: levels[i]) if levels else 0) * frame + frame // 2
        again = []
        for offset, piece in ((0, part[:cut]), (cut, part[cut:])):
            if len(piece) < SAMPLE_RATE:
                continue
            again += [
                {
                    "start": round(seg["start"] + (offset + float(p.start) * SAMPLE_RATE) / SAMPLE_RATE, 2),
                    "end": round(seg["start"] + (offset + float(p.end) * SAMPLE_RATE) / SAMPLE_RATE, 2),
                    "speaker": "",
                    "text": p.text.strip(),
                    "avg_logprob": float(getattr(p, "avg_logprob", 0.0) or 0.0),
                    "no_speech_prob": float(getattr(p, "no_speech_prob", 0.0) or 0.0),
                }
                for p in decode(piece)
                if p.text.strip()
            ]
        if again and index + 1 < len(segments):
            _trim_repeat(again, segments[index + 1]["text"])
        if sum(len(p["text"].split()) for p in again) >= words + SKIP_MIN_GAIN:
            out.extend(again)
        else:
            out.append(seg)
    return out


# Each 30-second window is decoded with the text of the one before as its prompt. The speech
# component turns this off (a loop cannot feed on itself); for whole meetings it was measured better
# on the tune set (ADR 0142: WER 0.100 against 0.134, decisions and actions recall 0.96 and 0.96
# against 0.93 and 0.96), and the loops it risks are what drop_hallucinations and drop_quiet remove
# (no text in ten minutes of inserted silence, benchmarks/minutes.py).
CONDITION_ON_PREVIOUS_TEXT = True

# Minutes are decoded with beam search (5 hypotheses), not the speech component's greedy default
# (SPEECH_BEAM_SIZE=1, kept for the phone line, where every 0.2 s of reply time counts). A meeting
# is transcribed after the upload, and the real-time factor had room (0.153 against 0.5 allowed):
# on the tune meetings WER 0.101 against 0.111 clean, 0.266 against 0.333 with room noise, and with
# noise decisions recall 0.67 against 0.50 (ADR 0154).
BEAM_SIZE = 5

# Silero VAD as the speech component uses it (``vad_<name>`` in ``decode``'s options overrides one).
VAD_PARAMETERS = {"min_silence_duration_ms": 500, "speech_pad_ms": 200}
# Further faster-whisper decode options for minutes (none: its defaults); see ADR 0167 for what was
# measured on the tune meetings.
DECODE_OPTIONS: dict = {}


def decode(
    samples: np.ndarray,
    *,
    prompt: str | None = None,
    hotwords: str | None = None,
    beam_size: int | None = None,
    condition: bool = False,
    options: dict | None = None,
):
    """Speech to text through the shared engine; with the local engine, ``hotwords`` (the attendance
    and agenda) bias every 30-second window towards the meeting's names and terms (ADR 0104): on a
    tune meeting, WER 0.091 against 0.130 without, and a 30-second window whose speech Whisper had
    skipped was read. Other engines get the plain call. ``beam_size`` (None: the engine's;
    ``transcribe_file`` passes ``BEAM_SIZE``) and ``condition`` (condition each window on the text
    before it); ``options`` other faster-whisper decode options over ``DECODE_OPTIONS``
    (benchmarks/minutes_decode.py compares them)."""
    from residenthub.speech import engine as speech_engine
    from residenthub.speech import guards
    from residenthub.speech.types import Segment, Transcript

    engine = speech_engine.get_engine()
    if beam_size is not None and beam_size < 1:
        raise ValueError(f"beam_size must be 1 or more, not {beam_size}")
    if not isinstance(engine, speech_engine.LocalWhisper) or (
        not hotwords and beam_size is None and not condition
    ):
        return speech_engine.transcribe(samples, language="en", vad=True, prompt=prompt or None)
    duration = len(samples) / SAMPLE_RATE
    if guards.is_silent(samples):
        return Transcript([], "en", 0.0, duration, ["silence"])
    # The engine's own call, plus hotwords (the speech component's call has no such option yet).
    call = {
        "language": "en",
        "beam_size": beam_size or engine.beam_size,
        "vad_filter": True,
        "vad_parameters": dict(VAD_PARAMETERS),
        "condition_on_previous_text": condition,
        "initial_prompt": prompt or None,
        "hotwords": hotwords or None,
    }
    for key, value in {**DECODE_OPTIONS, **(options or {})}.items():
        if key.startswith("vad_") and key != "vad_filter":
            call["vad_parameters"][key.removeprefix("vad_")] = value
        else:
            call[key] = value
    with engine._lock:
        pieces, info = engine.model.transcribe(samples, **call)
        segments = [Segment(p.start, p.end, p.text.strip(), p.avg_logprob, p.no_speech_prob) for p in pieces]
    return guards.clean(Transcript(segments, info.language, float(info.language_probability), duration))


# The words minutes are built on ("resolved" came out as "revolved"), as extra hotwords: measured on
# the tune set and NOT taken (ADR 0142: WER 0.138 against 0.134; 0.165 against 0.100 when each
# window is conditioned on the one before). Kept for benchmarks/minutes.py --vocabulary.
MINUTES_VOCABULARY = "Resolved, abstentions, action, apologies, declarations of interest."


def hotwords_for(names: list[str], titles: list[str], *, vocabulary: bool = False) -> str:
    """The hotwords for a meeting: who is on the attendance list and what is on the agenda (and,
    with ``vocabulary``, the words of minutes themselves)."""
    text = ", ".join(n for n in names if n) + (". " if names else "") + ", ".join(t for t in titles if t)
    if vocabulary:
        text = MINUTES_VOCABULARY + " " + text
    return " ".join(text.split()[-80:] if vocabulary else text.split()[:80])  # room: about 220 tokens


def transcribe_file(
    source,
    *,
    attendees: int | None = None,
    progress: Callable[[int, str], None] | None = None,
    diarize: bool = True,
    prompt: str | None = None,
    hotwords: str | None = None,
    beam_size: int | None = BEAM_SIZE,
    condition: bool = CONDITION_ON_PREVIOUS_TEXT,
    decode_options: dict | None = None,
) -> dict:
    """``{"segments": [{"start", "end", "speaker", "text"}], "duration", "language"}`` or RecordingError."""
    from residenthub.speech import AudioError, load_audio

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
    # One pass over the whole recording, no prompt: measured better than 28-second chunks each
    # prompted with the attendance and agenda (WER 0.142 against 0.173, and twice as fast; ADR 0101).
    options = {
        "prompt": prompt,
        "hotwords": hotwords,
        "beam_size": beam_size,
        "condition": condition,
        "options": decode_options,
    }
    transcript = decode(audio, **options)
    language = transcript.language or ""
    segments = [
        {
            "start": round(float(s.start), 2),
            "end": round(float(s.end), 2),
            "speaker": "",
            "text": s.text.strip(),
            "avg_logprob": float(getattr(s, "avg_logprob", 0.0) or 0.0),
            "no_speech_prob": float(getattr(s, "no_speech_prob", 0.0) or 0.0),
        }
        for s in transcript.segments
    ]
    segments = repair_skips(
        segments,
        audio,
        lambda part: decode(part, **options).segments,
    )
    segments = drop_hallucinations(drop_quiet(segments, audio))
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
