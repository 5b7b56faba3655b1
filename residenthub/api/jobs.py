"""Background jobs of the API app (Celery finds them here)."""

from .webhooks import deliver, deliver_due

__all__ = ["deliver", "deliver_due"]
