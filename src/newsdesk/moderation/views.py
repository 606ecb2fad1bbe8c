"""Thin web shells around moderation.services and moderation.queue.

Every page but the reader's report form is for moderators (group "moderators") and staff:
anonymous visitors are sent to log in, other readers get 403. Every action is a plain
form POST answered by a redirect, so the queue works without JavaScript.
"""

from __future__ import annotations

import functools
import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from newsdesk.comments.models import Comment
from newsdesk.moderation import queue, services
from newsdesk.moderation.models import Ban, BannedPhrase, ModerationAction, Report


def moderators_only(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.is_moderator(request.user):
            raise PermissionDenied("Moderators only.")
        return view(request, *args, **kwargs)

    return wrapper


def _back(request, default: str):
    target = request.POST.get("next") or default
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = default
    return redirect(target)


@moderators_only
def queue_view(request):
    params = request.GET
    tab, sort = params.get("tab", "held"), params.get("sort", "newest")
    page, rows = queue.queue_page(tab, sort, params.get("page", 1))
    context = {
        "page": page,
        "rows": rows,
        "tab": tab if tab in queue.TABS else "held",
        "sort": sort if sort in queue.SORTS else "newest",
        "tabs": queue.TABS,
        "sorts": queue.SORTS,
        "counts": queue.waiting_counts(),
        "actions": ["approve", "reject", "spam", "ban"],
    }
    return render(request, "moderation/queue.html", context)


@require_POST
@moderators_only
def act(request, comment_id: int, action: str):
    if action not in services.ACTIONS:
        raise Http404("No such action")
    comment = get_object_or_404(Comment, pk=comment_id)
    services.moderate(comment, action, by=request.user)
    messages.success(request, f"Comment {comment_id}: {action} done.")
    return _back(request, reverse("moderation:queue"))


@require_POST
@moderators_only
def bulk(request):
    action = request.POST.get("action", "")
    if action not in services.ACTIONS:
        messages.error(request, "Choose an action.")
        return _back(request, reverse("moderation:queue"))
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    done = services.moderate_many(ids, action, by=request.user)
    messages.success(request, f"{action}: {done} comment{'s' if done != 1 else ''}.")
    return _back(request, reverse("moderation:queue"))


@require_http_methods(["GET", "POST"])
@moderators_only
def phrases(request):
    error = ""
    if request.method == "POST":
        text, match = request.POST.get("text", "").strip(), request.POST.get("match", "word")
        if match not in BannedPhrase.Match.values or not text:
            error = "Give a phrase and how to match it."
        elif match == BannedPhrase.Match.PATTERN and not _valid_pattern(text):
            error = "That is not a valid regular expression."
        else:
            BannedPhrase.objects.get_or_create(text=text, match=match)
            return redirect("moderation:phrases")
    context = {"phrases": BannedPhrase.objects.all(), "error": error, "matches": BannedPhrase.Match}
    return render(request, "moderation/phrases.html", context, status=400 if error else 200)


def _valid_pattern(text: str) -> bool:
    try:
        re.compile(text)
    except re.error:
        return False
    return True


@require_POST
@moderators_only
def phrase_delete(request, phrase_id: int):
    get_object_or_404(BannedPhrase, pk=phrase_id).delete()
    return redirect("moderation:phrases")


@require_http_methods(["GET", "POST"])
@moderators_only
def bans(request):
    error = ""
    if request.method == "POST":
        kind, value = request.POST.get("kind", ""), request.POST.get("value", "").strip()
        shadow = bool(request.POST.get("shadow"))
        if kind not in Ban.Kind.values or not value or (shadow and kind != Ban.Kind.USER):
            error = "Give a kind and a value (only accounts can be shadow-banned)."
        else:
            services.add_ban(
                kind, value, by=request.user, reason=request.POST.get("reason", ""), shadow=shadow
            )
            return redirect("moderation:bans")
    context = {"bans": Ban.objects.order_by("-created_at")[:200], "error": error, "kinds": Ban.Kind}
    return render(request, "moderation/bans.html", context, status=400 if error else 200)


@require_POST
@moderators_only
def ban_lift(request, ban_id: int):
    services.lift_ban(get_object_or_404(Ban, pk=ban_id), by=request.user)
    return redirect("moderation:bans")


@moderators_only
def audit(request):
    entries = ModerationAction.objects.select_related("who")[:200]
    return render(request, "moderation/audit.html", {"entries": entries})


@require_http_methods(["GET", "POST"])
def report(request, comment_id: int):
    """A logged-in reader reports a published comment (GET shows the form)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    comment = get_object_or_404(
        Comment.objects.select_related("article"), pk=comment_id, status=Comment.Status.PUBLISHED
    )
    if comment.author_id == request.user.pk:
        raise PermissionDenied("You cannot report your own comment.")
    error = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        if reason not in Report.Reason.values:
            error = "Choose a reason."
        else:
            services.report_comment(comment, request.user, reason, request.POST.get("text", ""))
            messages.info(request, "Thank you. A moderator will look at this comment.")
            return redirect(comment.article.get_absolute_url() + "#comments")
    context = {"comment": comment, "reasons": Report.Reason.choices, "error": error}
    return render(request, "moderation/report.html", context, status=400 if error else 200)
