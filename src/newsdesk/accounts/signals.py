"""Every user has a Profile from the moment they exist, however they were created."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from newsdesk.accounts.models import Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_create_profile")
def create_profile_for_new_user(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Profile.objects.get_or_create(user=instance)
