"""Detection of personal data (Presidio with our recognisers) and redaction with the text truly removed."""

import io
import json
import re
import shutil
import zipfile

import pytest
from django.core.management import CommandError, call_command

from residenthub.foi.redaction import detect as d
from residenthub.foi.redaction import documents
from residenthub.foi.redaction import pdf as pdfredact
from residenthub.foi.redaction.recognizers import iban_ok, luhn_ok

from .letters import all_text_and_bytes

TEXT = (
    "Dear Mr John Okonkwo,\nYour NHS number 943 476 5919 and NI number AB 12 34 56 C are on file. "
    "Write to 14 Station Road, London SW1A 1AA or call 07700 900123. Email john.okonkwo@example.co.uk. "
    "Date of birth: 12/03/1984. Sort code 20-00-00, account number 31926819. Vehicle AB12 CDE. "
    "Passport number 123456789. Driving licence MORGA753116SM9IJ.\n"
    "Invoice 1234567890 was paid on 12/03/2024 (order 55512345) at 10:30:00.\nRegards, Sarah Whitfield"
)
EXPECTED = {
    "Mr John Okonkwo": d.PERSON,  # the title too: it tells gender and marital status
    "943 476 5919": d.NHS_NUMBER,
    "AB 12 34 56 C": d.NI_NUMBER,
    "14 Station Road, London SW1A 1AA": d.ADDRESS,
    "07700 900123": d.PHONE,
    "john.okonkwo@example.co.uk": d.EMAIL,
    "12/03/1984": d.DOB,
    "20-00-00": d.SORT_CODE,
    "31926819": d.ACCOUNT,
    "AB12 CDE": d.VEHICLE,
    "123456789": d.PASSPORT,
    "MORGA753116SM9IJ": d.DRIVING_LICENCE,
    "Sarah Whitfield": d.PERSON,
}


def _found(text, **kw):
    return {s.text: s.entity_type for s in d.detect(text, **kw)}


def test_detects_every_uk_kind_and_not_the_lookalikes():
    found = _found(TEXT)
    assert found == EXPECTED
    assert not {"1234567890", "12/03/2024", "55512345", "10:30:00"} & set(found)


@pytest.mark.parametrize(
    "text,value,kind",
    [
        ("Paid with 4111 1111 1111 1111 yesterday", "4111 1111 1111 1111", d.CARD),
        ("card 5500-0000-0000-0004 declined", "5500-0000-0000-0004", d.CARD),
        ("amex 378282246310005", "378282246310005", d.CARD),
        ("IBAN GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32", d.IBAN),
        ("pay DE89370400440532013000 now", "DE89370400440532013000", d.IBAN),
        ("login from 192.168.10.24 failed", "192.168.10.24", d.IP),
        ("from 2001:db8:85a3::8a2e:370:7334 too", "2001:db8:85a3::8a2e:370:7334", d.IP),
        ("ring +33 1 23 45 67 89 in Paris", "+33 1 23 45 67 89", d.PHONE),
        ("US office (415) 555-2671 today", "(415) 555-2671", d.PHONE),
        ("landline 020 7946 0958 at home", "020 7946 0958", d.PHONE),
        ("see https://facebook.com/jane.doe.1984 for it", "https://facebook.com/jane.doe.1984", d.URL),
        ("NI number ab123456c given", "ab123456c", d.NI_NUMBER),
        ("my maestro card 675940213811 was declined", "675940213811", d.CARD),  # 12 digits, Luhn
        ("refund to cc 5018 7733 2046 please", "5018 7733 2046", d.CARD),
        ("my iban is gb29nwbk60161331926819 thanks", "gb29nwbk60161331926819", d.IBAN),  # typed in lower case
    ],
)
def test_structured_identifiers(text, value, kind):
    spans = d.detect(text, use_model=False)
    assert (value, kind) in {(s.text, s.entity_type) for s in spans}


def test_checksums_and_lookalikes_are_not_flagged():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82WEST12345698765432") and not iban_ok("GB83WEST12345698765432")
    assert d.nhs_checksum_ok("9434765919") and not d.nhs_checksum_ok("9434765918")
    spans = d.detect(
        "Version 1.2.3.4000 shipped; meeting 10:30:00; ticket 1234567812345678 closed; "
        "budget £1,250,000 for 2025; room 12; 999.1.1.1 is not an address.",
        use_model=False,
    )
    assert spans == []


def test_twelve_digit_and_lower_case_lookalikes_are_not_flagged():
    """A 12-digit Maestro number needs Luhn and a card word; a lower-case IBAN needs its mod-97 check."""
    spans = d.detect(
        "order 675940213811 shipped; card 675940213812 declined; my iban is gb28nwbk60161331926819; "
        "meeting code ab12cdef34567890ghij",
        use_model=False,
    )
    assert spans == []


def test_international_addresses():
    for text, value in [
        ("I live at 123 Main St., Springfield, IL 62704. Thanks", "123 Main St., Springfield, IL 62704"),
        ("Send to Hauptstraße 5, 10115 Berlin, Germany.", "Hauptstraße 5, 10115 Berlin, Germany"),
        ("Rua das Flores 12, 1200-195 Lisboa", "Rua das Flores 12, 1200-195 Lisboa"),
        ("Flat 3, 27 Acacia Avenue\nLeeds LS6 2AB\n", "Flat 3, 27 Acacia Avenue\nLeeds LS6 2AB"),
    ]:
        assert (value, d.ADDRESS) in {(s.text, s.entity_type) for s in d.detect(text, use_model=False)}, text


def test_address_block_in_a_quoted_email_reply():
    """The "> " of a replied email does not hide the address block under it, and is left out of what is
    redacted (a span a line); a bulleted list is not one block."""
    text = (
        "Ann wrote:\n> \n> Send the form to:\n> 12 Hafnarstræti 4\n> Apt. 3\n> REYKJAVIK\n> Iceland 10100\n"
    )
    addresses = [s.text for s in d.detect(text, use_model=False) if s.entity_type == d.ADDRESS]
    assert addresses == ["12 Hafnarstræti 4", "Apt. 3", "REYKJAVIK", "Iceland 10100"]  # not the "> " marks
    listed = "Profile\n• Address: 9 Mill Road, Leeds LS6 2AB\n• ID: 4471\n"
    addresses = [s.text for s in d.detect(listed, use_model=False) if s.entity_type == d.ADDRESS]
    assert addresses == ["9 Mill Road, Leeds LS6 2AB"]


def test_a_senders_organisation_line_above_the_address_block_is_not_redacted():
    """A letter's sender line ("Demo Borough Council"), read just above the recipient's block, is the
    council's name, not the resident's address; the name and address lines below it still are."""
    text = "Demo Borough Council\nWilhelmina Ofori\nFlat 2\n14 Station Road\nLondon SW1A 1AA\n\nDear Ms Ofori"
    found = {(s.text, s.entity_type) for s in d.detect(text, use_model=False)}
    assert ("Wilhelmina Ofori\nFlat 2\n14 Station Road\nLondon SW1A 1AA", d.ADDRESS) in found
    assert not any("Council" in value for value, _ in found)
    # A job title above a name is no organisation's name: the block is redacted whole, as before.
    titled = "Housing Officer\nWilhelmina Ofori\nFlat 2\n14 Station Road\nLondon SW1A 1AA"
    assert (titled, d.ADDRESS) in {(s.text, s.entity_type) for s in d.detect(titled, use_model=False)}


