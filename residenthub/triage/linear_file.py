"""The JSON file of a small fitted linear model over sentence vectors (384 weights, a bias and a bar,
plus any fixed matrices it needs). The chatter gate and the vulnerability check are both stored this
way; one reader keeps their validation and error messages alike."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np

WIDTH = 384  # the sentence encoder's vector size


def save(path: Path, weights: np.ndarray, bias: float, bar: float, scores: dict, **matrices) -> Path:
    """Write the model; numbers rounded to six places so a refit's diff stays readable."""
    data = {"weights": [round(float(w), 6) for w in weights], "bias": round(float(bias), 6)}
    for name, matrix in matrices.items():
        data[name] = [[round(float(x), 6) for x in row] for row in matrix]
    data.update({"bar": bar, "scores": scores})
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


def load(path: Path, error: type[Exception], what: str, matrices: dict[str, tuple[int, int]] | None = None):
    """(weights, bias, bar, scores, {name: matrix}) from ``path``; ``error`` names what is wrong.

    ``matrices`` gives each extra matrix's expected shape."""
    matrices = matrices or {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = np.asarray(data["weights"], dtype=np.float64)
        found = {name: np.asarray(data[name], dtype=np.float64) for name in matrices}
        bias, bar = float(data["bias"]), float(data["bar"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise error(f"{path}: not a {what} file ({exc})") from None
    if weights.shape != (WIDTH,):
        raise error(f"{path}: expected {WIDTH} weights, found {weights.size}")
    for name, shape in matrices.items():
        if found[name].shape != shape:
            rows, width = shape
            raise error(f"{path}: expected {rows} {name} vectors of {width}, found {found[name].shape}")
    if not 0.0 < bar <= 1.0:
        raise error(f"{path}: the bar must be in (0, 1], found {bar}")
    return weights, bias, bar, data.get("scores", {}), found


class Shipped:
    """A fitted model read from its file once per process (threads share the read); None when the file is
    absent, so whatever uses it runs without it. ``put`` replaces it after a refit, and in tests."""

    def __init__(self, read: Callable[[Path], object], default: Path):
        self._read, self._default = read, default
        self._lock = threading.Lock()
        self._loaded: dict[Path, object] = {}

    def get(self, path: Path | None = None):
        path = path or self._default
        if path not in self._loaded:
            with self._lock:
                if path not in self._loaded:
                    self._loaded[path] = self._read(path) if path.exists() else None
        return self._loaded[path]

    def put(self, value, path: Path | None = None) -> None:
        self._loaded[path or self._default] = value


@dataclass
class Linear:
    """A logistic regression over one sentence vector and the bar its probability is compared with. A
    subclass names its file, the error its loading raises and what to call it in that error."""

    weights: np.ndarray
    bias: float
    bar: float
    scores: dict = field(default_factory=dict)

    FILE: ClassVar[Path]
    ERROR: ClassVar[type[Exception]] = ValueError
    WHAT: ClassVar[str] = "linear model"

    def probability(self, vector: np.ndarray) -> float:
        value = float(np.asarray(vector, dtype=np.float64) @ self.weights + self.bias)
        return 1.0 / (1.0 + np.exp(-value))

    def save(self, path: Path | None = None) -> Path:
        path = path or self.FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        return save(path, self.weights, self.bias, self.bar, self.scores)

    @classmethod
    def from_file(cls, path: Path):
        weights, bias, bar, scores, _ = load(path, cls.ERROR, cls.WHAT)
        return cls(weights, bias, bar, scores)
