"""Open data: the service KPIs at a public address, no personal data, small cells suppressed."""

from django.urls import path

from . import views

app_name = "insights_public"

urlpatterns = [
    path("service-kpis.csv", views.kpis_csv, name="kpis_csv"),
    path("service-kpis.json", views.kpis_json, name="kpis_json"),
]
