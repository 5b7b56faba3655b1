"""``hub redact detect IN.txt --json``, ``hub redact detect --jsonl IN.jsonl``,
``hub redact apply IN --out OUT``."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from residenthub.foi.redaction import documents
from residenthub.foi.redaction.detect import detect_many


class Command(BaseCommand):
    help = "Detect personal data in documents, or write a redacted copy with the text truly removed."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        detect = sub.add_parser("detect", help="print the spans found")
        detect.add_argument("path", nargs="?", help="a .txt, .pdf, .docx or .eml file")
        detect.add_argument("--json", action="store_true", help="print a JSON list of spans (the default)")
        detect.add_argument(
            "--jsonl", metavar="IN.jsonl", help='lines of {"id":..,"text":..}; one line out each'
        )
        detect.add_argument("--known-name", action="append", default=[], help="a name known to the case")
        apply = sub.add_parser("apply", help="write a redacted copy of a document")
        apply.add_argument("path")
        apply.add_argument("--out", required=True)
        apply.add_argument("--known-name", action="append", default=[])
        apply.add_argument("--reason", default="", help="the reason shown in each marker, e.g. s40_2")

    def handle(self, *args, **options):
        try:
            if options["action"] == "detect":
                self._detect(options)
            else:
                self._apply(options)
        except documents.DocumentError as exc:
            raise CommandError(str(exc)) from exc

    def _read(self, path: str) -> documents.Extracted:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        return documents.extract(file.name, file.read_bytes())

    def _detect(self, options):
        names = options["known_name"]
        if options["jsonl"]:
            self._detect_jsonl(options["jsonl"], names)
            return
        if not options["path"]:
            raise CommandError("Give a file to read, or --jsonl FILE.")
        text = self._read(options["path"]).text
        spans = detect_many([text], known_names=names)[0]
        self.stdout.write(json.dumps([s.as_dict() for s in spans], ensure_ascii=False))

    def _detect_jsonl(self, path: str, names):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        ids, texts = [], []
        with file.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    ids.append(item["id"])
                    texts.append(str(item["text"]))
                except (ValueError, KeyError, TypeError) as exc:
                    raise CommandError(f'{path} line {number}: expected {{"id": ..., "text": ...}}') from exc
        batch = 256
        for offset in range(0, len(texts), batch):
            chunk = detect_many(texts[offset : offset + batch], known_names=names)
            for item_id, spans in zip(ids[offset : offset + batch], chunk, strict=True):
                self.stdout.write(
                    json.dumps({"id": item_id, "spans": [s.as_dict() for s in spans]}, ensure_ascii=False)
                )

    def _apply(self, options):
        extracted = self._read(options["path"])
        spans = detect_many([extracted.text], known_names=options["known_name"])[0]
        redacted = documents.redact_text(extracted.text, [(s.start, s.end, options["reason"]) for s in spans])
        out_type = documents.output_type_for(extracted.file_type, options["out"])
        data = documents.render(redacted, out_type)
        documents.write_atomically(options["out"], data)
        counts: dict[str, int] = {}
        for span in spans:
            counts[span.entity_type] = counts.get(span.entity_type, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing found"
        self.stderr.write(f"Redacted {len(spans)} spans ({summary}); wrote {options['out']} ({out_type}).")
