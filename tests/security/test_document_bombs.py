"""Finding 14 (low): DOCX zip bombs and oversized PDFs are refused before they are parsed."""

import io
import zipfile

import pytest

from residenthub.foi.redaction import documents
from residenthub.foi.redaction.documents import DocumentError


def _docx_with(part_bytes: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/huge.bin", part_bytes)
    return buffer.getvalue()


def test_a_docx_zip_bomb_is_refused():
    bomb = _docx_with(b"\x00" * (64 * 1024 * 1024))  # 64 MB of zeros packs to a few tens of kB
    assert len(bomb) < 1024 * 1024
    with pytest.raises(DocumentError, match="expands"):
        documents.extract("bomb.docx", bomb)


def test_a_pdf_with_too_many_pages_is_refused(monkeypatch):
    import pymupdf

    from residenthub.foi.redaction import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 3)
    doc = pymupdf.open()
    for _ in range(4):
        doc.new_page().insert_text((72, 72), "Page")
    with pytest.raises(DocumentError, match="at most 3"):
        pdf.open_pdf(doc.tobytes(), "many.pdf")
