from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "newsdesk.moderation"
    verbose_name = "Moderation"
