"""Whisper's English normaliser: word error rates count words, not writing conventions."""

from __future__ import annotations

import pytest

from residenthub.speech.normalise import normalise


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("It's number thirty one Foxglove Way.", "it is number 31, Foxglove way"),
        ("He can't get up; he's eighty-seven.", "He can not get up. He is 87"),
        ("The colour of the kerb", "the color of the kerb"),
        ("I've got twenty pounds", "I have got £20"),
        ("Mr Smith", "mister smith"),
    ],
)
def test_same_words_written_differently_normalise_alike(a, b):
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("there's a smell of gas", "there's a smell of glass"),
        ("number four", "number five"),
        ("my mum is disabled", "my mum is enabled"),
    ],
)
def test_different_words_stay_different(a, b):
    assert normalise(a) != normalise(b)


def test_fillers_brackets_and_empty_text():
    assert normalise("um, the bin [inaudible] (laughs) was missed") == "the bin was missed"
    assert normalise("") == ""
    assert normalise("...!?") == ""
