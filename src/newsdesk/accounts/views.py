"""Thin views over accounts.services and Django's own auth views."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from newsdesk.accounts import services
from newsdesk.accounts.forms import DeleteAccountForm, ProfileSettingsForm, SignupForm
from newsdesk.accounts.tasks import send_confirmation_email
from newsdesk.accounts.throttle import ThrottledAuthenticationForm


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _send_confirmation(request, user) -> None:
    send_confirmation_email.enqueue(user.pk, request.build_absolute_uri("/"))


@never_cache
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:settings")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.create_reader(**form.cleaned_data)
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        _send_confirmation(request, user)
        messages.success(
            request,
            f"Welcome! We sent a link to {user.email}; open it to confirm your address.",
        )
        return redirect(_safe_next(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request)})


def confirm_email(request, token):
    user = services.confirm_email(token)
    if user is not None:
        messages.success(request, "Thank you: your e-mail address is confirmed.")
        return redirect("accounts:settings" if request.user == user else "accounts:login")
    return render(request, "accounts/confirm_failed.html", status=400)


@login_required
@require_POST
def resend_confirmation(request):
    _send_confirmation(request, request.user)
    messages.success(request, f"We sent a new confirmation link to {request.user.email}.")
    return redirect("accounts:settings")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are logged out.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # The reset link reached the reader's mailbox: that confirms the address too.
        services.mark_email_confirmed(form.user)
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:settings")

    def form_valid(self, form):
        messages.success(self.request, "Your password is changed.")
        return super().form_valid(form)


@login_required
def account_settings(request):
    profile = services.get_profile(request.user)
    form = ProfileSettingsForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form, "profile": profile})


def profile(request, username):
    reader = get_object_or_404(get_user_model(), username=username, is_active=True)
    page = Paginator(
        services.published_comments_of(reader), settings.ACCOUNTS_COMMENTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/profile.html",
        {"reader": reader, "reader_profile": services.get_profile(reader), "page": page},
    )


@login_required
@never_cache
def export(request):
    data = services.export_reader_data(request.user)
    data["exported_at"] = timezone.now().isoformat()
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    filename = f"newsdesk-{request.user.pk}-data.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@never_cache
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user)
        messages.info(request, "Your account is deleted. Thank you for taking part.")
        return redirect(reverse("articles:front"))
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "comment_mode": settings.ACCOUNTS_DELETE_COMMENTS},
    )
