"""Small includes other apps' pages use to show what a case owes and whether it is paid."""

from __future__ import annotations

from django import template

from ..queries import summary

register = template.Library()


@register.inclusion_tag("payments/includes/payment_panel.html")
def payment_panel(case):
    """Amount and payment status for the resident (confirmation and tracking pages)."""
    return {"case": case, "info": summary(case)}


@register.inclusion_tag("payments/includes/staff_summary.html")
def staff_payment_summary(case):
    """Paid or unpaid on the staff case page, with a link to the case's payments."""
    return {"case": case, "info": summary(case)}
