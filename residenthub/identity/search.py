"""Person search for staff: one box, any mix of name, date of birth, postcode, address, email, phone,
case reference or source system ID.

The query is read into parts (``parse``); the most selective part picks candidate records from the
database (an index lookup: email, phone, source key, postcode, date of birth, street, or the
surname by trigram similarity on PostgreSQL), and every candidate is then scored against all the
parts in Python (``score_record``), so a misspelt name still ranks the right person first when the
postcode or date of birth agrees. Only records of sources the user may see are read
(``queries.visible_sources``): a person known only to a restricted source is not found by other
teams. ADR 0070 records why this reads ``SourceRecord.standard`` through expression indexes
instead of a separate search table.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Q

from residenthub.accounts.permissions import case_visibility

from . import queries
from . import standardise as std
from .models import CaseLink, HouseholdMembership, PersonLink, SourceRecord

MAX_CANDIDATES = 400
MAX_RESULTS = 25
MIN_SCORE = 2.0
TRIGRAM_THRESHOLDS = (0.5, 0.3)  # pg_trgm's default is 0.3

_REFERENCE = re.compile(r"\b[A-Za-z]{1,4}-[2-9A-HJ-NP-Za-hj-np-z]{4}-[2-9A-HJ-NP-Za-hj-np-z]{4}\b")
_EMAIL = re.compile(r"[^@\s,]+@[^@\s,]+\.[A-Za-z0-9-]{2,}")
_POSTCODE = re.compile(r"\b([A-Za-z]{1,2}[0-9][0-9A-Za-z]?)\s*([0-9][A-Za-z]{2})\b")
_DATE = re.compile(r"\b(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2} [A-Za-z]{3,9} \d{4})\b")
_PHONE = re.compile(r"(?<![\w-])(\+?\d[\d ]{8,14}\d)(?![\w-])")
_SOURCE_KEY = re.compile(r"^(?:[a-z0-9_-]+:)?[A-Za-z]*\d[A-Za-z0-9_-]*$")
STREET_WORDS = {
    "road",
    "street",
    "avenue",
    "lane",
    "close",
    "court",
    "crescent",
    "drive",
    "gardens",
    "grove",
    "place",
    "square",
    "terrace",
    "way",
    "park",
    "hill",
    "row",
    "walk",
    "rd",
    "st",
    "ave",
}


@dataclass
class Query:
    """What the officer typed, read into parts. Every part is optional."""

    text: str = ""
    reference: str = ""
    email: str = ""
    phone: str = ""
    postcode: str = ""
    dob: str = ""
    source_keys: list[str] = field(default_factory=list)
    first: str = ""  # a clean given name, or one letter (an initial)
    first_canon: str = ""
    last: str = ""
    number: str = ""
    street: str = ""

    @property
    def empty(self) -> bool:
        return not any(
            [
                self.reference,
                self.email,
                self.phone,
                self.postcode,
                self.dob,
                self.source_keys,
                self.first,
                self.last,
                self.street,
            ]
        )


def parse(text: str) -> Query:
    """Read the parts of a query. Unreadable parts are left as name or address words."""
    text = " ".join((text or "").split())[:200]
    query = Query(text=text)
    rest = text
    match = _REFERENCE.search(rest)
    if match:
        query.reference = match.group(0).upper()
        rest = rest.replace(match.group(0), " ")
    match = _EMAIL.search(rest)
    if match:
        try:
            query.email = std.normalise_email(match.group(0))
        except std.InvalidValue:
            query.email = ""
        rest = rest.replace(match.group(0), " ")
    match = _DATE.search(rest)
    if match:
        try:
            query.dob = std.parse_dob(match.group(0))
            rest = rest.replace(match.group(0), " ")
        except std.InvalidValue:
            pass
    for match in _POSTCODE.finditer(rest):
        try:
            query.postcode = std.normalise_postcode(match.group(0))
        except std.InvalidValue:
            continue
        rest = rest.replace(match.group(0), " ")
        break
    match = _PHONE.search(rest)
    if match and len(re.sub(r"\D", "", match.group(1))) >= 10:
        try:
            query.phone = std.normalise_phone(match.group(1))
            rest = rest.replace(match.group(1), " ")
        except std.InvalidValue:
            pass
    words = []
    for word in rest.replace(",", " ").split():
        if _SOURCE_KEY.match(word) and not word.isdigit():
            query.source_keys.append(word)
        else:
            words.append(word)
    clean = std.clean_name(" ".join(words)).split()
    # "14 Station Road": a number starts an address; so does a word like "road".
    address_at = next(
        (i for i, w in enumerate(clean) if re.fullmatch(r"\d+[a-z]?", w) or w in STREET_WORDS), None
    )
    if address_at is not None:
        if re.fullmatch(r"\d+[a-z]?", clean[address_at]):
            query.number = clean[address_at]
            street_words = clean[address_at + 1 :]
        else:
            street_words = clean[max(0, address_at - 1) : address_at + 1]
            address_at = max(0, address_at - 1)
        expanded = std.parse_address("1 " + " ".join(street_words)).street if street_words else ""
        query.street = expanded
        clean = clean[:address_at]
    if len(clean) == 1:
        query.last = clean[0]
    elif clean:
        query.first, query.last = clean[0], clean[-1]
    query.first_canon = std.canonical_first_name(query.first) if len(query.first) > 1 else query.first
    return query


# --- similarity ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity (0..1), the name comparison Splink uses too. Remembered: candidates
    repeat the same few names (the surname typed against each record's), and it is pure Python."""
    if a == b:
        return 1.0 if a else 0.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    a_hit, b_hit = [False] * len(a), [False] * len(b)
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_hit[j] and b[j] == ch:
                a_hit[i] = b_hit[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    a_m = [ch for ch, hit in zip(a, a_hit, strict=True) if hit]
    b_m = [ch for ch, hit in zip(b, b_hit, strict=True) if hit]
    transpositions = sum(x != y for x, y in zip(a_m, b_m, strict=True)) / 2
    jaro = (matches / len(a) + matches / len(b) + (matches - transpositions) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def _name_score(query: Query, s: dict) -> float:
    """0..4: surname up to 2.5, given name up to 1.5 (nickname and initial aware, either order)."""

    def one(first: str, first_canon: str, last: str) -> float:
        score = 0.0
        if last:
            candidates = [s.get("last_name", ""), s.get("previous_last_name", "")]
            best = max(jaro_winkler(last, c.replace("-", " ")) for c in candidates)
            best = max(
                best, max((jaro_winkler(last, part) for part in s.get("last_name", "").split("-")), default=0)
            )
            score += 2.5 * best if best >= 0.8 else 0.0
        if first:
            record_first = s.get("first_name", "")
            if len(first) == 1:
                score += 0.8 if record_first[:1] == first else 0.0
            elif first_canon and first_canon == s.get("first_name_canon"):
                score += 1.5
            else:
                sim = jaro_winkler(first, record_first)
                score += 1.5 * sim if sim >= 0.85 else 0.0
                if not sim >= 0.85 and s.get("middle_name", "").split()[:1] == [first]:
                    score += 0.7
        return score

    straight = one(query.first, query.first_canon, query.last)
    if query.first and len(query.first) > 1:
        swapped_first = query.last
        swapped = one(swapped_first, std.canonical_first_name(swapped_first), query.first)
        return max(straight, swapped)
    if query.last and not query.first:
        # One word: a surname, or a given name.
        alone = 1.5 if std.canonical_first_name(query.last) == s.get("first_name_canon") else 0.0
        return max(straight, alone)
    return straight


def score_record(query: Query, s: dict, source_key: str = "", source_slug: str = "") -> float:
    """How well one standard record fits the query; identifiers weigh most, names least."""
    score = 0.0
    if query.email:
        score += 5.0 if s.get("email") == query.email else 0.0
    if query.phone:
        score += 4.0 if s.get("phone") == query.phone else 0.0
    if query.source_keys:
        keys = {source_key.lower(), f"{source_slug}:{source_key}".lower()}
        score += 6.0 if any(k.lower() in keys for k in query.source_keys) else 0.0
    if query.dob:
        if s.get("dob") == query.dob:
            score += 3.0
        elif s.get("dob_swap") == query.dob or std.dob_swapped(query.dob) == s.get("dob"):
            score += 2.0
    if query.postcode:
        score += 2.0 if s.get("postcode") == query.postcode else 0.0
    if query.street:
        street = s.get("street", "")
        if street and jaro_winkler(query.street, street) >= 0.88:
            score += 1.0 + (1.0 if query.number and s.get("number") == query.number else 0.0)
    if query.first or query.last:
        score += _name_score(query, s)
    return score


# --- candidates ----------------------------------------------------------------------------------
# One SQL statement per lookup, written out rather than built by the ORM: at a million records the
# statement itself is a millisecond, and the ORM's compiling of the joins and JSON lookups cost more
# than the lookup (ADR 0070). ``standard ->> 'key'`` is the expression the indexes of migrations 0002
# and 0004 are built on (PostgreSQL); SQLite (3.38+) reads the same syntax without indexes.

Row = tuple[int, int, int, str, dict]  # record pk, person pk, source pk, source key, standard


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _json(value) -> dict:
    return json.loads(value) if isinstance(value, str | bytes) else (value or {})


def _json_list(value) -> list:
    return json.loads(value) if isinstance(value, str | bytes) else (value or [])


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _select(sources: list[int], condition: str, params: list, *, order: str = "", order_params=(), limit=0):
    """Linked, not removed records of the visible ``sources`` that meet ``condition``. The records are
    limited before the join to their links, so the planner knows it joins a few hundred rows at most
    (with a misestimated trigram match it would otherwise hash the whole link table)."""
    if not sources:
        return []
    record, link = SourceRecord._meta.db_table, PersonLink._meta.db_table
    sql = (
        "SELECT s.id, l.person_id, s.source_id, s.source_key, s.standard FROM ("  # noqa: S608
        f"SELECT r.id, r.source_id, r.source_key, r.standard FROM {record} r "
        f"WHERE NOT r.removed AND r.source_id IN ({_marks(sources)}) AND ({condition}) "
        f"{order} LIMIT {int(limit or MAX_CANDIDATES)}"
        f") s JOIN {link} l ON l.record_id = s.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sources, *params, *order_params])
        rows = cursor.fetchall()
    return [(pk, person, source, key, _json(standard)) for pk, person, source, key, standard in rows]


@contextmanager
def _planned():
    """PostgreSQL: the trigram lookups in a transaction of their own, planned for the few hundred rows
    they return. Key lookups need nothing: migration 0006's expression statistics let the planner
    see that an email matches three rows (without them it guessed 0.5% of the table, the expression
    indexes being partial, and started parallel workers to read three rows). A trigram match is
    still a guess, so here: no parallel workers, no JIT, and the similarity threshold set per
    statement. Inside a caller's transaction the settings would outlive the search: left alone."""
    if not _postgres() or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
                "set_config('jit', 'off', true)"
            )
        token = _TUNED.set(True)
        try:
            yield
        finally:
            _TUNED.reset(token)


_TUNED: ContextVar[bool] = ContextVar("person_search_tuned", default=False)


def _trigram_threshold(value: float) -> None:
    """Only inside ``_planned``'s own transaction (``SET LOCAL`` ends with it)."""
    if _TUNED.get():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(value)])


