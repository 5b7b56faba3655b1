"""One caller utterance through the front door: speech to text, triage, urgency and call signals.

Pure (writes nothing): the SIP agent, the webhooks, ``hub voice simulate`` and the benchmark all
call ``understand``; the conversation (``dialog``) decides what to say and the actions record it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings

from residenthub.speech import Transcript, transcribe
from residenthub.triage import urgency
from residenthub.triage.engine import Result, Suggestion, analyse

from . import caller_urgency, streets, vocabulary
from .signals import CallSignal, find_signals

# The hand-written prompt used until 2026-11-26, kept as the benchmark's baseline. The agent now
# primes Whisper with the live catalogue's words instead (``vocabulary.prompt()``).
PROMPT = (
    "A resident phones the council: missed bin collection, pothole, street light, fly-tipping, "
    "pavement, blocked drain, graffiti, noise, parking, council tax, housing repairs, damp and mould."
)


_STREET = re.compile(
    r"\b([A-Za-z][a-z]+) (close|road|street|lane|avenue|way|drive|crescent|grove|place|gardens|court|terrace|"
    r"square|hill|park|walk|row|mews|rise|green|parade)\b"
)


def tidy(text: str) -> str:
    """Whisper's punctuation and casing as a typist would write it, for triage's extractors:
    "number 4 Riverside, close," -> "number 4 Riverside Close"."""
    text = re.sub(r"\s*,\s*", " ", text).strip()
    return _STREET.sub(_street, text)


def _street(match: re.Match) -> str:
    """ "riverside close" -> "Riverside Close" (beam search often writes names in lower case), but
    "very close" or "the road" stay as they are."""
    name, kind = match.group(1), match.group(2)
    if name[0].islower() and (name in vocabulary.COMMON or len(name) < 4):
        return match.group(0)
    return f"{name.capitalize()} {kind.capitalize()}"


@dataclass
class Understanding:
    text: str
    transcript: Transcript
    result: Result | None
    signals: list[CallSignal] = field(default_factory=list)

    @property
    def silent(self) -> bool:
        return not self.text.strip()

    @property
    def flags(self) -> list:
        return list(self.result.flags) if self.result else []

    @property
    def urgent(self) -> bool:
        """Triage's own rule, plus distress heard on the call."""
        triage_urgent = bool(self.result and self.result.urgent)
        return triage_urgent or any(s.category in {"distress", "repeated_help"} for s in self.signals)

    @property
    def emergency(self) -> bool:
        """Numbers must be read out now: an urgent (not only vulnerable) flag, or distress."""
        return urgency.is_urgent(self.flags) or any(s.category == "distress" for s in self.signals)

    @property
    def service_code(self) -> str:
        best = self.result.best if self.result else None
        return best.code if best else ""

    @property
    def confidence(self) -> float:
        return float(self.result.confidence) if self.result else 0.0

    def flag_dicts(self) -> list[dict]:
        return [f.as_dict() for f in self.flags] + [s.as_dict() for s in self.signals]


_SENTENCE_END = re.compile(r"\s*[.!?;]+\s*")

