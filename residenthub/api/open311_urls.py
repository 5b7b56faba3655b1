from django.urls import re_path

from . import open311

app_name = "open311"

FMT = r"\.(?P<fmt>xml|json)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    re_path(r"^services" + FMT, open311.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+?)" + FMT, open311.service_definition, name="service"),
    re_path(r"^requests" + FMT, open311.requests_view, name="requests"),
    re_path(r"^requests/(?P<reference>[^/]+?)" + FMT, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FMT, open311.token, name="token"),
    re_path(r"^servicerequestupdates" + FMT, open311.updates, name="updates"),
]
