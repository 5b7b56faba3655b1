"""load_audio: every format we promise, and a clear error for everything else."""

from __future__ import annotations

import numpy as np
import pytest

from residenthub.speech import AudioError, load_audio
from residenthub.speech.engine import as_samples


@pytest.mark.parametrize(
    "name",
    ["speech16k.wav", "phone8k.wav", "mulaw.wav", "speech.mp3", "speech.m4a", "speech.ogg", "video.mp4"],
)
def test_formats_decode_to_16k_mono_float(audio_dir, name):
    samples = load_audio(audio_dir / name)
    assert samples.dtype == np.float32 and samples.ndim == 1
    seconds = len(samples) / 16000
    assert 3.0 < seconds < 7.0, seconds  # the sentence is about four and a half seconds
    assert 0.01 < float(np.abs(samples).max()) <= 1.0


def test_bytes_and_other_rates(audio_dir):
    from_bytes = load_audio((audio_dir / "mulaw.wav").read_bytes(), sample_rate=8000)
    from_file = load_audio(audio_dir / "mulaw.wav", sample_rate=8000)
    assert np.array_equal(from_bytes, from_file)
    assert (
        abs(
            len(load_audio(audio_dir / "speech.mp3", sample_rate=8000)) * 2
            - len(load_audio(audio_dir / "speech.mp3"))
        )
        < 400
    )


def test_max_seconds_cuts(audio_dir):
    assert len(load_audio(audio_dir / "speech16k.wav", max_seconds=1.5)) == 24000


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("notes.txt", "is not a recognised audio format"),
        ("empty.wav", "is empty (0 bytes)"),
        ("silent_video.mp4", "has no audio track"),
        ("truncated.m4a", "incomplete or damaged"),
        ("missing.wav", "does not exist"),
    ],
)
def test_bad_files_say_why(audio_dir, name, message):
    with pytest.raises(AudioError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_audio(audio_dir / name)


def test_bad_bytes_and_arguments(audio_dir):
    with pytest.raises(AudioError, match=r"empty \(0 bytes\)"):
        load_audio(b"")
    with pytest.raises(AudioError, match="not a recognised audio format"):
        load_audio(b"\x13\x37 not audio at all " * 40)
    with pytest.raises(AudioError, match="is a folder"):
        load_audio(audio_dir)
    with pytest.raises(AudioError, match="sample_rate"):
        load_audio(audio_dir / "speech.mp3", sample_rate=10)
    with pytest.raises(AudioError, match="file path or bytes"):
        load_audio(12345)  # type: ignore[arg-type]


def test_arrays_are_checked():
    assert as_samples(np.array([0, 16384], dtype=np.int16)).tolist() == [0.0, 0.5]
    with pytest.raises(AudioError, match="one channel"):
        as_samples(np.zeros((2, 100), dtype=np.float32))
    with pytest.raises(AudioError, match="no samples"):
        as_samples(np.zeros(0, dtype=np.float32))
    with pytest.raises(AudioError, match="NaN"):
        as_samples(np.array([0.0, np.nan], dtype=np.float32))
    with pytest.raises(AudioError, match="float32 or int16"):
        as_samples(np.array(["a"]))


def test_synthesised_wav_is_read_without_ffmpeg(tmp_path):
    """flite's own WAV read directly matches ffmpeg's reading of it (the reply's time counts)."""
    import shutil
    import subprocess

    from residenthub.speech.synth import _read_wav

    if not shutil.which("flite"):
        pytest.skip("flite is not installed")
    path = tmp_path / "x.wav"
    subprocess.run(["flite", "-voice", "slt", "-t", "is that right", "-o", str(path)], check=True)  # noqa: S607
    ours, theirs = _read_wav(path, 8000), load_audio(path, sample_rate=8000)
    assert abs(len(ours) - len(theirs)) <= 1
    n = min(len(ours), len(theirs))
    assert float(np.corrcoef(ours[:n], theirs[:n])[0, 1]) > 0.99