# How callers' urgent words come out of the recogniser, or are said rather than written, mapped onto
# the words triage's rules look for (ADR 0149). Read only by ``spoken_flags``, so typed triage is
# unchanged. Each comes from the tuning calls (never the evaluation ones): "live" heard as "leave",
# "don't" as "won't", "smell" as "mail", and an article triage's rule does not expect.
SPOKEN_FORMS: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern, re.I), said)
    for pattern, said in (
        (
            r"\b(?:won'?t|don'?t|do not|wouldn'?t) want to (?:live|leave) any ?more\b"
            r"(?=\s*(?:$|[.,!?]|and\b))",
            "don't want to live",
        ),
        (r"\bwon'?t want to (?:live|be here|go on)\b", "don't want to live"),
        (r"\b(?:s?mell|smel|mail|male) (?:of )?gas\b", "smell of gas"),
        (r"\bgas (?:is )?(?:coming|pouring|hissing) (?:out|from|in)\b", "gas leak"),
        (
            r"\b(?:pulled|carrying|waving|has|holding|with) (?:the|his|her|their) (knife|gun|machete)\b",
            r"waving a \1",
        ),
        # ADR 0162: "waving" heard as "wearing" (nobody wears a knife).
        (r"\bwearing an? (knife|gun|machete)\b", r"waving a \1"),
        (
            r"\b(?:taken|took|swallowed) (?:some|a lot of|loads of|all (?:my|her|his|the)|too many) "
            r"(?:pills|tablets)\b",
            "overdose",
        ),
        # ADR 0156. (A threat to jump said at the end of a clause is read by triage's own rule.)
        # Electric cables lying on the pavement or road are down, whatever word for "down" was lost.
        (
            r"\belectric(?:ity|al)? (cables?|wires?)\b"
            r"(?=[^.!?]{0,40}\b(?:on|across|over|in) the (?:pavement|road|ground|floor|path|street|grass)\b)",
            r"fallen electric \1",
        ),
        # "ceiling" heard as "feeling" (or corrected to "fouling") when it has come down.
        (
            r"\b(?:feeling|sealing|fouling|selling)\b"
            r"(?=[^.!?]{0,30}\b(?:come|coming|fallen|falling|fell|caved) (?:down|in)\b)",
            "ceiling",
        ),
        # How callers describe a flood in their home.
        (r"\bwater (?:is |in |all )?everywhere\b", "water is pouring in"),
        # Whisper spells it "granddad"; triage's rule knows "grandfather".
        (r"\bgrand-?d?dad\b", "grandfather"),
        # "Alzheimer's" heard as "out heimers", "alt-heimer's" (a tune run with other voices, 2026-11-28).
        (r"\b(?:al[tz]?|out|alls?|old)[ -]?h[ae]imer'?s\b", "Alzheimer's"),
        # Someone on a bridge and a jump in one breath, whatever was heard between ("they may be
        # enjoying the jump"): triage's rule reads "going to jump off the bridge".
        (
            r"\b(?:(?:on|off|from|at|onto) the bridge|the bridge over)\b(?=[^.!?]{0,60}\bjump\b)",
            "on the bridge, going to jump off the bridge,",
        ),
        # Homophones the recogniser writes for a danger (a tune run with the helpers' callers, 2026-11-28):
        # "bear wires" for bare wires, "the car alive" for a car alight.
        (r"\bbear (wires?|cables?)\b", r"bare \1"),
        (
            r"\b(car|van|bin|bins|shed|fence|house|flat|building|mattress|mattresses|garage|tyres?)"
            r" (?:is |are )?(?:all )?alive\b",
            r"\1 alight",
        ),
        # Sleeping in a car, said without the "-ing" or with a pause the recogniser wrote as a comma.
        (
            r"\b(?:sleep|sleeps|sleeping|slept)\b,? (?:in|on) (?:the|a|my|our) (car|van|tent|doorway)\b",
            r"sleeping in a \1",
        ),
    )
)


def spoken_forms(text: str) -> str:
    """``text`` with the callers' forms above rewritten as triage's rules expect them."""
    for pattern, said in SPOKEN_FORMS:
        text = pattern.sub(said, text)
    return text


def spoken_flags(result: Result, *texts: str) -> list:
    """Urgency flags triage's rules raise once the recogniser's full stops are taken out.

    Whisper guesses where a caller's sentences end, and triage's rules look for their words within one
    sentence: "There's a smell of gas. And my mum is disabled." must still read as one thought. Only
    flags triage did not already raise are returned (false alarms are cheap here, misses are not)."""
    have = {f.category for f in result.flags}
    joined = [spoken_forms(_SENTENCE_END.sub(" ", t)) for t in texts if t]
    return [f for f in urgency.find_flags(*joined) if f.category not in have]


