"""What newsdesk knows about a reader beyond Django's User: name shown, e-mail state, preferences."""

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=80, blank=True)
    email_confirmed = models.BooleanField(default=False)
    notify_replies = models.BooleanField(
        default=False, help_text="E-mail me when someone replies to my comment."
    )
    bio = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    @property
    def public_name(self) -> str:
        return self.display_name or self.user.get_username()
