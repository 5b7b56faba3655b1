"""Phone front door benchmark: speech recognition, routing and urgency from telephone audio.

Run it with the project's virtualenv (``make bench`` does this)::

    .venv/bin/python benchmarks/voice.py [--routing 30] [--urgent 30] [--no-record]

Audio: each sentence is spoken by one of seven synthetic voices (espeak-ng en-gb, en-us,
en-gb-x-rp; flite slt, kal, awb, rms; Debian packages), then passed through a telephone channel
(300-3400 Hz, 8 kHz, G.711 mu-law), once clean and once with pink street noise and mains hum at
10 dB SNR (``residenthub/speech/synth.py``). The sentences come from sources we did not write:
residents' reports from Bengaluru, Boston and Hoboken (``residenthub/triage/data/real/eval.csv``,
labelled with our services) and real messages annotated for a vulnerable or endangered person
(``vulnerability.csv``, its ``test`` half); see SOURCES.md there. Urgent calls also include the
project's own urgent test sentences (``triage/data/test.csv``), marked as such.

Compared in the same run: the baseline (Whisper tiny.en, no phone-channel treatment) and the
shipped configuration (Whisper base with the council-services prompt). Figures: word error rate,
routing accuracy from speech against routing the same sentences typed, urgent recall from speech,
and the time from the end of the caller's speech to the reply starting for ~10-second utterances
(end-pointing wait + speech to text + triage + the reply's synthesis), on the configured threads.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import random
import re
import shlex
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS_FILE = REPO / "docs" / "benchmarks.md"
DATA = REPO / "residenthub" / "triage" / "data"
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residenthub.settings")
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from residenthub.speech import guards  # noqa: E402
from residenthub.speech.engine import LocalWhisper  # noqa: E402
from residenthub.speech.synth import resample, synthesise, telephone  # noqa: E402
from residenthub.voice.pipeline import PROMPT, tidy, understand_text  # noqa: E402

VOICES = ("en-gb", "flite:slt", "en-us", "flite:kal", "en-gb-x-rp", "flite:awb", "flite:rms")
END_POINTING = 0.7  # seconds of quiet the SIP agent waits for (residenthub/voice/sip.py END_SILENCE)


def words(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    text = re.sub(r"(\d)", r" \1 ", text)
    return re.sub(r"[^a-z0-9' ]", " ", text).split()


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[:], i
        for j, h in enumerate(hyp, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (r != h))
    return row[-1]


def short(text: str) -> bool:
    return 4 <= len(text.split()) <= 22 and text.isascii()


def load_sets(n_routing: int, n_urgent: int, seed: int = 7):
    rng = random.Random(seed)
    with (DATA / "real" / "eval.csv").open(encoding="utf-8") as handle:
        routed = [r for r in csv.DictReader(handle) if r["service_code"] and short(r["text"])]
    with (DATA / "real" / "vulnerability.csv").open(encoding="utf-8") as handle:
        vulnerable = [
            r
            for r in csv.DictReader(handle)
            if r["vulnerable"] == "1" and r["split"] == "test" and short(r["text"])
        ]
    with (DATA / "test.csv").open(encoding="utf-8") as handle:
        ours = [r for r in csv.DictReader(handle) if r["flags"] and short(r["text"])]
    rng.shuffle(routed)
    rng.shuffle(vulnerable)
    rng.shuffle(ours)
    half = n_urgent // 2
    urgent = [(r["text"], "real") for r in vulnerable[:half]] + [
        (r["text"], "ours") for r in ours[: n_urgent - half]
    ]
    return routed[:n_routing], urgent


def speak(items, snr_db):
    out = []
    for i, text in enumerate(items):
        voice = VOICES[i % len(VOICES)]
        clean = synthesise(text, voice=voice, rate=160)
        out.append(resample(telephone(clean, snr_db=snr_db, seed=i), 8000, 16000))
    return out


def run(engine: LocalWhisper, audio: list[np.ndarray], prompt: str | None):
    texts, seconds = [], 0.0
    for samples in audio:
        started = time.perf_counter()
        heard = guards.clean(engine.transcribe(samples, language="en", vad=True, prompt=prompt))
        seconds += time.perf_counter() - started
        texts.append(heard.text)
    return texts, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--routing", type=int, default=30)
    parser.add_argument("--urgent", type=int, default=30)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_catalogue", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    routed, urgent = load_sets(args.routing, args.urgent)
    route_texts = [r["text"] for r in routed]
    urgent_texts = [t for t, _s in urgent]
    all_texts = route_texts + urgent_texts
    print(f"{len(route_texts)} routing sentences, {len(urgent_texts)} urgent; synthesising...", flush=True)
    audio = {"clean": speak(all_texts, None), "noisy": speak(all_texts, 10.0)}
    seconds_of_audio = sum(len(a) for a in audio["clean"]) / 16000

    from django.conf import settings

    folder = Path(settings.SPEECH_MODEL_DIR)
    configs = {
        "baseline: tiny.en, no treatment": (
            LocalWhisper("tiny.en", threads=2, compute_type="int8", beam_size=1, model_dir=folder),
            None,
        ),
        "shipped: base + council prompt": (
            LocalWhisper("base", threads=2, compute_type="int8", beam_size=1, model_dir=folder),
            PROMPT,
        ),
    }
    text_routes = [understand_text(t).service_code for t in route_texts]
    text_route_acc = sum(a == r["service_code"] for a, r in zip(text_routes, routed, strict=True)) / len(
        routed
    )
    text_urgent = sum(understand_text(t).urgent for t in urgent_texts) / len(urgent_texts)
    results = {}
    for name, (engine, prompt) in configs.items():
        for condition in ("clean", "noisy"):
            hyps, secs = run(engine, audio[condition], prompt)
            errors = sum(edit_distance(words(r), words(h)) for r, h in zip(all_texts, hyps, strict=True))
            total = sum(len(words(r)) for r in all_texts)
            routes = [understand_text(tidy(h)).service_code for h in hyps[: len(route_texts)]]
            acc = sum(a == r["service_code"] for a, r in zip(routes, routed, strict=True)) / len(routed)
            caught = [understand_text(tidy(h)).urgent for h in hyps[len(route_texts) :]]
            results[(name, condition)] = {
                "wer": errors / total,
                "rtf": secs / seconds_of_audio,
                "route": acc,
                "urgent": sum(caught) / len(caught),
                "urgent_real": sum(c for c, (_t, s) in zip(caught, urgent, strict=True) if s == "real")
                / max(1, sum(s == "real" for _t, s in urgent)),
            }
            print(
                name, condition, {k: round(v, 3) for k, v in results[(name, condition)].items()}, flush=True
            )

    # End of speech -> reply starting, for ~10-second utterances (two sentences spoken together).
    from residenthub.voice import tts

    latency = {}
    for name, (engine, prompt) in configs.items():
        timings = []
        for i in range(0, 10, 2):
            text = f"{route_texts[i]}. {route_texts[i + 1]}"
            samples = audio["clean"][i]
            samples = np.concatenate([samples, audio["clean"][i + 1]])
            if len(samples) < 16000 * 8:
                samples = np.concatenate([samples, audio["clean"][i + 2]])
            started = time.perf_counter()
            heard = guards.clean(engine.transcribe(samples, language="en", vad=True, prompt=prompt))
            understood = understand_text(tidy(heard.text))
            reply = f"I think you want to {understood.service_code or 'speak to someone'}. Is that right?"
            tts.speak(reply + f" ({i})")  # not cached: every reply synthesised
            timings.append((len(samples) / 16000, time.perf_counter() - started + END_POINTING))
            del text
        latency[name] = timings
        mean_len = sum(t[0] for t in timings) / len(timings)
        mean_lat = sum(t[1] for t in timings) / len(timings)
        print(name, f"latency {mean_lat:.2f}s for {mean_len:.1f}s utterances", flush=True)

    if args.no_record:
        return
    load = os.getloadavg()[0]
    lines = [
        "",
        f"## Phone front door (voice), {dt.date.today().isoformat()}",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, load average {load:.1f} at the end of the "
        f"run (shared). Command: `{shlex.join(['.venv/bin/python', 'benchmarks/voice.py', *sys.argv[1:]])}`.",
        f"Data: {len(route_texts)} residents' reports (Bengaluru, Boston, Hoboken; real/eval.csv) "
        f"and {len(urgent_texts)} urgent or vulnerable calls ({sum(s == 'real' for _t, s in urgent)} real "
        "annotated "
        "messages from vulnerability.csv's test half, the rest the project's own urgent test sentences), "
        "each spoken by one of 7 espeak-ng/flite voices down a simulated 8 kHz G.711 line, clean and with "
        f"10 dB street noise: {seconds_of_audio:.0f} s of audio per condition.",
        "",
        "| configuration | noise | word error rate | real-time factor | routed right from speech "
        f"(typed: {text_route_acc:.3f}) | urgent caught from speech (typed: {text_urgent:.3f}) |",
        "|---|---|---|---|---|---|",
    ]
    for (name, condition), r in results.items():
        row = (
            name,
            condition,
            f"{r['wer']:.3f}",
            f"{r['rtf']:.3f}",
            f"{r['route']:.3f}",
            f"{r['urgent']:.3f}",
        )
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "| configuration | mean utterance | end of speech to reply starting (incl. 0.7 s end-pointing) |",
        "|---|---|---|",
    ]
    for name, timings in latency.items():
        mean_len = sum(t[0] for t in timings) / len(timings)
        mean_lat = sum(t[1] for t in timings) / len(timings)
        lines.append(
            f"| {name} | {mean_len:.1f} s | {mean_lat:.2f} s (max {max(t[1] for t in timings):.2f} s) |"
        )
    with DOCS_FILE.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"appended to {DOCS_FILE}")


if __name__ == "__main__":
    main()
