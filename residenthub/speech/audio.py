"""Decode any audio a caller or a clerk sends into 16 kHz mono float32, with Debian's ffmpeg.

ffmpeg reads WAV (PCM, 8 kHz mu-law and A-law), MP3, M4A/AAC, OGG/Opus/Vorbis, FLAC and the audio
track of MP4 files. Bytes are written to a temporary file rather than piped, because MP4/M4A files
often keep their index at the end, which ffmpeg cannot reach on a pipe.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

FFMPEG_TIMEOUT = 600  # seconds: a three-hour meeting decodes in well under a minute


class AudioError(ValueError):
    """The input is not audio we can use; the message says why, in words a person can act on."""


def _ffmpeg() -> str:
    path = shutil.which("ffmpeg")
    if not path:
        raise AudioError("ffmpeg is not installed, so audio cannot be decoded (apt-get install ffmpeg).")
    return path


def _explain(stderr: str, name: str) -> str:
    text = stderr.lower()
    if "does not contain any stream" in text or "matches no streams" in text:
        return f"{name} has no audio track."
    if "moov atom not found" in text:
        return f"{name} is an incomplete or damaged MP4/M4A file."
    if "invalid data found" in text or "could not find codec parameters" in text:
        return f"{name} is not a recognised audio format (send WAV, MP3, M4A, OGG or MP4 audio)."
    if "no such file" in text:
        return f"{name} does not exist."
    return f"{name} could not be decoded as audio."


def _decode(path: Path, name: str, sample_rate: int, max_seconds: float | None) -> np.ndarray:
    command = [_ffmpeg(), "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(path)]
    if max_seconds:
        command += ["-t", str(max_seconds)]
    command += ["-vn", "-map", "0:a:0", "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1"]
    command += ["-ar", str(sample_rate), "pipe:1"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=FFMPEG_TIMEOUT, check=False)  # noqa: S603
    except subprocess.TimeoutExpired as exc:
        raise AudioError(f"{name} took too long to decode.") from exc
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        raise AudioError(_explain(stderr, name))
    if len(done.stdout) < 2:
        if "invalid data" in stderr.lower() or "error" in stderr.lower():
            raise AudioError(_explain(stderr, name))
        raise AudioError(f"{name} contains no audio samples.")
    samples = np.frombuffer(done.stdout[: len(done.stdout) // 2 * 2], dtype=np.int16)
    return samples.astype(np.float32) / 32768.0


def load_audio(
    source: str | Path | bytes,
    *,
    sample_rate: int = 16000,
    max_seconds: float | None = None,
) -> np.ndarray:
    """Mono float32 samples in [-1, 1] at ``sample_rate``; ``AudioError`` for anything unusable.

    ``max_seconds`` stops decoding there (a very long call is cut rather than read whole).
    """
    if sample_rate < 1000 or sample_rate > 192000:
        raise AudioError(f"sample_rate must be between 1000 and 192000 Hz, not {sample_rate}.")
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if not data:
            raise AudioError("The audio is empty (0 bytes).")
        with tempfile.NamedTemporaryFile(prefix="speech-", suffix=".audio") as handle:
            handle.write(data)
            handle.flush()
            return _decode(Path(handle.name), "The audio", sample_rate, max_seconds)
    if not isinstance(source, str | Path):
        raise AudioError(f"Audio must be a file path or bytes, not {type(source).__name__}.")
    path = Path(source)
    name = f"The file {path.name!r}"
    if not path.exists():
        raise AudioError(f"{name} does not exist.")
    if path.is_dir():
        raise AudioError(f"{name} is a folder, not an audio file.")
    if path.stat().st_size == 0:
        raise AudioError(f"{name} is empty (0 bytes).")
    return _decode(path, name, sample_rate, max_seconds)


def pcm16_bytes(samples: np.ndarray) -> bytes:
    """Float samples back to 16-bit little-endian PCM (for WAV files and RTP)."""
    clipped = np.clip(samples, -1.0, 1.0)
    return (clipped * 32767.0).astype("<i2").tobytes()


def write_wav(path: str | Path, samples: np.ndarray, sample_rate: int = 16000) -> None:
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm16_bytes(samples))