def _key(name: str) -> str:
    return f"(r.standard ->> '{name}')"


def candidates(query: Query, user) -> list[Row]:
    """(record pk, person pk, source pk, source key, standard) for the query's most selective part."""
    visible = queries.visible_source_rows(user)
    sources = sorted(visible)
    if query.reference:
        from residenthub.cases.models import Case

        caselink, case = CaseLink._meta.db_table, Case._meta.db_table
        linked = (
            f"l.person_id IN (SELECT cl.person_id FROM {caselink} cl JOIN {case} c "  # noqa: S608
            "ON c.id = cl.case_id WHERE c.reference = %s AND cl.person_id IS NOT NULL)"
        )
        return _select(sources, linked, [query.reference])
    if query.email:
        return _select(sources, f"{_key('email')} = %s", [query.email])
    if query.phone:
        return _select(sources, f"{_key('phone')} = %s", [query.phone])
    if query.source_keys:
        slug_pk = {slug: pk for pk, (slug, _n, _r) in visible.items()}
        conditions, params = [], []
        for key in query.source_keys:
            slug, _, bare = key.rpartition(":")
            if slug:
                if slug in slug_pk:
                    conditions.append("(r.source_key = %s AND r.source_id = %s)")
                    params += [bare, slug_pk[slug]]
            else:
                conditions.append("r.source_key IN (%s, %s)")
                params += [bare, bare.upper()]
        return _select(sources, " OR ".join(conditions), params) if conditions else []
    if query.postcode:
        return _select(sources, f"{_key('postcode')} = %s", [query.postcode])
    if query.dob:
        return _select(sources, f"{_key('dob')} = %s", [query.dob])
    if query.street and not query.last:
        if query.number:
            return _select(
                sources, f"{_key('street')} = %s AND {_key('number')} = %s", [query.street, query.number]
            )
        return _select(sources, f"{_key('street')} = %s", [query.street])
    if query.last:
        return _by_name(query, sources)
    return []


