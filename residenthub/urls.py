from django.contrib import admin
from django.urls import include, path

from residenthub.api import phone

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include("residenthub.backoffice.urls")),
    path("staff/identity/", include("residenthub.identity.urls")),
    path("triage/api/phone/", phone.phone, name="triage_phone"),  # key-checked: residenthub/api/phone.py
    path("triage/", include("residenthub.triage.urls")),
    path("voice/", include("residenthub.voice.urls")),  # webhooks signed; staff pages staff_required
    path("api/v1/", include("residenthub.api.urls")),
    path("open311/v2/", include("residenthub.api.open311_urls")),
    path("staff/foi/", include("residenthub.foi.urls")),
    path("disclosure-log/", include("residenthub.foi.public_urls")),
    path("staff/minutes/", include("residenthub.minutes.urls")),
    path("minutes/", include("residenthub.minutes.public_urls")),
    path("", include("residenthub.payments.urls")),
    path("staff/letters/", include("residenthub.letters.urls")),
    path("", include("residenthub.feedback.urls")),
    path("staff/insights/", include("residenthub.insights.urls")),
    path("staff/retention/", include("residenthub.retention.urls")),
    path("open-data/", include("residenthub.insights.public_urls")),
    path("", include("residenthub.portal.urls")),
    # After the portal, so the resident pages most visited (tracking, the journey) resolve without
    # passing these: staff tasks and flags, and the resident account (/account/...).
    path("", include("residenthub.residents.urls")),
]

handler403 = "residenthub.portal.views.forbidden"
handler404 = "residenthub.portal.views.not_found"
handler500 = "residenthub.portal.views.server_error"
