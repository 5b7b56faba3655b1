from django.urls import path

from . import views

app_name = "backoffice"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("mine/", views.my_cases, name="mine"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("cases/bulk/", views.bulk_action, name="bulk"),
    path("cases/<str:reference>/", views.case_detail, name="case"),
    path("cases/<str:reference>/act/", views.case_action, name="case_action"),
    path("export.<str:fmt>", views.export, name="export"),  # fmt: csv or xlsx
    path("search/", views.search_cases, name="search"),
    path("new/", views.new_case, name="new_case"),
    path("new/stop/", views.stop_assisting, name="stop_assisting"),
    path("audit/", views.audit_log, name="audit"),
]
