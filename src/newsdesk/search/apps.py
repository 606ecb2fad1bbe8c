from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SearchConfig(AppConfig):
    name = "newsdesk.search"
    verbose_name = "Search"

    def ready(self):
        from newsdesk.articles.models import Article, ArticleTag, Source, Tag
        from newsdesk.search import signals

        post_save.connect(
            signals.article_saved, sender=Article, dispatch_uid="search-article-saved"
        )
        post_delete.connect(
            signals.article_deleted, sender=Article, dispatch_uid="search-article-deleted"
        )
        for event in (post_save, post_delete):
            event.connect(
                signals.article_tag_changed,
                sender=ArticleTag,
                dispatch_uid=f"search-articletag-{event is post_save}",
            )
        for model in (Tag, Source):
            post_save.connect(
                signals.name_changed, sender=model, dispatch_uid=f"search-{model.__name__}-renamed"
            )
