from django.urls import re_path

from media import views

app_name = "media"

urlpatterns = [
    re_path(
        r"^img/(?P<pk>[0-9]{1,18})-(?P<token>[0-9a-f]{16})/(?P<name>[a-z0-9x.-]{5,20})$",
        views.rendition,
        name="rendition",
    ),
]
