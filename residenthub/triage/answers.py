"""Answers from the council's own pages: a BM25 index over a folder of Markdown and HTML pages.

Answers are extractive: the resident is shown a passage copied from a page, with the page's title
and link, never text we wrote. Decision: docs/adr/0013-answers-from-council-pages.md.

- ``read_folder(FOLDER)`` reads ``*.md``/``*.markdown`` (front matter ``title:`` and ``url:``) and
  ``*.html``/``*.htm`` (``<title>`` or the first ``<h1>``; the URL from ``<link rel="canonical">``
  or ``<meta name="url">``), keeping only the visible text (no scripts, styles or navigation).
- ``Index.build(pages)`` splits each page into passages (a paragraph or a list under a heading) and
  indexes them with Okapi BM25; the page title and the section heading count as part of each
  passage. The index is JSON (``TRIAGE_PAGES_INDEX``, default ``var/triage/pages-index.json``),
  built by ``hub triage index [FOLDER]`` and rebuilt from ``TRIAGE_PAGES_DIR`` (default: the demo
  pages shipped in ``data/pages/``) when missing or stale. Loaded once per process.
- ``find_answer(question)`` returns the best passage only when it clears two bars: a BM25 score of
  at least ``TRIAGE_ANSWER_MIN_SCORE`` and an IDF-weighted share of the question's words found in
  it (or its page title or heading) of at least ``TRIAGE_ANSWER_MIN_COVERAGE``. Otherwise None:
  "we could not find an answer" is better than an unrelated page.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import tempfile
import threading
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml
from django.conf import settings

log = logging.getLogger(__name__)

SHIPPED_PAGES = Path(__file__).resolve().parent / "data" / "pages"
FORMAT = 1  # bump when the stored shape or the tokeniser changes: old index files are rebuilt
K1 = 1.5
B = 0.75
MAX_SNIPPET = 420  # characters; a longer passage is cut to its best sentences
MAX_QUESTION = 1000  # the start of a long message is what we search with
MAX_FILE_BYTES = 2_000_000
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}

_STOPWORDS = """
a about above after again all am an and any are as at be because been before being below between
both but by can could did do does doing don done for from further get got had has have having he her
here hers him his how i if in into is it its itself just know let like me more most my myself need
no nor not now of off on once only or other our ours out over own please same she should so some
such than thank thanks that the their theirs them then there these they this those through to too
under until up very want was we were what when where which while who whom why will with would you
your yours yourself hi hello dear tell find out much many anyone someone long take takes taking took
"""
STOPWORDS = frozenset(_STOPWORDS.split())
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_QUESTION_START = re.compile(
    r"^\s*(?:hi|hello|dear \w+|please)?[\s,!.]*(?:when|what|what's|whats|where|which|who|why|how|can|could|"
    r"do|does|did|is|are|am|will|would|should|may|have|has|i\s+(?:want|would like|need|wanted)\s+to\s+"
    r"know|i'?d like to know|tell me|any\s?one know|info(?:rmation)? (?:on|about))\b",
    re.I,
)


def is_question(text: str) -> bool:
    """A message asking for information (answered from the pages), not only reporting a problem."""
    head = (text or "")[:MAX_QUESTION]
    return "?" in head or bool(_QUESTION_START.match(head))


def _stem(word: str) -> str:
    """A deliberately light English stemmer: plurals and common verb endings."""
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    for suffix, replacement in (("ies", "y"), ("ations", "ate"), ("ation", "ate"), ("ions", ""), ("ion", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            word = word[:-1]
    if word.endswith("e") and not word.endswith("ee") and len(word) > 3:
        word = word[:-1]  # "live" and "living", "charge" and "charged"
    return word


def tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text or "").lower().replace("\u2019", "'")
    return [_stem(w) for w in _TOKEN.findall(text) if w not in STOPWORDS]


# --- Reading pages -----------------------------------------------------------------------------------


@dataclass
class Block:
    text: str
    heading: bool = False


@dataclass
class Page:
    path: str
    title: str
    url: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The page's visible text: each block (heading, paragraph or list) on its own."""
        return "\n\n".join(b.text for b in self.blocks)


class PageError(ValueError):
    """A file that cannot be read as a page; the message says why."""


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MD_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links: keep the words
    (re.compile(r"<[^>]{0,200}>"), ""),  # inline HTML
    (re.compile(r"(\*\*|__|`)"), ""),
    (re.compile(r"(?<![\w*])\*(?!\s)([^*]+)(?<!\s)\*"), r"\1"),
]
_SPACE = re.compile(r"[ \t\r\f\v]+")


