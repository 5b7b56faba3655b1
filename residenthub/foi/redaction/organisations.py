"""Telling an organisation from a person: a name detector (the model, the gazetteer of surnames) takes
"Morgan Stanley", "Davis, Reynolds and Williamson Orchestra", "I work for Wolters Kluwer" or "Flightstats is
a design agency" for people. What makes them organisations is general English, not one corpus: a known
organisation's name (``organisations.txt``), a word that heads organisation names after it ("Ltd", "Bank",
"Council", "Systems"), a phrase that says one works for or banks with it, or a sentence that says what kind
of body it is. ADR 0132 says why and how it was measured.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

# Words that end an organisation's name ("Lloyds Bank", "Davis Orchestra", "Bekins Van Lines Inc").
# Surnames that are also such words ("Banks", "Church", "Hall") are left out.
ORGANISATION_WORDS = (
    "inc|incorporated|ltd|limited|llc|llp|plc|corp|corporation|company|co|cic|gmbh|ag|sa|sarl|srl|bv|nv|oy|ab"
    "|group|partners|partnership|associates|association|holdings|industries|technologies|technology|solutions"
    "|systems|system|software|analytics|consulting|consultants|consultancy|capital|labs|media|research"
    "|foundation|institute|orchestra|ensemble|band|choir|sons|brothers|bros|trust|bank|bancorp|banking"
    "|insurance|assurance|building society|credit union|motors|airlines|airways|studios|records"
    "|pharmaceuticals|pharma|enterprises|ventures|international|worldwide|global|council|authority|agency"
    "|services|university|college|academy|school|schools|hospital|clinic|surgery|pharmacy|society|club"
    "|union|federation|network|networks|platform|bureau|ministry|department|committee|commission"
    "|housing|homes|estates|properties|logistics|energy|telecom|communications|healthcare|finance|financial"
    "|investments|securities|management|movers|lines|ratings|hotel|hotels|restaurant|cafe|stores|store"
    "|supermarket|pharmacies|charity|ngo|llp"
)
# The same words written with a capital, as they close a name ("Lloyds Bank", "Demo Borough Council").
_CAPITALISED_WORDS = "|".join(w[:1].upper() + w[1:] for w in ORGANISATION_WORDS.split("|"))
_AFTER = re.compile(r"[ \t]*(?:,[ \t]*)?(?:&[ \t]*)?(?i:" + ORGANISATION_WORDS + r")\b\.?")
# A chain of capitalised names joined by commas, "and" or "&", closed by such a word written with a
# capital ("Davis, Reynolds and Williamson Orchestra", "Hicks & Brown Ltd").
_CHAIN_AFTER = re.compile(
    r"(?:[ \t]*(?:,|and|&)[ \t]*[A-Z][\w'’-]+(?:[ \t][A-Z][\w'’-]+)?){1,4}[ \t]+(?:"
    + _CAPITALISED_WORDS
    + r"|LTD|LLP|PLC|LLC|INC)\b"
)
# Capitalised words closed by such a word ("Kroll Bond Ratings Agency", "Thomas and Sons"), unless it is a
# job title's first word ("Jane Smith Housing Officer").
_ROLE = (
    r"officer|manager|director|team|lead|assistant|adviser|advisor|worker|clerk|administrator|coordinator"
    r"|co-ordinator|consultant|specialist|analyst|engineer|executive|head|partner|secretary|supervisor"
    r"|surveyor|technician|member|chair|representative|rep|contact|tax|department|services|manager's"
)
_AFTER_CAPITAL = re.compile(
    r"(?:[ \t]+[A-Z][\w'’-]+){0,2}[ \t]+(?:(?:&|and)[ \t]+)?(?:"
    + _CAPITALISED_WORDS
    + r"|LTD|LLP|PLC|LLC|INC)\b(?![ \t]+(?i:"
    + _ROLE
    + r")\b)"
)
# A whole line that is an organisation's name: capitalised words closed by such a word ("Demo Borough
# Council", "Acme Housing Ltd"), as a letter's sender line above the recipient's address block.
_ORGANISATION_LINE = re.compile(
    r"^[ \t,]*(?:[A-Z][\w'’&.-]*[ \t]+){0,5}(?:" + _CAPITALISED_WORDS + r"|LTD|LLP|PLC|LLC|INC)\.?[ \t,]*$"
)


def is_organisation_line(line: str) -> bool:
    """The line is an organisation's name and nothing else ("Demo Borough Council")."""
    return bool(_ORGANISATION_LINE.match(line))