def test_street_and_number_then_a_flat_is_an_address_but_rooms_and_versions_are_not():
    found = d.detect("Ms Virtanen 4471 Pellervo 8 Apt. 41 Lahti Finland", use_model=False)
    assert ("4471 Pellervo 8 Apt. 41 Lahti Finland", d.ADDRESS) in {(s.text, s.entity_type) for s in found}
    for text in ("We stayed 3 nights in Room 12 Suite 4 was nicer", "Version 2 Unit 3 tests passed"):
        assert not [s for s in d.detect(text, use_model=False) if s.entity_type == d.ADDRESS], text


def test_names_in_every_position():
    text = (
        "Dear Zebedee Quarmby,\nHer neighbour Ottoline Vasquez-Brand called; Mr Hewitt-Nkemelu and "
        "Dr A. Lowther were told. we met priya patel and JAMES O'BRIEN, then Mr J Smith and Nguyen Thi Lan.\n"
        "Signed: Florin Tadeusz\nYours sincerely,\nWilhelmina Ofori\n"
        "The Neighbour Liaison Team and Dear Sir or Madam are not people."
    )
    people = {s.text for s in d.detect(text) if s.entity_type == d.PERSON}
    for name in (
        "Zebedee Quarmby",
        "Ottoline Vasquez-Brand",
        "Mr Hewitt-Nkemelu",  # the title goes with the name (ADR 0048)
        "Dr A. Lowther",
        "priya patel",
        "JAMES O'BRIEN",
        "Mr J Smith",
        "Florin Tadeusz",
        "Wilhelmina Ofori",
    ):
        assert name in people, name
    assert any("Nguyen" in p for p in people)
    assert not any(w in p for p in people for w in ("Neighbour", "Sir", "Madam", "Team"))


def test_names_alone_on_a_line_and_in_a_signature_block():
    text = "Notes\nCHIDI OKAFOR\nHousing Officer\n\nKind regards\n\nMarek Nowak\nRevenues"
    people = {s.text for s in d.detect(text) if s.entity_type == d.PERSON}
    assert {"CHIDI OKAFOR", "Marek Nowak"} <= people


def test_organisations_are_not_people_and_the_people_beside_them_still_are():
    """Banks, systems and firms named after people are not personal data (ADR 0132); the people working
    for them, with them or named like them still are."""
    text = (
        "Morgan Stanley and Wells Fargo declined; Morgan Davies accepted. I work for Flightstats. "
        "Tickets go through Jira and payroll runs on Workday. Telenav is a design agency based in Leeds. "
        "The Davis, Reynolds and Williamson Orchestra played. Thomas and Sons is a builder. "
        "Kristen Rocher of Butler-Peters called. Sarah Khan from Barclays Bank rang. "
        "Contact Jane Smith Housing Officer. I work for John Smith. Mr Wells and Mrs Chase attended. "
        "Efimiya, Mary, Ariana and Jodi came."
    )
    people = {s.text for s in d.detect(text) if s.entity_type == d.PERSON}
    for org in ("Morgan Stanley", "Stanley", "Wells Fargo", "Flightstats", "Jira", "Workday", "Telenav"):
        assert not any(org in p for p in people), (org, people)
    assert not any(w in p for p in people for w in ("Davis", "Reynolds", "Williamson", "Thomas", "Butler"))
    for person in (
        "Morgan Davies",
        "Kristen Rocher",
        "Sarah Khan",
        "Jane Smith",
        "John Smith",
        "Mr Wells",
        "Mrs Chase",
        "Efimiya",
        "Jodi",
    ):
        assert person in people, (person, people)


def test_known_names_and_allowed_identifiers():
    spans = d.detect("Mrs Patel phoned about Priya's bins", known_names=["Priya Patel"], use_model=False)
    assert {s.text for s in spans} >= {"Mrs Patel", "Priya"}
    allowed = d.detect(
        "Priya Patel (priya@example.com, 07700 900123) and Sandra Okonedo",
        allow=["Priya Patel", "priya@example.com", "07700900123"],
    )
    assert [s.text for s in allowed] == ["Sandra Okonedo"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("mr baker said the shop was shut", "mr baker"),
        ("i spoke to mrs jones yesterday about it", "mrs jones"),
        ("dr patel told me to rest", "dr patel"),
        ("ask for mrs sarah jones please", "mrs sarah jones"),
    ],
)
def test_a_name_in_lower_case_after_a_title_ends_before_the_verb(text, name):
    assert [s.text for s in d.detect(text, use_model=False) if s.entity_type == d.PERSON] == [name]


def test_a_known_names_word_after_the_or_a_is_a_word():
    """A requester called "Rose Hill": "the hill" and "a rose" are words; "Hill", "HILL" and the full name
    in any case stay redacted."""
    text = "Rose Hill wrote about the hill and a rose bed. HILL again; rose hill said so."
    found = [s.text for s in d.detect(text, known_names=["Rose Hill"], use_model=False)]
    assert "Rose Hill" in found and "HILL" in found and "rose hill" in found
    assert "hill" not in found and "rose" not in found


def test_overlapping_spans_merge_so_nothing_is_left_half_redacted():
    spans = d.resolve_overlaps(
        [
            d.Span(0, 15, d.ADDRESS, "x" * 15),
            d.Span(10, 18, d.POSTCODE, "y" * 8),
            d.Span(20, 25, d.PERSON, "z" * 5),
        ]
    )
    assert [(s.start, s.end, s.entity_type) for s in spans] == [(0, 18, d.ADDRESS), (20, 25, d.PERSON)]


def test_cli_detect_json_and_jsonl(tmp_path, capsys):
    src = tmp_path / "in.txt"
    src.write_text(TEXT)
    call_command("redact", "detect", str(src), "--json")
    spans = json.loads(capsys.readouterr().out)
    assert set(spans[0]) == {"start", "end", "entity_type", "text", "score"}
    assert all(TEXT[s["start"] : s["end"]] == s["text"] for s in spans)
    lines = tmp_path / "in.jsonl"
    lines.write_text(
        json.dumps({"id": 1, "text": "Call 07700 900123"})
        + "\n"
        + json.dumps({"id": "b", "text": "ok"})
        + "\n"
    )
    call_command("redact", "detect", "--jsonl", str(lines))
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out == [
        {"id": 1, "spans": [{"start": 5, "end": 17, "entity_type": "PHONE_NUMBER", "score": 0.6}]},
        {"id": "b", "spans": []},
    ]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "no id"}\n')
    with pytest.raises(CommandError, match="line 1"):
        call_command("redact", "detect", "--jsonl", str(bad))


SECRETS = ["John Okonkwo", "Okonkwo", "943 476 5919", "SW1A 1AA", "john.okonkwo@example.co.uk", "Jane Secret"]


