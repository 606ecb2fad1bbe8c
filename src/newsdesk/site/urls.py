from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "newsdesk back office"
admin.site.site_title = "newsdesk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("newsdesk.articles.urls")),
]
