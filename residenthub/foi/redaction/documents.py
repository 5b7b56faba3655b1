"""Reading documents to redact and writing redacted copies with the text truly removed.

PDFs are redacted in place with PyMuPDF (``pdf.py``, ADR 0043): boxes over the words, text, drawings and
image pixels underneath removed, the layout kept; scanned pages are read by OCR first. Word documents are
redacted in place too (``docx_redact.py``). Text and email give text. Only a PDF that PyMuPDF cannot open
but pypdf can read is rebuilt from its text (ADR 0040's method, kept as the fallback for broken files; the
log says so): then layout and images are lost.
"""

from __future__ import annotations

import email
import email.policy
import io
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

PAGE_BREAK = "\f"
SUPPORTED = ("pdf", "docx", "txt", "eml")


class DocumentError(Exception):
    """A document that cannot be read or written; the message is for the officer."""


@dataclass
class Extracted:
    file_type: str
    text: str
    pages: int
    page_texts: list = field(default_factory=list)  # pdf.PageText per page (PDF only)
    fallback: bool = False  # a broken PDF read by pypdf: redacted by rebuilding

    def page_info(self) -> list[dict]:
        if self.page_texts:
            return [p.info() for p in self.page_texts]
        return [{"page": i + 1, "scanned": False, "low_confidence": False} for i in range(self.pages)]

    def layout(self) -> list[list[list[float]]]:
        """Per page, [start, end, x0, y0, x1, y1] of each word, offsets in ``text``."""
        out, offset = [], 0
        for page in self.page_texts:
            out.append(
                [[w.start + offset, w.end + offset, *(round(v, 2) for v in w.rect)] for w in page.words]
            )
            offset += len(page.text) + 1
        return out


def max_bytes() -> int:
    return int(settings.FOI_MAX_DOCUMENT_MB) * 1024 * 1024


def file_type_of(name: str, data: bytes) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if data.startswith(b"%PDF"):
        return "pdf"
    if suffix == "docx" and data.startswith(b"PK"):
        return "docx"
    if suffix in ("txt", "text", "csv"):
        return "txt"
    if suffix == "eml":
        return "eml"
    if suffix == "pdf":
        raise DocumentError(f"{name} is not a valid PDF file (it does not start with a PDF header).")
    if suffix == "docx":
        raise DocumentError(f"{name} is not a valid Word document.")
    raise DocumentError(
        f"{name}: files of type '.{suffix or '?'}' cannot be redacted. Use PDF, DOCX, TXT or EML."
    )


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


logger = logging.getLogger(__name__)


def extract(name: str, data: bytes) -> Extracted:
    if len(data) > max_bytes():
        raise DocumentError(
            f"{name} is {len(data) / 1048576:.1f} MB; the largest file that can be redacted is "
            f"{max_bytes() // 1048576} MB. Split it into smaller files."
        )
    kind = file_type_of(name, data)
    if kind == "pdf":
        return _extract_pdf(name, data)
    if kind == "docx":
        return _extract_docx(name, data)
    if kind == "eml":
        return Extracted("eml", email_text(parse_email(data)), 1)
    return Extracted("txt", decode_text(name, data), 1)


