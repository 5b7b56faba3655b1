from django.urls import path

from . import views

app_name = "identity"

urlpatterns = [
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review_pair, name="review_pair"),
    path("review/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("person/<str:public_id>/", views.person_detail, name="person"),
    path("household/<str:public_id>/", views.household_detail, name="household"),
    path("api/match/", views.match, name="match"),
]
