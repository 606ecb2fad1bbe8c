from django.contrib import admin, messages

from newsdesk.articles.models import ArticleTag
from newsdesk.enrich.models import Entity, EntityAlias, Quote, Story, StoryArticle, TagSuggestion
from newsdesk.enrich.services import accept_suggestions, reject_suggestions


class EntityAliasInline(admin.TabularInline):
    model = EntityAlias
    extra = 1


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "tag"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["tag"]
    inlines = [EntityAliasInline]


@admin.register(TagSuggestion)
class TagSuggestionAdmin(admin.ModelAdmin):
    """Automatic tags waiting for an editor: accept makes them visible, reject hides
    them for good (re-enrichment never suggests a rejected tag again)."""

    list_display = ["tag", "tag_kind", "article", "confidence", "created_at"]
    list_filter = ["tag__kind"]
    search_fields = ["tag__name", "article__headline"]
    ordering = ["-confidence", "-created_at"]
    list_select_related = ["tag", "article"]
    actions = ["accept", "reject"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(origin=ArticleTag.Origin.AUTOMATIC, state=ArticleTag.State.SUGGESTED)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # decided with the actions, not edited field by field

    @admin.display(description="kind", ordering="tag__kind")
    def tag_kind(self, obj):
        return obj.tag.get_kind_display()

    @admin.action(description="Accept selected suggestions (show as tags)", permissions=["view"])
    def accept(self, request, queryset):
        count = accept_suggestions(queryset)
        self.message_user(request, f"{count} suggestion(s) accepted.", messages.SUCCESS)

    @admin.action(
        description="Reject selected suggestions (never suggest again)", permissions=["view"]
    )
    def reject(self, request, queryset):
        count = reject_suggestions(queryset)
        self.message_user(request, f"{count} suggestion(s) rejected.", messages.SUCCESS)


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["text", "speaker", "article"]
    search_fields = ["text", "speaker__name"]
    raw_id_fields = ["article", "speaker"]


class StoryArticleInline(admin.TabularInline):
    model = StoryArticle
    raw_id_fields = ["article"]
    extra = 0


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "first_seen", "last_seen"]
    search_fields = ["title"]
    inlines = [StoryArticleInline]
