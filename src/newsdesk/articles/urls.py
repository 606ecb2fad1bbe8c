from django.urls import path

from newsdesk.articles import views

app_name = "articles"

urlpatterns = [
    path("", views.front_page, name="front"),
    path("news/<slug:slug>/", views.article_detail, name="detail"),
    path("tags/<slug:slug>/", views.tag_page, name="tag"),
    path("sources/<slug:slug>/", views.source_page, name="source"),
]
