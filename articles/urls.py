from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front-page"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("preview/<str:token>/", views.preview_link, name="preview-link"),
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("<slug:section>/<int:pk>-<str:slug>/", views.article_detail, name="article"),
]
