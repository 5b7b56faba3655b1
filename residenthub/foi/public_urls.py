from django.urls import path  # noqa: F401

app_name = "foi_public"

urlpatterns: list = []
