"""Redact a Word document in place, keeping its formatting (ADR 0045).

The document's text is read paragraph by paragraph from every part that holds text: the body (tables
included), headers, footers, footnotes, endnotes and comments, with tracked changes (inserted and deleted
text alike, since a deletion is still in the file). Redacting replaces the covered characters inside the
runs that hold them, so each run keeps its font, size and style; the marker goes in the first run of a span.
Authors of comments and tracked changes, the people list and the document properties (author, last
modified by, title, subject, keywords, description, company, manager) are cleared.

Pictures (PNG, JPEG, GIF, BMP, TIFF) are read with Tesseract, as scanned PDF pages are: the words found
in each follow the document's text under a heading "[Picture N: the words read from it]", so they are
detected and reviewed like any other text, and redacting one blacks out its pixels in the picture.
Drawings (EMF, WMF) and pictures without words are kept as they are; the officer is told to look at them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from . import image_metadata
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
_RASTER = re.compile(r"^word/media/.+\.(png|jpe?g|gif|bmp|tiff?)$", re.IGNORECASE)
PICTURE_HEADING = "[Picture {number}: the words read from it]"
_PICTURE_HEADING = re.compile(r"^\[Picture \d+: the words read from it\]$", re.MULTILINE)
MOST_PICTURES = 40  # read at most this many (logos repeated in every header are one part each anyway)
_SMALLEST = 24  # pixels high: an icon or a rule holds no words worth reading


@dataclass
class Picture:
    part: str  # "word/media/image1.png"
    start: int  # where the words read from it start in the document's text
    text: str
    words: list  # pdf.Word, with ``rect`` in the picture's own pixels


def image_count(data: bytes, name: str = "document.docx") -> int:
    """How many pictures the document holds (``word/media``), read or not."""
    return sum(1 for n in _open(data, name).namelist() if _IMAGE.match(n))


def pictures_read(text: str) -> int:
    """How many pictures gave words to the document's ``text`` (their headings in it)."""
    return len(_PICTURE_HEADING.findall(text))


def _read_picture(content: bytes):
    """The words Tesseract reads in a picture: (text, words with pixel boxes), or None when it cannot be
    read (no Tesseract here, not an image Pillow opens, too small to hold words)."""
    from PIL import Image, UnidentifiedImageError

    from . import pdf

    if not pdf.ocr_available():
        return None
    try:
        image = Image.open(io.BytesIO(content))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    if image.height < _SMALLEST:
        return None
    if image.mode in ("RGBA", "LA", "P"):  # transparent parts are white paper, not black
        image = image.convert("RGBA")
        paper = Image.new("RGBA", image.size, "white")
        paper.alpha_composite(image)
        image = paper
    grey = image.convert("L")
    scale = min(3.0, 1200 / grey.width) if grey.width < 1200 else 1.0  # Tesseract wants ~30 px letters
    if scale != 1.0:
        grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.LANCZOS)
    buffer = io.BytesIO()
    grey.save(buffer, format="PPM")
    raw = pdf.tesseract_words(buffer.getvalue(), dpi=72)  # at 72 dpi its boxes are in pixels
    text, words = pdf.assemble_words([(w, r, k) for w, r, k, _ in raw])
    for word, (_, rect, _, conf) in zip(words, raw, strict=True):
        word.rect = tuple(v / scale for v in rect)
        word.conf = conf
    return text, words


