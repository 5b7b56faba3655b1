"""The demo's document for the FOI redaction review: an internal memo with a table of complainants,
drawn as a real text PDF (a letterhead, a table with ruled cells, a signature), the shape of paper an FOI
officer is asked to release. Every person and address in it is made up."""

import pymupdf

ROWS = [
    ("Date", "Complainant", "Address", "Issue"),
    ("3 Feb", "Sarah Whitmore", "12 Riverside Close, DB4 2QT", "Light out"),
    ("9 Feb", "David Okafor", "4 Riverside Close, DB4 2QT", "Fall in the dark"),
    ("21 Feb", "Ngozi Adeyemi", "31 Mill Lane, DB4 2RA", "Flickering"),
]
LINES = [
    "Internal memo",
    "To: Head of Highways    From: Priya Raman, Senior Highways Inspector",
    "Date: 14 March 2026",
    "Subject: Complaints about the Riverside Close street lights",
    "",
    "Three residents complained about the lights in February. Mr David Okafor of 4 Riverside Close",
    "rang on 07700 900456 and said his mother, who is registered blind, had fallen in the dark.",
    "The contractor's engineer, Tom Fletcher, replaced the lamps on 2 March at a cost of 1,240 pounds.",
]


def memo_pdf() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.draw_rect(pymupdf.Rect(0, 0, 595, 60), color=(0, 0.3, 0.6), fill=(0, 0.3, 0.6))
    page.insert_text((40, 38), "Demo Borough Council - Highways Service", fontsize=16, color=(1, 1, 1))
    y = 100
    for line in LINES:
        page.insert_text((40, y), line, fontsize=10)
        y += 16
    y += 14
    columns = [40, 100, 210, 400, 555]
    for row in ROWS:
        for i, cell in enumerate(row):
            page.draw_rect(
                pymupdf.Rect(columns[i], y - 12, columns[i + 1], y + 6), color=(0, 0, 0), width=0.5
            )
            page.insert_text((columns[i] + 3, y), cell, fontsize=9)
        y += 18
    for offset, line in ((30, "Yours sincerely,"), (50, "Priya Raman"), (66, "Senior Highways Inspector")):
        page.insert_text((40, y + offset), line, fontsize=10)
    doc.set_metadata({"title": "Riverside Close street lights", "author": "Priya Raman"})
    data = doc.tobytes(deflate=True)
    doc.close()
    return data
