from django.urls import path

from api import schema, views

app_name = "api"

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("stories/", views.StoryListView.as_view(), name="story-list"),
    path("stories/<int:pk>/", views.StoryDetailView.as_view(), name="story-detail"),
    path("sections/", views.SectionListView.as_view(), name="section-list"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("authors/", views.AuthorListView.as_view(), name="author-list"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("schema/", schema.SchemaView.as_view(), name="schema"),
]
