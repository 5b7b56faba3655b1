"""Who may work meetings and read closed (Part II / exempt) items; reads of closed items are audited."""

from __future__ import annotations

from residenthub.accounts.permissions import can_read_closed_minutes as can_read_closed
from residenthub.accounts.permissions import can_work_minutes
from residenthub.core import audit

__all__ = ["can_work_minutes", "can_read_closed", "visible_segments", "recording_playable"]


def closed_item_ids(meeting) -> set[int]:
    return set(meeting.items.filter(closed=True).values_list("id", flat=True))


def visible_segments(meeting, user, *, request=None):
    """The transcript lines ``user`` may read; a read of any closed item's lines is audited."""
    segments = list(meeting.segments.select_related("item").order_by("index"))
    closed = closed_item_ids(meeting)
    if not closed:
        return segments, 0
    if can_read_closed(user):
        shown = [s for s in segments if s.item_id in closed]
        if shown:
            audit.record(
                "minutes.closed_transcript_read",
                meeting,
                actor=user,
                detail={"items": sorted(closed), "lines": len(shown)},
                ip=audit.client_ip(request),
            )
        return segments, 0
    hidden = sum(1 for s in segments if s.item_id in closed)
    return [s for s in segments if s.item_id not in closed], hidden


def recording_playable(meeting, user) -> bool:
    """The recording holds every item, closed ones too: with closed items only the named roles hear it."""
    return not closed_item_ids(meeting) or can_read_closed(user)


def committees_with_minutes():
    from .models import Committee, Meeting

    return Committee.objects.filter(meetings__status=Meeting.Status.PUBLISHED).distinct()
