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

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.db.models.fields.json import KT

from residenthub.accounts.permissions import case_visibility

from . import queries
from . import standardise as std
from .models import CaseLink, HouseholdMembership, PersonLink, SourceRecord

MAX_CANDIDATES = 400
MAX_RESULTS = 25
MIN_SCORE = 2.0

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


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity (0..1), the name comparison Splink uses too."""
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


def _records(user):
    return SourceRecord.objects.filter(removed=False, link__isnull=False).filter(
        source__in=_visible_source_ids(user)
    )


def _visible_source_ids(user) -> list[int]:
    return sorted(queries.visible_source_ids(user))


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def candidates(query: Query, user) -> list[tuple[int, int, str, str, dict]]:
    """(record pk, person pk, source slug, source key, standard) for the query's most selective part."""
    base = _records(user)
    picked = None
    if query.reference:
        persons = CaseLink.objects.filter(case__reference=query.reference, person__isnull=False).values(
            "person_id"
        )
        picked = base.filter(link__person_id__in=persons)
    elif query.email:
        picked = _key(base, "email", query.email)
    elif query.phone:
        picked = _key(base, "phone", query.phone)
    elif query.source_keys:
        keys = Q()
        for key in query.source_keys:
            slug, _, bare = key.rpartition(":")
            keys |= Q(source_key=bare, source__slug=slug) if slug else Q(source_key__in={bare, bare.upper()})
        picked = base.filter(keys)
    elif query.postcode:
        picked = _key(base, "postcode", query.postcode)
    elif query.dob:
        picked = _key(base, "dob", query.dob)
    elif query.street and not query.last:
        picked = _key(base, "street", query.street)
        if query.number:
            picked = _key(picked, "number", query.number)
    elif query.last:
        return _by_name(query, base)
    if picked is None:
        return []
    rows = picked.values_list("pk", "link__person_id", "source__slug", "source_key", "standard")
    return list(rows[:MAX_CANDIDATES])


def _key(queryset, name: str, value: str):
    """``standard->>'name' = value`` on PostgreSQL: the shape the expression indexes of migration 0002
    serve. Elsewhere Django's JSON key lookup (SQLite compares a text key with a text value)."""
    if _postgres():
        return queryset.alias(**{f"k_{name}": KT(f"standard__{name}")}).filter(**{f"k_{name}": value})
    return queryset.filter(**{f"standard__{name}": value})


def _exact_name(query: Query, base):
    """Records whose surname is exactly the one typed (with the given name's canonical form when
    one was typed, in either order): the (surname, given name) index of migration 0004."""
    names = base.alias(k_last=KT("standard__last_name"), k_canon=KT("standard__first_name_canon"))
    if len(query.first) > 1:
        return names.filter(
            Q(k_last=query.last, k_canon=query.first_canon)
            | Q(k_last=query.first, k_canon=std.canonical_first_name(query.last))
        )
    return names.filter(k_last=query.last)  # an initial or a surname alone: scored in Python


def _by_name(query: Query, base) -> list[tuple[int, int, str, str, dict]]:
    """Candidates by name. PostgreSQL: surnames similar by trigram (a misspelling still finds them; the
    GIN index of migration 0002 answers it), the closest names first, in either order (surname first
    too), so a common surname cannot crowd out the person. Elsewhere: the surname's first letters."""
    fields = ("pk", "link__person_id", "source__slug", "source_key", "standard")
    two = len(query.first) > 1
    if _postgres():
        from django.contrib.postgres.lookups import TrigramSimilar
        from django.contrib.postgres.search import TrigramSimilarity
        from django.db.models.functions import Greatest

        exact = _exact_name(query, base).values_list(*fields)[:MAX_CANDIDATES]
        rows = list(exact)
        if rows:
            return rows
        last, first = KT("standard__last_name"), KT("standard__first_name")
        condition = Q(TrigramSimilar(last, query.last))
        rank = TrigramSimilarity(last, query.last)
        if two:
            condition |= Q(TrigramSimilar(last, query.first))
            rank = Greatest(
                TrigramSimilarity(last, query.last) + TrigramSimilarity(first, query.first),
                TrigramSimilarity(last, query.first) + TrigramSimilarity(first, query.last),
            )
        rows = list(
            base.filter(condition).annotate(rank=rank).order_by("-rank").values_list(*fields)[:MAX_CANDIDATES]
        )
        if not two:  # one word: it may be a given name
            canon = std.canonical_first_name(query.last)
            rows += list(_key(base, "first_name_canon", canon).values_list(*fields)[:MAX_CANDIDATES])
        return rows
    condition = Q(standard__first_name_canon=std.canonical_first_name(query.last))
    for name in [query.last] + ([query.first] if two else []):
        condition |= Q(standard__last_name__startswith=name[:3])
    return list(base.filter(condition).values_list(*fields)[: MAX_CANDIDATES * 4])


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
    best: dict[int, float] = {}
    for _pk, person, slug, key, standard in candidates(query, user):
        score = score_record(query, standard, key, slug)
        if query.reference:
            score += 6.0
        if score > best.get(person, 0.0):
            best[person] = score
    needed = _needed_score(query)
    ranked = sorted(((p, s) for p, s in best.items() if s >= needed), key=lambda x: -x[1])[:limit]
    if not ranked:
        return query, []
    return query, _describe(ranked, user)


