"""Personal API tokens: a reader's or an editor's key to the JSON API."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact


class ApiToken(models.Model):
    """One named token of one user.

    Only the SHA-256 of the secret is stored, so a leaked database does not leak
    working tokens; the short prefix lets a person recognise a token in lists.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="The first characters, shown in lists.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                # A SHA-256 hex digest, never a raw token or an empty value.
                condition=Exact(Length("token_hash"), 64),
                name="api_token_hash_is_sha256_length",
            )
        ]

    def __str__(self) -> str:
        label = self.name or "token"
        return f"{label} ({self.prefix}…) of {self.user}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
