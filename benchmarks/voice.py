"""Phone front door benchmark: speech recognition, routing, urgency and reply time on telephone audio.

Run it with the project's virtualenv::

    .venv/bin/python benchmarks/voice.py --part accuracy [--split eval|tune] [--routing 40]
    flock /tmp/bench.lock .venv/bin/python benchmarks/voice.py --part latency [--utterances 6]

Data (``benchmarks/data/voice_SOURCES.md``):

- call scripts written as callers speak, ``voice_calls_eval.csv`` (40 calls, 20 urgent or
  vulnerable; committed before any run and never tuned on) and ``voice_calls_tune.csv`` +
  ``voice_tune_urgent.csv`` (tuning only). Every script is spoken by every voice of its split, so
  the word error rate is reported per voice;
- routing: real residents' reports (``triage/data/real/eval.csv``; tune: ``train.csv``), each spoken
  by one voice in turn, routed from speech against the same sentences typed;
- urgent recall on other sources in the same run (eval: annotated messages from the test half of
  ``real/vulnerability.csv`` and the urgent rows of ``triage/data/test.csv``), for a reader who
  doubts scripts written by someone who knows the rules.

Voices (ADR 0139): eval espeak-ng en-gb, en-us, en-gb-x-rp and flite slt, kal, awb; tune espeak-ng
en-gb-scotland+f3, en-029, en-gb-x-gbclan and flite rms. Each utterance goes through a telephone
channel (300-3400 Hz, 8 kHz, G.711 mu-law; ``speech/synth.py``), once clean and once with pink street
noise and mains hum at 10 dB SNR, and is resampled to 16 kHz as the agent does.

Word error rate: edit distance over words after Whisper's English normaliser on both sides
(``speech/normalise.py``: numbers as digits, contractions expanded, punctuation dropped), as the
Whisper paper scores; the unnormalised rate is printed beside it. "heard" is the recogniser's text
(after the guards), "read" the text triage reads (after the catalogue correction pass).

Configurations compared in the same run: ``plain`` (Whisper base int8, no prompt, greedy: the
simple baseline), ``previous`` (ADR 0090's hand-written prompt, temperature fallback, no correction,
typed-triage reading) and ``current`` (what the agent does: catalogue prompt, beam search 5 without
temperature fallback, no VAD (the end-pointing has cut the utterance), correction pass, urgency read
across the recogniser's full stops).

Latency (``--part latency``): a ~10-second caller utterance (two or three eval calls with 0.35 s
pauses, then quiet) is fed as 20 ms frames IN REAL TIME to the agent's own end-pointing
(``sip.endpoint``) and partial transcriber, exactly as a SIP call feeds them; the clock runs from the
arrival of the last loud frame to the reply's audio being ready (understanding, the conversation's
decision in the database, the reply synthesised with no cache). Three ways in the same run: the
whole utterance transcribed after end-pointing, pieces at pauses (ADR 0093), and pieces plus the
early tail (ADR 0140).
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
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS_FILE = REPO / "docs" / "benchmarks.md"
DATA = REPO / "residenthub" / "triage" / "data"
CALLS = REPO / "benchmarks" / "data"
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residenthub.settings")
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from residenthub.speech import guards  # noqa: E402
from residenthub.speech.engine import LocalWhisper  # noqa: E402
from residenthub.speech.normalise import normalise  # noqa: E402
from residenthub.speech.soundalike import edit_distance  # noqa: E402
from residenthub.speech.synth import resample, synthesise, telephone  # noqa: E402
from residenthub.speech.types import Segment, Transcript  # noqa: E402
from residenthub.voice import vocabulary  # noqa: E402
from residenthub.voice.pipeline import (  # noqa: E402
    CALL_ALTERNATIVES,
    CALL_BEAM_SIZE,
    CALL_REHEAR,
    CALL_WINDOW,
    PROMPT,
    clean_text,
    tidy,
    understand_text,
)

VOICES = {
    "eval": ("en-gb", "flite:slt", "en-us", "flite:kal", "en-gb-x-rp", "flite:awb"),
    "tune": ("en-gb-scotland+f3", "flite:rms", "en-029", "en-gb-x-gbclan"),
}
# A third set, neither the tune nor the eval voices (other variants of espeak-ng's accents): tuning runs
# with ``--voices other`` (never with ``--split eval``) hear the tune scripts as hard as new voices make them.
OTHER_VOICES = ("en-gb+m3", "en-us+f2", "en-gb-x-rp+f4", "en-gb-x-gbcwmd")
SCRIPTS = {
    "eval": (CALLS / "voice_calls_eval.csv",),
    "tune": (CALLS / "voice_calls_tune.csv", CALLS / "voice_tune_urgent.csv"),
}
SNR_DB = 10.0


def words(text: str) -> list[str]:
    """Unnormalised words (lower case, punctuation dropped): printed beside the normalised rate."""
    text = text.lower().replace("’", "'").replace("-", " ")
    return re.sub(r"[^a-z0-9' ]", " ", text).split()


def norm_words(text: str) -> list[str]:
    return normalise(text).split()


def wer(refs: list[str], hyps: list[str], split=norm_words) -> float:
    errors = sum(edit_distance(split(r), split(h)) for r, h in zip(refs, hyps, strict=True))
    return errors / max(1, sum(len(split(r)) for r in refs))


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def short(text: str, most: int = 22) -> bool:
    return 4 <= len(text.split()) <= most and text.isascii()


def load_scripts(split: str) -> list[dict]:
    """Call scripts: text, service_code ('' for none), urgent (bool)."""
    rows = []
    for path in SCRIPTS[split]:
        for r in _rows(path):
            urgent = r.get("urgent", "1") == "1"  # voice_tune_urgent.csv: every row is urgent
            rows.append({"text": r["text"], "service_code": r.get("service_code", ""), "urgent": urgent})
    return rows


def load_routing(split: str, n: int, seed: int = 7) -> list[dict]:
    real = DATA / "real"
    name = "eval.csv" if split == "eval" else "train.csv"
    # "_off_topic" rows (train.csv since 94a9d60) are not reports with a service.
    routed = [r for r in _rows(real / name) if r["service_code"][:1] not in ("", "_") and short(r["text"])]
    random.Random(seed).shuffle(routed)
    return routed[:n]


def load_other_urgent(split: str, n: int, seed: int = 7) -> list[str]:
    """Urgent texts not written for the voice work (see the module docstring)."""
    real = DATA / "real"
    side = (lambda s: s == "test") if split == "eval" else (lambda s: s != "test")
    annotated = [
        r["text"]
        for r in _rows(real / "vulnerability.csv")
        if r["vulnerable"] == "1" and side(r["split"]) and short(r["text"])
    ]
    ours = (
        [r["text"] for r in _rows(DATA / "test.csv") if r["flags"] and short(r["text"])]
        if split == "eval"
        else []
    )
    rng = random.Random(seed)
    rng.shuffle(annotated)
    rng.shuffle(ours)
    half = annotated[: n // 2]
    return half + ours[: n - len(half)]


def line_audio(text: str, voice: str, snr_db: float | None, seed: int) -> np.ndarray:
    """What reaches the agent: 8 kHz telephone audio of ``voice`` saying ``text``."""
    return telephone(synthesise(text, voice=voice, rate=160), snr_db=snr_db, seed=seed)


class Config:
    """One way of turning a caller's audio into the text triage reads."""

    def __init__(
        self,
        name: str,
        engine,
        prompt: str | None,
        *,
        current: bool,
        fallback: bool,
        vad: bool,
        beam=1,
        window: float | None = None,
        hearings: bool = False,
    ):
        self.name, self.engine, self.prompt = name, engine, prompt
        self.current, self.fallback, self.vad, self.beam = current, fallback, vad, beam
        self.window, self.hearings = window, hearings

    def hear(self, samples16: np.ndarray) -> Transcript:
        """The recogniser's transcript (after the guards); with ``hearings``, as the agent asks
        (``pipeline.hear``): the beam's runners-up and the re-decodings in ``alternatives``."""
        extra = {"alternatives": CALL_ALTERNATIVES, "rehear": CALL_REHEAR} if self.hearings else {}
        out = self.engine.transcribe(
            samples16,
            language="en",
            vad=self.vad,
            prompt=self.prompt,
            fallback=self.fallback,
            beam_size=self.beam,
            window=self.window,
            **extra,
        )
        return guards.clean(out)

    def heard(self, samples16: np.ndarray) -> str:
        return self.hear(samples16).text

    def read(self, heard: str) -> str:
        return clean_text(heard) if self.current else tidy(heard)

    def understand(self, read: str, heard: str = "", alternatives: list[str] | None = None):
        """As the agent reads a call (``pipeline.understand_transcript``): the corrected text, and
        for urgency also the recogniser's own words before the correction pass and its other
        hearings (ADR 0166)."""
        transcript = None
        if heard and self.current:
            others = list(alternatives or [])
            transcript = Transcript([Segment(0.0, 0.0, heard, 0.0, 0.0)], alternatives=others)
        return understand_text(read, transcript, spoken=self.current)


