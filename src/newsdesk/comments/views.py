"""Thin web shells around comments.services: parse the request, call, answer.

Without JavaScript every action is a plain form post answered by a redirect (or a page with
the errors and the reader's text). With discussion.js the same URLs answer fetch requests
(header X-Requested-With) with an HTML fragment or JSON.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from newsdesk.articles.models import Article
from newsdesk.comments import services
from newsdesk.comments.markup import render_comment
from newsdesk.comments.models import Comment
from newsdesk.comments.moderator import get_moderator
from newsdesk.comments.notifications import user_id_from_token
from newsdesk.comments.ratelimit import check_comment_rate
from newsdesk.comments.render import comment_html
from newsdesk.comments.thread import Node, display_name


def is_fetch(request) -> bool:
    # From META, as Django's old is_ajax() did: request.headers copies every header first.
    return request.META.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest"


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def login_url(next_url: str) -> str:
    try:
        url = reverse("accounts:login")
    except NoReverseMatch:
        url = settings.LOGIN_URL
    return f"{url}?next={next_url}"


def _form_context(request, article, *, parent=None, errors=(), preview_html=""):
    post = request.POST
    return {
        "article": article,
        "parent": parent,
        "parent_name": display_name(parent) if parent else "",
        "body": post.get("body", ""),
        "guest_name": post.get("guest_name", ""),
        "guest_email": post.get("guest_email", ""),
        "errors": list(errors),
        "preview_html": preview_html,
        "max_length": settings.COMMENTS_MAX_LENGTH,
        "login_url": login_url(article.get_absolute_url()),
        "guests_allowed": services.guests_may_post(services.discussion_settings_for(article)),
    }


def _form_page(request, article, status: int, **kwargs) -> HttpResponse:
    context = _form_context(request, article, **kwargs)
    if is_fetch(request):
        return HttpResponse(
            render_to_string("comments/_messages.html", context, request), status=status
        )
    return render(request, "comments/post_page.html", context, status=status)


@require_POST
def post(request, article_id: int):
    # By primary key, then the visibility test in Python: the published() filter with the
    # model's ordering costs PostgreSQL ~1 ms of planning on every post.
    article = services.article_for_posting(article_id)
    if article is None or not article.is_public:
        raise Http404("No such article")
    parent = None
    if request.POST.get("parent"):
        parent = Comment.objects.filter(pk=request.POST["parent"], article=article).first()
        if parent is None:
            raise Http404("No such comment")
    body = request.POST.get("body", "")
    if request.POST.get("preview"):
        errors = services.validate_body(body)
        preview = "" if errors else render_comment(body)
        if is_fetch(request):
            return HttpResponse(
                render_to_string(
                    "comments/_preview.html", {"preview_html": preview, "errors": errors}
                ),
                status=400 if errors else 200,
            )
        return _form_page(request, article, 200, parent=parent, errors=errors, preview_html=preview)

    rate = check_comment_rate(request.user, client_ip(request))
    if not rate.allowed:
        response = _form_page(
            request,
            article,
            429,
            parent=parent,
            errors=[services.PostError("rate", rate.message, "__all__")],
        )
        response["Retry-After"] = str(rate.retry_after)
        return response

    result = services.post_comment(
        article,
        body=body,
        author=request.user if request.user.is_authenticated else None,
        guest_name=request.POST.get("guest_name", ""),
        guest_email=request.POST.get("guest_email", ""),
        parent=parent,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        request=request,
    )
    if not result.ok:
        status = 403 if any(e.code in ("closed", "login_required") for e in result.errors) else 400
        return _form_page(request, article, status, parent=parent, errors=result.errors)
    comment = result.comment
    if is_fetch(request):
        return _comment_fragment(
            request,
            comment,
            status=201 if result.created else 200,
            comment_count=article.comment_count if result.created else None,
        )
    if comment.status == Comment.Status.PUBLISHED or (
        comment.status == Comment.Status.PENDING and request.user.is_authenticated
    ):
        if comment.status == Comment.Status.PENDING and not _review_concealed(comment):
            messages.info(
                request, "Thank you. Your comment will appear once a moderator has reviewed it."
            )
        return redirect(comment.get_absolute_url())
    messages.info(request, "Thank you. Your comment will appear once a moderator has reviewed it.")
    return redirect(article.get_absolute_url() + "#comments")


def _review_concealed(comment: Comment) -> bool:
    return comment.author is not None and get_moderator().conceals_review_from(comment.author)


def _holder_id(comment: Comment) -> int | None:
    """The comment whose reply list shows ``comment`` (see thread.build_tree)."""
    chain = []
    current = comment.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    if not chain:
        return None
    depth_of_parent = len(chain)  # roots have depth 1
    if depth_of_parent < settings.COMMENTS_MAX_DEPTH:
        return chain[0].pk
    return chain[depth_of_parent - settings.COMMENTS_MAX_DEPTH].pk


def _comment_fragment(
    request, comment: Comment, status: int, comment_count: int | None = None
) -> HttpResponse:
    """One comment's markup for discussion.js, with the article's count in a header
    (``comment_count`` when the caller already has it fresh from the write)."""
    user = request.user
    node = Node(
        comment,
        awaiting_review=comment.status == Comment.Status.PENDING and not _review_concealed(comment),
        can_edit=services.can_edit(comment, user),
        can_delete=services.can_delete(comment, user),
    )
    holder = _holder_id(comment)
    if holder and comment.parent_id != holder:
        node.in_reply_to = display_name(comment.parent)
        node.depth = settings.COMMENTS_MAX_DEPTH + 1
    # The markup straight from render.py: a template here would run every context
    # processor for one comment. Only signed-in readers get per-comment forms (tokens).
    html = comment_html(
        node,
        comment.article.get_absolute_url(),
        csrf_token=get_token(request) if user.is_authenticated else "",
    )
    response = HttpResponse(html, status=status)
    if comment_count is None:
        comment_count = (
            Article.objects.filter(pk=comment.article_id)
            .values_list("comment_count", flat=True)
            .get()
        )
    response["X-Comment-Count"] = str(comment_count)
    response["X-Comment-Holder"] = str(holder or "")
    return response


def _public_comment_or_404(comment_id: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    if comment.status != Comment.Status.PUBLISHED or not comment.article.is_public:
        raise Http404("No such comment")
    return comment


def permalink(request, comment_id: int):
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    own_pending = (
        comment.status == Comment.Status.PENDING
        and request.user.is_authenticated
        and comment.author_id == request.user.pk
    )
    if (
        not (comment.status == Comment.Status.PUBLISHED or own_pending)
        or not comment.article.is_public
    ):
        raise Http404("No such comment")
    return redirect(comment.get_absolute_url())


def _comment_for_reader(request, comment_id: int) -> Comment:
    if not request.user.is_authenticated:
        raise Http404("No such comment")
    return get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)


@require_http_methods(["GET", "POST"])
def edit(request, comment_id: int):
    if not request.user.is_authenticated:
        return redirect(login_url(request.path))
    comment = _comment_for_reader(request, comment_id)
    if not services.can_edit(comment, request.user):
        context = {
            "comment": comment,
            "forbidden": True,
            "edit_minutes": settings.COMMENTS_EDIT_WINDOW_MINUTES,
        }
        return render(request, "comments/edit.html", context, status=403)
    errors, body = [], comment.body
    if request.method == "POST":
        body = request.POST.get("body", "")
        result = services.edit_comment(comment, user=request.user, body=body)
        if result.ok:
            if is_fetch(request):
                return _comment_fragment(request, comment, status=200)
            return redirect(comment.get_absolute_url())
        errors = result.errors
    context = {
        "comment": comment,
        "body": body,
        "errors": errors,
        "max_length": settings.COMMENTS_MAX_LENGTH,
    }
    return render(request, "comments/edit.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def delete(request, comment_id: int):
    if not request.user.is_authenticated:
        return redirect(login_url(request.path))
    comment = _comment_for_reader(request, comment_id)
    if not services.can_delete(comment, request.user):
        raise Http404("No such comment")
    if request.method == "POST":
        services.delete_comment(comment, user=request.user)
        if is_fetch(request):
            return JsonResponse({"deleted": True})
        messages.info(request, "Your comment was deleted.")
        return redirect(comment.article.get_absolute_url() + "#comments")
    return render(request, "comments/delete_confirm.html", {"comment": comment})


@require_POST
def recommend(request, comment_id: int):
    if not request.user.is_authenticated:
        if is_fetch(request):
            return JsonResponse({"error": "Please log in to recommend comments."}, status=403)
        return redirect(login_url(reverse("comments:permalink", args=[comment_id])))
    comment = _public_comment_or_404(comment_id)
    outcome = services.toggle_recommendation(comment, request.user)
    if outcome is None:
        return JsonResponse({"error": "You cannot recommend this comment."}, status=403)
    recommended, count = outcome
    if is_fetch(request):
        return JsonResponse({"recommended": recommended, "count": count})
    return redirect(comment.get_absolute_url())


@csrf_exempt  # the signed token is the credential; RFC 8058 clients POST without a form
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    from newsdesk.accounts.models import Profile

    user_id = user_id_from_token(token)
    if user_id is None:
        raise Http404("Invalid or expired link")
    if request.method == "POST":
        Profile.objects.filter(user_id=user_id).update(notify_replies=False)
        return render(request, "comments/unsubscribe.html", {"done": True})
    return render(request, "comments/unsubscribe.html", {"done": False, "token": token})