# Other hearings of the caller's words (ADR 0166): the beam search's four runners-up and a second,
# greedy decoding of the same encoder output primed with the urgent words alone. A call is urgent
# when an urgent rule (not a vulnerability one: those raised false alarms on tune) fires on any
# hearing; routing averages triage's confidences over the hearings. Tune, same decodings: urgent
# caught clean 0.896 -> 0.906, noisy 0.521 -> 0.615, false alarms 0.010 -> 0.021 / 0.031 -> 0.031;
# reply 0.92 -> 1.19 s.
CALL_ALTERNATIVES = 4
CALL_REHEAR: tuple[str, ...] = (vocabulary.PROMPT_URGENT,)
HEARING_KINDS = frozenset({"urgent"})
ROUTE_OVER_HEARINGS = True


@dataclass(frozen=True)
class OtherHearingFlag(urgency.Flag):
    """A flag whose phrase only another hearing of the call holds: the caller may not have said it,
    so staff see it marked "possibly heard" beside the words of the transcript."""

    def as_dict(self) -> dict:
        return {**super().as_dict(), "possibly": True}


def flag_phrase(flag: dict) -> str:
    """How a flag's phrase is shown to staff (callback reason, flags list)."""
    phrase = flag.get("phrase", "")
    return f"possibly heard: {phrase}" if phrase and flag.get("possibly") else phrase


def hearing_flags(result: Result, alternatives: list[str], kinds=HEARING_KINDS) -> list:
    """Flags triage's rules raise on another hearing of the call (read as ``spoken_flags`` reads
    the best one, after the correction pass too) that the best hearing did not raise, marked as
    from another hearing."""
    have = {f.category for f in result.flags}
    texts = [spoken_forms(_SENTENCE_END.sub(" ", t)) for a in alternatives for t in (a, clean_text(a)) if t]
    return [
        OtherHearingFlag(f.category, f.phrase, f.kind)
        for f in urgency.find_flags(*texts)
        if f.category not in have and f.kind in kinds
    ]


def route_over_hearings(result: Result, alternatives: list[str]) -> None:
    """Triage's service confidences averaged over every hearing (a service a hearing did not
    suggest counts 0 there); the suggestions re-ranked in place."""
    if not alternatives or not result.suggestions:
        return
    others = [analyse(clean_text(a)) for a in alternatives]
    scores: dict[str, float] = {}
    for heard in (result, *others):
        for s in heard.suggestions:
            scores[s.code] = scores.get(s.code, 0.0) + s.confidence
    n = 1 + len(others)
    first = [s for s in result.suggestions if s.from_flag]  # a flag's service stays first
    mine = {s.code: s for s in result.suggestions}
    ranked = [
        (code, total / n)
        for code, total in sorted(scores.items(), key=lambda kv: -kv[1])
        if code not in {s.code for s in first} and (code in mine or total / n >= 0.1)
    ]
    rest = []
    for code, mean in ranked[: max(4, len(result.suggestions)) - len(first)]:
        suggestion = mine.get(code) or Suggestion(code, 0.0)
        suggestion.confidence = mean
        rest.append(suggestion)
    result.suggestions = [*first, *rest]