def _text_pdf(lines) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 60
    for line in lines:
        page.insert_text((50, y), line, fontsize=11, fontname="helv")
        y += 18
    page.draw_rect(pymupdf.Rect(48, 45, 400, y), color=(0.2, 0.2, 0.2), width=0.5)
    doc.set_metadata({"author": "Jane Secret-Author", "title": "Letter to John Okonkwo"})
    annot = page.add_text_annot((500, 60), "Jane Secret wrote this")
    annot.update()
    data = doc.tobytes(deflate=True)
    doc.close()
    return data


def test_pdf_redaction_keeps_layout_and_removes_text_bytes_metadata_annotations(tmp_path):
    import pymupdf

    original = _text_pdf(
        [
            "Letter to John Okonkwo",
            "NHS 943 476 5919, SW1A 1AA",
            "john.okonkwo@example.co.uk",
            "The council spent 1,000 pounds.",
        ]
    )
    src, out = tmp_path / "in.pdf", tmp_path / "out.pdf"
    src.write_bytes(original)
    call_command("redact", "apply", str(src), "--out", str(out), "--reason", "s40_2")
    text, everything = all_text_and_bytes(out.read_bytes())
    for secret in SECRETS:
        assert secret not in text and secret not in everything, secret
    assert "The council spent 1,000 pounds." in text and "s40(2)" in text
    with pymupdf.open(out) as doc:
        assert doc.page_count == 1
        assert list(doc[0].annots()) == []
        page = doc[0]
        assert page.get_drawings()  # the frame drawn around the text is still there
        assert page.search_for("The council spent")[0].y0 == pytest.approx(
            pymupdf.open(stream=original)[0].search_for("The council spent")[0].y0, abs=0.5
        )


