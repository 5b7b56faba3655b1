"""A seeded synthetic UK council population, spread over five source systems, with the truth kept.

    python benchmarks/population.py --persons 400000 --out /tmp/pop.csv   # ~1M records

Persons live in households (shared address and surname), some move (a second address with a later
record date), and every source copy may carry typos, nicknames, swapped day/month, missing fields.
Columns: record_id, source, person (the truth), household (the truth), first_name, surname, dob,
email, phone, address_1, postcode, uprn, record_date. Used by the tests (small) and the benchmark.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator

FIRST = [
    "william",
    "bill",
    "liam",
    "margaret",
    "peggy",
    "maggie",
    "elizabeth",
    "liz",
    "beth",
    "james",
    "jim",
    "jamie",
    "robert",
    "bob",
    "rob",
    "mary",
    "molly",
    "john",
    "jack",
    "sarah",
    "sally",
    "thomas",
    "tom",
    "katherine",
    "kate",
    "katie",
    "edward",
    "ted",
    "richard",
    "rick",
    "susan",
    "sue",
    "michael",
    "mike",
    "david",
    "dave",
    "jennifer",
    "jenny",
    "joseph",
    "joe",
    "charlotte",
    "charlie",
    "emily",
    "olivia",
    "amelia",
    "isla",
    "ava",
    "noah",
    "oliver",
    "george",
    "harry",
    "leo",
    "arthur",
    "muhammad",
    "fatima",
    "aisha",
    "priya",
    "raj",
    "oscar",
    "jacob",
    "freya",
    "grace",
    "sophia",
    "lily",
    "ella",
    "mia",
    "ivy",
    "evie",
    "florence",
]
SURNAMES = [
    "smith",
    "jones",
    "williams",
    "taylor",
    "brown",
    "davies",
    "evans",
    "wilson",
    "thomas",
    "johnson",
    "roberts",
    "robinson",
    "thompson",
    "wright",
    "walker",
    "white",
    "edwards",
    "hughes",
    "green",
    "hall",
    "lewis",
    "harris",
    "clarke",
    "patel",
    "jackson",
    "wood",
    "turner",
    "martin",
    "cooper",
    "hill",
    "ward",
    "morris",
    "moore",
    "clark",
    "lee",
    "king",
    "baker",
    "harrison",
    "morgan",
    "allen",
    "james",
    "scott",
    "phillips",
    "watson",
    "davis",
    "parker",
    "price",
    "bennett",
    "young",
    "griffiths",
    "mitchell",
    "kelly",
    "cook",
    "carter",
    "richardson",
    "bailey",
    "collins",
    "bell",
    "shaw",
    "murphy",
    "miller",
    "cox",
    "richards",
    "khan",
    "marshall",
    "anderson",
    "simpson",
    "ellis",
    "adams",
    "singh",
    "begum",
    "wilkinson",
    "foster",
    "chapman",
    "powell",
    "webb",
    "rogers",
    "gray",
    "mason",
    "ali",
    "hunt",
    "hussain",
    "campbell",
    "matthews",
    "owen",
    "palmer",
    "holmes",
    "mills",
    "barnes",
    "knight",
    "lloyd",
    "butler",
    "russell",
    "barker",
    "fisher",
    "stevens",
    "jenkins",
    "murray",
    "dixon",
    "harvey",
    "graham",
    "pearson",
    "ahmed",
    "fletcher",
    "walsh",
    "kaur",
    "gibson",
    "howard",
    "andrews",
    "stewart",
    "elliott",
    "reynolds",
    "saunders",
    "payne",
    "fox",
    "ford",
    "pearce",
    "day",
    "brooks",
    "west",
    "lawrence",
]
STREET_NAMES = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Park Road",
    "Victoria Road",
    "Green Lane",
    "Manor Road",
    "Church Street",
    "Park Avenue",
    "The Avenue",
    "Queens Road",
    "Mill Lane",
    "Kings Road",
    "New Road",
    "Grange Road",
    "London Road",
    "Albert Road",
    "York Road",
    "Springfield Road",
    "Windsor Road",
]
DISTRICTS = ["E1", "E2", "E3", "E5", "E8", "E9", "E10", "E15", "E17", "E20", "N1", "N16", "SE1", "SW9", "NW1"]
SOURCES = ("council_tax", "housing", "benefits", "social_care", "waste")
NICK = {
    "william": "bill",
    "margaret": "peggy",
    "elizabeth": "liz",
    "james": "jim",
    "robert": "bob",
    "mary": "molly",
    "john": "jack",
    "sarah": "sally",
    "thomas": "tom",
    "katherine": "kate",
    "edward": "ted",
    "richard": "rick",
    "susan": "sue",
    "michael": "mike",
    "david": "dave",
}
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# The lists above are the common names. A real borough also has a long tail of rarer names; without
# it, 400,000 people would share a few thousand first-name/surname pairs (dozens of different people
# per pair), which no council sees and which no blocking rule could cope with. The tail is made up
# from syllables, so it is ours and needs no licence.
_HEADS = [
    "ash", "bar", "black", "brad", "brook", "cart", "chad", "craw", "dal", "dun", "fair", "farn",
    "gold", "hart", "hol", "kings", "lang", "mar", "mel", "mid", "new", "north", "pen", "ram",
    "red", "rock", "south", "stan", "thorn", "wake", "west", "whit", "win", "york", "ald", "bel",
    "cran", "east", "hather", "lock",
]  # fmt: skip
_TAILS = [
    "ley", "ton", "field", "worth", "ford", "well", "wood", "by", "ham", "more", "son", "man",
    "er", "combe", "hurst", "bridge", "croft", "dale", "wick", "stone", "brook", "land", "low",
    "shaw", "ridge",
]  # fmt: skip
_SYLLABLES = [
    "ka", "ko", "ma", "mo", "na", "ni", "ta", "to", "ra", "ri", "sa", "se", "la", "lo", "da", "de",
    "ba", "bo", "ya", "yu", "ha", "hi", "pa", "po", "ga", "go", "fa", "fe", "wa", "we", "ze", "zo",
    "cha", "sha", "tu", "ku", "nu", "mi", "ji", "vi",
]  # fmt: skip


def _surname(rng: random.Random) -> str:
    """A quarter common surnames, a third place-like (Ashworth), the rest from three syllables."""
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(SURNAMES)
    if roll < 0.6:
        return rng.choice(_HEADS) + rng.choice(_TAILS)
    return "".join(rng.choice(_SYLLABLES) for _ in range(3))


_COMMON_FIRST = [f for f in FIRST if f not in NICK.values()]


def _first_name(rng: random.Random) -> str:
    """Mostly common given names; one in three from two syllables and an ending (Kemira)."""
    if rng.random() < 0.67:
        return rng.choice(_COMMON_FIRST)
    return rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES) + rng.choice(["", "a", "n", "h", "el"])


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i + 1 :]
    if kind < 0.7:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i + 1 :]


def _address(rng: random.Random, index: int) -> dict:
    district = rng.choice(DISTRICTS)
    postcode = f"{district} {rng.randint(1, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"
    return {
        "address_1": f"{rng.randint(1, 250)} {rng.choice(STREET_NAMES)}",
        "postcode": postcode,
        "uprn": str(100000000 + index),
    }


def generate(persons: int, seed: int = 2026) -> Iterator[dict]:
    """Yield source records (about 2.5 per person) with the truth."""
    rng = random.Random(seed)
    made = 0
    household_index = 0
    record_number = 0
    while made < persons:
        household_index += 1
        home = _address(rng, household_index)
        surname = _surname(rng)
        size = min(rng.choice([1, 1, 2, 2, 2, 3, 4, 5]), persons - made)
        for _ in range(size):
            made += 1
            person = f"T{made}"
            first = _first_name(rng)
            last = surname if rng.random() < 0.85 else _surname(rng)
            year, month, day = rng.randint(1930, 2008), rng.randint(1, 12), rng.randint(1, 28)
            email = f"{first}.{last}{rng.randint(1, 99)}@example.com" if rng.random() < 0.6 else ""
            phone = f"07700 9{rng.randint(0, 99999):05d}" if rng.random() < 0.5 else ""
            addresses = [(home, f"20{rng.randint(10, 18)}-01-01")]
            if rng.random() < 0.15:
                household_index += 1
                addresses.append((_address(rng, household_index), f"20{rng.randint(19, 25)}-06-01"))
            copies = rng.choice([1, 1, 2, 2, 3, 3, 4, 5])
            for source in rng.sample(SOURCES, min(copies, len(SOURCES))):
                address, when = rng.choice(addresses)
                record_number += 1
                f, s = first, last
                if rng.random() < 0.15 and first in NICK:
                    f = NICK[first]
                if rng.random() < 0.08:
                    f = _typo(rng, f)
                if rng.random() < 0.08:
                    s = _typo(rng, s)
                d, m = day, month
                if rng.random() < 0.03 and day <= 12:
                    d, m = month, day
                dob = f"{year:04d}-{m:02d}-{d:02d}" if rng.random() < 0.9 else ""
                if dob and rng.random() < 0.3:
                    dob = f"{d:02d}/{m:02d}/{year:04d}"
                yield {
                    "record_id": f"R{record_number}",
                    "source": source,
                    "person": person,
                    "household": f"HH{household_index}" if address is home else f"HH{address['uprn']}",
                    "first_name": f.title() if rng.random() < 0.7 else f.upper(),
                    "surname": s.title(),
                    "dob": dob,
                    "email": email if rng.random() < 0.7 else "",
                    "phone": phone if rng.random() < 0.7 else "",
                    "address_1": address["address_1"] if rng.random() < 0.9 else "",
                    "postcode": address["postcode"] if rng.random() < 0.9 else "",
                    "uprn": address["uprn"] if source in ("council_tax", "housing") else "",
                    "record_date": when,
                }


COLUMNS = (
    "record_id",
    "source",
    "person",
    "household",
    "first_name",
    "surname",
    "dob",
    "email",
    "phone",
    "address_1",
    "postcode",
    "uprn",
    "record_date",
)

MAPPING = """id: record_id
fields:
  first_name: first_name
  last_name: surname
  dob: dob
  email: email
  phone: phone
  address_1: address_1
  postcode: postcode
  uprn: uprn
  record_date: record_date
