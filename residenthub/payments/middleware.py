"""Lets the pages that start a payment send their form on to GOV.UK Pay's card pages.

The site's Content-Security-Policy says ``form-action 'self'``, and browsers apply it to every
redirect a form submission follows: "Accept and pay" (a form posted here, answered with a redirect
to GOV.UK Pay) would be blocked. Only on the pages that start payments, GOV.UK Pay's card page
origin (``GOVUK_PAY_PAGES_ORIGIN``) is added to ``form-action``; everything else stays as it was.
"""

from __future__ import annotations

from django.conf import settings

from residenthub.core.middleware import SITE_POLICY

PAYMENT_PATHS = ("/pay/", "/staff/payments/")


def _starts_payments(path: str) -> bool:
    return path.startswith(PAYMENT_PATHS) or (
        path.startswith("/services/") and path.endswith("/check-your-answers/")
    )


class PaymentFormsPolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origin = settings.GOVUK_PAY_PAGES_ORIGIN
        if origin and _starts_payments(request.path) and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = SITE_POLICY.replace(
                "form-action 'self'", f"form-action 'self' {origin}"
            )
        return response
