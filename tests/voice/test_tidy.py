"""Recognised speech tidied for triage's extractors, whatever case the recogniser chose."""

from __future__ import annotations

import pytest

from residenthub.voice.pipeline import tidy


@pytest.mark.parametrize(
    ("heard", "tidied"),
    [
        ("number 4 Riverside, close has been out", "number 4 Riverside Close has been out"),
        ("number 4 riverside, close has been out", "number 4 Riverside Close has been out"),  # beam search
        ("outside 12 kestrel road", "outside 12 Kestrel Road"),
    ],
)
def test_street_names_are_capitalised(heard, tidied):
    assert tidy(heard) == tidied


@pytest.mark.parametrize("heard", ["it is very close to the shops", "we live near the road", "up the hill"])
def test_ordinary_words_before_a_street_word_are_left_alone(heard):
    assert tidy(heard) == heard
