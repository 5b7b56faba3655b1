from django.urls import path

from . import views

app_name = "triage"

urlpatterns = [
    path("", views.start, name="start"),
    path("result/<uuid:token>/", views.result, name="result"),
    path("result/<uuid:token>/person/", views.person, name="person"),
    path("result/<uuid:token>/sent/", views.sent, name="sent"),
    path("result/<uuid:token>/answer/", views.answer_feedback, name="answer_feedback"),
    path("chat/", views.chat, name="chat"),
    path("api/phone/", views.phone, name="phone"),
    path("staff/", views.staff_log, name="staff_log"),
    path("staff/queue/", views.staff_queue, name="staff_queue"),
    path("staff/<int:pk>/", views.staff_record, name="staff_record"),
]
