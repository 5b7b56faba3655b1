"""All resident-facing text is marked for translation.

Strips translation tags, variables, template tags and HTML from every resident template; any
words left over are text a translator could never reach.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "residenthub"
TEMPLATES = sorted(
    [
        *(ROOT / "portal/templates/portal").rglob("*.html"),
        *(ROOT / "portal/templates/portal").rglob("*.txt"),
        *(ROOT / "cases/templates/cases/notifications").glob("*"),
        *(p for p in (ROOT / "triage/templates/triage").glob("*.html") if not p.name.startswith("staff_")),
        *(ROOT / "foi/templates/foi").glob("disclosure_*.html"),
        ROOT / "templates/base.html",
        ROOT / "templates/404.html",
        ROOT / "templates/403.html",
        ROOT / "templates/400.html",
        *(ROOT / "templates/includes").glob("*.html"),
    ],
)

STRIP = [
    re.compile(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", re.S),
    re.compile(r"{%\s*translate\s+\".*?\".*?%}", re.S),
    re.compile(r"{%\s*translate\s+'.*?'.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"<script.*?</script>", re.S),
    re.compile(r"<svg.*?</svg>", re.S),
    re.compile(r"<[^>]+>", re.S),
    re.compile(r"&[a-z]+;|&#x?[0-9a-f]+;", re.I),
]
ALLOWED = {"sessionid", "csrftoken"}  # cookie names are not words to translate


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_untranslated_text(path):
    text = path.read_text(encoding="utf-8")
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z']+", text) if w not in ALLOWED]
    assert not words, f"untranslated text in {path.name}: {' '.join(words[:20])}"
