from django.urls import path

from articles import feeds, views
from articles.caching import reader_page

app_name = "articles"

urlpatterns = [
    path("", reader_page(views.FrontPageView.as_view()), name="front-page"),
    path("rss/", reader_page(feeds.StoriesFeed()), name="feed"),
    path("rss/atom/", reader_page(feeds.StoriesAtomFeed()), name="feed-atom"),
    path("rss/yandex/", reader_page(feeds.YandexNewsFeed()), name="feed-yandex"),
    path("rss/dzen/", reader_page(feeds.DzenFeed()), name="feed-dzen"),
    path("rss/sections/<slug:slug>/", reader_page(feeds.SectionFeed()), name="section-feed"),
    path(
        "rss/sections/<slug:slug>/atom/",
        reader_page(feeds.SectionAtomFeed()),
        name="section-feed-atom",
    ),
    path("rss/tags/<slug:slug>/", reader_page(feeds.TagFeed()), name="tag-feed"),
    path("rss/tags/<slug:slug>/atom/", reader_page(feeds.TagAtomFeed()), name="tag-feed-atom"),
    path("rss/authors/<slug:slug>/", reader_page(feeds.AuthorFeed()), name="author-feed"),
    path(
        "rss/authors/<slug:slug>/atom/",
        reader_page(feeds.AuthorAtomFeed()),
        name="author-feed-atom",
    ),
    path("authors/<slug:slug>/", reader_page(views.AuthorView.as_view()), name="author"),
    path("tags/<slug:slug>/", reader_page(views.TagView.as_view()), name="tag"),
    # Endless distinct queries would only crowd the cache: search is always fresh.
    path("search/", views.SearchView.as_view(), name="search"),
    path("preview/<str:token>/", views.preview_link, name="preview-link"),
    path("<slug:slug>/", reader_page(views.SectionView.as_view()), name="section"),
    path(
        "<slug:section>/<int:pk>-<str:slug>/",
        reader_page(views.article_detail),
        name="article",
    ),
]