def _exact_name(query: Query, sources: list[int]) -> list[Row]:
    """Both words exact, in either order ("Smith John", "Smith, John", "John Smith"): each word as
    the surname with the other word's canonical given name. PostgreSQL answers it from the
    (surname, given name) index of migration 0004; SQLite reads the same statement unindexed."""
    return _select(
        sources,
        f"({_key('last_name')} = %s AND {_key('first_name_canon')} = %s) OR "
        f"({_key('last_name')} = %s AND {_key('first_name_canon')} = %s)",
        [query.last, query.first_canon, query.first, std.canonical_first_name(query.last)],
    )


def _pairs(query: Query) -> list[tuple[str, str]]:
    """(surname as typed, canonical given name) for both readings of a two-word name."""
    return [(query.last, query.first_canon), (query.first, std.canonical_first_name(query.last))]


def _given_exact_surname_close(query: Query, sources: list[int]) -> list[Row]:
    """PostgreSQL, two words, no exact match: the given name exact (its canonical form) and the
    surname misspelt, either by trigram similarity or by its first letters, in either order, the
    closest surnames first. Migration 0007's GIN index on (canonical given name, surname trigrams)
    answers both conditions at once: tens of index entries instead of the thousands a surname's
    trigrams alone match at a million records (ADR 0133)."""
    pairs = _pairs(query)
    close = " OR ".join(
        f"({_key('first_name_canon')} = %s AND ({_key('last_name')} %% %s OR {_key('last_name')} LIKE %s))"
        for _ in pairs
    )
    params = [x for last, canon in pairs for x in (canon, last, _prefix(last))]
    return _select(
        sources,
        close,
        params,
        order="ORDER BY GREATEST("
        f"similarity({_key('last_name')}, %s), similarity({_key('last_name')}, %s)) DESC",
        order_params=[query.last, query.first],
    )


