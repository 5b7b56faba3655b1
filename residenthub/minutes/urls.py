from django.urls import path

from . import views

app_name = "minutes"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_meeting, name="new"),
    path("tasks/", views.tasks, name="tasks"),
    path("<int:pk>/", views.meeting, name="meeting"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/transcript/", views.transcript, name="transcript"),
    path("<int:pk>/transcript/<int:index>/", views.edit_segment, name="edit_segment"),
    path("<int:pk>/recording/", views.recording_audio, name="recording"),
    path("<int:pk>/draft/", views.draft, name="draft"),
    path("<int:pk>/lines/<int:line_id>/", views.edit_line, name="edit_line"),
]
