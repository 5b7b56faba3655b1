"""``hub speech transcribe AUDIO [--json] [--language xx] [--no-vad]``."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from residenthub.speech import AudioError, ModelUnavailable, transcribe


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours:02d}:{minutes:02d}:{rest:06.3f}"


class Command(BaseCommand):
    help = "Speech to text with the configured engine."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("transcribe", help="Transcribe an audio file (WAV, MP3, M4A, OGG, MP4)")
        run.add_argument("audio")
        run.add_argument("--json", action="store_true", help="print JSON (text, language, segments)")
        run.add_argument("--language", default=None, help="ISO 639-1 code; detected when omitted")
        run.add_argument("--no-vad", action="store_true", help="do not skip non-speech first")

    def handle(self, *args, **options):
        try:
            result = transcribe(options["audio"], language=options["language"], vad=not options["no_vad"])
        except (AudioError, ModelUnavailable) as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        for seg in result.segments:
            self.stdout.write(f"[{_clock(seg.start)} --> {_clock(seg.end)}] {seg.text}")
        if not result.segments:
            self.stdout.write("(no speech heard)")
        language = f"{result.language} ({result.language_probability:.0%})"
        self.stdout.write(f"-- language {language}, {result.duration:.1f} s of audio")
