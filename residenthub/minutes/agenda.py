"""Agenda items from the agenda document the clerk already has: DOCX, PDF or plain text.

Numbered lines ("1.", "2)", "Item 3 -") are items; "Part II", "exempt" or "private" after a
heading or on the item marks it closed. Front matter (council name, date, "Agenda") is skipped.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass


class AgendaError(Exception):
    """The file cannot be read as an agenda; the message is for the clerk."""


@dataclass
class ParsedItem:
    title: str
    closed: bool = False


_NUMBERED = re.compile(r"^\s*(?:item\s+)?(\d{1,2})\s*[.):\-–]?\s+(.{3,})$", re.IGNORECASE)
_CLOSED = re.compile(r"\b(part\s*(ii|2)|exempt|private|confidential|closed session)\b", re.IGNORECASE)


def _text_of(name: str, data: bytes) -> str:
    lower = name.lower()
    if lower.endswith(".docx"):
        try:
            import docx

            document = docx.Document(io.BytesIO(data))
        except Exception as exc:  # python-docx raises several types for a broken file
            raise AgendaError("The Word file could not be read. Save it again as .docx and retry.") from exc
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append(" ".join(cell.text.strip() for cell in row.cells if cell.text.strip()))
        return "\n".join(lines)
    if lower.endswith(".pdf"):
        try:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            return "\n".join(page.extract_text() or "" for page in reader.pages)
        except Exception as exc:
            raise AgendaError(
                "The PDF could not be read. Check it opens, or paste the items instead."
            ) from exc
    if lower.endswith((".txt", ".md")):
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise AgendaError("The text file is not in a known encoding. Save it as UTF-8.")
    raise AgendaError("The agenda must be a Word (.docx), PDF or text (.txt) file.")


def parse_text(text: str) -> list[ParsedItem]:
    """Items from agenda text: numbered lines, or (if none are numbered) every non-empty line."""
    items: list[ParsedItem] = []
    in_private = False
    lines = [line.strip() for line in text.replace("\r", "").split("\n")]
    for line in lines:
        if not line:
            continue
        if _CLOSED.search(line) and not _NUMBERED.match(line):
            in_private = True  # "Part II - items not open to the public" heading
            continue
        match = _NUMBERED.match(line)
        if match:
            title = re.sub(r"\s+", " ", match.group(2)).strip(" .")
            closed = in_private or bool(_CLOSED.search(title))
            title = re.sub(r"\s*[\(\[]?(part\s*(ii|2)|exempt)[\)\]]?\s*$", "", title, flags=re.IGNORECASE)
            items.append(ParsedItem(title=title, closed=closed))
    if not items:
        items = [
            ParsedItem(title=line) for line in lines if line and len(line) > 2 and not _CLOSED.search(line)
        ]
    return items


def parse_document(name: str, data: bytes) -> list[ParsedItem]:
    if not data:
        raise AgendaError("The agenda file is empty.")
    items = parse_text(_text_of(name, data))
    if not items:
        raise AgendaError("No agenda items were found in the file. Number each item (1., 2., ...) and retry.")
    if len(items) > 60:
        raise AgendaError(f"{len(items)} items were found; that is not an agenda. Check the file.")
    return items
