"""A logging filter that removes personal data from every record before it is written.

Code should not log personal data in the first place; this is the safety net for what slips
through (an exception message quoting a form value, a URL with an email in it).
"""

import logging
import re

_PATTERNS = [
    (re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.IGNORECASE), "[postcode]"),
    (re.compile(r"(?<!\w)(\+44\s?|0)(\d[\s-]?){9,10}(?!\w)"), "[phone]"),
]


def scrub(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a badly formed log call must not break the request
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
