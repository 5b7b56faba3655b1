"""Subject access packs: what the council holds on a requester, third parties redacted, in one document.

Gathered (read-only) from cases (matched by the requester's email or phone; by name only when the case's
postcode is in the requester's address) and, when a matched case is linked to a person in the single
resident view, that person's other cases and source records. Restricted cases and sources (social care)
are included only when the officer building the pack may see them; the pack lists the sources checked.

Free text (answers, timeline entries, internal notes, source record values) goes through the detector
with the requester's own name, email, phone and postcode allowed through; names, emails, phone numbers,
addresses and postcodes of anyone else are removed (the text is replaced, as in ``redaction.documents``).
Other identifiers (NHS number, date of birth...) in the requester's own records are theirs and are kept.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from residenthub.accounts.queries import can_see_case
from residenthub.cases.models import Case

from .models import InformationRequest, Kind, SubjectAccessPack
from .redaction import documents
from .redaction import entities as e

THIRD_PARTY = {e.PERSON, e.EMAIL, e.PHONE, e.ADDRESS, e.POSTCODE}
REASON = "third party"
_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", re.I)


class PackError(Exception):
    """The pack cannot be built; the message is for the officer."""


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)  # already redacted


@dataclass
class Gathered:
    cases: list[Case]
    records: list  # identity SourceRecords
    sources_checked: list[str]
    hidden_restricted: int  # cases or records the officer may not see (not in the pack)
    name_only: list[str]  # case references that matched by name alone (not in the pack)
    persons: list[str]  # public ids of linked persons


def _postcode_key(value: str) -> str:
    return value.replace(" ", "").upper()


def requester_identifiers(req: InformationRequest) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {"name": set(), "email": set(), "phone": set(), "postcode": set()}
    if req.requester_name.strip():
        ids["name"].add(" ".join(req.requester_name.split()))
    if req.requester_email:
        ids["email"].add(req.requester_email.lower())
    ids["postcode"].update(_postcode_key(m) for m in _POSTCODE.findall(req.requester_address or ""))
    if req.case_id:
        if req.case.contact_phone:
            ids["phone"].add(req.case.contact_phone)
        if req.case.contact_email:
            ids["email"].add(req.case.contact_email.lower())
    return ids


def _confirmed_links(CaseLink, cases):  # noqa: N803 - the model, passed in
    """Case-person links a pack may follow: confirmed by staff, or scored at or above
    ``SAR_LINK_MIN_PROBABILITY``. An automatic link made from a contact detail someone else could have
    typed must not pull a stranger's records into a requester's pack."""
    automatic = {"system", "linkage"}
    return CaseLink.objects.filter(
        case__in=cases, person__isnull=False, status=CaseLink.Status.LINKED
    ).filter(~Q(decided_by__in=automatic) | Q(probability__gte=settings.SAR_LINK_MIN_PROBABILITY))


def source_key(item) -> str:
    """How the officer names a source to leave out: ``cases:<service>`` or ``records:<source>``."""
    if isinstance(item, Case):
        return f"cases:{item.service.code}"
    return f"records:{item.source.slug}"


def source_label(item) -> str:
    if isinstance(item, Case):
        return f"Cases: {item.service.name}"
    return f"Single resident view: {item.source.name}"


def preview(req: InformationRequest, user) -> list[dict]:
    """Each source the pack would draw on, with how many items, for the officer to check first."""
    found = gather(req, user)
    sources: dict[str, dict] = {}
    for item in [*found.cases, *found.records]:
        entry = sources.setdefault(
            source_key(item), {"key": source_key(item), "label": source_label(item), "count": 0}
        )
        entry["count"] += 1
    return sorted(sources.values(), key=lambda s: s["label"])


def gather(req: InformationRequest, user, exclude: frozenset[str] | set[str] = frozenset()) -> Gathered:
    ids = requester_identifiers(req)
    query = Q(pk__in=[])
    for email in ids["email"]:
        query |= Q(contact_email__iexact=email)
    for phone in ids["phone"]:
        query |= Q(contact_phone=phone)
    for name in ids["name"]:
        query |= Q(contact_name__iexact=name)
    candidates = list(Case.objects.filter(query).select_related("service", "team").order_by("created_at"))
    matched, name_only = [], []
    for case in candidates:
        strong = case.contact_email.lower() in ids["email"] or (
            case.contact_phone and case.contact_phone in ids["phone"]
        )
        if strong or (case.postcode and _postcode_key(case.postcode) in ids["postcode"]):
            matched.append(case)
        else:
            name_only.append(case.reference)

    sources_checked = ["Cases (reports, requests and their timelines)"]
    records, persons, hidden = [], [], 0
    try:
        from residenthub.identity.models import CaseLink, PersonLink, Source
        from residenthub.identity.queries import visible_sources
    except ImportError:  # pragma: no cover - the single resident view is not installed
        CaseLink = None
    if CaseLink is not None:
        person_ids = set(_confirmed_links(CaseLink, matched).values_list("person_id", flat=True))
        if person_ids:
            seen = {c.pk for c in matched}
            for link in (
                _confirmed_links(CaseLink, Case.objects.all())
                .filter(person_id__in=person_ids)
                .select_related("case__service")
            ):
                if link.case_id not in seen:
                    matched.append(link.case)
                    seen.add(link.case_id)
            allowed = set(Source.objects.filter(visible_sources(user)).values_list("pk", flat=True))
            for link in (
                PersonLink.objects.filter(person_id__in=person_ids)
                .select_related("record__source", "person")
                .order_by("record__source__name", "record__source_key")
            ):
                if link.record.source_id in allowed:
                    records.append(link.record)
                else:
                    hidden += 1
            persons = sorted(
                {
                    link.person.public_id
                    for link in PersonLink.objects.filter(person_id__in=person_ids).select_related("person")
                }
            )
        visible_ids = set(Source.objects.filter(visible_sources(user)).values_list("pk", flat=True))
        for source in Source.objects.order_by("name"):
            if source.pk in visible_ids:
                sources_checked.append(f"Single resident view: {source.name}")
            else:
                sources_checked.append(
                    f"Single resident view: {source.name} (restricted: not checked by this officer)"
                )
    visible = []
    for case in sorted(matched, key=lambda c: (c.created_at, c.pk)):
        # Information governance handles every SAR, so sees ordinary cases; restricted ones (social care)
        # only when the officer may see them anyway.
        if not case.restricted or can_see_case(user, case):
            visible.append(case)
        else:
            hidden += 1
    if hidden:
        sources_checked.append("Restricted records this officer may not see were not checked")
    if exclude:
        left_out = sorted({source_label(i) for i in [*visible, *records] if source_key(i) in exclude})
        visible = [c for c in visible if source_key(c) not in exclude]
        records = [r for r in records if source_key(r) not in exclude]
        sources_checked += [f"{label} (left out by the officer)" for label in left_out]
    return Gathered(visible, records, sources_checked, hidden, name_only, persons)


class _Redactor:
    def __init__(self, ids: dict[str, set[str]], places: set[str] = frozenset()):
        self.allow = sorted(ids["name"] | ids["email"] | ids["phone"] | ids["postcode"] | set(places))
        self.places = [p.lower() for p in places]
        self.log: list[dict] = []

    def __call__(self, section: str, texts: list[str]) -> list[str]:
        from .redaction.detect import detect_many  # imported when first used (Presidio is slow to import)

        found = detect_many(texts, allow=self.allow)
        out = []
        for text, spans in zip(texts, found, strict=True):
            chosen = [
                s
                for s in spans
                if s.entity_type in THIRD_PARTY and not self._own_postcode(s) and not self._reported_place(s)
            ]
            for s in chosen:
                self.log.append(
                    {"section": section, "entity_type": s.entity_type, "text": s.text, "reason": "s40_2"}
                )
            out.append(documents.redact_text(text, [(s.start, s.end, REASON) for s in chosen]))
        return out

    def _reported_place(self, span) -> bool:
        return span.entity_type == e.ADDRESS and any(span.text.lower() in place for place in self.places)

    def _own_postcode(self, span) -> bool:
        return span.entity_type == e.POSTCODE and _postcode_key(span.text) in {
            _postcode_key(a) for a in self.allow
        }


def _value(value) -> str:
    if isinstance(value, dict):
        return ", ".join(_value(v) for v in value.values() if v not in (None, ""))
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    return str(value)


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _case_section(case: Case, redact: _Redactor) -> Section:
    title = f"Case {case.reference}: {case.service.name}"
    head = [
        f"Reference: {case.reference}",
        f"Service: {case.service.name}",
        f"Opened: {timezone.localtime(case.created_at):%-d %B %Y}",
        f"Status: {case.public_status_label}{'' if case.is_open else ' (closed)'}",
        "Your contact details on the case: "
        + " ".join(x for x in (case.contact_name, case.contact_email, case.contact_phone) if x),
    ]
    if case.location_text or case.postcode:
        head.append(f"Location: {case.location_text} {case.postcode}".strip())
    answers = [f"{_label(k)}: {_value(v)}" for k, v in (case.answers or {}).items()]
    events = list(case.events.order_by("at", "id"))
    event_texts = [e.text for e in events]
    free = redact(title, [*answers, *event_texts])
    lines = [*head, "", "What you told us:"]
    lines += [f"  {line}" for line in free[: len(answers)]] or ["  (nothing recorded)"]
    lines += ["", "Timeline (public updates and internal notes):"]
    for event, text in zip(events, free[len(answers) :], strict=True):
        visibility = "public" if event.public else "internal"
        status = f" [{event.from_status} -> {event.to_status}]" if event.to_status else ""
        when = f"{timezone.localtime(event.at):%-d %b %Y %H:%M}"
        lines.append(f"  {when} {event.get_kind_display()} ({visibility}){status}")
        if text.strip():
            lines += [f"    {line}" for line in text.splitlines()]
    attachments = list(case.attachments.all())
    lines += ["", "Attachments (listed; copies are sent separately after review):"]
    lines += [f"  {a.original_name} ({a.content_type}, {a.size} bytes)" for a in attachments] or ["  (none)"]
    return Section(title, lines)


def _record_section(record, redact: _Redactor) -> Section:
    title = f"{record.source.name}: record {record.source_key}"
    keys = sorted(record.data)
    values = redact(title, [str(record.data[k]) for k in keys])
    lines = [f"{_label(k)}: {v}" for k, v in zip(keys, values, strict=True)]
    lines.append(f"Last updated in the council's records: {timezone.localtime(record.last_seen):%-d %B %Y}")
    return Section(title, lines or ["(no values)"])


def build_sections(
    req: InformationRequest, found: Gathered, redact: _Redactor
) -> tuple[list[str], list[Section]]:
    intro = [
        f"Subject access request {req.reference}, received {req.received_on:%-d %B %Y}.",
        f"Prepared for: {req.requester_name or req.requester_email}.",
        f"Prepared on {timezone.localdate():%-d %B %Y}.",
        "",
        "Sources checked:",
        *[f"  - {s}" for s in found.sources_checked],
        "",
        "Information about other people has been removed and marked [REDACTED third party] "
        "(UK GDPR Article 15(4); Data Protection Act 2018 Schedule 2 paragraph 16).",
    ]
    sections = [_case_section(c, redact) for c in found.cases]
    sections += [_record_section(r, redact) for r in found.records]
    if not sections:
        sections = [
            Section(
                "No records found",
                [
                    "We searched the sources listed above for your name, email address and phone number "
                    "and found no records about you.",
                ],
            )
        ]
    return intro, sections


# --- output -------------------------------------------------------------------------------------------
def _pdf(title: str, intro: list[str], sections: list[Section]) -> tuple[bytes, list[dict]]:
    from fpdf import FPDF

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    body = "\n".join([title, *intro, *(s.title for s in sections), *(ln for s in sections for ln in s.lines)])
    try:
        body.encode("latin-1")
        unicode_font = False
    except UnicodeEncodeError:
        unicode_font = documents._FONT.exists()

    def make():
        pdf = FPDF(format="A4")
        pdf.compress = False  # plain streams: tests and anyone can see nothing is hidden
        pdf.set_title(title)
        pdf.set_author("")
        pdf.set_creator("Resident Hub subject access")
        if unicode_font:
            pdf.add_font("DejaVu", "", str(documents._FONT))
            pdf.add_font("DejaVu", "B", str(documents._FONT))
        return pdf

    def font(pdf, size, bold=False):
        pdf.set_font("DejaVu" if unicode_font else "Helvetica", "B" if bold else "", size)

    def clean(text: str) -> str:
        return text if unicode_font else text.encode("latin-1", "replace").decode("latin-1")

    def render(pdf, pages: list[int] | None) -> list[int]:
        pdf.add_page()
        font(pdf, 16, True)
        pdf.multi_cell(0, 8, clean(title), new_x="LMARGIN", new_y="NEXT")
        font(pdf, 10)
        for line in intro:
            pdf.multi_cell(0, 5, clean(line) or " ", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        font(pdf, 13, True)
        pdf.multi_cell(0, 7, "Index", new_x="LMARGIN", new_y="NEXT")
        font(pdf, 10)
        for i, section in enumerate(sections):
            page = pages[i] if pages else 0
            pdf.multi_cell(
                0, 5, clean(f"{i + 1}. {section.title} .... page {page}"), new_x="LMARGIN", new_y="NEXT"
            )
        starts = []
        for i, section in enumerate(sections):
            pdf.add_page()
            starts.append(pdf.page_no())
            font(pdf, 13, True)
            pdf.multi_cell(0, 7, clean(f"{i + 1}. {section.title}"), new_x="LMARGIN", new_y="NEXT")
            font(pdf, 10)
            for line in section.lines:
                pdf.multi_cell(0, 5, clean(line.replace("\t", "    ")) or " ", new_x="LMARGIN", new_y="NEXT")
        return starts

    starts = render(make(), None)  # first pass: where each section starts
    pdf = make()
    final = render(pdf, starts)
    if final != starts:  # the index grew by a page: number again
        pdf = make()
        render(pdf, final)
        starts = final
    index = [
        {"number": i + 1, "title": s.title, "page": p}
        for i, (s, p) in enumerate(zip(sections, starts, strict=True))
    ]
    return bytes(pdf.output()), index


def _html(title: str, intro: list[str], sections: list[Section]) -> str:
    e = html.escape
    parts = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title></head><body>",
        f"<h1>{e(title)}</h1>",
        "<pre>" + e("\n".join(intro)) + "</pre>",
        "<h2>Index</h2><ol>",
        *[f"<li><a href='#section-{i + 1}'>{e(s.title)}</a></li>" for i, s in enumerate(sections)],
        "</ol>",
    ]
    for i, s in enumerate(sections):
        parts.append(
            f"<h2 id='section-{i + 1}'>{i + 1}. {e(s.title)}</h2><pre>{e(chr(10).join(s.lines))}</pre>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def build_pack(
    req: InformationRequest, *, by, exclude: frozenset[str] | set[str] = frozenset()
) -> SubjectAccessPack:
    """Gather, redact and store the pack with the request; log it on the timeline, redaction log and audit."""
    from . import actions

    if req.kind != Kind.SAR:
        raise actions.FOIError(
            f"A subject access pack is only built for a subject access request; {req.reference} is a "
            f"{req.get_kind_display().lower()}."
        )
    if not (req.requester_name.strip() or req.requester_email):
        raise actions.FOIError("Record the requester's name or email first: the pack is found by them.")
    found = gather(req, actions._user(by), exclude=set(exclude))
    ids = requester_identifiers(req)
    for key, values in _linked_identifiers(req, found).items():
        ids[key] |= values
    places = {c.location_text for c in found.cases if c.location_text}  # what the requester reported
    redact = _Redactor(ids, places)
    intro, sections = build_sections(req, found, redact)
    title = f"Your personal data: subject access request {req.reference}"
    pdf, index = _pdf(title, intro, sections)
    page = _html(title, intro, sections)
    summary = {
        "cases": len(found.cases),
        "records": len(found.records),
        "redactions": len(redact.log),
        "hidden_restricted": found.hidden_restricted,
        "name_only_matches": found.name_only,
        "persons": found.persons,
        "left_out": sorted(exclude),
    }
    return actions.record_sar_pack(
        req,
        by=by,
        summary=summary,
        pdf=pdf,
        html=page,
        index=index,
        sources_checked=found.sources_checked,
        redaction_log=redact.log,
    )


def _linked_identifiers(req, found: Gathered) -> dict[str, set[str]]:
    """The requester's own names and contacts in records the single resident view links to them."""
    ids: dict[str, set[str]] = {"name": set(), "email": set(), "phone": set(), "postcode": set()}
    for record in found.records:
        std = record.standard or {}
        name = " ".join(x for x in (std.get("first_name"), std.get("last_name")) if x)
        if name:
            ids["name"].add(name)
        for key in ("email", "phone"):
            if std.get(key):
                ids[key].add(str(std[key]))
        if std.get("postcode"):
            ids["postcode"].add(_postcode_key(str(std["postcode"])))
    return ids