def base_engine() -> LocalWhisper:
    """Whisper base, int8 on the 2 cores, as every phone benchmark decodes."""
    from django.conf import settings

    return LocalWhisper(
        "base", threads=2, compute_type="int8", beam_size=1, model_dir=Path(settings.SPEECH_MODEL_DIR)
    )


def agent_config(engine) -> Config:
    """The way the agent hears a caller: catalogue prompt, beam search, correction pass, short window and
    the other hearings (ADR 0166)."""
    return Config(
        f"current: catalogue prompt, beam {CALL_BEAM_SIZE}, correction, {CALL_WINDOW:g}-s window"
        + (", other hearings (ADR 0166)" if CALL_ALTERNATIVES or CALL_REHEAR else ""),
        engine,
        vocabulary.prompt(),
        current=True,
        fallback=False,
        vad=False,
        beam=CALL_BEAM_SIZE,
        window=CALL_WINDOW,
        hearings=bool(CALL_ALTERNATIVES or CALL_REHEAR),
    )


def shows_misses(split: str) -> bool:
    """Which urgent scripts were missed (and ``--show``'s every hypothesis) is printed for the tuning
    split only. Reading the evaluation split's misses would turn it into a second tuning split: the
    figures are reported, the calls behind them are not (tests/voice/test_benchmark_split.py)."""
    return split == "tune"