def _clean_inline(text: str) -> str:
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return _SPACE.sub(" ", text).strip()


def parse_markdown(source: str, path: str = "") -> Page:
    meta: dict = {}
    match = _FRONT_MATTER.match(source)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise PageError(f"front matter is not valid YAML ({exc.__class__.__name__})") from None
        meta = loaded if isinstance(loaded, dict) else {}
        source = source[match.end() :]
    blocks: list[Block] = []
    paragraph: list[str] = []
    listing: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block(_clean_inline(" ".join(paragraph))))
            paragraph.clear()
        if listing:
            blocks.append(Block("\n".join(listing)))
            listing.clear()

    for line in source.splitlines():
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            blocks.append(Block(_clean_inline(heading.group(2)), heading=True))
        elif not line.strip() or re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line) and "-" in line:
            flush()
        elif _MD_LIST.match(line):
            if paragraph:
                flush()
            listing.append(_clean_inline(_MD_LIST.sub("", line, count=1)))
        elif line.strip().startswith("|"):  # a table row: its cells, separated by commas
            flush()
            cells = [_clean_inline(c) for c in line.strip().strip("|").split("|")]
            blocks.append(Block(", ".join(c for c in cells if c)))
        elif listing and line.startswith((" ", "\t")):
            listing[-1] += " " + _clean_inline(line)
        else:
            if listing:
                flush()
            paragraph.append(line.strip())
    flush()
    blocks = [b for b in blocks if b.text]
    title = str(meta.get("title") or "").strip() or next((b.text for b in blocks if b.heading), "")
    return Page(path, title, str(meta.get("url") or "").strip(), blocks)


