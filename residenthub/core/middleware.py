"""Security headers that Django's SecurityMiddleware does not set."""

import secrets


class SecurityHeadersMiddleware:
    """Adds a Content-Security-Policy with a per-request nonce, and Permissions-Policy.

    Templates put ``nonce="{{ request.csp_nonce }}"`` on the one inline script GOV.UK Frontend
    needs (the ``js-enabled`` class on body).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            # Django admin uses inline styles; it gets a policy without the style restriction.
            style = "style-src 'self' 'unsafe-inline'"
        else:
            style = "style-src 'self'"
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self' 'nonce-{request.csp_nonce}'; {style}; "
            "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        return response
