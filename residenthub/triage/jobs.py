"""Retraining from what staff and residents taught us.

Every message whose service became known (a resident picked a suggestion or another service,
staff routed it from the human triage queue, or staff re-routed its case) is a labelled example.
``retrain_from_feedback`` trains a candidate on the seed corpus plus those examples and keeps it
only if it scores better (macro-F1) than the current model on a held-back set: the shipped test
set plus one in five of the new examples, which the candidate never sees. Scheduled weekly by
Celery beat (see docs/triage.md), or run by hand with ``hub triage retrain``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from celery import shared_task
from django.apps import apps

from . import evaluation
from . import model as triage_model
from .models import Resolution, TriageRecord

log = logging.getLogger(__name__)


@dataclass
class RetrainOutcome:
    feedback: int
    current_f1: float = 0.0
    candidate_f1: float = 0.0
    kept: bool = False
    error: str = ""

    def summary(self) -> str:
        if self.error:
            return f"Retraining failed: {self.error}"
        verdict = "kept the new model" if self.kept else "kept the current model"
        return (
            f"{self.feedback} labelled messages from feedback; macro-F1 on the held-back set: "
            f"current {self.current_f1:.3f}, candidate {self.candidate_f1:.3f}; {verdict}."
        )


def feedback_examples() -> triage_model.Examples:
    examples = triage_model.Examples()
    labelled = TriageRecord.objects.filter(
        chosen_service__isnull=False,
        resolution__in=[Resolution.ACCEPTED, Resolution.CHANGED, Resolution.REROUTED],
    ).values_list("text", "translated_text", "chosen_service__code")
    for text, translated, code in labelled.iterator():
        if (translated or text).strip():
            examples.add((translated or text)[:5000], code)
    try:
        reroute = apps.get_model("cases", "Reroute")  # staff re-routings of cases (back office)
    except LookupError:
        reroute = None
    if reroute is not None:
        for text, code in reroute.objects.values_list("text", "to_service__code").iterator():
            if text and text.strip():
                examples.add(text[:5000], code)
    return examples


def _held_back(text: str) -> bool:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % 5 == 0


def retrain_from_feedback() -> RetrainOutcome:
    feedback = feedback_examples()
    train, held = triage_model.seed_examples(), triage_model.Examples()
    for text, label in zip(feedback.texts, feedback.labels, strict=True):
        (held if _held_back(text) else train).add(text, label)
    shipped, _problems = triage_model.read_labelled(triage_model.TEST_FILE)
    held.extend(shipped)
    outcome = RetrainOutcome(feedback=len(feedback))
    if not len(feedback):
        outcome.current_f1 = outcome.candidate_f1 = evaluation.evaluate(
            triage_model.get_model(), held
        ).macro_f1
        return outcome
    try:
        candidate = triage_model.TriageModel.train(train)
    except triage_model.TrainingDataError as exc:
        outcome.error = str(exc)
        return outcome
    outcome.current_f1 = evaluation.evaluate(triage_model.get_model(), held).macro_f1
    outcome.candidate_f1 = evaluation.evaluate(candidate, held).macro_f1
    if outcome.candidate_f1 > outcome.current_f1:
        candidate.save()
        triage_model.set_model(candidate)
        outcome.kept = True
    log.info(outcome.summary())
    return outcome


@shared_task(name="triage.retrain")
def retrain_task():
    """Celery beat runs this weekly (``CELERY_BEAT_SCHEDULE``, see docs/triage.md)."""
    return retrain_from_feedback().summary()
