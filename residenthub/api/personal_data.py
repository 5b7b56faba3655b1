"""Personal data in the API app: only the webhook delivery log (read by retention)."""

from residenthub.core.personal_data_registry import DELETE, declare, no_personal_data

from .models import ApiKey, ClientCase, WebhookDelivery, WebhookSubscription

declare(
    WebhookDelivery,
    record_class="webhook-log",
    fields=["payload", "last_error"],
    erase=DELETE,
    links={"case_reference": "payload__case__reference"},
    dates={"created": "created_at"},
    note="Payloads carry a case reference, never contact details (api.webhooks).",
)
no_personal_data(ApiKey, "A connected system's key (hashed) and the staff user it acts for.")
no_personal_data(WebhookSubscription, "A connected system's address and secret.")
no_personal_data(ClientCase, "Which connected system shares which case (a hash of the body).")
