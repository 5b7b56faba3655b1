"""A resident spread over council systems, cases, requests, a call and the front door, with a
household member who must survive her erasure."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from residenthub.accounts.models import Team
from residenthub.cases.models import Attachment, Case
from residenthub.foi.models import InformationRequest, SubjectAccessPack
from residenthub.identity import actions as identity_actions
from residenthub.identity.models import CaseLink, Person, PersonLink, Source, SourceRecord
from residenthub.identity.sources import build_record

EMAIL = "maggie.obrien@example.com"
PHONE = "07700 900457"
NI = "JK581047C"
NHS = "7835394057"
NAMES = [("Margaret", "O'Brien"), ("Peggy", "OBrien"), ("Maggie", "O'Brien")]

SOURCES = {
    "council-tax": ("Council tax", "revenues", False),
    "housing": ("Housing tenancies", "housing-repairs", False),
    "benefits": ("Benefits", "revenues", False),
    "libraries": ("Libraries", "libraries", False),
    "adult-social-care": ("Adult social care", "adult-social-care", True),
}


def _source(slug: str) -> Source:
    name, team, restricted = SOURCES[slug]
    return Source.objects.get_or_create(
        slug=slug, defaults={"name": name, "team": Team.objects.get(slug=team), "restricted": restricted}
    )[0]


def make_record(person: Person, slug: str, key: str, first: str, last: str, **extra) -> SourceRecord:
    data = {"first_name": first, "last_name": last, **extra}
    clean = {k: v for k, v in extra.items() if k in {"email", "ni_number", "nhs_number", "postcode", "uprn"}}
    if extra.get("phone"):
        clean["phone"] = "+44" + extra["phone"].replace(" ", "")[1:]
    standard = build_record(f"{slug}:{key}", slug, {"first_name": first, "last_name": last}, clean, [])
    record = SourceRecord.objects.create(
        source=_source(slug), source_key=key, data=data, standard=standard, fingerprint=key
    )
    PersonLink.objects.create(record=record, person=person, probability=0.99)
    identity_actions._index([record])
    return record


@dataclass
class World:
    person: Person
    other: Person
    records: list = field(default_factory=list)
    other_records: list = field(default_factory=list)
    closed_cases: list = field(default_factory=list)
    complaint: InformationRequest | None = None
    sar: InformationRequest | None = None
    call: object = None
    recording: Path | None = None
    upload: str = ""
    triage: object = None


def _request(kind: str, status: str, **extra) -> InformationRequest:
    today = timezone.localdate()
    n = InformationRequest.objects.count() + 1
    return InformationRequest.objects.create(
        reference=f"FOI-T{n:04d}",
        kind=kind,
        status=status,
        subject=f"{kind} from Margaret O'Brien",
        body="I am Margaret O'Brien of Flat 2, 14 Station Road; email maggie.obrien@example.com.",
        requester_name="Margaret O'Brien",
        requester_email=EMAIL,
        received_on=today - dt.timedelta(days=30),
        clock_start=today - dt.timedelta(days=30),
        due_date=today + dt.timedelta(days=5),
        **extra,
    )


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


@pytest.fixture
def world(catalogue, make_case, settings, tmp_path):
    """Nine records in four sources (plus social care with ``five=True``), three closed cases, an
    open complaint, a closed subject access request with its pack, a recorded call, a front door
    message kept as a training example, an upload and a resident account."""
    settings.VOICE_RECORDING_DIR = str(tmp_path / "recordings")
    settings.RETENTION_REPLAY_LOG = str(tmp_path / "replay.jsonl")
    settings.RETENTION_SCAN_DIRS = [
        str(tmp_path / "recordings"),
        str(tmp_path / "exports"),
        default_storage.location,
    ]
    Team.objects.filter(slug="revenues").update(email="revenues@council.example")

    def build(*, five: bool = False) -> World:
        person = identity_actions.new_person()
        other = identity_actions.new_person()
        w = World(person=person, other=other)
        layout = {"council-tax": 2, "housing": 2, "benefits": 2, "libraries": 3}
        if five:
            layout["adult-social-care"] = 1
        n = 0
        for slug, count in layout.items():
            for i in range(count):
                first, last = NAMES[n % 3]
                n += 1
                extra = {"email": EMAIL, "phone": PHONE, "postcode": "E20 1AB"}
                if slug in {"benefits", "housing"}:
                    extra["ni_number"] = NI
                if slug == "adult-social-care":
                    extra["nhs_number"] = NHS
                w.records.append(
                    make_record(person, slug, f"{slug[:3].upper()}{1000 + i}", first, last, **extra)
                )
        for slug in ("council-tax", "housing"):
            w.other_records.append(
                make_record(other, slug, f"{slug[:3].upper()}2000", "Patrick", "O'Brien", postcode="E20 1AB")
            )
        for i, code in enumerate(["missed-bin", "report-pothole", "housing-repair"]):
            case = make_case(code, name="Maggie O'Brien", email=EMAIL, phone=PHONE, postcode="E20 1AB")
            _link(case, person)
            closed = timezone.now() - dt.timedelta(days=40 + i)
            Case.objects.filter(pk=case.pk).update(is_open=False, status="closed", closed_at=closed)
            w.closed_cases.append(Case.objects.get(pk=case.pk))
        w.complaint = _request("complaint", "logged")
        w.sar = _request("sar", "responded", responded_on=timezone.localdate() - dt.timedelta(days=3))
        SubjectAccessPack.objects.create(
            request=w.sar,
            pdf=_pdf("Subject access pack for Margaret O'Brien, maggie.obrien@example.com"),
            html="<p>Margaret O'Brien</p>",
        )
        from residenthub.voice.models import Call

        folder = Path(settings.VOICE_RECORDING_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        w.call = Call.objects.create(
            via="simulator",
            caller="+447700900457",
            turns=[{"who": "caller", "text": "Hello, it's Maggie O'Brien about my bins", "at": 1.0}],
            case=w.closed_cases[0],
            ended_at=timezone.now() - dt.timedelta(days=40),
            outcome="case_created",
        )
        w.recording = folder / f"{w.call.token}.wav"
        w.recording.write_bytes(b"RIFF....WAVEfmt fake audio of a caller")
        Call.objects.filter(pk=w.call.pk).update(recording=w.recording.name)
        from residenthub.services.models import Service
        from residenthub.triage.models import TrainingExample, TriageRecord

        w.triage = TriageRecord.objects.create(
            text="Hi, Maggie O'Brien here, my bin was missed again. Call 07700 900457",
            contact_name="Maggie O'Brien",
            contact_email=EMAIL,
            outcome="suggested",
            case=w.closed_cases[0],
        )
        TrainingExample.objects.create(
            record=w.triage,
            text=w.triage.text,
            service=Service.objects.get(code="missed-bin"),
            review="approved",
        )
        name = default_storage.save(
            "attachments/test/retention-upload", ContentFile(b"Photo from Margaret O'Brien")
        )
        Attachment.objects.create(
            case=w.closed_cases[1],
            token=f"tok{person.pk}",
            file=name,
            original_name="maggie-obrien-photo.jpg",
            content_type="image/jpeg",
            size=20,
        )
        w.upload = name
        from residenthub.residents.models import ResidentAccount

        ResidentAccount.objects.create(email=EMAIL, name="Margaret O'Brien", phone=PHONE, person=person)
        return w

    return build


def _link(case: Case, person: Person) -> None:
    """What linkage would have decided: the case (and its copy in the cases source) is hers."""
    link = CaseLink.objects.filter(case=case).first()
    if link is None:
        link = identity_actions.check_case(case)
    CaseLink.objects.filter(pk=link.pk).update(person=person, status="linked")
    if link.record_id:
        PersonLink.objects.filter(record_id=link.record_id).update(
            person=person, probability=1.0, locked=True
        )


def text_of_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(bytes(data))).pages)
