from django.urls import path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front-page"),
    path("rss/", feeds.StoriesFeed(), name="feed"),
    path("rss/atom/", feeds.StoriesAtomFeed(), name="feed-atom"),
    path("rss/yandex/", feeds.YandexNewsFeed(), name="feed-yandex"),
    path("rss/dzen/", feeds.DzenFeed(), name="feed-dzen"),
    path("rss/sections/<slug:slug>/", feeds.SectionFeed(), name="section-feed"),
    path("rss/sections/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section-feed-atom"),
    path("rss/tags/<slug:slug>/", feeds.TagFeed(), name="tag-feed"),
    path("rss/tags/<slug:slug>/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("rss/authors/<slug:slug>/", feeds.AuthorFeed(), name="author-feed"),
    path("rss/authors/<slug:slug>/atom/", feeds.AuthorAtomFeed(), name="author-feed-atom"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("preview/<str:token>/", views.preview_link, name="preview-link"),
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("<slug:section>/<int:pk>-<str:slug>/", views.article_detail, name="article"),
]
