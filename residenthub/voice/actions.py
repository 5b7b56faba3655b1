"""The only writers of calls and callbacks: each change in one transaction with its audit entry.

Nothing personal goes into audit details or logs (no words the caller said, no number).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from residenthub.accounts.models import Team
from residenthub.cases import actions as case_actions
from residenthub.cases.models import Case, Channel, NotifyBy, Priority
from residenthub.core import audit
from residenthub.core.validators import normalise_uk_phone
from residenthub.services.models import Service

from .models import Call, Callback

log = logging.getLogger(__name__)


class VoiceError(Exception):
    """An action that cannot be done; the message is for the member of staff."""


def _elapsed(call: Call) -> float:
    return round((timezone.now() - call.created_at).total_seconds(), 2)


def start_call(*, via: str, call_id: str = "", caller: str = "") -> Call:
    with transaction.atomic():
        call = Call.objects.create(via=via, call_id=call_id[:200], caller=(caller or "")[:40])
        audit.record("voice.call_started", call, actor_label="phone", detail={"via": via})
    return call


def say(call: Call, text: str) -> None:
    call.turns = [*call.turns, {"who": "hub", "text": text, "at": _elapsed(call)}]
    call.save(update_fields=["turns", "state", "updated_at"])


def heard(call: Call, understanding) -> None:
    """Keep what the caller said and what triage made of it (the strongest flags win)."""
    text = understanding.text or "(silence)"
    call.turns = [*call.turns, {"who": "caller", "text": text, "at": _elapsed(call)}]
    if understanding.transcript.segments:
        call.language = understanding.transcript.language[:8]
    flags = {(f["category"], f.get("phrase", "")): f for f in [*call.flags, *understanding.flag_dicts()]}
    call.flags = list(flags.values())
    call.urgent = call.urgent or understanding.urgent
    call.save(update_fields=["turns", "language", "flags", "urgent", "state", "updated_at"])


def set_service(call: Call, service: Service, confidence: float) -> None:
    call.service = service
    call.confidence = round(float(confidence), 4)
    call.save(update_fields=["service", "confidence", "state", "updated_at"])


def set_outcome(call: Call, outcome: str) -> None:
    call.outcome = outcome
    call.save(update_fields=["outcome", "state", "updated_at"])


def _callback_team(call: Call) -> Team | None:
    if call.service_id:
        return call.service.team
    return Team.objects.filter(slug__in=settings.VOICE_TEAMS).order_by("pk").first()


def book_callback(
    call: Call, *, reason: str, detail: str = "", rank: int = 2, final: bool = True
) -> Callback:
    """Put the caller on the staff callback list (or move them up it). ``rank`` 0 comes first.

    ``final``: the call ends with this callback (its outcome becomes "callback" unless a stronger
    outcome, an emergency, is already set)."""
    with transaction.atomic():
        existing = Callback.objects.select_for_update().filter(call=call).first()
        team = _callback_team(call)
        restricted = bool(call.service_id and call.service.restricted)
        if existing is None:
            callback = Callback.objects.create(
                call=call,
                reason=reason,
                detail=detail[:300],
                rank=rank,
                language=call.language,
                team=team,
                restricted=restricted,
            )
        else:
            callback = existing
            if rank < callback.rank:  # a more urgent reason replaces a lesser one
                callback.rank, callback.reason, callback.detail = rank, reason, detail[:300]
            callback.team = callback.team or team
            callback.restricted = callback.restricted or restricted
            callback.language = call.language or callback.language
            callback.save()
        if final and call.outcome == Call.Outcome.IN_PROGRESS:
            call.outcome = Call.Outcome.CALLBACK
        call.save(update_fields=["outcome", "state", "updated_at"])
        audit.record(
            "voice.callback_booked", callback, actor_label="phone", detail={"reason": reason, "rank": rank}
        )
    return callback


def record_callback_number(call: Call, number: str) -> Callback:
    """Keep the number a caller whose own number was withheld gave for their callback."""
    with transaction.atomic():
        callback = Callback.objects.select_for_update().get(call=call)
        callback.number = number
        callback.save(update_fields=["number", "updated_at"])
        audit.record("voice.callback_number_given", callback, actor_label="phone")
    return callback


def mobile_number(number: str) -> str | None:
    return normalise_uk_phone(number, mobile_only=True) if number else None


def take_report(call: Call, *, sms: bool) -> Case:
    """Create the case from the confirmed answers, in one transaction (create_case's own)."""
    service = Service.objects.get(code=call.state["service"])
    answers = dict(call.state.get("answers", {}))
    description = next(
        (q for q in service.form.questions if q.type == "textarea" and q.name not in answers), None
    )
    if description is not None and description.show_if is None and call.state.get("problem_text"):
        answers[description.name] = call.state["problem_text"][: description.max_length or 10_000]
    phone = mobile_number(call.caller) if sms else None
    contact = case_actions.Contact(phone=phone or "", notify_by=NotifyBy.SMS if phone else NotifyBy.NONE)
    case = case_actions.create_case(
        service=service,
        answers=answers,
        contact=contact,
        channel=Channel.PHONE_AUTOMATED,
        channel_detail=f"call {call.token}",
        priority=Priority.URGENT if call.urgent else Priority.NORMAL,
        submission_key=f"voice-call-{call.token}",
        language=call.language or "en",
    )
    with transaction.atomic():
        call.case = case
        if call.outcome == Call.Outcome.IN_PROGRESS:
            call.outcome = Call.Outcome.CASE_CREATED
        call.state = {**call.state, "step": "done"}
        call.save(update_fields=["case", "outcome", "state", "updated_at"])
        Callback.objects.filter(call=call, status=Callback.Status.WAITING).update(case=case)
        audit.record("voice.report_taken", call, actor_label="phone", detail={"case": case.reference})
    return case


# Where in the dialogue the caller went, for the staff who ring back (never the caller's words).
_HUNG_UP_AT = {
    "confirm": "Hung up before saying whether the service suggested was right",
    "question": "Hung up when asked: {question}",
    "confirm_answer": "Hung up before confirming the answer to: {question}",
    "sms": "Hung up at the end, before the report was sent",
}


def _hung_up_detail(call: Call) -> str:
    step = call.state.get("step", "")
    name = call.state.get("question", "")
    question = call.service.form.question(name) if call.service_id and name else None
    text = _HUNG_UP_AT.get(step, "Hung up during the call")
    return text.format(question=question.label if question else "a question about the report")


def hung_up(call: Call) -> None:
    """The caller went before the end. Answers stay on the call only; a callback if they needed us."""
    if call.ended_at:
        return
    with transaction.atomic():
        mid_report = call.outcome == Call.Outcome.IN_PROGRESS and call.state.get("step") in {
            "confirm", "question", "confirm_answer", "sms",
        }  # fmt: skip
        if mid_report or (call.outcome == Call.Outcome.IN_PROGRESS and call.urgent):
            book_callback(
                call,
                reason=Callback.Reason.HUNG_UP,
                detail=_hung_up_detail(call),
                rank=1 if call.urgent else 2,
                final=False,
            )
        if call.outcome == Call.Outcome.IN_PROGRESS:
            call.outcome = Call.Outcome.ABANDONED
        end_call(call)


def end_call(call: Call) -> None:
    if call.ended_at:
        return
    call.ended_at = timezone.now()
    call.save(update_fields=["ended_at", "outcome", "state", "updated_at"])
    audit.record("voice.call_ended", call, actor_label="phone", detail={"outcome": call.outcome})


def save_recording(call: Call, wav: bytes) -> None:
    """Keep the caller's audio for staff (access-controlled, audited) until the retention date."""
    folder = Path(settings.VOICE_RECORDING_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{call.token}.wav"
    path.write_bytes(wav)
    call.recording = path.name
    call.recording_expires_at = timezone.now() + dt.timedelta(days=settings.VOICE_RECORDING_RETENTION_DAYS)
    call.save(update_fields=["recording", "recording_expires_at", "updated_at"])


def read_recording(call: Call, *, by, ip: str | None = None) -> bytes:
    """The recording's bytes for a member of staff who may see it; every read is audited."""
    if not call.recording:
        raise VoiceError("This call has no recording (it was never kept, or its retention period ended).")
    path = Path(settings.VOICE_RECORDING_DIR) / call.recording
    if not path.exists():
        raise VoiceError("The recording file is missing.")
    audit.record("voice.recording_read", call, actor=by, detail={"call": str(call.token)}, ip=ip)
    return path.read_bytes()


def purge_recordings(now=None) -> int:
    """Delete recordings past their retention date (the call and its transcript stay)."""
    now = now or timezone.now()
    count = 0
    for call in Call.objects.filter(recording_expires_at__lte=now).exclude(recording=""):
        (Path(settings.VOICE_RECORDING_DIR) / call.recording).unlink(missing_ok=True)
        with transaction.atomic():
            call.recording = ""
            call.recording_expires_at = None
            call.save(update_fields=["recording", "recording_expires_at", "updated_at"])
            audit.record(
                "voice.recording_deleted", call, actor_label="retention", detail={"reason": "expired"}
            )
        count += 1
    return count


def raise_case(
    callback: Callback, *, by, service: Service, answers: dict, contact, ip: str | None = None
) -> Case:
    """Staff rang the caller back and raise the case for them (assisted digital)."""
    if callback.status != Callback.Status.WAITING:
        raise VoiceError("This callback has already been dealt with.")
    case = case_actions.create_case(
        service=service,
        answers=answers,
        contact=contact,
        channel=Channel.PHONE,
        channel_detail=f"callback for call {callback.call.token} (assisted digital)",
        actor=by,
        priority=Priority.URGENT if callback.rank < 2 else Priority.NORMAL,
        submission_key=f"voice-callback-{callback.pk}",
        language=callback.language or "en",
        ip=ip,
    )
    with transaction.atomic():
        callback.status = Callback.Status.DONE
        callback.done_at = timezone.now()
        callback.done_by = by
        callback.case = case
        callback.save()
        audit.record("voice.callback_done", callback, actor=by, detail={"case": case.reference}, ip=ip)
    return case


def close_callback(callback: Callback, *, by, status: str, ip: str | None = None) -> Callback:
    """Called back, or no answer: a caller not reached stays on the list, tried again later, until
    ``VOICE_CALLBACK_ATTEMPTS`` tries; the last unanswered try closes it as "No answer"."""
    if status not in {Callback.Status.DONE, Callback.Status.NO_ANSWER}:
        raise VoiceError("Choose called back or no answer.")
    if callback.status != Callback.Status.WAITING:
        raise VoiceError("This callback has already been dealt with.")
    with transaction.atomic():
        if status == Callback.Status.NO_ANSWER:
            callback.attempts += 1
            callback.last_attempt_at = timezone.now()
            if callback.attempts < settings.VOICE_CALLBACK_ATTEMPTS:
                callback.save(update_fields=["attempts", "last_attempt_at", "updated_at"])
                audit.record(
                    "voice.callback_attempt", callback, actor=by, detail={"attempt": callback.attempts}, ip=ip
                )
                return callback
        callback.status = status
        callback.done_at = timezone.now()
        callback.done_by = by
        callback.save()
        detail = {"status": status, "attempts": callback.attempts}
        audit.record("voice.callback_closed", callback, actor=by, detail=detail, ip=ip)
    return callback
