"""Run one recorded caller utterance through the front door without a call (nothing is saved)."""

from __future__ import annotations

from django.db import transaction

from . import actions, dialog
from .models import Call
from .pipeline import understand


def simulate(audio) -> dict:
    heard = understand(audio)
    with transaction.atomic():
        call = actions.start_call(via=Call.Via.SIMULATOR)
        dialog.start(call)
        reply = dialog.hear(call, heard)
        transaction.set_rollback(True)  # a simulation leaves no call, callback or audit entry behind
    return {
        "transcript": heard.text,
        "service_code": heard.service_code,
        "confidence": round(heard.confidence, 4),
        "urgent": heard.urgent,
        "flags": heard.flag_dicts(),
        "reply": f"{reply.first[1]} {reply.say}" if reply.first else reply.say,  # as the caller hears it
        "action": reply.action,
        "language": heard.transcript.language,
    }
