from django.urls import path

from . import views, views_people

app_name = "identity"

urlpatterns = [
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review_pair, name="review_pair"),
    path("review/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("person/<str:public_id>/", views.person_detail, name="person"),
    path("household/<str:public_id>/", views.household_detail, name="household"),
    path("people/", views_people.person_search, name="people"),
    path("case/<str:reference>/person/", views_people.case_person, name="case_person"),
    path("api/match/", views.match, name="match"),
]
