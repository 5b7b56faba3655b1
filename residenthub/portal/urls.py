from django.conf import settings
from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/<slug:code>/", views.service_start, name="service"),
    path("services/<slug:code>/your-details/", views.contact, name="contact"),
    path("services/<slug:code>/check-your-answers/", views.check, name="check"),
    path("services/<slug:code>/confirmation/", views.confirmation, name="confirmation"),
    path("services/<slug:code>/<slug:name>/", views.question, name="question"),
    path("track/", views.track, name="track"),
    path("track/link/<str:token>/", views.track_link, name="track_link"),
    path("track/<str:reference>/", views.track_case, name="track_case"),
    path("track/<str:reference>/files/<str:token>/", views.attachment_download, name="attachment"),
    path("account/sign-in/", views.sign_in, name="sign_in"),
    path("account/sign-in/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("account/sign-out/", views.sign_out, name="sign_out"),
    path("accessibility/", views.static_page, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", views.static_page, {"page": "privacy"}, name="privacy"),
    path("cookies/", views.static_page, {"page": "cookies"}, name="cookies"),
    path("healthz", views.health, name="health"),
]
if settings.BENCHMARK_BASELINE_VIEW:  # only in benchmark runs (benchmarks/web.py sets it)
    urlpatterns.append(path("bench/bare", views.bare, name="bare"))
