"""Personal data in the resident portal (read by retention)."""

from residenthub.retention.registry import DELETE, declare

from .models import SignInToken

declare(
    SignInToken,
    record_class="sign-in-token",
    fields=["email"],
    erase=DELETE,
    match={"email": ["email"]},
    dates={"created": "created_at"},
)
