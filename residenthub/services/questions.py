"""The catalogue's form engine: reading one question's answer from a submitted page, with GOV.UK
error messages. Used by the resident pages, the staff "on behalf" form, the API and the phone.

``parse`` returns an ``Outcome``: the cleaned answer to store, the errors to show (each tied to
the id of the input it is about, for the error summary's links), and the raw values to put back
in the inputs so nothing the resident typed is lost when a page is shown again.

Uploaded files are kept by whoever registered an ``UploadStore`` (the cases app does at start-up:
attachments belong to cases, which sit above the catalogue).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.validators import EmailValidator, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from residenthub.core.models import Address
from residenthub.core.validators import display_uk_phone, normalise_postcode, normalise_uk_phone
from residenthub.services.definitions import Question

DEFAULT_MAX_LENGTH = {"text": 500, "textarea": 10_000}
FILE_SIGNATURES = {
    "jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
    "gif": ((b"GIF87a", b"GIF89a"), "image/gif"),
    "pdf": ((b"%PDF-",), "application/pdf"),
    "heic": ((b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"), "image/heic"),
}
EXTENSION_ALIASES = {"jpeg": "jpg", "heif": "heic"}


class UploadStore(Protocol):
    """Where uploaded files go: ``pending`` counts a visitor's files not yet sent with a request;
    ``store`` keeps one and returns its id."""

    def pending(self, session_key: str) -> int: ...

    def store(self, upload: Any, *, session_key: str, content_type: str) -> int: ...


uploads: UploadStore | None = None


def register_upload_store(store: UploadStore) -> None:
    global uploads
    uploads = store


@dataclass
class Outcome:
    value: Any = None
    errors: list[tuple[str, str]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(post, key: str) -> str:
    value = post.get(key, "")
    return value if isinstance(value, str) else ""


def _labelled(question: Question) -> str:
    return question.label.rstrip("?").rstrip()


def parse(
    question: Question, post, files, *, session_key: str, previous: Any = None, action: str = ""
) -> Outcome:
    handler = globals()[f"_parse_{question.type}"]
    return handler(question, post, files, session_key=session_key, previous=previous, action=action)


def _parse_text(question, post, files, **_kwargs) -> Outcome:
    raw = _text(post, question.name)
    value = raw.strip()
    limit = question.max_length or DEFAULT_MAX_LENGTH.get(question.type, 500)
    outcome = Outcome(raw={"value": raw})
    if not value:
        if question.required:
            outcome.errors.append(
                (question.name, _("Enter your answer to ‘%(q)s’") % {"q": _labelled(question)})
            )
        return outcome
    if len(value) > limit:
        outcome.errors.append(
            (
                question.name,
                _("Your answer must be %(n)s characters or fewer (it has %(m)s)")
                % {"n": f"{limit:,}", "m": f"{len(value):,}"},
            )
        )
        return outcome
    outcome.value = value
    return outcome


_parse_textarea = _parse_text


def _parse_number(question, post, files, **_kwargs) -> Outcome:
    raw = _text(post, question.name)
    outcome = Outcome(raw={"value": raw})
    cleaned = raw.strip().replace(",", "")
    if not cleaned:
        if question.required:
            outcome.errors.append((question.name, _("Enter a number")))
        return outcome
    try:
        number = int(cleaned)
    except ValueError:
        outcome.errors.append((question.name, _("Enter a whole number, like 3")))
        return outcome
    if question.min is not None and number < question.min:
        outcome.errors.append(
            (question.name, _("Enter a number that is %(n)s or more") % {"n": question.min})
        )
    elif question.max is not None and number > question.max:
        outcome.errors.append(
            (question.name, _("Enter a number that is %(n)s or fewer") % {"n": question.max})
        )
    else:
        outcome.value = number
    return outcome


def _parse_date(question, post, files, **_kwargs) -> Outcome:
    parts = {part: _text(post, f"{question.name}-{part}").strip() for part in ("day", "month", "year")}
    outcome = Outcome(raw=parts)
    first = f"{question.name}-day"
    if not any(parts.values()):
        if question.required:
            outcome.errors.append((first, _("Enter the date")))
        return outcome
    missing = [part for part, value in parts.items() if not value]
    if missing:
        names = {"day": _("a day"), "month": _("a month"), "year": _("a year")}
        outcome.errors.append(
            (
                f"{question.name}-{missing[0]}",
                _("The date must include %(part)s") % {"part": " and ".join(str(names[m]) for m in missing)},
            )
        )
        return outcome
    try:
        if len(parts["year"]) != 4:
            raise ValueError
        value = dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        outcome.errors.append((first, _("The date must be a real date, like 27 3 2024")))
        return outcome
    today = timezone.localdate()
    if question.past_only and value > today:
        outcome.errors.append((first, _("The date must be today or in the past")))
    elif question.future_only and value < today:
        outcome.errors.append((first, _("The date must be today or in the future")))
    elif value.year < 1900:
        outcome.errors.append((first, _("The year must be 1900 or later")))
    else:
        outcome.value = value.isoformat()
    return outcome


def _parse_choice(question, post, files, **_kwargs) -> Outcome:
    raw = _text(post, question.name)
    outcome = Outcome(raw={"value": raw})
    allowed = [c.value for c in question.choices] if question.type == "choice" else ["yes", "no"]
    first_id = question.name
    if not raw:
        if question.required:
            outcome.errors.append((first_id, _("Select an answer to ‘%(q)s’") % {"q": _labelled(question)}))
        return outcome
    if raw not in allowed:  # a tampered form: ask again, never store it
        outcome.errors.append((first_id, _("Select one of the options")))
        outcome.raw = {"value": ""}
        return outcome
    outcome.value = raw
    return outcome


_parse_yesno = _parse_choice


def _parse_choices(question, post, files, **_kwargs) -> Outcome:
    raw = post.getlist(question.name) if hasattr(post, "getlist") else post.get(question.name, [])
    allowed = [c.value for c in question.choices]
    chosen = [value for value in allowed if value in raw]
    outcome = Outcome(raw={"values": chosen})
    if any(value not in allowed for value in raw):
        outcome.errors.append((question.name, _("Select from the options shown")))
        return outcome
    if not chosen:
        if question.required:
            outcome.errors.append((question.name, _("Select at least one option")))
        return outcome
    outcome.value = chosen
    return outcome


def _parse_email(question, post, files, **_kwargs) -> Outcome:
    raw = _text(post, question.name)
    outcome = Outcome(raw={"value": raw})
    value = raw.strip()
    if not value:
        if question.required:
            outcome.errors.append((question.name, _("Enter an email address")))
        return outcome
    email = clean_email(value)
    if email is None:
        outcome.errors.append(
            (question.name, _("Enter an email address in the correct format, like name@example.com"))
        )
    else:
        outcome.value = email
    return outcome


def clean_email(value: str) -> str | None:
    value = value.strip()
    if len(value) > 254:
        return None
    try:
        EmailValidator()(value)
    except ValidationError:
        return None
    local, _sep, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def _parse_phone(question, post, files, **_kwargs) -> Outcome:
    raw = _text(post, question.name)
    outcome = Outcome(raw={"value": raw})
    if not raw.strip():
        if question.required:
            outcome.errors.append((question.name, _("Enter a phone number")))
        return outcome
    number = normalise_uk_phone(raw)
    if number is None:
        outcome.errors.append(
            (question.name, _("Enter a UK phone number, like 01632 960 001 or 07700 900 982"))
        )
    else:
        outcome.value = number
    return outcome


def _parse_postcode(question, post, files, **_kwargs) -> Outcome:
    raw = _text(post, question.name)
    outcome = Outcome(raw={"value": raw})
    if not raw.strip():
        if question.required:
            outcome.errors.append((question.name, _("Enter a postcode")))
        return outcome
    postcode = normalise_postcode(raw)
    if postcode is None:
        outcome.errors.append((question.name, _("Enter a real UK postcode, like SW1A 2AA")))
    else:
        outcome.value = postcode
    return outcome


def _natural(text: str) -> list:
    """Sort key that puts "2 Mill Lane" before "10 Mill Lane"."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def addresses_at(postcode: str) -> list[Address]:
    addresses = Address.objects.filter(postcode=postcode)
    return sorted(addresses, key=lambda a: (_natural(a.line2 or a.line1), _natural(a.line1)))


