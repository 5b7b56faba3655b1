"""Fees, what a case owes, the payments and refunds against it, and the ledger of every money event.

Written only by ``payments.actions``. No card data is stored anywhere: GOV.UK Pay's pages take
the card, and only its payment id, state and amounts come back here (docs/adr/0110-payments.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from residenthub.core.models import AppendOnlyModel, TimeStampedModel

from .fees import pounds


class ServiceFee(models.Model):
    """A service's validated ``fee`` block from the catalogue (the loader writes it)."""

    service = models.OneToOneField("services.Service", on_delete=models.CASCADE, related_name="fee")
    definition = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"fee for {self.service_id}"


class Charge(TimeStampedModel):
    """What one case owes: priced once from the answers, with its ledger code kept as it was."""

    class Status(models.TextChoices):
        DUE = "due", "Not paid"
        PAID = "paid", "Paid"
        NOT_REQUIRED = "not_required", "No charge (concession)"
        REFUNDED = "refunded", "Refunded"

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="charge")
    amount = models.PositiveIntegerField(help_text="Pence.")
    vat = models.PositiveIntegerField(default=0, help_text="Pence of VAT inside the amount.")
    ledger_code = models.CharField(max_length=40)
    description = models.CharField(max_length=255)
    breakdown = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DUE, db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Online payments started; keys the next one.")
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.case_id}: {pounds(self.amount)} {self.status}"

    @property
    def amount_display(self) -> str:
        return pounds(self.amount)

    @property
    def vat_display(self) -> str:
        return pounds(self.vat)


class Payment(TimeStampedModel):
    """One attempt to pay a charge: online or by phone through GOV.UK Pay, or recorded by staff."""

    class Method(models.TextChoices):
        ONLINE = "online", "Card online (GOV.UK Pay)"
        MOTO = "moto", "Card by phone (GOV.UK Pay)"
        CASH = "cash", "Cash"
        CHEQUE = "cheque", "Cheque"
        OTHER = "other", "Other"

    class State(models.TextChoices):
        # Before GOV.UK Pay answered (a timeout leaves it here; the same key finds it again).
        CREATING = "creating", "Starting"
        CREATED = "created", "Created"
        STARTED = "started", "Started"
        SUBMITTED = "submitted", "Submitted"
        CAPTURABLE = "capturable", "Capturable"
        SUCCESS = "success", "Paid"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        ERROR = "error", "Error"

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=8, choices=Method.choices)
    amount = models.PositiveIntegerField(help_text="Pence.")
    state = models.CharField(max_length=12, choices=State.choices, db_index=True)
    provider_id = models.CharField(max_length=64, null=True, blank=True, unique=True)  # noqa: DJ001
    idempotency_key = models.CharField(max_length=100, unique=True)
    next_url = models.URLField(max_length=2000, blank=True)
    failure_code = models.CharField(max_length=10, blank=True)
    failure_message = models.CharField(max_length=255, blank=True)
    note = models.CharField(max_length=200, blank=True, help_text="For cash and cheques: where and which.")
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    succeeded_at = models.DateTimeField(null=True, blank=True)
    settled_date = models.DateField(null=True, blank=True, db_index=True)
    refund_available = models.IntegerField(null=True, blank=True, help_text="As GOV.UK Pay last said.")
    checked_at = models.DateTimeField(null=True, blank=True)

    FINISHED = {State.SUCCESS, State.FAILED, State.CANCELLED, State.ERROR}
    IN_FLIGHT = {State.CREATING, State.CREATED, State.STARTED, State.SUBMITTED, State.CAPTURABLE}

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {pounds(self.amount)} {self.state}"

    @property
    def amount_display(self) -> str:
        return pounds(self.amount)

    @property
    def is_card(self) -> bool:
        return self.method in {self.Method.ONLINE, self.Method.MOTO}

    @property
    def refunded(self) -> int:
        return sum(r.amount for r in self.refunds.all() if r.status in Refund.COUNTS)


class Refund(TimeStampedModel):
    """Money given back, in full or in part, with the reason; large ones need a second person."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
        SUBMITTED = "submitted", "Submitted"
        SUCCESS = "success", "Refunded"
        ERROR = "error", "Failed"
        REJECTED = "rejected", "Not approved"
        RECORDED = "recorded", "Refunded by other means"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveIntegerField(help_text="Pence.")
    reason = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    provider_id = models.CharField(max_length=64, null=True, blank=True, unique=True)  # noqa: DJ001
    idempotency_key = models.CharField(max_length=100, unique=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    settled_date = models.DateField(null=True, blank=True, db_index=True)
    failure_message = models.CharField(max_length=255, blank=True)

    COUNTS = {Status.SUBMITTED, Status.SUCCESS, Status.RECORDED}

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"refund {pounds(self.amount)} {self.status}"

    @property
    def amount_display(self) -> str:
        return pounds(self.amount)


class PaymentEvent(AppendOnlyModel):
    """The money ledger: every change to a charge, payment or refund, in order, never edited.

    ``webhook_id`` is unique, so a webhook GOV.UK Pay sends twice is recorded once.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="events")
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    refund = models.ForeignKey(Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40)
    amount = models.IntegerField(default=0, help_text="Pence; negative for money going back.")
    source = models.CharField(max_length=20, default="system", help_text="return, webhook, staff, job...")
    webhook_id = models.CharField(max_length=64, null=True, blank=True, unique=True)  # noqa: DJ001
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {pounds(self.amount)}"


class ReconciliationRun(TimeStampedModel):
    """One day's match of GOV.UK Pay's settled payments and refunds against our ledger."""

    date = models.DateField(unique=True)
    provider_payments = models.PositiveIntegerField(default=0)
    provider_refunds = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    mismatches = models.PositiveIntegerField(default=0)
    settled_total = models.IntegerField(default=0, help_text="Pence in, less refunds.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"reconciliation {self.date}"


class Mismatch(TimeStampedModel):
    """Something GOV.UK Pay and our ledger disagree about, for finance staff to resolve."""

    class Kind(models.TextChoices):
        UNKNOWN_PAYMENT = "unknown_payment", "GOV.UK Pay has a payment we do not"
        UNKNOWN_REFUND = "unknown_refund", "GOV.UK Pay has a refund we do not"
        AMOUNT = "amount", "Amounts differ"
        STATE = "state", "We do not have it as paid or refunded"
        NO_CASE = "no_case", "No case for this payment"

    run = models.ForeignKey(ReconciliationRun, on_delete=models.PROTECT, related_name="mismatch_rows")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    provider_id = models.CharField(max_length=64)
    reference = models.CharField(max_length=255, blank=True)
    provider_amount = models.IntegerField(default=0)
    our_amount = models.IntegerField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["resolved_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["run", "kind", "provider_id"], name="one_mismatch_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.provider_id}"
