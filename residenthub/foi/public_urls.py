from django.urls import path

from . import views

app_name = "foi_public"

urlpatterns = [
    path("", views.disclosure_log, name="log"),
    path("disclosure-log.csv", views.disclosure_csv, name="csv"),
    path("disclosure-log.json", views.disclosure_json, name="json"),
    path("<str:reference>/", views.disclosure_item, name="item"),
    path("<str:reference>/documents/<int:number>/", views.disclosure_document, name="document"),
]
