"""Speech synthesis with Debian's espeak-ng and flite, and a telephone-line simulation.

The phone front door speaks its prompts with these (a council may record WAV prompts instead),
and the tests and benchmark make callers' audio with them: 8 kHz, 300-3400 Hz, mu-law, with
optional background noise, which is what a PSTN call sounds like by the time it reaches us.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

from .audio import AudioError, load_audio

ESPEAK_VOICES = ("en-gb", "en-gb-x-rp+f2", "en-us+m3", "en-gb-scotland+f3", "en-gb-x-gbclan", "en-029")
FLITE_VOICES = ("slt", "kal", "awb", "rms")


class SynthesisError(RuntimeError):
    pass


def synthesise(text: str, *, voice: str = "en-gb", rate: int = 160, sample_rate: int = 16000) -> np.ndarray:
    """Speak ``text``. ``voice`` is an espeak-ng voice (``en-gb``, ``en-us+f2``...) or ``flite:NAME``."""
    if not text.strip():
        raise SynthesisError("Nothing to say")
    with tempfile.TemporaryDirectory(prefix="synth-") as folder:
        out = Path(folder) / "speech.wav"
        if voice.startswith("flite:"):
            binary, command = "flite", ["flite", "-voice", voice.split(":", 1)[1], "-t", text, "-o", str(out)]
        else:
            binary, command = "espeak-ng", ["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(out), text]
        if not shutil.which(binary):
            raise SynthesisError(f"{binary} is not installed (apt-get install {binary})")
        done = subprocess.run(command, capture_output=True, timeout=60, check=False)  # noqa: S603
        if done.returncode != 0 or not out.exists():
            raise SynthesisError(f"{binary} failed: {done.stderr.decode('utf-8', 'replace')[:200]}")
        try:
            return _read_wav(out, sample_rate)
        except (wave.Error, EOFError, ValueError):
            pass  # not plain 16-bit PCM: let ffmpeg read it
        try:
            return load_audio(out, sample_rate=sample_rate)
        except AudioError as exc:
            raise SynthesisError(str(exc)) from exc


def _read_wav(path: Path, sample_rate: int) -> np.ndarray:
    """flite's and espeak-ng's own 16-bit mono WAV, read without starting ffmpeg (a reply's audio is
    on the caller's clock: an ffmpeg start-up costs 0.1-0.5 s on a busy machine)."""
    with wave.open(str(path), "rb") as handle:
        if handle.getsampwidth() != 2 or handle.getnchannels() != 1:
            raise ValueError("not 16-bit mono")
        rate = handle.getframerate()
        pcm = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2")
    samples = pcm.astype(np.float32) / 32768.0
    if samples.size == 0:
        raise ValueError("empty")
    return resample(samples, rate, sample_rate)


def telephone(samples: np.ndarray, *, sample_rate: int = 16000, snr_db: float | None = None, seed: int = 0):
    """The same speech as heard down a phone line: band-limited 300-3400 Hz, 8 kHz, mu-law; with
    ``snr_db``, mixed with street-like noise (pink noise plus a little babble-like hum) first.

    Returns 8 kHz float32 samples (what the SIP agent and the webhook receive)."""
    rng = np.random.default_rng(seed)
    audio = samples.astype(np.float64)
    if snr_db is not None:
        white = rng.standard_normal(len(audio))
        spectrum = np.fft.rfft(white)
        freqs = np.fft.rfftfreq(len(audio), 1 / sample_rate)
        spectrum[1:] /= np.sqrt(freqs[1:])  # pink: equal energy per octave, like traffic
        noise = np.fft.irfft(spectrum, len(audio))
        t = np.arange(len(audio)) / sample_rate
        noise += 0.3 * np.sin(2 * np.pi * 50 * t) * np.std(noise)  # mains hum
        speech_power = np.mean(audio[np.abs(audio) > 0.01] ** 2) if np.any(np.abs(audio) > 0.01) else 1e-6
        noise *= np.sqrt(speech_power / (np.mean(noise**2) * 10 ** (snr_db / 10)))
        audio = audio + noise
    # Band-limit and resample with an FFT brick-wall (no extra dependency), then mu-law round trip.
    spectrum = np.fft.rfft(audio)
    freqs = np.fft.rfftfreq(len(audio), 1 / sample_rate)
    spectrum[(freqs < 300) | (freqs > 3400)] = 0
    n8 = int(len(audio) * 8000 / sample_rate)
    narrow = np.fft.irfft(spectrum[: n8 // 2 + 1], n8) * (n8 / len(audio))
    peak = np.max(np.abs(narrow)) or 1.0
    if peak > 1.0:
        narrow = narrow / peak
    return mulaw_decode(mulaw_encode(narrow.astype(np.float32)))


def mulaw_encode(samples: np.ndarray) -> np.ndarray:
    """G.711 mu-law bytes (uint8) from float samples in [-1, 1]."""
    pcm = np.clip(samples, -1, 1) * 32767
    sign = (pcm < 0).astype(np.int32)
    magnitude = np.minimum(np.abs(pcm).astype(np.int32), 32635) + 0x84
    exponent = np.floor(np.log2(magnitude)).astype(np.int32) - 7
    exponent = np.clip(exponent, 0, 7)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return (~((sign << 7) | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8)


def mulaw_decode(data: np.ndarray | bytes) -> np.ndarray:
    """Float samples from G.711 mu-law bytes."""
    codes = ~np.frombuffer(bytes(data), dtype=np.uint8).astype(np.int32) & 0xFF
    sign = codes & 0x80
    exponent = (codes >> 4) & 0x07
    mantissa = codes & 0x0F
    magnitude = ((mantissa << 3) + 0x84) << exponent
    pcm = np.where(sign, 0x84 - magnitude, magnitude - 0x84)
    return (pcm / 32768.0).astype(np.float32)


def resample(samples: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """Band-limited resampling by FFT (fine for prompts and whole utterances)."""
    if source_rate == target_rate or samples.size == 0:
        return samples.astype(np.float32)
    n = int(round(len(samples) * target_rate / source_rate))
    spectrum = np.fft.rfft(samples.astype(np.float64))
    keep = min(len(spectrum), n // 2 + 1)
    out = np.zeros(n // 2 + 1, dtype=complex)
    out[:keep] = spectrum[:keep]
    return (np.fft.irfft(out, n) * (n / len(samples))).astype(np.float32)
