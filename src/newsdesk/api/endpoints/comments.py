"""An article's discussion: reading published comments and posting one.

Posting goes through the same rate limit and the same ``post_comment`` service as the
web form, so moderation, closed discussions and double submits behave identically.
"""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from newsdesk.api import present
from newsdesk.api.auth import TOKEN_OR_SESSION, optional_user
from newsdesk.api.cursor import next_link, page_after
from newsdesk.api.endpoints.articles import find_article
from newsdesk.api.problems import Problem
from newsdesk.api.schemas import CommentIn, CommentPage, CommentPosted
from newsdesk.api.schemas import Problem as ProblemSchema
from newsdesk.comments import services
from newsdesk.comments.models import Comment
from newsdesk.comments.ratelimit import check_comment_rate

router = Router(tags=["comments"])

# Service error codes that mean "not allowed here" rather than "fix your input".
FORBIDDEN_CODES = {"closed", "login_required", "refused"}


class CommentFilters(Schema):
    cursor: str | None = Field(default=None, max_length=200, description="From a `next` link.")
    limit: int = Field(default=50, ge=1, le=200)


@router.get(
    "/articles/{key}/comments",
    response={200: CommentPage, 400: ProblemSchema, 404: ProblemSchema, 422: ProblemSchema},
    summary="An article's published comments, oldest first",
)
def comment_list(request: HttpRequest, key: str, filters: Query[CommentFilters]):
    """Replies name their `parent`; build the thread from those ids."""
    article = find_article(optional_user(request), key)
    comments = Comment.objects.published().filter(article=article).select_related("author__profile")
    items, cursor = page_after(
        comments, filters.cursor, filters.limit, field="created_at", descending=False
    )
    return {"items": [present.comment_dict(c) for c in items], "next": next_link(request, cursor)}


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@router.post(
    "/articles/{key}/comments",
    auth=TOKEN_OR_SESSION,
    response={
        200: CommentPosted,
        201: CommentPosted,
        401: ProblemSchema,
        403: ProblemSchema,
        404: ProblemSchema,
        422: ProblemSchema,
        429: ProblemSchema,
    },
    summary="Post a comment (signed-in readers)",
)
def comment_create(request: HttpRequest, key: str, payload: CommentIn):
    """201 with the comment, published or held for review (`status: pending`); 200 when the
    same text was already posted moments ago (the earlier comment is returned)."""
    user = request.auth
    article = find_article(user, key)
    parent = None
    if payload.parent is not None:
        parent = Comment.objects.filter(pk=payload.parent, article=article).first()
        if parent is None:
            raise Problem(
                422, "No such comment to reply to on this article.", title="Invalid parent"
            )
    rate = check_comment_rate(user, client_ip(request))
    if not rate.allowed:
        raise Problem(
            429,
            rate.message,
            headers={"Retry-After": str(rate.retry_after)},
            retry_after=rate.retry_after,
        )
    result = services.post_comment(
        article,
        body=payload.body,
        author=user,
        parent=parent,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        request=request,
    )
    if not result.ok:
        errors = [{"code": e.code, "field": e.field, "message": e.message} for e in result.errors]
        forbidden = any(e.code in FORBIDDEN_CODES for e in result.errors)
        raise Problem(
            403 if forbidden else 422,
            " ".join(e.message for e in result.errors),
            title="Comment not accepted",
            errors=errors,
        )
    comment = result.comment
    published = comment.status == Comment.Status.PUBLISHED
    answer = {
        "status": comment.status,
        "id": comment.pk,
        "detail": "Published."
        if published
        else "Thank you. Your comment will appear once a moderator has reviewed it.",
        "comment": present.comment_dict(comment) if published else None,
    }
    return Status(201 if result.created else 200, answer)