def _surname_exact_given_close(query: Query, sources: list[int]) -> list[Row]:
    """PostgreSQL, two words, no exact match: the surname exact and the given name misspelt, in
    either order; all records of the surname from migration 0004's index (a common surname is a
    few thousand), the closest given names first."""
    return _select(
        sources,
        f"{_key('last_name')} = %s OR {_key('last_name')} = %s",
        [query.last, query.first],
        order="ORDER BY GREATEST("
        f"CASE WHEN {_key('last_name')} = %s THEN similarity({_key('first_name')}, %s) ELSE 0 END, "
        f"CASE WHEN {_key('last_name')} = %s THEN similarity({_key('first_name')}, %s) ELSE 0 END) DESC",
        order_params=[query.last, query.first, query.first, query.last],
    )


def _prefix(name: str) -> str:
    """Surnames that start alike: 3 letters, 4 from names of 7 or more (a LIKE pattern)."""
    return name[: 3 if len(name) <= 6 else 4] + "%"


def _by_name(query: Query, sources: list[int]) -> list[Row]:
    """Candidates by name, in tiers, each tried only when the one before found nothing; the cheap
    and precise ones first (ADR 0133). Both words exact, in either order (both databases). Then on
    PostgreSQL, for two words: one word exact and the other close (the given name exact with a
    misspelt surname, or the surname exact with a misspelt given name). Only when those find
    nothing (both words misspelt) or for one word alone: surnames similar by trigram (the GIN index
    of migration 0002), closest first, and surnames that start alike. Elsewhere (SQLite): the
    surname's first letters."""
    two = len(query.first) > 1
    canon = std.canonical_first_name(query.last)
    if two:
        rows = _exact_name(query, sources)
        if rows:
            return rows
    if _postgres():
        if not two:  # a surname alone or with an initial (the initial is scored in Python)
            rows = _select(sources, f"{_key('last_name')} = %s", [query.last])
            if rows:
                return rows
        similar = f"{_key('last_name')} %% %s"
        # Close spellings first (a strict threshold reads few index entries); a short or badly
        # misspelt surname ("smyth" for "smith" is 0.33) only when those are too few.
        with _planned():
            if two:
                _trigram_threshold(TRIGRAM_THRESHOLDS[-1])
                rows = _given_exact_surname_close(query, sources)
                rows = rows or _surname_exact_given_close(query, sources)
                if rows:
                    return rows
            for threshold in TRIGRAM_THRESHOLDS:
                _trigram_threshold(threshold)
                if two:
                    rows = _select(
                        sources,
                        f"{similar} OR {similar}",
                        [query.last, query.first],
                        order="ORDER BY GREATEST("
                        f"similarity({_key('last_name')}, %s) + similarity({_key('first_name')}, %s), "
                        f"similarity({_key('last_name')}, %s) + similarity({_key('first_name')}, %s)) DESC",
                        order_params=[query.last, query.first, query.first, query.last],
                    )
                else:
                    rows = _select(
                        sources,
                        similar,
                        [query.last],
                        order=f"ORDER BY similarity({_key('last_name')}, %s) DESC",
                        order_params=[query.last],
                    )
                if len(rows) >= MAX_RESULTS:
                    break
            if len(rows) < MAX_RESULTS:
                # A transposition near the end of a short name shares few trigrams ("obrein" and
                # "obrien" are 0.27): surnames that start alike (the trigram index answers LIKE
                # too), closest first; Jaro-Winkler ranks them. Slow (seconds at a million records)
                # when the start is common and the trigrams found almost nothing; reached only by a
                # surname typed alone or two misspelt words (ADR 0070, 0132).
                names = [query.last] + ([query.first] if two else [])
                rows += _select(
                    sources,
                    " OR ".join([f"{_key('last_name')} LIKE %s"] * len(names)),
                    [_prefix(name) for name in names],
                    order=f"ORDER BY similarity({_key('last_name')}, %s) DESC",
                    order_params=[query.last],
                )
        if not two:  # one word: it may be a given name
            rows += _select(sources, f"{_key('first_name_canon')} = %s", [canon])
        return rows
    conditions, params = [f"{_key('first_name_canon')} = %s"], [canon]
    for name in [query.last] + ([query.first] if two else []):
        conditions.append(f"{_key('last_name')} LIKE %s")
        params.append(name[:3] + "%")
    return _select(sources, " OR ".join(conditions), params, limit=MAX_CANDIDATES * 4)


