from django.contrib import admin
from django.urls import include, path

from residenthub.api import phone

# Staff pages share one prefix, so a resident's request passes them all with one test.
staff_urlpatterns = [
    path("", include("residenthub.backoffice.urls")),
    path("identity/", include("residenthub.identity.urls")),
    path("foi/", include("residenthub.foi.urls")),
    path("minutes/", include("residenthub.minutes.urls")),
    path("letters/", include("residenthub.letters.urls")),
    path("insights/", include("residenthub.insights.urls")),
    path("retention/", include("residenthub.retention.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include(staff_urlpatterns)),
    path("triage/api/phone/", phone.phone, name="triage_phone"),  # key-checked: residenthub/api/phone.py
    path("triage/", include("residenthub.triage.urls")),
    path("voice/", include("residenthub.voice.urls")),  # webhooks signed; staff pages staff_required
    path("api/v1/", include("residenthub.api.urls")),
    path("open311/v2/", include("residenthub.api.open311_urls")),
    path("disclosure-log/", include("residenthub.foi.public_urls")),
    path("minutes/", include("residenthub.minutes.public_urls")),
    path("open-data/", include("residenthub.insights.public_urls")),
    path("", include("residenthub.portal.urls")),
    # After the portal, so the resident pages most visited (tracking, the journey) resolve without
    # passing these: payments (/pay/..., /staff/payments/...), feedback (/feedback/...,
    # /staff/feedback/), staff tasks and flags, and the resident account (/account/...). None of their
    # paths is one of the portal's.
    path("", include("residenthub.payments.urls")),
    path("", include("residenthub.feedback.urls")),
    path("", include("residenthub.residents.urls")),
]

handler403 = "residenthub.portal.views.forbidden"
handler404 = "residenthub.portal.views.not_found"
handler500 = "residenthub.portal.views.server_error"
