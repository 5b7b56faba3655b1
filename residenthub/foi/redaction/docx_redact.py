"""Redact a Word document in place, keeping its formatting (ADR 0045).

The document's text is read paragraph by paragraph from every part that holds text: the body (tables
included), headers, footers, footnotes, endnotes and comments, with tracked changes (inserted and deleted
text alike, since a deletion is still in the file). Redacting replaces the covered characters inside the
runs that hold them, so each run keeps its font, size and style; the marker goes in the first run of a span.
Authors of comments and tracked changes, the people list and the document properties (author, last
modified by, title, subject, keywords, description, company, manager) are cleared.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from .documents import DocumentError, max_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT_TAGS = {f"{{{W}}}t", f"{{{W}}}delText"}
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
_PART_ORDER = {"document": 0, "header": 1, "footer": 2, "footnotes": 3, "endnotes": 4, "comments": 5}


@dataclass
class Paragraph:
    part: str
    index: int  # paragraph number within the part
    start: int  # offset in the document text
    text: str


def _parts(names: Sequence[str]) -> list[str]:
    found = [n for n in names if _PARTS.match(n)]
    return sorted(found, key=lambda n: (_PART_ORDER.get(re.sub(r"\d", "", _PARTS.match(n).group(1)), 9), n))


def _open(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        total = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise DocumentError(f"{name} is damaged and cannot be read as a Word document.") from exc
    if total > 20 * max_bytes():  # a zip bomb: far more inside than any real document
        raise DocumentError(f"{name} expands to {total // 1048576} MB, too large to redact safely.")
    for info in archive.infolist():  # one part packed far tighter than text or images ever are
        if info.file_size > 1048576 and info.file_size > 200 * max(info.compress_size, 1):
            raise DocumentError(
                f"{name} holds a part that expands {info.file_size // max(info.compress_size, 1)}"
                " times: too large to redact safely."
            )
    if "word/document.xml" not in archive.namelist():
        raise DocumentError(f"{name} is damaged and cannot be read as a Word document.")
    return archive


_IMAGE = re.compile(r"^word/media/.+\.(png|jpe?g|gif|bmp|tiff?|emf|wmf)$", re.IGNORECASE)


def image_count(data: bytes, name: str = "document.docx") -> int:
    """How many pictures the document holds (``word/media``). Their pixels are not read for personal
    data (a photo of a letter, a scanned signature): the officer is told to look at them (ADR 0045)."""
    return sum(1 for n in _open(data, name).namelist() if _IMAGE.match(n))


def _parse(xml: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(xml, parser)


def _paragraph_nodes(root):
    return root.iter(f"{{{W}}}p")


def _texts(paragraph) -> list:
    return [node for node in paragraph.iter() if node.tag in _TEXT_TAGS]


def read(data: bytes, name: str = "document.docx") -> tuple[str, list[Paragraph]]:
    """The document's text (paragraphs joined by newlines) and where each paragraph starts."""
    archive = _open(data, name)
    paragraphs: list[Paragraph] = []
    lines: list[str] = []
    pos = 0
    try:
        for part in _parts(archive.namelist()):
            root = _parse(archive.read(part))
            for index, p in enumerate(_paragraph_nodes(root)):
                text = "".join(node.text or "" for node in _texts(p))
                paragraphs.append(Paragraph(part, index, pos, text))
                lines.append(text)
                pos += len(text) + 1
    except Exception as exc:
        if isinstance(exc, DocumentError):
            raise
        raise DocumentError(f"{name} is damaged and cannot be read as a Word document.") from exc
    return "\n".join(lines), paragraphs


def redact(data: bytes, spans: Sequence[tuple[int, int, str]], name: str = "document.docx") -> bytes:
    """Replace each (start, end, marker) span of ``read``'s text in place; clear authors and properties."""
    from lxml import etree

    archive = _open(data, name)
    _, paragraphs = read(data, name)
    by_part: dict[str, list[Paragraph]] = {}
    for paragraph in paragraphs:
        by_part.setdefault(paragraph.part, []).append(paragraph)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            content = archive.read(info.filename)
            if info.filename in by_part:
                root = _parse(content)
                nodes = list(_paragraph_nodes(root))
                for paragraph in by_part[info.filename]:
                    local = [
                        (
                            max(s, paragraph.start) - paragraph.start,
                            min(e, paragraph.start + len(paragraph.text)) - paragraph.start,
                            m,
                        )
                        for s, e, m in spans
                        if s < paragraph.start + len(paragraph.text) and e > paragraph.start
                    ]
                    if local:
                        _replace(nodes[paragraph.index], local)
                _clear_authors(root)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif info.filename in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
                content = _clear_properties(content)
            elif info.filename in ("word/people.xml", "word/commentsExtended.xml", "word/commentsIds.xml"):
                content = _clear_people(content)
            target.writestr(info, content)
    return out.getvalue()


def _replace(paragraph, spans: list[tuple[int, int, str]]) -> None:
    nodes = _texts(paragraph)
    offsets = []
    pos = 0
    for node in nodes:
        offsets.append(pos)
        pos += len(node.text or "")
    for start, end, marker in sorted(spans, reverse=True):
        placed = False
        for node, node_start in zip(nodes, offsets, strict=True):
            text = node.text or ""
            node_end = node_start + len(text)
            if node_end <= start or node_start >= end:
                continue
            a, b = max(start, node_start) - node_start, min(end, node_end) - node_start
            insert = marker if not placed else ""
            placed = True
            node.text = text[:a] + insert + text[b:]
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _clear_authors(root) -> None:
    for node in root.iter():
        for attr in (f"{{{W}}}author", f"{{{W}}}initials"):
            if attr in node.attrib:
                node.set(attr, "Redacted")


_PROPERTY_TAGS = re.compile(
    rb"<((?:dc:creator|cp:lastModifiedBy|dc:title|dc:subject|cp:keywords|dc:description|cp:category|Company|Manager"
    rb"|HyperlinkBase|cp:contentStatus))(\s[^>]*)?>.*?</\1>",
    re.S,
)


def _clear_properties(content: bytes) -> bytes:
    content = _PROPERTY_TAGS.sub(
        lambda m: b"<" + m.group(1) + (m.group(2) or b"") + b"></" + m.group(1) + b">", content
    )
    if b"<property" in content:  # custom properties: drop their values
        content = re.sub(rb"(<property\b[^>]*>\s*<vt:\w+>).*?(</vt:\w+>)", rb"\1\2", content, flags=re.S)
    return content


def _clear_people(content: bytes) -> bytes:
    return re.sub(rb'(w15:author|w15:userId|w15:providerId)="[^"]*"', rb'\1="Redacted"', content)