class _HTMLText(HTMLParser):
    SKIP = {"script", "style", "noscript", "template", "nav", "footer", "header", "svg", "form", "iframe"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    BLOCK = {"p", "div", "section", "article", "main", "ul", "ol", "table", "tr", "blockquote", "dl", "aside"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: list[str] = []
        self.skipping: list[str] = []
        self.in_title = False
        self.in_heading = False
        self.in_item = False
        self.items: list[str] = []
        self.title = ""
        self.url = ""

    def _flush(self, heading: bool = False) -> None:
        text = _SPACE.sub(" ", " ".join(self.current)).strip()
        self.current = []
        if not text:
            return
        if self.in_item:
            self.items.append(text)
        else:
            self.blocks.append(Block(text, heading=heading))

    def _flush_items(self) -> None:
        if self.items:
            self.blocks.append(Block("\n".join(self.items)))
            self.items = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        if tag in self.SKIP and tag not in self.VOID:
            self.skipping.append(tag)
            return
        if self.skipping:
            return
        if tag == "title":
            self.in_title = True
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            self.url = self.url or attrs.get("href", "").strip()
        elif tag == "meta" and attrs.get("name", attrs.get("property", "")).lower() in {"url", "og:url"}:
            self.url = self.url or attrs.get("content", "").strip()
        elif tag in self.HEADINGS:
            self._flush()
            self._flush_items()
            self.in_heading = True
        elif tag in {"li", "dt", "dd"}:
            self._flush()
            self.in_item = True
        elif tag in self.BLOCK or tag in {"br", "td", "th"}:
            self._flush()
            if tag in {"ul", "ol", "dl"}:
                self._flush_items()

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag == "title":
            self.in_title = False
        elif tag in self.HEADINGS:
            self._flush(heading=True)
            self.in_heading = False
        elif tag in {"li", "dt", "dd"}:
            self._flush()
            self.in_item = False
        elif tag in {"ul", "ol", "dl"}:
            self._flush()
            self._flush_items()
        elif tag in self.BLOCK:
            self._flush()

    def handle_data(self, data):
        if self.skipping:
            return
        if self.in_title:
            self.title += data
        else:
            self.current.append(data)

    def close(self):
        super().close()
        self._flush()
        self.in_item = False
        self._flush_items()


def parse_html(source: str, path: str = "") -> Page:
    parser = _HTMLText()
    parser.feed(source)
    parser.close()
    blocks = [b for b in parser.blocks if b.text]
    title = _SPACE.sub(" ", parser.title).strip() or next((b.text for b in blocks if b.heading), "")
    return Page(path, title, parser.url, blocks)


def _decode(raw: bytes) -> tuple[str, str]:
    """The text of a file, and a note when it was not UTF-8."""
    if b"\x00" in raw[:8000]:
        raise PageError("looks like a binary file")
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    try:  # pages saved on Windows ("£" as one byte)
        return raw.decode("cp1252"), "not UTF-8; read as Windows-1252"
    except UnicodeDecodeError:
        raise PageError("not UTF-8 text") from None


def read_page(path: Path, root: Path | None = None) -> tuple[Page, str]:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise PageError("not a Markdown or HTML file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise PageError("larger than 2 MB")
    source, note = _decode(path.read_bytes())
    name = str(path.relative_to(root)) if root else path.name
    page = parse_markdown(source, name) if kind == "markdown" else parse_html(source, name)
    if not page.title:
        raise PageError("no title (front matter 'title:', <title> or a first heading)")
    if not re.match(r"https?://\S+$", page.url) and not page.url.startswith("/"):
        raise PageError('no URL (front matter \'url:\', <link rel="canonical"> or <meta name="url">)')
    if not any(not b.heading for b in page.blocks):
        raise PageError("no text")
    return page, note


def read_folder(folder: Path | str) -> tuple[list[Page], list[str]]:
    """Every page in ``folder`` (recursively), and a note for each file skipped or read oddly."""
    root = Path(folder)
    if not root.is_dir():
        raise PageError(f"{folder} is not a folder")
    pages: list[Page] = []
    problems: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        if path.suffix.lower() not in SUFFIXES:
            continue
        try:
            page, note = read_page(path, root)
        except (PageError, OSError) as exc:
            problems.append(f"{path.relative_to(root)}: {exc} (skipped)")
            continue
        if note:
            problems.append(f"{path.relative_to(root)}: {note}")
        pages.append(page)
    return pages, problems


# --- The index ---------------------------------------------------------------------------------------


@dataclass
class Answer:
    title: str
    url: str
    snippet: str
    heading: str
    score: float
    coverage: float
    page: str  # the file the page came from

    def as_dict(self) -> dict:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"(?<=[.!?])\s+|\n+", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


class Index:
    """Okapi BM25 over passages. ``pages`` keep title, url and text; ``passages`` point into them."""

    def __init__(self, pages: list[dict], passages: list[dict], source: str = "") -> None:
        self.pages = pages
        self.passages = passages  # {"page", "heading", "start", "end", "tf": {term: n}, "length"}
        self.source = source
        self.n = len(passages)
        self.avgdl = sum(p["length"] for p in passages) / self.n if self.n else 0.0
        df: Counter = Counter()
        for passage in passages:
            df.update(passage["tf"].keys())
        self.idf = {t: self._idf(n) for t, n in df.items()}

    def _idf(self, n: int) -> float:
        return math.log(1 + (self.n - n + 0.5) / (n + 0.5))

    @classmethod
    def build(cls, pages: list[Page], source: str = "") -> Index:
        stored, passages = [], []
        for number, page in enumerate(pages):
            text = page.text
            stored.append({"title": page.title, "url": page.url, "path": page.path, "text": text})
            heading, offset = "", 0
            title_terms = tokens(page.title)
            for block in page.blocks:
                start = text.index(block.text, offset)
                offset = start + len(block.text)
                if block.heading:
                    heading = block.text if block.text != page.title else ""
                    continue
                terms = tokens(block.text) + tokens(heading) + title_terms
                if not terms:
                    continue
                passages.append(
                    {
                        "page": number,
                        "heading": heading,
                        "start": start,
                        "end": offset,
                        "tf": dict(Counter(terms)),
                        "length": len(terms),
                    }
                )
        return cls(stored, passages, source)

    def scores(self, question: str) -> tuple[list[str], list[tuple[float, int, float]]]:
        terms = list(dict.fromkeys(tokens(question[:MAX_QUESTION])))
        ranked = []
        for i, passage in enumerate(self.passages):
            tf, length, score = passage["tf"], passage["length"], 0.0
            for term in terms:
                f = tf.get(term, 0)
                if f:
                    score += self.idf[term] * f * (K1 + 1) / (f + K1 * (1 - B + B * length / self.avgdl))
            if score > 0:
                ranked.append((score, i))
        # A passage that answers more of the question beats one that repeats one of its words.
        ranked = [(score, i, self.coverage(terms, self.passages[i])) for score, i in ranked]
        ranked.sort(key=lambda item: (-item[0] * item[2], item[1]))
        return terms, ranked

    def coverage(self, terms: list[str], passage: dict) -> float:
        """The IDF-weighted share of the question's words that the passage contains."""
        unseen = self._idf(0)
        weights = {t: self.idf.get(t, unseen) for t in terms}
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in passage["tf"]) / total if total else 0.0

    def snippet(self, passage: dict, terms: list[str]) -> str:
        """The passage, or its best run of sentences when long: always copied from the page."""
        text = self.pages[passage["page"]]["text"]
        start, end = passage["start"], passage["end"]
        if end - start <= MAX_SNIPPET:
            return text[start:end]
        body = text[start:end]
        spans = _sentences(body)
        wanted = set(terms)
        hits = [len(wanted & set(tokens(body[s:e]))) for s, e in spans]
        best = max(range(len(spans)), key=lambda i: (hits[i], -i))
        first = last = best
        while last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= MAX_SNIPPET:
            last += 1
        s, e = spans[first][0], spans[last][1]
        if e - s > MAX_SNIPPET:  # one very long sentence: cut at a word boundary
            cut = body.rfind(" ", s, s + MAX_SNIPPET)
            e = cut if cut > s else s + MAX_SNIPPET
        return text[start + s : start + e]

    def search(self, question: str, *, limit: int = 3) -> list[Answer]:
        terms, ranked = self.scores(question)
        found = []
        for score, i, coverage in ranked[:limit]:
            passage = self.passages[i]
            page = self.pages[passage["page"]]
            found.append(
                Answer(
                    title=page["title"],
                    url=page["url"],
                    snippet=self.snippet(passage, terms),
                    heading=passage["heading"],
                    score=score,
                    coverage=coverage,
                    page=page["path"],
                )
            )
        return found

    def answer(self, question: str, *, min_score: float, min_coverage: float) -> Answer | None:
        best = next(iter(self.search(question, limit=1)), None)
        if best is None or best.score < min_score or best.coverage < min_coverage:
            return None
        return best

    # --- persistence ---

    def save(self, path: Path | None = None) -> Path:
        path = Path(path or index_path())
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"format": FORMAT, "source": self.source, "pages": self.pages, "passages": self.passages}
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pages-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False, separators=(",", ":"))
            os.chmod(temporary, 0o644)  # readable by the web workers, not only by whoever ran the command
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

    @classmethod
    def load(cls, path: Path | None = None) -> Index | None:
        path = Path(path or index_path())
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("cannot read the pages index %s (%s); rebuilding it", path, exc)
            return None
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            return None
        return cls(payload["pages"], payload["passages"], payload.get("source", ""))


