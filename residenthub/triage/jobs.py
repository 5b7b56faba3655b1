"""Retraining from what staff and residents taught us, kept only when it is better (ADR 0016, 0017).

Every message whose service became known (a resident picked a suggestion or another service, staff
routed it from the human triage queue, or staff re-routed its case) becomes a ``TrainingExample``,
and teaches the model only after a member of the triage team approved it.

``retrain_from_feedback`` trains a candidate on the committed training corpus plus four in five of
the approved examples, and scores both the candidate and the current model on the held-back split
(``data/real/calibration.csv``) plus the fifth of the approved examples, which the candidate never
sees. The candidate is recorded as a model version with its scores either way, and becomes the
active model only when its macro-F1 is higher. Celery beat runs it weekly; ``hub triage retrain``
runs it by hand; staff can roll back to any recorded version from the staff pages.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from celery import shared_task
from django.conf import settings

from . import evaluation
from . import model as triage_model
from .models import TrainingExample, TrainingReview

log = logging.getLogger(__name__)


@dataclass
class RetrainOutcome:
    feedback: int
    current_f1: float = 0.0
    candidate_f1: float = 0.0
    kept: bool = False
    version: str = ""
    error: str = ""

    def summary(self) -> str:
        if self.error:
            return f"Retraining failed: {self.error}"
        if not self.feedback:
            return "No approved examples to learn from; kept the current model."
        verdict = "kept the new model" if self.kept else "kept the current model"
        return (
            f"{self.feedback} approved examples; macro-F1 on the held-back set: "
            f"current {self.current_f1:.3f}, candidate {self.candidate_f1:.3f}; {verdict}."
        )


def feedback_examples() -> triage_model.Examples:
    """Approved examples only: a pending or rejected one never reaches training."""
    examples = triage_model.Examples()
    rows = TrainingExample.objects.filter(review=TrainingReview.APPROVED).values_list("text", "service__code")
    for text, code in rows.iterator():
        if text.strip():
            examples.add(text[:5000], code)
    return examples


def _held_back(text: str) -> bool:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % 5 == 0


def models_dir() -> Path:
    return Path(settings.VAR_DIR) / "triage" / "models"


def retrain_from_feedback(
    *, base: triage_model.Examples | None = None, held: triage_model.Examples | None = None
):
    """``base`` and ``held`` default to the committed corpus and its held-back split (tests pass
    small ones)."""
    from . import actions

    feedback = feedback_examples()
    outcome = RetrainOutcome(feedback=len(feedback))
    if not len(feedback):
        return outcome
    train = triage_model.Examples()
    train.extend(base if base is not None else triage_model.training_examples())
    check = triage_model.Examples()
    check.extend(held if held is not None else triage_model.calibration_examples())
    for text, label in zip(feedback.texts, feedback.labels, strict=True):
        (check if _held_back(text) else train).add(text, label)
    current = triage_model.get_model()
    try:
        candidate = triage_model.TriageModel.train(train, calibration=check)
    except triage_model.TrainingDataError as exc:
        outcome.error = str(exc)
        return outcome
    outcome.current_f1 = evaluation.evaluate(current, check).macro_f1
    outcome.candidate_f1 = evaluation.evaluate(candidate, check).macro_f1
    outcome.kept = outcome.candidate_f1 > outcome.current_f1
    candidate.scores.update(held_back_macro_f1=outcome.candidate_f1, replaced_macro_f1=outcome.current_f1)
    path = candidate.save(models_dir() / f"{candidate.version}.joblib")
    note = (
        "kept: better on the held-back set" if outcome.kept else "not kept: not better on the held-back set"
    )
    actions.record_model_version(candidate, path, source="retrained", activate=outcome.kept, note=note)
    outcome.version = candidate.version
    log.info(outcome.summary())
    return outcome


@shared_task(name="triage.retrain")
def retrain_task():
    """Celery beat runs this weekly (``CELERY_BEAT_SCHEDULE``, see docs/triage.md)."""
    return retrain_from_feedback().summary()
