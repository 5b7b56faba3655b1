"""Compare faster-whisper decode options for the minutes on the TUNE meetings only.

    flock /tmp/bench.lock .venv/bin/python benchmarks/minutes_decode.py \\
        --meetings 0,1,2 --noisy 0 --variant base= --variant rp=repetition_penalty=1.1

Each ``--variant NAME=key=value;key=value`` decodes the same synthesised tune meetings (clean, and
those in ``--noisy`` again with room noise at 10 dB) through ``transcription.transcribe_file`` as
the app does (hotwords from the attendance and agenda, beam and conditioning as shipped), plus its
options; values are read as JSON ("1.1", "3", "null"); ``vad_threshold=0.4`` sets one VAD
parameter. Prints word errors / words, clean and noisy, and the wall-clock real-time factor of the
recognition alone. ``--silence`` also runs the benchmark's ten-minute inserted-silence test per
variant. Speakers and drafting are not run: this answers one question, does an option lower WER.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residenthub.settings")


def parse_variant(text: str) -> tuple[str, dict]:
    name, _, rest = text.partition("=")
    options = {}
    for part in filter(None, rest.split(";")):
        key, _, value = part.partition("=")
        options[key.strip()] = json.loads(value)
    return name, options


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--meetings", default="0,1,2", help="tune meeting numbers (seeds 100+n)")
    parser.add_argument("--noisy", default="0", help="of those, also with room noise")
    parser.add_argument("--variant", action="append", required=True, help="NAME=key=value;key=value")
    parser.add_argument("--silence", action="store_true", help="the inserted-silence test per variant")
    args = parser.parse_args()
    import django

    django.setup()
    import minutes as bench
    import numpy as np

    from residenthub.minutes import scripted, synth
    from residenthub.minutes.transcription import hotwords_for, transcribe_file

    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / "hub-minutes-decode"
    workdir.mkdir(parents=True, exist_ok=True)
    meetings = [int(x) for x in args.meetings.split(",") if x.strip()]
    noisy = {int(x) for x in args.noisy.split(",") if x.strip()}
    files = []  # (kind, path, reference words, hotwords, seconds)
    for n in meetings:
        script = scripted.meeting(100 + n, items=4, questions=2, variant="tune")
        audio, truth = synth.speak(script, rng=np.random.default_rng(n), voices=synth.VOICES)
        ref = bench.words(" ".join(t["text"] for t in truth))
        hot = hotwords_for([a[0] for a in script.attendees], script.agenda)
        path = workdir / f"meeting{n}.wav"
        synth.write_wav(path, audio)
        files.append(("clean", path, ref, hot, len(audio) / 16000))
        if n in noisy:
            path = workdir / f"meeting{n}-noisy.wav"
            synth.write_wav(path, synth.with_noise(audio, 10.0, seed=n))
            files.append(("noisy", path, ref, hot, len(audio) / 16000))
    print(f"load at the start {os.getloadavg()}", flush=True)
    for text in args.variant:
        name, options = parse_variant(text)
        got = {"clean": [0, 0], "noisy": [0, 0]}
        seconds = audio_seconds = 0.0
        for kind, path, ref, hot, duration in files:
            t0 = time.perf_counter()
            result = transcribe_file(str(path), diarize=False, hotwords=hot, decode_options=options)
            if kind == "clean":
                seconds += time.perf_counter() - t0
                audio_seconds += duration
            hyp = bench.words(" ".join(s["text"] for s in result["segments"]))
            got[kind][0] += bench.word_errors(ref, hyp)
            got[kind][1] += len(ref)
        line = (
            f"{name} {options}: clean {got['clean'][0]}/{got['clean'][1]} "
            f"{got['clean'][0] / max(got['clean'][1], 1):.4f}"
        )
        if got["noisy"][1]:
            line += f"; noisy {got['noisy'][0]}/{got['noisy'][1]} {got['noisy'][0] / got['noisy'][1]:.4f}"
        line += f"; rtf {seconds / audio_seconds:.3f} (load {os.getloadavg()[0]:.1f})"
        if args.silence:
            from residenthub.minutes import transcription

            saved = dict(transcription.DECODE_OPTIONS)
            transcription.DECODE_OPTIONS.update(options)
            try:
                ns = argparse.Namespace(
                    set="tune",
                    silence_minutes=10.0,
                    vocabulary=False,
                    beam=transcription.BEAM_SIZE,
                    condition="on",
                )
                inside, repeats = bench.silence_test(ns, scripted, synth, synth.VOICES, 100, workdir)
            finally:
                transcription.DECODE_OPTIONS.clear()
                transcription.DECODE_OPTIONS.update(saved)
            line += f"; silence {len(inside)} inside / {repeats} repeats"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
