"""Signal receivers that keep the index following every create, edit, withdrawal, delete."""

from newsdesk.search import services


def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.sync_article_now_and_on_commit(instance.pk)


def article_deleted(sender, instance, **kwargs):
    services.remove_article(instance.pk)


def article_tag_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        services.sync_article_now_and_on_commit(instance.article_id)


def name_changed(sender, instance, raw=False, created=False, **kwargs):
    """A renamed tag or source changes the text of every article that carries it."""
    if raw or created:
        return
    from newsdesk.articles.models import Article, Source

    articles = (
        Article.objects.filter(source=instance)
        if sender is Source
        else Article.objects.filter(article_tags__tag=instance)
    )
    for article_id in articles.filter(status=Article.Status.PUBLISHED).values_list("pk", flat=True):
        services.sync_article(article_id)
