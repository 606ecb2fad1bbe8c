from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save

# Apps whose rows readers see on pages; a change in any of them invalidates cached pages.
PUBLIC_CONTENT_APPS = {"articles", "comments", "enrich"}


class SiteConfig(AppConfig):
    name = "newsdesk.site"
    label = "newsdesk_site"
    verbose_name = "Site"

    def ready(self):
        from django.apps import apps

        from newsdesk.site.pagecache import bump_on_change

        for model in apps.get_models():
            if model._meta.app_label in PUBLIC_CONTENT_APPS:
                uid = f"pagecache-{model._meta.label}"
                post_save.connect(bump_on_change, sender=model, dispatch_uid=uid + "-save")
                post_delete.connect(bump_on_change, sender=model, dispatch_uid=uid + "-delete")
        m2m_changed.connect(bump_on_change, dispatch_uid="pagecache-m2m")
