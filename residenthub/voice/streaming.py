"""Transcribe a caller's words while they are still speaking, so the reply starts soon after they stop.

Whisper reads whole stretches of audio, not a live stream, so we cut the utterance at the caller's
own pauses: once at least ``min_piece`` seconds have been heard and the caller pauses for
``pause`` seconds, everything up to the pause is handed to a worker thread and transcribed while
the caller carries on. When they stop, only the words since the last cut are left to transcribe.
Cutting at pauses (never mid-word) keeps the pieces' word error rate close to the whole's (measured
in ``benchmarks/voice.py``). A piece still running when the caller stops is waited for.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable

import numpy as np

from residenthub.speech import Segment, Transcript

RATE = 8000  # what the phone line gives us


class PartialTranscriber:
    """Feed it the line's frames; ``finish()`` returns the whole utterance's transcript.

    ``transcribe(samples_8k, language)`` is the speech-to-text call (returns a ``Transcript``); the
    first piece's detected language is passed to the later ones, so a long call is not re-detected
    on a short tail."""

    def __init__(
        self,
        transcribe: Callable[[np.ndarray, str | None], Transcript],
        *,
        language: str | None = None,
        min_piece: float = 3.0,
        pause: float = 0.3,
        rate: int = RATE,
    ):
        self._transcribe = transcribe
        self.language = language
        self.min_piece = min_piece
        self.pause = pause
        self.rate = rate
        self._frames: list[np.ndarray] = []
        self._pending = 0  # samples since the last cut
        self._quiet = 0.0
        self._offset = 0.0  # seconds of audio already handed over
        self._pieces: list[concurrent.futures.Future] = []
        self._offsets: list[float] = []
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="partial-stt")
        self._lock = threading.Lock()
        self.cuts = 0

    def add(self, frame: np.ndarray, *, loud: bool) -> None:
        """One frame of the utterance (after its start), and whether it held speech."""
        self._frames.append(frame)
        self._pending += len(frame)
        self._quiet = 0.0 if loud else self._quiet + len(frame) / self.rate
        if self._quiet >= self.pause and self._pending / self.rate >= self.min_piece:
            self._cut()

    def _cut(self) -> None:
        samples = np.concatenate(self._frames)
        self._frames, self._pending = [], 0
        self._submit(samples)
        self.cuts += 1

    def _submit(self, samples: np.ndarray) -> None:
        self._offsets.append(self._offset)
        self._offset += len(samples) / self.rate
        self._pieces.append(self._pool.submit(self._run, samples))

    def _run(self, samples: np.ndarray) -> Transcript:
        heard = self._transcribe(samples, self.language)
        with self._lock:
            if self.language is None and heard.text:
                self.language = heard.language
        return heard

    def finish(self, tail: np.ndarray | None = None) -> Transcript:
        """Transcribe what is left (plus ``tail``, frames not fed through ``add``) and join the pieces."""
        rest = [*self._frames, *([tail] if tail is not None and tail.size else [])]
        self._frames, self._pending = [], 0
        if rest:
            self._submit(np.concatenate(rest))
        results = [piece.result() for piece in self._pieces]
        self._pool.shutdown(wait=False)
        segments: list[Segment] = []
        notes: list[str] = []
        for offset, heard in zip(self._offsets, results, strict=True):
            segments += [
                Segment(s.start + offset, s.end + offset, s.text, s.avg_logprob, s.no_speech_prob)
                for s in heard.segments
            ]
            notes += [n for n in heard.notes if n not in notes]
        first = next((h for h in results if h.text), results[0] if results else Transcript())
        if len(results) > 1:
            notes.append(f"pieces:{len(results)}")
        return Transcript(
            segments=segments,
            language=first.language,
            language_probability=first.language_probability,
            duration=self._offset,
            notes=notes,
        )

    def close(self) -> None:
        for piece in self._pieces:
            piece.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)
