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
    """Scrubs the message and, where the record carries an exception, its traceback text too: an
    exception's message often quotes the value that broke it (an email address, a phone number)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a badly formed log call must not break the request
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[0] is not None:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            # The formatter prints exc_text when set; dropping exc_info stops it formatting the raw one.
            record.exc_text, record.exc_info = scrub(text), None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
