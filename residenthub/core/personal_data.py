"""Personal data in the audit trail and the outbox (read by retention)."""

from residenthub.core.personal_data_registry import DELETE, declare, no_personal_data

from .models import Address, AuditEntry, ClosureDay, OutboxMessage

declare(
    AuditEntry,
    record_class="audit",
    fields=["ip_address"],
    dates={"created": "at"},
    append_only=True,
    note="Details never hold personal data (core.actions.audit); the IP address does.",
)
declare(
    OutboxMessage,
    record_class="outbox-message",
    fields=["recipient", "subject", "body_text", "body_html", "last_error"],
    erase=DELETE,
    links={"case": "case"},
    match={"email": ["recipient"], "phone": ["recipient"]},
    dates={"created": "created_at"},
    eligible={"status__in": ["sent", "failed"]},
)
no_personal_data(Address, "The council's gazetteer: addresses, not who lives there.")
no_personal_data(ClosureDay, "Days the council is closed.")
