from django.urls import path

from newsdesk.enrich import views

app_name = "enrich"

urlpatterns = [
    path("people/<slug:slug>/", views.person_page, name="person"),
    path("stories/<slug:slug>/", views.story_page, name="story"),
]
