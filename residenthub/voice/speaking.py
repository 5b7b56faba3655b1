"""How the agent says things: numbers digit by digit, references character by character."""

from __future__ import annotations

import re

_DIGITS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
           "7": "seven", "8": "eight", "9": "nine"}  # fmt: skip


def phone_number(number: str) -> str:
    """0800 111 999 -> "0 8 0 0, 1 1 1, 9 9 9": groups kept, each digit said alone."""
    groups = [g for g in re.split(r"\s+", number.strip()) if g]
    return ", ".join(" ".join(_DIGITS.get(ch, ch) for ch in group if ch.isalnum()) for group in groups)


def reference(ref: str) -> str:
    """DBC-K7MQ-4TXA -> "D, B, C. K, 7, M, Q. 4, T, X, A": every character, a pause between parts."""
    parts = [p for p in ref.split("-") if p]
    return ". ".join(", ".join(_DIGITS.get(ch, ch) for ch in part) for part in parts) + "."
