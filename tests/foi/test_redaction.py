"""Detection of UK personal data and redaction with the text truly removed."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader, PdfWriter

from residenthub.foi import actions
from residenthub.foi.redaction import detect as d
from residenthub.foi.redaction import documents

TEXT = (
    "Dear Mr John Okonkwo,\nYour NHS number 943 476 5919 and NI number AB 12 34 56 C are on file. "
    "Write to 14 Station Road, London SW1A 1AA or call 07700 900123. Email john.okonkwo@example.co.uk. "
    "Date of birth: 12/03/1984. Sort code 20-00-00, account number 31926819. Vehicle AB12 CDE. "
    "Passport number 123456789. Driving licence MORGA753116SM9IJ.\n"
    "Invoice 1234567890 was paid on 12/03/2024 (order 55512345).\nRegards, Sarah Whitfield"
)
EXPECTED = {
    "John Okonkwo": d.PERSON,
    "943 476 5919": d.NHS_NUMBER,
    "AB 12 34 56 C": d.NI_NUMBER,
    "14 Station Road": d.ADDRESS,
    "SW1A 1AA": d.POSTCODE,
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


def test_detects_every_kind_and_not_the_lookalikes():
    found = {s.text: s.entity_type for s in d.detect(TEXT)}
    assert found == EXPECTED
    assert "1234567890" not in found and "12/03/2024" not in found  # wrong checksum; not a birth date


def test_nhs_checksum():
    assert d.nhs_checksum_ok("9434765919")
    assert not d.nhs_checksum_ok("9434765918")


def test_known_names_without_the_model():
    spans = d.detect("Mrs Patel phoned about Priya's bins", known_names=["Priya Patel"], use_model=False)
    assert [s.text for s in spans] == ["Patel", "Priya"]


def test_numbers_are_not_names():
    spans = d.detect("Reference ABC123 XYZ and PO 4455 were raised by Tom Baker.")
    assert [s.text for s in spans if s.entity_type == d.PERSON] == ["Tom Baker"]


def _pdf_with_text(lines, metadata=None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_author("Jane Secret-Author")
    pdf.set_title("Letter to John Okonkwo")
    return bytes(pdf.output())


SECRETS = ["John Okonkwo", "Okonkwo", "943 476 5919", "SW1A 1AA", "john.okonkwo@example.co.uk", "Jane Secret"]


def _assert_clean(data: bytes, secrets=SECRETS):
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    meta = json.dumps({k: str(v) for k, v in (reader.metadata or {}).items()})
    for secret in secrets:
        assert secret not in text
        assert secret.encode() not in data
        assert secret not in meta
    return text


def test_pdf_redaction_removes_text_bytes_and_metadata(tmp_path):
    original = _pdf_with_text(
        [
            "Letter to John Okonkwo",
            "NHS 943 476 5919, SW1A 1AA",
            "john.okonkwo@example.co.uk",
            "The council spent 1,000 pounds.",
        ]
    )
    assert b"Jane Secret-Author" in original
    src = tmp_path / "in.pdf"
    src.write_bytes(original)
    out = tmp_path / "out.pdf"
    call_command("redact", "apply", str(src), "--out", str(out))
    text = _assert_clean(out.read_bytes())
    assert "[REDACTED]" in text and "The council spent 1,000 pounds." in text
    assert b"/FlateDecode" not in out.read_bytes()  # nothing compressed: the raw-byte check is meaningful


def test_docx_and_text_outputs(tmp_path):
    import docx

    document = docx.Document()
    document.core_properties.author = "Jane Secret-Author"
    document.add_paragraph("Letter to John Okonkwo at SW1A 1AA")
    src = tmp_path / "in.docx"
    document.save(src)
    out = tmp_path / "out.docx"
    call_command("redact", "apply", str(src), "--out", str(out))
    with zipfile.ZipFile(out) as z:
        blob = b"".join(z.read(n) for n in z.namelist())
    for secret in (b"Okonkwo", b"SW1A 1AA", b"Jane Secret"):
        assert secret not in blob
    out_txt = tmp_path / "out.txt"
    call_command("redact", "apply", str(src), "--out", str(out_txt))
    assert "Okonkwo" not in out_txt.read_text() and "[REDACTED]" in out_txt.read_text()


def test_cli_detect_json_and_jsonl(tmp_path, capsys):
    src = tmp_path / "in.txt"
    src.write_text(TEXT)
    call_command("redact", "detect", str(src), "--json")
    spans = json.loads(capsys.readouterr().out)
    assert set(spans[0]) == {"start", "end", "entity_type", "text"}
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
        {"id": 1, "spans": [{"start": 5, "end": 17, "entity_type": "PHONE_NUMBER", "text": "07700 900123"}]},
        {"id": "b", "spans": []},
    ]


def _encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("a.pdf", _encrypted_pdf(), "encrypted"),
        ("a.pdf", b"%PDF-1.4\n garbage", "damaged"),
        ("a.pdf", b"not a pdf", "not a valid PDF"),
        ("scan.pdf", _blank_pdf(), "no text layer"),
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


def test_scanned_pdf_mentions_ocr_availability():
    with pytest.raises(documents.DocumentError, match="tesseract"):
        documents.extract("scan.pdf", _blank_pdf())


def test_huge_file_refused(settings):
    settings.FOI_MAX_DOCUMENT_MB = 1
    with pytest.raises(documents.DocumentError, match="largest file"):
        documents.extract("big.txt", b"a" * (1024 * 1024 + 1))


@pytest.mark.django_db
def test_officer_review_and_redaction_log(ig_officer):
    req = actions.log_request(
        kind="foi", subject="Letters", body="Letters about parking", requester_name="Ann Lee"
    )
    doc = actions.add_document(
        req,
        "letter.txt",
        b"Ann Lee wrote from SW1A 1AA about bay 12. Director Bob Hart replied.",
        by=ig_officer,
    )
    spans = {doc.text[s.start : s.end]: s for s in doc.spans.all()}
    assert {"Ann Lee", "SW1A 1AA", "Bob Hart"} <= set(spans)
    with pytest.raises(actions.FOIError):
        actions.apply_redaction(doc)  # pending spans
    with pytest.raises(actions.FOIError):
        actions.decide_span(spans["Ann Lee"], decision="accepted", reason="")
    actions.decide_span(spans["Ann Lee"], decision="accepted", reason="s40_2", by=ig_officer)
    actions.decide_span(spans["SW1A 1AA"], decision="accepted", reason="s40_2", by=ig_officer)
    actions.decide_span(
        spans["Bob Hart"], decision="rejected", reason="senior officer, public role", by=ig_officer
    )
    for other in doc.spans.filter(decision="pending"):
        actions.decide_span(other, decision="rejected", reason="not personal", by=ig_officer)
    start = doc.text.index("bay 12")
    actions.add_span(doc, start=start, end=start + 6, reason="s31", by=ig_officer)
    data = actions.apply_redaction(doc, out_type="pdf", by=ig_officer)
    text = _assert_clean(data, ["Ann Lee", "SW1A 1AA", "bay 12"])
    assert "Bob Hart" in text and "[REDACTED s40_2]" in text and "[REDACTED s31]" in text
    log = actions.redaction_log(doc)
    assert {row["text"]: row["decision"] for row in log}["Bob Hart"] == "rejected"
    assert all(row["decided_by"] == "ig.officer" for row in log)


def test_names_where_letters_and_notes_put_them():
    text = (
        "Dear Zebedee Quarmby,\nHer neighbour Ottoline Vasquez-Brand called; Mr Hewitt-Nkemelu and "
        "Dr A. Lowther were told. Signed: Florin Tadeusz\nYours sincerely,\nWilhelmina Ofori\n"
        "The Neighbour Liaison Team and Dear Sir or Madam are not people."
    )
    people = {s.text for s in d.detect(text, use_model=False) if s.entity_type == d.PERSON}
    assert people == {
        "Zebedee Quarmby",
        "Ottoline Vasquez-Brand",
        "Hewitt-Nkemelu",
        "A. Lowther",
        "Florin Tadeusz",
        "Wilhelmina Ofori",
    }


def test_first_name_list_and_allowed_identifiers():
    spans = d.detect("Notes were passed to Sandra Okonedo about Priya Patel's bins.", use_model=False)
    assert [s.text for s in spans] == ["Sandra Okonedo", "Priya Patel"]
    allowed = d.detect(
        "Priya Patel (priya@example.com, 07700 900123) and Sandra Okonedo",
        use_model=False,
        allow=["Priya Patel", "priya@example.com", "07700900123"],
    )
    assert [s.text for s in allowed] == ["Sandra Okonedo"]
