"""Reading documents to redact and writing redacted copies with the text truly removed.

A redacted PDF is never the original with boxes drawn on it: it is a new PDF written (fpdf2, LGPL) from the
text extracted (pypdf, BSD) with each redacted span replaced by a marker, page by page, with fresh
metadata. The same for DOCX (a new document from the redacted paragraphs, python-docx) and text. What is
not in the text layer (images, scanned pages) is not carried over at all.
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
from dataclasses import dataclass
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


def max_bytes() -> int:
    return int(getattr(settings, "FOI_MAX_DOCUMENT_MB", 25)) * 1024 * 1024


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
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

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
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise DocumentError(
            f"{name} is damaged and cannot be read as a PDF ({exc.__class__.__name__})."
        ) from exc
    if not pages:
        raise DocumentError(f"{name} has no pages.")
    if not any(page.strip() for page in pages):
        hint = (
            "Tesseract is installed: run OCR on it first (e.g. `ocrmypdf`), then upload the result."
            if ocr_available()
            else "It looks scanned. OCR is not available on this server (tesseract is not installed): "
            "ask for a text version."
        )
        raise DocumentError(f"{name} has no text layer, so nothing in it can be found or redacted. {hint}")
    return Extracted("pdf", PAGE_BREAK.join(pages), len(pages))


def _extract_docx(name: str, data: bytes) -> Extracted:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a damaged zip
        raise DocumentError(f"{name} is damaged and cannot be read as a Word document.") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return Extracted("docx", "\n".join(lines), 1)


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
