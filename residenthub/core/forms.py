"""The one form-error helper every staff and resident page uses (GOV.UK error summary pattern).

Views collect ``errors`` as ``[(field, message), ...]`` in page order: the summary lists them all and
links each to its field; beside a field only its first message is shown (``first_errors``).
"""

from __future__ import annotations

import datetime as dt


def first_errors(errors: list[tuple[str, str]]) -> dict[str, str]:
    """Each field's first message, for showing beside the field."""
    shown: dict[str, str] = {}
    for field, message in errors:
        shown.setdefault(field, message)
    return shown


def error_context(errors: list[tuple[str, str]]) -> dict[str, object]:
    """``errors`` and ``error_for`` for a template: the summary and the message beside each field."""
    return {"errors": errors, "error_for": first_errors(errors)}


def date_from_parts(post, prefix: str) -> dt.date | None:
    """GOV.UK date input: prefix-day, prefix-month, prefix-year. None if blank; ValueError if wrong."""
    parts = [post.get(f"{prefix}-{p}", "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        return None
    if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        raise ValueError
    return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
