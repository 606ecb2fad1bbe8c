from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "newsdesk.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from newsdesk.accounts import signals  # noqa: F401  (connects the receivers)
