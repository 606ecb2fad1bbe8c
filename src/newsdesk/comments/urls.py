from django.urls import path

from newsdesk.comments import views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post, name="post"),
    path("<int:comment_id>/", views.permalink, name="permalink"),
    path("<int:comment_id>/edit/", views.edit, name="edit"),
    path("<int:comment_id>/delete/", views.delete, name="delete"),
    path("<int:comment_id>/recommend/", views.recommend, name="recommend"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
