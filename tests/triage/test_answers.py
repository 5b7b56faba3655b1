"""Answers from the council's own pages: reading pages, the BM25 index, the threshold, extractive
snippets, the index command, and the answer and its feedback on the result page, webchat and phone API."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from residenthub.triage import answers
from residenthub.triage.models import AnswerFeedback, TriageRecord

MD_PAGE = """---
title: Street lights
url: https://www.council.example/streets/lights
---
# Street lights

## Reporting a broken street light

Report a broken street light online. We repair most street lights within 5 working days.

## Who owns the lights

- Lights on council roads: the council
- Lights on red routes: Transport for London
"""

HTML_PAGE = """<!doctype html><html><head><title>Allotments</title>
<link rel="canonical" href="https://www.council.example/leisure/allotments">
<style>body { color: red; }</style>
<script>var waitingList = "secret script text"; alert("allotment plot rent");</script></head>
<body><nav>Home Libraries Allotments</nav>
<main><h1>Allotments</h1>
<h2>Renting an allotment plot</h2>
<p>A full allotment plot costs <strong>&pound;90</strong> a year; a half plot costs &pound;45.</p>
<noscript>Turn on JavaScript</noscript>
<ul><li>Water is included</li><li>Sheds need permission</li></ul>
</main><footer>Copyright footer words</footer></body></html>
"""


@pytest.fixture
def shipped():
    index, problems = answers.build_index(answers.SHIPPED_PAGES)
    assert problems == []
    return index


def _write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


# --- Reading pages and building the index ----------------------------------------------------------


def test_index_built_from_a_folder_of_markdown_and_html(tmp_path):
    _write(tmp_path, "lights.md", MD_PAGE)
    (tmp_path / "leisure").mkdir()
    _write(tmp_path / "leisure", "allotments.html", HTML_PAGE)
    _write(tmp_path, "notes.txt", "not a page")
    index, problems = answers.build_index(tmp_path)
    assert problems == []
    assert sorted(p["title"] for p in index.pages) == ["Allotments", "Street lights"]
    assert {p["path"] for p in index.pages} == {"lights.md", "leisure/allotments.html"}
    assert index.n == 4  # two passages per page: a paragraph and a list each

    path = index.save(tmp_path / "out" / "index.json")
    loaded = answers.Index.load(path)
    assert loaded.pages == index.pages and loaded.n == index.n
    found = loaded.answer("how much is an allotment plot?", min_score=1, min_coverage=0.5)
    assert found.title == "Allotments" and found.url == "https://www.council.example/leisure/allotments"
    assert "£90" in found.snippet


def test_html_keeps_only_the_visible_text(tmp_path):
    page, note = answers.read_page(_write(tmp_path, "allotments.html", HTML_PAGE))
    assert note == ""
    assert page.title == "Allotments" and page.url.endswith("/leisure/allotments")
    text = page.text
    assert "A full allotment plot costs £90 a year" in text
    assert "Water is included\nSheds need permission" in text
    for hidden in ("secret script text", "alert", "color: red", "Turn on JavaScript", "footer words", "<"):
        assert hidden not in text
    index = answers.Index.build([page])
    assert index.answer("allotment plot rent script?", min_score=0, min_coverage=0).snippet.startswith(
        "A full"
    )


def test_markdown_front_matter_and_formatting(tmp_path):
    _write(
        tmp_path,
        "a.md",
        "---\ntitle: Tips\nurl: /tips\n---\nSome **bold** and a [link](https://x.example) and `code`.\n"
        "| Band | Charge |\n|---|---|\n| D | £1,965.95 |\n",
    )
    page, _note = answers.read_page(tmp_path / "a.md")
    assert page.title == "Tips" and page.url == "/tips"
    assert page.text == "Some bold and a link and code.\n\nBand, Charge\n\nD, £1,965.95"


def test_bad_files_are_skipped_or_read_with_a_note(tmp_path):
    _write(tmp_path, "good.md", MD_PAGE)
    _write(tmp_path, "windows.md", "---\ntitle: Fees\nurl: /fees\n---\nA fee of £5 applies.\n", "cp1252")
    _write(tmp_path, "binary.html", "")
    (tmp_path / "binary.html").write_bytes(b"\x89PNG\x00\x00\xff\xfe")
    _write(tmp_path, "no-url.md", "---\ntitle: Lost\n---\nText without a link.\n")
    _write(tmp_path, "bad-yaml.md", "---\ntitle: [unclosed\n---\nText.\n")
    _write(tmp_path, "empty.html", "<html><head><title>Empty</title></head><body></body></html>")
    pages, problems = answers.read_folder(tmp_path)
    assert sorted(p.path for p in pages) == ["good.md", "windows.md"]
    fees = next(p for p in pages if p.path == "windows.md")
    assert "£5" in fees.text  # Windows-1252 read, not mangled
    text = "\n".join(problems)
    assert "windows.md: not UTF-8; read as Windows-1252" in text
    assert "binary.html: looks like a binary file (skipped)" in text
    assert "no-url.md: no URL" in text and "bad-yaml.md: front matter is not valid YAML" in text
    assert "empty.html: no URL" in text or "empty.html: no text" in text


def test_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(answers.PageError, match="no usable pages"):
        answers.build_index(tmp_path)
    with pytest.raises(answers.PageError, match="not a folder"):
        answers.build_index(tmp_path / "missing")


def test_index_command_builds_saves_and_refuses_an_empty_folder(tmp_path, settings):
    settings.TRIAGE_PAGES_INDEX = str(tmp_path / "index.json")
    pages = tmp_path / "pages"
    pages.mkdir()
    _write(pages, "lights.md", MD_PAGE)
    _write(pages, "broken.md", "no front matter and no heading")
    try:
        call_command("triage", "index", str(pages), stdout=(out := _Buffer()), stderr=(err := _Buffer()))
        assert "Indexed 1 pages (2 passages)" in out.text
        assert "broken.md: no title" in err.text
        stored = json.loads((tmp_path / "index.json").read_text())
        assert stored["format"] == answers.FORMAT and stored["pages"][0]["title"] == "Street lights"
        assert answers.get_index().pages[0]["title"] == "Street lights"  # the process uses it at once

        empty = tmp_path / "empty"
        empty.mkdir()
        with pytest.raises(CommandError, match="no usable pages .* the current index is unchanged"):
            call_command("triage", "index", str(empty))
        assert json.loads((tmp_path / "index.json").read_text())["pages"][0]["title"] == "Street lights"
    finally:
        answers.set_index(None)


class _Buffer:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_index_is_rebuilt_from_the_shipped_pages_when_missing_or_stale(tmp_path, settings):
    settings.TRIAGE_PAGES_INDEX = str(tmp_path / "index.json")
    answers.set_index(None)
    try:
        index = answers.get_index()
        assert answers.get_index() is index  # loaded once per process
        assert len(index.pages) >= 8 and (tmp_path / "index.json").exists()

        (tmp_path / "index.json").write_text(json.dumps({"format": -1, "pages": [], "passages": []}))
        answers.set_index(None)
        assert len(answers.get_index().pages) == len(index.pages)
        (tmp_path / "index.json").write_text("{not json")
        answers.set_index(None)
        assert len(answers.get_index().pages) == len(index.pages)
    finally:
        answers.set_index(None)


# --- Ranking, threshold, extractive ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("when is my bin collected?", "Bin collection days"),
        ("When are bins collected after a bank holiday?", "Bin collection days"),
        ("how much is council tax band D?", "Council tax bands and charges"),
        ("I live alone, do I get money off my council tax?", "Council tax discounts and exemptions"),
        ("do students pay council tax?", "Council tax discounts and exemptions"),
        ("How much is a residents parking permit?", "Resident parking permits"),
        ("how do i get visitor permits for my guests", "Resident parking permits"),
        ("what time does the library open on sunday?", "Library opening hours"),
        ("how do I report a pothole?", "Report a pothole"),
        (
            "how long does it take to fix a pothole after I report it?",
            "What happens after you report a problem",
        ),
        ("can I get help paying my energy bills?", "Household Support Fund"),
        ("How much does a blue badge cost?", "Blue Badge parking for disabled people"),
        ("how do I complain about the council?", "Make a complaint"),
        ("what is the council's phone number?", "Contact us and opening hours"),
        ("when is the town hall open?", "Contact us and opening hours"),
    ],
)
def test_the_right_page_comes_first(shipped, question, title):
    found = shipped.answer(question, min_score=answers.min_score(), min_coverage=answers.min_coverage())
    assert found is not None, question
    assert found.title == title


def test_band_d_answer_quotes_the_charge(shipped):
    found = answers.find_answer("how much is council tax band D?")
    assert "Band D: £1,965.95 a year" in found.snippet
    assert found.url == "https://www.council.example/council-tax/bands-and-charges"


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather like in Spain tomorrow?",
        "can you recommend a good pizza place?",
        "who won the football last night?",
        "how do I renew my passport?",
        "what is the capital of France?",
        "what time is it?",
        "is the council useless?",
        "how do I cook pasta?",
    ],
)
def test_off_topic_questions_get_no_answer(shipped, question):
    assert (
        shipped.answer(question, min_score=answers.min_score(), min_coverage=answers.min_coverage()) is None
    )
    assert answers.find_answer(question) is None


def test_answers_are_extractive(shipped):
    questions = [
        "when is my bin collected?",
        "how much is council tax band D?",
        "what time does the library open on sunday?",
        "how do I complain about the council?",
        "can I get help paying my energy bills?",
    ]
    pages = {p.url: p for p in answers.read_folder(answers.SHIPPED_PAGES)[0]}
    for question in questions:
        found = answers.find_answer(question)
        assert found.snippet and found.snippet in pages[found.url].text  # copied, never written
        assert len(found.snippet) <= answers.MAX_SNIPPET


def test_a_long_passage_is_cut_to_its_best_sentences(tmp_path):
    filler = " ".join(f"Sentence {n} says nothing in particular about anything here." for n in range(20))
    _write(
        tmp_path,
        "long.md",
        f"---\ntitle: Long page\nurl: /long\n---\n{filler} Skips are collected on Thursdays. {filler}\n",
    )
    index, _problems = answers.build_index(tmp_path)
    found = index.answer("when are skips collected?", min_score=0, min_coverage=0)
    assert "Skips are collected on Thursdays." in found.snippet
    assert len(found.snippet) <= answers.MAX_SNIPPET and found.snippet in index.pages[0]["text"]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("when is my bin collected?", True),
        ("How much is council tax band D", True),
        ("Hi, can you tell me the library hours", True),
        ("I want to know about parking permits", True),
        ("Huge pothole outside 14 Station Road", False),
        ("the bins weren't collected again and now there's rats", False),
        ("", False),
    ],
)
def test_is_question(text, question):
    assert answers.is_question(text) is question


# --- Views, webchat and phone API ----------------------------------------------------------------------


def _ask(client, text, url="/triage/"):
    response = client.post(url, {"enquiry": text})
    assert response.status_code == 302
    return response, TriageRecord.objects.latest("id")


@pytest.mark.django_db
def test_result_page_quotes_the_answer_beside_the_services(client, catalogue):
    response, rec = _ask(client, "when is my bin collected?")
    assert rec.answer["found"] and rec.answer["title"] == "Bin collection days"
    page = client.get(response["Location"]).content.decode()
    assert "From our website" in page
    assert '<blockquote class="hub-answer__snippet' in page
    assert rec.answer["snippet"].split("\n")[0][:60] in page
    link = 'href="https://www.council.example/bins/collection-days">Bin collection days</a>'
    assert f'<a class="govuk-link" {link}' in page
    assert "Did this answer your question?" in page
    assert f'action="/triage/result/{rec.token}/answer/"' in page and "csrfmiddlewaretoken" in page
    # alongside the service suggestions, not instead of them
    assert 'name="service"' in page or "Send my message to a person" in page


@pytest.mark.django_db
def test_a_question_the_pages_cannot_answer_is_told_so(client, catalogue):
    response, rec = _ask(client, "who won the football last night?")
    assert rec.answer == {"found": False}
    page = client.get(response["Location"]).content.decode()
    assert "We could not find an answer to your question on our website" in page
    assert "Did this answer your question?" not in page


@pytest.mark.django_db
def test_a_report_that_asks_nothing_gets_no_answer_box(client, catalogue):
    response, rec = _ask(client, "Huge pothole outside 14 Station Road E20 1AB")
    assert rec.answer == {}
    page = client.get(response["Location"]).content.decode()
    assert "From our website" not in page and "could not find an answer" not in page


@pytest.mark.django_db
def test_feedback_without_javascript_is_stored(client, catalogue):
    response, rec = _ask(client, "how much is council tax band D?")
    sent = client.post(f"/triage/result/{rec.token}/answer/", {"helpful": "yes"})
    assert sent.status_code == 302 and sent["Location"] == f"/triage/result/{rec.token}/"
    feedback = AnswerFeedback.objects.get()
    assert feedback.record == rec and feedback.helpful is True
    assert feedback.page == "https://www.council.example/council-tax/bands-and-charges"
    page = client.get(sent["Location"]).content.decode()
    assert "Thank you for telling us whether this answered your question." in page
    assert "Did this answer your question?" not in page

    client.post(f"/triage/result/{rec.token}/answer/", {"helpful": "no"})  # changed their mind
    assert AnswerFeedback.objects.count() == 1 and AnswerFeedback.objects.get().helpful is False


@pytest.mark.django_db
def test_feedback_with_javascript_returns_the_answer_box(client, catalogue):
    _response, rec = _ask(client, "what time does the library open on sunday?")
    box = client.post(
        f"/triage/result/{rec.token}/answer/", {"helpful": "no"}, headers={"X-Requested-With": "fetch"}
    )
    assert box.status_code == 200
    html = box.content.decode()
    assert html.lstrip().startswith('<div class="govuk-inset-text hub-answer"') and "<html" not in html
    assert "Thank you for telling us" in html
    assert AnswerFeedback.objects.get(record=rec).helpful is False


@pytest.mark.django_db
def test_feedback_checks_what_it_is_given(client, catalogue):
    response, rec = _ask(client, "how much is council tax band D?")
    assert client.get(f"/triage/result/{rec.token}/answer/").status_code == 405
    bad = client.post(f"/triage/result/{rec.token}/answer/", {"helpful": "maybe"})
    assert bad.status_code == 302 and not AnswerFeedback.objects.exists()
    assert "Choose yes or no" in client.get(bad["Location"]).content.decode()
    fetched = client.post(
        f"/triage/result/{rec.token}/answer/", {"helpful": ""}, headers={"X-Requested-With": "fetch"}
    )
    assert fetched.status_code == 400 and not AnswerFeedback.objects.exists()

    stranger = Client()  # another browser session cannot answer for this message
    assert stranger.post(f"/triage/result/{rec.token}/answer/", {"helpful": "yes"}).status_code == 404

    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.post(f"/triage/result/{rec.token}/answer/", {"helpful": "yes"}).status_code == 403

    _r, unanswered = _ask(client, "who won the football last night?")
    client.post(f"/triage/result/{unanswered.token}/answer/", {"helpful": "yes"})
    assert not AnswerFeedback.objects.exists()


@pytest.mark.django_db
def test_webchat_answers_without_and_with_javascript(client, catalogue):
    assert client.post("/triage/chat/", {"enquiry": "when is my bin collected?"}).status_code == 302
    rec = TriageRecord.objects.latest("id")
    page = client.get("/triage/chat/").content.decode()
    assert "Bin collection days</a>" in page and "Did this answer your question?" in page
    assert 'name="next" value="chat"' in page and "triage/answer.mjs" in page
    back = client.post(f"/triage/result/{rec.token}/answer/", {"helpful": "yes", "next": "chat"})
    assert back["Location"] == "/triage/chat/#latest"
    assert AnswerFeedback.objects.get(record=rec).helpful

    log = client.post(
        "/triage/chat/", {"enquiry": "how much is a parking permit?"}, headers={"X-Requested-With": "fetch"}
    )
    html = log.content.decode()
    assert log.status_code == 200 and "<html" not in html
    assert "Resident parking permits</a>" in html and html.count("Thank you for telling us") == 1


@pytest.mark.django_db
def test_phone_api_gives_the_answer_with_its_link(client, catalogue):
    asked = client.post(
        "/triage/api/phone/", {"transcript": "when is my bin collected?"}, content_type="application/json"
    ).json()
    assert asked["answer"]["url"] == "https://www.council.example/bins/collection-days"
    assert asked["answer"]["text"] and asked["answer"]["title"] == "Bin collection days"
    assert asked["triage"]["question"] is True
    reported = client.post(
        "/triage/api/phone/",
        {"transcript": "my bins weren't collected on Tuesday"},
        content_type="application/json",
    ).json()
    assert reported["answer"] is None and reported["triage"]["question"] is False


@pytest.mark.django_db
def test_untranslated_question_is_not_answered_from_english_pages(client, catalogue, settings):
    settings.TRIAGE_TRANSLATE_URL = ""
    _response, rec = _ask(client, "Kiedy odbierane są śmieci z mojego domu?")
    assert rec.outcome == "translation_needed" and rec.answer == {}
