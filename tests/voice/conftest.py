"""Loopback telephony for the phone front door tests: Debian's Kamailio as the SIP proxy, pyVoIP
phones as the council's agent and as callers, audio made with flite and the telephone channel."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from residenthub.speech.synth import synthesise, telephone

HERE = Path(__file__).parent


def need(*tools: str) -> None:
    missing = [t for t in tools if not (shutil.which(t) or Path(f"/usr/sbin/{t}").exists())]
    if missing:
        message = f"missing {missing}: run scripts/install_voice_deps.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def caller_audio(text: str, voice: str = "flite:slt", snr_db: float | None = None) -> np.ndarray:
    """What a caller saying ``text`` sounds like at our end of a phone line (8 kHz)."""
    return telephone(synthesise(text, voice=voice), snr_db=snr_db)


@pytest.fixture(scope="session")
def kamailio(tmp_path_factory):
    """A Kamailio registrar/proxy on 127.0.0.1 (no authentication, locations in memory)."""
    need("kamailio", "flite", "ffmpeg")
    port = free_udp_port()
    folder = tmp_path_factory.mktemp("kamailio")
    config = folder / "kamailio.cfg"
    config.write_text((HERE / "kamailio.cfg").read_text().replace("LISTEN_PORT", str(port)))
    binary = shutil.which("kamailio") or "/usr/sbin/kamailio"
    process = subprocess.Popen(
        [binary, "-f", str(config), "-DD", "-E", "-m", "32", "-M", "4", "-P", str(folder / "pid")],
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "log", "w"),  # noqa: SIM115
    )
    time.sleep(0.5)
    if process.poll() is not None:
        pytest.fail(f"kamailio did not start: {(folder / 'log').read_text()[-500:]}")
    yield port
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def warm(django_db_setup, django_db_blocker):
    """Load the speech and triage models once per session, before any call starts its clock."""
    from residenthub.speech import get_engine
    from residenthub.voice.pipeline import understand_text

    with django_db_blocker.unblock():
        get_engine()
        understand_text("my bin was not collected")


@pytest.fixture(autouse=True)
def _forget_streets():
    """Each test reads the gazetteer its own database holds."""
    from residenthub.voice import streets

    streets.forget()
    yield
    streets.forget()