def understand_text(
    text: str,
    transcript: Transcript | None = None,
    *,
    silent_turns: int = 0,
    spoken: bool = True,
    kinds=HEARING_KINDS,
    route_all: bool | None = None,
) -> Understanding:
    """``spoken`` False reads ``text`` exactly as typed triage would (the benchmark's baselines).
    Other hearings in ``transcript.alternatives`` add urgent flags (``kinds``) and, with
    ``route_all`` (default ``ROUTE_OVER_HEARINGS``), share in the routing."""
    transcript = transcript or Transcript()
    if not text.strip():
        return Understanding("", transcript, None, find_signals("", silent_turns=silent_turns + 1))
    result = analyse(text)
    extra = spoken_flags(result, text, tidy(transcript.text)) if spoken else []
    if extra:
        result.flags = [*result.flags, *extra]
    if spoken and transcript.alternatives:
        if ROUTE_OVER_HEARINGS if route_all is None else route_all:
            route_over_hearings(result, transcript.alternatives)
        more = hearing_flags(result, transcript.alternatives, kinds)
        if more:
            result.flags = [*result.flags, *more]
    if spoken:
        learned = caller_urgency.flag(text, result.flags)  # only when no rule spoke (ADR 0175)
        if learned is not None:
            result.flags = [*result.flags, learned]
    signals = find_signals(_SENTENCE_END.sub(" ", text) if spoken else text, silent_turns=silent_turns)
    return Understanding(text, transcript, result, signals)


def clean_text(text: str) -> str:
    """What triage reads from recognised speech (ours or a telephony platform's): the council's
    street names put back together, tidied, and near misses mapped onto the catalogue's words."""
    return vocabulary.correct(tidy(streets.restore(text))) if text.strip() else ""


def heard_text(heard: Transcript) -> str:
    return clean_text(heard.text)


def understand_transcript(heard: Transcript, *, silent_turns: int = 0) -> Understanding:
    return understand_text(heard_text(heard), heard, silent_turns=silent_turns)


def prompt_for(step: str | None) -> str:
    """The catalogue's words while the caller says what they need; nothing for their other answers.

    Measured: primed with the catalogue, Whisper base heard an espeak-ng "yes" down the line as
    nothing at all (no prompt: "Yeah."), and a "Yes. No." prompt made it repeat "Yes." to its token
    limit; so short answers are transcribed unprimed."""
    return vocabulary.prompt() if step in {None, "problem"} else ""


# Beam search for callers' words (ADR 0140). On the tuning calls (48 scripts x 4 voices, 8 kHz, clean)
# beam 5 against greedy: word error rate 0.368 -> 0.322, urgent calls caught 0.625 -> 0.750, for about
# 1.3x the decoding time (the encoder's fixed cost is unchanged). Meetings keep SPEECH_BEAM_SIZE.
CALL_BEAM_SIZE = 5

# The encoder reads a window sized to the caller's piece (at least this many seconds) instead of
# Whisper's 30 s: the encoder was most of the wait after the caller stopped (ADR 0162).
CALL_WINDOW = 10.0


def hear(
    audio: np.ndarray | bytes | str,
    *,
    language: str | None = None,
    vad: bool = True,
    prompt: str | None = None,
) -> Transcript:
    """Speech to text for a caller: one beam-search decoding, primed with ``prompt`` (None: the
    catalogue's words; "": nothing). Read the prompt beforehand when calling from a worker thread,
    which should not open a database connection of its own."""
    language = language or settings.VOICE_LANGUAGE_HINT or None
    prompt = vocabulary.prompt() if prompt is None else prompt
    # Other hearings only for what the caller needs (primed): not for a "yes" or a form's answer.
    hearings = {"alternatives": CALL_ALTERNATIVES, "rehear": CALL_REHEAR} if prompt else {}
    return transcribe(
        audio,
        language=language,
        prompt=prompt or None,
        vad=vad,
        fallback=False,
        beam_size=CALL_BEAM_SIZE,
        window=CALL_WINDOW,
        **hearings,
    )


def understand(
    audio: np.ndarray | bytes | str,
    *,
    language: str | None = None,
    silent_turns: int = 0,
    vad: bool = True,
    prompt: str | None = None,
):
    """Speech in (16 kHz samples, or encoded bytes/path), an ``Understanding`` out.

    ``vad=False`` when the caller's words were already cut out by the call's end-pointing: silero
    VAD drops a short "yes" said down a phone line (measured), and the guards still catch noise."""
    heard = hear(audio, language=language, vad=vad, prompt=prompt)
    return understand_transcript(heard, silent_turns=silent_turns)
