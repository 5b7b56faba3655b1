"""Calls to the phone front door and the staff callback list.

A ``Call`` is one conversation (SIP, a telephony webhook or the simulator); its ``turns`` are what
each side said, its ``state`` is where the conversation is. A caller who needs a person, or who
could not be helped, gets a ``Callback`` on the staff list, urgent and vulnerable callers first.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from residenthub.core.models import TimeStampedModel


class Call(TimeStampedModel):
    class Via(models.TextChoices):
        SIP = "sip", "SIP"
        WEBHOOK = "webhook", "Telephony webhook"
        SIMULATOR = "simulator", "Simulator"

    class Outcome(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        CASE_CREATED = "case_created", "Report taken"
        CALLBACK = "callback", "Callback booked"
        TRANSFERRED = "transferred", "Transferred"
        EMERGENCY = "emergency", "Emergency numbers given"
        ANSWERED = "answered", "Question answered"
        ABANDONED = "abandoned", "Caller hung up"
        CUT_OFF = "cut_off", "Cut off (too long)"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    via = models.CharField(max_length=12, choices=Via.choices)
    call_id = models.CharField(max_length=200, blank=True, db_index=True)  # SIP Call-ID or CallSid
    caller = models.CharField(max_length=40, blank=True)  # the caller's number, when presented
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    state = models.JSONField(default=dict)
    turns = models.JSONField(default=list)  # [{"who": "caller"|"hub", "text": ..., "at": seconds}]
    language = models.CharField(max_length=8, blank=True)
    service = models.ForeignKey(
        "services.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confidence = models.FloatField(default=0.0)
    flags = models.JSONField(default=list)
    urgent = models.BooleanField(default=False)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recording = models.CharField(max_length=300, blank=True)  # path under VOICE_RECORDING_DIR
    recording_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Call {self.token}"

    @property
    def transcript(self) -> str:
        return "\n".join(f"{t['who']}: {t['text']}" for t in self.turns)

    @property
    def caller_words(self) -> str:
        return " ".join(t["text"] for t in self.turns if t["who"] == "caller")


class Callback(TimeStampedModel):
    """A caller to ring back. ``rank`` orders the list: 0 emergency/urgent, 1 vulnerable, 2 the rest."""

    class Reason(models.TextChoices):
        URGENT = "urgent", "Emergency numbers given"
        VULNERABLE = "vulnerable", "Vulnerable caller"
        DISTRESS = "distress", "Caller in distress"
        INTERPRETER = "interpreter", "Needs an interpreter"
        NOT_UNDERSTOOD = "not_understood", "Could not understand the caller"
        HUNG_UP = "hung_up", "Hung up before the report was finished"
        ASKED = "asked", "Asked to speak to a person"
        CANNOT_TAKE = "cannot_take", "Report cannot be taken by phone"
        CUT_OFF = "cut_off", "Call was too long"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        DONE = "done", "Called back"
        NO_ANSWER = "no_answer", "No answer"

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="callback")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    detail = models.CharField(max_length=300, blank=True)  # shown to staff: the phrase that triggered it
    rank = models.PositiveSmallIntegerField(default=2, db_index=True)
    language = models.CharField(max_length=8, blank=True)
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restricted = models.BooleanField(default=False)  # a restricted service: only its team sees it
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The number the caller gave for the callback when theirs was withheld or cannot be rung (E.164).
    number = models.CharField(max_length=20, blank=True)
    # Rung without an answer: the callback stays on the list until VOICE_CALLBACK_ATTEMPTS tries.
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["rank", "created_at"]

    def __str__(self) -> str:
        return f"Callback for {self.call}"
