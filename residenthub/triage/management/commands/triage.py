"""``hub triage classify IN.csv --out OUT.csv``, ``hub triage train FILE.csv``,
``hub triage evaluate FILE.csv``, ``hub triage retrain`` (from staff re-routings) and
``hub triage index [FOLDER]`` (the search index of the council's pages), ``hub triage gate``
(the general-chatter gate, ADR 0134) and ``hub triage vulnerability`` (the learned vulnerability
check, ADR 0135)."""

from __future__ import annotations

import csv
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from residenthub.services.models import Service


class Command(BaseCommand):
    help = "The AI front door: classify a CSV of messages, train the model, evaluate it."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        classify = sub.add_parser("classify", help="Triage the 'text' column of a CSV file.")
        classify.add_argument("input")
        classify.add_argument("--out", required=True, help="Where to write the CSV with the results.")
        train = sub.add_parser(
            "train", help="Train from the committed real-data corpus (plus FILE.csv: text,service_code)."
        )
        train.add_argument("file", nargs="?", help="The council's own labelled history (optional).")
        train.add_argument("--no-seed", action="store_true", help="Train from FILE.csv alone.")
        train.add_argument(
            "--full",
            action="store_true",
            help="Retrain even when the shipped model was trained on exactly the committed data.",
        )
        train.add_argument(
            "--ship", action="store_true", help="Also write it as the shipped model (maintainers)."
        )
        evaluate = sub.add_parser("evaluate", help="Accuracy, macro-F1 and confusion matrix on FILE.csv.")
        evaluate.add_argument("file")
        sub.add_parser("retrain", help="Retrain with staff re-routings; keep the new model only if better.")
        index = sub.add_parser("index", help="Index a folder of the council's pages (Markdown or HTML).")
        index.add_argument("folder", nargs="?", help="Default: TRIAGE_PAGES_DIR, else the demo pages.")
        sub.add_parser(
            "gate",
            help="Refit the general-chatter gate and choose its bar leaving one place out (maintainers).",
        )
        sub.add_parser(
            "vulnerability",
            help="Refit the learned vulnerability check on the annotated sets; bar chosen leaving one "
            "place out (maintainers).",
        )

    def handle(self, *args, subcommand, **options):
        getattr(self, f"_{subcommand}")(**options)

    # --- classify ---------------------------------------------------------------------------------

    def _classify(self, input, out, **_options):
        from residenthub.triage import engine

        try:
            handle = open(input, encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {input}: {exc.strerror}") from None
        with handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "text" not in reader.fieldnames:
                raise CommandError(f"{input} has no 'text' column")
            rows = list(reader)
        lgsl = dict(Service.objects.values_list("code", "lgsl_id"))
        added = ["service_code", "lgsl_code", "confidence", "language", "flags"]
        fields = [f for f in reader.fieldnames if f not in added] + added
        try:
            target = open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror}") from None
        with target:
            writer = csv.DictWriter(target, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                result = engine.analyse(row.get("text") or "")
                code = result.best.code if result.outcome == "suggested" and result.best else ""
                row.update(
                    service_code=code,
                    lgsl_code=lgsl.get(code, "") if code else "",
                    confidence=f"{result.confidence:.3f}",
                    language=result.language.code,
                    flags=";".join(f.category for f in result.flags),
                )
                writer.writerow(row)
        self.stdout.write(f"Classified {len(rows)} messages into {out}")

    # --- gate -------------------------------------------------------------------------------------

    def _gate(self, **_options):
        from residenthub.triage import gate

        started = time.perf_counter()
        try:
            fitted = gate.train()
        except (OSError, gate.GateError) as exc:
            raise CommandError(str(exc)) from None
        path = fitted.save(gate.GATE_FILE)
        scores = fitted.scores
        self.stdout.write(
            f"Gate written to {path} in {time.perf_counter() - started:.1f} s: bar {fitted.bar:.3f}; "
            f"out of place, routed civic reports {scores['civic_routed_without_gate']:.1%} -> "
            + next(f"{r['civic_routed']:.1%}" for r in scores["curve"] if r["bar"] == fitted.bar)
        )

    # --- vulnerability ----------------------------------------------------------------------------

    def _vulnerability(self, **_options):
        from residenthub.triage import vulnerability

        started = time.perf_counter()
        try:
            fitted = vulnerability.train()
        except (OSError, vulnerability.CheckError) as exc:
            raise CommandError(str(exc)) from None
        path = fitted.save(vulnerability.CHECK_FILE)
        vulnerability.set_check(fitted)
        chosen = fitted.scores["left_out"]
        self.stdout.write(
            f"Vulnerability check written to {path} in {time.perf_counter() - started:.1f} s: bar "
            f"{fitted.bar:.2f}; leaving one place out, recall {chosen['recall']:.3f}, precision "
            f"{chosen['precision']:.3f}, {chosen['flagged']:.1%} of annotated messages flagged"
        )

    # --- train ------------------------------------------------------------------------------------

    def _train(self, file=None, no_seed=False, full=False, ship=False, **_options):
        import shutil

        from residenthub.triage import actions, jobs
        from residenthub.triage import model as triage_model

        started = time.perf_counter()
        if not file and not full and not ship:
            shipped = triage_model.TriageModel.load(triage_model.SHIPPED_MODEL)
            if shipped is not None and shipped.fingerprint == triage_model.corpus_fingerprint():
                # Training is deterministic from the committed data; the shipped file is its result.
                path = jobs.models_dir() / f"{shipped.version}.joblib"
                path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(triage_model.SHIPPED_MODEL, path)
                actions.record_model_version(
                    shipped, path, source="shipped", activate=True, note="trained on the committed corpus"
                )
                self.stdout.write(
                    f"The shipped model ({shipped.version}) was trained on exactly the committed data; "
                    f"installed it in {time.perf_counter() - started:.1f} s (--full retrains)"
                )
                return
        known = set(Service.objects.values_list("code", flat=True))
        examples = triage_model.Examples() if no_seed else triage_model.training_examples()
        if file:
            try:
                extra, problems = triage_model.read_labelled(file, known_codes=known or None)
            except (OSError, triage_model.TrainingDataError) as exc:
                raise CommandError(f"{file}: {exc}") from None
            for problem in problems[:20]:
                self.stderr.write(f"{file}: {problem} (skipped)")
            examples.extend(extra)
        if not examples:
            raise CommandError("nothing to train on")
        if no_seed:
            # Everything from the council's file: one in five of its messages is held back to
            # choose the weights and the bar, and never fitted on.
            examples, calibration = triage_model.split_held_back(examples)
        else:
            calibration = triage_model.calibration_examples()
        # On the committed corpus, the weights and the bar are chosen leaving one source out (ADR 0131).
        folds = triage_model.source_folds() if not file and not no_seed else None
        try:
            model = triage_model.TriageModel.train(examples, calibration=calibration, folds=folds)
        except triage_model.TrainingDataError as exc:
            raise CommandError(str(exc)) from None
        if not file and not no_seed:
            model.fingerprint = triage_model.corpus_fingerprint()
        path = model.save(jobs.models_dir() / f"{model.version}.joblib")
        if ship:
            model.save(triage_model.SHIPPED_MODEL)
        actions.record_model_version(model, path, source="trained", activate=True, note=file or "")
        self.stdout.write(
            f"Trained on {len(examples)} examples ({len(set(examples.labels))} labels) in "
            f"{time.perf_counter() - started:.1f} s; version {model.version}; weights {model.weights}; "
            f"confidence bar {model.confident:.2f} (calibrated on "
            f"{model.scores.get('calibration', 'the held-back split')})"
        )

    # --- evaluate ---------------------------------------------------------------------------------

    def _evaluate(self, file, **_options):
        from residenthub.triage import engine, evaluation
        from residenthub.triage import model as triage_model

        try:
            examples, problems = triage_model.read_labelled(file)
        except (OSError, triage_model.TrainingDataError) as exc:
            raise CommandError(f"{file}: {exc}") from None
        for problem in problems[:20]:
            self.stderr.write(f"{file}: {problem} (skipped)")
        if not examples:
            raise CommandError(f"{file} has no labelled rows")
        scores = evaluation.evaluate(
            triage_model.get_model(), examples, threshold=engine.confident_threshold()
        )
        self.stdout.write(f"Messages: {scores.total}")
        self.stdout.write(f"Accuracy: {scores.accuracy:.3f}")
        self.stdout.write(f"Macro-F1: {scores.macro_f1:.3f}")
        self.stdout.write(scores.confusion_text())

    # --- retrain ----------------------------------------------------------------------------------

    def _retrain(self, **_options):
        from residenthub.triage import jobs

        outcome = jobs.retrain_from_feedback()
        self.stdout.write(outcome.summary())
        if outcome.error:
            sys.exit(1)

    # --- index ------------------------------------------------------------------------------------

    def _index(self, folder=None, **_options):
        from residenthub.triage import answers

        started = time.perf_counter()
        try:
            index, problems = answers.build_index(folder)
        except answers.PageError as exc:
            raise CommandError(f"{exc}; the current index is unchanged") from None
        for problem in problems:
            self.stderr.write(problem)
        try:
            path = index.save()
        except OSError as exc:
            raise CommandError(f"cannot write {answers.index_path()}: {exc.strerror}") from None
        answers.set_index(index)
        self.stdout.write(
            f"Indexed {len(index.pages)} pages ({index.n} passages) from {index.source} in "
            f"{time.perf_counter() - started:.2f} s; saved to {path}"
        )
