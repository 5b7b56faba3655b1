"""Phone front door benchmark: speech recognition, routing and urgency from telephone audio.

Run it with the project's virtualenv (``make bench`` does this)::

    .venv/bin/python benchmarks/voice.py [--split eval|tune] [--routing 30] [--urgent 30] [--no-record]

Two splits, so that nothing reported was tuned on (``--split tune`` is what the prompt, the
correction pass and the urgency settings were chosen on; its figures are never recorded):

- tune: residents' reports ``real/train.csv``, the dev half of ``real/vulnerability.csv`` and our
  own tuning calls ``benchmarks/data/voice_tune_urgent.csv``, spoken by espeak-ng en-gb-scotland,
  en-029, en-gb-x-gbclan and flite rms;
- eval: residents' reports ``real/eval.csv`` (Bengaluru, Boston, Hoboken), the test half of
  ``vulnerability.csv`` and the project's held-out urgent test sentences ``triage/data/test.csv``,
  spoken by espeak-ng en-gb, en-us, en-gb-x-rp and flite slt, kal, awb.

Each sentence is spoken by one voice, then passed through a telephone channel (300-3400 Hz, 8 kHz,
G.711 mu-law), once clean and once with pink street noise and mains hum at 10 dB SNR
(``residenthub/speech/synth.py``).

Compared in the same run, both on Whisper base int8 (the larger Whisper models on PyPI are
incomplete, ADR 0090): the previous configuration (a hand-written prompt, the whole utterance
transcribed after the caller stops) and the current one (the live catalogue's vocabulary as prompt,
the catalogue correction pass, one greedy decoding without Whisper's temperature fallback,
pieces transcribed at the caller's pauses while they speak). Figures:
word error rate (overall, and per voice family), routing accuracy from speech against routing the
same sentences typed, urgent recall from speech, and the time from the end of the caller's speech to
the reply starting for ~10-second utterances (end-pointing wait + what is left of speech to text +
triage + the reply's synthesis).
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
from residenthub.voice import vocabulary  # noqa: E402
from residenthub.voice.pipeline import PROMPT, clean_text, tidy, understand_text  # noqa: E402
from residenthub.voice.streaming import PartialTranscriber  # noqa: E402

VOICES = {
    "eval": ("en-gb", "flite:slt", "en-us", "flite:kal", "en-gb-x-rp", "flite:awb"),
    "tune": ("en-gb-scotland+f3", "flite:rms", "en-029", "en-gb-x-gbclan"),
}
END_POINTING = 0.7  # seconds of quiet the SIP agent waits for (residenthub/voice/sip.py END_SILENCE)
TUNE_URGENT = REPO / "benchmarks" / "data" / "voice_tune_urgent.csv"


def words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("-", " ")
    text = re.sub(r"(\d)", r" \1 ", text)
    return re.sub(r"[^a-z0-9' ]", " ", text).split()


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[:], i
        for j, h in enumerate(hyp, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (r != h))
    return row[-1]


def short(text: str, most: int = 22) -> bool:
    return 4 <= len(text.split()) <= most and text.isascii()


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_sets(split: str, n_routing: int, n_urgent: int, seed: int = 7):
    """(routing rows, [(urgent text, source)]) for one split; see the module docstring."""
    rng = random.Random(seed)
    real = DATA / "real"
    if split == "eval":
        routed = [r for r in _rows(real / "eval.csv") if r["service_code"] and short(r["text"])]
        annotated = [
            r["text"]
            for r in _rows(real / "vulnerability.csv")
            if r["vulnerable"] == "1" and r["split"] == "test" and short(r["text"])
        ]
        ours = [r["text"] for r in _rows(DATA / "test.csv") if r["flags"] and short(r["text"])]
    else:
        routed = [r for r in _rows(real / "train.csv") if r["service_code"] and short(r["text"])]
        annotated = [
            r["text"]
            for r in _rows(real / "vulnerability.csv")
            if r["vulnerable"] == "1" and r["split"] != "test" and short(r["text"], 30)
        ]
        ours = [r["text"] for r in _rows(TUNE_URGENT)]
    rng.shuffle(routed)
    rng.shuffle(annotated)
    rng.shuffle(ours)
    real_part = annotated[: n_urgent // 2]
    urgent = [(t, "real") for t in real_part] + [(t, "ours") for t in ours[: n_urgent - len(real_part)]]
    return routed[:n_routing], urgent


def speak(items, snr_db, voices):
    out = []
    for i, text in enumerate(items):
        clean = synthesise(text, voice=voices[i % len(voices)], rate=160)
        out.append(resample(telephone(clean, snr_db=snr_db, seed=i), 8000, 16000))
    return out


class Config:
    """One way of turning a caller's audio into the text triage reads."""

    def __init__(self, name: str, engine: LocalWhisper, prompt: str | None, *, correct: bool, stream: bool):
        self.name, self.engine, self.prompt, self.correct, self.stream = name, engine, prompt, correct, stream

    def stt(self, samples: np.ndarray, vad: bool = True):
        heard = self.engine.transcribe(
            samples, language="en", vad=vad, prompt=self.prompt, fallback=not self.stream
        )
        return guards.clean(heard)

    def text(self, heard_text: str) -> str:
        return clean_text(heard_text) if self.correct else tidy(heard_text)

    def understand(self, text: str):
        """The previous agent read speech as typed triage does; the current one also reads the
        recogniser's sentences as one (``pipeline.spoken_flags``)."""
        return understand_text(text, spoken=self.correct)


