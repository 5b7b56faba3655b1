"""Open311 output: the same data as XML (schemaless, UTF-8 declaration) or JSON (Spark convention)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET  # noqa: S405 - we only build XML here; parsing is in views, guarded
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

SINGULAR = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "service_requests_updates": "request_update",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


def w3c(value: dt.datetime | None) -> str | None:
    """ISO 8601 with the offset, to the second (GeoReport: the timezone must be given)."""
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = timezone.make_aware(dt.datetime.combine(value, dt.time(23, 59, 59)))
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, key: str, value: Any) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _fill(ET.SubElement(element, k), k, v)
    elif isinstance(value, list):
        child_name = SINGULAR.get(key, "item")
        for item in value:
            _fill(ET.SubElement(element, child_name), child_name, item)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, root, data)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="unicode").encode()


def _json_default(value: Any):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def respond(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(data, default=_json_default, ensure_ascii=False).encode()
    else:
        body = to_xml(root, data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["xml"]))


def errors(fmt: str, problems: list[tuple[int, str]], status: int | None = None) -> HttpResponse:
    status = status or problems[0][0]
    return respond(
        fmt, "errors", [{"code": code, "description": description} for code, description in problems], status
    )
