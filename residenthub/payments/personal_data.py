"""Financial records: kept for the statutory period whatever an erasure asks (read by retention)."""

from residenthub.core.personal_data_registry import KEEP, declare, no_personal_data

from .models import Charge, Mismatch, Payment, PaymentEvent, ReconciliationRun, Refund, ServiceFee

declare(
    Charge,
    record_class="financial",
    fields=["description", "breakdown"],
    erase=KEEP,
    links={"case": "case"},
    dates={"created": "created_at"},
)
declare(
    Payment,
    record_class="financial",
    fields=["note", "failure_message"],
    erase=KEEP,
    links={"case": "charge__case"},
)
declare(
    Refund, record_class="financial", fields=["reason"], erase=KEEP, links={"case": "payment__charge__case"}
)
declare(
    PaymentEvent,
    record_class="financial",
    fields=["detail"],
    erase=KEEP,
    links={"case": "charge__case"},
    append_only=True,
)
declare(Mismatch, record_class="financial", fields=["reference", "detail", "resolution"], erase=KEEP)
no_personal_data(ServiceFee, "A service's fee rules.")
no_personal_data(ReconciliationRun, "A day's reconciliation totals.")
