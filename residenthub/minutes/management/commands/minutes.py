"""``hub minutes transcribe AUDIO --out T.json`` and ``hub minutes draft T.json --out M.json``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Meeting minutes, offline: transcribe a recording; draft minutes from a transcript."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        t = sub.add_parser(
            "transcribe", help="Recording (WAV, MP3, M4A, MP4) to transcript JSON with speakers"
        )
        t.add_argument("audio")
        t.add_argument("--out", required=True)
        t.add_argument("--speakers", type=int, default=None, help="most speakers to expect (attendance)")
        t.add_argument("--no-speakers", action="store_true", help="skip telling speakers apart")
        t.add_argument("--agenda", help="agenda file (TXT, DOCX, PDF): its titles help the recogniser")
        t.add_argument("--attendees", help="attendance list, as for draft: the names help the recogniser")
        d = sub.add_parser("draft", help="Transcript JSON (or plain text) to draft minutes")
        d.add_argument("transcript")
        d.add_argument("--agenda", help="agenda file: TXT, DOCX or PDF")
        d.add_argument("--attendees", help="one a line: name, role[, job title]; 'Apologies:' then absent")
        d.add_argument("--date", help="meeting date YYYY-MM-DD (for due dates like 'within two weeks')")
        d.add_argument("--committee", default="")
        d.add_argument("--out", required=True)
        d.add_argument("--format", choices=["json", "md", "docx", "pdf"], default="json")
        sub.add_parser(
            "train-detector", help="Retrain the decision/action classifier from data/train_okfn.csv"
        )

    def handle(self, *args, **options):
        getattr(self, f"_{options['subcommand'].replace('-', '_')}")(options)

    def _train_detector(self, options):
        from residenthub.minutes import training

        training.train()
        self.stdout.write(f"written {training.DATA_DIR / 'detector.joblib'}")

    def _transcribe(self, options):
        from residenthub.minutes.transcription import RecordingError, hotwords_for, transcribe_file

        if not Path(options["audio"]).is_file():
            raise CommandError(f"{options['audio']}: no such file")
        titles = self._titles(options)
        people = self._attendees(options)
        names = [a.name for a in people]
        try:
            result = transcribe_file(
                options["audio"],
                hotwords=hotwords_for(names, titles) if names or titles else None,
                attendees=options["speakers"] or (sum(1 for a in people if a.present) or None),
                diarize=not options["no_speakers"],
                progress=lambda pct, stage: self.stderr.write(f"{pct:3d}% {stage}"),
            )
        except RecordingError as exc:
            raise CommandError(str(exc)) from exc
        Path(options["out"]).write_text(json.dumps(result, indent=1), encoding="utf-8")
        speakers = len({s["speaker"] for s in result["segments"]})
        self.stdout.write(
            f"{len(result['segments'])} segments, {speakers} speaker(s), {result['duration']:.0f} s -> {options['out']}"  # noqa: E501
        )

    def _titles(self, options) -> list[str]:
        from residenthub.minutes import agenda

        if not options["agenda"]:
            return []
        path = Path(options["agenda"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            return [item.title for item in agenda.parse_document(path.name, path.read_bytes())]
        except agenda.AgendaError as exc:
            raise CommandError(f"{path}: {exc}") from exc

    def _attendees(self, options) -> list:
        from residenthub.minutes import drafting

        if not options["attendees"]:
            return []
        path = Path(options["attendees"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        return drafting.parse_attendees(path.read_text(encoding="utf-8"))

    def _draft(self, options):
        from residenthub.minutes import drafting, render

        source = Path(options["transcript"])
        if not source.is_file():
            raise CommandError(f"{source}: no such file")
        raw = source.read_text(encoding="utf-8")
        if source.suffix.lower() == ".json":
            try:
                segments = json.loads(raw)["segments"]
                assert isinstance(segments, list)
            except (ValueError, KeyError, TypeError, AssertionError) as exc:
                raise CommandError(f'{source}: not a transcript ({{"segments": [...]}} expected)') from exc
        else:
            segments = drafting.text_as_segments(raw)
        titles = self._titles(options)
        attendees = self._attendees(options)
        date = None
        if options["date"]:
            try:
                date = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date must be YYYY-MM-DD") from exc
        result = drafting.draft(segments, titles, attendees, meeting_date=date)
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        out = Path(options["out"])
        fmt = options["format"]
        if fmt == "json":
            out.write_text(json.dumps(result.as_json(), indent=1), encoding="utf-8")
        else:
            doc = render.from_draft(result, committee=options["committee"], date=date)
            if fmt == "md":
                out.write_text(render.markdown(doc), encoding="utf-8")
            else:
                out.write_bytes(render.docx(doc) if fmt == "docx" else render.pdf(doc))
        decisions = sum(len(i.decisions) for i in result.items)
        acts = sum(len(i.actions) for i in result.items)
        self.stdout.write(
            f"{len(result.items)} item(s), {decisions} resolution(s), {acts} action(s) -> {out}"
        )
