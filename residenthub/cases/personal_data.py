"""Personal data in cases (read by retention; see residenthub/core/personal_data_registry.py)."""

from residenthub.core.personal_data_registry import DELETE, WARD, declare

from .models import Attachment, Case, CaseAccess, CaseEvent, Reroute

declare(
    Case,
    record_class="case",
    fields=[
        "answers",
        "location_text",
        "postcode",
        "uprn",
        "latitude",
        "longitude",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_address",
    ],
    blank={"postcode": WARD},
    links={"case": "pk"},
    match={"email": ["contact_email"], "phone": ["contact_phone"]},
    dates={"case_closed": "closed_at", "last_contact": "updated_at"},
    eligible={"is_open": False},
    note="Anonymised: service, team, status, channel, dates and the ward stay for insights.",
)
declare(CaseEvent, record_class="case", fields=["text"], links={"case": "case"}, append_only=True)
declare(
    Attachment,
    record_class="case",
    fields=["file", "original_name"],
    erase=DELETE,
    files=["file"],
    links={"case": "case"},
)
declare(CaseAccess, record_class="case", fields=["reason"], links={"case": "case"})
declare(Reroute, record_class="case", fields=["text", "reason"], links={"case": "case"})
