"""`newsdesk api token create USERNAME [--name N]`, `... token list [USERNAME]`, `... token revoke PREFIX`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from newsdesk.api.models import ApiToken
from newsdesk.api.tokens import issue_token, revoke_token


class Command(BaseCommand):
    help = "Manage personal API tokens."

    def add_arguments(self, parser):
        topics = parser.add_subparsers(dest="topic", required=True)
        token = topics.add_parser("token", help="personal API tokens")
        actions = token.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="issue a token and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")
        listing = actions.add_parser("list", help="tokens, without their secrets")
        listing.add_argument("username", nargs="?")
        revoke = actions.add_parser("revoke", help="stop a token from working")
        revoke.add_argument("prefix", help="the token's prefix, as `list` shows it")

    def handle(self, *args, topic, action, **options):
        getattr(self, f"token_{action}")(**options)

    def token_create(self, *, username, name, **_):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        _token, raw = issue_token(user, name)
        self.stderr.write("Copy the token now; it is stored only as a hash and not shown again.")
        self.stdout.write(raw)

    def token_list(self, *, username=None, **_):
        tokens = ApiToken.objects.select_related("user")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            state = "revoked" if token.is_revoked else "active"
            used = token.last_used_at.isoformat() if token.last_used_at else "never used"
            self.stdout.write(
                f"{token.prefix}\t{token.user.get_username()}\t{token.name}\t{state}\t{used}"
            )

    def token_revoke(self, *, prefix, **_):
        tokens = list(ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True))
        if len(tokens) != 1:
            raise CommandError(f"{len(tokens)} active tokens have the prefix {prefix!r}; need one.")
        revoke_token(tokens[0])
        self.stdout.write(f"Revoked {prefix}.")