def _table_pdf() -> bytes:
    """A memo with a table of complaints: one row a complainant, each cell on its own line in the text."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((40, 60), "The engineer replaced the lamps on 2 March.", fontsize=10, fontname="helv")
    rows = [
        ("Date", "Complainant", "Address", "Issue"),
        ("3 Feb", "Sarah Whitmore", "12 Riverside Close, DB4 2QT", "Light out"),
        ("9 Feb", "David Okafor", "4 Riverside Close, DB4 2QT", "Fall in the dark"),
        ("21 Feb", "Ngozi Adeyemi", "31 Mill Lane, DB4 2RA", "Flickering"),
    ]
    columns, y = [40, 100, 210, 400, 555], 100
    for row in rows:
        for i, cell in enumerate(row):
            page.draw_rect(
                pymupdf.Rect(columns[i], y - 12, columns[i + 1], y + 6), color=(0, 0, 0), width=0.5
            )
            page.insert_text((columns[i] + 3, y), cell, fontsize=9, fontname="helv")
        y += 18
    page.insert_text((40, y + 30), "Yours sincerely,", fontsize=10, fontname="helv")
    page.insert_text((40, y + 46), "Priya Raman", fontsize=10, fontname="helv")
    data = doc.tobytes(deflate=True)
    doc.close()
    return data


def test_a_table_of_complainants_loses_their_names_and_addresses_and_keeps_its_other_cells(tmp_path):
    """Cells come out of a PDF one to a line: an address cell must not swallow the date cell above it, the
    column headings, or the next cell ("Light out") and the sign-off below it."""
    src, out = tmp_path / "memo.pdf", tmp_path / "out.pdf"
    src.write_bytes(_table_pdf())
    text = documents.extract("memo.pdf", src.read_bytes()).text
    found = [s for s in d.detect(text) if s.entity_type == d.ADDRESS]
    assert sorted(s.text.split("\n")[-1] for s in found) == [
        "12 Riverside Close, DB4 2QT",
        "31 Mill Lane, DB4 2RA",
        "4 Riverside Close, DB4 2QT",
    ]
    call_command("redact", "apply", str(src), "--out", str(out), "--reason", "s40_2")
    redacted, everything = all_text_and_bytes(out.read_bytes())
    for secret in ("Whitmore", "Okafor", "Adeyemi", "Riverside Close", "Mill Lane", "DB4 2QT", "Priya Raman"):
        assert secret not in redacted and secret not in everything, secret
    for kept in (
        "Date",
        "Complainant",
        "Address",
        "Issue",
        "3 Feb",
        "9 Feb",
        "21 Feb",
        "Light out",
        "Fall in the dark",
        "Flickering",
        "Yours sincerely",
        "2 March",
    ):
        assert kept in redacted, kept


def test_dates_are_not_house_numbers_and_a_uk_postcode_ends_the_address():
    text = "Repaired on 2 March.\nDate\nOfficer\nNotes\n\nSend it to 9 Mill Lane, Leeds LS6 2AB\nThanks"
    assert [s.text for s in d.detect(text, use_model=False) if s.entity_type == d.ADDRESS] == [
        "9 Mill Lane, Leeds LS6 2AB"
    ]
    # The country after a UK postcode is still part of the address.
    text = "Send it to 9 Mill Lane\nLeeds LS6 2AB\nUnited Kingdom\nThanks"
    assert [s.text for s in d.detect(text, use_model=False) if s.entity_type == d.ADDRESS] == [
        "9 Mill Lane\nLeeds LS6 2AB\nUnited Kingdom"
    ]


def test_a_postcode_in_lower_case_is_found_where_it_is_called_a_postcode():
    def postcodes(text):
        return [s.text for s in d.detect(text, use_model=False) if s.entity_type == d.POSTCODE]

    assert postcodes("my postcode is sw1a1aa") == ["sw1a1aa"]
    assert postcodes("Post code: bs8 1th, thanks") == ["bs8 1th"]
    # Without the word, the lower-case shape is an ordinary token: "m1 1am" could be a time.
    assert postcodes("meet at m1 1am tomorrow") == []


def test_docx_redacted_in_place_with_formatting(tmp_path):
    import docx

    document = docx.Document()
    document.core_properties.author = "Jane Secret-Author"
    document.core_properties.title = "About John Okonkwo"
    paragraph = document.add_paragraph("Letter to ")
    run = paragraph.add_run("John Okonkwo")
    run.bold = True
    paragraph.add_run(" at SW1A 1AA about the bins.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Caller"
    table.cell(0, 1).text = "Mr John Okonkwo, 07700 900123"
    document.sections[0].header.paragraphs[0].text = "Case of John Okonkwo"
    document.sections[0].footer.paragraphs[0].text = "Contact john.okonkwo@example.co.uk"
    document.add_comment(document.paragraphs[0].runs[0], text="Ask John Okonkwo again", author="Jane Secret")
    src = tmp_path / "in.docx"
    document.save(src)
    out = tmp_path / "out.docx"
    call_command("redact", "apply", str(src), "--out", str(out))
    with zipfile.ZipFile(out) as z:
        blob = b"".join(z.read(n) for n in z.namelist())
    for secret in (b"Okonkwo", b"SW1A 1AA", b"Jane Secret", b"07700 900123", b"john.okonkwo"):
        assert secret not in blob, secret
    result = docx.Document(out)
    runs = [r for r in result.paragraphs[0].runs if r.text]  # (the comment's reference is a run too)
    assert [r.text for r in runs] == [
        "Letter to ",
        "[REDACTED s40(2)]",
        " at [REDACTED s40(2)] about the bins.",
    ]
    assert runs[1].bold and not runs[0].bold  # the run kept its formatting
    assert "[REDACTED s40(2)]" in result.tables[0].cell(0, 1).text


def _docx_with_a_picture(path, words: str = ""):
    """A Word document with one picture: blank, or a scan-like image of ``words``."""
    import docx
    from PIL import Image, ImageDraw, ImageFont

    picture = path.parent / "picture.png"
    image = Image.new("RGB", (900, 160), "white")
    if words:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
        ImageDraw.Draw(image).text((30, 50), words, fill=(20, 20, 20), font=font)
    image.save(picture)
    document = docx.Document()
    document.add_paragraph("Signed by the resident.")
    document.add_picture(str(picture))
    document.save(path)
    return path


def _words_in_the_pictures(docx_path) -> str:
    from residenthub.foi.redaction import docx_redact

    with zipfile.ZipFile(docx_path) as z:
        parts = [n for n in z.namelist() if n.startswith("word/media/")]
        return " ".join((docx_redact._read_picture(z.read(n)) or ("",))[0] for n in parts)


@pytest.mark.skipif(not shutil.which("tesseract"), reason="needs tesseract (scripts/install_ocr.sh)")
def test_a_name_in_a_word_documents_picture_is_read_and_blacked_out(tmp_path, capsys):
    from residenthub.foi.redaction import docx_redact

    src = _docx_with_a_picture(tmp_path / "in.docx", "Signed: Margaret Okonkwo 07700 900123")
    assert "Okonkwo" in _words_in_the_pictures(src)
    text, _ = docx_redact.read(src.read_bytes())
    assert "[Picture 1: the words read from it]" in text and "Okonkwo" in text.split("[Picture 1")[1]
    out = tmp_path / "out.docx"
    call_command("redact", "apply", str(src), "--out", str(out))
    assert "picture(s) had no words" not in capsys.readouterr().err
    left = _words_in_the_pictures(out)
    assert "Okonkwo" not in left and "900123" not in left, left
    assert "Sign" in left  # only the words found were covered (a black box next to it blurs its reading)
    with zipfile.ZipFile(out) as z:
        blob = b"".join(z.read(n) for n in z.namelist())
    assert b"Okonkwo" not in blob


def _docx_with_two_pictures(path, first: str, second: str):
    import docx
    from PIL import Image, ImageDraw, ImageFont

    document = docx.Document()
    document.add_paragraph("Signed by the resident.")
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    for number, words in enumerate((first, second), start=1):
        image = Image.new("RGB", (900, 160), "white")
        ImageDraw.Draw(image).text((30, 50), words, fill=(20, 20, 20), font=font)
        picture = path.parent / f"picture{number}.png"
        image.save(picture)
        document.add_picture(str(picture))
    document.save(path)
    return path.read_bytes()


@pytest.fixture
def two_pictures(tmp_path):
    """A Word document with a signed picture and a picture of opening hours: (bytes, extracted, a span
    over the surname in the first picture)."""
    if not shutil.which("tesseract"):
        pytest.skip("needs tesseract (scripts/install_ocr.sh)")
    data = _docx_with_two_pictures(
        tmp_path / "in.docx", "Signed: Margaret Okonkwo", "Riverside depot opening hours"
    )
    extracted = documents.extract("in.docx", data)
    start = extracted.text.index("Okonkwo")
    return data, extracted, [(start, start + len("Okonkwo"), "s40_2")]


def test_applying_reads_again_only_the_pictures_a_redaction_reaches(two_pictures, monkeypatch):
    from residenthub.foi.redaction import docx_redact

    data, extracted, spans = two_pictures
    reads = []
    real = docx_redact._read_picture
    monkeypatch.setattr(docx_redact, "_read_picture", lambda content: reads.append(1) or real(content))
    out, kind = documents.redact_file("in.docx", data, extracted, spans)
    assert kind == "docx" and len(reads) == 1  # the depot picture, with nothing to cover, was not read
    with zipfile.ZipFile(io.BytesIO(out)) as z, zipfile.ZipFile(io.BytesIO(data)) as before:
        media = sorted(n for n in z.namelist() if n.startswith("word/media/"))
        assert z.read(media[1]) == before.read(media[1])  # untouched
        assert "Okonkwo" not in (docx_redact._read_picture(z.read(media[0])) or ("",))[0]


def test_a_picture_that_reads_differently_from_its_review_stops_the_redaction(two_pictures, monkeypatch):
    from residenthub.foi.redaction import docx_redact

    data, extracted, spans = two_pictures
    real = docx_redact._read_picture

    def another_tesseract(content):
        text, words = real(content)
        return "Signed Margaret Okonkwo", words  # the colon read differently: every offset after it moves

    monkeypatch.setattr(docx_redact, "_read_picture", another_tesseract)
    with pytest.raises(documents.DocumentError, match="picture 1 does not read now as it did"):
        documents.redact_file("in.docx", data, extracted, spans)
    monkeypatch.setattr(docx_redact, "_read_picture", real)
    other = documents.Extracted("docx", "A different letter.\n" + extracted.text, extracted.pages)
    with pytest.raises(documents.DocumentError, match="not the document that was reviewed"):
        documents.redact_file("in.docx", data, other, spans)


def test_pictures_with_no_words_in_a_word_document_are_named_for_the_officer(tmp_path, capsys):
    from residenthub.foi.redaction import docx_redact

    src = _docx_with_a_picture(tmp_path / "in.docx")
    assert docx_redact.image_count(src.read_bytes()) == 1
    out = tmp_path / "out.docx"
    call_command("redact", "apply", str(src), "--out", str(out))
    assert "1 picture(s) had no words to read and are kept as they are" in capsys.readouterr().err
    with zipfile.ZipFile(src) as before, zipfile.ZipFile(out) as after:
        media = [n for n in before.namelist() if n.startswith("word/media/")]
        assert [before.read(n) for n in media] == [after.read(n) for n in media]  # untouched


def test_text_and_email_outputs(tmp_path):
    src = tmp_path / "in.eml"
    src.write_bytes(
        b"From: John Okonkwo <john.okonkwo@example.co.uk>\r\nTo: foi@council.example\r\nSubject: Bins\r\n"
        b"Date: Mon, 1 Sep 2025 10:00:00 +0100\r\n\r\nPlease call me on 07700 900123.\r\n"
    )
    out = tmp_path / "out.txt"
    call_command("redact", "apply", str(src), "--out", str(out))
    text = out.read_text()
    assert "Okonkwo" not in text and "07700 900123" not in text and "[REDACTED s40(2)]" in text


def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _blank_pdf() -> bytes:
    import pymupdf

    doc = pymupdf.open()
    doc.new_page()
    return doc.tobytes()


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("a.pdf", _encrypted_pdf(), "encrypted"),
        ("a.pdf", b"%PDF-1.4\n garbage", "damaged"),
        ("a.pdf", b"not a pdf", "not a valid PDF"),
        ("blank.pdf", _blank_pdf(), "no text layer"),
        ("a.exe", b"MZ", "cannot be redacted"),
        ("a.docx", b"PK\x03\x04broken", "damaged"),
    ],
)
def test_bad_input_clear_errors_and_nothing_written(tmp_path, name, data, message):
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "out.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("redact", "apply", str(src), "--out", str(out))
    assert list(tmp_path.iterdir()) == [src]


def test_unknown_reason_refused(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("John Okonkwo")
    with pytest.raises(CommandError, match="Unknown exemption"):
        call_command("redact", "apply", str(src), "--out", str(tmp_path / "b.txt"), "--reason", "s99")


def test_huge_file_refused(settings):
    settings.FOI_MAX_DOCUMENT_MB = 1
    with pytest.raises(documents.DocumentError, match="largest file"):
        documents.extract("big.txt", b"a" * (1024 * 1024 + 1))


def test_exemption_labels():
    assert pdfredact.label("s40_2") == "s40(2)"
    assert pdfredact.label("r12_4") == "EIR 12(4)"
    assert pdfredact.label("s31") == "s31"


def test_pdf_hidden_layer_form_field_javascript_and_attachment_are_removed(tmp_path):
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((50, 60), "Visible note: the council spent 1,000 pounds.", fontsize=11)
    hidden = doc.add_ocg("Draft notes", on=False)
    page.insert_text((50, 90), "Hidden: call John Okonkwo on 07700 900123", fontsize=11, oc=hidden)
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name = "requester"
    widget.field_value = "John Okonkwo"
    widget.rect = pymupdf.Rect(50, 120, 300, 140)
    page.add_widget(widget)
    doc.set_metadata({"keywords": "Okonkwo"})
    doc.embfile_add("secret.txt", b"John Okonkwo 07700 900123")
    catalog = doc.pdf_catalog()
    js = doc.get_new_xref()
    doc.update_object(js, "<< /S /JavaScript /JS (app.alert('Okonkwo')) >>")
    doc.xref_set_key(catalog, "OpenAction", f"{js} 0 R")
    src = tmp_path / "in.pdf"
    src.write_bytes(doc.tobytes())
    out = tmp_path / "out.pdf"
    call_command("redact", "apply", str(src), "--out", str(out))
    text, everything = all_text_and_bytes(out.read_bytes())
    for secret in ("Okonkwo", "07700 900123", "secret.txt", "app.alert"):
        assert secret not in everything, secret
    assert "the council spent 1,000 pounds" in text
    with pymupdf.open(out) as result:
        assert not list(result[0].widgets()) and result.embfile_count() == 0
        assert not result.get_ocgs()


def test_docx_tracked_changes_are_redacted(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Reply sent.")
    body = document.element.body
    p = body[0]
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    from lxml import etree

    deletion = etree.SubElement(p, f"{{{w}}}del", {f"{{{w}}}id": "1", f"{{{w}}}author": "Jane Secret"})
    run = etree.SubElement(deletion, f"{{{w}}}r")
    etree.SubElement(run, f"{{{w}}}delText").text = " Copy to John Okonkwo at SW1A 1AA."
    src = tmp_path / "in.docx"
    document.save(src)
    out = tmp_path / "out.docx"
    call_command("redact", "apply", str(src), "--out", str(out))
    with zipfile.ZipFile(out) as z:
        xml = z.read("word/document.xml")
    assert b"Okonkwo" not in xml and b"SW1A 1AA" not in xml and b"Jane Secret" not in xml
    assert b"Reply sent." in xml


@pytest.mark.parametrize(
    "text", ["Meeting on 2024-06-01 at the depot.", "Tel: 2025-01-15", "Due 15/01/2025, call back"]
)
def test_numeric_dates_are_not_phone_numbers(text):
    """Issue 13 (pii-anon development corpus): ISO and day/month/year dates were taken for phones."""
    assert not [s for s in d.detect(text) if s.entity_type == d.PHONE]


def test_phones_beside_dates_are_still_found():
    spans = d.detect("On 2024-06-01 she called from 07700 900123 and 020 7946 0958.")
    assert [s.text for s in spans if s.entity_type == d.PHONE] == ["07700 900123", "020 7946 0958"]


@pytest.mark.parametrize("label", ["Correo", "Fecha", "Addr", "Policyholder DOB", "CASE FILE"])
def test_field_labels_are_not_names(label):
    """A span made only of form-field words is a label, never a person (issue 13)."""
    assert not [s for s in d.detect(f"{label}: see attached record.") if s.entity_type == d.PERSON]


def test_field_words_inside_a_name_keep_the_name():
    spans = d.detect("Steve Case called about the Fecha file. Dear Mr Case, thank you.")
    assert {s.text for s in spans if s.entity_type == d.PERSON} >= {"Steve Case", "Mr Case"}


def test_dates_in_a_persons_record_row_are_found():
    """A date that is a whole field of a CSV or pipe row naming a person is theirs (issue 13)."""
    spans = d.detect("name,dob,town\nMr John Smith,1987-10-18,Leeds")
    assert "1987-10-18" in {s.text for s in spans}


def test_dates_in_rows_without_a_person_are_left():
    assert not d.detect("id,date,amount\n7,2024-06-01,12.50")


def _persons(text):
    return [s.text for s in d.detect(text) if s.entity_type == d.PERSON]


def test_a_name_ends_at_its_possessive():
    """Issue 13 (Nannigalaxy, now development data): "Singh's PAN" took the card's name into the person."""
    names = _persons("Staff could see Ms. Priya Singh's PAN card number and bank details.")
    assert names == ["Ms. Priya Singh"]