def run(config: Config, audio: list[np.ndarray]):
    texts, seconds = [], 0.0
    for samples in audio:
        started = time.perf_counter()
        texts.append(config.stt(samples).text)
        seconds += time.perf_counter() - started
    return texts, seconds


def reply_for(understood) -> str:
    return f"I think you want to {understood.service_code or 'speak to someone'}. Is that right?"


def latency_whole(config: Config, samples: np.ndarray, i: int) -> float:
    """The previous agent: everything transcribed after the caller stops."""
    from residenthub.voice import tts

    started = time.perf_counter()
    heard = config.stt(samples, vad=False)
    understood = config.understand(config.text(heard.text))
    tts.speak(reply_for(understood) + f" ({i})")  # not cached: every reply synthesised
    return time.perf_counter() - started + END_POINTING


def latency_streamed(config: Config, samples16: np.ndarray, i: int) -> tuple[float, int]:
    """The current agent: the 8 kHz line fed frame by frame to the partial transcriber, as the SIP
    agent does. Frames arrive in real time on a call; here they are fed at once, so each piece cut
    before the end is timed, and if it would still be running when the caller stops (it took longer
    than the speech after its cut), the overrun is added to the latency."""
    from residenthub.voice import tts

    line = resample(samples16, 16000, 8000)
    timings: list[tuple[float, float]] = []  # (cut time in the audio, seconds the piece took)
    fed = [0]

    def piece(chunk: np.ndarray, language):
        started = time.perf_counter()
        heard = config.stt(resample(chunk, 8000, 16000), vad=False)
        timings.append((fed[0] / 8000, time.perf_counter() - started))
        return heard

    partial = PartialTranscriber(piece, language="en")
    for at in range(0, len(line) - 159, 160):
        frame = line[at : at + 160]
        fed[0] = at + 160
        loud = float(np.sqrt(np.mean(frame.astype(np.float64) ** 2))) > 0.01
        before = len(timings)
        partial.add(frame, loud=loud)
        if partial.cuts and len(partial._pieces) > before:  # wait: time the piece on its own
            partial._pieces[-1].result()
    cut_pieces = list(timings)
    started = time.perf_counter()
    heard = partial.finish()
    understood = config.understand(config.text(heard.text))
    tts.speak(reply_for(understood) + f" ({i})")
    tail = time.perf_counter() - started
    total = len(line) / 8000
    overrun = max([0.0] + [took - (total - cut) for cut, took in cut_pieces])
    return tail + overrun + END_POINTING, len(cut_pieces)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("eval", "tune"), default="eval")
    parser.add_argument("--routing", type=int, default=30)
    parser.add_argument("--urgent", type=int, default=30)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument(
        "--part",
        choices=("all", "accuracy", "latency"),
        default="all",
        help="latency alone is the timing part (run it under flock /tmp/bench.lock); accuracy is not timed",
    )
    parser.add_argument(
        "--baseline-clean-only",
        action="store_true",
        help="measure the previous configuration on clean audio only (a busy machine's shortcut)",
    )
    args = parser.parse_args()
    if args.split == "tune":
        args.no_record = True  # tuning figures are never reported

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_catalogue", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    vocabulary.forget()
    voices = VOICES[args.split]
    routed, urgent = load_sets(args.split, args.routing, args.urgent)
    route_texts = [r["text"] for r in routed]
    urgent_texts = [t for t, _s in urgent]
    all_texts = route_texts + urgent_texts
    print(
        f"split {args.split}: {len(route_texts)} routing sentences, {len(urgent_texts)} urgent; "
        "synthesising...",
        flush=True,
    )
    if args.part == "latency":  # the first eleven clean calls make the five ~10-second utterances
        audio = {"clean": speak(all_texts[:11], None, voices)}
    else:
        audio = {"clean": speak(all_texts, None, voices), "noisy": speak(all_texts, 10.0, voices)}
    seconds_of_audio = sum(len(a) for a in audio["clean"]) / 16000

    from django.conf import settings

    folder = Path(settings.SPEECH_MODEL_DIR)
    base = LocalWhisper("base", threads=2, compute_type="int8", beam_size=1, model_dir=folder)
    configs = [
        Config("previous: hand-written prompt, whole utterance", base, PROMPT, correct=False, stream=False),
        Config(
            "current: catalogue prompt + correction, streamed",
            base,
            vocabulary.prompt(),
            correct=True,
            stream=True,
        ),
    ]
    text_routes = [understand_text(t, spoken=False).service_code for t in route_texts]
    text_route_acc = sum(a == r["service_code"] for a, r in zip(text_routes, routed, strict=True)) / len(
        routed
    )
    text_urgent = sum(understand_text(t, spoken=False).urgent for t in urgent_texts) / len(urgent_texts)
    results = {}
    per_voice: dict[str, dict[str, list[int]]] = {}
    for config in configs if args.part != "latency" else []:
        for condition in ("clean", "noisy"):
            if condition == "noisy" and args.baseline_clean_only and not config.stream:
                continue
            hyps, secs = run(config, audio[condition])
            texts = [config.text(h) for h in hyps]
            errors = [edit_distance(words(r), words(h)) for r, h in zip(all_texts, texts, strict=True)]
            sizes = [len(words(r)) for r in all_texts]
            for i, (e, n) in enumerate(zip(errors, sizes, strict=True)):
                family = "flite" if voices[i % len(voices)].startswith("flite") else "espeak-ng"
                cell = per_voice.setdefault(f"{config.name}|{condition}", {}).setdefault(family, [0, 0])
                cell[0] += e
                cell[1] += n
            routes = [config.understand(t).service_code for t in texts[: len(route_texts)]]
            acc = sum(a == r["service_code"] for a, r in zip(routes, routed, strict=True)) / len(routed)
            caught = [config.understand(t).urgent for t in texts[len(route_texts) :]]
            results[(config.name, condition)] = {
                "wer": sum(errors) / sum(sizes),
                "rtf": secs / seconds_of_audio,
                "route": acc,
                "urgent": sum(caught) / len(caught),
            }
            missed = [t for t, c in zip(texts[len(route_texts) :], caught, strict=True) if not c]
            print(
                config.name, condition, {k: round(v, 3) for k, v in results[(config.name, condition)].items()}
            )
            print("   per voice family:", per_voice[f"{config.name}|{condition}"], flush=True)
            if args.split == "tune":
                for ref, hyp in zip(all_texts, texts, strict=True):
                    print("   REF", ref, "\n   HYP", hyp)
                print("   missed urgent:", missed, flush=True)

    # End of speech -> reply starting, for ~10-second utterances (two or three sentences together).
    latency: dict[str, list[tuple[float, float, int]]] = {}
    for config in configs if args.part != "accuracy" else []:
        timings = []
        for i in range(0, 10, 2):
            samples = np.concatenate([audio["clean"][i], audio["clean"][i + 1]])
            if len(samples) < 16000 * 8:
                samples = np.concatenate([samples, audio["clean"][i + 2]])
            if config.stream:
                took, pieces = latency_streamed(config, samples, i)
            else:
                took, pieces = latency_whole(config, samples, i), 0
            timings.append((len(samples) / 16000, took, pieces))
        latency[config.name] = timings
        mean_len = sum(t[0] for t in timings) / len(timings)
        mean_lat = sum(t[1] for t in timings) / len(timings)
        print(config.name, f"latency {mean_lat:.2f}s for {mean_len:.1f}s utterances", timings, flush=True)

    if args.no_record:
        return
    load = os.getloadavg()
    lines = [
        "",
        f"## Phone front door (voice), {dt.date.today().isoformat()}, evaluation split"
        + ("" if args.part == "all" else f", {args.part}"),
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end of the run (shared). Command: "
        f"`{shlex.join(['.venv/bin/python', 'benchmarks/voice.py', *sys.argv[1:]])}`.",
        f"Data (evaluation split, nothing tuned on it): {len(route_texts)} residents' reports (Bengaluru, "
        f"Boston, Hoboken; real/eval.csv) and {len(urgent_texts)} urgent or vulnerable calls "
        f"({sum(s == 'real' for _t, s in urgent)} real annotated messages from vulnerability.csv's test "
        "half, the rest the project's held-out urgent test sentences), each spoken by one of 6 voices "
        f"({', '.join(voices)}) down a simulated 8 kHz G.711 line, clean and with 10 dB street noise: "
        f"{seconds_of_audio:.0f} s of audio per condition.",
    ]
    if results:
        lines += [
            "",
            "| configuration | noise | word error rate (espeak-ng / flite voices) | real-time factor "
            f"(not timed under the bench lock) | routed right from speech (typed: {text_route_acc:.3f}) "
            f"| urgent caught from speech (typed: {text_urgent:.3f}) |",
            "|---|---|---|---|---|---|",
        ]
    for (name, condition), r in results.items():
        fam = per_voice[f"{name}|{condition}"]
        split_wer = " / ".join(
            f"{fam[k][0] / max(1, fam[k][1]):.3f}" for k in ("espeak-ng", "flite") if k in fam
        )
        row = (
            name,
            condition,
            f"{r['wer']:.3f} ({split_wer})",
            f"{r['rtf']:.3f}",
            f"{r['route']:.3f}",
            f"{r['urgent']:.3f}",
        )
        lines.append("| " + " | ".join(row) + " |")
    if latency:
        lines += [
            "",
            "| configuration | mean utterance | end of speech to reply starting (incl. 0.7 s end-pointing) "
            "| pieces cut while speaking |",
            "|---|---|---|---|",
        ]
    for name, timings in latency.items():
        mean_len = sum(t[0] for t in timings) / len(timings)
        mean_lat = sum(t[1] for t in timings) / len(timings)
        lines.append(
            f"| {name} | {mean_len:.1f} s | {mean_lat:.2f} s (max {max(t[1] for t in timings):.2f} s) "
            f"| {sum(t[2] for t in timings)} in {len(timings)} utterances |"
        )
    with DOCS_FILE.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"appended to {DOCS_FILE}")


if __name__ == "__main__":
    main()
