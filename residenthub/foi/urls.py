from django.urls import path

from . import views

app_name = "foi"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new_request, name="new"),
    path("email/", views.upload_email, name="upload_email"),
    path("performance/", views.performance, name="performance"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/pages/<int:page>/", views.document_page, name="document_page"),
    path(
        "documents/<int:pk>/pages/<int:page>/image.png", views.document_page_image, name="document_page_image"
    ),
    path("packs/<int:pk>/<str:fmt>/", views.sar_pack_download, name="sar_pack"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/documents/", views.upload_document, name="upload_document"),
]
