"""Personal data in phone calls (read by retention). Recordings also have their own shorter period
(VOICE_RECORDING_RETENTION_DAYS, voice.jobs.purge_recordings)."""

from django.conf import settings

from residenthub.core.personal_data_registry import declare

from .models import Call, Callback

declare(
    Call,
    record_class="call",
    fields=["caller", "call_id", "turns", "state", "flags", "recording"],
    files=[("recording", lambda: settings.VOICE_RECORDING_DIR)],
    links={"call": "pk", "case": "case"},
    match={"phone": ["caller"]},
    dates={"call_ended": "ended_at"},
    note="Anonymised: outcome, service, language and times stay for insights.",
)
declare(Callback, record_class="call", fields=["detail", "number"], links={"call": "call"})
