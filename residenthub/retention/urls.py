from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.schedule, name="schedule"),
    path("sweeps/", views.sweeps, name="sweeps"),
    path("sweeps/dry-run/", views.dry_run, name="dry_run"),
    path("sweeps/<int:pk>/", views.sweep, name="sweep"),
    path("holds/", views.holds, name="holds"),
    path("holds/<int:pk>/release/", views.release_hold, name="release_hold"),
    path("erasures/", views.erasures, name="erasures"),
    path("erasures/new/<str:public_id>/", views.erasure_new, name="erasure_new"),
    path("erasures/<str:reference>/", views.erasure, name="erasure"),
    path("erasures/<str:reference>/certificate/", views.certificate, name="certificate"),
]
