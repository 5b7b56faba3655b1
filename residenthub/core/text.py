"""Characters no database can store.

PostgreSQL refuses the NUL character in text and JSON, and no UTF-8 column can hold half of a
surrogate pair; either would turn a bad form value into a server error at save time. Input is
checked at the door instead (``core.middleware.RejectUnstorableInput`` and the APIs' parsers).
"""

from __future__ import annotations

import re
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(value: Any) -> bool:
    """True if a string, or any string inside lists and dicts, has a character we cannot store."""
    if isinstance(value, str):
        return bool(_UNSTORABLE.search(value))
    if isinstance(value, dict):
        return any(unstorable(k) or unstorable(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(unstorable(item) for item in value)
    return False