@pytest.mark.parametrize(
    "text, word",
    [
        ("The PAN 'ABCDEZ1234F', Aadhar number '12345678901204', and Voter ID were visible.", "Aadhar"),
        ("PID 897654321. Cross-referencing showed potential misuse of the card.", "Cross-referencing"),
        ("One was GB-Account-7890123456, another was DE-Bank-XYZ*123 , with a licence.", "DE-Bank-XYZ"),
        ("The court found unredacted case files during the electronic transfer.", "case files"),
    ],
)
def test_scheme_names_compounds_codes_and_plurals_are_not_people(text, word):
    assert not [n for n in _persons(text) if word in n or n in word]


def test_hyphenated_names_and_names_before_ordinary_words_are_still_found():
    names = _persons("Mrs Anna Smith-Jones met Jean-Luc Martin. Dear Ms Okafor, your case files are ready.")
    assert {"Mrs Anna Smith-Jones", "Jean-Luc Martin", "Ms Okafor"} <= set(names)


def test_runs_of_one_digit_are_not_phones_but_real_numbers_are():
    text = "MICR Code 'SBINANPR00000000', routing HDFC0000000. Call 020 7946 0958 or 07700 900123."
    phones = [s.text for s in d.detect(text) if s.entity_type == d.PHONE]
    assert phones == ["020 7946 0958", "07700 900123"]


def test_names_in_informal_text():
    """Chat and social media (issue 13, Broad Twitter Corpus development data; examples written here)."""
    text = (
        "off to the pub with rosalind and gertrude later\n"
        "Ask Tess about the bins, she knows.\n"
        "@quillfeather99 Ambrose Penhaligon shared the flyer\n"
        "Photos by Imogen Threlkeld http://example.org/p/123 are up\n"
    )
    people = {s.text for s in d.detect(text) if s.entity_type == d.PERSON}
    for name in ("rosalind", "gertrude", "Tess", "Ambrose Penhaligon", "Imogen Threlkeld"):
        assert name in people, (name, people)
    # the name is not run into the handle or the link; the handle is a span of its own (ADR 0179)
    assert "@quillfeather99" in people
    assert not any(("@" in p and " " in p) or "http" in p for p in people)


