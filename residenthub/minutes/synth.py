"""Speak a scripted meeting with several synthetic voices (espeak-ng and flite, from Debian).

For tests and the benchmark only: the audio is made on the fly, never committed. Each attendee
gets their own voice; lines are joined with short pauses; room noise can be mixed in.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from .scripted import ScriptedMeeting

RATE = 16000
# (engine, voice, speed words/min for espeak): distinct enough to tell apart, all intelligible.
# VOICES speak the tune scripts (tests, tuning); EVAL_VOICES, none of them the same, the eval scripts.
VOICES = [
    ("espeak", "en-gb", 140),
    ("flite", "slt", 0),
    ("espeak", "en-us+m3", 145),
    ("flite", "rms", 0),
    ("espeak", "en-gb-scotland+f2", 140),
    ("flite", "awb", 0),
    ("espeak", "en-gb-x-rp+m7", 145),
]
# OTHER_VOICES: a third set, neither the tune nor the eval voices (other variants of espeak-ng's English
# accents), for tuning runs that need recognition as hard as the eval voices give without using them
# (benchmarks/minutes.py --voices other; never with --set eval).
OTHER_VOICES = [
    ("espeak", "en-gb-x-gbcwmd+m3", 150),
    ("espeak", "en-029+f3", 145),
    ("espeak", "en-us-nyc+f4", 145),
    ("espeak", "en-gb-x-gbclan+m5", 150),
    ("espeak", "en-gb-scotland+m4", 145),
    ("espeak", "en-us+f5", 150),
    ("espeak", "en-gb+f4", 150),
]
EVAL_VOICES = [
    ("espeak", "en-gb-x-gbclan+f4", 150),
    ("flite", "kal16", 0),
    ("espeak", "en-us-nyc+m2", 140),
    ("espeak", "en-gb-x-gbcwmd+f3", 140),
    ("espeak", "en-029+m4", 145),
    ("flite", "kal", 0),
    ("espeak", "en-gb+m6", 150),
]


class SynthUnavailable(RuntimeError):
    pass


def available() -> bool:
    return all(shutil.which(tool) for tool in ("espeak-ng", "flite", "ffmpeg"))


def _read_wav(path: Path) -> np.ndarray:
    """Any WAV to 16 kHz mono float32, through ffmpeg."""
    out = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(path),
            "-ac",
            "1",
            "-ar",
            str(RATE),
            "-f",
            "f32le",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(out, dtype=np.float32).copy()


def say(text: str, voice: tuple[str, str, int], workdir: Path) -> np.ndarray:
    engine, name, speed = voice
    target = workdir / "line.wav"
    if engine == "espeak":
        cmd = ["espeak-ng", "-v", name, "-s", str(speed), "-w", str(target), text]
    else:
        cmd = ["flite", "-voice", name, "-t", text, "-o", str(target)]
    subprocess.run(cmd, check=True, capture_output=True)  # noqa: S603, S607
    audio = _read_wav(target)
    peak = float(np.abs(audio).max()) or 1.0
    return (audio / peak * 0.6).astype(np.float32)


def speak(
    meeting: ScriptedMeeting,
    *,
    pause: float = 0.6,
    rng: np.random.Generator | None = None,
    voices: list[tuple[str, str, int]] | None = None,
):
    """(audio, truth): truth is [{"start", "end", "speaker", "text"}] per scripted line."""
    if not available():
        raise SynthUnavailable("espeak-ng, flite and ffmpeg are needed (scripts/install_voice_deps.sh)")
    rng = rng or np.random.default_rng(0)
    people = [name for name, *_ in meeting.attendees]
    voices = voices or VOICES
    voice_of = {name: voices[i % len(voices)] for i, name in enumerate(people)}
    pieces: list[np.ndarray] = []
    truth: list[dict] = []
    at = 0
    with tempfile.TemporaryDirectory() as tmp:
        for line in meeting.lines:
            audio = say(line.text, voice_of[line.speaker], Path(tmp))
            gap = np.zeros(int(RATE * (pause + float(rng.uniform(0, 0.4)))), dtype=np.float32)
            truth.append(
                {
                    "start": at / RATE,
                    "end": (at + len(audio)) / RATE,
                    "speaker": line.speaker,
                    "text": line.text,
                }
            )
            pieces += [audio, gap]
            at += len(audio) + len(gap)
    return np.concatenate(pieces), truth


def room_noise(length: int, *, snr_db: float, signal: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pink-ish noise with a low hum, scaled to ``snr_db`` below the speech."""
    white = rng.standard_normal(length).astype(np.float32)
    spectrum = np.fft.rfft(white)
    freqs = np.fft.rfftfreq(length, 1 / RATE)
    spectrum /= np.sqrt(np.maximum(freqs, 20.0))
    noise = np.fft.irfft(spectrum, length).astype(np.float32)
    noise += 0.3 * np.sin(2 * np.pi * 50 * np.arange(length) / RATE).astype(np.float32) * noise.std()
    speech_power = (
        float(np.mean(signal[np.abs(signal) > 0.01] ** 2)) if np.any(np.abs(signal) > 0.01) else 1e-4
    )
    noise *= np.sqrt(speech_power / (10 ** (snr_db / 10)) / float(np.mean(noise**2)))
    return noise


def with_noise(audio: np.ndarray, snr_db: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(audio + room_noise(len(audio), snr_db=snr_db, signal=audio, rng=rng), -1, 1).astype(
        np.float32
    )


def write_wav(path: Path, audio: np.ndarray) -> None:
    import wave

    pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm)