# --- results -------------------------------------------------------------------------------------


@dataclass
class Result:
    person_id: int
    public_id: str
    score: float
    name: str = ""
    dob: str = ""
    address: str = ""
    household: str = ""
    household_label: str = ""
    sources: list[str] = field(default_factory=list)
    open_cases: int = 0
    restricted: bool = False


def address_label(s: dict) -> str:
    """'Flat 2, 14 Station Road, E20 1AB' from a standard record."""
    parts = [
        s.get("flat") and f"Flat {s['flat']}",
        " ".join(x for x in [s.get("number"), (s.get("street") or "").title()] if x),
        (s.get("town") or "").title(),
        s.get("postcode"),
    ]
    return ", ".join(p for p in parts if p)


def search_people(text: str, user, *, limit: int = MAX_RESULTS) -> tuple[Query, list[Result]]:
    """The persons that fit ``text`` best, with what the results table shows, for ``user``."""
    query = parse(text)
    if query.empty:
        return query, []
    return query, _search(query, user, limit)


def _search(query: Query, user, limit: int) -> list[Result]:
    best: dict[int, float] = {}
    slugs = {pk: slug for pk, (slug, _n, _r) in queries.visible_source_rows(user).items()}
    for _pk, person, source, key, standard in candidates(query, user):
        score = score_record(query, standard, key, slugs.get(source, ""))
        if query.reference:
            score += 6.0
        if score > best.get(person, 0.0):
            best[person] = score
    needed = _needed_score(query)
    ranked = sorted(((p, s) for p, s in best.items() if s >= needed), key=lambda x: -x[1])[:limit]
    return _describe(ranked, user) if ranked else []