def _parse_address(question, post, files, *, action: str = "", previous=None, **_kwargs) -> Outcome:
    """Address: find by postcode and pick from the council's list, or type it in.

    ``action`` is "find" (the Find address button), "manual" (typed address) or "" (pick).
    """
    name = question.name
    fields = {
        key: _text(post, f"{name}-{key}").strip()
        for key in ("postcode", "uprn", "line1", "line2", "town", "manual_postcode")
    }
    outcome = Outcome(raw=fields)
    if action == "manual":
        if not fields["line1"]:
            outcome.errors.append(
                (f"{name}-line1", _("Enter address line 1, typically the building and street"))
            )
        if len(fields["line1"]) > 200 or len(fields["line2"]) > 200 or len(fields["town"]) > 100:
            outcome.errors.append((f"{name}-line1", _("Address lines must be 200 characters or fewer")))
        if not fields["town"]:
            outcome.errors.append((f"{name}-town", _("Enter town or city")))
        postcode = normalise_postcode(fields["manual_postcode"])
        if postcode is None:
            outcome.errors.append((f"{name}-manual_postcode", _("Enter a real UK postcode, like SW1A 2AA")))
        if outcome.errors:
            return outcome
        text = ", ".join(p for p in [fields["line1"], fields["line2"], fields["town"], postcode] if p)
        outcome.value = {
            "uprn": "",
            "text": text,
            "postcode": postcode,
            "line1": fields["line1"],
            "line2": fields["line2"],
            "town": fields["town"],
        }
        return outcome
    postcode = normalise_postcode(fields["postcode"])
    if not fields["postcode"]:
        if question.required or action == "find":
            outcome.errors.append((f"{name}-postcode", _("Enter a postcode")))
        return outcome
    if postcode is None:
        outcome.errors.append((f"{name}-postcode", _("Enter a real UK postcode, like SW1A 2AA")))
        return outcome
    outcome.raw["postcode"] = postcode
    if action == "find":
        return outcome  # the view shows the list; nothing to store yet
    if not fields["uprn"]:
        outcome.errors.append((f"{name}-uprn", _("Select an address")))
        return outcome
    address = Address.objects.filter(uprn=fields["uprn"], postcode=postcode).first()
    if address is None:  # tampered or stale choice: ask again
        outcome.errors.append((f"{name}-uprn", _("Select an address from the list")))
        outcome.raw["uprn"] = ""
        return outcome
    outcome.value = {"uprn": address.uprn, "text": address.single_line, "postcode": address.postcode}
    return outcome


