"""Audio made on the fly with espeak-ng and ffmpeg (Debian), and the speech engine loaded once."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from residenthub.speech.audio import write_wav
from residenthub.speech.synth import synthesise, telephone

TOOLS = ("ffmpeg", "espeak-ng", "flite", "sox")
STREET_LIGHT = "the street light outside number 4 Riverside Close has been out for a week"


def need_tools() -> None:
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        message = f"missing {missing}: run scripts/install_voice_deps.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True)


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory) -> Path:
    """One spoken sentence in every format we accept, plus awkward files."""
    need_tools()
    folder = tmp_path_factory.mktemp("speech-audio")
    speech = synthesise(STREET_LIGHT, voice="flite:slt")
    write_wav(folder / "speech16k.wav", speech)
    write_wav(folder / "phone8k.wav", telephone(speech), sample_rate=8000)
    ffmpeg(
        "-i", str(folder / "phone8k.wav"), "-ar", "8000", "-acodec", "pcm_mulaw", str(folder / "mulaw.wav")
    )
    ffmpeg("-i", str(folder / "speech16k.wav"), "-b:a", "48k", str(folder / "speech.mp3"))
    ffmpeg("-i", str(folder / "speech16k.wav"), "-c:a", "aac", "-b:a", "48k", str(folder / "speech.m4a"))
    ffmpeg("-i", str(folder / "speech16k.wav"), "-c:a", "libvorbis", str(folder / "speech.ogg"))
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=black:s=64x64:d=5", "-i", str(folder / "speech16k.wav"),
        "-c:v", "libx264", "-c:a", "aac", "-shortest", str(folder / "video.mp4"),
    )  # fmt: skip
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=black:s=64x64:d=1", "-c:v", "libx264", str(folder / "silent_video.mp4")
    )
    write_wav(folder / "silence.wav", np.zeros(16000 * 3, dtype=np.float32))
    rng = np.random.default_rng(7)
    write_wav(folder / "noise.wav", (rng.standard_normal(16000 * 3) * 0.05).astype(np.float32))
    (folder / "notes.txt").write_text("this is not audio\n" * 20)
    (folder / "empty.wav").write_bytes(b"")
    m4a = (folder / "speech.m4a").read_bytes()
    (folder / "truncated.m4a").write_bytes(m4a[: len(m4a) // 3])
    return folder
