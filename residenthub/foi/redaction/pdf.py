"""Layout-preserving true redaction of PDFs with PyMuPDF (AGPL, as we are): ADR 0043.

Each page's words are read with their boxes: from the text layer, or, on a page without one (a scan), by
OCR (Tesseract on the CPU, ADR 0044), with a confidence so that poor scans are flagged for the officer.
Detection runs on each page's text; every span becomes the boxes of the words it covers. Redacting puts a
redaction annotation on every box (and every area the officer drew) and applies them: the text under a box
is removed from the content stream, vector graphics under it are removed, and image pixels under it are
blanked; a black box labelled with the exemption (e.g. "s40(2)") is drawn in its place. Then the document
is scrubbed: metadata, XMP, annotations, links, attachments, embedded files, form fields, JavaScript,
invisible text, thumbnails; layers are flattened (hidden layers were shown, read and reviewed like any
other content, and the layer switches removed); the file is rewritten whole (no incremental update, unused
objects dropped). Everything else on the page (fonts, tables, images outside the boxes) stays as it was.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .documents import DocumentError

OCR_DPI = 150
OCR_TIMEOUT = 120  # seconds for one page
OCR_WORKERS = min(4, os.cpu_count() or 1)
LOW_CONFIDENCE = 70.0  # mean Tesseract word confidence below which a page is flagged for the officer


@dataclass
class Word:
    start: int  # offset in the page text
    end: int
    rect: tuple[float, float, float, float]
    conf: float | None = None


@dataclass
class PageText:
    number: int  # 0-based
    text: str
    words: list[Word]
    width: float
    height: float
    scanned: bool = False
    ocr_confidence: float | None = None

    @property
    def low_confidence(self) -> bool:
        return self.scanned and (self.ocr_confidence is None or self.ocr_confidence < LOW_CONFIDENCE)

    def info(self) -> dict:
        return {
            "page": self.number + 1,
            "width": round(self.width, 2),
            "height": round(self.height, 2),
            "scanned": self.scanned,
            "ocr_confidence": None if self.ocr_confidence is None else round(self.ocr_confidence, 1),
            "low_confidence": self.low_confidence,
        }


@dataclass
class Box:
    """An area to redact on a page (PDF points, origin top left) and the exemption shown on it."""

    page: int  # 0-based
    rect: tuple[float, float, float, float]
    reason: str = ""


@dataclass
class Result:
    data: bytes
    boxes: int
    pages: list[dict] = field(default_factory=list)


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


def label(reason: str) -> str:
    """The exemption code as printed on the box: s40_2 → s40(2), r12_4 → EIR 12(4)."""
    if not reason:
        return ""
    if reason.startswith("r") and "_" in reason:
        head, tail = reason[1:].split("_", 1)
        return f"EIR {head}({tail})"
    if "_" in reason:
        head, tail = reason.split("_", 1)
        return f"{head}({tail})"
    return reason


MAX_PAGES = 2000  # a PDF claiming more pages than any FOI bundle is refused before it is read


def open_pdf(data: bytes, name: str = "document.pdf"):
    import pymupdf

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF raises its own error types for damaged files
        raise DocumentError(f"{name} is damaged and cannot be read as a PDF.") from exc
    if doc.needs_pass or doc.is_encrypted:
        doc.close()
        raise DocumentError(
            f"{name} is encrypted or password-protected. Ask for an unprotected copy, or remove the "
            "password, and upload it again."
        )
    if doc.page_count == 0:
        doc.close()
        raise DocumentError(f"{name} has no pages.")
    if doc.page_count > MAX_PAGES:
        pages = doc.page_count
        doc.close()
        raise DocumentError(
            f"{name} has {pages:,} pages; at most {MAX_PAGES:,} can be redacted at once. Split it."
        )
    return _show_all_layers(doc)


def _show_all_layers(doc):
    """Hidden layers are shown, so their content is read, detected, reviewed and redacted like the rest
    (MuPDF reads the layer state when the file is opened, hence the reopening)."""
    import pymupdf

    ocgs = doc.get_ocgs()
    if not ocgs:
        return doc
    doc.set_layer(-1, on=list(ocgs), off=[])
    data = doc.tobytes()
    doc.close()
    return pymupdf.open(stream=data, filetype="pdf")


def _text_layer_words(page) -> list[tuple[str, tuple, tuple]]:
    """(word, rect, (block, line)) in reading order."""
    return [
        (w[4], (w[0], w[1], w[2], w[3]), (w[5], w[6]))
        for w in page.get_text("words", sort=False)
        if w[4].strip()
    ]


OCR_MARGIN = 16  # pixels of paper kept around the ink when a scan is cropped for Tesseract
_INK = [255 if v < 128 else 0 for v in range(256)]  # dark pixels (ink), for finding where the words are


def render_for_ocr(page, dpi: int = OCR_DPI) -> tuple[bytes, tuple[int, int]]:
    """The page as a grey image for Tesseract, cropped to the ink, and where the crop starts (pixels).

    Tesseract's binarisation and layout analysis cost per pixel and blank margins hold no words: cropping
    took a fifth off its CPU time per page on the test scans, with the same words read (ADR 0044)."""
    import pymupdf
    from PIL import Image

    zoom = dpi / 72
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace="gray", alpha=False)
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    box = image.point(_INK).getbbox()
    if box is None:
        return pix.tobytes("pnm"), (0, 0)
    left, top = max(0, box[0] - OCR_MARGIN), max(0, box[1] - OCR_MARGIN)
    right, bottom = min(pix.width, box[2] + OCR_MARGIN), min(pix.height, box[3] + OCR_MARGIN)
    buffer = io.BytesIO()
    # PNM, not PNG: nothing to compress or decompress on the way to Tesseract (same words read)
    image.crop((left, top, right, bottom)).save(buffer, format="PPM")
    return buffer.getvalue(), (left, top)


def tesseract_words(
    image: bytes, dpi: int = OCR_DPI, offset: tuple[int, int] = (0, 0)
) -> list[tuple[str, tuple, tuple, float]]:
    """Tesseract's words with their boxes (PDF points; ``offset``: where a cropped image starts on the
    page, in pixels) and confidences.

    One thread per Tesseract (OMP_THREAD_LIMIT=1): on two shared cores its OpenMP threads only fight each
    other; pages are read in parallel instead (``read_pages``)."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    exe = shutil.which("tesseract")
    if exe is None:
        raise DocumentError(
            "This page is scanned and OCR is not available here (tesseract is not installed)."
        )
    try:
        done = subprocess.run(  # noqa: S603  (fixed arguments, the image on stdin)
            # no second pass looking for white-on-black text: 20-40% faster here, same words read (ADR 0044)
            [exe, "stdin", "stdout", "-l", "eng", "--oem", "1", "--psm", "3"]
            + ["-c", "tessedit_do_invert=0", "tsv"],
            input=image,
            capture_output=True,
            env=env,
            timeout=OCR_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DocumentError(f"OCR of a scanned page failed ({exc.__class__.__name__}).") from exc
    if done.returncode != 0:
        raise DocumentError("OCR of a scanned page failed (tesseract could not read the image).")
    zoom = dpi / 72
    words = []
    for line in done.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        conf = float(cols[10])
        if conf < 0:
            continue
        x, y, w, h = (int(v) for v in cols[6:10])
        x, y = x + offset[0], y + offset[1]
        rect = (x / zoom, y / zoom, (x + w) / zoom, (y + h) / zoom)
        words.append((cols[11], rect, (int(cols[2]), int(cols[3]), int(cols[4])), conf))
    return words


def _page_from_ocr(number: int, width: float, height: float, raw) -> PageText:
    text, words = assemble_words([(w, r, k) for w, r, k, _ in raw])
    for word, (_, _, _, conf) in zip(words, raw, strict=True):
        word.conf = conf
    confidences = [w.conf for w in words if w.conf is not None]
    mean = sum(confidences) / len(confidences) if confidences else None
    return PageText(number, text, words, width, height, scanned=True, ocr_confidence=mean)


def ocr_page(page, dpi: int = OCR_DPI) -> PageText:
    """Render the page and read it with Tesseract; word boxes come back in PDF points."""
    image, offset = render_for_ocr(page, dpi)
    raw = tesseract_words(image, dpi, offset)
    return _page_from_ocr(page.number, page.rect.width, page.rect.height, raw)


def assemble_words(items) -> tuple[str, list[Word]]:
    """Join words into page text: a space within a line, a newline between lines."""
    parts: list[str] = []
    words: list[Word] = []
    pos = 0
    previous = None
    for word, rect, key in items:
        if previous is not None:
            sep = " " if key == previous else "\n"
            parts.append(sep)
            pos += 1
        words.append(Word(pos, pos + len(word), rect))
        parts.append(word)
        pos += len(word)
        previous = key
    return "".join(parts), words


def read_pages(doc, ocr: bool = True) -> list[PageText]:
    """Each page's text and word boxes; pages without a text layer are OCRed when Tesseract is here,
    several at a time (one Tesseract per core)."""
    pages: list[PageText | None] = []
    scans: list[tuple[int, float, float, bytes, tuple[int, int]]] = []
    for page in doc:
        items = _text_layer_words(page)
        rect = page.rect
        if items:
            text, words = assemble_words(items)
            pages.append(PageText(page.number, text, words, rect.width, rect.height))
        elif ocr and ocr_available() and (page.get_images() or page.get_drawings()):
            pages.append(None)
            scans.append((page.number, rect.width, rect.height, *render_for_ocr(page)))
        else:
            pages.append(
                PageText(page.number, "", [], rect.width, rect.height, scanned=bool(page.get_images()))
            )
    if scans:
        workers = max(1, min(len(scans), OCR_WORKERS))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            read = list(pool.map(lambda scan: tesseract_words(scan[3], OCR_DPI, scan[4]), scans))
        for (number, width, height, _, _), raw in zip(scans, read, strict=True):
            pages[number] = _page_from_ocr(number, width, height, raw)
    return [p for p in pages if p is not None]


def span_rects(
    page: PageText, start: int, end: int, pad: float = 0.6
) -> list[tuple[float, float, float, float]]:
    """The boxes of the words a span covers, merged per line."""
    lines: dict[float, list[float]] = {}
    order: list[float] = []
    for word in page.words:
        if word.end <= start or word.start >= end:
            continue
        x0, y0, x1, y1 = word.rect
        key = round((y0 + y1) / 2, 0)
        found = next((k for k in order if abs(k - key) < max(2.0, (y1 - y0) / 2)), None)
        if found is None:
            lines[key] = [x0, y0, x1, y1]
            order.append(key)
        else:
            box = lines[found]
            box[0], box[1], box[2], box[3] = (
                min(box[0], x0),
                min(box[1], y0),
                max(box[2], x1),
                max(box[3], y1),
            )
    return [(b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad) for b in (lines[k] for k in order)]


def detect_boxes(pages: list[PageText], known_names=(), allow=()) -> list[tuple[int, int, int, str, str]]:
    """(page, start, end, entity_type, text) for every span found on every page."""
    from .detect import detect_many

    found = detect_many([p.text for p in pages], known_names=known_names, allow=allow)
    return [
        (page.number, span.start, span.end, span.entity_type, span.text)
        for page, spans in zip(pages, found, strict=True)
        for span in spans
    ]


def redact(doc, boxes: list[Box]) -> int:
    """Apply redactions on ``doc`` in place and scrub it. Returns the number of boxes applied."""
    import pymupdf

    by_page: dict[int, list[Box]] = {}
    for box in boxes:
        by_page.setdefault(box.page, []).append(box)
    for number, page_boxes in by_page.items():
        if not 0 <= number < doc.page_count:
            raise DocumentError(f"There is no page {number + 1} in this document.")
        page = doc[number]
        for box in page_boxes:
            rect = pymupdf.Rect(box.rect) & page.rect
            if rect.is_empty:
                continue
            text = label(box.reason)
            size = max(4.0, min(9.0, rect.height * 0.7))
            if text and pymupdf.get_text_length(text, fontname="helv", fontsize=size) > rect.width:
                size = max(
                    3.0, size * rect.width / pymupdf.get_text_length(text, fontname="helv", fontsize=size)
                )
            page.add_redact_annot(
                rect,
                text=text or None,
                fontname="helv",
                fontsize=size,
                align=pymupdf.TEXT_ALIGN_CENTER,
                fill=(0, 0, 0),
                text_color=(1, 1, 1),
                cross_out=False,
            )
        page.apply_redactions(
            images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
            graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED,
            text=pymupdf.PDF_REDACT_TEXT_REMOVE,
        )
    scrub(doc)
    return len(boxes)


def scrub(doc) -> None:
    """Remove everything that can carry text besides the page content: see the module docstring."""
    for page in doc:
        for widget in list(page.widgets() or []):
            page.delete_widget(widget)
        while page.first_annot is not None:
            page.delete_annot(page.first_annot)
        for link in page.get_links():
            page.delete_link(link)
    doc.scrub(
        attached_files=True,
        clean_pages=True,
        embedded_files=True,
        hidden_text=True,
        javascript=True,
        metadata=True,
        redactions=True,
        remove_links=True,
        reset_fields=True,
        reset_responses=True,
        thumbnails=True,
        xml_metadata=True,
    )
    for name in list(doc.embfile_names()):
        doc.embfile_del(name)
    doc.set_metadata({"producer": "Resident Hub redaction", "creator": "", "author": "", "title": ""})
    _flatten_layers(doc)
    _strip_jpeg_metadata(doc)


def _strip_jpeg_metadata(doc) -> None:
    """A JPEG image keeps its own Exif (a camera's owner, a place) inside the PDF's DCTDecode stream:
    dropped, the compressed pixels unchanged (``image_metadata``)."""
    from .image_metadata import without_metadata

    for xref in range(1, doc.xref_length()):
        if (
            doc.xref_get_key(xref, "Subtype")[1] != "/Image"
            or doc.xref_get_key(xref, "Filter")[1] != "/DCTDecode"
        ):
            continue
        raw = doc.xref_stream_raw(xref)
        if not raw:
            continue
        clean = without_metadata(raw)
        if clean != raw:
            doc.update_stream(xref, clean, compress=False)
            doc.xref_set_key(xref, "Filter", "/DCTDecode")


def _flatten_layers(doc) -> None:
    """Drop the layer switches (all content was shown and reviewed) and the document's actions (opening
    scripts, additional actions), so nothing runs and no unreferenced object is kept."""
    catalog = doc.pdf_catalog()
    for key in ("OCProperties", "OpenAction", "AA", "AcroForm", "PageMode"):
        if doc.xref_get_key(catalog, key)[0] != "null":
            doc.xref_set_key(catalog, key, "null")
    names = doc.xref_get_key(catalog, "Names")
    if names[0] == "xref":
        doc.xref_set_key(int(names[1].split()[0]), "JavaScript", "null")
    elif names[0] == "dict":
        doc.xref_set_key(catalog, "Names/JavaScript", "null")


def save(doc) -> bytes:
    return doc.tobytes(garbage=4, deflate=True, clean=True, incremental=False, no_new_id=False)


def redact_pdf(
    data: bytes, extra: list[Box] | None = None, reason: str = "s40_2", known_names=(), allow=()
) -> Result:
    """Detect and redact in one pass (the command line): every detected span and every extra box."""
    doc = open_pdf(data)
    try:
        pages = read_pages(doc)
        boxes = list(extra or [])
        for number, start, end, _kind, _text in detect_boxes(pages, known_names, allow):
            for rect in span_rects(pages[number], start, end):
                boxes.append(Box(number, rect, reason))
        redact(doc, boxes)
        return Result(save(doc), len(boxes), [p.info() for p in pages])
    finally:
        doc.close()


def render_page_png(data: bytes, number: int, width: int = 700) -> bytes:
    """A page as PNG for the review screen (the original, so the officer sees what is under the boxes)."""
    import pymupdf

    doc = open_pdf(data)
    try:
        if not 0 <= number < doc.page_count:
            raise DocumentError(f"There is no page {number + 1} in this document.")
        page = doc[number]
        zoom = width / page.rect.width
        return page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False).tobytes("png")
    finally:
        doc.close()


