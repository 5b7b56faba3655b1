"""``hub redact detect IN.txt --json``, ``hub redact detect --jsonl IN.jsonl``,
``hub redact apply IN --out OUT [--reason s40_2]`` (PDF, DOCX, TXT, EML).

``apply`` is the automatic pass alone, for trying the detector on files: what goes to a requester or the
disclosure log goes through the officer's page-by-page review on the staff pages."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from residenthub.foi.redaction import documents, docx_redact
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
        apply.add_argument(
            "--reason", default="s40_2", help="the exemption shown on each box or marker (default s40_2)"
        )

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
                out = [
                    {"start": s.start, "end": s.end, "entity_type": s.entity_type, "score": s.score}
                    for s in spans
                ]
                self.stdout.write(json.dumps({"id": item_id, "spans": out}, ensure_ascii=False))

    def _apply(self, options):
        from residenthub.foi.models import EXEMPTION_CODES

        reason = options["reason"]
        if reason and reason not in EXEMPTION_CODES:
            raise CommandError(
                f"Unknown exemption {reason!r}; use one of: {', '.join(sorted(EXEMPTION_CODES))}."
            )
        file = Path(options["path"])
        if not file.is_file():
            raise CommandError(f"{options['path']}: no such file")
        data = file.read_bytes()
        extracted = documents.extract(file.name, data)
        spans = detect_many(extracted.text.split(documents.PAGE_BREAK), known_names=options["known_name"])
        flat, offset = [], 0
        for page_text, page_spans in zip(extracted.text.split(documents.PAGE_BREAK), spans, strict=True):
            flat += [(s.start + offset, s.end + offset, reason, s.entity_type) for s in page_spans]
            offset += len(page_text) + 1
        out_type = documents.output_type_for(extracted.file_type, options["out"])
        data, out_type = documents.redact_file(
            file.name, data, extracted, [(s, e, r) for s, e, r, _ in flat], out_type=out_type
        )
        documents.write_atomically(options["out"], data)
        counts: dict[str, int] = {}
        for *_, kind in flat:
            counts[kind] = counts.get(kind, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing found"
        low = [str(p["page"]) for p in extracted.page_info() if p.get("low_confidence")]
        note = f" Low OCR confidence on page(s) {', '.join(low)}: check them by eye." if low else ""
        fallback = (
            " The PDF could not be opened as it is, so it was rebuilt from its text."
            if extracted.fallback
            else ""
        )
        unread = 0
        if extracted.file_type == "docx":
            total = docx_redact.image_count(file.read_bytes(), file.name)
            unread = total - docx_redact.pictures_read(extracted.text)
        images = (
            f" {unread} picture(s) had no words to read and are kept as they are: check them by eye."
            if unread and out_type == "docx"
            else ""
        )
        wrote = f"Redacted {len(flat)} spans ({summary}); wrote {options['out']} ({out_type})."
        self.stderr.write(f"{wrote}{note}{fallback}{images}")