# A list of capitalised names, as law firms and orchestras are named ("Jones, Mitchell and Williams").
LIST = re.compile(
    r"(?<![\w-])[A-Z][\w'’-]+(?:,[ \t]+[A-Z][\w'’-]+)+,?[ \t]+(?:and|&)[ \t]+[A-Z][\w'’-]+(?![\w-])"
)
# What is said just before an organisation: working for it, banking with it, its staff and officers.
_CUE_BEFORE = re.compile(
    r"(?i:\b(?:work(?:s|ed|ing)?[ \t]+(?:for|at)|employed[ \t]+(?:by|at)|employee[ \t]+of|(?:a|one|two|three"
    r"|\d+)[ \t]+(?:year|years|months?)[ \t]+at|(?:account|accounts|mortgage|loan|card|policy)"
    r"[ \t]+(?:with|at|from)|bank(?:s|ed|ing)?[ \t]+with|customers?[ \t]+of|clients?[ \t]+of|(?:ceo|cfo"
    r"|founder|co-founder|chairman|chairwoman|chair|president|staff|employees?|shareholders?)[ \t]+(?:of|at)"
    r"|later[ \t]+became|acquired[ \t]+by|subsidiary[ \t]+of))[ \t]+$"
)
# Nouns that say what kind of body a thing is ("X is a design agency based in ...").
_BODY_NOUNS = (
    "company|firm|agency|bank|business|corporation|organisation|organization|charity|non-profit|nonprofit"
    "|501\\(c\\)3|startup|start-up|brand|band|group|platform|app|application|website|service|provider"
    "|manufacturer|retailer|supplier|consultancy|lender|insurer|publisher|broker|brokerage|fund|film|movie"
    "|album|song|software|system|tool|product|chain|store|club|school|university|brainchild|subsidiary"
    "|conglomerate|multinational|studio|label|network|society|trust|council|authority|department"
)
_IS_A_BODY = re.compile(
    r"[ \t]+(?:is|was)[ \t]+(?:an?|the|our|their)[ \t]+(?:[\w'’()-]+[ \t]+){0,5}?(?i:"
    + _BODY_NOUNS
    + r")(?=[ \t]*(?:[.,;:!?)]|$|\b(?:based|that|which|in|of|for|from|with|founded|headquartered|located"
    r"|directed|specialising|specializing|providing|offering|where|whose|and|by|to)\b))"
)
_OWNED = re.compile(
    r"(?:['’]s)?[ \t]+(?i:website|web[ \t]+site|app|platform|headquarters|hq|shares|share[ \t]+price|stock"
    r"|customers|customer[ \t]+service|helpline|account|accounts|branch|branches|card|cards|portal"
    r"|software|system|servers|api|login)\b"
)
_FOUNDED = re.compile(r"[ \t]+(?:was|were|is)[ \t]+(?:founded|incorporated|headquartered)\b")


@cache
def _known() -> re.Pattern:
    lines = Path(__file__).with_name("organisations.txt").read_text(encoding="utf-8").splitlines()
    names = sorted(
        {line.strip() for line in lines if line.strip() and not line.startswith("#")}, key=len, reverse=True
    )
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"[ \t]+") for n in names)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)


def known_spans(text: str) -> list[tuple[int, int]]:
    """Where known organisations' names stand in a text."""
    return [(m.start(), m.end()) for m in _known().finditer(text)]


def named_after(text: str, start: int, end: int, strong: bool, full_name: bool) -> bool:
    """A name inside an organisation's name: "Loveland Technologies", "Davis, Reynolds and Williamson
    Orchestra", "Thomas and Sons". A strong person find (the model) needs the word written with a capital; a
    first name with a surname needs it inside the span or a list of names before it."""
    words = text[start:end].split()
    if len(words) > 1 and _AFTER.fullmatch(" " + words[-1]):
        return True
    if _CHAIN_AFTER.match(text, end):
        return True
    if full_name:
        return False
    if _AFTER_CAPITAL.match(text, end):
        return True
    return not strong and bool(_AFTER.match(text, end))


def in_context(text: str, start: int, end: int) -> bool:
    """The sentence says it is an organisation: "I work for X", "a year at X", "X is a design agency
    based in", "the X website", "X was founded in"."""
    line_start = text.rfind("\n", 0, start) + 1
    if _CUE_BEFORE.search(text[max(line_start, start - 40) : start]):
        return True
    if _OWNED.match(text, end) and not re.match(r"['’]s", text[end:]):
        before = text[max(line_start, start - 5) : start].lower()
        if before.endswith("the "):
            return True
    if _OWNED.match(text, end) and re.match(
        r"['’]s[ \t]+(?i:website|app|platform|headquarters|shares"
        r"|share[ \t]+price|customers|helpline)\b",
        text[end:],
    ):
        return True
    return bool(_IS_A_BODY.match(text, end) or _FOUNDED.match(text, end))