def _parse_location(question, post, files, **_kwargs) -> Outcome:
    name = question.name
    description = _text(post, f"{name}-description")
    postcode_raw = _text(post, f"{name}-postcode")
    outcome = Outcome(raw={"description": description, "postcode": postcode_raw})
    if not description.strip():
        if question.required:
            outcome.errors.append((f"{name}-description", _("Describe where it is")))
    elif len(description.strip()) > 1000:
        outcome.errors.append((f"{name}-description", _("The description must be 1,000 characters or fewer")))
    postcode = ""
    if postcode_raw.strip():
        postcode = normalise_postcode(postcode_raw) or ""
        if not postcode:
            outcome.errors.append(
                (f"{name}-postcode", _("Enter a real UK postcode, like SW1A 2AA, or leave it blank"))
            )
    if outcome.errors or not description.strip():
        return outcome
    outcome.value = {"description": description.strip(), "postcode": postcode}
    return outcome


def max_upload_bytes(question: Question) -> int:
    megabytes = min(question.max_size_mb or settings.UPLOAD_MAX_MB, settings.UPLOAD_MAX_MB)
    return megabytes * 1024 * 1024


def _parse_file(question, post, files, *, session_key: str, previous=None, **_kwargs) -> Outcome:
    upload = files.get(question.name) if files else None
    outcome = Outcome()
    if upload is None or not upload.name:
        if previous:
            outcome.value = previous  # keep the file already uploaded
        elif question.required:
            outcome.errors.append((question.name, _("Select a file")))
        return outcome
    allowed = [EXTENSION_ALIASES.get(a, a) for a in question.accept]
    names = (
        ", ".join(a.upper() for a in allowed[:-1])
        + (_(" or ") if len(allowed) > 1 else "")
        + allowed[-1].upper()
    )
    extension = (
        EXTENSION_ALIASES.get(upload.name.rsplit(".", 1)[-1].lower(), upload.name.rsplit(".", 1)[-1].lower())
        if "." in upload.name
        else ""
    )
    limit = max_upload_bytes(question)
    if upload.size == 0:
        outcome.errors.append((question.name, _("The selected file is empty")))
        return outcome
    if upload.size > limit:
        outcome.errors.append(
            (
                question.name,
                _("The selected file must be smaller than %(n)sMB") % {"n": limit // (1024 * 1024)},
            )
        )
        return outcome
    if uploads is None:
        raise RuntimeError("no upload store is registered (the cases app registers one)")
    if session_key and uploads.pending(session_key) >= settings.UPLOAD_MAX_PENDING:
        outcome.errors.append(
            (
                question.name,
                _("You have uploaded too many files without sending a request. Send it, or start again"),
            )
        )
        return outcome
    head = upload.read(32)
    upload.seek(0)
    if extension not in allowed or not _matches_signature(extension, head):
        outcome.errors.append((question.name, _("The selected file must be a %(types)s") % {"types": names}))
        return outcome
    attachment_id = uploads.store(upload, session_key=session_key, content_type=FILE_SIGNATURES[extension][1])
    outcome.value = {"attachment_id": attachment_id, "name": upload.name[-255:], "size": upload.size}
    return outcome


def _matches_signature(extension: str, head: bytes) -> bool:
    signatures = FILE_SIGNATURES[extension][0]
    if extension == "heic":
        return head[4:12] in signatures
    return head.startswith(signatures)


def display(question: Question, value: Any) -> str:
    """The answer as the resident should read it on "Check your answers"."""
    if value in (None, "", []):
        return _("Not answered")
    kind = question.type
    if kind == "yesno":
        return _("Yes") if value == "yes" else _("No")
    if kind == "choice":
        return question.choice_label(value)
    if kind == "choices":
        return "\n".join(question.choice_label(v) for v in value)
    if kind == "date":
        return date_format(dt.date.fromisoformat(value), "j F Y")
    if kind == "phone":
        return display_uk_phone(value)
    if kind == "address":
        return value.get("text", "")
    if kind == "location":
        return "\n".join(p for p in [value.get("description", ""), value.get("postcode", "")] if p)
    if kind == "file":
        return value.get("name", "")
    return str(value)


def initial_raw(question: Question, value: Any) -> dict[str, Any]:
    """The raw input values that show a stored answer in the inputs again."""
    if value is None:
        return {}
    kind = question.type
    if kind == "date":
        day = dt.date.fromisoformat(value)
        return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
    if kind == "choices":
        return {"values": value}
    if kind == "address":
        if value.get("uprn"):
            return {"postcode": value.get("postcode", ""), "uprn": value["uprn"]}
        return {
            "line1": value.get("line1", ""),
            "line2": value.get("line2", ""),
            "town": value.get("town", ""),
            "manual_postcode": value.get("postcode", ""),
        }
    if kind == "location":
        return {"description": value.get("description", ""), "postcode": value.get("postcode", "")}
    if kind == "phone":
        return {"value": display_uk_phone(value)}
    if kind == "file":
        return {"name": value.get("name", "")}
    return {"value": str(value)}
