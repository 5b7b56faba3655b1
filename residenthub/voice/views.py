"""Telephony webhooks (TwiML-style) and the staff callback list. Views stay thin: dialog and
actions do the work."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseForbidden, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from residenthub.accounts.auth import staff_required
from residenthub.core.validators import display_uk_phone
from residenthub.speech import AudioError

from . import actions, dialog, twiml
from .models import Call, Callback
from .pipeline import clean_text, prompt_for, understand, understand_text
from .queries import callback_list, can_use_callbacks, number_to_ring, ring_by, visible_callbacks

log = logging.getLogger(__name__)
XML = "application/xml"


def _signed(request) -> bool:
    params = {key: request.POST.get(key, "") for key in request.POST}
    given = request.headers.get("X-Twilio-Signature", "")
    return twiml.valid_signature(
        request.build_absolute_uri(), params, given, settings.VOICE_WEBHOOK_AUTH_TOKEN
    )


def _refuse(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not settings.VOICE_WEBHOOK_AUTH_TOKEN:
        return HttpResponseForbidden(
            "Voice webhooks are off: set VOICE_WEBHOOK_AUTH_TOKEN.", content_type="text/plain"
        )
    if not _signed(request):
        return HttpResponseForbidden("Invalid X-Twilio-Signature.", content_type="text/plain")
    if not request.POST.get("CallSid"):
        return HttpResponse("CallSid is required.", status=400, content_type="text/plain")
    return None


@csrf_exempt
def incoming(request):
    """A new call: greet and listen."""
    refused = _refuse(request)
    if refused:
        return refused
    call = Call.objects.filter(via=Call.Via.WEBHOOK, call_id=request.POST["CallSid"]).first()
    if call is None:
        call = actions.start_call(
            via=Call.Via.WEBHOOK, call_id=request.POST["CallSid"], caller=request.POST.get("From", "")
        )
    reply = dialog.start(call)
    return HttpResponse(
        twiml.response(reply, action_url=request.build_absolute_uri(reverse("voice:twiml_gather"))),
        content_type=XML,
    )


@csrf_exempt
def gather(request):
    """What the caller said (the platform's SpeechResult, or a RecordingUrl we transcribe)."""
    refused = _refuse(request)
    if refused:
        return refused
    call = Call.objects.filter(via=Call.Via.WEBHOOK, call_id=request.POST["CallSid"]).first()
    if call is None or call.ended_at:
        return HttpResponse("Unknown or finished call.", status=404, content_type="text/plain")
    silent = sum(1 for t in call.turns[-4:] if t["who"] == "caller" and t["text"] == "(silence)")
    if request.POST.get("RecordingUrl"):
        try:
            audio = twiml.fetch_recording(request.POST["RecordingUrl"])
            step = call.state.get("step")
            language = call.language if step != "problem" else None
            heard = understand(
                audio, silent_turns=silent, language=language or None, vad=False, prompt=prompt_for(step)
            )
        except (twiml.RecordingError, AudioError) as exc:
            log.warning("voice webhook: recording not used: %s", exc)
            heard = understand_text("", silent_turns=silent)
    else:
        said = request.POST.get("Digits") or request.POST.get("SpeechResult", "")  # keyed, or said
        heard = understand_text(clean_text(said), silent_turns=silent)
    reply = dialog.hear(call, heard)
    if reply.action != "listen":
        actions.end_call(call)
    return HttpResponse(
        twiml.response(reply, action_url=request.build_absolute_uri(reverse("voice:twiml_gather"))),
        content_type=XML,
    )


@csrf_exempt
def status(request):
    """Call status callback: a call completed before the conversation ended is a hang-up."""
    refused = _refuse(request)
    if refused:
        return refused
    call = Call.objects.filter(via=Call.Via.WEBHOOK, call_id=request.POST["CallSid"]).first()
    if call is not None and request.POST.get("CallStatus") in {
        "completed",
        "busy",
        "failed",
        "no-answer",
        "canceled",
    }:
        dialog.caller_hung_up(call)
    return HttpResponse(status=204)


# --- Staff ------------------------------------------------------------------------------------------


def _allowed(request):
    if not can_use_callbacks(request.user):
        raise Http404


def _language(callback) -> str:
    """ "Polish (pl)"; "English" for the default."""
    code = callback.language or "en"
    return "English" if code == "en" else f"{dialog.LANGUAGE_NAMES.get(code, code)} ({code})"


def _duration(minutes: int) -> str:
    """60 -> "1 hour", 1440 -> "24 hours", 90 -> "90 minutes"."""
    if minutes % 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"


@staff_required
def callbacks(request):
    _allowed(request)
    now = timezone.now()
    rows = [(cb, ring_by(cb)) for cb in callback_list(request.user)[:200]]
    rows = [{"cb": cb, "ring_by": due, "overdue": due < now, "language": _language(cb)} for cb, due in rows]
    targets = [
        _duration(m)
        for m in (
            settings.VOICE_CALLBACK_URGENT_MINUTES,
            settings.VOICE_CALLBACK_VULNERABLE_MINUTES,
            settings.VOICE_CALLBACK_OTHER_MINUTES,
        )
    ]
    context = {"rows": rows, "attempts_allowed": settings.VOICE_CALLBACK_ATTEMPTS, "targets": targets}
    return render(request, "voice/callbacks.html", context)


@staff_required
def callback_detail(request, pk: int):
    _allowed(request)
    callback = get_object_or_404(visible_callbacks(request.user), pk=pk)
    error = ""
    if request.method == "POST":
        status_value = request.POST.get("status", "")
        try:
            actions.close_callback(
                callback, by=request.user, status=status_value, ip=request.META.get("REMOTE_ADDR")
            )
            if status_value == Callback.Status.NO_ANSWER and callback.status == Callback.Status.WAITING:
                tries = f"{callback.attempts} of {settings.VOICE_CALLBACK_ATTEMPTS} tries"
                messages.info(request, f"No answer noted: the callback stays on the list ({tries}).")
            return redirect("voice:callbacks")
        except actions.VoiceError as exc:
            error = str(exc)
    new_case = reverse("backoffice:new_case")
    if callback.call.service_id:
        new_case += f"?service={callback.call.service.code}"
    return render(
        request,
        "voice/callback.html",
        {
            "callback": callback,
            "call": callback.call,
            "number_to_ring": display_uk_phone(callback.number) if callback.number else "",
            "dial": number_to_ring(callback) or "",  # E.164 for a tel: link (softphones, Teams)
            "language": _language(callback),
            "error": error,
            "new_case_url": new_case,
            "attempts_allowed": settings.VOICE_CALLBACK_ATTEMPTS,
            "last_try": callback.attempts + 1 >= settings.VOICE_CALLBACK_ATTEMPTS,
        },
        status=400 if error else 200,
    )


@staff_required
def recording(request, pk: int):
    """The caller's audio: only for staff who may see the callback; every read audited."""
    _allowed(request)
    callback = get_object_or_404(visible_callbacks(request.user), pk=pk)
    try:
        data = actions.read_recording(callback.call, by=request.user, ip=request.META.get("REMOTE_ADDR"))
    except actions.VoiceError as exc:
        return HttpResponse(str(exc), status=404, content_type="text/plain")
    response = HttpResponse(data, content_type="audio/wav")
    response["Cache-Control"] = "no-store, private"
    response["Content-Disposition"] = f'inline; filename="call-{callback.pk}.wav"'
    return response