def machine_line() -> str:
    load = os.getloadavg()
    loads = " / ".join(f"{x:.1f}" for x in load)
    return f"{os.cpu_count()} cores, {platform.machine()}, load average {loads}"


def commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)  # noqa: S603,S607
    return done.stdout.strip() or "?"


# --- accuracy -----------------------------------------------------------------------------------


def accuracy(args, engine: LocalWhisper) -> list[str]:
    split = args.split
    voices = OTHER_VOICES if getattr(args, "voices", "split") == "other" else VOICES[split]
    scripts = load_scripts(split)
    routed = load_routing(split, args.routing)
    others = load_other_urgent(split, args.other_urgent)
    # Items: (kind, index, text, voice). Scripts by every voice; the rest one voice each, in turn.
    items = [("script", i, s["text"], v) for i, s in enumerate(scripts) for v in voices]
    items += [("route", i, r["text"], voices[i % len(voices)]) for i, r in enumerate(routed)]
    items += [("other", i, t, voices[(i + 1) % len(voices)]) for i, t in enumerate(others)]
    print(f"split {split}: {len(scripts)} scripts x {len(voices)} voices, {len(routed)} routing reports, "
          f"{len(others)} other urgent; synthesising...", flush=True)  # fmt: skip
    audio = {
        cond: [resample(line_audio(t, v, snr, n), 8000, 16000) for n, (_k, _i, t, v) in enumerate(items)]
        for cond, snr in (("clean", None), ("noisy", SNR_DB))
        if cond in args.conditions
    }
    seconds = sum(len(a) for a in next(iter(audio.values()))) / 16000
    print(f"{seconds:.0f} s of audio per condition", flush=True)
    # The agent hears an utterance already cut out by its end-pointing, without VAD (silero drops a
    # short "yes" down a phone line); ``hub speech transcribe`` and the earlier agent used VAD.
    configs = {
        "plain": Config(
            "plain: no prompt, greedy, VAD", engine, None, current=False, fallback=False, vad=True
        ),
        "previous": Config(
            "previous: ADR 0090 prompt, fallback, VAD", engine, PROMPT, current=False, fallback=True, vad=True
        ),
        "current": agent_config(engine),
        "full": Config(  # the same with Whisper's 30-s encoder window (the agent until ADR 0162)
            f"catalogue prompt, beam {CALL_BEAM_SIZE}, correction, 30-s window",
            engine,
            vocabulary.prompt(),
            current=True,
            fallback=False,
            vad=False,
            beam=CALL_BEAM_SIZE,
        ),
    }
    names = {key: c.name for key, c in configs.items()}
    names["current-one"] = "the same decodings, urgency and routing from the best hearing only"
    typed = {
        "script_urgent": [understand_text(s["text"], spoken=False).urgent for s in scripts],
        "script_route": [understand_text(s["text"], spoken=False).service_code for s in scripts],
        "route": [understand_text(r["text"], spoken=False).service_code for r in routed],
        "other": [understand_text(t, spoken=False).urgent for t in others],
    }
    results: dict[tuple[str, str], dict] = {}

    def measure(variant, cond, understood, heard, read, took):
        r: dict = {"rtf": took / seconds}
        s_idx = [n for n, it in enumerate(items) if it[0] == "script"]
        refs = [items[n][2] for n in s_idx]
        r["wer_heard"] = wer(refs, [heard[n] for n in s_idx])
        r["wer_read"] = wer(refs, [read[n] for n in s_idx])
        r["wer_raw"] = wer(refs, [heard[n] for n in s_idx], split=words)
        r["per_voice"] = {}
        for v in voices:
            mine = [n for n in s_idx if items[n][3] == v]
            r["per_voice"][v] = wer([items[n][2] for n in mine], [heard[n] for n in mine])
        urgent_n = [n for n in s_idx if scripts[items[n][1]]["urgent"]]
        calm_n = [n for n in s_idx if not scripts[items[n][1]]["urgent"]]
        r["urgent"] = sum(understood[n].urgent for n in urgent_n) / len(urgent_n)
        r["urgent_by_call"] = {}
        for n in urgent_n:
            r["urgent_by_call"].setdefault(items[n][1], []).append(understood[n].urgent)
        r["false_alarm"] = sum(understood[n].urgent for n in calm_n) / max(1, len(calm_n))
        coded = [n for n in s_idx if scripts[items[n][1]]["service_code"]]
        r["script_route"] = sum(
            understood[n].service_code == scripts[items[n][1]]["service_code"] for n in coded
        ) / max(1, len(coded))
        route_n = [n for n, it in enumerate(items) if it[0] == "route"]
        r["route"] = sum(
            understood[n].service_code == routed[items[n][1]]["service_code"] for n in route_n
        ) / max(1, len(route_n))
        other_n = [n for n, it in enumerate(items) if it[0] == "other"]
        r["other"] = sum(understood[n].urgent for n in other_n) / max(1, len(other_n))
        results[(variant, cond)] = r
        brief = {k: round(v, 3) for k, v in r.items() if isinstance(v, float)}
        print(names[variant], cond, brief, flush=True)
        print("   per voice:", {v: round(x, 3) for v, x in r["per_voice"].items()}, flush=True)
        if shows_misses(args.split):  # never the evaluation split's (see ``shows_misses``)
            for n in urgent_n:
                if not understood[n].urgent:
                    print(f"   MISSED [{items[n][3]}] REF {items[n][2]!r}\n          HYP {read[n]!r}")
            if args.show:
                for n in s_idx:
                    print(f"   [{items[n][3]}] REF {items[n][2]!r}\n      HYP {heard[n]!r}")

    for key in args.configs:
        config = configs[key]
        for cond in args.conditions:
            if cond == "noisy" and key not in args.noisy_configs:
                continue
            started = time.perf_counter()
            hearings = [config.hear(a) for a in audio[cond]]
            took = time.perf_counter() - started
            heard = [h.text for h in hearings]
            read = [config.read(h) for h in heard]
            # With other hearings, the same decodings are also read from the best hearing alone.
            for variant, use in ((key, True), (f"{key}-one", False)) if config.hearings else ((key, False),):
                understood = [
                    config.understand(r, h.text, h.alternatives if use else [])
                    for r, h in zip(read, hearings, strict=True)
                ]
                measure(variant, cond, understood, heard, read, took)

    n_script_codes = sum(1 for s in scripts if s["service_code"])
    typed_script_route = sum(
        t == s["service_code"]
        for t, s in zip(typed["script_route"], scripts, strict=True)
        if s["service_code"]
    ) / max(1, n_script_codes)
    typed_route = sum(t == r["service_code"] for t, r in zip(typed["route"], routed, strict=True)) / max(
        1, len(routed)
    )
    typed_urgent = sum(t for t, s in zip(typed["script_urgent"], scripts, strict=True) if s["urgent"]) / max(
        1, sum(s["urgent"] for s in scripts)
    )
    typed_false = sum(
        t for t, s in zip(typed["script_urgent"], scripts, strict=True) if not s["urgent"]
    ) / max(1, sum(not s["urgent"] for s in scripts))
    typed_other = sum(typed["other"]) / max(1, len(others))
    print(f"typed: routing {typed_route:.3f} (scripts {typed_script_route:.3f}), urgent {typed_urgent:.3f}, "
          f"false alarms {typed_false:.3f}, other urgent {typed_other:.3f}", flush=True)  # fmt: skip
    n_urgent = sum(s["urgent"] for s in scripts)
    lines = [
        f"Data ({split} split): {len(scripts)} call scripts ({n_urgent} urgent or vulnerable; "
        f"{', '.join(p.name for p in SCRIPTS[split])}), each spoken by all {len(voices)} voices "
        f"({', '.join(voices)}); {len(routed)} real residents' reports for routing and {len(others)} other "
        f"urgent texts, one voice each; {seconds:.0f} s of 8 kHz G.711 audio per condition (clean, and "
        f"{SNR_DB:.0f} dB street noise). Whisper base int8, 2 threads. Word error rates after Whisper's "
        "English normaliser on both sides (unnormalised in brackets); heard = recogniser, read = after the "
        "correction pass.",
        "",
        f"| configuration | noise | WER heard (unnormalised) | WER read | real-time factor | routed right, "
        f"real reports (typed {typed_route:.3f}) | routed right, scripts (typed {typed_script_route:.3f}) | "
        f"urgent caught, scripts (typed {typed_urgent:.3f}) | "
        f"false alarms, scripts (typed {typed_false:.3f}) | "
        f"urgent caught, other sources (typed {typed_other:.3f}) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (key, cond), r in results.items():
        lines.append(
            f"| {names[key]} | {cond} | {r['wer_heard']:.3f} ({r['wer_raw']:.3f}) | "
            f"{r['wer_read']:.3f} | "
            f"{r['rtf']:.3f} | {r['route']:.3f} | {r['script_route']:.3f} | {r['urgent']:.3f} | "
            f"{r['false_alarm']:.3f} | {r['other']:.3f} |"
        )
    lines += ["", "Word error rate (heard, normalised) per voice:", ""]
    head = [f"{k} {c}" for (k, c) in results]
    lines += ["| voice | " + " | ".join(head) + " |", "|---|" + "---|" * len(head)]
    for v in voices:
        lines.append(f"| {v} | " + " | ".join(f"{r['per_voice'][v]:.3f}" for r in results.values()) + " |")
    cur = results.get(("current", "clean")), results.get(("current", "noisy"))
    missed = []
    for r, cond in zip(cur, ("clean", "noisy"), strict=True):
        if r and shows_misses(split):
            for i, caught in sorted(r["urgent_by_call"].items()):
                if not all(caught):
                    missed.append(
                        f'{cond}: "{scripts[i]["text"]}" missed by '
                        f"{len(caught) - sum(caught)} of {len(caught)} voices"
                    )
    if missed:
        lines += ["", "Urgent scripts missed from speech (current): " + "; ".join(missed) + "."]
    return lines


# --- latency ------------------------------------------------------------------------------------


def utterances(count: int, split: str) -> list[np.ndarray]:
    """~10-second utterances at 8 kHz: calls joined with 0.35 s pauses (shorter than the 0.7 s that
    ends an utterance, so the end-pointing hears one utterance), then 1.5 s of quiet, on a faint line
    hiss (a real line is never digitally silent)."""
    scripts, voices = [s["text"] for s in load_scripts(split)], VOICES[split]
    rng = np.random.default_rng(3)
    out, k = [], 0
    for u in range(count):
        voice, parts = voices[u % len(voices)], []
        while sum(len(p) for p in parts) < 9.5 * 8000:
            spoken = line_audio(scripts[k % len(scripts)], voice, None, k)
            loud = np.flatnonzero(np.abs(spoken) > 0.01)  # the synthesisers' own lead-in and tail cut off
            parts += [spoken[loud[0] : loud[-1] + 1], np.zeros(int(0.35 * 8000), dtype=np.float32)]
            k += 1
        speech = np.concatenate(parts[:-1] + [np.zeros(12000, dtype=np.float32)])
        out.append((speech + rng.normal(0, 0.0005, len(speech))).astype(np.float32))
    return out


def paced(samples: np.ndarray, frame: int = 160):
    """The line's frames, each yielded at the moment it would arrive on a call."""
    start = time.monotonic()
    for n, at in enumerate(range(0, len(samples) - frame + 1, frame)):
        delay = start + (n + 1) * frame / 8000 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        yield samples[at : at + frame]


def one_turn(samples: np.ndarray, how: str) -> tuple[float, str, int]:
    """End of speech -> the reply's first sentence ready to send, as ``sip.handle_call`` does one turn
    (``tts.speak_sentences``); (seconds, reply, pieces)."""
    from django.db import transaction

    from residenthub.voice import actions, dialog, sip, tts
    from residenthub.voice.models import Call
    from residenthub.voice.pipeline import hear, prompt_for, understand_transcript
    from residenthub.voice.streaming import PartialTranscriber

    with transaction.atomic():
        call = actions.start_call(via=Call.Via.SIMULATOR)
        dialog.start(call)
        tts._speak.cache_clear()  # every reply synthesised, as a new sentence would be
        partial = None
        if how != "whole":
            partial = PartialTranscriber(sip._pieces(prompt_for("problem")), early=how == "early")
        heard_audio, ended_at = sip.endpoint(paced(samples), 30, on_frame=partial.add if partial else None)
        decided = time.monotonic()  # the end-pointing's quiet has run out
        if partial:
            transcript = partial.finish()
            text_at = time.monotonic()
            heard = understand_transcript(transcript)
        else:
            transcript = hear(resample(heard_audio, 8000, 16000), vad=False, prompt=prompt_for("problem"))
            text_at = time.monotonic()
            heard = understand_transcript(transcript)
        understood = time.monotonic()
        reply = dialog.hear(call, heard)
        answered = time.monotonic()
        next(tts.speak_sentences(reply.say))  # the reply starts when its first sentence is ready
        took = time.monotonic() - ended_at
        transaction.set_rollback(True)
    pieces = (partial.cuts + 1) if partial else 1
    parts = {
        "wait": decided - ended_at,  # end-pointing (the last piece may already be decoding)
        "text": text_at - decided,  # the rest of the speech to text
        "triage": understood - text_at,
        "dialog": answered - understood,
        "speech": ended_at + took - answered,  # the reply's first sentence synthesised
    }
    return took, reply.say, pieces, parts


def latency(args) -> list[str]:
    from residenthub.speech.engine import get_engine

    get_engine()  # loaded before the clock, as in a running agent
    audio = utterances(args.utterances, args.split)
    one_turn(audio[0], "early")  # warm-up (first inference allocates), not counted
    from residenthub.voice import sip

    lengths = []
    for a in audio:  # what the end-pointing hears as one utterance (the check the first run lacked)
        heard, _ = sip.endpoint([a[i : i + 160] for i in range(0, len(a) - 159, 160)], 30)
        lengths.append(len(heard) / 8000 - sip.END_SILENCE)
    rows, breakdown = [], {}
    ways = [
        ("whole", "whole utterance after end-pointing"),
        ("pieces", "pieces at pauses (ADR 0093)"),
        ("early", "pieces + early tail (ADR 0140), the agent's default"),
    ]
    for how, label in ways:
        if how not in args.ways:
            continue
        times = []
        for a in audio:
            took, reply, pieces, parts = one_turn(a, how)
            times.append(took)
            for k, v in parts.items():
                breakdown.setdefault((label, k), []).append(v)
            shown = ", ".join(f"{k} {v:.2f}" for k, v in parts.items())
            said = f": {reply[:70]!r}" if shows_misses(args.split) else ""  # a reply tells what was heard
            print(f"{how}: {took:.2f} s ({shown}), {pieces} piece(s){said}", flush=True)
        rows.append((label, times))
    mean_len = sum(lengths) / len(lengths)
    lines = [
        f"Data: {len(audio)} utterances of {min(lengths):.1f}-{max(lengths):.1f} s "
        f"(mean {mean_len:.1f} s) of "
        f"speech as the end-pointing hears it, {args.split} call scripts joined with 0.35 s pauses, "
        "voices in turn, fed in real time as "
        "20 ms "
        "frames to the agent's end-pointing (0.7 s of quiet ends the utterance; included).",
        "",
        "| configuration | mean end of speech to reply audio ready | median | max |",
        "|---|---|---|---|",
    ]
    for label, times in rows:
        lines.append(
            f"| {label} | {sum(times) / len(times):.2f} s | {float(np.median(times)):.2f} s "
            f"| {max(times):.2f} s |"
        )
    names = ("wait", "text", "triage", "dialog", "speech")
    lines += [
        "",
        "Where the time goes (means): end-pointing's quiet after the speech; speech to text still to "
        "do once it has run out; triage; the dialogue (database writes); the reply's synthesis.",
        "",
        "| configuration | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for label, _times in rows:
        means = [sum(breakdown[(label, k)]) / len(breakdown[(label, k)]) for k in names]
        lines.append(f"| {label} | " + " | ".join(f"{m:.2f} s" for m in means) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("eval", "tune"), default="eval")
    parser.add_argument("--part", choices=("accuracy", "latency"), required=True)
    parser.add_argument(
        "--voices", choices=("split", "other"), default="split", help="other: a third voice set, tune only"
    )
    parser.add_argument("--routing", type=int, default=40)
    parser.add_argument("--other-urgent", type=int, default=20)
    parser.add_argument("--configs", nargs="+", default=["plain", "previous", "current"])
    parser.add_argument("--noisy-configs", nargs="+", default=["plain", "current"])
    parser.add_argument("--conditions", nargs="+", choices=("clean", "noisy"), default=["clean", "noisy"])
    parser.add_argument("--utterances", type=int, default=6)
    parser.add_argument("--show", action="store_true", help="print every reference and hypothesis")
    parser.add_argument(
        "--ways", nargs="+", choices=("whole", "pieces", "early"), default=["whole", "pieces", "early"]
    )
    parser.add_argument(
        "--one-hearing",
        action="store_true",
        help="the agent without other hearings (ADR 0166), for comparison",
    )
    parser.add_argument("--alternatives", type=int, help="latency: the beam's runners-up asked for (tuning)")
    parser.add_argument(
        "--rehear", nargs="*", choices=("none", "urgent"), help="latency: re-decodings (tuning)"
    )
    parser.add_argument("--route-all", action="store_true", help="latency: routing over hearings (tuning)")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    if args.voices == "other" and args.split == "eval":
        parser.error("--voices other is for tuning runs: the eval split keeps its own voices")
    if args.show and not shows_misses(args.split):
        parser.error("--show prints every hypothesis: tuning split only")
    if args.split == "tune":
        args.no_record = True  # tuning figures are never reported as results

    from residenthub.voice import pipeline

    if args.one_hearing:
        pipeline.CALL_ALTERNATIVES, pipeline.CALL_REHEAR = 0, ()
    if args.alternatives is not None or args.rehear is not None:  # a candidate timed before it is chosen
        args.no_record = True
        prompts = {"none": "", "urgent": vocabulary.PROMPT_URGENT}
        pipeline.CALL_ALTERNATIVES = args.alternatives or 0
        pipeline.CALL_REHEAR = tuple(prompts[r] for r in args.rehear or ())
        pipeline.ROUTE_OVER_HEARINGS = pipeline.ROUTE_OVER_HEARINGS or args.route_all
    print(
        f"hearings: {pipeline.CALL_ALTERNATIVES} runners-up, re-decoded {pipeline.CALL_REHEAR}, "
        f"routing over them {pipeline.ROUTE_OVER_HEARINGS}",
        flush=True,
    )
    before, head = machine_line(), commit()  # the code this process loaded
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_catalogue", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    vocabulary.forget()
    started = time.time()
    body = accuracy(args, base_engine()) if args.part == "accuracy" else latency(args)
    after = machine_line()
    print("\n".join(body))
    if args.no_record:
        return
    command = shlex.join([".venv/bin/python", "benchmarks/voice.py", *sys.argv[1:]])
    lines = [
        "",
        f"## Phone front door (voice), {dt.date.today().isoformat()}, {args.split} split, "
        f"{args.part} (issue 17)",
        "",
        f"Command: `{command}`"
        + (" under `flock /tmp/bench.lock`" if args.part == "latency" else "")
        + f"; commit {head}; {time.time() - started:.0f} s. Machine: {before} at the start, "
        f"{after.split('load average ')[1]} at the end (shared with other sessions).",
        "",
        *body,
    ]
    with DOCS_FILE.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"appended to {DOCS_FILE}")


if __name__ == "__main__":
    main()
