"""Documents made for the redaction tests: a council letter with a letterhead image, a payments table, a
signature block and a scanned third page with a handwritten-style name."""

from __future__ import annotations

import io

PAYEE = "Wilhelmina Ofori"
CARD = "4929 1234 5678 9015"  # passes the Luhn check
OFFICER = "Jane Ashworth"
HANDWRITTEN = "Tadeusz Kowalczyk"
ADDRESS = "14 Station Road, London SW1A 1AA"
SECRETS = [
    PAYEE,
    "Ofori",
    CARD,
    "4929",
    OFFICER,
    "Ashworth",
    HANDWRITTEN,
    "Kowalczyk",
    "SW1A 1AA",
    "07700 900123",
]
# Where the handwritten name is drawn on page 3 (PDF points): the officer draws this area if OCR misses it.
HANDWRITTEN_AREA = (60.0, 300.0, 420.0, 350.0)


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def letterhead_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1000, 120), (0, 94, 165))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 15, 110, 105), fill=(255, 221, 0))
    draw.rectangle((130, 50, 980, 70), fill=(255, 255, 255))
    return _png(image)


def handwritten_scan_png() -> bytes:
    """A scanned page: printed text, and a name written larger and slanted, as by hand."""
    from PIL import Image, ImageDraw, ImageFont

    from residenthub.foi.redaction.pdf import scanned_image

    page = scanned_image(
        "Note of a phone call, 3 March 2025\n"
        "The caller asked about the payment refund.\n"
        "Call back on 07700 900123 after 2pm.\n",
        seed=3,
    )
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf", 44)
    except OSError:  # pragma: no cover
        font = ImageFont.load_default()
    layer = Image.new("L", (900, 120), 0)
    ImageDraw.Draw(layer).text((10, 20), HANDWRITTEN, fill=255, font=font)
    layer = layer.rotate(4, resample=Image.BICUBIC, expand=False)
    ink = Image.new("L", layer.size, 40)
    # page is 1240 px wide for 595 pt: the name lands inside HANDWRITTEN_AREA
    page.paste(ink, (135, 630), layer)
    return _png(page)


def council_letter_pdf(scan: bool = True) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    # page 1: letterhead, address, body and a table of payments
    page = doc.new_page(width=595, height=842)
    page.insert_image(pymupdf.Rect(40, 30, 555, 92), stream=letterhead_png())
    page.insert_text((400, 120), "Demo Borough Council", fontsize=10, fontname="helv")
    y = 140
    for line in (PAYEE, ADDRESS, "", f"Dear {PAYEE},", "", "Refunds of your council tax overpayments"):
        page.insert_text((50, y), line, fontsize=11, fontname="helv")
        y += 16
    top = y + 10
    rows = [
        ("Date", "Amount", "Paid to card"),
        ("3 March 2025", "£120.00", CARD),
        ("4 April 2025", "£80.00", CARD),
    ]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            rect = pymupdf.Rect(50 + c * 165, top + r * 22, 50 + (c + 1) * 165, top + (r + 1) * 22)
            page.draw_rect(rect, color=(0, 0, 0), width=0.7)
            page.insert_text((rect.x0 + 4, rect.y1 - 7), cell, fontsize=10, fontname="helv")
    page.insert_text(
        (50, top + 100), "The council spent 1,000 pounds on refunds this year.", fontsize=11, fontname="helv"
    )
    # page 2: the rest of the letter and a signature block
    page = doc.new_page(width=595, height=842)
    page.insert_image(pymupdf.Rect(40, 30, 555, 92), stream=letterhead_png())
    y = 130
    for line in (
        "If you have questions, reply to this letter.",
        "",
        "Yours sincerely,",
        "",
        OFFICER,
        "Revenues Officer, Demo Borough Council",
    ):
        page.insert_text((50, y), line, fontsize=11, fontname="helv")
        y += 16
    if scan:  # page 3: a scan
        page = doc.new_page(width=595, height=842)
        page.insert_image(page.rect, stream=handwritten_scan_png())
    doc.set_metadata({"author": OFFICER, "title": f"Letter to {PAYEE}", "subject": CARD})
    doc.embfile_add("notes.txt", f"Notes about {PAYEE}".encode())
    data = doc.tobytes(deflate=True)
    doc.close()
    return data


def all_text_and_bytes(data: bytes) -> tuple[str, str]:
    """Every page's text, and every object and stream decompressed plus the metadata, as one string."""
    import pymupdf

    doc = pymupdf.open(stream=data, filetype="pdf")
    text = "\n".join(page.get_text() for page in doc)
    chunks = [data.decode("latin-1"), str(doc.metadata), doc.get_xml_metadata() or ""]
    for xref in range(1, doc.xref_length()):
        try:
            chunks.append(doc.xref_object(xref, compressed=False))
            if doc.xref_is_stream(xref):
                chunks.append((doc.xref_stream(xref) or b"").decode("latin-1"))
        except Exception:  # noqa: BLE001, S112  (a free slot in the cross-reference table)
            continue
    chunks += [doc.embfile_info(i)["name"] for i in range(doc.embfile_count())]
    doc.close()
    return text, "\n".join(chunks)