def decode_text(name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{name} is not readable text (neither UTF-8 nor Windows-1252).")


def _extract_pdf(name: str, data: bytes) -> Extracted:
    from . import pdf

    try:
        doc = pdf.open_pdf(data, name)
    except DocumentError as exc:
        if "encrypted" in str(exc):
            raise
        return _extract_pdf_fallback(name, data)
    try:
        pages = pdf.read_pages(doc)
    finally:
        doc.close()
    if not any(page.text.strip() for page in pages):
        hint = (
            "OCR found no text on it either."
            if ocr_available()
            else "It looks scanned. OCR is not available on this server (tesseract is not installed): "
            "ask for a text version, or install it with scripts/install_ocr.sh."
        )
        raise DocumentError(f"{name} has no text layer, so nothing in it can be found or redacted. {hint}")
    text = PAGE_BREAK.join(page.text.replace(PAGE_BREAK, " ") for page in pages)
    return Extracted("pdf", text, len(pages), page_texts=pages)


def _extract_pdf_fallback(name: str, data: bytes) -> Extracted:
    """A PDF PyMuPDF cannot open: read what pypdf can, to be redacted by rebuilding (ADR 0040)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError(
                f"{name} is encrypted or password-protected. Ask for an unprotected copy, or remove the "
                "password, and upload it again."
            )
        pages = [(page.extract_text() or "").replace(PAGE_BREAK, " ") for page in reader.pages]
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise DocumentError(
            f"{name} is damaged and cannot be read as a PDF ({exc.__class__.__name__})."
        ) from exc
    if not pages or not any(page.strip() for page in pages):
        raise DocumentError(f"{name} is damaged and cannot be read as a PDF (no readable pages).")
    logger.warning(
        "PDF could not be opened for layout-preserving redaction; it will be rebuilt from its text"
    )
    return Extracted("pdf", PAGE_BREAK.join(pages), len(pages), fallback=True)


def _extract_docx(name: str, data: bytes) -> Extracted:
    from . import docx_redact

    text, _ = docx_redact.read(data, name)
    return Extracted("docx", text, 1)


def parse_email(data: bytes):
    try:
        return email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:
        raise DocumentError("The email cannot be read.") from exc


def email_body(message) -> str:
    """The plain-text body; HTML-only emails are reduced to text. Odd or wrong charsets are survived."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if part.get_content_type() == "text/html":
        import re
        from html import unescape

        content = unescape(re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style).*?</\1>", " ", content)))
    return content.strip()


def email_text(message) -> str:
    header = [
        f"{key}: {message.get(key, '')}" for key in ("From", "To", "Date", "Subject") if message.get(key)
    ]
    return "\n".join([*header, "", email_body(message)])


# --- applying a redaction --------------------------------------------------------------------------
def marker(reason: str = "") -> str:
    return f"[REDACTED {reason}]" if reason else "[REDACTED]"


def redact_text(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """Replace each (start, end, reason) span; page breaks inside a span are kept."""
    out = []
    pos = 0
    for start, end, reason in sorted(spans):
        if start < pos:
            start = pos
        if end <= start:
            continue
        out.append(text[pos:start])
        out.append(marker(reason) + PAGE_BREAK * text[start:end].count(PAGE_BREAK))
        pos = end
    out.append(text[pos:])
    return "".join(out)


_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def write_pdf(text: str, title: str = "Redacted document") -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.compress = False  # plain content streams: anyone (and the tests) can see nothing is hidden there
    pdf.set_title(title)
    pdf.set_author("")
    pdf.set_creator("Resident Hub redaction")
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    try:
        text.encode("latin-1")
        latin = True
    except UnicodeEncodeError:
        latin = False
    if not latin and _FONT.exists():
        pdf.add_font("DejaVu", "", str(_FONT))
        pdf.set_font("DejaVu", size=10)
        clean = text
    else:
        pdf.set_font("Helvetica", size=10)
        clean = text.encode("latin-1", "replace").decode("latin-1")
    for page in clean.split(PAGE_BREAK):
        pdf.add_page()
        pdf.multi_cell(0, 5, page.replace("\t", "    ") or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def write_docx(text: str, title: str = "Redacted document") -> bytes:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.title = title
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    for line in text.replace(PAGE_BREAK, "\n").split("\n"):
        document.add_paragraph(_xml_safe(line))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xml_safe(text: str) -> str:
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)


def render(text: str, out_type: str, title: str = "Redacted document") -> bytes:
    if out_type == "pdf":
        return write_pdf(text, title)
    if out_type == "docx":
        return write_docx(text, title)
    if out_type == "txt":
        return text.replace(PAGE_BREAK, "\n\n").encode("utf-8")
    raise DocumentError(f"Cannot write a redacted file of type '{out_type}'. Use pdf, docx or txt.")


def output_type_for(in_type: str, out_path: str | None = None) -> str:
    if out_path:
        suffix = Path(out_path).suffix.lower().lstrip(".")
        if suffix in ("pdf", "docx", "txt"):
            return suffix
    return "txt" if in_type == "eml" else in_type


def write_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written output."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def redact_file(
    name: str,
    data: bytes,
    extracted: Extracted,
    spans: Sequence[tuple[int, int, str]],
    areas: Sequence[tuple[int, tuple[float, float, float, float], str]] = (),
    out_type: str | None = None,
) -> tuple[bytes, str]:
    """The redacted copy of an uploaded file: (bytes, type). ``spans`` are (start, end, reason) in
    ``extracted.text``; ``areas`` are (page, rect, reason) drawn by the officer (PDF only)."""
    from . import pdf

    kind = extracted.file_type
    out_type = out_type or output_type_for(kind)
    if kind == "pdf" and out_type == "pdf" and not extracted.fallback:
        boxes = [pdf.Box(page, rect, reason) for page, rect, reason in areas]
        offset = 0
        for page in extracted.page_texts:
            end_of_page = offset + len(page.text)
            for start, end, reason in spans:
                if start < end_of_page and end > offset:
                    for rect in pdf.span_rects(
                        page, max(start, offset) - offset, min(end, end_of_page) - offset
                    ):
                        boxes.append(pdf.Box(page.number, rect, reason))
            offset = end_of_page + 1
        doc = pdf.open_pdf(data, name)
        try:
            pdf.redact(doc, boxes)
            return pdf.save(doc), "pdf"
        finally:
            doc.close()
    if kind == "docx" and out_type == "docx":
        from . import docx_redact

        marked = [(s, e, marker(pdf.label(r))) for s, e, r in spans]
        return docx_redact.redact(data, marked, name, reviewed=extracted.text), "docx"
    if kind == "pdf" and extracted.fallback:
        logger.warning("Redacting by rebuilding the PDF from its text (fallback for a broken file)")
    text = redact_text(extracted.text, [(s, e, pdf.label(r)) for s, e, r in spans])
    return render(text, out_type), out_type