def test_chat_words_tags_and_the_verb_miss_are_not_names():
    text = (
        "RT @parishnews: I miss you all, LOL\n"
        "I LOVE THIS PLACE SO MUCH\n"
        "Wowwwww what a night #GreatNightOut #SummerFair\n"
        "Gotta say the BinCollectionDay app works. Goodnight\n"
        "Miss Okonjo-Vale signed for it.\n"
    )
    people = {s.text for s in d.detect(text) if s.entity_type == d.PERSON}
    for word in ("RT", "miss you", "LOL", "I LOVE", "Wowwwww", "GreatNightOut", "SummerFair", "Gotta"):
        assert not any(word in p for p in people), (word, people)
    assert not any(p in ("BinCollectionDay", "Goodnight") for p in people)
    assert "Miss Okonjo-Vale" in people


def test_unknown_proper_nouns_are_taken_for_names():
    """A capitalised word that is no English word and in no name list, read as a proper noun: most often a
    name the gazetteer lacks (ADR 0147)."""
    text = "Great save by Szczepankowiak again, and Vukovljak scored twice."
    people = {s.text for s in d.detect(text) if s.entity_type == d.PERSON}
    assert {"Szczepankowiak", "Vukovljak"} <= people
    assert not any(p in ("Great", "again") for p in people)


def test_a_surname_that_is_also_in_the_english_word_list_is_kept_when_the_model_says_person():
    text = "The parish clerk said Dickens would have loved the fête."
    assert "Dickens" in {s.text for s in d.detect(text) if s.entity_type == d.PERSON}


def test_a_first_name_in_capitals_and_two_first_names_joined_by_and():
    people = {s.text for s in d.detect("SO PROUD OF YOU ROSALIND") if s.entity_type == d.PERSON}
    assert "ROSALIND" in people
    people = {
        s.text for s in d.detect("Had tea with Natalia & Rosalind at the hall") if s.entity_type == d.PERSON
    }
    assert {"Natalia", "Rosalind"} <= people


def test_plurals_and_days_or_months_beside_numbers_are_not_names():
    text = "Fixtures: Sun 29 Jan at the rec. Gardening Tipsters for Brambleworths, due Feb 2027."
    people = {s.text for s in d.detect(text) if s.entity_type == d.PERSON}
    assert not ({"Sun", "Jan", "Feb", "Tipsters"} & people), people


def test_pictures_in_a_released_word_document_lose_their_metadata_not_their_pixels(tmp_path):
    """A photo's Exif (who took it, where) and a PNG's text chunks are personal data nobody reviews:
    every JPEG and PNG leaves without them, its compressed pixels byte for byte the same."""
    import docx
    from PIL import Image, PngImagePlugin

    from residenthub.foi.redaction import docx_redact

    photo, chart = tmp_path / "photo.jpg", tmp_path / "chart.png"
    exif = Image.Exif()
    exif[0x013B] = "Margaret Okonkwo"  # Artist
    exif[0x010E] = "Outside 12 Riverside Close"  # ImageDescription
    Image.new("RGB", (320, 200), (120, 160, 90)).save(photo, exif=exif.tobytes(), comment=b"Okonkwo's phone")
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Margaret Okonkwo")
    info.add_itxt("Comment", "07700 900123")
    Image.new("RGB", (320, 200), "white").save(chart, pnginfo=info)
    document = docx.Document()
    document.add_paragraph("Photographs of the fly-tipping.")
    document.add_picture(str(photo))
    document.add_picture(str(chart))
    source = tmp_path / "in.docx"
    document.save(source)

    out = docx_redact.redact(source.read_bytes(), [])
    with zipfile.ZipFile(io.BytesIO(out)) as after, zipfile.ZipFile(source) as before:
        media = sorted(n for n in after.namelist() if n.startswith("word/media/"))
        assert len(media) == 2
        for name in media:
            kept, original = after.read(name), before.read(name)
            assert b"Okonkwo" in original and b"Okonkwo" not in kept and b"900123" not in kept
            assert kept != original
            with Image.open(io.BytesIO(kept)) as clean, Image.open(io.BytesIO(original)) as old:
                assert clean.tobytes() == old.tobytes()  # the same pixels
            if name.endswith((".jpg", ".jpeg")):
                scan = original.index(b"\xff\xda")
                assert kept.endswith(original[scan:])  # the compressed picture itself untouched


def test_a_picture_that_cannot_be_parsed_is_left_as_it_is():
    from residenthub.foi.redaction import image_metadata

    broken = b"\xff\xd8\xff\xe1\x00\xff" + b"short"
    assert image_metadata.without_metadata(broken) == broken
    assert image_metadata.without_metadata(b"GIF89a...") == b"GIF89a..."


def test_a_photo_in_a_redacted_pdf_loses_its_exif_not_its_pixels(tmp_path):
    import pymupdf
    from PIL import Image

    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x013B] = "Margaret Okonkwo"  # Artist
    Image.new("RGB", (320, 200), (120, 160, 90)).save(photo, format="JPEG", exif=exif.tobytes())
    source = pymupdf.open()
    page = source.new_page()
    page.insert_text((72, 72), "Photograph of the fly-tipping reported on 3 May.")
    page.insert_image(pymupdf.Rect(72, 100, 392, 300), stream=photo.getvalue())
    data = source.tobytes()
    assert b"Okonkwo" in data  # the photo's Exif travels inside the PDF

    out = pdfredact.redact_pdf(data).data
    assert b"Okonkwo" not in out
    after, before = pymupdf.open(stream=out), pymupdf.open(stream=data)
    [(xref_after, *_)] = after[0].get_images(full=True)
    [(xref_before, *_)] = before[0].get_images(full=True)
    kept, original = after.extract_image(xref_after), before.extract_image(xref_before)
    assert kept["ext"] == "jpeg" and kept["image"] != original["image"]
    scan = original["image"].index(b"\xff\xda")
    assert kept["image"].endswith(original["image"][scan:])  # the compressed pixels untouched
    with Image.open(io.BytesIO(kept["image"])) as clean, Image.open(io.BytesIO(original["image"])) as old:
        assert clean.tobytes() == old.tobytes()


def test_council_file_references_and_team_mailboxes_are_not_personal_data():
    text = (
        "Re FOI-2027-0412 and case 2027-1187. Write to foi@southwark.gov.uk or revenues@haringey.gov.uk, "
        "or to jane.okafor@southwark.gov.uk; call 020 7946 0958."
    )
    found = {(s.entity_type, s.text) for s in d.detect(text, use_model=False)}
    assert (d.EMAIL, "jane.okafor@southwark.gov.uk") in found and (d.PHONE, "020 7946 0958") in found
    assert not any("2027-" in value or value.startswith(("foi@", "revenues@")) for _, value in found)


