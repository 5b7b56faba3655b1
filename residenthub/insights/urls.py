from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kpis/", views.kpi_page, name="kpis"),
    path("benefits/", views.benefits, name="benefits"),
    path("benefits/<slug:slug>/rag", views.set_rag, name="set_rag"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/<str:kind>", views.report_file, name="report_file"),
]
