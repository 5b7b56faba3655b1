"""Read-only admin views of the money records: every change goes through ``payments.actions``."""

from django.contrib import admin

from .models import Charge, Mismatch, Payment, PaymentEvent, ReconciliationRun, Refund


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Charge)
class ChargeAdmin(ReadOnly):
    list_display = ["case", "amount", "status", "ledger_code", "created_at"]
    list_filter = ["status", "ledger_code"]
    search_fields = ["case__reference"]


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ["charge", "method", "amount", "state", "provider_id", "created_at", "settled_date"]
    list_filter = ["method", "state"]
    search_fields = ["provider_id", "charge__case__reference"]


@admin.register(Refund)
class RefundAdmin(ReadOnly):
    list_display = ["payment", "amount", "status", "requested_by", "approved_by", "created_at"]
    list_filter = ["status"]


@admin.register(PaymentEvent)
class PaymentEventAdmin(ReadOnly):
    list_display = ["at", "charge", "kind", "amount", "source"]
    list_filter = ["kind", "source"]


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(ReadOnly):
    list_display = ["date", "provider_payments", "provider_refunds", "matched", "mismatches"]


@admin.register(Mismatch)
class MismatchAdmin(ReadOnly):
    list_display = ["run", "kind", "provider_id", "reference", "provider_amount", "our_amount", "resolved_at"]
    list_filter = ["kind"]
