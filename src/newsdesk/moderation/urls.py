from django.urls import path

from newsdesk.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("comments/<int:comment_id>/<str:action>/", views.act, name="act"),
    path("bulk/", views.bulk, name="bulk"),
    path("phrases/", views.phrases, name="phrases"),
    path("phrases/<int:phrase_id>/delete/", views.phrase_delete, name="phrase_delete"),
    path("bans/", views.bans, name="bans"),
    path("bans/<int:ban_id>/lift/", views.ban_lift, name="ban_lift"),
    path("audit/", views.audit, name="audit"),
    path("report/<int:comment_id>/", views.report, name="report"),
]
