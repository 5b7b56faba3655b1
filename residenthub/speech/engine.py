"""The speech engine: one per process, local (faster-whisper) or a council's cloud service.

An engine is anything with ``name``, ``multilingual`` and ``transcribe(samples, language=, vad=,
prompt=, fallback=) -> Transcript``; ``SPEECH_BACKEND`` picks one. Loading the local model takes a moment
and some memory, so it happens once, on first use, and is shared by every thread (calls are
serialised: CTranslate2 already uses every thread it was given).
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Protocol

import numpy as np
from django.conf import settings

from . import guards, models
from .audio import AudioError, load_audio
from .types import Segment, Transcript

SAMPLE_RATE = 16000


class SpeechEngine(Protocol):
    name: str
    multilingual: bool

    def transcribe(
        self,
        samples: np.ndarray,
        *,
        language: str | None,
        vad: bool,
        prompt: str | None,
        fallback: bool = True,
        beam_size: int | None = None,
        window: float | None = None,
        alternatives: int = 0,
        rehear: tuple[str, ...] = (),
    ) -> Transcript: ...


# Whisper's usual schedule: decode greedily, and when the text looks wrong (repetitive, or unlikely)
# decode again hotter, up to five more times. Good for a meeting's quality; on a bad phone line it
# can multiply the time by six for no better text (benchmarks/voice.py), so the phone turns it off.
FALLBACK_TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)

# A window the model itself rates as probably not speech (faster-whisper's own bar, 0.6), whose
# greedy text was a loop, is decoded again by random sampling at a higher temperature, unseeded:
# on 3 s of hiss it wrote "0.5%" seven times in 1 of 25 runs (the guards keep three: a "sentence").
# Text found that way over likely non-speech is dropped; real speech scores far below 0.6.
NO_SPEECH_AFTER_FALLBACK = 0.6

# Whisper's encoder reads a 30-s window however short the audio: about 0.75 s of CPU for Whisper base
# int8 on 2 threads, most of a caller's wait. CTranslate2 (4.x) encodes a shorter slice of features
# as well, in proportion (0.04 s for 5.7 s), but faster-whisper pads every slice back to 3000 frames
# first (ADR 0150). ``window`` hands the encoder only the audio's own frames plus a margin of quiet,
# at least ``MIN_WINDOW`` seconds (ADR 0162); audio longer than the window reads the usual 30 s.
WINDOW_SECONDS = 30
MIN_WINDOW = 10.0
WINDOW_MARGIN = 1.0
FRAMES_PER_SECOND = 100  # Whisper's mel frames (10 ms hop)


def window_frames(seconds: float, window: float | None) -> int | None:
    """Mel frames the encoder should read for ``seconds`` of audio; None for the full 30 s."""
    if window is None:
        return None
    wanted = max(window, math.ceil(seconds + WINDOW_MARGIN))
    if wanted >= WINDOW_SECONDS:
        return None
    return int(wanted * FRAMES_PER_SECOND)


def runners_up(windows: list[list[str]], wanted: int) -> list[str]:
    """Whole-audio texts from each decoded window's ranked hypotheses: the k-th alternative reads
    each window's (k+1)-th best, or its best when the beam had fewer; ones the same as the best or
    as an earlier alternative are left out."""
    if not wanted or not windows:
        return []
    best = " ".join(w[0] for w in windows if w and w[0]).strip()
    out: list[str] = []
    for k in range(1, wanted + 1):
        text = " ".join(w[k] if k < len(w) else w[0] for w in windows if w).strip()
        text = " ".join(text.split())
        if text and text != best and text not in out:
            out.append(text)
    return out


class _Hypotheses:
    """CTranslate2's Whisper, whose decoding can also hand back other hearings of the same audio.

    faster-whisper reads only the best of the beam. With ``wanted`` set, the next best of the same
    beam are asked for too (``num_hypotheses``: the beam already holds them); with ``prompts`` set,
    the same encoder output is decoded again greedily once per prompt ("" for none) in place of the
    one faster-whisper gave: a second listen without the encoder's cost. Their texts are kept in
    ``heard`` (runners-up, one list per decoded window) and ``reheard`` (per prompt, per window).
    Everything else passes through."""

    def __init__(self, model, tokenizer):
        self._model, self._tokenizer = model, tokenizer
        self.wanted = 0
        self.prompts: tuple[str, ...] = ()
        self.heard: list[list[str]] = []
        self.reheard: dict[str, list[str]] = {}
        self._end = tokenizer.token_to_id("<|endoftext|>")
        self._previous = tokenizer.token_to_id("<|startofprev|>")
        self._start = tokenizer.token_to_id("<|startoftranscript|>")

    def __getattr__(self, name):
        return getattr(self._model, name)

    def reset(self, wanted: int = 0, prompts: tuple[str, ...] = ()) -> None:
        self.wanted, self.prompts, self.heard, self.reheard = wanted, prompts, [], {p: [] for p in prompts}

    def _text(self, ids) -> str:
        return self._tokenizer.decode([t for t in ids if t < self._end]).strip()

    def _with_prompt(self, tokens: list[int], prompt: str) -> list[int]:
        """faster-whisper's decoder prompt with its previous-text part replaced by ``prompt``'s."""
        tail = tokens[tokens.index(self._start) :] if self._start in tokens else list(tokens)
        if not prompt:
            return tail
        words = self._tokenizer.encode(" " + prompt.strip(), add_special_tokens=False).ids
        return [self._previous, *words[-200:], *tail]

    def generate(self, features, prompts, **kwargs):
        beam = kwargs.get("beam_size", 1)
        if (not self.wanted and not self.prompts) or beam < 2 or "sampling_temperature" in kwargs:
            return self._model.generate(features, prompts, **kwargs)
        if self.wanted:
            kwargs["num_hypotheses"] = min(beam, self.wanted + 1)
        results = self._model.generate(features, prompts, **kwargs)
        self.heard += [[self._text(ids) for ids in r.sequences_ids] for r in results]
        kwargs["num_hypotheses"], kwargs["beam_size"] = 1, 1
        kwargs.pop("patience", None)
        new_tokens = kwargs.get("max_length", 448) - max(len(p) for p in prompts)
        for prompt in self.prompts:
            again = [self._with_prompt(list(p), prompt) for p in prompts]
            kwargs["max_length"] = min(448, max(len(p) for p in again) + new_tokens)
            for r in self._model.generate(features, again, **kwargs):
                self.reheard[prompt].append(self._text(r.sequences_ids[0]))
        return results


class LocalWhisper:
    """Whisper through faster-whisper (CTranslate2, int8 on the CPU), with silero VAD (ONNX)."""

    def __init__(self, model: str, *, threads: int, compute_type: str, beam_size: int, model_dir: Path):
        from faster_whisper import WhisperModel

        path = models.resolve(model, model_dir)
        self.name = f"local:{model}"
        self.beam_size = beam_size
        self.model = WhisperModel(
            str(path), device="cpu", compute_type=compute_type, cpu_threads=threads, num_workers=1
        )
        self.multilingual = bool(self.model.model.is_multilingual)
        self._lock = threading.Lock()
        self._frames: int | None = None  # set under the lock for one call (``window``)
        self._detecting = False
        self.encode_frames = self.model.encode  # faster-whisper's own: features -> encoder output
        self.model.encode = self._encode
        detect = self.model.detect_language

        def detect_language(*args, **kwargs):
            # Language detection reads the full 30-s window: on a short one Whisper base took an
            # English caller for Thai (tune latency utterance, 2026-11-27) and decoded garbage.
            self._detecting = True
            try:
                return detect(*args, **kwargs)
            finally:
                self._detecting = False

        self.model.detect_language = detect_language
        self._hypotheses = _Hypotheses(self.model.model, self.model.hf_tokenizer)
        self.model.model = self._hypotheses
        self.last_hearings: dict = {}

    def _encode(self, features):
        """faster-whisper has padded ``features`` to 3000 frames; past the call's window they are
        padding its short audio does not need (``window_frames``). Not while detecting the language."""
        if self._frames is not None and not self._detecting and features.shape[-1] > self._frames:
            features = features[..., : self._frames]
        return self.encode_frames(features)

    def transcribe(
        self,
        samples: np.ndarray,
        *,
        language: str | None,
        vad: bool,
        prompt: str | None,
        fallback: bool = True,
        beam_size: int | None = None,
        window: float | None = None,
        alternatives: int = 0,
        rehear: tuple[str, ...] = (),
    ) -> Transcript:
        """``beam_size`` None: the engine's own (``SPEECH_BEAM_SIZE``). ``window`` None: the encoder
        reads Whisper's 30-s window; a number of seconds: a window sized to the audio, at least that
        long (``window_frames``; the phone's pieces, ADR 0162). Meetings leave it None.
        ``alternatives``: up to that many runners-up of the beam search, and ``rehear``: the same
        audio decoded again greedily with each of these prompts ("" none), as
        ``Transcript.alternatives`` (the phone's urgency reads every hearing, ADR 0166); meetings ask
        for neither. ``last_hearings`` keeps the last call's, by kind, for the benchmark."""
        if not self.multilingual:
            language = "en"
        with self._lock:
            self._frames = window_frames(len(samples) / SAMPLE_RATE, window)
            self._hypotheses.reset(alternatives, tuple(rehear))
            try:
                heard = self._transcribe(samples, language, vad, prompt, fallback, beam_size)
                others = runners_up(self._hypotheses.heard, alternatives)
                again = {p: " ".join(" ".join(t).split()) for p, t in self._hypotheses.reheard.items()}
                # A re-decoding that recites its prompt heard nothing (ADR 0185).
                again = {p: t for p, t in again.items() if not (p and guards.echoes_prompt(t, p))}
                self.last_hearings = {"runners_up": others, "reheard": again}
                best = " ".join(heard.text.split())
                hearings = [a for a in [*others, *again.values()] if a and a != best]
                heard.alternatives = list(dict.fromkeys(hearings))
                return heard
            finally:
                self._frames = None
                self._hypotheses.reset()

    def _transcribe(self, samples, language, vad, prompt, fallback, beam_size) -> Transcript:
        pieces, info = self.model.transcribe(
            samples,
            language=language,
            beam_size=beam_size or self.beam_size,
            vad_filter=vad,
            vad_parameters={"min_silence_duration_ms": 500, "speech_pad_ms": 200},
            condition_on_previous_text=False,  # a loop cannot feed on itself
            initial_prompt=prompt or None,
            temperature=list(FALLBACK_TEMPERATURES) if fallback else 0.0,
            # Without the hotter retries nothing stops a loop ("Yes. Yes. Yes..."): cap the
            # tokens at what a fast talker says in the window (about 3 words, 4 tokens a second).
            max_new_tokens=None if fallback else min(200, 24 + int(8 * len(samples) / SAMPLE_RATE)),
        )
        segments, notes = [], []
        for p in pieces:
            if p.temperature > 0 and p.no_speech_prob > NO_SPEECH_AFTER_FALLBACK:
                notes.append("fallback_over_noise_removed")
                continue
            segments.append(Segment(p.start, p.end, p.text.strip(), p.avg_logprob, p.no_speech_prob))
        return Transcript(
            segments=segments,
            language=info.language,
            language_probability=float(info.language_probability),
            duration=len(samples) / SAMPLE_RATE,
            notes=list(dict.fromkeys(notes)),
        )


_engine: SpeechEngine | None = None
_engine_lock = threading.Lock()


def get_engine() -> SpeechEngine:
    """The process's engine, built from settings on first use."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = build_engine()
    return _engine


def set_engine(engine: SpeechEngine | None) -> SpeechEngine | None:
    """Swap the process's engine (None: rebuild from settings on next use); returns the old one."""
    global _engine
    with _engine_lock:
        previous, _engine = _engine, engine
    return previous


def build_engine() -> SpeechEngine:
    if settings.SPEECH_BACKEND == "cloud":
        from .cloud import CloudWhisper

        return CloudWhisper(
            settings.SPEECH_CLOUD_URL,
            api_key=settings.SPEECH_CLOUD_API_KEY,
            model=settings.SPEECH_CLOUD_MODEL,
            timeout=settings.SPEECH_CLOUD_TIMEOUT_SECONDS,
        )
    return LocalWhisper(
        settings.SPEECH_MODEL,
        threads=settings.SPEECH_THREADS,
        compute_type=settings.SPEECH_COMPUTE_TYPE,
        beam_size=settings.SPEECH_BEAM_SIZE,
        model_dir=Path(settings.SPEECH_MODEL_DIR),
    )


def as_samples(audio: str | Path | bytes | np.ndarray) -> np.ndarray:
    """16 kHz mono float32 from a path, encoded bytes or an array already at 16 kHz."""
    if isinstance(audio, np.ndarray):
        if audio.ndim != 1:
            raise AudioError(f"Audio samples must be one channel (a 1-D array), not shape {audio.shape}.")
        if audio.size == 0:
            raise AudioError("The audio is empty (no samples).")
        if audio.dtype == np.int16:
            return audio.astype(np.float32) / 32768.0
        if not np.issubdtype(audio.dtype, np.floating):
            raise AudioError(f"Audio samples must be float32 or int16, not {audio.dtype}.")
        if not np.all(np.isfinite(audio)):
            raise AudioError("The audio samples contain NaN or infinite values.")
        return audio.astype(np.float32, copy=False)
    return load_audio(audio, sample_rate=SAMPLE_RATE)


def transcribe(
    audio: str | Path | bytes | np.ndarray,
    *,
    language: str | None = None,
    vad: bool = True,
    prompt: str | None = None,
    fallback: bool = True,
    beam_size: int | None = None,
    window: float | None = None,
    alternatives: int = 0,
    rehear: tuple[str, ...] = (),
) -> Transcript:
    """Speech to text. ``language`` None detects it (multilingual models); ``prompt`` biases the
    vocabulary (e.g. the names of council services); ``vad`` skips non-speech first; ``fallback``
    False decodes once, without retrying hotter (a caller waiting for a reply); ``beam_size``
    overrides ``SPEECH_BEAM_SIZE`` for this call, ``window`` shortens the local encoder's window and
    ``alternatives`` / ``rehear`` ask for other hearings (each passed on only when given)."""
    samples = as_samples(audio)
    duration = len(samples) / SAMPLE_RATE
    if guards.is_silent(samples):
        return Transcript([], language or "en", 0.0, duration, ["silence"])
    extra: dict = {"beam_size": beam_size} if beam_size else {}
    if window is not None:
        extra["window"] = window
    if alternatives:
        extra["alternatives"] = alternatives
    if rehear:
        extra["rehear"] = tuple(rehear)
    result = get_engine().transcribe(
        samples, language=language, vad=vad, prompt=prompt, fallback=fallback, **extra
    )
    result.duration = duration
    return guards.clean(result)
