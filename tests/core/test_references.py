import random

import pytest

from residenthub.core import references
from residenthub.core.references import ALPHABET


def test_generated_references_have_the_prefix_and_readable_characters():
    for _ in range(500):
        reference = references.generate("DBC")
        prefix, first, second = reference.split("-")
        assert prefix == "DBC"
        assert len(first) == len(second) == 4
        assert not set(first + second) & set("01OI")
        assert references.normalise(reference, "DBC") == reference


def test_references_are_not_sequential_or_repeated():
    generated = {references.generate("DBC") for _ in range(5000)}
    assert len(generated) == 5000


@pytest.mark.parametrize("typed", ["dbc-k7mq-4txa", " DBC K7MQ 4TXA ", "k7mq4txa", "DBC_K7MQ.4TXA"])
def test_normalise_forgives_case_spaces_and_missing_prefix(typed):
    body = "K7MQ4TX"
    reference = f"DBC-{body[:4]}-{body[4:]}" + references._check_character(body)
    typed = typed.upper().replace("4TXA", "4TX" + references._check_character(body))
    assert references.normalise(typed, "DBC") == reference


def test_every_single_character_error_is_caught():
    rng = random.Random(1)
    for _ in range(200):
        reference = references.generate("DBC")
        code = reference.replace("DBC-", "").replace("-", "")
        for position in range(len(code)):
            for char in ALPHABET:
                if char == code[position] or {char, code[position]} == {"2", "Z"}:
                    continue
                typo = code[:position] + char + code[position + 1 :]
                assert references.normalise(typo, "DBC") is None, (code, typo)
        position = rng.randrange(len(code) - 1)
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        if swapped != code and {code[position], code[position + 1]} != {"2", "Z"}:
            assert references.normalise(swapped, "DBC") is None


@pytest.mark.parametrize("bad", ["", "DBC", "DBC-0000-0000", "DBC-K7MQ-4TX", "<script>", "DBC-K7MQ-4TXAA"])
def test_rubbish_is_not_a_reference(bad):
    assert references.normalise(bad, "DBC") is None
