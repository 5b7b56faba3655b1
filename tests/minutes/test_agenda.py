"""Agenda import from the documents clerks have: Word, PDF, text; bad files get clear messages."""

import io

import pytest

from residenthub.minutes.agenda import AgendaError, parse_document

AGENDA = [
    "Demo Borough Council",
    "Corporate Resources and Infrastructure Select Committee",
    "AGENDA",
    "1. Apologies for absence",
    "2. Declarations of interest",
    "3 Digital Transformation Update",
    "4) Budget Monitoring Quarter Two",
    "PART II - ITEMS NOT OPEN TO THE PUBLIC",
    "5. Contract award for telephony",
]
EXPECTED = [
    ("Apologies for absence", False),
    ("Declarations of interest", False),
    ("Digital Transformation Update", False),
    ("Budget Monitoring Quarter Two", False),
    ("Contract award for telephony", True),
]


def _docx() -> bytes:
    import docx

    document = docx.Document()
    for line in AGENDA:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in AGENDA:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("name", "make"),
    [("agenda.txt", lambda: "\n".join(AGENDA).encode()), ("agenda.docx", _docx), ("agenda.pdf", _pdf)],
)
def test_items_and_closed_part_two(name, make):
    assert [(i.title, i.closed) for i in parse_document(name, make())] == EXPECTED


def test_an_item_marked_exempt_on_its_own_line_is_closed():
    items = parse_document("a.txt", b"1. Budget\n2. Staffing matters (exempt)\n")
    assert [(i.title, i.closed) for i in items] == [("Budget", False), ("Staffing matters", True)]


def test_unnumbered_lines_are_items():
    assert [i.title for i in parse_document("a.txt", b"Budget\nParking review\n")] == [
        "Budget",
        "Parking review",
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("agenda.docx", b"not a word file", "Word file could not be read"),
        ("agenda.pdf", b"%PDF-broken", "PDF could not be read"),
        ("agenda.xlsx", b"PK", r"must be a Word \(\.docx\), PDF or text \(\.txt\) file"),
        ("agenda.txt", b"", "empty"),
        ("agenda.txt", b"\n \n- \n", "No agenda items"),
    ],
)
def test_bad_files(name, data, message):
    with pytest.raises(AgendaError, match=message):
        parse_document(name, data)
