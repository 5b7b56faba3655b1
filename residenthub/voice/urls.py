from django.urls import path

from . import views

app_name = "voice"

urlpatterns = [
    path("twiml/incoming/", views.incoming, name="twiml_incoming"),  # signed by the platform
    path("twiml/gather/", views.gather, name="twiml_gather"),
    path("twiml/status/", views.status, name="twiml_status"),
    path("staff/callbacks/", views.callbacks, name="callbacks"),
    path("staff/callbacks/<int:pk>/", views.callback_detail, name="callback"),
    path("staff/callbacks/<int:pk>/recording/", views.recording, name="recording"),
]
