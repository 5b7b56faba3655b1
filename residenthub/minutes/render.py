"""Minutes as Markdown, HTML, DOCX and PDF, all from one plain structure in the seed minutes' format.

PDF with fpdf2 (already a dependency, pure Python, no system libraries) and Debian's DejaVu font for
the characters Latin-1 lacks (£, ’): see docs/adr/0102-minutes-documents.md.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
EXEMPT = "This item was considered in private (Part II, exempt information); its minutes are not published."


def _person(p: dict) -> str:
    extra = {"chair": " (Chair)", "vice-chair": " (Vice-Chair)"}.get(p.get("role", ""), "")
    title = f", {p['title']}" if p.get("title") else ""
    return f"{p['name']}{extra}{title}"


def _date(value) -> str:
    if isinstance(value, str) and value:
        value = dt.date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}" if value else ""


def from_meeting(meeting, *, public: bool) -> dict:
    """The structure for a meeting; ``public`` leaves closed items' content out."""
    attendees = list(meeting.attendees.all())
    doc = {
        "council": settings.COUNCIL_NAME,
        "committee": meeting.committee.name,
        "date": meeting.date.isoformat(),
        "location": meeting.location,
        "members": [_as_dict(a) for a in attendees if a.present and a.role != "officer"],
        "officers": [_as_dict(a) for a in attendees if a.present and a.role == "officer"],
        "apologies": [_as_dict(a) for a in attendees if not a.present],
        "declarations": [line.text for line in meeting.lines.filter(kind="declaration", item=None)],
        "items": [],
    }
    lines = list(meeting.lines.exclude(item=None).order_by("order", "id"))
    for item in meeting.items.all():
        own = [line for line in lines if line.item_id == item.id]
        entry = {"number": item.number, "title": item.title, "closed": item.closed}
        if item.closed and public:
            entry.update(summary=[], decisions=[], actions=[])
        else:
            entry["summary"] = [line.text for line in own if line.kind == "summary"]
            entry["decisions"] = [
                {"text": line.text, "vote": line.vote} for line in own if line.kind == "decision"
            ]
            entry["actions"] = [
                {"text": line.text, "owner": line.owner, "due": line.due.isoformat() if line.due else ""}
                for line in own
                if line.kind == "action"
            ]
        doc["items"].append(entry)
    return doc


def _as_dict(a) -> dict:
    return {"name": a.name, "role": a.role, "title": a.title}


def from_draft(draft, *, committee: str = "", date: dt.date | None = None) -> dict:
    present = [{"name": a.name, "role": a.role, "title": a.title} for a in draft.present]
    return {
        "council": settings.COUNCIL_NAME,
        "committee": committee or "Committee",
        "date": date.isoformat() if date else "",
        "location": "",
        "members": [p for p in present if p["role"] != "officer"],
        "officers": [p for p in present if p["role"] == "officer"],
        "apologies": [{"name": a.name, "role": a.role, "title": a.title} for a in draft.apologies],
        "declarations": [d.text for d in draft.declarations],
        "items": [
            {
                "number": i,
                "title": item.title,
                "closed": False,
                "summary": [s.text for s in item.summary],
                "decisions": [{"text": d.text, "vote": d.vote} for d in item.decisions],
                "actions": [{"text": a.text, "owner": a.owner, "due": a.due} for a in item.actions],
            }
            for i, item in enumerate(draft.items, 1)
        ],
    }


def _action_line(a: dict) -> str:
    who = a["owner"] or "Owner to be confirmed"
    due = f", by {_date(a['due'])}" if a.get("due") else ""
    return f"{a['text']} (Action: {who}{due})"


def _decision_line(d: dict) -> str:
    return d["text"] + (f" (Vote: {d['vote']})" if d.get("vote") else "")


def markdown(doc: dict) -> str:
    out = [f"# {doc['committee']}", "", f"Minutes of the meeting held on {_date(doc['date'])}", ""]
    out += ["## Present", ""] + [f"- {_person(p)}" for p in doc["members"]]
    if doc["officers"]:
        out += ["", "Officers present:", ""] + [f"- {_person(p)}" for p in doc["officers"]]
    out += ["", "## Apologies for absence", ""]
    out += [f"- {_person(p)}" for p in doc["apologies"]] or ["None."]
    out += ["", "## Declarations of interest", ""] + (doc["declarations"] or ["None."])
    for item in doc["items"]:
        out += ["", f"## {item['number']}. {item['title']}", ""]
        if item["closed"] and not (item["summary"] or item["decisions"] or item["actions"]):
            out.append(EXEMPT)
            continue
        out += [p + "\n" for p in item["summary"]]
        out += [_decision_line(d) + "\n" for d in item["decisions"]]
        out += [f"- {_action_line(a)}" for a in item["actions"]]
    return "\n".join(out).rstrip() + "\n"


