from django.apps import AppConfig


class EnrichConfig(AppConfig):
    name = "newsdesk.enrich"
    verbose_name = "Enrich"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from newsdesk.articles.models import Article
        from newsdesk.enrich.signals import article_saved

        post_save.connect(article_saved, sender=Article, dispatch_uid="enrich.article_saved")