def test_contractors_and_boroughs_are_not_people_but_residents_named_like_places_are():
    text = (
        "Kier and Amey crews cleared the site in Haringey for Mrs Achterberg; Mr Sutton from Lewisham called."
    )
    persons = [s.text for s in d.detect(text) if s.entity_type == d.PERSON]
    assert not {"Kier", "Amey", "Haringey", "Lewisham"} & set(persons)
    assert any("Achterberg" in p for p in persons) and any("Sutton" in p for p in persons)


def test_addresses_typed_in_lower_case_and_rooms_in_shared_houses():
    def addresses(text):
        return [s.text for s in d.detect(text, use_model=False) if s.entity_type == d.ADDRESS]

    assert addresses("hi its from 18b albion st. boiler gone again") == ["18b albion st"]
    assert addresses("skip outside 9 harcourt rd, thanks") == ["9 harcourt rd"]
    assert addresses("collected from 4 station rd, harrow ha1 2ab, paid online") == [
        "4 station rd, harrow ha1 2ab"
    ]
    assert addresses("Tenant: Room 4, 61 Seven Sisters Road, London N7 6BH") == [
        "Room 4, 61 Seven Sisters Road, London N7 6BH"
    ]
    # Numbers before ordinary words are not house numbers.
    assert addresses("at 10 the street was closed and we walked 2 miles down the road") == []


def test_surname_comma_first_name_lines_of_a_register():
    text = "Register:\n1. Okonjo, Grace – British\nSmith, John\nHussein, Abdi | Flat 2\n"
    persons = [s.text for s in d.detect(text, use_model=False) if s.entity_type == d.PERSON]
    assert {"Okonjo, Grace", "Hussein, Abdi", "Smith, John"} <= set(persons)
    # A street before the comma is not a surname, even when the word after it is also a first name.
    assert not any(
        "Road" in s.text for s in d.detect("Deliveries:\nVictoria Road, Kingston\n", use_model=False)
    )


def test_initials_that_stand_for_people_in_case_notes():
    text = (
        "Home visit 03/02 – JT & MW\nMum (FR) present, dad at work. FR says the heating failed.\n"
        "Action: JT to email the landlord. Checked by: SP\nReferred by the GP; the UK team and IT copied."
    )
    persons = [(s.text, s.start) for s in d.detect(text, use_model=False) if s.entity_type == d.PERSON]
    found = [t for t, _ in persons]
    assert found.count("JT") == 2 and found.count("FR") == 2 and "MW" in found and "SP" in found
    # Acronyms are not people, wherever they stand.
    assert not {"GP", "UK", "IT"} & set(found)


def test_a_name_found_once_is_found_wherever_the_document_repeats_it():
    text = (
        "Dear Mr Zubrowsky,\nThank you for your call.\n\nFile note: Zubrowsky rang twice. "
        "Seen with Mrs Victoria Kestrelle; Kestrelle to be told."
        " Victoria Road is closed."
    )
    spans = [s for s in d.detect(text, use_model=False) if s.entity_type == d.PERSON]
    covered = lambda i: any(s.start <= i < s.end for s in spans)  # noqa: E731
    for m in re.finditer("Zubrowsky|Kestrelle", text):
        assert covered(m.start()), text[m.start() : m.end()]
    # "Victoria" of a name found is not every Victoria: the road keeps its name.
    assert not covered(text.index("Victoria Road"))


def test_ages_of_people_and_dates_of_birth_under_a_table_heading():
    text = (
        "Client: Edith Rowntree (87) | ID 4471\nHer grandson is 6, and my nan (92) lives alone.\n"
        "Referral for 15yo male, Jordan Pike, 16, seen today. Neighbour aged 70 and 74, turned 75.\n"
        "Name            Relationship   DOB\nEdith Rowntree  Applicant      03/02/1939\n"
    )
    found = {s.text: s.entity_type for s in d.detect(text, use_model=False)}
    assert {"87", "6", "92", "15", "16", "70 and 74", "75"} <= {t for t, k in found.items() if k == d.AGE}
    assert found["03/02/1939"] == d.DOB
    # Durations, amounts and plans are not ages.
    for text in (
        "We waited 3 years for the repair.",
        "A 5 year plan costs 45 pounds.",
        "Room (4) is free.",
        "Dear Ann Lee, 12,000 fines were issued.",
    ):
        assert not [s for s in d.detect(text, use_model=False) if s.entity_type == d.AGE], text


def test_the_address_a_postcode_closes_is_read_back_along_its_line():
    def addresses(text):
        return [s.text for s in d.detect(text, use_model=False) if s.entity_type == d.ADDRESS]

    assert addresses("Lives 71 Gladstone St HG5 1LB, per the tenancy.") == ["71 Gladstone St HG5 1LB"]
    assert addresses("Landlord: 8 The Ridings, Eastbrook EB10 2AS, tel 0117 496 0912") == [
        "8 The Ridings, Eastbrook EB10 2AS"
    ]
    # A town and a postcode alone (the council's office) are not taken back into the words before them.
    assert addresses("The council office in Eastbrook EB1 1AA is open.") == []


# --- session 22 (issue 13): read on the blind council texts' tune rows -----------------------------------
def _persons(text, **options):
    return [s.text for s in d.detect(text, **options) if s.entity_type == d.PERSON]


def test_streets_buildings_and_saints_named_like_people_are_places():
    text = (
        "Bins were missed on Mill Lane and Albert Road again, and the lift at Cobden House is broken. "
        "Pupils of St Mary's CE Primary and St Joseph's were sent home. Laburnum Grove is flooded."
    )
    persons = _persons(text)
    assert not {"Mill", "Albert", "Cobden", "Mary", "Joseph", "Laburnum Grove"} & set(persons), persons
    # People named like places stay people: a first name before a word that is also a surname, a titled
    # name, a name with no street word after it.
    assert "Grace" in " ".join(_persons("I spoke to Grace Lane about it.")), _persons(
        "I spoke to Grace Lane."
    )
    assert any("Albert" in p for p in _persons("Mr Albert Mill called about the road."))


def test_roles_and_headings_are_not_names_but_children_with_ages_are():
    persons = _persons(
        "Landlord (Mr Gill): you cant do that\nLandlord: my house my rules\nBill to: Kelbridge Council\n"
        "Clerk: Nisha Pathan\n"
    )
    assert not {"Landlord", "Bill", "Clerk"} & set(persons), persons
    assert "Mr Gill" in persons and "Nisha Pathan" in persons
    assert {"Tolu", "Dami"} <= set(_persons("Children Tolu (7) and Dami (4) seen, both well."))


def test_role_acronyms_and_letters_after_a_name_are_left_out_of_it():
    persons = _persons(
        "Reviewed by DPO Hannah Okoro. Dear HR, please update MARAC.\n\nYours faithfully\n\n"
        "Dr Harjit Singh Dhillon MBBS MRCGP\n"
    )
    assert "Hannah Okoro" in persons and not {"DPO", "HR", "MARAC"} & set(persons), persons
    assert any(p.endswith("Dhillon") for p in persons) and not any("MBBS" in p for p in persons), persons
    # Two-letter words that are parts of names in capitals stay in the name.
    assert "NGUYEN VAN AN" in _persons("Keeper: NGUYEN VAN AN, tel 07700 900111")
    assert any("DA SILVA" in p for p in _persons("YOURS FAITHFULLY\n\nMRS M. DA SILVA\nFLAT 2"))


