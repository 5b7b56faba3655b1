"""Personal data in the resident portal (read by retention)."""

from residenthub.core.personal_data_registry import DELETE, declare

from .models import SignInToken

declare(
    SignInToken,
    record_class="sign-in-token",
    fields=["email"],
    erase=DELETE,
    match={"email": ["email"]},
    dates={"created": "created_at"},
)
