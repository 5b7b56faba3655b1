"""Letters to PDF with fpdf2 (ADR 0072): A4, fonts embedded, the address block where GOV.UK Notify's
precompiled letter specification wants it, nothing printed in the areas Notify keeps clear.

Notify's specification (https://docs.notifications.service.gov.uk/documentation/precompiled-letters):
A4 portrait; the address block inside the window area 24.6 mm from the left and 39.5 mm from the
top, 95.9 mm wide and 26.9 mm high, 3 to 7 lines with the postcode on the last; a 15 mm margin on
the left and 5 mm elsewhere kept clear on every page; every font embedded.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from fpdf import FPDF

FONT_CANDIDATES = (  # fonts-liberation (scripts/install_pdf_deps.sh, run by make test) or DejaVu
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)
ADDRESS_X, ADDRESS_Y, ADDRESS_W, ADDRESS_H = 24.6, 39.5, 95.9, 26.9
LEFT, RIGHT, TOP, BOTTOM = 25.0, 20.0, 20.0, 20.0  # inside Notify's clear margins
MAX_ADDRESS_LINES = 7


class LetterError(ValueError):
    """The letter cannot be made (an address Notify would refuse, no font): the message says why."""


@functools.cache
def font_path() -> Path:
    """A Unicode TrueType font to embed (Notify refuses letters whose fonts are not embedded)."""
    for candidate in (settings.LETTERS_FONT, *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise LetterError("No font to embed in letters: run scripts/install_pdf_deps.sh or set LETTERS_FONT")


def address_lines(address: str) -> list[str]:
    lines = [" ".join(line.split()) for line in address.splitlines() if line.strip()]
    if len(lines) < 3:
        raise LetterError("A postal address needs at least 3 lines: name, street and postcode.")
    if len(lines) > MAX_ADDRESS_LINES:
        lines = lines[: MAX_ADDRESS_LINES - 1] + [lines[-1]]
    return lines


class _Letter(FPDF):
    def footer(self):
        self.set_y(-BOTTOM + 5)
        self.set_font("body", size=8)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")


def render(*, address: str, date_text: str, heading: str, paragraphs: list[str], reference: str) -> bytes:
    """One letter as PDF bytes. Only the values passed in are printed: one resident's letter can
    carry nothing about another (tests/letters/test_letters.py checks it with two residents)."""
    lines = address_lines(address)
    pdf = _Letter(format="A4", unit="mm")
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    pdf.add_font("body", "", str(font_path()))
    pdf.alias_nb_pages()
    pdf.set_title(heading)
    pdf.set_creator(settings.COUNCIL_NAME)
    pdf.add_page()
    pdf.set_font("body", size=11)
    pdf.set_xy(125, TOP)
    for line in [settings.COUNCIL_NAME, *settings.LETTERS_RETURN_ADDRESS.split(","), ""]:
        pdf.set_x(125)
        pdf.cell(65, 5, line.strip(), new_x="LEFT", new_y="NEXT")
    pdf.set_font("body", size=10)
    height = min(ADDRESS_H / len(lines), 4.5)
    pdf.set_xy(ADDRESS_X, ADDRESS_Y)
    for line in lines:
        pdf.set_x(ADDRESS_X)
        pdf.cell(ADDRESS_W, height, line[:60], new_x="LEFT", new_y="NEXT")
    pdf.set_font("body", size=11)
    pdf.set_xy(LEFT, 80)
    pdf.cell(0, 6, date_text, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"Reference: {reference}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("body", size=14)
    pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("body", size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 5.5, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def merge(pdfs: list[bytes]) -> bytes:
    """One PDF of many letters, for printing in a batch (each letter starts on a new sheet)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pdfs:
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages:
            writer.add_page(page)
        if len(reader.pages) % 2:  # duplex printing: the next letter starts on a new sheet
            writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