def _needed_score(query: Query) -> float:
    """A result must fit more than one weak part: a postcode alone is not a person."""
    if query.reference or query.email or query.phone or query.source_keys:
        return 4.0
    parts = sum(bool(x) for x in (query.postcode, query.dob, query.street, query.last))
    if parts <= 1:
        return MIN_SCORE
    # A name with a date of birth or postcode: the name must fit too (the date alone scores 3.0),
    # or every resident born that day would be listed beside the one asked for.
    return MIN_SCORE + (1.5 if query.last else 1.0)


def _describe(ranked: list[tuple[int, float]], user) -> list[Result]:
    """Name, date of birth, current address, household, sources and open cases of the ranked
    persons, in two short statements: their records from sources the user may see (with the person's
    public ID, the current household, and raw values for names as written), and their open cases the
    user may see (not asked for when the user may see no case)."""
    from residenthub.cases.models import Case

    from .models import Household, Person

    ids = [p for p, _ in ranked]
    visible = queries.visible_source_rows(user)
    allowed = set(visible)
    records = defaultdict(list)
    public_ids: dict[int, str] = {}
    record, link, person = SourceRecord._meta.db_table, PersonLink._meta.db_table, Person._meta.db_table
    member, household = HouseholdMembership._meta.db_table, Household._meta.db_table
    evidence = "source_ids" in {f.name for f in HouseholdMembership._meta.get_fields()}
    households: dict[int, tuple[str, str, list]] = {}
    # The current household rides on each record row (a scalar subquery per row, a handful of rows):
    # one round trip fewer than asking for the households apart.
    current = (
        f"FROM {member} m JOIN {household} h ON h.id = m.household_id "
        "WHERE m.person_id = l.person_id AND m.current ORDER BY m.id LIMIT 1"
    )
    columns = [f"(SELECT h.public_id {current})", f"(SELECT h.label {current})"]
    if evidence:
        columns.append(f"(SELECT m.source_ids {current})")
    if allowed:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT l.person_id, p.public_id, r.source_id, r.standard, r.data, {', '.join(columns)} "  # noqa: S608
                f"FROM {link} l JOIN {person} p ON p.id = l.person_id JOIN {record} r ON r.id = l.record_id "
                f"WHERE l.person_id IN ({_marks(ids)}) AND NOT r.removed "
                f"AND r.source_id IN ({_marks(allowed)})",
                [*ids, *sorted(allowed)],
            )
            for person_id, public_id, source, standard, data, *home in cursor.fetchall():
                _slug, name, restricted = visible[source]
                public_ids[person_id] = public_id
                records[person_id].append((name, restricted, _json(standard), _json(data)))
                if home[0]:
                    households[person_id] = (home[0], home[1] or "", _json_list(home[2]) if evidence else [])
    open_cases: dict[int, int] = {}
    visibility = case_visibility(user)
    if visibility != Q(pk__in=[]):
        open_cases = dict(
            Case.objects.filter(visibility, is_open=True, identity_link__person_id__in=ids)
            .order_by()
            .values_list("identity_link__person")
            .annotate(n=Count("pk"))
        )
    results = []
    for person_id, score in ranked:
        if person_id not in public_ids:
            continue
        held = records[person_id]
        result = Result(person_id=person_id, public_id=public_ids[person_id], score=round(score, 2))
        # Council systems' records before cases typed by residents; the latest first; a full
        # address before a postcode alone.
        by_date = sorted(
            held,
            key=lambda r: (r[2].get("source") != "cases", r[2].get("record_date") or ""),
            reverse=True,
        )
        for _name, _restricted, s, raw in by_date:
            if not result.name and (s.get("first_name") or s.get("last_name")):
                result.name = display_name(s, raw)
            if not result.dob and s.get("dob"):
                result.dob = s["dob"]
            if not result.address and s.get("street"):
                result.address = address_label(s)
        if not result.address:
            result.address = next((s["postcode"] for _n, _r, s, _d in by_date if s.get("postcode")), "")
        result.sources = sorted({name for name, _r, _s, _d in held})
        result.restricted = any(r for _n, r, _s, _d in held)
        hh_id, hh_label, hh_sources = households.get(person_id, ("", "", []))
        if hh_id and (not evidence or allowed.intersection(hh_sources)):
            result.household, result.household_label = hh_id, hh_label
        result.open_cases = open_cases.get(person_id, 0)
        results.append(result)
    return results


