"""Retention's own models, and the framework's models that no app of ours owns (users, sessions,
sign-in attempts, the admin's log)."""

from django.apps import apps

from residenthub.core.personal_data_registry import DELETE, KEEP, declare, no_personal_data

from .models import ErasureRequest, LegalHold, ReplayEntry, SweepRun

declare(LegalHold, record_class="retention", fields=["reason", "release_reason"], erase=KEEP)
no_personal_data(SweepRun, "Counts by record class and hold reason.")
no_personal_data(
    ErasureRequest, "A person's random id, counts of what was erased and kept, and the certificate."
)
no_personal_data(ReplayEntry, "Keyed hashes (HMAC) of erased keys: not reversible without the key.")


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


for label, why in {
    "auth.Permission": "Permission names.",
    "auth.Group": "Group names (the councillor role).",
    "contenttypes.ContentType": "Model names.",
    "axes.AccessAttemptExpiration": "When a lockout ends.",
}.items():
    if model := _model(label):
        no_personal_data(model, why)

if model := _model("auth.User"):
    declare(
        model,
        record_class="staff-account",
        fields=["username", "first_name", "last_name", "email"],
        erase=KEEP,
    )
if model := _model("otp_totp.TOTPDevice"):
    declare(model, record_class="staff-account", fields=["name", "key"], erase=KEEP)
if model := _model("admin.LogEntry"):
    declare(model, record_class="staff-account", fields=["object_repr", "change_message"], erase=KEEP)
if model := _model("sessions.Session"):
    declare(
        model, record_class="session", fields=["session_data"], erase=DELETE, dates={"expired": "expire_date"}
    )
for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
    if model := _model(label):
        fields = [
            f
            for f in (
                "username",
                "ip_address",
                "user_agent",
                "get_data",
                "post_data",
                "http_accept",
                "path_info",
            )
            if any(x.name == f for x in model._meta.get_fields())
        ]
        declare(
            model,
            record_class="sign-in-attempt",
            fields=fields,
            erase=DELETE,
            dates={"created": "attempt_time"},
        )
