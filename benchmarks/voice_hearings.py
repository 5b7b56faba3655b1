"""Tuning only (ADR 0166): urgency and routing read over more than one hearing of a caller's words.

Every tune item of ``benchmarks/voice.py`` is decoded once as the agent decodes it (catalogue prompt,
beam 5, 10-s window), asking CTranslate2 for the beam's runners-up and for greedy re-decodings of
the same encoder output with other prompts; the texts are cached (``var/voice_hearings_*.pkl``) and
each way of reading them is scored from the same decodings::

    flock /tmp/bench.lock .venv/bin/python benchmarks/voice_hearings.py --conditions clean

The evaluation split is refused: choices are made here, and checked once with ``voice.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import voice as bench  # noqa: E402  (sets Django up, as the benchmark does)
from django.core.management import call_command  # noqa: E402

from residenthub.speech import guards  # noqa: E402
from residenthub.speech.types import Segment, Transcript  # noqa: E402
from residenthub.voice import pipeline, vocabulary  # noqa: E402

REHEAR = ("", vocabulary.PROMPT_URGENT)
RUNNERS_UP = 4
CACHE = bench.REPO / "var"


def decode(engine, items, audio, cond: str, prompt: str) -> list[dict]:
    key = hashlib.sha256(repr((items, prompt, REHEAR, RUNNERS_UP, cond)).encode()).hexdigest()[:12]
    path = CACHE / f"voice_hearings_{cond}_{key}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())  # noqa: S301 (our own cache)
    out, started = [], time.perf_counter()
    for a in audio():
        t = time.perf_counter()
        heard = engine.transcribe(
            a,
            language="en",
            vad=False,
            prompt=prompt,
            fallback=False,
            beam_size=pipeline.CALL_BEAM_SIZE,
            window=pipeline.CALL_WINDOW,
            alternatives=RUNNERS_UP,
            rehear=REHEAR,
        )
        took = time.perf_counter() - t
        heard = guards.clean(heard)
        kept = bool(heard.segments)
        out.append(
            {
                "best": heard.text,
                "runners_up": engine.last_hearings["runners_up"] if kept else [],
                "reheard": engine.last_hearings["reheard"] if kept else {},
                "seconds": took,
            }
        )
    print(f"{cond}: decoded {len(out)} in {time.perf_counter() - started:.0f} s", flush=True)
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


VARIANTS = {
    "one hearing (current)": lambda d: [],
    "+ runners-up": lambda d: d["runners_up"],
    "+ no prompt": lambda d: [d["reheard"].get("", "")],
    "+ urgent prompt": lambda d: [d["reheard"].get(vocabulary.PROMPT_URGENT, "")],
    "+ runners-up + no prompt": lambda d: [*d["runners_up"], d["reheard"].get("", "")],
    "+ runners-up + urgent prompt": lambda d: [
        *d["runners_up"],
        d["reheard"].get(vocabulary.PROMPT_URGENT, ""),
    ],
    "+ all": lambda d: [*d["runners_up"], *d["reheard"].values()],
}


def score(items, scripts, routed, others, decoded, hearings, *, kinds, route_all, misses=False):
    understood = []
    for d in decoded:
        alts = [a for a in hearings(d) if a and a != d["best"]]
        transcript = Transcript([Segment(0.0, 0.0, d["best"], 0.0, 0.0)], alternatives=alts)
        read = pipeline.clean_text(d["best"])
        understood.append(pipeline.understand_text(read, transcript, kinds=kinds, route_all=route_all))
    s_idx = [n for n, it in enumerate(items) if it[0] == "script"]
    urgent_n = [n for n in s_idx if scripts[items[n][1]]["urgent"]]
    calm_n = [n for n in s_idx if not scripts[items[n][1]]["urgent"]]
    coded = [n for n in s_idx if scripts[items[n][1]]["service_code"]]
    route_n = [n for n, it in enumerate(items) if it[0] == "route"]
    other_n = [n for n, it in enumerate(items) if it[0] == "other"]
    if misses:
        for n in urgent_n:
            if not understood[n].urgent:
                print(f"   MISSED [{items[n][3]}] {items[n][2]!r}\n      HYP {decoded[n]['best']!r}")
        for n in calm_n:
            if understood[n].urgent:
                print(f"   FALSE [{items[n][3]}] {items[n][2]!r} {[f.phrase for f in understood[n].flags]}")
    return {
        "urgent": sum(understood[n].urgent for n in urgent_n) / len(urgent_n),
        "false": sum(understood[n].urgent for n in calm_n) / max(1, len(calm_n)),
        "scripts": sum(understood[n].service_code == scripts[items[n][1]]["service_code"] for n in coded)
        / max(1, len(coded)),
        "reports": sum(understood[n].service_code == routed[items[n][1]]["service_code"] for n in route_n)
        / max(1, len(route_n)),
        "other": sum(understood[n].urgent for n in other_n) / max(1, len(other_n)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("tune",), default="tune")
    parser.add_argument("--conditions", nargs="+", choices=("clean", "noisy"), default=["clean"])
    parser.add_argument("--routing", type=int, default=40)
    parser.add_argument("--other-urgent", type=int, default=20)
    parser.add_argument("--misses", default="", help="print tune misses for this variant")
    parser.add_argument("--only", nargs="*", help="score only these variants")
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_catalogue", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    vocabulary.forget()
    split, voices = args.split, bench.VOICES[args.split]
    scripts = bench.load_scripts(split)
    routed = bench.load_routing(split, args.routing)
    others = bench.load_other_urgent(split, args.other_urgent)
    items = [("script", i, s["text"], v) for i, s in enumerate(scripts) for v in voices]
    items += [("route", i, r["text"], voices[i % len(voices)]) for i, r in enumerate(routed)]
    items += [("other", i, t, voices[(i + 1) % len(voices)]) for i, t in enumerate(others)]
    engine = bench.base_engine()
    prompt = vocabulary.prompt()
    for cond in args.conditions:
        snr = None if cond == "clean" else bench.SNR_DB

        def audio(snr=snr):  # synthesised only when not cached
            return [
                bench.resample(bench.line_audio(t, v, snr, n), 8000, 16000)
                for n, (_k, _i, t, v) in enumerate(items)
            ]

        decoded = decode(engine, items, audio, cond, prompt)
        mean = sum(d["seconds"] for d in decoded) / len(decoded)
        print(f"{cond}: {len(decoded)} items, {mean:.2f} s each with every hearing", flush=True)
        print(
            "| hearings | kinds | routing | urgent | false alarms | scripts routed | reports routed | other |"
        )
        for name, hearings in VARIANTS.items():
            if args.only is not None and name not in args.only:
                continue
            for kinds in (frozenset({"urgent", "vulnerable"}), frozenset({"urgent"})):
                for route_all in (False, True):
                    if name.startswith("one") and (route_all or len(kinds) == 1):
                        continue
                    r = score(
                        items, scripts, routed, others, decoded, hearings, kinds=kinds, route_all=route_all
                    )
                    print(
                        f"| {name} | {'+'.join(sorted(kinds))} | {'mean' if route_all else 'best'} | "
                        f"{r['urgent']:.3f} | {r['false']:.3f} | {r['scripts']:.3f} | {r['reports']:.3f} | "
                        f"{r['other']:.3f} |",
                        flush=True,
                    )
        if args.misses:
            score(
                items, scripts, routed, others, decoded, VARIANTS[args.misses],
                kinds=pipeline.HEARING_KINDS, route_all=False, misses=True,
            )  # fmt: skip


if __name__ == "__main__":
    main()
