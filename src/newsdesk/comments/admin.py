"""Back-office views of the discussion. Status changes go through services.set_status so
that Article.comment_count stays in step; full moderation queues are issue 4's."""

from django.contrib import admin

from newsdesk.comments import services
from newsdesk.comments.models import Comment, CommentRevision, DiscussionSettings


class CommentRevisionInline(admin.TabularInline):
    model = CommentRevision
    extra = 0
    can_delete = False
    readonly_fields = ("body", "created_at")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "article", "author", "guest_name", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("body", "guest_name", "guest_email", "author__username")
    raw_id_fields = ("article", "parent", "author")
    readonly_fields = (
        "status", "body_html", "recommendation_count", "created_at", "edited_at",
        "ip_address", "user_agent", "spam_score", "moderation_reasons",
    )  # fmt: skip
    inlines = [CommentRevisionInline]
    actions = ["publish", "reject", "mark_spam"]

    def _moderate(self, request, queryset, action):
        # The moderation service writes the audit row and feeds the spam filter.
        from newsdesk.moderation.services import moderate_many

        moderate_many(queryset.values_list("pk", flat=True), action, by=request.user)

    @admin.action(description="Publish selected comments")
    def publish(self, request, queryset):
        self._moderate(request, queryset, "approve")

    @admin.action(description="Reject selected comments")
    def reject(self, request, queryset):
        self._moderate(request, queryset, "reject")

    @admin.action(description="Mark selected comments as spam")
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, "spam")

    def save_model(self, request, obj, form, change):
        from newsdesk.comments.markup import render_comment

        obj.body_html = render_comment(obj.body)
        super().save_model(request, obj, form, change)
        services.refresh_comment_count(obj.article_id)


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    list_display = ("article", "closed", "mode")
    list_filter = ("closed", "mode")
    raw_id_fields = ("article",)
