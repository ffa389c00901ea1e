import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from articles import sitemaps
from articles import views as articles_views
from articles.caching import reader_page
from newsroom import accounts, views
from newsroom import admin as newsroom_admin

# The 503 page, not a server error, when the database goes away outside a view.
handler500 = "newsroom.views.server_error"

urlpatterns = [
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
    path("sitemap.xml", reader_page(sitemaps.index), name="sitemap-index"),
    path("sitemaps/news.xml", reader_page(sitemaps.news), name="sitemap-news"),
    path("sitemaps/<slug:section>.xml", reader_page(sitemaps.sitemap), name="sitemap"),
    # A story page's beacon: each request a reader's browser makes is one reading.
    path("read/<str:pk>/", articles_views.reading, name="reading"),
    path("", include("media.urls")),
    # Apps and partners read stories here; the edition is a parameter, not a prefix.
    path("api/v1/", include("api.urls")),
]

if settings.NEWSROOM_SERVE_UPLOADS:
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            views.serve_upload,
        ),
    ]

# Each language is an edition at its own address: / Russian, /kk/ Kazakh, /en/ English.
urlpatterns += i18n_patterns(
    # Before the admin's own: see newsroom.admin.view_on_site.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(newsroom_admin.view_on_site),
    ),
    # A staff member's own authenticator app (newsroom/accounts.py), beside the admin.
    path(
        "admin/two-factor/",
        admin.site.admin_view(accounts.two_factor_setup),
        name="two-factor-setup",
    ),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    prefix_default_language=False,
)
