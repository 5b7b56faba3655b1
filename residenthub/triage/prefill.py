"""Turn the details found in a message into prefilled answers for a service's form.

Prefilled answers are put in the resident's draft but not marked as answered: the resident sees
every page with the answer already in it and confirms or corrects it. An address question gets
its postcode looked up (the resident still picks the address from the council's list).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from residenthub.services.models import Service

from .extract import Details

# Long-text questions that describe the problem: the resident's own words go there.
DESCRIPTION_NAMES = {
    "details",
    "description",
    "complaint",
    "concern_details",
    "reason",
    "request",
    "question",
    "compliment",
    "explanation",
    "walking_difficulty",
}
# Choice values too common in ordinary words to be taken as an answer.
VAGUE_VALUES = {
    "other",
    "none",
    "not_sure",
    "yes",
    "no",
    "road",
    "street",
    "once",
    "sometimes",
    "single",
    "small",
}


def _choice_matches(question, text: str) -> list[str]:
    found = []
    for choice in question.choices:
        value = choice.value
        if value in VAGUE_VALUES:
            continue
        words = value.replace("_", " ")
        if re.search(rf"\b{re.escape(words)}(?:e?s)?\b", text, re.I):
            found.append(value)
    return found


def _date_allowed(question, value: str, today: dt.date) -> bool:
    if "birth" in question.name:
        return False
    day = dt.date.fromisoformat(value)
    if getattr(question, "past_only", False) and day > today:
        return False
    return not (getattr(question, "future_only", False) and day < today)


def prefill(service: Service, text: str, details: Details, today: dt.date | None = None) -> dict[str, Any]:
    """Answers (by question name) and lookups for a draft: ``{"answers": {...}, "lookup": {...}}``."""
    today = today or dt.date.today()
    answers: dict[str, Any] = {}
    lookup: dict[str, str] = {}
    described = False
    for question in service.form.questions:
        if question.show_if is not None:
            continue  # depends on an earlier answer the resident has not given yet
        kind = question.type
        postcode = details.postcodes[0] if details.postcodes else ""
        if kind == "location" and (details.places or postcode):
            description = details.places[0] if details.places else ""
            if description:
                answers[question.name] = {"description": description[:1000], "postcode": postcode}
        elif kind == "address" and postcode:
            lookup[question.name] = postcode
        elif kind == "postcode" and postcode:
            answers[question.name] = postcode
        elif kind == "phone" and details.phones:
            answers[question.name] = details.phones[0]
        elif kind == "email" and details.emails:
            answers[question.name] = details.emails[0]
        elif kind == "date" and details.dates:
            value = details.dates[0]
            if _date_allowed(question, value, today):
                answers[question.name] = value
        elif kind == "text" and question.name in {"pcn_number"} and details.pcn:
            answers[question.name] = details.pcn
        elif kind == "text" and question.name == "registration" and details.registrations:
            answers[question.name] = details.registrations[0]
        elif kind == "textarea" and not described and question.name in DESCRIPTION_NAMES and text.strip():
            limit = question.max_length or 10_000
            answers[question.name] = text.strip()[:limit]
            described = True
        elif kind == "choice":
            matches = _choice_matches(question, text)
            if len(matches) == 1:
                answers[question.name] = matches[0]
        elif kind == "choices":
            matches = _choice_matches(question, text)
            if matches:
                answers[question.name] = matches
    return {"answers": answers, "lookup": lookup}
