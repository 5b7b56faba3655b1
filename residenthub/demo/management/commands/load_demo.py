"""Demo data for ``make run``: the catalogue, addresses, staff accounts and about 50 cases.

The demo app sits above every other app (docs/architecture.md): it may import them all, and writes
only through their actions.

Idempotent: running it again adds nothing that is already there.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from residenthub.accounts.actions import ensure_staff_user
from residenthub.accounts.models import Team
from residenthub.cases import actions
from residenthub.cases.models import Case, Channel, NotifyBy, Priority
from residenthub.core.actions import Actor
from residenthub.core.demo import DEMO_PASSWORD, RESIDENTS, STAFF, demo_answer
from residenthub.core.models import Address
from residenthub.demo.foi_memo import memo_pdf
from residenthub.foi import actions as foi_actions
from residenthub.foi.models import OPEN_STATUSES, Document, InformationRequest, Kind
from residenthub.minutes import actions as minutes_actions
from residenthub.minutes import drafting, scripted
from residenthub.minutes.agenda import ParsedItem
from residenthub.minutes.models import Meeting
from residenthub.services.models import Service
from residenthub.voice import actions as voice_actions
from residenthub.voice import dialog
from residenthub.voice.models import Call
from residenthub.voice.pipeline import understand_text


class Command(BaseCommand):
    help = "Load the demo council: catalogue, addresses, staff accounts (demo password) and cases."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=50)

    def handle(self, *args, cases, **options):
        call_command("load_catalogue", stdout=self.stdout)
        call_command("load_addresses", stdout=self.stdout)
        self._staff()
        call_command("triage", "train", stdout=self.stdout)  # so the first resident does not wait for it
        # The single resident view: five source extracts linked into persons (skipped once loaded), so
        # the demo cases below are linked to persons as they are submitted.
        call_command("identity", "demo", stdout=self.stdout)
        if Case.objects.exists():
            self.stdout.write("Demo cases already loaded.")
        else:
            self._cases(cases)
        # Insights: five past months of requests, the daily roll-ups, the benefits register, reports.
        call_command("insights", "demo", stdout=self.stdout)
        self._phone_callbacks()
        self._minutes_meeting()
        self._foi_document()
        self._answer_past_requests()

    def _staff(self):
        loader = Actor.system("demo")
        ensure_staff_user(
            "admin", by=loader, password=DEMO_PASSWORD, superuser=True, first_name="Ada", last_name="Admin"
        )
        for username, first, last, team_slug, role in STAFF:
            ensure_staff_user(
                username,
                by=loader,
                password=DEMO_PASSWORD,
                team=Team.objects.get(slug=team_slug),
                role=role,
                first_name=first,
                last_name=last,
                email=f"{username}@council.example",
            )
        self.stdout.write(f"Staff accounts ready (password: {DEMO_PASSWORD}).")

    @transaction.atomic
    def _cases(self, count):
        rng = random.Random(2026)
        services = list(Service.objects.filter(active=True))
        addresses = list(Address.objects.all()[:200])
        officer = get_user_model().objects.get(username="admin")
        now = timezone.now()
        for index in range(count):
            service = services[index % len(services)]
            name, email = RESIDENTS[index % len(RESIDENTS)]
            address = rng.choice(addresses)
            answers = {}
            for question in service.form.questions:
                if not question.is_shown(answers) or not question.required:
                    continue
                answers[question.name] = demo_answer(question, address, rng, service.code)
            case = actions.create_case(
                service=service,
                answers=answers,
                contact=actions.Contact(name=name, email=email, notify_by=NotifyBy.EMAIL),
                channel=rng.choice([Channel.WEB] * 6 + [Channel.PHONE, Channel.FACE_TO_FACE, Channel.EMAIL]),
                priority=Priority.URGENT if index % 9 == 0 else Priority.NORMAL,
                received_at=now - dt.timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 8)),
            )
            if case.team.slug == "highways" and index % 3 == 0:
                case = actions.assign(
                    case, by=officer, officer=get_user_model().objects.get(username="highways.officer")
                )
            # Walk some cases along their workflow so the demo has every kind of state.
            for _step in range(index % 4):
                moves = case.service.workflow.allowed_from(case.status)
                if not moves:
                    break
                target = moves[0]
                case = actions.transition(
                    case,
                    target.code,
                    # Restricted cases are moved by the system: the administrator may not change them.
                    by=None if case.restricted else officer,
                    reason="Demo: no further action needed." if target.reason_required else "",
                    public_message="We have inspected the site." if index % 2 else "",
                )
        self._demo_resident_case(services)
        self.stdout.write(f"Created {count} demo cases.")

    def _demo_resident_case(self, services):
        """The identity demo resident (docs/identity.md) reports a pothole outside her home, spelled
        as she writes it; the point-of-entry check links it to her person."""
        service = next((s for s in services if s.code == "report-pothole"), services[0])
        address = Address.objects.filter(uprn="100090000057").first() or Address.objects.first()
        rng = random.Random(57)
        answers = {}
        for question in service.form.questions:
            if question.is_shown(answers) and question.required:
                answers[question.name] = demo_answer(question, address, rng, service.code)
        actions.create_case(
            service=service,
            answers=answers,
            contact=actions.Contact(
                name="Maggie O'Brien",
                email="maggie.obrien@example.com",
                notify_by=NotifyBy.EMAIL,
                postcode=address.postcode,
            ),
            channel=Channel.WEB,
        )

    def _phone_callbacks(self):
        """Two callers on the staff callback list, taken through the phone dialogue as typed words (no
        audio): a smell of gas with a disabled mother (urgent, first, for the contact centre; she gives a
        number to ring, hers being withheld) and a
        street light caller who hung up before saying where (for Highways)."""
        if Call.objects.exists():
            self.stdout.write("Demo phone calls already loaded.")
            return
        for words in (
            # Her number is withheld, so the agent asks for one to ring back on.
            [
                "There's a smell of gas in the kitchen and my mum is disabled.",
                "oh seven seven double oh, nine oh oh nine eight seven",
            ],
            ["A street light is broken on my road.", "Yes"],
        ):
            call = voice_actions.start_call(via=Call.Via.SIMULATOR)
            dialog.start(call)
            for said in words:
                dialog.hear(call, understand_text(said))
            if call.outcome == Call.Outcome.IN_PROGRESS:
                dialog.caller_hung_up(call)
        self.stdout.write("Two demo callers are waiting on the callback list.")

    def _minutes_meeting(self):
        """A committee meeting with its draft minutes ready for the clerk's review: a scripted meeting's
        words as its transcript, drafted as the app drafts. Where espeak-ng, flite and ffmpeg are
        installed (``scripts/install_voice_deps.sh``) the script is also spoken into a recording the
        transcript's times point into, so a line's moment can be played; the words stay the script's
        (transcribing it would add a minute or two to ``make run``)."""
        if Meeting.objects.exists():
            self.stdout.write("Demo meeting already loaded.")
            return
        today = timezone.localdate()
        held = today - dt.timedelta(days=today.weekday() + 7)  # a Monday one to two weeks ago
        script = scripted.meeting(7, items=4, questions=2, variant="tune", date=held)
        committee = minutes_actions.create_committee(script.committee)
        meeting = minutes_actions.create_meeting(
            committee,
            script.date,
            agenda=[ParsedItem(title) for title in script.agenda],
            attendees=drafting.parse_attendees(script.attendees_text()),
            location="Demo: a scripted meeting, transcript typed from its script",
        )
        spoken = self._spoken(script)
        if spoken is None:
            minutes_actions.save_transcript(meeting, script.segments())
        else:
            upload, segments, seconds = spoken
            minutes_actions.add_transcribed_recording(meeting, upload, segments, duration=seconds)
        minutes_actions.build_draft(meeting)
        self.stdout.write(f"A demo meeting of the {committee.name} has draft minutes to review.")

    @staticmethod
    def _spoken(script):
        """(a WAV upload, segments timed on it, seconds) for the script spoken by synthetic voices, or
        None without the speech tools."""
        import tempfile
        from pathlib import Path

        from django.core.files.base import ContentFile

        from residenthub.minutes import synth

        try:
            audio, truth = synth.speak(script)
        except synth.SynthUnavailable:
            return None
        labels = {name: f"SPEAKER_{i}" for i, name in enumerate(script.speakers())}
        segments = [{**line, "speaker": labels[line["speaker"]]} for line in truth]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "demo-meeting.wav"
            synth.write_wav(path, audio)
            upload = ContentFile(path.read_bytes(), name="demo-meeting.wav")
        return upload, segments, len(audio) / synth.RATE

    def _foi_document(self):
        """An FOI request with a document waiting for its redaction review: the automatic pass has marked
        the names, addresses and phone number in a memo with a table; an officer decides every box."""
        if Document.objects.exists():
            self.stdout.write("Demo FOI document already loaded.")
            return
        loader = Actor.system("demo")
        request = foi_actions.log_request(
            kind=Kind.FOI,
            subject="Street light complaints in Riverside Close, 2026",
            body="Please send me the council's records of complaints about the street lights in Riverside "
            "Close since January 2026, and what was done about them.",
            requester_name="Amara Osei",
            requester_email="amara.osei@example.com",
            received_on=timezone.localdate() - dt.timedelta(days=9),
            by=loader,
        )
        foi_actions.add_document(request, "riverside-close-memo.pdf", memo_pdf(), by=loader)
        self.stdout.write(f"FOI request {request.reference} has a document waiting for its redaction review.")

    def _answer_past_requests(self):
        """Most past information requests and complaints answered, a few late, a few still overdue, so the
        queue and the on-time figures look like a working team's. Which ones stay overdue is fixed by each
        request's place among the past ones (by date received), so running again answers nothing more, and
        every demo has one in eight overdue and one in eight late."""
        admin = get_user_model().objects.get(username="admin")
        today = timezone.localdate()
        answered = 0
        past = InformationRequest.objects.filter(
            received_on__lte=today - dt.timedelta(days=25), documents__isnull=True
        ).order_by("received_on", "pk")
        for place, request in enumerate(past):
            if request.status not in OPEN_STATUSES:
                continue
            bucket = place % 8
            if bucket == 0:
                continue  # still overdue: the queue's first section has something in it
            slip = dt.timedelta(days=bucket + 2) if bucket == 1 else -dt.timedelta(days=bucket)
            on = min(request.due_date + slip, today)
            request = foi_actions.save_draft(
                request, "Thank you for your request. Our answer is attached.", by=admin
            )
            request = foi_actions.approve(foi_actions.submit_for_approval(request, by=admin), by=admin)
            foi_actions.respond(request, outcome="full", on=on, by=admin)
            answered += 1
        if answered:
            self.stdout.write(f"{answered} past information requests and complaints answered.")
