from django.contrib import admin, messages

from newsdesk.articles.models import Article, ArticleTag, Author, SlugRedirect, Source, Tag


class ArticleTagInline(admin.TabularInline):
    model = ArticleTag
    extra = 1
    autocomplete_fields = ["tag"]
    fields = ["tag", "origin", "state", "confidence"]
    readonly_fields = ["confidence"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "source", "status", "published_at", "comment_count"]
    list_filter = ["status", "source", "language"]
    search_fields = ["headline", "body"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["source", "authors"]
    readonly_fields = ["fingerprint", "import_key", "comment_count", "created_at", "updated_at"]
    inlines = [ArticleTagInline]
    actions = ["publish", "withdraw", "make_draft"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "source", "authors", "body"]}),
        ("Publication", {"fields": ["status", "published_at", "language", "canonical_url"]}),
        (
            "Bookkeeping",
            {
                "classes": ["collapse"],
                "fields": ["fingerprint", "import_key", "comment_count", "created_at", "updated_at"],
            },
        ),
    ]

    def _set_status(self, request, queryset, status, verb):
        count = 0
        for article in queryset:  # save() per row so signals (search index) follow
            article.status = status
            article.save()
            count += 1
        self.message_user(request, f"{count} article(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Publish selected articles")
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED, "published")

    @admin.action(description="Withdraw selected articles")
    def withdraw(self, request, queryset):
        self._set_status(request, queryset, Article.Status.WITHDRAWN, "withdrawn")

    @admin.action(description="Move selected articles back to draft")
    def make_draft(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT, "moved to draft")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "homepage_url"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "article"]
    search_fields = ["old_slug"]
    raw_id_fields = ["article"]
