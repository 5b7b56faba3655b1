"""Workflow statuses in Open311's words: open/closed, and mySociety's extended statuses."""

from __future__ import annotations

from residenthub.services.definitions import Workflow

# Workflow status code -> extended status. Codes not listed: OPEN or CLOSED by their state.
EXTENDED = {
    "in_progress": "IN_PROGRESS",
    "approved": "IN_PROGRESS",
    "support_planning": "IN_PROGRESS",
    "stage_two": "INVESTIGATING",
    "investigating": "INVESTIGATING",
    "checking": "INVESTIGATING",
    "reviewing": "INVESTIGATING",
    "screening": "INVESTIGATING",
    "assessment": "INVESTIGATING",
    "resolved": "FIXED",
    "issued": "FIXED",
    "accepted": "FIXED",
    "responded": "FIXED",
    "final_response": "FIXED",
    "acknowledged": "FIXED",
    "closed_support_arranged": "FIXED",
    "duplicate": "DUPLICATE",
    "referred": "NOT_COUNCILS_RESPONSIBILITY",
    "closed_referred": "NOT_COUNCILS_RESPONSIBILITY",
    "closed_no_action": "NO_FURTHER_ACTION",
    "closed_no_further_action": "NO_FURTHER_ACTION",
    "closed_no_response": "NO_FURTHER_ACTION",
    "refused": "NO_FURTHER_ACTION",
    "rejected": "NO_FURTHER_ACTION",
    "withdrawn": "NO_FURTHER_ACTION",
}
CLOSED_EXTENDED = {"FIXED", "DUPLICATE", "NOT_COUNCILS_RESPONSIBILITY", "NO_FURTHER_ACTION", "CLOSED"}
OPEN_EXTENDED = {"OPEN", "IN_PROGRESS", "INVESTIGATING", "ACTION_SCHEDULED", "INTERNAL_REFERRAL"}
ALL_EXTENDED = CLOSED_EXTENDED | OPEN_EXTENDED | {"REOPEN"}


def open_or_closed(workflow: Workflow, code: str) -> str:
    try:
        return "closed" if workflow.status(code).is_closed else "open"
    except KeyError:
        return "open"


def extended(workflow: Workflow, code: str) -> str:
    if code in EXTENDED:
        return EXTENDED[code]
    return "CLOSED" if open_or_closed(workflow, code) == "closed" else "OPEN"


def target_for(workflow: Workflow, current: str, wanted: str) -> str | None:
    """The workflow status an incoming extended status means, reachable from ``current``; None if none."""
    wanted = wanted.upper()
    options = workflow.allowed_from(current)
    if wanted in CLOSED_EXTENDED:
        exact = [s for s in options if s.is_closed and EXTENDED.get(s.code) == wanted]
        loose = [s for s in options if s.is_closed and wanted == "CLOSED"]
        fixed = [s for s in options if s.is_closed and EXTENDED.get(s.code) == "FIXED"]
        choice = exact or loose or (fixed if wanted == "CLOSED" else [])
    else:
        exact = [s for s in options if not s.is_closed and EXTENDED.get(s.code) == wanted]
        choice = exact or ([s for s in options if not s.is_closed] if wanted in {"REOPEN", "OPEN"} else [])
    return choice[0].code if choice else None