def html(doc: dict) -> str:
    """The minutes as an HTML fragment (GOV.UK Frontend classes), for the public page."""
    items = [
        {**item, "actions": [{**a, "line": _action_line(a)} for a in item["actions"]]}
        for item in doc["items"]
    ]  # actions worded as in the PDF and Word document: "(Action: Sam Patel, by 26 November 2026)"
    return render_to_string(
        "minutes/_document.html",
        {"doc": {**doc, "items": items}, "exempt": EXEMPT, "date": _date(doc["date"])},
    )


def docx(doc: dict) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.core_properties.title = f"{doc['committee']} minutes {doc['date']}"
    document.add_paragraph(doc["council"])
    document.add_heading(doc["committee"], level=0)
    document.add_paragraph(f"Minutes of the meeting held on {_date(doc['date'])}")
    document.add_heading("Present", level=1)
    for p in doc["members"]:
        document.add_paragraph(_person(p), style="List Bullet")
    if doc["officers"]:
        document.add_paragraph("Officers present:")
        for p in doc["officers"]:
            document.add_paragraph(_person(p), style="List Bullet")
    document.add_heading("Apologies for absence", level=1)
    for p in doc["apologies"] or [None]:
        document.add_paragraph(_person(p) if p else "None.")
    document.add_heading("Declarations of interest", level=1)
    for text in doc["declarations"] or ["None."]:
        document.add_paragraph(text)
    for item in doc["items"]:
        document.add_heading(f"{item['number']}. {item['title']}", level=1)
        if item["closed"] and not (item["summary"] or item["decisions"] or item["actions"]):
            document.add_paragraph(EXEMPT)
            continue
        for text in item["summary"]:
            document.add_paragraph(text)
        for d in item["decisions"]:
            document.add_paragraph().add_run(_decision_line(d)).bold = True
        for a in item["actions"]:
            document.add_paragraph(_action_line(a), style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf(doc: dict) -> bytes:
    from fpdf import FPDF

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    unicode_font = FONT.exists() and FONT_BOLD.exists()
    out = FPDF(format="A4")
    out.set_auto_page_break(auto=True, margin=18)
    out.set_title(f"{doc['committee']} minutes {doc['date']}")
    out.set_author(doc["council"])
    if unicode_font:
        out.add_font("DejaVu", "", str(FONT))
        out.add_font("DejaVu", "B", str(FONT_BOLD))
    out.add_page()

    def font(size: int, bold: bool = False) -> None:
        out.set_font("DejaVu" if unicode_font else "Helvetica", "B" if bold else "", size)

    def text(value: str) -> str:
        return value if unicode_font else value.encode("latin-1", "replace").decode("latin-1")

    def para(value: str, size: int = 10, bold: bool = False, gap: float = 2) -> None:
        font(size, bold)
        out.multi_cell(0, size * 0.5, text(value), new_x="LMARGIN", new_y="NEXT")
        out.ln(gap)

    para(doc["council"], 10)
    para(doc["committee"], 16, True)
    para(f"Minutes of the meeting held on {_date(doc['date'])}", 11, gap=4)
    para("Present", 13, True)
    for p in doc["members"]:
        para(f"• {_person(p)}", gap=0)
    if doc["officers"]:
        para("Officers present:", gap=0)
        for p in doc["officers"]:
            para(f"• {_person(p)}", gap=0)
    out.ln(3)
    para("Apologies for absence", 13, True)
    for p in doc["apologies"] or [None]:
        para(_person(p) if p else "None.", gap=0)
    out.ln(3)
    para("Declarations of interest", 13, True)
    for value in doc["declarations"] or ["None."]:
        para(value)
    for item in doc["items"]:
        out.ln(2)
        para(f"{item['number']}. {item['title']}", 13, True)
        if item["closed"] and not (item["summary"] or item["decisions"] or item["actions"]):
            para(EXEMPT)
            continue
        for value in item["summary"]:
            para(value)
        for d in item["decisions"]:
            para(_decision_line(d), bold=True)
        for a in item["actions"]:
            para(f"• {_action_line(a)}", gap=1)
    return bytes(out.output())
