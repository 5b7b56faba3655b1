from django.urls import path

from . import views

app_name = "residents"

urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("<int:pk>/done/", views.task_done, name="task_done"),
]