# --- The process-wide index --------------------------------------------------------------------------

_lock = threading.Lock()
_loaded: Index | None = None


def index_path() -> Path:
    return Path(settings.TRIAGE_PAGES_INDEX)


def pages_dir() -> Path:
    return Path(settings.TRIAGE_PAGES_DIR)


def min_score() -> float:
    return settings.TRIAGE_ANSWER_MIN_SCORE


def min_coverage() -> float:
    return settings.TRIAGE_ANSWER_MIN_COVERAGE


def build_index(folder: Path | str | None = None) -> tuple[Index, list[str]]:
    """Read ``folder`` (default ``pages_dir()``) and index it. Raises PageError when nothing is usable."""
    folder = Path(folder or pages_dir())
    pages, problems = read_folder(folder)
    if not pages:
        raise PageError(f"no usable pages in {folder}")
    return Index.build(pages, source=str(folder)), problems


def get_index() -> Index:
    """The process-wide index: loaded once; built from ``pages_dir()`` and saved when missing."""
    global _loaded
    if _loaded is not None:
        return _loaded
    with _lock:
        if _loaded is None:
            index = Index.load()
            if index is None:
                log.info("building the pages index from %s", pages_dir())
                try:
                    index, problems = build_index()
                except PageError as exc:
                    log.warning("no pages index: %s", exc)
                    index, problems = Index([], []), []
                for problem in problems:
                    log.warning("pages index: %s", problem)
                if index.n:
                    try:
                        index.save()
                    except OSError:
                        log.warning("cannot save the pages index to %s; keeping it in memory", index_path())
            _loaded = index
    return _loaded


def set_index(index: Index | None) -> None:
    """Replace the process-wide index (after ``hub triage index``, and in tests)."""
    global _loaded
    _loaded = index


def find_answer(question: str) -> Answer | None:
    index = get_index()
    if not index.n or not question.strip():
        return None
    return index.answer(question, min_score=min_score(), min_coverage=min_coverage())