def test_social_media_handles_of_people_are_redacted_but_not_councils():
    text = (
        "Instagram DM to @northcaldercouncil\n@leanne_xo_mummy: the sofa is still there\n"
        "@northcaldercouncil: Hi Leanne, booked.\nDM me @tobi_bakare_ or @pauline.grady.67. @HarrowgateDC "
        "and @KelbridgeBC replied. Posted by u/throwaway_calder_dad. Mail jo.bloggs@example.com"
    )
    spans = {s.text: s.entity_type for s in d.detect(text, use_model=False)}
    for handle in ("@leanne_xo_mummy", "@tobi_bakare_", "@pauline.grady.67", "u/throwaway_calder_dad"):
        assert spans.get(handle) == d.PERSON, (handle, spans)
    assert not {"@northcaldercouncil", "@HarrowgateDC", "@KelbridgeBC"} & set(spans)
    assert spans.get("jo.bloggs@example.com") == d.EMAIL


def test_initials_before_a_surname_and_the_flat_before_an_address():
    found = {
        s.text: s.entity_type
        for s in d.detect(
            "Signed by the Tenant: M. Dumitrescu\n2. R & J Bennett, 16 Queen Street\n"
            "Caller: Hollie Brennan, Flat 6, Victoria Mansions, 14 Hampton Road, Twickenham TW2 5QB\n"
            "Addr: Flat 22, Beaumont Tower, 1 River Way, Eastbrook EB1 9TP\n"
        )
    }
    assert found.get("M. Dumitrescu") == d.PERSON and found.get("R & J Bennett") == d.PERSON, found
    assert found.get("Flat 6, Victoria Mansions, 14 Hampton Road, Twickenham TW2 5QB") == d.ADDRESS, found
    assert found.get("Flat 22, Beaumont Tower, 1 River Way, Eastbrook EB1 9TP") == d.ADDRESS, found
    assert "Victoria Mansions" not in found
    assert d.detect("The block has a flat roof and 3 storeys.", use_model=False) == []
    # An address stops before the next field's label.
    found = {
        s.text: s.entity_type
        for s in d.detect(
            "Customer: jo, 33 Sandringham Road\nAgent (Chloe): Thanks.\n"
            "Witness address: 22 Sandpiper Road, Westmarsh WM6 4FA, Occupation: Nurse"
        )
    }
    assert found.get("33 Sandringham Road") == d.ADDRESS, found
    assert found.get("22 Sandpiper Road, Westmarsh WM6 4FA") == d.ADDRESS, found
    # A speaker's name after the address is no label: it stays covered.
    text = "Resident: 23 Hazel Avenue\n  Sharon Mcallister: cheers"
    spans = d.detect(text)
    assert all(any(s.start <= i < s.end for s in spans) for i in range(text.index("Sharon"), len(text) - 9))


def test_named_houses_are_addresses_and_a_town_is_not_a_name_in_one():
    found = {
        s.text: s.entity_type
        for s in d.detect(
            "Land off Back Lane, Lower Fenby (120 homes).\n"
            "From: Jo Hargreaves, The Old Forge, Back Lane, Lower Fenby, AV9 4TF\n"
            "Mr Alan Dunmore of Rose Cottage, Back Lane, Lower Fenby AV9 4TF spoke. Rose Cottage is flooded."
        )
    }
    assert found.get("The Old Forge, Back Lane, Lower Fenby, AV9 4TF") == d.ADDRESS, found
    assert found.get("Rose Cottage, Back Lane, Lower Fenby AV9 4TF") == d.ADDRESS, found
    assert found.get("Rose Cottage") == d.ADDRESS and found.get("Jo Hargreaves") == d.PERSON, found
    # A council's office is not read back from its postcode.
    assert not [
        s
        for s in d.detect("Income Recovery Team, Civic Centre, Market Square, Thornbury TB1 1AA")
        if s.entity_type == d.ADDRESS
    ]


def test_initials_after_a_label_survive_the_span_filter():
    persons = _persons("Home visit 11/11 – KD & BW\nHandled by: SV (Sunil Vyas)\nLogged by SK.\n")
    assert {"KD", "BW", "SV", "SK"} <= set(persons), persons


def test_sort_codes_with_their_accounts_and_ni_numbers_of_any_prefix():
    found = {
        s.text: s.entity_type
        for s in d.detect(
            "Salary into: HSBC, sort 40-11-62, acc 90817263\nRefund | 20-11-88 / 73904412\n"
            "Abdullahi Yusuf | TN 23 90 17 C | QQ 12 34 56 C",
            use_model=False,
        )
    }
    assert found.get("40-11-62") == d.SORT_CODE and found.get("90817263") == d.ACCOUNT, found
    assert found.get("20-11-88") == d.SORT_CODE and found.get("73904412") == d.ACCOUNT, found
    assert found.get("TN 23 90 17 C") == d.NI_NUMBER and found.get("QQ 12 34 56 C") == d.NI_NUMBER, found
    assert d.detect("It happened on 20-11-88 at the depot.", use_model=False) == [] or all(
        s.entity_type != d.SORT_CODE
        for s in d.detect("It happened on 20-11-88 at the depot.", use_model=False)
    )


def test_names_in_lower_case_in_chat_lists_and_after_a_relation():
    persons = _persons(
        "team catch up (informal) 14/3\npresent: hannah, raj, deb, marcus (TL)\n- deb off 25/3\n"
        "nobody replies. my dad tunde works nights. my dad ronald's blue badge. my names kasia, ring me"
    )
    assert {"hannah", "raj", "deb", "marcus", "tunde", "ronald", "kasia"} <= set(persons), persons
    # Ordinary words in the same places are not names.
    assert (
        _persons("Present: the chair, the clerk and two officers. my dad works nights. his names are long")
        == []
    )


def test_references_year_ranges_and_an_organisations_own_number_are_not_phones():
    text = (
        "INCIDENT INC0048812. Works order: WO-2027-118342. Stickers GW24-01882, GW24-01883. Log Q4 2023/24.\n"
        "Lived at 5 Pemberton Gardens (2018–2021). Questions? Call us on 0300 555 0144.\n"
        "Client ID 2209381\n14/02 tel call from daughter\nLabour Member for Queensbridge\n07700 900 827\n"
        "Tel:07700 900231"
    )
    phones = [s.text for s in d.detect(text, use_model=False) if s.entity_type == d.PHONE]
    assert phones == ["07700 900 827", "07700 900231"], phones


def test_team_mailboxes_made_of_words_are_not_personal_but_named_ones_are():
    text = (
        "To: housingoptions@kelbridge.gov.uk, adultsocialcare@thornbury.gov.uk, "
        "planning.enforcement@croydon.gov.uk; cc rose.hill@kelbridge.gov.uk, ola.kolade@croydon.gov.uk, "
        "housingoptions@gmail.com"
    )
    emails = [s.text for s in d.detect(text, use_model=False) if s.entity_type == d.EMAIL]
    assert emails == ["rose.hill@kelbridge.gov.uk", "ola.kolade@croydon.gov.uk", "housingoptions@gmail.com"]