"""


def write(path: str, persons: int, seed: int = 2026) -> int:
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in generate(persons, seed):
            writer.writerow(row)
            count += 1
    return count


# --- loading into PostgreSQL (benchmarks/point_of_entry.py, benchmarks/person_search.py) ----------
# One copy of the COPY loading both database benchmarks use: records standardised through the identity
# mapping (as an import would), then written with COPY in the shape ``identity.actions`` writes them
# (an import through the ORM would take far longer than the query it sets up).


def standardised(csv_path):
    """The population read through the identity mapping, and the truth of each record:
    ``(data, {record_id: (source, person, household)})``."""
    import yaml

    from residenthub.identity.sources import Mapping, load_input

    mapping = Mapping.from_dict(yaml.safe_load(MAPPING + "invalid_values: blank\n"))
    with open(csv_path, encoding="utf-8", newline="") as handle:
        facts = {r["record_id"]: (r["source"], r["person"], r["household"]) for r in csv.DictReader(handle)}
    return load_input(mapping, csv_path), facts


def copy_rows(cursor, sql: str, rows) -> None:
    """``COPY ... FROM STDIN`` with psycopg 3 (rows are tuples in the statement's column order)."""
    with cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def copy_records(cursor, data, source_pk: dict[str, int], facts: dict, now) -> dict[str, int]:
    """Every standardised record into ``identity_sourcerecord``; returns record id -> primary key."""
    import json

    record_pk = {r["unique_id"]: i for i, r in enumerate(data.records, start=1)}
    copy_rows(
        cursor,
        "COPY identity_sourcerecord (id, source_id, source_key, data, standard, fingerprint, "
        "first_seen, last_seen, removed) FROM STDIN",
        (
            (
                record_pk[r["unique_id"]],
                source_pk[facts[r["unique_id"]][0]],
                r["unique_id"],
                json.dumps(data.raw[r["unique_id"]]),
                json.dumps(r),
                "",
                now,
                now,
                False,
            )
            for r in data.records
        ),
    )
    return record_pk


def copy_persons(cursor, person_pks, now) -> None:
    copy_rows(
        cursor,
        "COPY identity_person (id, public_id, created_at, archived) FROM STDIN",
        ((pk, f"P{pk:09d}", now, False) for pk in person_pks),
    )


def copy_links(cursor, pairs, run_id, now) -> None:
    """``(record pk, person pk)`` pairs into ``identity_personlink``."""
    copy_rows(
        cursor,
        "COPY identity_personlink (record_id, person_id, probability, run_id, locked, updated_at) FROM STDIN",
        ((record, person, None, run_id, False, now) for record, person in pairs),
    )


def reset_sequences(cursor, tables) -> None:
    """After COPY with explicit ids: the next id the ORM takes follows the loaded ones."""
    for table in tables:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=400_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    print(write(args.out, args.persons, args.seed), "records written to", args.out)
