from django.urls import path

from media import views

app_name = "media"

urlpatterns = [
    path("img/<int:pk>-<str:token>/<str:name>", views.rendition, name="rendition"),
]
