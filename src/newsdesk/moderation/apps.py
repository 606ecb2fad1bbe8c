from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "newsdesk.moderation"
    verbose_name = "Moderation"

    def ready(self):
        from newsdesk.moderation import moderator  # noqa: F401  (connects the form checks)