# --- sample documents for tests and benchmarks -------------------------------------------------------------
def sample_text_pdf(page_texts: list[str]) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    for text in page_texts:
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(50, 50, 545, 800), text, fontsize=10, fontname="helv")
    data = doc.tobytes(deflate=True)
    doc.close()
    return data


def scanned_image(
    text: str, width: int = 1240, height: int = 1754, skew: float = 0.7, noise: int = 18, seed: int = 1
):
    """A page of text photographed badly: grey paper, noise, a slight skew (PIL image, 150 dpi A4)."""
    import random

    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = random.Random(seed)
    image = Image.new("L", (width, height), 236)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    except OSError:
        font = ImageFont.load_default()
    y = 120
    for line in text.split("\n"):
        draw.text((110, y), line, fill=25, font=font)
        y += 46
    pixels = image.load()
    for _ in range(width * height // 60):
        x, yy = rng.randrange(width), rng.randrange(height)
        pixels[x, yy] = max(0, min(255, pixels[x, yy] + rng.randint(-noise * 3, noise * 3)))
    image = image.rotate(skew, resample=Image.BICUBIC, fillcolor=236).filter(ImageFilter.GaussianBlur(0.6))
    return image


def sample_scanned_pdf(page_texts: list[str]) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    for i, text in enumerate(page_texts):
        lines = []
        for paragraph in text.split("\n"):
            while len(paragraph) > 60:
                cut = paragraph.rfind(" ", 0, 60)
                cut = cut if cut > 0 else 60
                lines.append(paragraph[:cut])
                paragraph = paragraph[cut:].lstrip()
            lines.append(paragraph)
        buffer = io.BytesIO()
        scanned_image("\n".join(lines[:34]), seed=i).save(buffer, format="PNG")
        page = doc.new_page(width=595, height=842)
        page.insert_image(page.rect, stream=buffer.getvalue())
    data = doc.tobytes(deflate=True)
    doc.close()
    return data
