"""`hub minutes draft`: every output format, and clear errors for bad input."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from residenthub.minutes import scripted


@pytest.fixture
def files(tmp_path):
    script = scripted.meeting(2, items=2)
    transcript = tmp_path / "t.json"
    transcript.write_text(json.dumps({"segments": script.segments()}))
    agenda = tmp_path / "agenda.txt"
    agenda.write_text(script.agenda_text())
    attendees = tmp_path / "attendees.txt"
    attendees.write_text(script.attendees_text())
    return script, transcript, agenda, attendees


def _draft(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("minutes", "draft", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_formats(files, tmp_path, fmt):
    script, transcript, agenda, attendees = files
    out = tmp_path / f"minutes.{fmt}"
    _draft(
        transcript,
        "--agenda",
        agenda,
        "--attendees",
        attendees,
        "--date",
        script.date,
        "--format",
        fmt,
        "--committee",
        script.committee,
        "--out",
        out,
    )
    data = out.read_bytes()
    if fmt == "md":
        text = data.decode()
        assert text.startswith(f"# {script.committee}")
        assert "## Apologies for absence" in text and script.decisions[0]["text"] in text
        assert f"(Action: {script.actions[0]['owner']}, by " in text
    elif fmt == "docx":
        import docx

        body = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        assert script.decisions[1]["text"] in body
    else:
        assert data.startswith(b"%PDF")


def test_plain_text_notes_and_the_json_shape(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("The committee discussed the budget.\nRESOLVED: That the budget be approved.\n")
    out = tmp_path / "m.json"
    _draft(notes, "--out", out)
    items = json.loads(out.read_text())["items"]
    assert items[0]["decisions"] == ["RESOLVED: That the budget be approved."]
    assert set(items[0]) >= {"title", "summary", "decisions", "actions"}


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: (d / "missing.json", []), "no such file"),
        (lambda d: ((d / "bad.json").write_text("{not json") and d / "bad.json", []), "not a transcript"),
        (
            lambda d: ((d / "t.json").write_text('{"segments": []}') and d / "t.json", ["--date", "2/3/26"]),
            "YYYY-MM-DD",
        ),
        (
            lambda d: (
                (d / "t.json").write_text('{"segments": []}') and d / "t.json",
                ["--agenda", d / "a.xlsx"],
            ),
            "no such file",
        ),
    ],
    ids=["missing", "not-json", "bad-date", "missing-agenda"],
)
def test_bad_input_is_a_clear_error(tmp_path, setup, message):
    source, extra = setup(tmp_path)
    with pytest.raises(CommandError, match=message):
        _draft(source, *extra, "--out", tmp_path / "out.json")
