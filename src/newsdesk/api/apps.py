from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "newsdesk.api"
    verbose_name = "Api"
