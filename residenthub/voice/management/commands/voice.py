"""``hub voice simulate CALL.wav [--json]``, ``hub voice agent`` (the SIP user agent),
``hub voice purge`` (recordings past their retention date)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from residenthub.speech import AudioError, ModelUnavailable


class Command(BaseCommand):
    help = "The phone front door."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sim = sub.add_parser("simulate", help="Run a recorded caller utterance through the pipeline")
        sim.add_argument("audio")
        sim.add_argument("--json", action="store_true")
        agent = sub.add_parser("agent", help="Register to the SIP server and answer calls")
        agent.add_argument(
            "--seconds", type=float, default=0, help="stop after this long (0: run until killed)"
        )
        sub.add_parser("purge", help="Delete call recordings past their retention date")

    def handle(self, *args, **options):
        if options["action"] == "simulate":
            from residenthub.voice.simulate import simulate

            try:
                result = simulate(options["audio"])
            except (AudioError, ModelUnavailable) as exc:
                raise CommandError(str(exc)) from exc
            if options["json"]:
                keys = ("transcript", "service_code", "confidence", "urgent", "flags", "reply")
                self.stdout.write(json.dumps({k: result[k] for k in keys}, ensure_ascii=False, indent=2))
                return
            self.stdout.write(f"Heard:    {result['transcript'] or '(nothing)'}")
            self.stdout.write(f"Service:  {result['service_code'] or '(none)'} ({result['confidence']:.0%})")
            flags = ", ".join(f["category"] for f in result["flags"]) or "none"
            self.stdout.write(f"Urgent:   {'yes' if result['urgent'] else 'no'} (flags: {flags})")
            self.stdout.write(f"Reply:    {result['reply']}")
        elif options["action"] == "agent":
            from residenthub.voice.sip import run_agent

            run_agent(seconds=options["seconds"] or None, log=self.stdout.write)
        else:
            from residenthub.voice.actions import purge_recordings

            self.stdout.write(f"{purge_recordings()} recording(s) deleted")
