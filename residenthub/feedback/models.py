""" "How did we do?": one question after a case closes, and the answers (insights reads them).
Written only by ``feedback.actions``."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class FeedbackRequest(models.Model):
    """The question was sent for this case (once), by this channel."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="feedback_request")
    channel = models.CharField(max_length=8)  # email, sms, post, none
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"feedback asked for case {self.case_id}"


class FeedbackResponse(models.Model):
    """A resident's answer: satisfaction 1 (very dissatisfied) to 5 (very satisfied) and a comment."""

    SCORES = [
        (5, "Very satisfied"),
        (4, "Satisfied"),
        (3, "Neither satisfied nor dissatisfied"),
        (2, "Dissatisfied"),
        (1, "Very dissatisfied"),
    ]

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="feedback")
    service = models.ForeignKey("services.Service", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(choices=SCORES)
    comment = models.TextField(blank=True)
    channel = models.CharField(max_length=8, help_text="How the question reached them.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="feedback_score_1_5")
        ]

    def __str__(self) -> str:
        return f"feedback {self.score} for case {self.case_id}"
