"""Back office for ingestion: feeds with their health and a "poll now" action,
per-source settings, story groups."""

from django.contrib import admin, messages
from django.utils import timezone

from newsdesk.ingest.models import Feed, FeedErrorLog, SourceSettings, StoryGroup, TrainingExample
from newsdesk.ingest.tasks import poll_feed_task


class FeedErrorInline(admin.TabularInline):
    model = FeedErrorLog
    extra = 0
    fields = ["at", "message"]
    readonly_fields = ["at", "message"]
    can_delete = False
    max_num = 0
    ordering = ["-at"]

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-at")


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "source",
        "every_minutes",
        "active",
        "last_fetched_at",
        "health",
        "items_taken",
        "next_fetch_at",
    ]
    list_filter = ["active", "source"]
    search_fields = ["url"]
    readonly_fields = [
        "etag",
        "last_modified",
        "last_fetched_at",
        "last_error",
        "error_count",
        "next_fetch_at",
        "items_taken",
        "created_at",
    ]
    autocomplete_fields = ["source"]
    inlines = [FeedErrorInline]
    actions = ["poll_now"]

    @admin.display(description="last error")
    def health(self, feed: Feed) -> str:
        if not feed.error_count:
            return "ok"
        return f"{feed.error_count}× {feed.last_error[:120]}"

    @admin.action(description="Poll the selected feeds now")
    def poll_now(self, request, queryset):
        ids = list(queryset.values_list("id", flat=True))
        queryset.update(next_fetch_at=timezone.now())
        for feed_id in ids:
            poll_feed_task.enqueue(feed_id)
        self.message_user(request, f"Queued {len(ids)} feed polls.", messages.SUCCESS)


@admin.register(SourceSettings)
class SourceSettingsAdmin(admin.ModelAdmin):
    list_display = ["source", "default_status"]
    list_editable = ["default_status"]
    autocomplete_fields = ["source"]


@admin.register(StoryGroup)
class StoryGroupAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "versions"]

    @admin.display(description="versions")
    def versions(self, group: StoryGroup) -> str:
        members = group.members.select_related("article__source")[:10]
        return "; ".join(f"{m.article.source or '?'}: {m.article.headline[:60]}" for m in members)


@admin.register(TrainingExample)
class TrainingExampleAdmin(admin.ModelAdmin):
    list_display = ["label", "origin", "created_at", "text"]
    list_filter = ["label", "origin"]
