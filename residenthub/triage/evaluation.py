"""Scoring a model on labelled messages: accuracy, macro-F1, the confusion matrix, urgency recall."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import OFF_TOPIC, Examples, TriageModel


@dataclass
class Scores:
    total: int
    accuracy: float
    macro_f1: float
    labels: list[str] = field(default_factory=list)
    matrix: list[list[int]] = field(default_factory=list)

    def confusion_text(self, width: int = 6) -> str:
        """The confusion matrix as text: rows are the true service, columns the predicted one."""
        index = {label: f"{i + 1}" for i, label in enumerate(self.labels)}
        lines = ["Confusion matrix (rows: true service; columns: predicted, by number)"]
        lines += [f"{index[label]:>3}  {label}" for label in self.labels]
        header = " " * 4 + "".join(f"{index[label]:>{width}}" for label in self.labels)
        lines.append(header)
        for label, row in zip(self.labels, self.matrix, strict=True):
            lines.append(f"{index[label]:>3} " + "".join(f"{n:>{width}}" for n in row))
        return "\n".join(lines)


def predicted_labels(model: TriageModel, texts: list[str], *, threshold: float) -> list[str]:
    """The label the front door acts on: the best service when confident enough, else "none"."""
    predicted = []
    for top in model.predict_many(texts, top=1):
        best = top[0]
        predicted.append(best.code if best.code != OFF_TOPIC and best.confidence >= threshold else OFF_TOPIC)
    return predicted


def score(gold: list[str], predicted: list[str]) -> Scores:
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    labels = sorted(set(gold) | set(predicted))
    in_scope = sorted(set(gold) - {OFF_TOPIC}) or labels
    return Scores(
        total=len(gold),
        accuracy=float(accuracy_score(gold, predicted)),
        macro_f1=float(f1_score(gold, predicted, average="macro", labels=in_scope, zero_division=0)),
        labels=labels,
        matrix=confusion_matrix(gold, predicted, labels=labels).tolist(),
    )


def evaluate(model: TriageModel, examples: Examples, *, threshold: float = 0.0) -> Scores:
    return score(examples.labels, predicted_labels(model, examples.texts, threshold=threshold))
