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


class RejectUnstorableInput:
    """Answers 400 to a page request whose query or form holds characters we cannot store.

    The APIs under /api/ and /open311/ check their own input, to answer in their own formats.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(("/api/", "/open311/")):
            from django.shortcuts import render

            from .text import unstorable

            if unstorable(request.path):  # no page has such an address
                return render(request, "404.html", status=404)
            if self._unstorable(request):
                return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _unstorable(request) -> bool:
        from django.http.multipartparser import MultiPartParserError

        from .text import unstorable

        try:
            values = [*request.GET.lists(), *(request.POST.lists() if request.method == "POST" else [])]
        except (MultiPartParserError, ValueError):
            return False  # a broken body is the view's to refuse
        return any(unstorable(key) or unstorable(items) for key, items in values)


class RequestBodyLimit:
    """Answers 413 before reading a body larger than the path allows, so nobody can make the server
    spool gigabytes to disk by posting to a form. The largest bodies (recordings, FOI documents) are
    allowed only under the staff paths that take them (``REQUEST_BODY_LIMITS``). The proxy in front
    should refuse bodies above the largest limit too (docs/operations.md), since a chunked request
    has no length to check here."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.default = settings.REQUEST_BODY_MAX_BYTES
        self.limits = sorted(settings.REQUEST_BODY_LIMITS.items(), key=lambda item: -len(item[0]))

    def limit_for(self, path: str) -> int:
        return next((limit for prefix, limit in self.limits if path.startswith(prefix)), self.default)

    def __call__(self, request):
        from django.http import HttpResponse, JsonResponse

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = self.limit_for(request.path)
        if length > limit:
            message = f"The request is too large: at most {limit // (1024 * 1024)} MB can be sent here."
            if request.path.startswith(("/api/", "/open311/", "/triage/api/")):
                return JsonResponse(
                    {"error": {"status": 413, "code": "too_large", "message": message}}, status=413
                )
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
