"""Security headers that Django's SecurityMiddleware does not set."""

import base64
import hashlib

# GOV.UK Frontend's one inline script: marks the body so components can tell JavaScript is on.
# The policy allows it by hash rather than by a per-request nonce, so a rendered page stays the
# same for every request and can be cached (see portal.views.track_case).
JS_ENABLED_SCRIPT = (
    "document.body.className += ' js-enabled' + "
    "('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');"
)
JS_ENABLED_HASH = "sha256-" + base64.b64encode(hashlib.sha256(JS_ENABLED_SCRIPT.encode()).digest()).decode()

_COMMON = (
    "default-src 'self'; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SITE_POLICY = f"{_COMMON}; script-src 'self' '{JS_ENABLED_HASH}'; style-src 'self'"
# The Django admin uses inline scripts and styles of its own.
ADMIN_POLICY = f"{_COMMON}; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'"


class SecurityHeadersMiddleware:
    """Adds a Content-Security-Policy and a Permissions-Policy to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = ADMIN_POLICY if request.path.startswith("/admin/") else SITE_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
