from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("", views.letter_list, name="list"),
    path("batch.pdf", views.batch_pdf, name="batch"),
    path("printed/", views.mark_printed, name="printed"),
    path("<int:pk>.pdf", views.letter_pdf, name="pdf"),
]
