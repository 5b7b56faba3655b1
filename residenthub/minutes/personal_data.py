"""Committee records: a public record kept permanently (read by retention). Recordings are deleted
by the minutes app itself after MINUTES_RECORDING_RETENTION_DAYS."""

from residenthub.core.personal_data_registry import KEEP, declare, no_personal_data

from .models import (
    ActionTask,
    AgendaItem,
    Attendee,
    Committee,
    Meeting,
    MinuteLine,
    PublishedMinutes,
    Recording,
    Segment,
)

declare(Meeting, record_class="committee-record", fields=["speaker_names"], erase=KEEP)
declare(Attendee, record_class="committee-record", fields=["name", "email"], erase=KEEP)
declare(Segment, record_class="committee-record", fields=["text", "heard", "speaker"], erase=KEEP)
declare(MinuteLine, record_class="committee-record", fields=["text", "owner", "drafted_text"], erase=KEEP)
declare(PublishedMinutes, record_class="committee-record", fields=["html", "pdf", "docx"], erase=KEEP)
declare(ActionTask, record_class="committee-record", fields=["text", "owner", "owner_email"], erase=KEEP)
declare(
    Recording,
    record_class="meeting-recording",
    fields=["file", "original_name"],
    erase=KEEP,
    files=["file"],
    dates={"created": "created_at"},
)
no_personal_data(Committee, "A committee's name and remit.")
no_personal_data(AgendaItem, "An agenda item's title.")
