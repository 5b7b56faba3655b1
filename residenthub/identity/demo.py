"""The demo's five source extracts, and loading them (``hub identity demo``).

The extracts under ``data/demo/`` are synthetic: ``generate()`` writes them from a fixed seed over the
demo addresses (``residenthub/core/data/demo_addresses.csv``), and the shipped files are its output
(``tests/identity/test_demo.py`` checks they still are). Regenerate with
``python -m residenthub.identity.demo``. About 330 residents in about 170 households, copied into
council tax, housing tenancies, benefits, adult social care (restricted) and libraries with the
variations real systems have: nicknames, typos, missing dates of birth, day/month swaps, previous
surnames, people who moved (older systems keep the old address with an older record date), UPRNs in
some systems and not others.

The named demo resident is Margaret O'Brien (``DEMO_RESIDENT``), Flat 2, 14 Station Road, E20 1AB.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

DEMO_DIR = Path(__file__).parent / "data" / "demo"
ADDRESSES = Path(__file__).resolve().parents[1] / "core" / "data" / "demo_addresses.csv"
SEED = 2026

# (file, mapping, owning team slug for a restricted source)
SOURCES = [
    ("council_tax.csv", "council_tax.yaml", None),
    ("housing_tenancies.csv", "housing_tenancies.yaml", None),
    ("benefits.csv", "benefits.yaml", None),
    ("adult_social_care.csv", "adult_social_care.yaml", "adult-social-care"),
    ("libraries.csv", "libraries.yaml", None),
]

DEMO_RESIDENT = {
    "name": "Margaret O'Brien",
    "spellings": ["Margaret O'Brien", "Peggy OBrien", "Maggie O'Brien"],
    "dob": "1958-04-07",
    "email": "maggie.obrien@example.com",
    "uprn": "100090000057",
    "address": "Flat 2, 14 Station Road",
    "postcode": "E20 1AB",
}

# (canonical, [nicknames]) - every short form is in identity/data/nicknames.csv
FEMALE = [
    ("margaret", ["peggy", "maggie", "meg"]),
    ("elizabeth", ["liz", "beth", "betty"]),
    ("katherine", ["kate", "katie"]),
    ("susan", ["sue", "susie"]),
    ("jennifer", ["jenny", "jen"]),
    ("patricia", ["pat", "trish"]),
    ("deborah", ["debbie", "deb"]),
    ("rebecca", ["becky", "becca"]),
    ("victoria", ["vicky", "tori"]),
    ("sarah", ["sally"]),
    ("aisha", []),
    ("priya", []),
    ("fatima", []),
    ("chloe", []),
    ("sian", []),
    ("olivia", []),
    ("grace", []),
    ("amara", []),
    ("zofia", []),
    ("ngozi", []),
]
MALE = [
    ("william", ["bill", "will", "billy"]),
    ("robert", ["bob", "rob", "bobby"]),
    ("james", ["jim", "jimmy", "jamie"]),
    ("thomas", ["tom", "tommy"]),
    ("richard", ["rick", "dick", "richie"]),
    ("edward", ["ted", "eddie", "ed"]),
    ("michael", ["mike", "mick"]),
    ("anthony", ["tony"]),
    ("christopher", ["chris"]),
    ("daniel", ["dan", "danny"]),
    ("joseph", ["joe"]),
    ("patrick", ["pat", "paddy"]),
    ("mohammed", []),
    ("arjun", []),
    ("kwame", []),
    ("tomasz", []),
    ("oliver", []),
    ("gareth", []),
    ("declan", []),
    ("yusuf", []),
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Khan",
    "Begum",
    "Ahmed",
    "Okafor",
    "Mensah",
    "Nowak",
    "Kowalski",
    "Evans",
    "Thomas",
    "Roberts",
    "Hughes",
    "Clarke",
    "Walker",
    "Wright",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Lewis",
    "Martin",
    "Jackson",
    "Singh",
    "Shah",
    "Adeyemi",
    "Murphy",
    "Kelly",
    "Fitzgerald",
    "McDonald",
    "Campbell",
    "Stewart",
    "Reid",
    "Hussain",
    "Ali",
    "Nguyen",
    "Chen",
    "Rossi",
    "Costa",
    "Baker",
    "Turner",
    "Cooper",
    "Ward",
]
GP_PRACTICES = [
    "Carpenters Practice",
    "Stratford Village Surgery",
    "Liberty Bridge Road",
    "Sir Ludwig Guttmann",
]
NI_PREFIXES = ["AB", "CE", "JK", "PR", "SW", "TY", "HL", "MA", "WP", "ZX"]


@dataclass
class Resident:
    key: str
    first: str  # canonical
    nicknames: list[str]
    last: str
    sex: str
    dob: dt.date
    address: dict  # current
    moved_from: dict | None = None
    moved_on: dt.date | None = None
    maiden: str = ""
    middle: str = ""
    email: str = ""
    phone: str = ""
    ni: str = ""
    nhs: str = ""
    sources: set[str] = field(default_factory=set)


def _addresses() -> list[dict]:
    with open(ADDRESSES, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _nhs(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randint(1, len(word) - 2)
    kind = rng.choice(["swap", "drop", "double", "vowel"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    vowels = "aeiou"
    return word[:i] + (rng.choice(vowels) if word[i] not in vowels else rng.choice("aeiou")) + word[i + 1 :]


def _line(address: dict) -> str:
    return ", ".join(x for x in [address["line1"], address["line2"]] if x)


def _residents(rng: random.Random) -> list[Resident]:
    addresses = _addresses()
    special = next(a for a in addresses if a["uprn"] == DEMO_RESIDENT["uprn"])
    pool = [a for a in addresses if a is not special]
    rng.shuffle(pool)
    homes, spare = pool[:170], pool[170:]
    residents: list[Resident] = []
    used_emails: set[str] = set()

    def person(last, sex, age_from, age_to, address):
        first, nicknames = rng.choice(FEMALE if sex == "f" else MALE)
        born = dt.date(2025, 1, 1) - dt.timedelta(days=rng.randint(age_from * 365, age_to * 365))
        r = Resident(f"R{len(residents) + 1:04d}", first, nicknames, last, sex, born, address)
        if rng.random() < 0.25:
            r.middle = rng.choice(FEMALE if sex == "f" else MALE)[0]
        domain = rng.choice(["com", "org", "net"])
        email = f"{first}.{last.lower().replace(' ', '')}{rng.randint(1, 99)}@example.{domain}"
        if rng.random() < 0.7 and email not in used_emails:
            r.email = email
            used_emails.add(email)
        if rng.random() < 0.6:
            r.phone = f"07700 900{rng.randint(0, 999):03d}"
        if rng.random() < 0.8:
            r.ni = f"{rng.choice(NI_PREFIXES)}{rng.randint(0, 999999):06d}{rng.choice('ABCD')}"
        r.nhs = _nhs(rng)
        if rng.random() < 0.12:
            r.moved_from = rng.choice(spare)
            r.moved_on = dt.date(rng.randint(2017, 2023), rng.randint(1, 12), rng.randint(1, 28))
        residents.append(r)
        return r

    for address in homes:
        surname = rng.choice(SURNAMES)
        size = rng.choices([1, 2, 3, 4], weights=[35, 40, 15, 10])[0]
        first = person(surname, rng.choice("fm"), 25, 90, address)
        if size >= 2:
            partner_last = surname if rng.random() < 0.8 else rng.choice(SURNAMES)
            partner = person(partner_last, "m" if first.sex == "f" else "f", 25, 90, address)
            partner.dob = first.dob + dt.timedelta(days=rng.randint(-2000, 2000))
            wife = partner if partner.sex == "f" else first
            if wife.last == surname and rng.random() < 0.7:
                wife.maiden = rng.choice([s for s in SURNAMES if s != surname])
            partner.moved_from, partner.moved_on = first.moved_from, first.moved_on
        for _ in range(max(0, size - 2)):
            child = person(surname, rng.choice("fm"), 18, 30, address)
            child.moved_from = None

    # The named demo resident and her husband (see docs/identity.md).
    margaret = Resident(
        "R0000",
        "margaret",
        ["peggy", "maggie"],
        "O'Brien",
        "f",
        dt.date(1958, 4, 7),
        special,
        maiden="Kelly",
        middle="ann",
        email=DEMO_RESIDENT["email"],
        phone="07700 900457",
        ni="JK581047C",
        nhs=_nhs(rng),
    )
    patrick = Resident(
        "R0001",
        "patrick",
        ["paddy"],
        "O'Brien",
        "m",
        dt.date(1955, 11, 2),
        special,
        phone="07700 900458",
        ni="JK220655A",
        nhs=_nhs(rng),
    )
    return [margaret, patrick, *residents]


def _dob_text(rng: random.Random, dob: dt.date, fmt: str, *, missing: float, swap: float) -> str:
    if rng.random() < missing:
        return ""
    if dob.day <= 12 and dob.day != dob.month and rng.random() < swap:
        dob = dt.date(dob.year, dob.day, dob.month)
    return dob.strftime(fmt)


def _name(rng: random.Random, r: Resident, *, nickname: float, typo: float, maiden: bool = False):
    first = r.first
    if r.nicknames and rng.random() < nickname:
        first = rng.choice(r.nicknames)
    last = r.maiden if maiden and r.maiden else r.last
    if rng.random() < typo:
        if rng.random() < 0.5:
            first = _typo(rng, first)
        else:
            last = _typo(rng, last)
    last = last.replace("'", "") if rng.random() < 0.3 else last
    return first.title(), last


def _when(rng: random.Random, r: Resident, *, old: bool) -> tuple[dict, str]:
    """The address a source holds and its record date: old systems may not have seen a move."""
    if r.moved_from and old:
        date = r.moved_on - dt.timedelta(days=rng.randint(60, 1500))
        return r.moved_from, date.isoformat()
    start = r.moved_on or dt.date(2012, 1, 1)
    date = start + dt.timedelta(days=rng.randint(30, 600))
    return r.address, min(date, dt.date(2025, 11, 30)).isoformat()


def _rows(rng: random.Random, residents: list[Resident]) -> dict[str, tuple[list[str], list[list[str]]]]:
    tax, housing, benefits, care, libraries = [], [], [], [], []
    margaret, patrick = residents[0], residents[1]
    for r in residents:
        special = r in (margaret, patrick)
        age = (dt.date(2025, 6, 1) - r.dob).days // 365
        # Council tax: liable adults, UPRN, titles, DD/MM/YYYY dates (often missing), current address.
        if special or rng.random() < 0.85:
            first, last = _name(rng, r, nickname=0.1, typo=0.04)
            if special:
                first, last = r.first.title(), r.last
            address, date = _when(rng, r, old=False)
            title = ("Mrs" if r.maiden else rng.choice(["Ms", "Miss", ""])) if r.sex == "f" else "Mr"
            dob = (
                r.dob.strftime("%d/%m/%Y")
                if special
                else _dob_text(rng, r.dob, "%d/%m/%Y", missing=0.25, swap=0.03)
            )
            tax.append(
                [
                    f"CT{len(tax) + 100001}",
                    title,
                    first,
                    last,
                    dob,
                    address["line1"],
                    address["line2"],
                    address["town"],
                    address["postcode"],
                    address["uprn"],
                    r.email if (special or rng.random() < 0.5) else "",
                    rng.choice("ABCDEF"),
                    date,
                ]
            )
        # Housing tenancies: "SURNAME, First", ISO dates, NI numbers, UPRN, one-line address.
        if special or rng.random() < 0.35:
            first, last = _name(rng, r, nickname=0.35, typo=0.05)
            if r is margaret:
                first, last = "Peggy", "OBrien"
            address, date = _when(rng, r, old=rng.random() < 0.5)
            dob = (
                dt.date(r.dob.year, r.dob.day, r.dob.month).isoformat()  # keyed in day/month swapped
                if r is margaret
                else _dob_text(rng, r.dob, "%Y-%m-%d", missing=0.05, swap=0.04)
            )
            housing.append(
                [
                    f"TEN/{len(housing) + 3001}",
                    f"{last.upper()}, {first}",
                    dob,
                    r.ni if rng.random() < 0.7 else "",
                    r.phone,
                    _line(address).replace("Road", "Rd") if rng.random() < 0.3 else _line(address),
                    address["postcode"],
                    address["uprn"],
                    date,
                ]
            )
        # Benefits: middle names, former surname, YYYYMMDD dates, NI number, no UPRN.
        if special or rng.random() < 0.3:
            first, last = _name(rng, r, nickname=0.15, typo=0.05)
            if r is margaret:
                first, last = "Margaret", "O'Brien"
            address, date = _when(rng, r, old=rng.random() < 0.4)
            benefits.append(
                [
                    f"HB{len(benefits) + 77001}",
                    first,
                    r.middle.title(),
                    last,
                    r.maiden,
                    _dob_text(rng, r.dob, "%Y%m%d", missing=0.0, swap=0.03),
                    r.ni,
                    address["line1"],
                    address["line2"],
                    address["postcode"],
                    r.phone if rng.random() < 0.6 else "",
                    r.email if rng.random() < 0.4 else "",
                    date,
                ]
            )
        # Adult social care (restricted): older people, NHS numbers, GP practice, no UPRN.
        if r is margaret or (age >= 70 and rng.random() < 0.35) or rng.random() < 0.03:
            first, last = _name(rng, r, nickname=0.2, typo=0.05)
            if r is margaret:
                first, last = "Margaret", "O'Brien"
            address, date = _when(rng, r, old=False)
            care.append(
                [
                    f"ASC{len(care) + 5001}",
                    first,
                    last,
                    _dob_text(rng, r.dob, "%d/%m/%Y", missing=0.02, swap=0.02),
                    r.sex.upper(),
                    r.nhs,
                    _line(address),
                    address["postcode"],
                    GP_PRACTICES[int(r.key[1:]) % len(GP_PRACTICES)],
                    date,
                ]
            )
        # Libraries: no date of birth, no UPRN; old members may still be under a maiden name.
        if special or rng.random() < 0.4:
            first, last = _name(rng, r, nickname=0.45, typo=0.06, maiden=rng.random() < 0.5)
            if r is margaret:
                first, last = "Maggie", "O'Brien"
            address, date = _when(rng, r, old=rng.random() < 0.6)
            postcode = address["postcode"] if rng.random() < 0.9 else ""
            libraries.append(
                [
                    f"L{len(libraries) + 20000001}",
                    first,
                    last,
                    r.email if rng.random() < 0.7 else "",
                    r.phone if rng.random() < 0.3 else "",
                    postcode,
                    date,
                ]
            )
    # Two library cards with postcodes typed wrongly: reported on import and blanked, never guessed.
    libraries[5][5] = "E20 1A"
    libraries[17][5] = "EZ0 4NS"
    return {
        "council_tax.csv": (
            [
                "account_ref",
                "title",
                "forename",
                "surname",
                "date_of_birth",
                "address_line_1",
                "address_line_2",
                "town",
                "postcode",
                "uprn",
                "email",
                "band",
                "liable_from",
            ],
            tax,
        ),
        "housing_tenancies.csv": (
            [
                "tenancy_ref",
                "tenant_name",
                "dob",
                "ni_number",
                "phone",
                "property",
                "postcode",
                "uprn",
                "tenancy_start",
            ],
            housing,
        ),
        "benefits.csv": (
            [
                "claim_ref",
                "first_name",
                "middle_names",
                "last_name",
                "former_surname",
                "birth_date",
                "ni_no",
                "address1",
                "address2",
                "postcode",
                "mobile",
                "email",
                "assessed_on",
            ],
            benefits,
        ),
        "adult_social_care.csv": (
            [
                "person_id",
                "given_names",
                "family_name",
                "date_of_birth",
                "gender",
                "nhs_no",
                "address",
                "postcode",
                "gp_practice",
                "last_contact",
            ],
            care,
        ),
        "libraries.csv": (
            ["borrower_no", "forename", "surname", "email", "phone", "postcode", "joined"],
            libraries,
        ),
    }


def extracts(seed: int = SEED) -> dict[str, str]:
    """File name -> CSV text of the five extracts (deterministic for a seed)."""
    import io

    rng = random.Random(seed)
    out = {}
    for name, (header, rows) in _rows(rng, _residents(rng)).items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        out[name] = buffer.getvalue()
    return out


def generate(out_dir: str | Path = DEMO_DIR, seed: int = SEED) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in extracts(seed).items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# --- loading -------------------------------------------------------------------------------------


def load(*, directory: str | Path = DEMO_DIR, log=print) -> dict:
    """Import the five extracts, run the linkage, then check demo cases that have no person yet."""
    from residenthub.accounts.models import Team

    from . import actions
    from .models import CaseLink
    from .sources import Mapping

    directory = Path(directory)
    for data_file, mapping_file, team_slug in SOURCES:
        mapping = Mapping.load(directory / mapping_file)
        team = Team.objects.filter(slug=team_slug).first() if team_slug else None
        run = actions.import_source(mapping, directory / data_file, team=team)
        log(
            f"{mapping.source}: {run.added} added, {run.changed} changed, {run.unchanged} unchanged, "
            f"{len(run.warnings)} invalid values blanked"
        )
    run = actions.run_linkage()
    log("linkage: " + ", ".join(f"{k}: {v}" for k, v in run.counts.items()))
    from residenthub.cases.models import Case

    unchecked = Case.objects.filter(identity_link__isnull=True).order_by("pk")
    checked = 0
    for case in unchecked:
        actions.check_case(case)
        checked += 1
    if checked:
        log(f"{checked} existing cases checked against the persons")
    linked = CaseLink.objects.filter(status=CaseLink.Status.LINKED).count()
    return {"run": run, "checked": checked, "linked_cases": linked}


def resident_person():
    """The demo resident's person (through her council tax record)."""
    from .models import PersonLink

    link = (
        PersonLink.objects.filter(
            record__source__slug="council-tax",
            record__data__first_name="Margaret",
            record__data__last_name="O'Brien",
        )
        .select_related("person")
        .first()
    )
    return link.person if link else None


if __name__ == "__main__":
    for path in generate():
        print(path)
