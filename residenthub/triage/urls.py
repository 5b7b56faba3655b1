from django.urls import path

from . import learning_views, views

app_name = "triage"

urlpatterns = [
    path("", views.start, name="start"),
    path("result/<uuid:token>/", views.result, name="result"),
    path("result/<uuid:token>/person/", views.person, name="person"),
    path("result/<uuid:token>/sent/", views.sent, name="sent"),
    path("result/<uuid:token>/answer/", views.answer_feedback, name="answer_feedback"),
    path("chat/", views.chat, name="chat"),
    path("staff/", views.staff_log, name="staff_log"),
    path("staff/queue/", views.staff_queue, name="staff_queue"),
    path("staff/<int:pk>/", views.staff_record, name="staff_record"),
    path("staff/examples/", learning_views.examples, name="staff_examples"),
    path("staff/examples/<int:pk>/review/", learning_views.review_example, name="staff_review_example"),
    path("staff/models/", learning_views.model_versions, name="staff_models"),
    path("staff/models/<int:pk>/activate/", learning_views.activate_model, name="staff_activate_model"),
]
