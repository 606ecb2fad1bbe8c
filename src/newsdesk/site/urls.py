from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "newsdesk back office"
admin.site.site_title = "newsdesk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("newsdesk.accounts.urls")),
    path("comments/", include("newsdesk.comments.urls")),
    path("moderation/", include("newsdesk.moderation.urls")),
    path("search/", include("newsdesk.search.urls")),
    path("api/", include("newsdesk.api.urls")),
    path("", include("newsdesk.feeds.urls")),
    path("", include("newsdesk.enrich.urls")),
    path("", include("newsdesk.articles.urls")),
]