_NAME_WORD = re.compile(r"[^\W\d_]+")


def name_case(text: str) -> str:
    """A name typed all in capitals or all in lower case, in name case: "O'BRIEN" -> "O'Brien",
    "smith-jones" -> "Smith-Jones". A name with mixed case is kept as typed ("McDonald")."""
    if text != text.upper() and text != text.lower():
        return text
    return _NAME_WORD.sub(lambda m: m.group(0).capitalize(), text.lower())


def display_name(s: dict, raw: dict | None = None) -> str:
    """The name to show staff: as the source system wrote it (``raw``: the record's mapped values,
    ``SourceRecord.data``), so apostrophes, hyphens and accents stay ("O'Brien", not "Obrien"),
    without titles; the standard (clean) form when the record kept no raw values."""
    raw = raw or {}
    first, last = str(raw.get("first_name") or ""), str(raw.get("last_name") or "")
    text = f"{first} {last}"
    if not (first.strip() or last.strip()):
        text = str(raw.get("full_name") or raw.get("name") or "")  # "name": records of web cases
        if "," in text:  # "O'Brien, Margaret"
            surname, _, given = text.partition(",")
            text = f"{given} {surname}"
    words = [w for w in text.split() if std.clean_text(w) not in std.TITLES]
    if words and any(std.clean_text(w) for w in words):
        return name_case(" ".join(words))
    return " ".join(x for x in [s.get("first_name"), s.get("last_name")] if x).title()
