from django.urls import path, re_path

from . import rest

app_name = "api"

urlpatterns = [
    path("", rest.docs, name="docs"),
    path("openapi.json", rest.openapi_json, name="openapi"),
    path("services", rest.services, name="services"),
    path("services/<str:code>", rest.service_detail, name="service"),
    path("cases", rest.create_case, name="cases"),
    path("cases/track/<str:token>", rest.track, name="track"),
    path("staff/cases", rest.staff_cases, name="staff_cases"),
    path("staff/cases/<str:reference>", rest.staff_case, name="staff_case"),
    path("staff/cases/<str:reference>/transition", rest.staff_transition, name="transition"),
    path("staff/cases/<str:reference>/notes", rest.staff_note, name="notes"),
    path("staff/cases/<str:reference>/assign", rest.staff_assign, name="assign"),
    path("staff/persons/match", rest.staff_person_match, name="person_match"),
    re_path(r"^.*$", rest.not_found),  # every unknown /api/v1/ path answers in JSON
]
