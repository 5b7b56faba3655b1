"""Case references: short, readable aloud, unique, not guessable in sequence.

A reference is the council prefix and eight characters from an alphabet without 0/O and 1/I
(the letters people mishear or misread), e.g. ``DBC-K7MQ-4TXA``. Seven characters are random
(32**7 = 34 billion) and the eighth is a check character, so a mistyped reference is caught
before any lookup.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: no 0, O, 1, I
_RANDOM_LENGTH = 7


def _check_character(body: str) -> str:
    # Weighted sum modulo the prime 31 (weights 1..7). It catches every single-character
    # error and every swap of neighbours, the two mistakes people make on the phone, except
    # the one pair of symbols 31 apart ("2" and "Z").
    total = sum((index + 1) * ALPHABET.index(char) for index, char in enumerate(body))
    return ALPHABET[total % 31]


def generate(prefix: str) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(_RANDOM_LENGTH))
    code = body + _check_character(body)
    return f"{prefix}-{code[:4]}-{code[4:]}"


def normalise(text: str, prefix: str) -> str | None:
    """Turn what a resident typed into the canonical reference, or None if it cannot be one.

    Spaces, dashes and letter case are forgiven; a wrong character or a swapped pair fails the
    check character and gives None.
    """
    cleaned = re.sub(r"[\s\-_.]", "", text.upper())
    if cleaned.startswith(prefix) and len(cleaned) > _RANDOM_LENGTH + 1:
        cleaned = cleaned[len(prefix) :]
    if len(cleaned) != _RANDOM_LENGTH + 1 or any(char not in ALPHABET for char in cleaned):
        return None
    if _check_character(cleaned[:-1]) != cleaned[-1]:
        return None
    return f"{prefix}-{cleaned[:4]}-{cleaned[4:]}"
