from django.urls import path

from . import views

app_name = "minutes_public"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("<slug:slug>/", views.public_committee, name="committee"),
    path("<slug:slug>/<int:pk>/", views.public_meeting, name="meeting"),
    path("<slug:slug>/<int:pk>/minutes.<str:fmt>", views.public_download, name="download"),
]
