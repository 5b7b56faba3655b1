"""Letters by post (issue 15): chosen on the contact page, rendered to PDF with the address where
Notify wants it and fonts embedded, sent through a local server speaking GOV.UK Notify's
precompiled letter API when configured, otherwise printed by staff; and a letter carries no
personal data of another resident."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from residenthub.cases import actions as case_actions
from residenthub.cases.models import Case, NotifyBy
from residenthub.core.models import AuditEntry
from residenthub.letters import jobs, render
from residenthub.letters.models import Letter

from ..portal.helpers import answer_pothole, give_contact, submit

pytestmark = pytest.mark.django_db(transaction=True)

ADA = {
    "name": "Ada Quarshie",
    "address": "Ada Quarshie\n7 Orchard Close\nDemoborough\nE20 2ZZ",
    "email": "ada@example.com",
}
BEN = {
    "name": "Ben Szymański",
    "address": "Ben Szymański\nFlat 9, 40 Mill Lane\nDemoborough\nE20 3QQ",
    "email": "",
}


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(pdf))).pages)


def _post_case(make_case, who, **kwargs):
    return make_case(
        name=who["name"], email=who["email"], notify_by=NotifyBy.POST, address=who["address"], **kwargs
    )


def test_contact_page_asks_for_a_postal_address(catalogue, client):
    answer_pothole(client)
    missing = give_contact(client, notify_by="post", email="", name="")
    html = missing.content.decode()
    assert missing.status_code == 400
    for message in (
        "Enter your full name so we can address letters",
        "first line of your address",
        "town or city",
    ):
        assert message in html, message
    bad = give_contact(
        client,
        notify_by="post",
        address_line_1="7 Orchard Close",
        address_town="Demoborough",
        address_postcode="XX",
    )
    assert "Enter a real UK postcode" in bad.content.decode()
    good = give_contact(
        client,
        notify_by="post",
        email="",
        address_line_1="7 Orchard Close",
        address_town="Demoborough",
        address_postcode="e20 2zz",
    )
    assert good.status_code == 302
    check = client.get("/services/report-pothole/check-your-answers/").content.decode()
    assert "Letter by post" in check and "7 Orchard Close" in check
    submit(client)
    case = Case.objects.get()
    assert case.contact_address == "Siân O'Brien\n7 Orchard Close\nDemoborough\nE20 2ZZ"
    letter = Letter.objects.get(case=case)
    assert letter.status == "to_print" and letter.kind == "submitted"
    assert "Siân O'Brien" in text_of(letter.pdf) and case.reference in text_of(letter.pdf)


def test_assisted_digital_by_post(catalogue, highways_officer):
    """Staff filling in the form for a resident on the phone choose "by post": a letter is queued."""
    client = Client()
    client.force_login(highways_officer)
    started = client.post("/staff/new/", {"service": "report-pothole", "channel": "phone"})
    assert started.status_code == 302
    answer_pothole(client)
    given = give_contact(
        client,
        notify_by="post",
        email="",
        name="Ron O'Neill",
        address_line_1="2 Mill Lane",
        address_town="Demoborough",
        address_postcode="E20 3QQ",
    )
    assert given.status_code == 302
    submit(client)
    case = Case.objects.get()
    assert case.channel == "phone" and case.notify_by == NotifyBy.POST
    letter = Letter.objects.get(case=case)
    assert letter.status == "to_print" and "Ron O'Neill" in text_of(letter.pdf)


def test_two_residents_letters_carry_nothing_of_the_other(make_case, highways_officer):
    ada_case = _post_case(make_case, ADA)
    ben_case = _post_case(make_case, BEN)
    for case in (ada_case, ben_case):
        case_actions.transition(
            case, "in_progress", by=highways_officer, public_message="We will visit on Monday."
        )
    for mine, theirs, case, other in ((ADA, BEN, ada_case, ben_case), (BEN, ADA, ben_case, ada_case)):
        letters = Letter.objects.filter(case=case)
        assert letters.count() == 2
        for letter in letters:
            text = text_of(letter.pdf)
            assert mine["name"] in text and case.reference in text
            for line in set(theirs["address"].splitlines()[1:]) - set(mine["address"].splitlines()):
                assert line not in text, (letter, line)
            assert theirs["name"].split()[-1] not in text and other.reference not in text
            if theirs["email"]:
                assert theirs["email"] not in text


def test_pdf_meets_notify_precompiled_rules(make_case):
    letter = Letter.objects.get(case=_post_case(make_case, BEN))
    reader = PdfReader(io.BytesIO(bytes(letter.pdf)))
    page = reader.pages[0]
    assert [round(float(x)) for x in page.mediabox.upper_right] == [595, 842]  # A4 portrait, points
    fonts = page["/Resources"]["/Font"]
    for font in fonts.values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded
    placed = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            placed.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    mm = 72 / 25.4
    lines = BEN["address"].splitlines()
    start = next(i for i, item in enumerate(placed) if item[0] == lines[0])
    for line, (text, x, y) in zip(lines, placed[start : start + len(lines)], strict=True):
        assert text == line
        top_from_page_top = 297 - y / mm
        assert render.ADDRESS_X <= x / mm <= render.ADDRESS_X + render.ADDRESS_W
        assert render.ADDRESS_Y <= top_from_page_top <= render.ADDRESS_Y + render.ADDRESS_H, (
            line,
            top_from_page_top,
        )
    with pytest.raises(render.LetterError):
        render.address_lines("Only one line\nE20 1AB")


def test_sent_through_notify_when_configured(make_case, fake_notify, settings):
    settings.LETTERS_VIA_NOTIFY = True
    fake_notify.fail_next = 1
    case = _post_case(make_case, ADA)
    letter = Letter.objects.get(case=case)
    assert letter.status == "pending" and letter.attempts == 1 and "500" in letter.last_error
    assert jobs.send_pending_letters() == 1
    letter.refresh_from_db()
    assert letter.status == "sent" and letter.provider_id
    [received] = fake_notify.letters
    assert received["reference"] == letter.reference and received["postage"] == "second"
    assert received["pdf"] == bytes(letter.pdf)


def test_print_list_batch_and_personas(make_case, highways_officer, housing_officer, client):
    _post_case(make_case, ADA)
    _post_case(make_case, BEN)
    assert client.get("/staff/letters/").status_code == 302
    client.force_login(housing_officer)
    assert client.get("/staff/letters/").context["waiting"] == []
    letter = Letter.objects.first()
    assert client.get(f"/staff/letters/{letter.pk}.pdf").status_code == 404
    officer = Client()
    officer.force_login(highways_officer)
    assert len(officer.get("/staff/letters/").context["waiting"]) == 2
    single = officer.get(f"/staff/letters/{letter.pk}.pdf")
    assert single["Content-Type"] == "application/pdf"
    batch = officer.get("/staff/letters/batch.pdf")
    assert len(PdfReader(io.BytesIO(batch.content)).pages) == 4  # each letter on its own sheet
    nothing = officer.post("/staff/letters/printed/", {}, follow=True)
    assert "Choose letters that are waiting" in nothing.content.decode()
    officer.post("/staff/letters/printed/", {"letters": [letter.pk]})
    letter.refresh_from_db()
    assert letter.status == "printed" and letter.printed_by == highways_officer
    assert AuditEntry.objects.filter(action="letter.printed").count() == 1
    assert AuditEntry.objects.filter(action="letter.viewed").count() == 1
