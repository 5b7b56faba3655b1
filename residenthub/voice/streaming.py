"""Transcribe a caller's words while they are still speaking, so the reply starts soon after they stop.

Whisper reads whole stretches of audio, not a live stream, so we cut the utterance at the caller's
own pauses: once at least ``min_piece`` seconds have been heard and the caller pauses for
``pause`` seconds, everything up to the pause is handed to a worker thread and transcribed while
the caller carries on. When they stop, only the words since the last cut are left to transcribe.
Cutting at pauses (never mid-word) keeps the pieces' word error rate close to the whole's (measured
in ``benchmarks/voice.py``). A piece still running when the caller stops is waited for.

The early tail (``early=True``): at a pause too soon after the last cut for a piece of its own, the
words since that cut are transcribed anyway, as a guess that the caller has finished. The call's
end-pointing waits 0.7 s of quiet before it decides they have; this starts the last piece 0.3 s into
that wait instead of after it. If the caller speaks again the guess is dropped (its result is never
used); if not, ``finish()`` uses it and the quiet frames after it are not transcribed at all.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable

import numpy as np

from residenthub.speech import Segment, Transcript

RATE = 8000  # what the phone line gives us


def joined_alternatives(pieces: list[Transcript]) -> list[str]:
    """Other hearings of the whole utterance: the k-th joins each piece's k-th other hearing (its
    best where it has fewer), so every hearing reads the caller's words from start to end."""
    most = max((len(p.alternatives) for p in pieces), default=0)
    out = []
    for k in range(most):
        text = " ".join(p.alternatives[k] if k < len(p.alternatives) else p.text for p in pieces).strip()
        if text and text not in out:
            out.append(text)
    return out


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
        early: bool = True,
    ):
        self._transcribe = transcribe
        self.language = language
        self.min_piece = min_piece
        self.pause = pause
        self.rate = rate
        self.early = early
        self._frames: list[np.ndarray] = []
        self._pending = 0  # samples since the last cut
        self._quiet = 0.0
        self._offset = 0.0  # seconds of audio already handed over
        self._pieces: list[concurrent.futures.Future] = []
        self._offsets: list[float] = []
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="partial-stt")
        self._lock = threading.Lock()
        self._spoken = False  # a loud frame since the last cut
        self._guess: concurrent.futures.Future | None = None  # the early tail, while it may be the last
        self.cuts = 0
        self.guesses = 0  # early tails started (used or dropped)

    def add(self, frame: np.ndarray, *, loud: bool) -> None:
        """One frame of the utterance (after its start), and whether it held speech."""
        self._frames.append(frame)
        self._pending += len(frame)
        if loud:
            self._quiet, self._spoken = 0.0, True
            if self._guess is not None:  # the caller went on: the guess is void
                self._guess.cancel()
                self._guess = None
        else:
            self._quiet += len(frame) / self.rate
        if self._quiet >= self.pause and self._spoken and self._guess is None:  # a guess covers it
            if self._pending / self.rate >= self.min_piece:
                self._cut()
            elif self.early:
                self._guess = self._pool.submit(self._run, np.concatenate(self._frames))
                self.guesses += 1

    def _cut(self) -> None:
        samples = np.concatenate(self._frames)
        self._frames, self._pending, self._spoken = [], 0, False
        if self._guess is not None:  # the same words (and more) are now a piece of their own
            self._guess.cancel()
            self._guess = None
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
        has_tail = tail is not None and tail.size > 0
        rest = [*self._frames, *([tail] if has_tail else [])]
        guess, spoken = self._guess, self._spoken
        self._frames, self._pending, self._guess, self._spoken = [], 0, None, False
        if guess is not None and not has_tail:  # nothing loud since the guess: it is the last piece
            self._offsets.append(self._offset)
            self._offset += sum(len(f) for f in rest) / self.rate
            self._pieces.append(guess)
        elif rest and (spoken or has_tail or not self._pieces):
            self._submit(np.concatenate(rest))
        elif rest:  # only the end-pointing's quiet since the last cut: nothing to transcribe
            self._offset += sum(len(f) for f in rest) / self.rate
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
            alternatives=joined_alternatives(results),
        )

    def close(self) -> None:
        for piece in self._pieces:
            piece.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)
