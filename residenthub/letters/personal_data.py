"""Personal data in letters (read by retention)."""

from residenthub.core.personal_data_registry import DELETE, declare

from .models import Letter

declare(
    Letter,
    record_class="letter",
    fields=["address", "pdf"],
    erase=DELETE,
    links={"case": "case"},
    dates={"created": "created_at"},
    eligible={"status__in": ["sent", "printed"]},
)