def _needed_score(query: Query) -> float:
    """A result must fit more than one weak part: a postcode alone is not a person."""
    if query.reference or query.email or query.phone or query.source_keys:
        return 4.0
    parts = sum(bool(x) for x in (query.postcode, query.dob, query.street, query.last))
    return MIN_SCORE if parts <= 1 else MIN_SCORE + 1.0


def _describe(ranked: list[tuple[int, float]], user) -> list[Result]:
    """Name, date of birth, current address, household, sources and open cases, in two queries: the
    persons (with their open cases the user may see and their current household, as subqueries) and
    their records from sources the user may see."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from residenthub.cases.models import Case

    from .models import Person

    ids = [p for p, _ in ranked]
    open_cases = (
        Case.objects.filter(case_visibility(user), is_open=True, identity_link__person=OuterRef("pk"))
        .order_by()
        .values("identity_link__person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    current = HouseholdMembership.objects.filter(person=OuterRef("pk"), current=True)
    household_fields = {
        "hh_id": Subquery(current.values("household__public_id")[:1]),
        "hh_label": Subquery(current.values("household__label")[:1]),
    }
    evidence = "source_ids" in {f.name for f in HouseholdMembership._meta.get_fields()}
    if evidence:  # which sources put the person there (only those the user may see count)
        household_fields["hh_sources"] = Subquery(current.values("source_ids")[:1])
    persons = {
        p.pk: p
        for p in Person.objects.filter(pk__in=ids).annotate(
            open_cases=Coalesce(Subquery(open_cases), 0), **household_fields
        )
    }
    allowed = set(_visible_source_ids(user))
    records = defaultdict(list)
    for person_id, name, restricted, standard in (
        PersonLink.objects.filter(person_id__in=ids, record__removed=False)
        .filter(record__source__in=list(allowed))
        .values_list("person_id", "record__source__name", "record__source__restricted", "record__standard")
    ):
        records[person_id].append((name, restricted, standard))
    results = []
    for person_id, score in ranked:
        person = persons.get(person_id)
        if person is None:
            continue
        held = records.get(person_id, [])
        result = Result(person_id=person_id, public_id=person.public_id, score=round(score, 2))
        # Council systems' records before cases typed by residents; the latest first; a full
        # address before a postcode alone.
        by_date = sorted(
            held,
            key=lambda r: (r[2].get("source") != "cases", r[2].get("record_date") or ""),
            reverse=True,
        )
        for _name, _restricted, s in by_date:
            if not result.name and (s.get("first_name") or s.get("last_name")):
                result.name = display_name(s)
            if not result.dob and s.get("dob"):
                result.dob = s["dob"]
            if not result.address and s.get("street"):
                result.address = address_label(s)
        if not result.address:
            result.address = next((s["postcode"] for _n, _r, s in by_date if s.get("postcode")), "")
        result.sources = sorted({name for name, _r, _s in held})
        result.restricted = any(r for _n, r, _s in held)
        if person.hh_id and (not evidence or allowed.intersection(person.hh_sources or [])):
            result.household, result.household_label = person.hh_id, person.hh_label or ""
        result.open_cases = person.open_cases
        results.append(result)
    return results


def display_name(s: dict) -> str:
    return " ".join(x for x in [s.get("first_name"), s.get("last_name")] if x).title()
