from django.urls import path

from . import account, views

app_name = "residents"

urlpatterns = [
    # Staff: the team's tasks, and flags on a person (shown on identity's resident 360 page).
    path("staff/tasks/", views.task_list, name="tasks"),
    path("staff/tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("staff/identity/person/<str:public_id>/flags/", views.person_flag, name="person_flag"),
    # The resident account (signing in and out are the portal's: /account/sign-in/, /account/sign-out/).
    path("account/", account.account_home, name="account"),
    path("account/requests/", account.your_requests, name="your_requests"),
    path("account/details/", account.account_details, name="account_details"),
    path("account/address/", account.account_address, name="account_address"),
    path("account/move/", account.move, name="move"),
    path("account/move/check/", account.move_check, name="move_check"),
    path("account/move/done/", account.move_done, name="move_done"),
]
