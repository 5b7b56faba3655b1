from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("pay/webhook/", views.webhook, name="webhook"),
    path("pay/return/<str:token>/", views.pay_return, name="return"),
    path("pay/<str:reference>/", views.pay, name="pay"),
    path("pay/<str:reference>/paid/", views.paid, name="paid"),
    path("staff/payments/mismatches/", views.mismatches, name="mismatches"),
    path("staff/payments/finance-<str:day>.csv", views.finance_export, name="finance_export"),
    path("staff/payments/cases/<str:reference>/", views.staff_case, name="staff_case"),
]