def _parse(xml: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(xml, parser)


def _paragraph_nodes(root):
    return root.iter(f"{{{W}}}p")


def _texts(paragraph) -> list:
    return [node for node in paragraph.iter() if node.tag in _TEXT_TAGS]


def read(data: bytes, name: str = "document.docx") -> tuple[str, list[Paragraph]]:
    """The document's text (paragraphs joined by newlines, then the words read from its pictures) and
    where each paragraph starts."""
    text, paragraphs, _ = read_all(data, name)
    return text, paragraphs


def read_all(data: bytes, name: str = "document.docx") -> tuple[str, list[Paragraph], list[Picture]]:
    """``read``, with the pictures whose words follow the paragraphs in the text."""
    archive = _open(data, name)
    text, paragraphs = _read_paragraphs(archive, name)
    pictures: list[Picture] = []
    for number, part in enumerate(_raster_parts(archive), start=1):
        read_picture = _read_picture(archive.read(part))
        if not read_picture or not read_picture[0].strip():
            continue
        text += "\n" + PICTURE_HEADING.format(number=number) + "\n"
        pictures.append(Picture(part, len(text), *read_picture))
        text += read_picture[0]
    return text, paragraphs, pictures


def _raster_parts(archive: zipfile.ZipFile) -> list[str]:
    """The pictures read for words, in the order their numbers in the text follow."""
    return sorted((n for n in archive.namelist() if _RASTER.match(n)), key=_natural)[:MOST_PICTURES]


def _read_paragraphs(archive: zipfile.ZipFile, name: str) -> tuple[str, list[Paragraph]]:
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


_NUMBERED_HEADING = re.compile(r"^\[Picture (\d+): the words read from it\]$", re.MULTILINE)


def _reviewed_pictures(
    archive: zipfile.ZipFile,
    reviewed: str,
    paragraphs_text: str,
    spans: Sequence[tuple[int, int, str]],
    name: str,
) -> list[Picture]:
    """The pictures a span reaches in the ``reviewed`` text, read again for their words' boxes, each
    checked to read exactly as it did when it was reviewed: a picture no span reaches is not read at
    all, and one that reads differently now (another Tesseract) stops the redaction rather than
    blacking out the wrong words."""
    if not reviewed.startswith(paragraphs_text):
        raise DocumentError(f"{name} is not the document that was reviewed: upload it again and review it.")
    parts = _raster_parts(archive)
    headings = [h for h in _NUMBERED_HEADING.finditer(reviewed) if h.start() > len(paragraphs_text)]
    pictures = []
    for i, heading in enumerate(headings):
        start = heading.end() + 1
        end = headings[i + 1].start() - 1 if i + 1 < len(headings) else len(reviewed)
        if not any(s < end and e > start for s, e, _ in spans):
            continue
        number = int(heading.group(1))
        read_again = _read_picture(archive.read(parts[number - 1])) if 1 <= number <= len(parts) else None
        if read_again is None or read_again[0] != reviewed[start:end]:
            raise DocumentError(
                f"{name}: picture {number} does not read now as it did when it was reviewed (the OCR software"
                " may have changed). Upload the document again and review it."
            )
        pictures.append(Picture(parts[number - 1], start, *read_again))
    return pictures


def _natural(name: str) -> tuple:
    """image2.png before image10.png."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


def redact(
    data: bytes,
    spans: Sequence[tuple[int, int, str]],
    name: str = "document.docx",
    *,
    reviewed: str | None = None,
) -> bytes:
    """Replace each (start, end, marker) span of ``read``'s text in place; clear authors and properties.

    Only the document's text is stored, so the pictures' words' boxes come from reading them again:
    given the ``reviewed`` text, only the pictures a span reaches, each checked against it; without it,
    every picture (the command line, which reads and redacts in one go)."""
    from lxml import etree

    archive = _open(data, name)
    if reviewed is None:
        _, paragraphs, pictures = read_all(data, name)
    else:
        paragraphs_text, paragraphs = _read_paragraphs(archive, name)
        pictures = _reviewed_pictures(archive, reviewed, paragraphs_text, spans, name)
    by_picture = {picture.part: picture for picture in pictures}
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
            elif info.filename in by_picture:
                content = _black_out(content, by_picture[info.filename], spans)
                content = image_metadata.without_metadata(content)  # unchanged by the black-out
            elif _RASTER.match(info.filename):
                content = image_metadata.without_metadata(content)
            elif info.filename in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
                content = _clear_properties(content)
            elif info.filename in ("word/people.xml", "word/commentsExtended.xml", "word/commentsIds.xml"):
                content = _clear_people(content)
            target.writestr(info, content)
    return out.getvalue()


def _black_out(content: bytes, picture: Picture, spans: Sequence[tuple[int, int, str]]) -> bytes:
    """The picture with a black box over every word a span covers (its pixels replaced, so the words
    are gone from the file), saved in its own format; unchanged when no span reaches it."""
    end = picture.start + len(picture.text)
    covered = [
        w.rect
        for w in picture.words
        for s, e, _ in spans
        if s < end and e > picture.start and s - picture.start < w.end and e - picture.start > w.start
    ]
    if not covered:
        return content
    from PIL import Image, ImageDraw

    image = Image.open(io.BytesIO(content))
    kind = image.format or "PNG"
    image.load()
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "transparency" in image.info or image.mode == "P" else "RGB")
    draw = ImageDraw.Draw(image)
    black = (0, 0, 0, 255) if image.mode == "RGBA" else 0 if image.mode == "L" else (0, 0, 0)
    for x0, y0, x1, y1 in covered:
        draw.rectangle((x0 - 2, y0 - 2, x1 + 2, y1 + 2), fill=black)
    out = io.BytesIO()
    # Saved without the original's metadata (EXIF, text chunks): only the pixels are kept.
    image.save(out, format=kind, **({"quality": 95} if kind == "JPEG" else {}))
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
