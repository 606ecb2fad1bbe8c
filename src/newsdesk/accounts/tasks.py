"""Mail goes out through django-tasks, never inside the request (ImmediateBackend in dev/tests)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from newsdesk.accounts import services


@task()
def send_confirmation_email(user_id: int, base_url: str) -> None:
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "user": user,
        "display_name": services.get_profile(user).public_name,
        "confirm_url": services.confirmation_url(user, base_url),
    }
    send_mail(
        subject=render_to_string("accounts/email/confirm_subject.txt", context).strip(),
        message=render_to_string("accounts/email/confirm_body.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
